"""Markdown scrapes: telling a page written in Markdown, and where its paragraphs run.

Scrapers of the 2020s (html2text, Firecrawl, crawl4ai, Jina Reader, markdownify) write a page
as Markdown. Such a page is told by its links: lines holding an inline link or image to an
address (``](https://``, ``](/``, ``](#``, ``](data:``, ``](mailto:``) or defining a link
reference (``[1]: https://...``), three of them or a tenth of its lines. Other marks alone do
not make a page Markdown: a scraped page's ``### Titre`` or ``* * *`` is no reason to read its
``*`` and ``_`` as emphasis.

Its paragraphs are CommonMark's: the lines of one paragraph (a wrapped one: html2text wraps at
78 columns by default, markdownify keeps the page source's line breaks) are joined into one
line when the text is read (:func:`paragraph_joins`, used by :mod:`cleaner.io.unwrap`), and
the ``markdown`` stage then turns each line into the text it shows
(:mod:`cleaner.stages.markdown`). The parsing is markdown-it-py's, with GitHub's tables and
strikethrough.
"""

from __future__ import annotations

import functools
import itertools
import re
from typing import Any

MODES = ("auto", "always", "never")

#: An inline link or image to an address, and a link reference definition.
_LINK = re.compile(r"\]\((?:https?:|/|#|\.\.?/|data:|mailto:|www\.)", re.IGNORECASE)
DEFINITION = re.compile(r"^ {0,3}\[[^\]]+\]:\s*(?:https?:|/|#|www\.)", re.IGNORECASE)
#: A hard line break at a line's end (two spaces or a backslash): the next line stays apart.
_HARD_BREAK = re.compile(r"(?: {2,}|\\)$")
#: A table's row, as GitHub, markdownify and trafilatura write it: from a bar to a bar.
TABLE_ROW = re.compile(r"\s*\|.*\|\s*$")
#: A bar between two cells (not one escaped in a cell: ``\|``).
CELL_BAR = re.compile(r"(?<!\\)\|")
#: A cell of the row under a table's header.
DELIMITER_CELL = re.compile(r"\s*:?-+:?\s*$")


def plain_row_text(line: str) -> str | None:
    """What a table's row shows in a page that is not Markdown, or ``None`` for a line that is
    no row: its cells without the bars around them (a bar of a cell's own text, which
    trafilatura escapes, unescaped), empty cells left out, the others parted by " | ". The row
    under a header shows nothing (``""``). trafilatura writes every row so, ``| a | b | ``, a
    cell for each column, empty ones too: a page laid out in a table, as many older news sites
    are, has each of its paragraphs and headlines in bars of its own."""
    if not TABLE_ROW.match(line):
        return None
    inner = line.strip().removeprefix("|").removesuffix("|")
    cells = [cell.strip().replace("\\|", "|") for cell in CELL_BAR.split(inner)]
    if all(DELIMITER_CELL.match(cell) for cell in cells):
        return ""
    return " | ".join(cell for cell in cells if cell)


#: The fewest lines with a link in Markdown that make a page Markdown, or their least share
#: of its lines: a text browser's dump of a page that quotes one Markdown link is no Markdown
#: (its "[image.png]", "*" and "_" are its own), a short record with one link is.
MIN_LINK_LINES = 3
MIN_LINK_SHARE = 0.1
#: How far down Jina Reader's envelope ends ("Title:", "URL Source:", "Published Time:",
#: "Markdown Content:"): a page whose first lines hold its last line is Markdown.
JINA_LINES = 8


def looks_like_markdown(texts: list[str]) -> bool:
    """Whether a page's lines are Markdown: :data:`MIN_LINK_LINES` of them, or
    :data:`MIN_LINK_SHARE` of its lines, link to an address or define a link reference, or
    it opens with Jina Reader's envelope."""
    if "Markdown Content:" in texts[:JINA_LINES]:  # Jina Reader's envelope says so
        return True
    # most pages hold no "]" at all: a test per line, in C
    if not any(map(str.__contains__, texts, itertools.repeat("]"))):
        return False
    joined = "\n".join(texts)
    if "](" not in joined and "]:" not in joined:
        return False
    linking = {joined.count("\n", 0, m.start()) for m in _LINK.finditer(joined)}
    linking |= {i for i, t in enumerate(texts) if "]:" in t and DEFINITION.match(t)}
    lines = sum(1 for t in texts if t.strip())
    return len(linking) >= min(MIN_LINK_LINES, MIN_LINK_SHARE * lines)


def is_markdown(texts: list[str], mode: str) -> bool:
    """Whether to read ``texts`` as Markdown under ``[text] markdown`` = ``mode``."""
    return mode == "always" or (mode == "auto" and looks_like_markdown(texts))


@functools.cache
def parser() -> Any:
    """markdown-it-py's CommonMark parser with tables; entities left to the encoding stage
    (a second decoding would turn a page's "&amp;lt;" into "<"), and every address taken as a
    link's, as it is (nothing is rendered as HTML, so none is unsafe: markdown-it refuses
    "javascript:" and "data:image/svg+xml" ones otherwise)."""
    from markdown_it import MarkdownIt  # only runs that meet Markdown pay for the import

    md = MarkdownIt("commonmark").enable(["table", "strikethrough"]).disable("entity")
    md.validateLink = lambda url: True  # type: ignore[method-assign]
    # an address is never rendered: not normalising it spares a fifth of the parsing
    md.normalizeLink = lambda url: url  # type: ignore[method-assign]
    return md


