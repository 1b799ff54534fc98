"""Stage 3d: a text browser's own marks, out of the article the line model kept.

lynx, w3m and links dump a page as text with marks of their own for what they cannot show: an
image's file name or alt in brackets (``[photo-3.jpg]``, ``[unsplash-G-jzc1Y]``, ``[IMG]``), a
form button (``(BUTTON) Accepter``, ``[ Submit ]``), an inline frame (``IFRAME: https://…``),
an encyclopedia's edit links (``[modifier | modifier le code]``), an insertion mark
(``[INS: :INS]``), a rule of underscores wider than a short line; and, when the list of links
is on, a number glued before each link's words (``En [107]Chine``) or raised for a footnote
call (``centimètres^[1]``). On 496 lynx dumps of 28 students' repositories, the clean text
kept 693 edit links, 124 button lines, 90 rules, 40 inline frames and 4,023 link numbers; this
stage drops 1,244 lines there, takes marks out of 2,668 more, and changes no other decision.

A kept line made of such marks only is dropped (``scraper_leftover``, ``detail.rule``:
``text_browser_mark``, ``text_browser_button`` for buttons with labels of up to 40 characters,
``text_browser_iframe``, ``no_letters``); the link numbers, and the button marks before a
longer label (an accordion's heading: "(BUTTON) Justifier de garanties d'assurance couvrant sa
responsabilité civile"), are taken out of the kept lines' text (counted as
``link_numbers_removed``, ``buttons_removed``). The stage runs after the line model, which
reads a page with its marks, as it was chosen on: dropping them before it changed its walk
elsewhere on 99 of those dumps, and a reading of the 1,048 lines it then decided otherwise
found it wrong on 629 against 398 (more menus, related blocks and footers kept). A bracketed
text of words without digits (``[Engadget]``, ``[What you need to know…]``) is no mark: of the
line dataset's 50 lines these rules match, none is an article line.

A text browser also writes some lines twice in a row: an image's alt text then its link's
words ("Parc Monceau" twice in a list of parks, a user's name under an avatar), a caption
under an image whose alt is the caption, a headline printed twice. In a text it unwrapped (a
dump), a kept line saying again the kept line right above it (their words, case aside) is
dropped as ``duplicate_copy`` (``detail.repeats_line``): 289 lines on those dumps, read as
repeats. Not in a page read one paragraph per line: there, two equal lines in a row are most
often the page's own (two cells of a table with the same value; a lead the page prints twice:
of the 267 such pairs of the line dataset's train pages that the walk keeps, the gold keeps
both lines of 148 and neither of 64).
"""

from __future__ import annotations

import regex

from .. import reasons
from ..document import Document, Line
from .base import LineFilter
from .boilerplate import _LEFTOVER_RULES

#: One bracketed mark: a file name, a word with a digit or "_" (a link number, an image's
#: generated name), IMG, a padded form button, an edit link, an insertion or deletion mark.
_MARK = (
    r"\[(?:[^\s\[\]]*\.(?:jpe?g|png|gif|svg|webp|bmp|tiff?)(?:\?[^\s\[\]]*)?"
    r"|[^\s\[\]]*[\d_][^\s\[\]]*|IMG|image|INLINE"
    r"|\ [^\[\]]{1,30}\ "
    r"|(?:modifier|edit|éditer|bearbeiten|editar|modifica)\b[^\[\]]{0,40}"
    r"|(?:INS|DEL):[^\[\]]{0,60}:(?:INS|DEL))\]"
)
_RULES = {
    "text_browser_mark": rf"(?i:(?:{_MARK}\s*)+)",
    "text_browser_button": r"(?:\(BUTTON\)\s*)+.{0,40}",
    "text_browser_iframe": r"IFRAME:.*",
    "no_letters": _LEFTOVER_RULES["no_letters"],
}
_LINE = regex.compile("|".join(f"(?P<{name}>(?:{pattern})$)" for name, pattern in _RULES.items()))
#: The lines a rule can match start so (a mark, a button, a frame), or with no letter or digit
#: (a rule of underscores, or of box-drawing characters as w3m draws a table's: "━━━━"):
#: others are not tried.
_STARTS = frozenset("[(I")
#: The longest line tried: a frame's address can be long, a mark's line is not.
_MAX_CHARS = 400
#: A link number glued to the word after it, or raised (after a caret) for a footnote call,
#: and the caret-and-comma between two raised ones ("^[2]^,^[3]"). A bracketed number of four
#: digits before anything but a letter or a digit is a year, not a link: the first edition
#: of a work cited with its edition's ("Proust 1988 [1919], p. 219", "Lakoff (1976 [1963])"),
#: 17 lines of 536 unlabelled French dumps. A call set off by a space before a full stop, a
#: comma or a closing parenthesis ("les émotions négatives [2]. Cultiver") goes with the space.
_LINK_NUMBER = regex.compile(
    r"(?<![ \u00a0\u202f])[ \u00a0\u202f]++(?:(?:\^,?)?\^\[\d{1,4}\]|\[\d{1,3}\])(?=[.,)])"
    r"|(?:\^,?)?\^\[\d{1,4}\]|\[\d{1,3}\](?=[^\s\[\]])|\[\d{4}\](?=[\p{L}\p{N}])"
)
#: A button's mark before a label too long for a button's (an accordion's heading).
_BUTTON = regex.compile(r"\(BUTTON\)\s*")
#: The words a repeat is compared by (not second_copy's content key, which keeps symbols:
#: "[Montagne]" then "⛰ Montagne" is an image's alt then its label).
_WORDS = regex.compile(r"[\p{L}\p{N}]+")
#: What is taken out of a kept line's text: (what it holds then, the pattern, its count).
_TAKEN_OUT = (
    ("[", _LINK_NUMBER, "link_numbers_removed"),
    ("(BUTTON)", _BUTTON, "buttons_removed"),
)


class BrowserMarkFilter(LineFilter):
    """Drop the kept lines made of a text browser's marks only; take its link numbers out of
    the others."""

    name = "browser_marks"

    def process(self, doc: Document) -> None:
        super().process(doc)
        unwrapped = doc.metadata.get("unwrapped")
        if isinstance(unwrapped, dict) and unwrapped.get("width"):
            self._drop_said_twice(doc)

    def _drop_said_twice(self, doc: Document) -> None:
        """In a text browser's dump, drop a kept line that says again the kept line right above
        it (the file's next line that is not empty): an image's alt text then its link's
        words, a headline printed twice."""
        above: tuple[Line, str] | None = None
        for line in doc.lines:
            if not line.text.strip():
                continue
            key = " ".join(_WORDS.findall(line.folded()))
            if line.kept and above is not None and above[0].kept and key and key == above[1]:
                line.drop(reasons.DUPLICATE_COPY, repeats_line=above[0].number)
                self.counts[reasons.DUPLICATE_COPY] += 1
                continue  # a third copy repeats the first, still the line above it
            above = (line, key)

    def check(self, line: Line) -> tuple[str, dict] | None:
        text = line.text
        if (text[:1] in _STARTS or not text[:1].isalnum()) and len(text) <= _MAX_CHARS:
            m = _LINE.match(text)
            if m is not None:
                return reasons.SCRAPER_LEFTOVER, {"rule": m.lastgroup}
        for mark, pattern, counted in _TAKEN_OUT:
            if mark in text:
                stripped, found = pattern.subn("", text)
                if found and stripped.strip():
                    line.text = text = stripped
                    self.counts[counted] += found
        return None
