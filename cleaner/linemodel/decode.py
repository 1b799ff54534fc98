"""Page-level decoding: decide a page's lines jointly, not one by one.

A page is read as a walk through four regions: chrome **before** the article, the
**article**'s own lines, chrome **inside** the article (a caption credit, an ad label between
two paragraphs), and chrome **after** it. The walk may only go forward: before → article ⇄
inside → after. Each line's article probability from the line model is turned into an emission
score (the posterior over the prior, as in hybrid HMMs), the transitions are estimated from the
training pages, and the Viterbi algorithm finds the most likely walk. A line is kept when the
walk puts it in the article.

Staying one more line in the chrome after the article costs nothing (it is the region a walk
ends in), and staying in the chrome before it costs only half what the counted transitions
say (:data:`BEFORE_COST_SHARE`). At the full cost, a page whose article comes after hundreds
of lines of menus would have its walk put a one-line "article" at the top and leave for good,
the cheaper path.

Where the page ends counts too, as in any hidden Markov model with an end: the training pages
give, for each region, how often a page ends right after one of its lines (a page far more
often ends in its footer than on an article line), so a line of chrome at the very bottom of a
page is not kept in the article merely because leaving the article costs more than one line's
evidence.

So a short heading between two paragraphs stays (leaving the article for one line and coming
back costs two unlikely transitions), and a long teaser below a comment form goes (the walk
has left the article for good). Every walk goes through the article: a page is never found
to hold no article at all (its most article-like stretch is kept), since a scraped news page
always has one, and losing a whole page costs more than keeping some chrome. And an article is
made of sentences: on a page with a line that ends one, the walk may only leave the article (or
end in it) once it has kept such a line, so a heading is never kept as the whole article while
the page's sentences are dropped.

A line the walk keeps only because leaving the article for it costs more than its evidence (a
photo credit between two paragraphs) is taken out afterwards when the model is sure of it
(:func:`without_sure_chrome`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

BEFORE, ARTICLE, INSIDE, AFTER = range(4)
STATE_NAMES = ("before", "article", "inside", "after")
#: Transitions the walk may take (others are impossible).
ALLOWED = np.array(
    [
        [1, 1, 0, 0],  # before -> before | article
        [0, 1, 1, 1],  # article -> article | inside | after
        [0, 1, 1, 0],  # inside -> article | inside
        [0, 0, 0, 1],  # after -> after
    ],
    dtype=bool,
)
_TINY = 1e-9
#: The share of the counted cost of staying one more line in the chrome before the article that
#: the walk pays (chosen by cross-validation by site on the training pages, among 1, 1/2, 1/4
#: and 0): staying after the article is free, as the region a walk ends in.
BEFORE_COST_SHARE = 0.5
#: The regions a walk may end in: after the article, or still in it (so it went through it).
_ENDS = np.array([-np.inf, 0.0, -np.inf, 0.0])
#: How far each setting of ``[boilerplate] favor`` moves every line's log-odds of being an
#: article line before the walk: a move that keeps the chrome removed above 90 % (the issue's
#: floor) over all the training pages in cross-validation by site (0.9 did not, for one of
#: the models tried). With the shipped model and :data:`SURE_CHROME` (the mean of three fold
#: draws, comment threads cut, on the dataset with its last 20 French training pages): article
#: lines kept 89.7 % -> 93.6 %, chrome removed 93.9 % -> 90.7 % (every draw above 90 %; 0.9 was
#: under in one of three); "precision" is the same move the other way (kept 83.2 %, removed
#: 95.8 %).
FAVOR_SHIFTS = {"precision": -0.8, "balanced": 0.0, "recall": 0.8}
_CAN_END = np.isfinite(_ENDS)
#: A line the line model gives an article probability under this (after ``favor``'s move) is
#: left out of the article even where the walk keeps it: a photo credit or a caption between
#: two paragraphs, which the walk keeps because leaving the article for one line and coming
#: back costs more than that line's evidence. A line that could be a heading is spared (the
#: caller says which), as a heading inside the article should stay: 31-43 % of the title-like
#: lines under the floor on the train pages were article lines (30-34 % of the others), and
#: sparing them costs 0 to 0.0005 of pooled F1. Chosen by cross-validation by site on the
#: train pages among 0 (none), 0.02, 0.05, 0.1 and 0.15: pooled F1 over all pages is best at
#: 0.05 in each of three fold draws (0.8598 -> 0.8604, 0.8556 -> 0.8564, 0.8546 -> 0.8553; per page 0.8382 ->
#: 0.8392, 0.8342 -> 0.8353, 0.8338 -> 0.8350; article lines kept 0.2-0.3 points fewer).
SURE_CHROME = 0.05


@dataclass(frozen=True)
class Walk:
    """The transition and start log-probabilities of the four regions, and the weight of the
    line model's evidence against them."""

    log_start: np.ndarray  # (4,)
    log_trans: np.ndarray  # (4, 4)
    #: Prior share of article lines, to turn posteriors into scaled likelihoods.
    prior: float
    #: Emission weight (1: the model's probabilities as they are).
    weight: float = 1.0
    #: Log-probability, per region, that the page ends right after a line of it (None: a walk
    #: may end after the article or in it at no cost, as model files before this counted).
    log_end: np.ndarray | None = None

    @classmethod
    def from_counts(
        cls,
        starts: np.ndarray,
        transitions: np.ndarray,
        prior: float,
        weight: float,
        ends: np.ndarray | None = None,
    ):
        """From counted starts, transitions and (if given) the regions pages end in, add-one
        smoothed over the allowed moves; a region's end probability is the share of its lines
        that a page ends after."""
        starts = (starts + 1.0) * np.array([1, 1, 0, 0])
        trans = (transitions + 1.0) * ALLOWED
        with np.errstate(divide="ignore"):
            log_start = np.log(starts / starts.sum())
            log_trans = np.log(trans / trans.sum(axis=1, keepdims=True))
            log_end = None
            if ends is not None:
                lines = transitions.sum(axis=1) + ends + 1.0
                log_end = np.log((ends + 1.0) * _CAN_END / lines)
        return cls(log_start, log_trans, prior, weight, log_end)

    def to_dict(self) -> dict:
        d = {
            "start": np.exp(self.log_start).round(6).tolist(),
            "transitions": np.exp(self.log_trans).round(6).tolist(),
            "prior": self.prior,
            "weight": self.weight,
        }
        if self.log_end is not None:
            d["end"] = np.exp(self.log_end).round(6).tolist()
        return d

    @classmethod
    def from_dict(cls, d: dict) -> Walk:
        with np.errstate(divide="ignore"):
            return cls(
                np.log(np.asarray(d["start"], dtype=np.float64)),
                np.log(np.asarray(d["transitions"], dtype=np.float64)),
                float(d["prior"]),
                float(d["weight"]),
                np.log(np.asarray(d["end"], dtype=np.float64)) if "end" in d else None,
            )


