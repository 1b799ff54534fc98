"""Markdown scrapes back to text: what a reader of the page sees, as a naive scraper gives it.

Scrapers of the 2020s (html2text, Firecrawl, crawl4ai, Jina Reader, markdownify) write a page
as Markdown: a menu item is ``* [Accueil](/ "Accueil")``, a photo ``![logo](data:image/...)``,
a byline ``Par [Elsa Mourgues](/personne/elsa-mourgues)``. Read as text, every link's address
stays in the clean text and the line model (trained on a page's visible text, one block per
line) sees lines it never learnt. This stage turns each line of a Markdown page into the text
it shows: links into their words, images and rules into nothing (the line is dropped as a
``scraper_leftover``, rule ``markdown_markup``), list bullets, heading marks, quote marks and
emphasis out, backslash escapes undone; an ordered list keeps its number ("2. ..."). The
parsing is markdown-it-py's (CommonMark), line by line, so that every input line stays one
line; link reference definitions anywhere in the page are read first, so that ``[texte][1]``
resolves. HTML entities are left to the encoding stage, which has decoded them already.

Pages are told as Markdown, and their paragraphs joined, by :mod:`cleaner.markdown`
(``[text] markdown``: ``auto``, ``always`` or ``never``).
"""

from __future__ import annotations

import re

from .. import reasons
from ..document import Document, Line
from ..markdown import (
    CELL_BAR,
    DEFINITION,
    DELIMITER_CELL,
    ENVELOPE,
    JINA_LINES,
    MODES,
    TABLE_ROW,
    is_markdown,
    parser,
    plain_row_text,
)
from .base import Stage

#: What a line holding Markdown holds: a bracket, emphasis, a strikethrough, a code span, an
#: escape, an HTML tag or a table's bar, or at its start a list item's, a heading's, a quote's
#: or a rule's mark. A line with none of them shows its own text.
_MAY_HOLD_MARKUP = re.compile(r"[\[\]*_`\\<|~]|^\s*(?:[-+>#=]|\d{1,9}[.)])")
#: What only Jina Reader's envelope holds.
_JINA_MARK = re.compile(r"Markdown Content:\s*$|URL Source:\s*\S")
#: Inline tokens whose content is text the page shows.
_TEXT_TOKENS = frozenset({"text", "code_inline"})
#: Runs of spaces and tabs (not no-break spaces, which French typography puts before "€").
_SPACES = re.compile(r"[ \t]+")
#: Block tokens that show nothing: a thematic break, a code fence's mark, an indented line.
_SILENT_BLOCKS = frozenset({"hr", "fence", "code_block"})


