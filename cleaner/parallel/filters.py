"""Filters on sentence pairs, each with its reason (OpusFilter's score-then-accept split).

Each filter measures a pair and decides; a dropped pair keeps its evidence and goes to
``rejects.jsonl``. ``[pairs] filters`` chooses which run (``--pair-filters none`` runs none:
useful with synthetic test packages whose output is not real English).
"""

from __future__ import annotations

import abc
import re
from collections import Counter
from collections.abc import Sequence
from typing import Any

import regex

from .. import reasons
from ..config import PairsConfig
from ..document import Document, Pair
from ..langid import LanguageIdentifier
from ..script import HAS_CJK_LETTER, count_letters
from ..stages.base import Stage


def _norm(text: str) -> str:
    return "".join(ch for ch in text.casefold() if ch.isalnum())


class PairFilter(abc.ABC):
    """``check(pair)`` returns the evidence for dropping the pair, or None to keep it;
    ``check_many`` does it for a batch (filters that call a model override it)."""

    name = "filter"
    reason = ""

    @abc.abstractmethod
    def check(self, pair: Pair) -> dict[str, Any] | None:
        """The evidence for dropping ``pair``, or None."""

    def check_many(self, pairs: Sequence[Pair]) -> list[dict[str, Any] | None]:
        return [self.check(p) for p in pairs]


class EmptySideFilter(PairFilter):
    """A side that is empty, or holds no letter or digit (``• • •``, ``—``, an emoji, a
    zero-width space): nothing to translate or learn from."""

    name, reason = "empty", reasons.PAIR_EMPTY

    def check(self, pair: Pair) -> dict[str, Any] | None:
        for side, text in (("source", pair.source), ("target", pair.target)):
            if not any(ch.isalnum() for ch in text):
                return {"side": side}
        return None


class UntranslatedFilter(PairFilter):
    """The translation is the source again (up to case, spacing and punctuation)."""

    name, reason = "untranslated", reasons.PAIR_UNTRANSLATED

    def check(self, pair: Pair) -> dict[str, Any] | None:
        a = _norm(pair.source)
        if a and a == _norm(pair.target) and count_letters(pair.source) > 0:
            return {}
        return None


class LengthRatioFilter(PairFilter):
    name, reason = "length_ratio", reasons.PAIR_LENGTH_RATIO

    def __init__(self, max_ratio: float, min_chars: int) -> None:
        self.max_ratio, self.min_chars = max_ratio, min_chars

    def check(self, pair: Pair) -> dict[str, Any] | None:
        a, b = len(pair.source), len(pair.target)
        longer, shorter = max(a, b), max(1, min(a, b))
        ratio = longer / shorter
        if longer >= self.min_chars and ratio > self.max_ratio:
            return {"ratio": round(ratio, 2), "max": self.max_ratio}
        return None


class HanLeftFilter(PairFilter):
    """CJK letters left on the source side (a fragment nothing could translate)."""

    name, reason = "han", reasons.PAIR_HAN_LEFT

    def check(self, pair: Pair) -> dict[str, Any] | None:
        m = HAS_CJK_LETTER.search(pair.source)
        return {"at": m.start()} if m else None


# Numbers as each side writes them: French groups thousands with a space, a no-break space,
# a narrow one or a dot, and writes decimals with a comma (4,2 millions; 1 200); English groups
# with a comma and writes decimals with a point (4.2 million; 1,200). Digits glued to letters
# (1er, 21st, 10h30) count too.
_FRENCH_NUMBER = re.compile(r"(?<!\d)(\d{1,3}(?:[ \u00a0\u202f.]\d{3}(?!\d))+|\d+)(?:,(\d+))?")
_ENGLISH_NUMBER = re.compile(r"(?<!\d)(\d{1,3}(?:,\d{3}(?!\d))+|\d+)(?:\.(\d+))?")


# Languages that write decimals with a comma, as French does (others: as English does).
_COMMA_DECIMALS = frozenset("fr de es it pt nl ru uk pl cs sk ro tr sv da nb fi el hu".split())


