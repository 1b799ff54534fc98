"""Filters on sentence pairs, each with its reason (OpusFilter's score-then-accept split).

Each filter measures a pair and decides; a dropped pair keeps its evidence and goes to
``rejects.jsonl``. ``[pairs] filters`` chooses which run (``--pair-filters none`` runs none:
useful with synthetic test packages whose output is not real English).
"""

from __future__ import annotations

import abc
from collections.abc import Sequence
from typing import Any

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
    name, reason = "empty", reasons.PAIR_EMPTY

    def check(self, pair: Pair) -> dict[str, Any] | None:
        if not pair.source.strip() or not pair.target.strip():
            return {"side": "source" if not pair.source.strip() else "target"}
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
    config: PairsConfig, identifier: LanguageIdentifier | None, target: str
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
