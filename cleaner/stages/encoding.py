"""Stage 1: repair the encoding, then normalise punctuation and whitespace.

ftfy's default ``fix_text`` damages correct French (every ``’`` becomes ``'``, full-width
punctuation becomes ASCII: it altered 40 % of clean French lines, FIELD_NOTES). Here only ftfy's
``fix_encoding`` runs, which repaired all single, double and latin-1 mojibake of the field tests
and changed no clean line, and only on lines that a scan of the whole document flags: the field
notes measured such a pre-check at 60 MB/s against 1.3 MB/s for ``fix_text`` on every line. The
scan flags every line ``fix_encoding`` could change (:mod:`cleaner.mojibake` says how), and the
repair adds what ftfy does not do: UTF-8 read through other code pages, GBK or Shift-JIS read
as cp1252, and ``à`` whose no-break space became a space. HTML entities, which
``fix_encoding`` leaves alone, are decoded separately. CJK punctuation is turned into its
French form only outside Chinese spans. Control and format characters are removed (those that
separate words become spaces), and what was repaired or removed is recorded in the line's
``edits``.
"""

from __future__ import annotations

import bisect
import html
import itertools
import operator
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from collections.abc import Set as AbstractSet
from typing import Any

import regex
from ftfy.fixes import fix_surrogates

from .. import reasons
from ..config import EncodingConfig
from ..document import Document, Line, line_starts, note_cjk_free
from ..langid.shortcut import looks_like
from ..mojibake import (
    NEIGHBOURED,
    QUOTES,
    SCAN_CONTEXT,
    SUSPECT_CHARS,
    ftfy_may_change,
    is_suspect,
    looks_broken,
    repair_mojibake,
)
from ..script import HAS_CJK, find_cjk_spans, outside_spans
from .base import Stage

HTML_ENTITY = re.compile(r"&(?:[A-Za-z][A-Za-z0-9]{1,31}|#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6});")

_SURROGATE = re.compile("[\ud800-\udfff]")

# Invisible characters to delete: C0 and C1 controls but the separators below (ftfy has already
# turned C1 controls that were cp1252 text into characters), and format characters that have no
# place in clean text: the soft hyphen, bidi controls (U+061C, U+200E-F, U+202A-E, U+2066-9),
# U+2060-4 (word joiner, invisible operators), U+206A-F, a BOM inside a line, U+FFF9-B.
_CONTROL_CHARS = "\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f"
_FORMAT_CHARS = "\u00ad\u061c\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb"
# Zero-width space, non-joiner and joiner: deleted unless between two characters of a script
# that needs them (Arabic, Indic and South-East Asian scripts; emoji sequences for the joiner).
_ZERO_WIDTH_CHARS = "\u200b-\u200d"
_INVISIBLE_CHARS = _CONTROL_CHARS + _FORMAT_CHARS + _ZERO_WIDTH_CHARS
_INVISIBLE = re.compile(f"[{_CONTROL_CHARS}{_FORMAT_CHARS}]")
_JOINING = (
    r"[\p{Arabic}\p{Syriac}\p{Thaana}\p{Nko}\p{Devanagari}\p{Bengali}\p{Gurmukhi}"
    r"\p{Gujarati}\p{Oriya}\p{Tamil}\p{Telugu}\p{Kannada}\p{Malayalam}\p{Sinhala}\p{Thai}"
    r"\p{Lao}\p{Tibetan}\p{Myanmar}\p{Khmer}\p{Mongolian}\p{Extended_Pictographic}"
    r"\p{Emoji_Modifier}\ufe0f]"
)
_ZERO_WIDTH = regex.compile(
    rf"(?<!{_JOINING})[{_ZERO_WIDTH_CHARS}]|[{_ZERO_WIDTH_CHARS}](?!{_JOINING})"
)
# What the edits record as removed: the controls too (a cp1252 byte no code page defines, read
# as a C1 control, then deleted: "La pr\x81sidente").
_REMOVABLE = re.compile(f"[{_CONTROL_CHARS}{_FORMAT_CHARS}{_ZERO_WIDTH_CHARS}]")
# Spaces to turn into a plain space: tabs, the separators that stand between words (form feed,
# vertical tab, the C0 information separators, NEL, U+2028-9) and wide spaces. NBSP (U+00A0)
# and narrow NBSP (U+202F) are French typography and stay.
_ODD_SPACE_CHARS = "\t\n\x0b\x0c\r\x1c-\x1f\x85\u1680\u2000-\u200a\u2028\u2029\u205f\u3000"
#: Odd spaces become spaces, but for the thin and hair spaces French typography puts inside
#: « », before ; : ! ? and in numbers ("10 000"), which stay as they are (as no-break spaces do).
_ODD_SPACE = re.compile(
    f"[{_ODD_SPACE_CHARS}](?<![«\\d][\u2009\u200a])(?!(?<=[\u2009\u200a])[;:!?»])"
)
_WHITESPACE_WORK = re.compile(f"[{_INVISIBLE_CHARS}{_ODD_SPACE_CHARS}]")
_MULTI_SPACE = re.compile(r" {2,}")

