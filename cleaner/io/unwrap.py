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
a URL). A block of lines between empty ones may be wrapped narrower than the page (a column,
a box): its own width is its longest line's. What continues a line is told in
:func:`_continues`: the same indent, no list item, image or button, and a first word (with
what a no-break space holds to it) that would not have fitted. In a text so wrapped, the
caret lynx writes before a superscript is taken out ("XX^e siècle" -> "XXe siècle", "1^er",
"D^r", "note^(1)"): 612 of the 9,058 dumps of the students' repositories hold one.

Measured on the lynx dumps of the students' repositories against the ``<p>`` paragraphs (80
characters or more) of the same pages' HTML, repositories split in two: the first rules were
written on 12 repositories (657 pages) and read once on the 11 others (610 pages): there, the
lines of a paragraph that stop inside a sentence went from 47,353 of 57,847 (82 %) to 987 of
13,086 (7.5 %); paragraphs whole on one line from 12.0 % to 82.6 %; 122 of 10,558 paragraph
lines held more than their paragraph. A helper then read 20 dumps run through the whole
pipeline (14 of them from those 11 repositories, so what follows is no longer a held-out
figure): a word held to the next by a no-break space was measured alone, a tag indented
deeper or a "(BUTTON)" was glued to a headline, an aside opened by a dash was taken for a
list item. With those rules (:func:`_continues`), on the 11 repositories: 878 of 12,921
lines cut inside a sentence (6.8 %), 83.0 % of the paragraphs whole, 111 of 10,408
paragraph lines with more than their paragraph; on the helper's 20 pages, 12 of 322 article
paragraphs lost and 102 chrome lines kept (11 and 104 before; 18 and 886 not unwrapped).
Joining after a sentence's end too (38 of the helper's 50 missed joins) made 93.6 % of the
paragraphs whole, but the walk then took a page's readers' comments for its article (16 and
166): refused.
paragraph. On the line dataset's 3,046 pages (one text block per line) it unwrapped one page,
which was hard-wrapped, and none of the shipped corpus files.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..markdown import is_markdown, paragraph_joins

#: The widest wrap taken for one (wider lines are paragraphs of their own). 160 until a hunt
#: on 496 lynx dumps of 28 students' repositories found one repository's dumps wrapped at
#: about 200 columns (`lynx -width=200`) left cut mid-sentence; at 320, 9 more of them are
#: unwrapped, and of the line dataset's 3,149 pages (one paragraph per line), 686 rather than
#: 328 have every line within the width, and none is joined: the joins' own tests hold them.
MAX_WIDTH = 320
#: The narrowest.
MIN_WIDTH = 30
#: The fewest joins, and their least share of the non-empty lines, for a text to be wrapped.
#: The share was 0.05 until the same hunt found 7 dumps of 496 (a short article wrapped under
#: 100-300 lines of menus) with 5 to 15 joins on 2.7-4.6 % of their lines, their article cut
#: at every line; at 0.02 they are unwrapped, and still none of the line dataset's pages.
MIN_JOINS = 5
MIN_JOIN_SHARE = 0.02
#: The least share of the joins whose continuation starts with a small letter.
MIN_LOWER_SHARE = 0.5
#: The longest line joining makes: a line that would grow longer stays apart (a text without
#: sentence ends at its line ends would otherwise become one line).
MAX_JOINED_CHARS = 10_000
#: How much narrower than the page a block's own wrap width may be.
BLOCK_SLACK = 12
#: Words longer than this (URLs) do not wrap: a line holding one says nothing of the width.
MAX_WORD_CHARS = 40

