"""Stage 4: find text in languages other than the target, for translation.

Chinese, Japanese and Korean spans are found by Unicode script (:mod:`cleaner.script`), with
their offsets. The rest of each line, with those spans taken out, goes through language
identification; a whole line confidently in another language (an English quote) becomes a
``line`` fragment. Lines that carry several function words of the target language are taken as
such without asking the backend (:mod:`cleaner.langid.shortcut`). The document's language is
the language of most of its letters. Nothing is removed here: with translation off, fragments
stay in the text and are listed in ``fragments.jsonl``; the translation stage fills
``Span.translation``.
"""

from __future__ import annotations

import itertools
from collections import Counter

from ..config import LanguageConfig
from ..document import (
    Document,
    Line,
    Span,
    folded_texts,
    line_starts,
    lines_not_known_cjk_free,
)
from ..langid import LanguageIdentifier, get_identifier
from ..langid.shortcut import prepare_for_score, score_reaches
from ..script import (
    HAS_CJK_LETTER,
    count_letters,
    find_cjk_spans,
    lines_holding_cjk,
    outside_spans,
    outside_urls,
    without_trailing_openers,
)
from .base import Stage


def _sample(text: str, limit: int) -> str:
    """The first ``limit`` characters of ``text``, cut at a space when there is one."""
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", limit // 2, limit)
    return text[: cut if cut > 0 else limit]


def _enough_letters(text: str, minimum: int) -> bool:
    # Prose is at least a third letters: count only when the length leaves a doubt, and only
    # up to ``minimum`` letters.
    if len(text) >= 3 * minimum or minimum <= 0:
        return True
    if len(text) < minimum:
        return False
    letters = filter(str.isalpha, text)
    return next(itertools.islice(letters, minimum - 1, None), None) is not None


#: The language of a line too short, or too uncertain, to tell.
UNDETERMINED = "und"
#: What one CJK letter weighs in the document's language, in characters of the rest (the Latin
#: names inside a CJK span count as themselves): a Chinese character says what four or five
#: French characters say (French translations of the 10 Chinese news sentences of
#: tests/data/doclang held 4.8 characters per Han character, 4.1 to 6.9 sentence by sentence;
#: a weight below the low end, so that a French page quoting Chinese stays French).
CJK_LETTER_WEIGHT = 4


def set_document_language(doc: Document, letters_by_lang: Counter[str]) -> None:
    """The document's language (``metadata["lang"]``): the identified language with the most
    letters, and the share of the document's letters each language holds
    (``metadata["lang_shares"]``, ``und`` for lines too short or too uncertain to tell, whose
    letters count in the whole all the same: a French page of short lines and one English
    quote is not an English page)."""
    total = sum(letters_by_lang.values())
    known = sorted(lang for lang, n in letters_by_lang.items() if lang != UNDETERMINED and n)
    doc.metadata["lang"] = max(known, key=letters_by_lang.__getitem__) if known else UNDETERMINED
    doc.metadata["lang_shares"] = {
        lang: round(n / total, 3) for lang, n in sorted(letters_by_lang.items()) if n
    }


class StrayLanguageDetector(Stage):
    name = "stray_language"

    def __init__(
        self, config: LanguageConfig | None = None, identifier: LanguageIdentifier | None = None
    ) -> None:
        super().__init__()
        self.config = config or LanguageConfig()
        self._identifier = identifier

    @property
    def identifier(self) -> LanguageIdentifier:
        if self._identifier is None:
            self._identifier = get_identifier(self.config.backend)
        return self._identifier

    def process(self, doc: Document) -> None:
        self.process_batch([doc])

    def process_batch(self, docs: list[Document]) -> None:
        # Lines that need the backend are collected over the whole batch and identified in
        # one call: consecutive model calls run several times faster than scattered ones.
        cfg = self.config
        to_identify: list[tuple[Line, str, int, Counter[str]]] = []
        per_doc: list[Counter[str]] = []
        for doc in docs:
            letters_by_lang: Counter[str] = Counter()
            per_doc.append(letters_by_lang)
            self._scan(doc, letters_by_lang, to_identify)
        texts = [_sample(rest, cfg.sample_chars) for _, rest, _, _ in to_identify]
        guesses = self.identifier.detect(texts) if texts else []
        for (line, _, n, letters_by_lang), guess in zip(to_identify, guesses, strict=True):
            self.counts["lines_identified"] += 1
            if guess.prob < cfg.min_confidence:
                line.lang = UNDETERMINED
                letters_by_lang[UNDETERMINED] += n
                continue
            line.lang = guess.lang
            letters_by_lang[guess.lang] += n
            if guess.lang != cfg.target and not line.spans:
                line.spans = [Span(0, len(line.text), line.text, guess.lang, kind="line")]
                self.counts[f"lines_{guess.lang}"] += 1
        for doc, letters_by_lang in zip(docs, per_doc, strict=True):
            set_document_language(doc, letters_by_lang)

    def _scan(self, doc: Document, letters_by_lang: Counter[str], to_identify: list) -> None:
        """CJK spans by script, the shortcut; lines left for the backend go to ``to_identify``."""
        cfg = self.config
        kept = [line for line in doc.lines if line.kept]
        # One scan finds the lines that can hold CJK at all, over the lines not already known
        # to be free of it (the encoding stage notes them).
        unknown = lines_not_known_cjk_free(kept)
        texts = [kept[i].text for i in unknown]
        cjk_lines = {unknown[i] for i in lines_holding_cjk("\n".join(texts), line_starts(texts))}
        # Case-folded lines (cached on the lines by earlier stages), for the function-word
        # shortcut.
        lowered = (
            prepare_for_score("\n".join(folded_texts(kept)), folded=True).split("\n")
            if cfg.shortcut_min_score
            else []
        )
        min_letters = cfg.min_letters
        target, min_score = cfg.target, cfg.shortcut_min_score
        reaches = score_reaches
        by_shortcut = target_chars = 0
        for i, line in enumerate(kept):
            text = line.text
            line.spans = ()
            line.lang = None
            rest = text
            if i in cjk_lines:
                spans = without_trailing_openers(text, outside_urls(text, find_cjk_spans(text)))
                if spans:
                    found = [Span(s.start, s.end, text[s.start : s.end], s.lang) for s in spans]
                    line.spans = found
                    span_letters = 0
                    for s in found:
                        n_span = count_letters(s.text)
                        n_cjk = len(HAS_CJK_LETTER.findall(s.text))
                        letters_by_lang[s.lang] += n_span + (CJK_LETTER_WEIGHT - 1) * n_cjk
                        span_letters += n_span
                        self.counts[f"spans_{s.lang}"] += 1
                    rest = " ".join(text[a:b] for a, b in outside_spans(text, spans))
                    # the spans and the rest split the line: its letters are theirs together
                    if count_letters(rest) < span_letters:
                        line.lang = found[0].lang  # mostly CJK
                        letters_by_lang[UNDETERMINED] += len(rest)
                        continue
            n = len(rest)
            if n < min_letters:
                letters_by_lang[UNDETERMINED] += n  # too short to tell: no language
                continue
            # The document's language is weighed by characters, a close stand-in for letters.
            if min_score and reaches(
                lowered[i] if rest is text else prepare_for_score(rest), target, min_score
            ):
                line.lang = target
                target_chars += n
                by_shortcut += 1
            elif _enough_letters(rest, min_letters):
                to_identify.append((line, rest, n, letters_by_lang))
            else:
                letters_by_lang[UNDETERMINED] += n
        if by_shortcut:
            letters_by_lang[target] += target_chars
            self.counts["lines_by_shortcut"] += by_shortcut