@functools.cache
def block_parser() -> Any:
    """:func:`parser` reading blocks only (paragraphs, lists, headings), not their inline
    content: twice as fast, and all :func:`paragraph_joins` needs."""
    md = parser().__class__("commonmark").enable(["table", "strikethrough"]).disable("entity")
    md.core.ruler.disable(["inline", "text_join"])
    return md


def paragraph_joins(lines: list[str]) -> list[int]:
    """The lines ``i`` that line ``i + 1`` continues in the same Markdown paragraph: where it
    goes on with a small letter or ``i`` is a wrapped line's length (:func:`_continues`), not
    after a hard line break.
    Scrapers' Markdown is loose: html2text writes a menu's links one per line with no empty
    line between them, and items indented four spaces (which CommonMark reads as a
    paragraph's continuation); those lines stay apart, as the page showed them."""
    joins: list[int] = []
    wrapped = _looks_wrapped(lines)
    if not any(_continues(a, b, wrapped) for a, b in itertools.pairwise(lines)):
        return joins  # no line may go on: nothing to parse for
    for first, last in _chunks(lines):
        dedented = "\n".join(line.lstrip() for line in lines[first:last])
        for token in block_parser().parse(dedented):
            if token.type == "paragraph_open" and token.map and token.map[1] - token.map[0] > 1:
                start, end = first + token.map[0], first + token.map[1]
                joins += [
                    i for i in range(start, end - 1) if _continues(lines[i], lines[i + 1], wrapped)
                ]
    return joins


#: Lines parsed at once: a paragraph never runs over an empty line, so a page is parsed a
#: piece of about this many lines at a time, cut at an empty line (a 50 MB page's tokens
#: would fill gigabytes).
CHUNK_LINES = 5000


def _chunks(lines: list[str]) -> list[tuple[int, int]]:
    """``[first, last)`` ranges of ``lines`` of about :data:`CHUNK_LINES`, each ending after an
    empty line (or at the end)."""
    out, first = [], 0
    while first < len(lines):
        last = min(first + CHUNK_LINES, len(lines))
        while last < len(lines) and lines[last - 1].strip():
            last += 1
        out.append((first, last))
        first = last
    return out


def _continues(line: str, after: str, wrapped: bool = False) -> bool:
    """Whether ``after`` may go on with ``line``'s paragraph: it starts with a small letter,
    or, on a page wrapped at a width (:func:`_looks_wrapped`), ``line`` is as long as a
    wrapped line (:data:`WRAPPED_CHARS`, counted with its links' addresses, as html2text
    counts them, or without them); ``line`` ends with no hard break, neither is a code
    block's (indented 4 spaces) nor a line of Jina Reader's envelope."""
    if _CODE_INDENT.match(line) or _CODE_INDENT.match(after) or _HARD_BREAK.search(line):
        return False
    if ENVELOPE.match(line.lstrip()) or ENVELOPE.match(after.lstrip()):
        return False
    stripped = line.strip()
    if not stripped:
        return False
    if after.lstrip().lstrip("> ")[:1].islower():  # a quotation's line, after its marks
        return True
    return wrapped and _wrap_length(stripped)


def _wrap_length(line: str) -> bool:
    low, high = WRAPPED_CHARS
    if low <= len(line) <= high:
        return True
    return "](" in line and low <= len(_ADDRESSES.sub("]", line)) <= high


def _looks_wrapped(lines: list[str]) -> bool:
    """Whether a page's lines were wrapped at a width: few of them show more than
    :data:`WRAPPED_CHARS` allows (a page written a paragraph a line has many such), and some
    show about that width."""
    shown = [len(_ADDRESSES.sub("]", t).strip()) for t in lines if t.strip()]
    longer = sum(1 for n in shown if n > WRAPPED_CHARS[1])
    about = sum(1 for n in shown if WRAPPED_CHARS[0] <= n <= WRAPPED_CHARS[1])
    return about >= MIN_WRAPPED_LINES and longer <= MAX_LONGER_SHARE * len(shown)


#: The characters a line shows when a wrap cut it, whatever starts the next.
WRAPPED_CHARS = (60, 90)
#: The fewest lines of about that width, and the largest share of longer lines, in a page
#: wrapped at a width.
MIN_WRAPPED_LINES = 3
MAX_LONGER_SHARE = 0.05
#: A link's address and title, which a line shows none of.
_ADDRESSES = re.compile(r'\]\([^()\s]*(?:\s+"[^"]*")?\)')
#: A line of Jina Reader's envelope, at the top of its pages.
ENVELOPE = re.compile(
    r"(Title|URL Source|Published Time|Markdown Content|Warning|Description):\s*(.*)$"
)


_CODE_INDENT = re.compile(r"(?: {4}|\t)\s*[^\s*+\-\d]")
