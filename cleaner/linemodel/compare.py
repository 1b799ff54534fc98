"""How sure a difference in F1 between two cleanings of the same labelled pages is.

Pages of one site are not independent draws: the site's template puts the same chrome on every
one of them, and a model that handles one of its pages handles them all. So the interval
resamples **sites** with replacement, each drawn site bringing all its pages scored by both
cleanings (a paired bootstrap), :data:`DRAWS` times, seeded: the same pages give the same
interval. ``pooled`` F1 counts every line of the drawn pages together; ``per page`` averages
the pages' own F1.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

DRAWS = 2000
SEED = 20241205
VIEWS = ("pooled", "per page")


@dataclass(frozen=True)
class Difference:
    """F1 of one cleaning minus the other's, and its 95 % interval over resampled sites."""

    value: float
    low: float
    high: float
    sites: int

    def __str__(self) -> str:
        return f"{self.value:+.3f} [{self.low:+.3f}, {self.high:+.3f}]"


def page_counts(labels: Iterable[int], kept: Iterable[bool]) -> tuple[int, int, int]:
    """A page's article lines kept, article lines removed and other lines kept."""
    tp = fn = fp = 0
    for label, keep in zip(labels, kept, strict=True):
        if label:
            tp += bool(keep)
            fn += not keep
        else:
            fp += bool(keep)
    return tp, fn, fp


def f1_difference(
    a: Sequence[tuple[int, int, int]],
    b: Sequence[tuple[int, int, int]],
    sites: Sequence[str],
    view: str = "pooled",
) -> Difference:
    """F1 of the cleaning whose :func:`page_counts` are ``a`` minus that of ``b`` (the same
    pages, in the same order, of the given ``sites``), in ``view`` (``pooled`` or
    ``per page``)."""
    if view not in VIEWS:
        raise ValueError(f"view must be one of {', '.join(VIEWS)}, got {view!r}")
    if not (len(a) == len(b) == len(sites)) or not sites:
        raise ValueError("the two cleanings must score the same pages, at least one")
    index = {name: i for i, name in enumerate(sorted(set(sites)))}
    site_of = np.array([index[s] for s in sites])
    rng = np.random.default_rng(SEED)
    draws = rng.multinomial(len(index), np.full(len(index), 1 / len(index)), size=DRAWS)
    weights = np.vstack([np.ones(len(index)), draws])[:, site_of]  # row 0: the pages as given
    diff = _weighted_f1(a, weights, view) - _weighted_f1(b, weights, view)
    low, high = np.percentile(diff[1:], [2.5, 97.5])
    return Difference(float(diff[0]), float(low), float(high), len(index))


def _weighted_f1(counts: Sequence[tuple[int, int, int]], weights: np.ndarray, view: str):
    """F1 under each row of page weights: of the weighted lines (``pooled``), or the weighted
    mean of the pages' F1 (``per page``; 0 for a page with no article line kept)."""
    tp, fn, fp = np.array(counts, dtype=np.float64).reshape(-1, 3).T
    if view == "pooled":
        tp, fn, fp = weights @ tp, weights @ fn, weights @ fp
        return np.divide(2 * tp, 2 * tp + fn + fp, out=np.zeros_like(tp), where=tp > 0)
    page = np.divide(2 * tp, 2 * tp + fn + fp, out=np.zeros_like(tp), where=tp > 0)
    return (weights @ page) / weights.sum(axis=1)