#: A list item's mark: "* ", "+ ", "o ", "• ", "1. ", "[3] ", or a dash before anything but
#: a small letter (a dash before one is an aside: "… : compulsion - on s'entraîne").
_ITEM = re.compile(r"(?:[*+o•·#]|\d{1,3}[.)]|\[\d+\])\s|[-–—]\s+(?![a-zàâäçéèêëîïôöùûüÿœæ])")
#: The caret a text browser writes before a superscript ("XX^e siècle", "1^er", "D^r",
#: "note^(1)"), after a letter or digit.
_SUPERSCRIPT = re.compile(r"(?<=[^\W_])\^(?=[^\W\d_]{1,3}\b|\(\d{1,3}\))")
#: What a text browser writes for an image or a button, on a line of its own.
_APART = ("[", "(BUTTON)", "(IMAGE)")
_LETTER = re.compile(r"[^\W\d_]")
_LETTER_OR_DIGIT = re.compile(r"[^\W_]")
_BEFORE_NO_BREAK = {"«", "“", "—", "–", "-", "(", "n°", "N°"}
_AFTER_NO_BREAK = {":", ";", "!", "?", "»", "”", "%", "€", "$"}
_SENTENCE_END = re.compile(r"[.!?…:;»”\"]\s*$")


@dataclass(frozen=True)
class Unwrapped:
    """What :func:`unwrap` did: the wrap width found, how many lines it joined, and for each
    line it made of several, ``(its number, the first and last line it was made of)``
    (numbers from 1)."""

    width: int
    joined: int
    spans: tuple[tuple[int, int, int], ...] = ()
    #: How many carets of the browser's superscripts were taken out ("XX^e" -> "XXe").
    superscripts: int = 0
    #: The lines joined are a Markdown paragraph's (``width`` is then 0).
    markdown: bool = False

    def to_dict(self) -> dict[str, Any]:
        """As ``documents.jsonl`` records it."""
        out: dict[str, Any] = {
            "width": self.width,
            "lines_joined": self.joined,
            "joined": [list(span) for span in self.spans],
            "superscripts": self.superscripts,
        }
        if self.markdown:
            out["markdown"] = True
        return out


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
    out, firsts, made = _joined(lines, set(joins))
    spans = _spans(firsts, len(lines))
    carets = 0
    for n, line in enumerate(out):
        if "^" in line:
            out[n], found = _SUPERSCRIPT.subn("", line)
            carets += found
    return out, Unwrapped(width, made, spans, carets)


def _spans(firsts: list[int], n_lines: int) -> tuple[tuple[int, int, int], ...]:
    """For each line made of several, its number and the first and last it was made of."""
    ends = [*(f - 1 for f in firsts[1:]), n_lines]
    return tuple(
        (n, first, last)
        for n, (first, last) in enumerate(zip(firsts, ends, strict=True), start=1)
        if last > first
    )


def markdown_unwrap(lines: list[str]) -> tuple[list[str], Unwrapped | None]:
    """``lines`` of a Markdown page with each paragraph's lines joined into one
    (:func:`cleaner.markdown.paragraph_joins`), and what was done (None: nothing joined)."""
    joins = paragraph_joins(lines)
    if not joins:
        return lines, None
    # a quotation's lines each start with its marks ("> "): those of the lines going on in
    # the one before are not the text's
    pieces = list(lines)
    for i in joins:
        pieces[i + 1] = _QUOTE_MARKS.sub("", pieces[i + 1])
    out, firsts, made = _joined(pieces, set(joins))
    return out, Unwrapped(0, made, _spans(firsts, len(lines)), markdown=True)


_QUOTE_MARKS = re.compile(r"^\s*(?:>\s?)+")


def unwrap_into(
    lines: list[str], metadata: dict[str, Any], markdown: str = "auto", hard_wrap: bool = True
) -> list[str]:
    """A document's ``lines`` with the paragraphs of a Markdown page joined
    (:func:`markdown_unwrap`; ``markdown``: ``[text] markdown``), else, if ``hard_wrap``,
    hard-wrapped text unwrapped (:func:`unwrap`); what was done recorded in its ``metadata``
    (``unwrapped``). A Markdown page's paragraphs say where its lines go on better than a
    width does: html2text leaves a link's address whole, so its lines wrapped at 78 columns
    run to 120 and more."""
    if is_markdown(lines, markdown):
        metadata["markdown"] = True  # the markdown stage reads the page as such, joined or not
        out, done = markdown_unwrap(lines)
    elif hard_wrap:
        out, done = unwrap(lines)
    else:
        return lines
    if done is None:
        return lines
    metadata["unwrapped"] = done.to_dict()
    return out


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
    """The lines ``i`` that the next line continues (:func:`_continues`), block by block: a
    block (lines between empty ones) may be wrapped narrower than the page (a column, a box):
    its width is its longest line's, but not under ``width`` less :data:`BLOCK_SLACK` (two
    short lines are no wrapped block)."""
    out = []
    floor = width - BLOCK_SLACK
    for start, end in _blocks(lines):
        block_width = max(floor, max(_width_of(lines[i]) for i in range(start, end)))
        for i in range(start, end - 1):
            if _continues(lines[i].rstrip(), lines[i + 1], block_width):
                out.append(i)
    return out