def favor_shift(favor: str | float) -> float:
    """The log-odds move of a ``[boilerplate] favor`` setting: a name's
    (:data:`FAVOR_SHIFTS`), or the number itself."""
    return FAVOR_SHIFTS[favor] if isinstance(favor, str) else float(favor)


def shift_odds(probs: np.ndarray, shift: float) -> np.ndarray:
    """``probs`` with their log-odds moved by ``shift`` (0: unchanged)."""
    if not shift:
        return probs
    p = np.clip(probs, _TINY, 1 - _TINY)
    return 1.0 / (1.0 + np.exp(-(np.log(p) - np.log1p(-p) + shift)))


def without_sure_chrome(
    states: np.ndarray,
    walked: np.ndarray,
    probs: np.ndarray,
    spared: np.ndarray,
    sentences: np.ndarray | None = None,
) -> np.ndarray:
    """``states`` with the lines the walk put in the article (``walked``: the walk's own
    states, before the headline pass) whose probability ``probs`` is under
    :data:`SURE_CHROME` taken out of it, but for the ``spared`` ones (those that could be a
    heading); each takes the region its place gives it (before, inside or after the article's
    remaining lines). Nothing is taken out of a page whose article would be left with no line,
    or with no line ending a sentence (``sentences``) where it held one: the walk's own rule."""
    sure = (walked == ARTICLE) & (probs < SURE_CHROME) & ~spared
    article = states == ARTICLE
    left = article & ~sure
    if not sure.any() or not left.any():
        return states
    if sentences is not None and (article & sentences).any() and not (left & sentences).any():
        return states
    out = states.copy()
    kept = np.flatnonzero(left)
    at = np.flatnonzero(sure)
    out[at] = np.where(at < kept[0], BEFORE, np.where(at > kept[-1], AFTER, INSIDE))
    return out


def regions_of(labels: np.ndarray) -> np.ndarray:
    """The region of each line of a labelled page (1 = article line): before the first article
    line, article, inside (a non-article line between two article lines), after the last."""
    labels = np.asarray(labels, dtype=bool)
    states = np.full(len(labels), INSIDE)
    hits = np.flatnonzero(labels)
    if not len(hits):
        return np.full(len(labels), BEFORE)
    states[: hits[0]] = BEFORE
    states[hits[-1] + 1 :] = AFTER
    states[labels] = ARTICLE
    return states


def viterbi(probs: np.ndarray, walk: Walk, sentences: np.ndarray | None = None) -> np.ndarray:
    """The most likely region of each line, given each line's article probability (and, if
    given, which lines end a sentence: see :func:`viterbi_many`)."""
    return viterbi_many([probs], walk, None if sentences is None else [sentences])[0]


#: The walk's six working states: the four regions, with the article and the chrome inside it
#: each twice, before and after the article's first line that ends a sentence.
_B, _A0, _I0, _A1, _I1, _F = range(6)
_REGION = np.array([BEFORE, ARTICLE, INSIDE, ARTICLE, INSIDE, AFTER])
#: Moves between working states whatever the line holds, from (first row) to (second row).
_ALWAYS = (
    [_B, _A0, _I0, _A1, _A1, _A1, _I1, _I1, _F],
    [_B, _I0, _I0, _A1, _I1, _F, _A1, _I1, _F],
)


