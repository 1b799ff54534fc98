"""Stage 4: find text in languages other than the target, for translation.

Chinese, Japanese and Korean spans are found by Unicode script (:mod:`cleaner.script`), with
their offsets. The rest of each line, with those spans taken out, goes through language
identification; a whole line confidently in another language (an English quote) becomes a
``line`` fragment. Nothing is removed here: with translation off, fragments stay in the text and
are listed in ``fragments.jsonl``; the translation stage fills ``Span.translation``.
"""

from __future__ import annotations

from collections import Counter

from ..config import LanguageConfig
from ..document import Document, Span
from ..langid import LanguageIdentifier, get_identifier
from ..script import HAS_CJK, find_cjk_spans, outside_spans
from .base import Stage

#: Characters of the document sent to language ID to decide the document's language.
DOC_SAMPLE_CHARS = 3000


def _letters(text: str) -> int:
    return sum(1 for c in text if c.isalpha())


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
        cfg = self.config
        to_identify = []
        remainders = []
        langs: Counter[str] = Counter()
        for line in doc.lines:
            if not line.kept:
                continue
            text = line.text
            line.spans = []
            rest = text
            if HAS_CJK.search(text):
                spans = find_cjk_spans(text)
                for s in spans:
                    line.spans.append(Span(s.start, s.end, text[s.start : s.end], s.lang))
                    self.counts[f"spans_{s.lang}"] += 1
                if spans:
                    rest = " ".join(text[a:b] for a, b in outside_spans(text, spans))
                    if _letters(rest) < _letters(text) - _letters(rest):
                        line.lang = spans[0].lang  # mostly CJK
            remainders.append(rest)
            if line.lang is None and _letters(rest) >= cfg.min_letters:
                to_identify.append((line, rest))
        guesses = self.identifier.detect([rest for _, rest in to_identify])
        for (line, _), guess in zip(to_identify, guesses, strict=True):
            if guess.prob < cfg.min_confidence:
                line.lang = "und"
                continue
            line.lang = guess.lang
            langs[guess.lang] += 1
            if guess.lang != cfg.target and not line.spans:
                line.spans.append(Span(0, len(line.text), line.text, guess.lang, kind="line"))
                self.counts[f"lines_{guess.lang}"] += 1
        sample = " ".join(remainders)[:DOC_SAMPLE_CHARS]
        if _letters(sample) >= cfg.min_letters:
            guess = self.identifier.detect([sample])[0]
            doc.metadata["lang"] = guess.lang
            doc.metadata["lang_prob"] = guess.prob
        else:
            doc.metadata["lang"] = "und"