# CJK punctuation → French, as (replacement, space before, space after the mark).
_OPENING = {"「": "«", "『": "«", "《": "«"}
_CLOSING = {"」": "»", "』": "»", "》": "»"}
_SPACED_BEFORE = {"：": ":", "；": ";", "！": "!", "？": "?"}
_PLAIN = {"。": ".", "，": ",", "、": ","}
# Full-width brackets carry their own spacing in CJK type; in French a space goes outside them:
# "dit（en riant）que" -> "dit (en riant) que".
_BRACKET_OPEN = {"（": "(", "【": "["}
_BRACKET_CLOSE = {"）": ")", "】": "]"}
_CJK_PUNCT_CHARS = "".join(
    [*_OPENING, *_CLOSING, *_SPACED_BEFORE, *_PLAIN, *_BRACKET_OPEN, *_BRACKET_CLOSE]
)
_CJK_PUNCT = re.compile(f"[{re.escape(_CJK_PUNCT_CHARS)}]")
#: Each closing mark and its opening one.
_OPENER_OF = {"」": "「", "』": "『", "》": "《", "）": "（", "】": "【"}


def _closes_a_kept_opener(text: str, i: int, kept: AbstractSet[int]) -> bool:
    """Whether the closing mark at ``i`` closes an opening one that a CJK span kept (the
    nearest such opener before it, with no other such closer between)."""
    j = text.rfind(_OPENER_OF[text[i]], 0, i)
    return j in kept and text.find(text[i], j + 1, i) < 0


_NEEDS_SPACE_AFTER = set("。，、：；！？")
_AFTER_WORD = set(".,;:!?»)]")  # an opening bracket after these is spaced from them

# "retour !Exigeant": a ! or ? glued to the next word. The lookahead comes first: the
# lookbehind, which reads a run of marks back, is tried only where a word starts (else a line
# of 100,000 "!" is read back once a position: quadratic).
_GLUED = regex.compile(r"(?=\p{Lu}\p{Ll})(?<=[\p{L}\s][!?]+)")


# What any step below would change, looked for with cheap scans rather than one regex with
# alternatives, which the stdlib's engine runs 5-10x slower: characters to repair or normalise,
# a single character class; a double space with str.find.
_WORK_CHAR = re.compile(
    f"[\u0080-\u009f\ud800-\udfff&{_INVISIBLE_CHARS}{_ODD_SPACE_CHARS.replace(chr(10), '')}"
    f"!?{re.escape(_CJK_PUNCT_CHARS)}\u00c2\u00c3\u00c5]"
)
# The characters that make a line worth the mojibake test (cleaner.mojibake: what ftfy's badness
# regex names, less what correct French uses all the time) and are not work characters: the
# line is tested (needs_repair), not flagged outright. Most lines of French have none.
_SUSPECT_ONLY = frozenset(
    c for c in SUSPECT_CHARS | set(QUOTES + NEIGHBOURED) if not _WORK_CHAR.match(c)
)
# Every character that can make a text not NFC (a mark, a character that composes with the one
# before it, a singleton: whose NFC quick check is not a plain "yes") lies outside these ranges
# (checked over the whole of Unicode 14 with unicodedata): a line holding one gets the NFC
# test, and the document needs no NFC pass of its own.
_NFC_SAFE = (range(0x300), range(0x2002, 0x20D0))