def _moves(article: int) -> np.ndarray:
    """The moves allowed into a line whose article state is ``article`` (the second article
    state for a line that ends a sentence, the first for any other)."""
    moves = np.zeros((6, 6), dtype=bool)
    moves[_ALWAYS] = True
    moves[[_B, _A0, _I0], article] = True
    return moves


_INTO_OTHER, _INTO_SENTENCE = _moves(_A0), _moves(_A1)


def viterbi_many(
    pages: list[np.ndarray], walk: Walk, sentences: list[np.ndarray] | None = None
) -> list[np.ndarray]:
    """:func:`viterbi` of several pages at once: one step of the recursion covers the same
    line of every page (the per-step cost of numpy is paid once for the whole batch).

    ``sentences`` (one boolean array a page: which lines end a sentence) asks that the article
    hold at least one of them, on a page that has one: an article is made of sentences, and a
    walk that keeps only a heading has taken the heading for it. The few pages whose best walk
    keeps none are walked again over six working states (:data:`_REGION`), which may only leave
    the article, or end in it, once it has kept a sentence."""
    lengths = np.array([len(p) for p in pages], dtype=np.int64)
    if not len(pages) or lengths.max() == 0:
        return [np.zeros(n, dtype=np.int64) for n in lengths]
    probs = np.full((len(pages), int(lengths.max())), 0.5)
    for b, page in enumerate(pages):
        probs[b, : len(page)] = page
    p = np.clip(probs, _TINY, 1 - _TINY)
    article = walk.weight * (np.log(p) - np.log(walk.prior))
    chrome = walk.weight * (np.log1p(-p) - np.log1p(-walk.prior))
    log_trans = walk.log_trans.copy()
    log_trans[BEFORE, BEFORE] *= BEFORE_COST_SHARE
    ends_at = _ENDS if walk.log_end is None else np.where(_CAN_END, walk.log_end, -np.inf)
    emit = np.stack([chrome, article, chrome, chrome], axis=2)  # (pages, lines, 4)
    kinds = np.zeros(probs.shape, dtype=np.int64)
    out = _best_walks(emit, lengths, log_trans[None], kinds, walk.log_start[None], ends_at)
    if sentences is None:
        return out
    again = [
        b for b, (states, s) in enumerate(zip(out, sentences, strict=True))
        if s.any() and not (states[s] == ARTICLE).any()
    ]  # fmt: skip
    if again:
        kinds = np.ones((len(again), probs.shape[1]), dtype=np.int64)
        for row, b in enumerate(again):
            kinds[row, : lengths[b]] = sentences[b]
        emit = emit[again][:, :, _REGION]  # (pages, lines, 6)
        into, start, end = _working(log_trans, walk.log_start, ends_at)
        walks = _best_walks(emit, lengths[again], into, kinds, start, end)
        for b, states in zip(again, walks, strict=True):
            out[b] = _REGION[states]
    return out


def _working(log_trans: np.ndarray, log_start: np.ndarray, ends_at: np.ndarray):
    """The walk's moves into a line of each kind (0: no sentence end, 1: a sentence end), its
    starts on each kind of line and its ends, over the six working states."""
    regional = log_trans[_REGION[:, None], _REGION[None, :]]
    into = np.stack(
        [np.where(_INTO_OTHER, regional, -np.inf), np.where(_INTO_SENTENCE, regional, -np.inf)]
    )
    start = np.full((2, 6), -np.inf)
    start[:, _B] = log_start[BEFORE]
    start[0, _A0] = start[1, _A1] = log_start[ARTICLE]
    end = np.full(6, -np.inf)
    end[_A1], end[_F] = ends_at[ARTICLE], ends_at[AFTER]
    return into, start, end


def _best_walks(emit, lengths, into, kinds, start, end) -> list[np.ndarray]:
    """The Viterbi recursion over a batch of pages: ``emit`` (pages, lines, states) scores each
    line in each state, ``into[k]`` the moves into a line of kind ``k`` (``kinds``: pages,
    lines), ``start[k]`` the first line's states, ``end`` the states a page may end in."""
    pages, width, n_states = emit.shape
    score = start[kinds[:, 0]] + emit[:, 0]  # (pages, states)
    final = np.zeros((pages, n_states))
    back = np.zeros((pages, width, n_states), dtype=np.int64)
    last = lengths - 1
    one_kind = len(into) == 1
    for i in range(width):
        if i:
            moves = into[0] if one_kind else into[kinds[:, i]]
            options = score[:, :, None] + moves  # (pages, from, to)
            back[:, i] = options.argmax(axis=1)
            score = options.max(axis=1) + emit[:, i]
        done = last == i
        if done.any():
            final[done] = score[done] + end
    out = []
    for b, n in enumerate(lengths.tolist()):
        states = np.zeros(n, dtype=np.int64)
        if n:
            states[-1] = int(final[b].argmax())
            for i in range(n - 1, 0, -1):
                states[i - 1] = back[b, i, states[i]]
        out.append(states)
    return out
