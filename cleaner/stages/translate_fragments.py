"""Stage 5: translate every stray fragment into the target language, in place.

Fragments of a whole batch of documents are translated together, one model call per direction
(and per pivot step). A CJK fragment's Latin names and numbers are protected
(:mod:`cleaner.translate.protect`); a translation that still holds CJK letters, or is empty,
does not count. A fragment no package can translate stays in the text and is flagged
(``Span.problem``) and counted; with ``drop_untranslatable`` its line is dropped
(``untranslatable``).
"""

from __future__ import annotations

from collections import defaultdict

from .. import reasons
from ..config import TranslateConfig
from ..document import Document, Line, Span
from ..script import HAS_CJK_LETTER
from ..segment import split_sentences
from ..translate.protect import join_runs, protected_items, split_runs, survived
from ..translate.translator import Translator, translate_checked
from .base import Stage
from .encoding import convert_cjk_punctuation

NO_PACKAGE = "no_package"
CJK_LEFT = "cjk_left"
EMPTY_TRANSLATION = "empty_translation"


class FragmentTranslator(Stage):
    name = "translate_fragments"

    def __init__(self, translator: Translator, config: TranslateConfig, target: str) -> None:
        super().__init__()
        self.translator = translator
        self.config = config
        self.target = target

    def process(self, doc: Document) -> None:
        self.process_batch([doc])

    def process_batch(self, docs: list[Document]) -> None:
        by_lang: dict[str, list[tuple[Line, Span]]] = defaultdict(list)
        for doc in docs:
            for line in doc.lines:
                if line.kept:
                    for span in line.spans:
                        if span.lang != self.target:
                            by_lang[span.lang].append((line, span))
        for lang in sorted(by_lang):
            items = by_lang[lang]
            route = self.translator.route(lang, self.target)
            if route is None:
                for line, span in items:
                    self._fail(line, span, NO_PACKAGE)
                continue
            self._translate(lang, items)
        # Lines dropped as untranslatable are counted once, however many fragments they hold.

    def _translate(self, lang: str, items: list[tuple[Line, Span]]) -> None:
        # Whole lines in another language are translated sentence by sentence (the models are
        # trained on sentences); CJK spans whole, their Latin names protected.
        sources: list[str] = []
        plan: list[tuple[Line, Span, list[int]]] = []
        for line, span in items:
            if span.kind == "line":
                parts = split_sentences(span.text) or [span.text]
            else:
                parts = [span.text]
                span.protected = tuple(protected_items(span.text))
            plan.append((line, span, list(range(len(sources), len(sources) + len(parts)))))
            sources.extend(parts)
        results = translate_checked(self.translator, sources, lang, self.target)
        retry: list[tuple[Line, Span]] = []
        for line, span, idx in plan:
            pieces = [results[i].text.strip() for i in idx]
            text = " ".join(pieces).strip()
            span.packages, span.pivot = results[idx[0]].packages, results[idx[0]].pivot
            if span.protected and not survived(list(span.protected), text):
                retry.append((line, span))
                continue
            self._accept(line, span, text)
            if span.kind == "line" and span.translation is not None:
                span.parts = tuple((sources[i], p) for i, p in zip(idx, pieces, strict=True))
        if retry:
            self._translate_runs(lang, retry)

    def _translate_runs(self, lang: str, items: list[tuple[Line, Span]]) -> None:
        """Second try for fragments whose names did not survive: only CJK runs are translated,
        the protected items are put back verbatim between them."""
        self.counts["fragments_retranslated_by_runs"] += len(items)
        runs = [split_runs(span.text) for _, span in items]
        sources = [
            p for r in runs for p, protected in r if not protected and HAS_CJK_LETTER.search(p)
        ]
        results = (
            iter(translate_checked(self.translator, sources, lang, self.target))
            if sources
            else iter(())
        )
        for (line, span), r in zip(items, runs, strict=True):
            parts = []
            for piece, protected in r:
                if protected:
                    parts.append(piece)
                elif HAS_CJK_LETTER.search(piece):
                    parts.append(next(results).text)
                else:
                    parts.append(convert_cjk_punctuation(piece))
            self._accept(line, span, join_runs(parts))

    def _accept(self, line: Line, span: Span, text: str) -> None:
        text = convert_cjk_punctuation(text.strip())
        if not text:
            self._fail(line, span, EMPTY_TRANSLATION)
        elif HAS_CJK_LETTER.search(text):
            self._fail(line, span, CJK_LEFT)
        else:
            span.translation = text
            span.problem = None
            self.counts[f"translated_{span.lang}"] += 1

    def _fail(self, line: Line, span: Span, problem: str) -> None:
        span.problem = problem
        span.translation = None
        span.parts = ()
        self.counts[f"untranslatable_{span.lang}"] += 1
        if self.config.drop_untranslatable and line.kept:
            line.drop(reasons.UNTRANSLATABLE, lang=span.lang, fragment=span.text, problem=problem)
            self.counts[reasons.UNTRANSLATABLE] += 1
