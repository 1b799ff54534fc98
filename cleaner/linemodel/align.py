"""Labels from a gold text: which lines of a page belong to its article, found by aligning the
page's words with the article's.

What the line dataset of ``corpora/boilerplate`` is built with (each public benchmark page's
lines against the set's gold text), what its benchmark maps an extractor's output back onto the
lines with, and what ``cleaner boilerplate label`` gives users who hold clean versions of their
own pages (a hand-cleaned copy, an extractor's output they checked): the labelled pages that
``cleaner boilerplate train`` learns from.

The page's words and the gold's are matched in order (:class:`difflib.SequenceMatcher` over
word ids, without its junk heuristic). A matched run of :data:`ANCHOR` words or more counts
wherever it is; a shorter one only when it is a whole short line inside the span the long runs
cover (a heading, a list item), so that the gold's common words do not mark a menu. A line is
an article line when at least :data:`LABEL_THRESHOLD` of its words are matched.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Sequence
from typing import Any

#: Matched runs of this many words or more always count.
ANCHOR = 3
#: The share of a line's words that must be matched for it to be an article line.
LABEL_THRESHOLD = 0.5
#: The least share of the gold's words found on the page: below it, the gold is not this
#: page's article.
MIN_GOLD_MATCHED = 0.5

# Han, Hiragana, Katakana, Thai, Lao, Khmer, Myanmar: one token per character.
_CHAR_SCRIPTS = (
    "\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff"
    "\uf900-\ufaff\U00020000-\U0002ffff"
)
_TOKEN = re.compile(rf"[{_CHAR_SCRIPTS}]|[^\W_{_CHAR_SCRIPTS}]+")
# HTML collapses ASCII whitespace only; NBSP and narrow NBSP are kept as they are.
_WS = re.compile(r"[ \t\n\r\f\v]+")


def normalise(text: str) -> str:
    return _WS.sub(" ", unicodedata.normalize("NFKC", text).casefold())


def tokens(text: str) -> list[str]:
    """The words of ``text`` as the alignment compares them: NFKC, case-folded, letters and
    digits (one per character in scripts written without spaces)."""
    return _TOKEN.findall(normalise(text))


def align_coverage(
    lines: Sequence[str], gold: str, titles: Sequence[str] = ()
) -> tuple[list[float], dict[str, Any]]:
    """The share of each line's words matched to ``gold``, and what the alignment found: the
    gold's words (``gold_tokens``), the share of them found (``gold_matched``), and the line
    taken as the headline (``title_line``: a line equal to one of ``titles``, the closest one
    above the article's start, or None)."""
    line_toks = [tokens(line) for line in lines]
    vocab: dict[str, int] = {}
    page_ids, owner = [], []
    for i, toks in enumerate(line_toks):
        for t in toks:
            page_ids.append(vocab.setdefault(t, len(vocab)))
            owner.append(i)
    gold_ids = [vocab.setdefault(t, len(vocab)) for t in tokens(gold)]
    blocks = []
    if page_ids and gold_ids:
        sm = difflib.SequenceMatcher(None, page_ids, gold_ids, autojunk=False)
        blocks = [b for b in sm.get_matching_blocks() if b.size]
    anchors = [b for b in blocks if b.size >= ANCHOR]
    matched, gold_hit = _matched_words(blocks, anchors, owner, line_toks, len(page_ids))
    cov = []
    pos = 0
    for toks in line_toks:
        n = len(toks)
        cov.append(sum(matched[pos : pos + n]) / n if n else 0.0)
        pos += n
    first_art = owner[anchors[0].a] if anchors else None
    title_line = _title_line(line_toks, titles, first_art)
    if title_line is not None:
        cov[title_line] = 1.0
    stats = {
        "gold_tokens": len(gold_ids),
        "page_tokens": len(page_ids),
        "gold_matched": gold_hit / len(gold_ids) if gold_ids else 0.0,
        "title_line": title_line,
    }
    return cov, stats


def _matched_words(blocks, anchors, owner: list[int], line_toks: list[list[str]], n_words: int):
    """Which of the page's words the matching blocks mark (``anchors``: those of
    :data:`ANCHOR` words or more), and how many gold words they cover."""
    lo = anchors[0].a if anchors else 0
    hi = anchors[-1].a + anchors[-1].size if anchors else 0
    line_start: dict[int, int] = {}
    for k, i in enumerate(owner):
        line_start.setdefault(i, k)
    matched = [False] * n_words
    gold_hit = 0
    for b in blocks:
        if b.size >= ANCHOR:
            ok = True
        else:
            # a short match counts only when it is a whole short line inside the article span
            i = owner[b.a]
            n = len(line_toks[i])
            ok = (
                lo <= b.a
                and b.a + b.size <= hi
                and n < ANCHOR
                and n == b.size
                and line_start[i] == b.a
            )
        if ok:
            for k in range(b.a, b.a + b.size):
                matched[k] = True
            gold_hit += b.size
    return matched, gold_hit


def _title_line(
    line_toks: list[list[str]], titles: Sequence[str], first_art: int | None
) -> int | None:
    """The headline: gold often lacks it (or the page repeats it in breadcrumbs, teasers).
    The line equal to a title that lies closest before the article's start (within 40
    lines)."""
    cands: list[int] = []
    for t in titles:
        tt = tokens(t)
        if len(tt) < 2:
            continue
        cands.extend(i for i, toks in enumerate(line_toks) if toks == tt)
    if not cands or first_art is None:
        return None
    before = [i for i in cands if i <= first_art]
    title_line = max(before) if before else min(cands, key=lambda i: abs(i - first_art))
    return None if abs(title_line - first_art) > 40 else title_line


def label_lines(lines: Sequence[str], gold: str) -> tuple[list[int], float]:
    """1 for each line of the page that belongs to ``gold`` (its article), 0 for the others;
    and the share of the gold's words found on the page."""
    cov, stats = align_coverage(lines, gold)
    return [1 if c >= LABEL_THRESHOLD else 0 for c in cov], stats["gold_matched"]
