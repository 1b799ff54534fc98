"""Hard-wrapped text back into paragraphs: the dumps of text browsers (lynx, w3m, links) and of
tools such as html2text cut every paragraph into lines of at most some 70-80 columns.

A scraped page is read one paragraph per line; a dump cuts each paragraph into several lines
(and a sentence across two), which the line model would score as short lines and the sentence
splitter would cut at every break. A text is taken for hard-wrapped when its lines stop at a
width ``W``: where a line and the first word of the next would not have fitted in ``W``
columns, the next line continues it, if that happens often (:data:`MIN_JOINS` times, on
:data:`MIN_JOIN_SHARE` of the lines) and the continuations often start with a small letter
(:data:`MIN_LOWER_SHARE`: headlines of a list fill lines too, but each starts with a
capital). ``W`` is the length of the longest line holding a space and no word of over
:data:`MAX_WORD_CHARS` characters (a line of wrapped text is longer only when it is one word,
a URL). A line opening a list item ("* ", "+ ", "o ", "- ", "• ", "1. ") or standing for an
image or a button ("[photo.jpg]") is never joined to the one before it, nor a line starting
with a capital to one ending a sentence (a paragraph may end there). A block of lines between empty ones may be wrapped narrower than the
page (a column, a box): its own width is its longest line's.

Measured on the lynx dumps of the students' repositories against the ``<p>`` paragraphs (80
characters or more) of the same pages' HTML, repositories split in two, the rules written on
one half (11 repositories, 657 pages) and read once on the other (12 repositories, 610 pages):
there, the lines of a paragraph that stop inside a sentence went from 47,353 of 57,847 (82 %)
to 987 of 13,086 (7.5 %); paragraphs whole on one line from 12.0 % to 82.6 % (the others cut
where a sentence ends a line); 122 of 10,558 paragraph lines hold more than their paragraph
(a caption or a button glued after it, or two paragraphs). On the line dataset's 3,046 pages
(one text block per line) it unwrapped one page, which was hard-wrapped, and none of the
shipped corpus files.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: The widest wrap taken for one (wider lines are paragraphs of their own).
MAX_WIDTH = 160
#: The narrowest.
MIN_WIDTH = 30
#: The fewest joins, and their least share of the non-empty lines, for a text to be wrapped.
MIN_JOINS = 5
MIN_JOIN_SHARE = 0.05
#: The least share of the joins whose continuation starts with a small letter.
MIN_LOWER_SHARE = 0.5
#: How much narrower than the page a block's own wrap width may be.
BLOCK_SLACK = 12
#: Words longer than this (URLs) do not wrap: a line holding one says nothing of the width.
MAX_WORD_CHARS = 40

_ITEM = re.compile(r"(?:[*+o\-•·–]|\d{1,3}[.)]|\[\d+\])\s")
_SENTENCE_END = re.compile(r"[.!?…:;»”\"]\s*$")


@dataclass(frozen=True)
class Unwrapped:
    """What :func:`unwrap` did: the wrap width found, and how many lines it joined."""

    width: int
    joined: int

    def to_dict(self) -> dict[str, int]:
        """As ``documents.jsonl`` records it."""
        return {"width": self.width, "lines_joined": self.joined}


def unwrap(lines: list[str]) -> tuple[list[str], Unwrapped | None]:
    """``lines`` with each line a hard wrap cut joined to the one before it (with a space),
    and what was done; ``lines`` itself and None where the text is not hard-wrapped."""
    width = wrap_width(lines)
    if width is None:
        return lines, None
    joins = _joins(lines, width)
    nonempty = sum(1 for line in lines if line.strip())
    lower = sum(1 for i in joins if lines[i + 1].lstrip()[:1].islower())
    if len(joins) < MIN_JOINS or len(joins) < MIN_JOIN_SHARE * nonempty:
        return lines, None
    if lower < MIN_LOWER_SHARE * len(joins):
        return lines, None
    out: list[str] = []
    joined = set(joins)
    for i, line in enumerate(lines):
        if i - 1 in joined:
            out[-1] = _glue(out[-1], line.strip())
        else:
            out.append(line)
    return out, Unwrapped(width, len(joins))


def wrap_width(lines: list[str]) -> int | None:
    """The width the text's lines were wrapped at: the length of its longest line holding a
    space between words; None if it is out of :data:`MIN_WIDTH`..:data:`MAX_WIDTH`."""
    # a line of words wider than any wrap (a paragraph of a page read one per line): not
    # wrapped, found among the few long lines before every line is measured
    if any(_width_of(line) > MAX_WIDTH for line in lines if len(line) > MAX_WIDTH):
        return None
    width = max(map(_width_of, lines), default=0)
    return width if MIN_WIDTH <= width <= MAX_WIDTH else None


def _joins(lines: list[str], width: int) -> list[int]:
    """The lines ``i`` that the next line continues: both hold words, the next is indented as
    much or more and opens no list item, and the next line's first word would not have fitted
    after this one within the block's width. A block (lines between empty ones) may be
    wrapped narrower than the page (a column, a box): its width is its longest line's, but
    not under ``width`` less :data:`BLOCK_SLACK` (two short lines are no wrapped block)."""
    out = []
    floor = width - BLOCK_SLACK
    for start, end in _blocks(lines):
        block_width = max(floor, max(_width_of(lines[i]) for i in range(start, end)))
        for i in range(start, end - 1):
            here, after = lines[i].rstrip(), lines[i + 1]
            rest = after.lstrip()
            if len(after) - len(rest) < len(here) - len(here.lstrip()) or _ITEM.match(rest):
                continue
            if (_SENTENCE_END.search(here) and not rest[0].islower()) or rest[0] == "[":
                continue  # a sentence may end a paragraph; "[image.png]", "[BUTTON]" are apart
            if len(here) + 1 + len(rest.split(None, 1)[0]) > block_width:
                out.append(i)
    return out


def _blocks(lines: list[str]) -> list[tuple[int, int]]:
    """``(start, end)`` of each run of lines holding words."""
    out, start = [], None
    for i, line in enumerate(lines):
        if line.strip():
            start = i if start is None else start
        elif start is not None:
            out.append((start, i))
            start = None
    if start is not None:
        out.append((start, len(lines)))
    return out


def _width_of(line: str) -> int:
    """The length of a line that says something of the width (0 for one without a space
    between words, or with a word of over :data:`MAX_WORD_CHARS`)."""
    if " " not in line.strip() or max(map(len, line.split())) > MAX_WORD_CHARS:
        return 0
    return len(line.rstrip())


def _glue(line: str, continuation: str) -> str:
    """``line`` and its ``continuation``: after a hyphen between letters (a compound cut at
    its hyphen) without a space, else with one."""
    if line.endswith("-") and line[-2:-1].isalpha() and continuation[:1].isalpha():
        return line + continuation
    return line.rstrip() + " " + continuation