# The document scan: one character class for all it looks for, so that each document is
# scanned once (a class of any size costs the same per character), the hits sorted out
# afterwards: work characters, suspect characters, and every character outside _NFC_SAFE, among
# which are the CJK blocks (script.HAS_CJK; the scan notes the lines free of them for the
# language stage, which then need not scan them again). The class is written as its
# complement, "[^...]": the few hundred characters of _NFC_SAFE that are none of those. A
# class of ranges reaching the end of Unicode would take 20 ms to compile (a walk over the
# whole BMP in Python), and costs a range test more per character. A quote (« » ‘ “ ”) or a
# character such as É or € is a hit only in the contexts of cleaner.mojibake.SCAN_CONTEXT,
# tested by the regex engine right after the class: they are common in French, the contexts
# all but absent.
_DOC_SCAN = re.compile(
    "[^"
    + re.escape(
        "".join(
            c
            for c in map(chr, itertools.chain(*_NFC_SAFE))
            if not (_WORK_CHAR.match(c) or c in _SUSPECT_ONLY)
        )
    )
    + "]"
    + SCAN_CONTEXT
)


def _class_chars(spec: str) -> list[str]:
    """The characters of a character-class body written as characters and ``a-b`` ranges."""
    out: list[str] = []
    i = 0
    while i < len(spec):
        if spec[i + 1 : i + 2] == "-" and i + 2 < len(spec):
            out += map(chr, range(ord(spec[i]), ord(spec[i + 2]) + 1))
            i += 3
        else:
            out.append(spec[i])
            i += 1
    return out


# What the steps of the fix find to do in a line, as bits (see _work_in): every step but the
# entity and glued-punctuation ones, which have cheap tests of their own ("&", "!", "?"), and
# the mojibake test (needs_repair) but for C1 controls.
_MOJIBAKE, _SURROGATES, _SPACES, _CJK_MARKS = 1, 2, 4, 8


def _work_kinds() -> dict[str, int]:
    kinds = dict.fromkeys(_class_chars(_INVISIBLE_CHARS + _ODD_SPACE_CHARS), _SPACES)
    for c in map(chr, range(0x80, 0xA0)):  # C1 controls: invisible, and mojibake on their own
        kinds[c] = kinds.get(c, 0) | _MOJIBAKE
    kinds.update(dict.fromkeys(_class_chars("\ud800-\udfff"), _SURROGATES))
    kinds.update(dict.fromkeys(_CJK_PUNCT_CHARS, _CJK_MARKS))
    return kinds


_KINDS = _work_kinds()
_LINE_SCAN = re.compile(
    "["
    + re.escape("".join(sorted(c for c in _KINDS if _KINDS[c] != _SURROGATES)))
    + "\ud800-\udfff]"
)


def _work_in(text: str) -> int:
    """What the steps of the fix would find to do in ``text``, from one scan of it: a C1
    control, a lone surrogate, whitespace to replace or remove, CJK punctuation. Separate
    searches, one per step and each over the whole line, cost several times more."""
    work = 0
    for m in _LINE_SCAN.finditer(text):
        work |= _KINDS[m.group()]
    return work


def _spaces_to_fix(text: str, work: int) -> bool:
    """Whether :func:`normalize_whitespace` would change ``text`` (``work``: its _work_in)."""
    return bool(work & _SPACES) or "  " in text or text[:1].isspace() or text[-1:].isspace()