def numbers(text: str, lang: str) -> Counter[str]:
    """The numbers written in ``text``, read the way language ``lang`` writes them, each as a
    canonical decimal string: "4,2" (fr) and "4.2" (en) are both "4.2", "1 200" (fr) and
    "1,200" (en) both "1200"."""
    pattern = _FRENCH_NUMBER if lang in _COMMA_DECIMALS else _ENGLISH_NUMBER
    out: Counter[str] = Counter()
    for m in pattern.finditer(text):
        whole = re.sub(r"\D", "", m.group(1)).lstrip("0") or "0"
        fraction = (m.group(2) or "").rstrip("0")
        out[f"{whole}.{fraction}" if fraction else whole] += 1
    return out


class NumeralsFilter(PairFilter):
    """The numbers of the two sides differ (a number dropped, added or changed), written the
    way each language writes them (OpusFilter's NonZeroNumeralsFilter, with the decimal and
    thousands separators of French and English)."""

    name, reason = "numerals", reasons.PAIR_NUMERALS

    def __init__(self, source_lang: str = "fr", target_lang: str = "en") -> None:
        self.source_lang, self.target_lang = source_lang, target_lang

    def check(self, pair: Pair) -> dict[str, Any] | None:
        if not (_HAS_DIGIT.search(pair.source) or _HAS_DIGIT.search(pair.target)):
            return None
        source = numbers(pair.source, self.source_lang)
        target = numbers(pair.target, self.target_lang)
        if source == target:
            return None
        return {
            "source_only": sorted((source - target).elements()),
            "target_only": sorted((target - source).elements()),
        }


_HAS_DIGIT = re.compile(r"\d")
_WORD = regex.compile(r"[\p{L}\p{N}]+(?:['’][\p{L}\p{N}]+)*")


def longest_repeat(text: str, max_words: int = 4) -> tuple[str, int]:
    """The phrase of 1 to ``max_words`` words that ``text`` repeats most times in a row
    (case and punctuation ignored), and how many times: ``("the", 4)`` for "the the the the";
    ``("", 1)`` when nothing repeats."""
    words = [w.casefold() for w in _WORD.findall(text)]
    best, times = "", 1
    for n in range(1, max_words + 1):
        i = 0
        while i + 2 * n <= len(words):
            k = 1
            while words[i + k * n : i + (k + 1) * n] == words[i : i + n]:
                k += 1
            if k > times:
                best, times = " ".join(words[i : i + n]), k
            i += max(1, (k - 1) * n) if k > 1 else 1
    return best, times


class RepetitionFilter(PairFilter):
    """The translation repeats a word or phrase more times in a row than the source does, and
    at least ``min_repeats`` times: the degenerate output small MT models give on short or odd
    input (OpusFilter's RepetitionFilter)."""

    name, reason = "repetition", reasons.PAIR_REPETITION

    def __init__(self, min_repeats: int = 3) -> None:
        self.min_repeats = min_repeats

    def check(self, pair: Pair) -> dict[str, Any] | None:
        phrase, times = longest_repeat(pair.target)
        if times < self.min_repeats or times <= longest_repeat(pair.source)[1]:
            return None
        return {"repeated": phrase, "times": times}


_CLOSING = "\"'»”’)]}* \u00a0\u202f"
_TERMINAL = {".": ".", "…": ".", "?": "?", "!": "!", ":": ":", ";": ":"}


def terminal_punctuation(text: str) -> str:
    """How a sentence ends: ".", "?", "!", ":" (or ";"), or "" for no punctuation; closing
    quotes and brackets after the mark are looked through ("« Pourquoi ? »" ends with "?")."""
    end = text.rstrip(_CLOSING)[-1:]
    return _TERMINAL.get(end, "")


class TerminalPunctuationFilter(PairFilter):
    """The two sides end differently: a question translated as a statement, a sentence whose
    end was cut off (OpusFilter's TerminalPunctuationFilter, as a yes/no rule)."""

    name, reason = "terminal_punctuation", reasons.PAIR_TERMINAL_PUNCTUATION

    def check(self, pair: Pair) -> dict[str, Any] | None:
        source, target = terminal_punctuation(pair.source), terminal_punctuation(pair.target)
        if source == target:
            return None
        return {"source": source, "target": target}