class MarkdownStripper(Stage):
    """Turn the lines of a Markdown page into the text they show; in any other page, its
    tables' rows only (``| a | b |``, as trafilatura writes them)."""

    name = "markdown"

    def __init__(self, mode: str = "auto") -> None:
        super().__init__()
        if mode not in MODES:
            raise ValueError(f"markdown mode must be one of {', '.join(MODES)}, got {mode!r}")
        #: ``[text] markdown``: ``auto`` (pages that look like Markdown), ``always``, ``never``.
        self.mode = mode

    def process(self, doc: Document) -> None:
        if self.mode == "never":
            return
        # told when it was read (its lines then joined may hold fewer links than it did)
        if not doc.metadata.get("markdown") and not is_markdown(
            [ln.text for ln in doc.lines if ln.kept], self.mode
        ):
            self._plain_rows(doc)
            return
        lines = [ln for ln in doc.lines if ln.kept]
        self.counts["markdown_documents"] += 1
        lines = lines[self._envelope(doc, lines) :]
        # the footnotes the page defines: only their marks go out of the text
        env: dict = {_NOTES: _footnote_labels(ln.text for ln in lines)}
        definitions = [ln.text.strip() for ln in lines if DEFINITION.match(ln.text)]
        if definitions:
            parser().parse("\n\n".join(definitions), env)
        titles = _cut_titles([ln.text for ln in lines])
        for i, line in enumerate(lines):
            cut = titles.get(i)
            if cut is not None:
                self._strip(line, env, *cut)
            elif _MAY_HOLD_MARKUP.search(line.text):  # most prose lines hold none
                self._strip(line, env, line.text)

    def _plain_rows(self, doc: Document) -> None:
        """In a page that is not Markdown, the rows of its tables (``| a | b |``, as
        trafilatura writes them) as the text their cells show (:func:`plain_row_text`): a
        paragraph laid out in a table is then no line of bars that reads as a menu."""
        for line in doc.lines:
            if line.kept and "|" in line.text:
                shown = plain_row_text(line.text)
                if shown is not None:
                    self._show(line, shown, {"table"})

    def _envelope(self, doc: Document, lines: list[Line]) -> int:
        """How many of the page's first lines are Jina Reader's envelope (``Title: …``, ``URL
        Source: …``, ``Published Time: …``, ``Markdown Content:``): moved into the document's
        metadata (its title and URL, where it has none, then tell the line model the page's
        headline), as a byline is."""
        if not any(_JINA_MARK.match(line.text) for line in lines[:JINA_LINES]):
            return 0  # a "Description:" atop another page is its own
        n = 0
        for line in lines:
            m = ENVELOPE.match(line.text)
            if m is None:
                break
            field, value = m.group(1).casefold(), m.group(2).strip()
            key = {"title": "title", "url source": "url"}.get(field)
            if key and value and not doc.metadata.get(key):
                doc.metadata[key] = value
            line.drop(reasons.SOURCE_METADATA, field=field, value=value)
            self.counts[reasons.SOURCE_METADATA] += 1
            n += 1
        return n

    def _strip(
        self, line: Line, env: dict, source: str, also: frozenset[str] = frozenset()
    ) -> None:
        """Give ``line`` the text its Markdown ``source`` shows (``also``: the markup taken
        out of it before), or drop it if that is nothing."""
        text, removed = self.shown(source, env) if source else ("", set())
        self._show(line, text, removed | also)

    def _show(self, line: Line, text: str, removed: set[str]) -> None:
        """Give ``line`` the ``text`` it shows once the ``removed`` markup is out, or drop it
        if that is nothing."""
        if text == line.text or (not removed and text == line.text.strip()):
            return
        if not any(c.isalnum() for c in text):
            line.drop(reasons.SCRAPER_LEFTOVER, rule="markdown_markup", markup=sorted(removed))
            self.counts[reasons.SCRAPER_LEFTOVER] += 1
            return
        line.text = text
        edits = {"markdown": sorted(removed)}
        line.edits = {**line.edits, **edits} if line.edits else edits
        self.counts["lines_stripped"] += 1

    def shown(self, text: str, env: dict | None = None) -> tuple[str, set[str]]:
        """The text a Markdown line shows, and the kinds of markup taken out of it."""
        if TABLE_ROW.match(text):
            return self._row_shown(text, env)
        removed: set[str] = set()
        out: list[str] = []
        text = text.strip()
        note = _FOOTNOTE_DEF.match(text)
        if note:  # a footnote's own line: its note stays
            removed.add("footnote")
            text = text[note.end() :]
        env = {} if env is None else env
        for token in parser().parse(text, env):
            if token.type in _SILENT_BLOCKS:
                removed.add(token.type)
            elif token.type == "html_block":
                removed.add("html")
                out.append(_html_text(token.content))
            elif token.type == "list_item_open":
                removed.add("list_marker")
                if token.info:  # an ordered list's number
                    out.append(f"{token.info}{token.markup} ")
            elif token.type in ("heading_open", "blockquote_open"):
                removed.add(token.type.removesuffix("_open"))
            elif token.type == "inline":
                out.append(_inline_text(token.children or [], removed, env.get(_NOTES, ())))
        if not out and not removed:  # a reference definition, read above
            removed.add("definition")
        return _unsplit_link(_SPACES.sub(" ", "".join(out)).strip(), removed), removed

    def _row_shown(self, text: str, env: dict | None) -> tuple[str, set[str]]:
        """A table's row (``| Écoles | 12 M€ |``, one line of a table cut line by line): its
        cells' text, parted by " | " as an extractor writes a row (trafilatura does); the
        row under the header (``|---|:---:|``) shows nothing. A cell is inline Markdown only
        (``- 0,45 %`` is a fall, not a list); empty cells are left out."""
        removed = {"table"}
        cells = CELL_BAR.split(text.strip().strip("|"))
        if all(DELIMITER_CELL.match(cell) for cell in cells):
            return "", removed
        env = {} if env is None else env
        shown = []
        for cell in cells:
            if not cell.strip():
                continue
            tokens = parser().parseInline(cell.strip(), env)
            children = tokens[0].children if tokens else []
            words = _inline_text(children or [], removed, env.get(_NOTES, ()))
            if words := _SPACES.sub(" ", words).strip():
                shown.append(words)
        return " | ".join(shown), removed