def needs_repair(text: str) -> bool:
    """Whether :func:`cleaner.mojibake.repair_mojibake` could change ``text``: it holds a
    suspect character and an ``Ã``, what ftfy could change, or what another code page may
    mend."""
    return is_suspect(text) and ("Ã" in text or looks_broken(text) or ftfy_may_change(text))


def repair_encoding(text: str, edits: dict[str, Any] | None = None) -> str:
    """Undo mojibake (:func:`cleaner.mojibake.repair_mojibake`, only where
    :func:`needs_repair`), pair or replace lone surrogates (JSON can carry them; UTF-8 cannot),
    compose to NFC. What repaired the mojibake goes to ``edits["mojibake"]``."""
    if needs_repair(text):
        text, how = repair_mojibake(text)
        if how is not None and edits is not None:
            edits["mojibake"] = how
    if _SURROGATE.search(text):
        text = fix_surrogates(text)
    if not text.isascii() and not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return text


def fix_mojibake(text: str) -> str:
    """Repair mojibake and HTML entities; a no-op (and cheap) on clean text. Idempotent."""
    if not text.isascii():
        text = repair_encoding(text)
    if "&" in text:
        text = _unescape(text)
    return text


def _unescape(text: str) -> str:
    # Entities can be escaped several times over (&amp;amp;); each round shortens the text.
    while True:
        new = HTML_ENTITY.sub(lambda m: html.unescape(m.group(0)), text)
        if new == text:
            return text
        text = new


def normalize_whitespace(text: str, edits: dict[str, Any] | None = None) -> str:
    """Delete controls and invisible format characters, turn odd spaces and word separators
    into spaces, collapse runs of spaces, strip. The format characters removed go to
    ``edits["removed"]`` (as ``U+00AD``-style code points)."""
    if (
        "  " not in text
        and not text[:1].isspace()
        and not text[-1:].isspace()
        and not _WHITESPACE_WORK.search(text)
    ):
        return text  # most lines
    before = text
    text = _INVISIBLE.sub("", text)
    if "\u200b" in text or "\u200c" in text or "\u200d" in text:
        text = _ZERO_WIDTH.sub("", text)
    if edits is not None and _REMOVABLE.search(before):
        removed = Counter(_REMOVABLE.findall(before))
        removed.subtract(_REMOVABLE.findall(text))
        if +removed:
            names = {f"U+{ord(c):04X}" for c, n in removed.items() if n > 0}
            edits["removed"] = sorted(names.union(edits.get("removed", ())))
    text = _ODD_SPACE.sub(" ", text)
    return _MULTI_SPACE.sub(" ", text).strip()


def normalize_cjk_punctuation(text: str) -> str:
    """French forms for CJK punctuation outside Chinese/Japanese/Korean spans."""
    if not _CJK_PUNCT.search(text):
        return text
    spans = find_cjk_spans(text)
    # the openers the Chinese/Japanese/Korean spans keep: their closers stay the same marks
    kept = {i for s in spans for i in range(s.start, s.end) if text[i] in _OPENER_OF.values()}
    out = []
    pos = 0
    for start, end in outside_spans(text, spans):
        out.append(text[pos:start])
        out.append(_convert_punctuation(text, start, end, kept))
        pos = end
    out.append(text[pos:])
    return "".join(out)