def _continues(here: str, after: str, width: int) -> bool:
    """Whether the line ``after`` continues ``here`` in a text wrapped at ``width``: it is
    indented as ``here`` (or as the text of the list item ``here`` opens), opens no list item
    and stands for no image or button, and its first word (with what a no-break space, which
    a text browser does not break at, holds to it: "« conceptuellement", "195 litres",
    "neutre :") would not have fitted after ``here``. A line without letters ("____") is
    apart, nothing goes on from a rule (a line with neither letter nor digit, "━━━━": w3m
    draws one under each row of a table), and a line starting with a capital after a
    sentence's end is apart too (a paragraph may end with it: joining there took the readers'
    comments of a page for longer prose than its article, which the walk then left out)."""
    rest = after.lstrip()
    indent = len(after) - len(rest)
    item = _ITEM.match(here.lstrip())
    own = len(here) - len(here.lstrip())
    if indent != own and not (item and indent == own + item.end()):
        return False
    if _ITEM.match(rest) or rest.startswith(_APART) or not _LETTER.search(rest):
        return False
    if not item and not _LETTER_OR_DIGIT.search(here):
        return False  # a rule ("━━━━", "____") is no paragraph's line: nothing goes on from it
    if _SENTENCE_END.search(here) and not rest[0].islower():
        return False  # a paragraph may end with its sentence
    return len(here) + 1 + len(_first_word(rest)) > width


def _first_word(text: str) -> str:
    """The first word of ``text`` as a text browser wrapping it saw it: with the next one
    where a no-break space usually joins them (after an opening guillemet, dash or a number;
    before a colon, a semicolon, ! ? or a closing guillemet)."""
    words = text.split(None, 2)
    if len(words) > 1 and (
        words[0] in _BEFORE_NO_BREAK or words[0].isdigit() or words[1] in _AFTER_NO_BREAK
    ):
        return words[0] + " " + words[1]
    return words[0]


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


def _joined(lines: list[str], joins: set[int]) -> tuple[list[str], list[int], int]:
    """The lines with each of ``joins`` (line ``i`` continued by ``i + 1``) made, a line's
    pieces glued once (gluing them one by one costs the square of a long paragraph), and no
    line made longer than :data:`MAX_JOINED_CHARS` (a text with no sentence end at its line
    ends would become one line, which the encoding stage drops as too long): the lines made,
    the number (from 1) of the first line each is made of, and how many joins were made."""
    out: list[str] = []
    firsts: list[int] = []
    pieces: list[str] = []
    size = made = 0
    for i, line in enumerate(lines):
        piece = line.strip()
        if i - 1 in joins and size + 1 + len(piece) <= MAX_JOINED_CHARS:
            pieces.append(piece)
            size += 1 + len(piece)
            made += 1
            continue
        if pieces:
            out.append(_glue(pieces))
        pieces, size = [line], len(line)
        firsts.append(i + 1)
    if pieces:
        out.append(_glue(pieces))
    return out, firsts, made


def _glue(pieces: list[str]) -> str:
    """A line's pieces, with a space between two, but none after a hyphen between two letters
    or digits (a compound or a range cut at its hyphen: "porte-parole", "COVID-19")."""
    if len(pieces) == 1:
        return pieces[0]
    out = [pieces[0].rstrip()]
    for piece in pieces[1:]:
        last = out[-1]
        if not (last.endswith("-") and last[-2:-1].isalnum() and piece[:1].isalnum()):
            out.append(" ")
        out.append(piece)
    return "".join(out)