# Markup left by a scraper or produced by a model: an HTML or XML tag, an entity, a URL, an
# e-mail address.
_MARKUP = {
    "tag": re.compile(r"</?[A-Za-z][A-Za-z0-9:-]*(?:\s[^<>]*)?/?>"),
    "entity": re.compile(r"&(?:[A-Za-z][A-Za-z0-9]{1,31}|#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6});"),
    "url": re.compile(r"\b(?:https?://|www\.)\S+", re.IGNORECASE),
    "email": re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b"),
}


class MarkupFilter(PairFilter):
    """Markup, an entity, a URL or an e-mail address on one side only (Bicleaner's hard rules
    reject such pairs): a scraper's leftover the translation dropped, or one a model made up."""

    name, reason = "markup", reasons.PAIR_MARKUP

    def check(self, pair: Pair) -> dict[str, Any] | None:
        if not (_MAYBE_MARKUP.search(pair.source) or _MAYBE_MARKUP.search(pair.target)):
            return None
        for kind, pattern in _MARKUP.items():
            source, target = pattern.search(pair.source), pattern.search(pair.target)
            if bool(source) != bool(target):
                found = source or target
                assert found is not None
                return {
                    "kind": kind,
                    "side": "source" if source else "target",
                    "found": found.group()[:100],
                }
        return None


_MAYBE_MARKUP = re.compile(r"[<&@]|://|www\.", re.IGNORECASE)


class WrongLanguageFilter(PairFilter):
    """The translation is identified as a language other than the target. Checked in batches
    (:meth:`check_many`), since language ID is a model call."""

    name, reason = "language", reasons.PAIR_WRONG_LANGUAGE

    def __init__(
        self, identifier: LanguageIdentifier, target: str, min_letters: int, min_confidence: float
    ) -> None:
        self.identifier, self.target = identifier, target
        self.min_letters, self.min_confidence = min_letters, min_confidence

    def check(self, pair: Pair) -> dict[str, Any] | None:
        return self.check_many([pair])[0]

    def check_many(self, pairs: Sequence[Pair]) -> list[dict[str, Any] | None]:
        todo = [i for i, p in enumerate(pairs) if count_letters(p.target) >= self.min_letters]
        out: list[dict[str, Any] | None] = [None] * len(pairs)
        guesses = self.identifier.detect([pairs[i].target for i in todo]) if todo else []
        for i, g in zip(todo, guesses, strict=True):
            if g.lang != self.target and g.prob >= self.min_confidence:
                out[i] = {"lang": g.lang, "prob": round(g.prob, 3)}
        return out


def build_pair_filters(
    config: PairsConfig, identifier: LanguageIdentifier | None, target: str, source: str = "fr"
) -> list[PairFilter]:
    """The configured filters, in a fixed order (cheap ones first)."""
    chosen = set(config.filters)
    out: list[PairFilter] = []
    if "empty" in chosen:
        out.append(EmptySideFilter())
    if "han" in chosen:
        out.append(HanLeftFilter())
    if "untranslated" in chosen:
        out.append(UntranslatedFilter())
    if "length_ratio" in chosen:
        out.append(LengthRatioFilter(config.max_length_ratio, config.ratio_min_chars))
    if "numerals" in chosen:
        out.append(NumeralsFilter(source, target))
    if "repetition" in chosen:
        out.append(RepetitionFilter(config.repetition_min_repeats))
    if "terminal_punctuation" in chosen:
        out.append(TerminalPunctuationFilter())
    if "markup" in chosen:
        out.append(MarkupFilter())
    if "language" in chosen and identifier is not None:
        out.append(
            WrongLanguageFilter(
                identifier, target, config.language_min_letters, config.language_min_confidence
            )
        )
    return out


class PairFilterStage(Stage):
    name = "pair_filters"

    def __init__(self, filters: list[PairFilter]) -> None:
        super().__init__()
        self.filters = filters

    def process(self, doc: Document) -> None:
        self.process_batch([doc])

    def process_batch(self, docs: list[Document]) -> None:
        for f in self.filters:
            pairs = [p for doc in docs for p in doc.pairs if p.kept]
            verdicts = f.check_many(pairs)
            for pair, evidence in zip(pairs, verdicts, strict=True):
                if evidence is not None:
                    pair.drop(f.reason, **evidence)
                    self.counts[f.reason] += 1
        self.counts["pairs_kept"] += sum(p.kept for doc in docs for p in doc.pairs)