def _convert_punctuation(text: str, start: int, end: int, kept: AbstractSet[int]) -> str:
    # Only the marks are looked at; the text between them is copied as slices. ``out`` holds
    # non-empty pieces only, so its last character is the last character written.
    out: list[str] = []

    def previous() -> str:
        return out[-1][-1] if out else (text[start - 1] if start > 0 else "")

    pos = start
    for m in _CJK_PUNCT.finditer(text, start, end):
        i = m.start()
        if i > pos:
            out.append(text[pos:i])
        pos = i + 1
        ch = text[i]
        nxt = text[i + 1] if i + 1 < len(text) else ""
        if ch in _OPENER_OF and _closes_a_kept_opener(text, i, kept):
            out.append(ch)  # "《星空之外》（Au-delà des étoiles）": the pair stays whole
            continue
        if ch in _OPENING:
            out.append(_OPENING[ch])
            if nxt and not nxt.isspace():
                out.append(" ")
            continue
        if ch in _CLOSING:
            if previous() and not previous().isspace():
                out.append(" ")
            out.append(_CLOSING[ch])
            if nxt.isalnum():
                out.append(" ")
            continue
        if ch in _BRACKET_OPEN:
            if previous().isalnum() or previous() in _AFTER_WORD:
                out.append(" ")
            out.append(_BRACKET_OPEN[ch])
            continue
        if ch in _BRACKET_CLOSE:
            out.append(_BRACKET_CLOSE[ch])
            if nxt.isalnum():
                out.append(" ")
            continue
        if ch in _SPACED_BEFORE:
            if previous() and not previous().isspace():
                out.append(" ")
            out.append(_SPACED_BEFORE[ch])
        else:
            out.append(_PLAIN[ch])
        if ch in _NEEDS_SPACE_AFTER and nxt.isalnum():
            out.append(" ")
    if pos < end:
        out.append(text[pos:end])
    return "".join(out)


def fix_glued_punctuation(text: str) -> str:
    if "!" not in text and "?" not in text:
        return text
    if not _GLUED.search(text):
        return text
    if not HAS_CJK.search(text):
        return _GLUED.sub(" ", text)
    spans = find_cjk_spans(text)
    out = []
    pos = 0
    for start, end in outside_spans(text, spans):
        out.append(text[pos:start])
        out.append(_GLUED.sub(" ", text[start:end]))
        pos = end
    out.append(text[pos:])
    return "".join(out)


#: An elided word, "â" and a vowel or "h": "’" of which a text browser kept only the first
#: byte, read as cp1252 ("lâimage", "sâentraîner", "Câest", "jusquâà", "aujourdâhui"). No
#: French word is an elision's letter, "â" and a vowel ("lâche", "pâte", "câble" have a
#: consonant after it); Vietnamese ("lâu", "cây"), Romanian ("mâine") and Turkish ("dâhil")
#: have such words, so this is done only in a French page (:func:`_french_page`) whose other
#: mojibake was repaired.
LOST_APOSTROPHE = regex.compile(
    r"(?<![\p{L}\p{N}])((?i:[cdjlmnst]|(?:jus|lors|puis|quoi)?qu|aujourd|presqu))"
    r"â(?=[aeiouyhàâäéèêëîïôöùûüœAEIOUYHÀÂÉÈÊÎÔÛ])"
)


def _restore_apostrophes(text: str, edits: dict[str, Any]) -> str:
    fixed, n = LOST_APOSTROPHE.subn("\\1’", text)
    if n:
        edits["apostrophes_restored"] = edits.get("apostrophes_restored", 0) + n
    return fixed


#: The French function-word score (:func:`~cleaner.langid.shortcut.looks_like`) a page's
#: text needs for its apostrophes to be restored, unless it holds several of them.
PAGE_MIN_SCORE = 3
#: Letters of the languages that write "â" after such a letter (Romanian ă ș ț, Turkish ğ ı
#: ş, Vietnamese ơ ư đ and its tones): a page holding one is not French.
_OTHER_LATIN = regex.compile(r"[ăĂșȘțȚşŞţŢğĞıơƠưƯđĐạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]")


def _french_page(lines: list[Line]) -> bool:
    """Whether a page whose mojibake was repaired is French enough for its lost apostrophes
    to be restored: none of another "â" language's letters, and French function words or
    several lost apostrophes ("Quâest-ce quâun code hexadécimal ?" alone)."""
    text = " ".join(line.text for line in lines if line.kept)
    if _OTHER_LATIN.search(text):
        return False
    return looks_like(text, "fr", PAGE_MIN_SCORE) or len(LOST_APOSTROPHE.findall(text)) >= 2