#: A link's or image's title that the line's end leaves open (``[Alzheimer](/a "La démence``).
_OPEN_TITLE = re.compile(r'\]\([^\s()\[\]]*\s+"[^"]*$')
#: A footnote's mark in the text (``[^1]``, ``[^note]``): taken out where the page holds the
#: note (``[^abc]`` in a text on regular expressions is no mark)...
_FOOTNOTE = re.compile(r"\[\^([^\]\s]{1,32})\]")
#: ...which opens its own line (``[^1]: Chiffres de la préfecture.``): the note's text stays.
_FOOTNOTE_DEF = re.compile(r"\s*\[\^([^\]\s]{1,32})\]:[ \t]*")
#: Where the page's footnote labels are kept in the parser's ``env``.
_NOTES = "cleaner_footnotes"


def _footnote_labels(texts) -> frozenset[str]:
    """The labels of the footnotes a page's lines define."""
    return frozenset(m.group(1) for text in texts if (m := _FOOTNOTE_DEF.match(text)))


def _drop_marks(text: str, labels, removed: set[str]) -> str:
    """``text`` without the marks of the footnotes ``labels`` names."""

    def mark(m: re.Match) -> str:
        if m.group(1) in labels:
            removed.add("footnote")
            return ""
        return m.group()

    return _FOOTNOTE.sub(mark, text)


#: HTML in a Markdown page (Firecrawl and Jina Reader leave some): a script's or a style's
#: code and a comment show nothing, even where the line ends before they do...
_HTML_HIDDEN = re.compile(r"(?is)<(script|style)\b.*?(?:</\1\s*>|$)|<!--.*?(?:-->|$)")
#: ...an autolink or an e-mail address in angle brackets shows its address...
_AUTOLINK = re.compile(r"<([A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*|[^\s<>@]+@[^\s<>@]+)>")
#: ...the tags of inline elements go out of the words they mark, other tags part words.
_HTML_INLINE_TAG = re.compile(
    r"(?i)</?(?:a|abbr|b|bdi|bdo|cite|code|data|del|dfn|em|font|i|ins|kbd|mark|q|s|samp|small"
    r"|span|strike|strong|sub|sup|time|u|var|wbr)(?=[\s/>])[^<>]*>"
)
_HTML_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?=[\s/>])[^<>]*>")


def _html_text(html: str) -> str:
    """The text an HTML block of a Markdown page shows (its entities are decoded already)."""
    text = _AUTOLINK.sub(r"\1", _HTML_INLINE_TAG.sub("", _HTML_HIDDEN.sub(" ", html)))
    return _HTML_TAG.sub(" ", text).strip()


#: The most lines a title may run on over (html2text writes an <a title> whole).
MAX_TITLE_LINES = 40
_INSIDE_TITLE: tuple[str, frozenset[str]] = ("", frozenset({"link_title"}))


def _cut_titles(texts: list[str]) -> dict[int, tuple[str, frozenset[str]]]:
    """The lines of link titles that run on over several lines (html2text writes a title
    with its line breaks, and such a title is no text of the page): for the line that opens
    one, its text with the title closed; for the lines inside, :data:`_INSIDE_TITLE`; for
    the line that closes it, what follows the title. A title that no line closes within
    :data:`MAX_TITLE_LINES` (:func:`_title_end`) is closed on the line that opens it."""
    out: dict[int, tuple[str, frozenset[str]]] = {}
    i = 0
    while i < len(texts):
        if not _OPEN_TITLE.search(texts[i]):
            i += 1
            continue
        end = _title_end(texts, i)
        if end is None:  # a title no line closes: closed on its own line, the rest left be
            out[i] = (texts[i] + '")', frozenset())
            i += 1
            continue
        out[i] = (texts[i] + '")', frozenset())
        for j in range(i + 1, end):
            out[j] = _INSIDE_TITLE
        out[end] = (texts[end].split('")', 1)[1], _INSIDE_TITLE[1])
        i = end + 1
    return out


def _title_end(texts: list[str], i: int) -> int | None:
    """The line that closes the title line ``i`` opens: the first after it whose first quote
    is the title's closing one (``santé.")``), no line between holding a quote (a title holds
    none: prose such as « il a répondu "nous maintenons") » closes nothing)."""
    for j in range(i + 1, min(i + 1 + MAX_TITLE_LINES, len(texts))):
        quote = texts[j].find('"')
        if quote >= 0:
            return j if texts[j].startswith('")', quote) else None
    return None


def _unsplit_link(text: str, removed: set[str]) -> str:
    """``text`` without what Markdown the parser could not read: the ends of a link that a
    line break cut in two (markdownify keeps the breaks inside ``<a>``), an address after a
    "]" that nothing opened (``Titre](/rubrique/article "Titre")``), a "[" that nothing closes
    at either end, and the ``**`` or ``__`` of emphasis that CommonMark does not take as such
    (html2text writes ``mais **personne ne sera en mesure **de``)."""
    cut = text
    if "[" in cut:
        cut = _OPEN_AT_END.sub("", cut)
        if cut[:1] == "[" and "]" not in cut or cut[:2] == "![" and "]" not in cut:
            cut = cut.lstrip("![")
    if "](" in cut:
        cut = _tail_to_end_cut(_LINK_TAIL.sub("", cut))
    if cut != text:
        removed.add("link")
    if "**" in cut or "__" in cut:
        cut, n = _EMPHASIS_LEFT.subn("", cut)
        if n:
            removed.add("strong")
    return _SPACES.sub(" ", cut).strip() if cut != text else text


_ADDRESS = r"(?:[a-z][a-z0-9+.-]*:|/|#|\.\.?/|www\.)"
#: The end of a link cut from its start: "](address)" or "](address "title")" (an address
#: holds no bracket here: a search from every "](" then stops at the next one, in linear time).
_LINK_TAIL = re.compile(rf'\]\({_ADDRESS}[^\s()\[\]]*(?:\s+"[^"]*")?\)', re.IGNORECASE)
#: Where a link's end starts: "](" and an address.
_TAIL_START = re.compile(rf"\]\({_ADDRESS}", re.IGNORECASE)


def _tail_to_end_cut(text: str) -> str:
    """``text`` without a link's end that runs to the line's end, its address holding spaces
    (html2text leaves them): from the first "](address" on, if the line ends with ")". (One
    search, not a regex ".*\\)$" tried at every "](": that is quadratic on a hostile line.)"""
    stripped = text.rstrip()
    if not stripped.endswith(")"):
        return text
    m = _TAIL_START.search(stripped)
    return stripped[: m.start()] if m else text


#: A link opened at the line's end, its text on the next line.
_OPEN_AT_END = re.compile(r"\s!?\[$|^!?\[$")
_EMPHASIS_LEFT = re.compile(r"\*\*+|(?<!\w)__+|__+(?!\w)")


#: The word (letters or digits) a text ends with, and the one it starts with.
_LAST_WORD = re.compile(r"(?<![^\W_])[^\W_]+$")
_FIRST_WORD = re.compile(r"[^\W_]+(?![^\W_])")
#: French words of one letter ("à**Marseille**", "Il y**a**").
_ONE_LETTER_WORDS = frozenset("àaôy")
#: What follows a number in an ordinal ("2**e**", "1**er**", "XIX*e*").
_ORDINAL_ENDS = frozenset("e er re ère ème eme nd nde d de".split())


def _lost_space(before: str, after: str) -> bool:
    """Whether a scraper lost the space between ``before`` and ``after``, which emphasis or a
    link separates: both are words there, a one-letter word being one of French's (à, a, y),
    a number one next to a word that is not its ordinal's end; not a letter set apart inside
    a word ("**L**e", "ré**é**crire", "**C**GT") nor an ordinal ("2**e**", "XIX*e*")."""
    left, right = _LAST_WORD.search(before), _FIRST_WORD.match(after)
    if left is None or right is None:
        return False
    a, b = left.group(), right.group()
    if a.isdigit() or b.isdigit():
        return not (a.isdigit() and b.isdigit()) and b.casefold() not in _ORDINAL_ENDS
    return _word_alone(a) and _word_alone(b) and not (a.isupper() and b.isupper())


def _word_alone(word: str) -> bool:
    """A word that stands on its own: two letters or more, or a one-letter French word in
    small letters (a capital alone is a drop cap: "**A**lors")."""
    return len(word) >= 2 or word in _ONE_LETTER_WORDS


def _inline_text(children, removed: set[str], notes=frozenset()) -> str:
    """The text of a line's inline tokens. Where emphasis or a link opens or closes between
    two words of two letters or more, the scraper lost a space (html2text writes
    ``pour<strong> éviter`` as ``pour**éviter**``, markdownify ``<em>Wonder Woman </em>est``
    as ``*Wonder Woman*est``): one is put back. Not beside a single letter or a digit: a
    letter set in bold (``**L**e``, ``**C**GT``, ``ré**é**crire``) or an ordinal's
    (``2**e**``, ``XIX*e*``)."""
    parts: list[str] = []
    marked = False  # a mark of emphasis or a link since the last text
    for child in children:
        if child.type in _TEXT_TOKENS:
            text = child.content
            if notes and "[^" in text and child.type == "text":
                text = _drop_marks(text, notes, removed)
            if marked and parts and _lost_space(parts[-1], text):
                parts.append(" ")
            parts.append(text)
            marked = False
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.type in ("image", "html_inline"):
            removed.add(child.type.removesuffix("_inline"))
        elif child.type.endswith(("_open", "_close")):
            removed.add(child.type.removesuffix("_open").removesuffix("_close"))
            marked = True
    return "".join(parts)