class EncodingFixer(Stage):
    """Repair mojibake and entities, normalise CJK punctuation and whitespace.

    Lines longer than ``max_line_chars`` are dropped first (``line_too_long``); lines left with
    no text are dropped as ``empty_line``.
    """

    name = "encoding"

    def __init__(self, config: EncodingConfig | None = None) -> None:
        super().__init__()
        self.config = config or EncodingConfig()

    def fix(self, text: str) -> str:
        """The whole repair for one line of text, applied until it changes nothing more, so
        that fixing is idempotent (removing a control character can bring two halves of a
        mojibake sequence together, for one)."""
        return self.fix_and_explain(text)[0]

    def fix_and_explain(self, text: str) -> tuple[str, dict[str, Any]]:
        """:meth:`fix`, and what was done that the text alone does not say: the repair that
        undid mojibake (``"mojibake"``: ``"ftfy"``, ``"a_grave"`` or the code page, such as
        ``"cp874"``) and the format characters removed (``"removed"``: ``["U+00AD"]``)."""
        edits: dict[str, Any] = {}
        for _ in range(4):
            fixed = self._fix_once(text, edits)
            if fixed == text:
                break
            text = fixed
        return text, edits

    def _fix_once(self, text: str, edits: dict[str, Any]) -> str:
        # The steps in order, each run only when the scan of the current text (redone only
        # after a step has changed it) says it has something to do; a step that runs still
        # checks for itself. Mojibake is repaired before any whitespace is touched: a space
        # that stood for a no-break space is a clue to it.
        cfg = self.config
        scanned, work = text, _work_in(text)
        if cfg.fix_mojibake and not text.isascii():
            if work & (_MOJIBAKE | _SURROGATES) or needs_repair(text):
                text = repair_encoding(text, edits)
            elif not unicodedata.is_normalized("NFC", text):  # repair_encoding's last step
                text = unicodedata.normalize("NFC", text)
        if cfg.fix_html_entities and "&" in text:
            text = _unescape(text)
        if text is not scanned:
            scanned, work = text, _work_in(text)
        if _spaces_to_fix(text, work):
            text = normalize_whitespace(text, edits)
        if cfg.normalize_cjk_punctuation:
            if text is not scanned:
                scanned, work = text, _work_in(text)
            if work & _CJK_MARKS:
                text = normalize_cjk_punctuation(text)
        if cfg.fix_glued_punctuation:
            text = fix_glued_punctuation(text)
        if text is not scanned:
            scanned, work = text, _work_in(text)
        if _spaces_to_fix(text, work):
            text = normalize_whitespace(text, edits)
        return text

    def process(self, doc: Document) -> None:
        max_chars = self.config.max_line_chars
        lines = [line for line in doc.lines if line.kept]
        if lines and max(map(len, [line.text for line in lines])) > max_chars:
            for line in lines:
                if len(line.text) > max_chars:
                    self._drop(line, reasons.LINE_TOO_LONG, chars=len(line.text), limit=max_chars)
            lines = [line for line in lines if line.kept]
        needing_work, holding_cjk = self._scan_document(lines, self.config.fix_mojibake)
        # before any text changes: a line whose text changes is no longer known to be free
        note_cjk_free(lines, holding_cjk)
        repaired = False
        for line in needing_work:
            fixed, edits = self.fix_and_explain(line.text)
            if fixed != line.text:
                self.counts["lines_changed"] += 1
                if edits:
                    line.edits = {**line.edits, **edits} if line.edits else edits
                    self._count_edits(edits)
                    repaired = repaired or "mojibake" in edits
            line.text = fixed
            if not fixed:
                self._drop(line, reasons.EMPTY_LINE)
        if repaired:
            held = [
                line
                for line in lines
                if line.kept and "â" in line.text and LOST_APOSTROPHE.search(line.text)
            ]
            if held and _french_page(lines):
                self._restore_apostrophes(held)

    def _restore_apostrophes(self, lines: Iterable[Line]) -> None:
        """In a French page whose mojibake was repaired, the "’" a text browser cut to "â" (it
        kept the first of the three bytes E2 80 99, read as cp1252): "lâimage", "Câest",
        "jusquâà" (:data:`LOST_APOSTROPHE`)."""
        for line in lines:
            edits: dict[str, Any] = {}
            line.text = _restore_apostrophes(line.text, edits)
            if edits:
                line.edits = {**line.edits, **edits} if line.edits else edits
                self.counts["apostrophes_restored"] += edits["apostrophes_restored"]

    def _count_edits(self, edits: dict[str, Any]) -> None:
        how = edits.get("mojibake")
        if how is not None:
            self.counts[f"mojibake_{how}"] += 1
        if "removed" in edits:
            self.counts["format_characters_removed"] += 1

    @staticmethod
    def _scan_document(lines: list[Line], mojibake: bool = True) -> tuple[list[Line], set[int]]:
        """The lines the fast path cannot clear, and the indexes of the lines holding a
        character of the CJK blocks, found by scanning the whole document at once rather than
        calling regexes line by line (most lines of most pages need nothing). A line holding
        only a suspect character is flagged if :func:`needs_repair` says so (``mojibake``:
        whether mojibake is repaired at all)."""
        if not lines:
            return [], set()
        texts = [line.text for line in lines]
        joined = "\n".join(texts)
        starts = line_starts(texts)
        bisect_right = bisect.bisect_right
        flagged: set[int] = set()
        suspects: set[int] = set()
        holding_cjk: set[int] = set()
        nfc_tested: set[int] = set()
        searched: set[tuple[int, bool]] = set()  # (line, for an entity) searched in vain
        for m in _DOC_SCAN.finditer(joined):
            pos = m.start()
            ch = joined[pos]
            if ch >= "\u0300" and (ch < "\u2002" or ch >= "\u20d0"):  # outside _NFC_SAFE
                i = bisect_right(starts, pos) - 1
                if i not in nfc_tested:
                    nfc_tested.add(i)
                    if not unicodedata.is_normalized("NFC", texts[i]):
                        flagged.add(i)
                if ch > "\u10ff" and HAS_CJK.match(ch):
                    holding_cjk.add(i)
                if not (_WORK_CHAR.match(ch) or ch in _SUSPECT_ONLY):
                    continue
            i = bisect_right(starts, pos) - 1
            if i in flagged:
                continue
            if ch in _SUSPECT_ONLY:
                suspects.add(i)
            # "!", "?" and "&" are common in clean text: they mean work only before a glued
            # capital or in an entity, which is checked on the line itself, once a line.
            elif ch not in "!?&":
                flagged.add(i)
            elif (i, ch == "&") not in searched:
                if (_GLUED if ch != "&" else HTML_ENTITY).search(texts[i]):
                    flagged.add(i)
                else:
                    searched.add((i, ch == "&"))
        if mojibake:
            flagged.update(i for i in suspects - flagged if needs_repair(texts[i]))
        at = joined.find("  ")
        while at >= 0:
            i = bisect_right(starts, at) - 1
            flagged.add(i)
            at = joined.find("  ", starts[i + 1])  # the next line: one hit per line is enough
        # Empty lines, and lines starting or ending with whitespace: str.strip() returns the
        # line itself when it has none at either edge, so the test runs in C over all lines.
        if not all(texts):
            flagged.update(i for i, t in enumerate(texts) if not t)
        flagged.update(
            itertools.compress(
                range(len(texts)), map(operator.is_not, map(str.strip, texts), texts)
            )
        )
        return [lines[i] for i in sorted(flagged)], holding_cjk

    def _drop(self, line: Line, reason: str, **detail) -> None:
        line.drop(reason, **detail)
        self.counts[reason] += 1


def convert_cjk_punctuation(text: str) -> str:
    """French forms for every CJK punctuation mark in ``text`` (no span is spared): for
    fragments whose letters were translated and whose punctuation is left."""
    return (
        _convert_punctuation(text, 0, len(text), frozenset()) if _CJK_PUNCT.search(text) else text
    )
