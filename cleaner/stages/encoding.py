"""Stage 1: repair the encoding, then normalise punctuation and whitespace.

ftfy's default ``fix_text`` damages correct French (every ``’`` becomes ``'``, full-width
punctuation becomes ASCII: it altered 40 % of clean French lines, FIELD_NOTES). Here only ftfy's
``fix_encoding`` runs, which repaired all single, double and latin-1 mojibake of the field tests
and changed no clean line, and only on lines that a scan of the whole document flags as holding
a possible mojibake pair (UTF-8 read as cp1252 or latin-1): the field notes measured such a
pre-check at 60 MB/s against 1.3 MB/s for ``fix_text`` on every line. HTML entities, which
``fix_encoding`` leaves alone, are decoded separately. CJK punctuation is turned into its French form only outside Chinese spans.
"""

from __future__ import annotations

import bisect
import html
import itertools
import operator
import re
import unicodedata

import ftfy
import regex
from ftfy.fixes import fix_surrogates

from .. import reasons
from ..config import EncodingConfig
from ..document import Document, Line, line_starts, note_cjk_free
from ..script import HAS_CJK, find_cjk_spans, outside_spans
from .base import Stage

# A UTF-8 lead byte (0xC2-0xF4) followed by a continuation byte (0x80-0xBF), both as they look
# when decoded as cp1252 or latin-1; or a C1 control character. Every single or double mojibake
# of non-ASCII UTF-8 contains one of these pairs.
_CP1252_CONTINUATION = "€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ"
MOJIBAKE_HINT = re.compile(f"[\u00c2-\u00f4][\u0080-\u00bf{_CP1252_CONTINUATION}]|[\u0080-\u009f]")
HTML_ENTITY = re.compile(r"&(?:[A-Za-z][A-Za-z0-9]{1,31}|#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6});")

_SURROGATE = re.compile("[\ud800-\udfff]")

# Invisible characters scrapers leave behind (zero-width spaces, BOMs, C0 and C1 controls
# except tab; ftfy has already turned C1 controls that were cp1252 text into characters).
_INVISIBLE_CHARS = "\x00-\x08\x0b-\x1f\x7f-\x9f\u200b\u200c\u200e\u200f\u2060\ufeff"
_INVISIBLE = re.compile(f"[{_INVISIBLE_CHARS}]")
# Spaces to turn into a plain space. NBSP (U+00A0) and narrow NBSP (U+202F) are French
# typography and stay.
_ODD_SPACE_CHARS = "\t\n\r\u1680\u2000-\u200a\u2028\u2029\u205f\u3000"
_ODD_SPACE = re.compile(f"[{_ODD_SPACE_CHARS}]")
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
_NEEDS_SPACE_AFTER = set("。，、：；！？")
_AFTER_WORD = set(".,;:!?»)]")  # an opening bracket after these is spaced from them

# "retour !Exigeant": a ! or ? glued to the next word.
_GLUED = regex.compile(r"(?<=[\p{L}\s][!?]+)(?=\p{Lu}\p{Ll})")


# What any step below would change, looked for with cheap scans rather than one regex with
# alternatives, which the stdlib's engine runs 5-10x slower: characters to repair or normalise,
# and the second half of a mojibake pair (then the character before it is looked at), each a
# single character class; a double space with str.find.
_WORK_CHAR = re.compile(
    f"[\u0080-\u009f\ud800-\udfff&{_INVISIBLE_CHARS}{_ODD_SPACE_CHARS.replace(chr(10), '')}"
    f"!?{re.escape(_CJK_PUNCT_CHARS)}\u00c2\u00c3\u00c5]"
)
# The document scan looks for the second half of a mojibake pair among the continuation
# characters that correct French text rarely uses; the punctuation it uses all the time (NBSP,
# « », °, ·, ’ “ ”, – —, …, •, œ) would make it stop on every line. Mojibake whose every pair
# ends in one of those still starts with Ã, Â or Å in French text (é = Ã©, « = Â«, œ = Å“),
# three letters French does not use in lower case: the work-character scan flags those.
_COMMON_FRENCH_MARKS = (
    "\u00a0\u00ab\u00bb\u00b0\u00b7\u2019\u201c\u201d\u2013\u2014\u2026\u2022\u0153"
)
_RARE_CONTINUATION = "".join(
    c
    for c in [chr(i) for i in range(0x80, 0xC0)] + list(_CP1252_CONTINUATION)
    if c not in _COMMON_FRENCH_MARKS
)
# The rare continuation characters that are not work characters already.
_RARE_CONTINUATION_ONLY = frozenset(c for c in _RARE_CONTINUATION if not _WORK_CHAR.match(c))
# Every character that can make a text not NFC (a mark, a character that composes with the one
# before it, a singleton: whose NFC quick check is not a plain "yes") lies outside these ranges
# (checked over the whole of Unicode 14 with unicodedata): a line holding one gets the NFC
# test, and the document needs no NFC pass of its own.
_NFC_SAFE = (range(0x300), range(0x2002, 0x20D0))


def _maybe_not_nfc(ch: str) -> bool:
    """Whether ``ch`` lies outside the _NFC_SAFE ranges."""
    return ch >= "\u0300" and (ch < "\u2002" or ch >= "\u20d0")


# The document scan: one character class for all it looks for, so that each document is
# scanned once (a class of any size costs the same per character), the hits sorted out
# afterwards: work characters, rare continuations, and every character outside _NFC_SAFE, among
# which are the CJK blocks (script.HAS_CJK; the scan notes the lines free of them for the
# language stage, which then need not scan them again). The class is written as its
# complement, "[^...]": the few hundred characters of _NFC_SAFE that are neither work
# characters nor rare continuations. A class of ranges reaching the end of Unicode would take
# 20 ms to compile (a walk over the whole BMP in Python), and costs a range test more per
# character.
_DOC_SCAN = re.compile(
    "[^"
    + re.escape(
        "".join(
            c
            for c in map(chr, itertools.chain(*_NFC_SAFE))
            if not (_WORK_CHAR.match(c) or c in _RARE_CONTINUATION_ONLY)
        )
    )
    + "]"
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
# entity and glued-punctuation ones, which have cheap tests of their own ("&", "!", "?").
_MOJIBAKE, _SURROGATES, _SPACES, _CJK_MARKS = 1, 2, 4, 8


def _work_kinds() -> dict[str, int]:
    kinds = dict.fromkeys(_class_chars(_INVISIBLE_CHARS + _ODD_SPACE_CHARS), _SPACES)
    for c in map(chr, range(0x80, 0xA0)):  # C1 controls: invisible, and mojibake on their own
        kinds[c] |= _MOJIBAKE
    kinds.update(dict.fromkeys(_class_chars("\ud800-\udfff"), _SURROGATES))
    kinds.update(dict.fromkeys(_CJK_PUNCT_CHARS, _CJK_MARKS))
    return kinds


_KINDS = _work_kinds()
# The second halves of mojibake pairs (apart from C1 controls): mojibake after a first half.
_PAIR_SECOND = frozenset(map(chr, range(0xA0, 0xC0))) | frozenset(_CP1252_CONTINUATION)
_LINE_SCAN = re.compile(
    "["
    + re.escape(
        "".join(sorted(c for c in _KINDS.keys() | _PAIR_SECOND if _KINDS.get(c) != _SURROGATES))
    )
    + "\ud800-\udfff]"
)


def _work_in(text: str) -> int:
    """What the steps of the fix would find to do in ``text``, from one scan of it: a mojibake
    pair or a C1 control (what MOJIBAKE_HINT finds), a lone surrogate, whitespace to replace
    or remove, CJK punctuation. Separate searches, one per step and each over the whole line,
    cost several times more."""
    work = 0
    for m in _LINE_SCAN.finditer(text):
        ch = m.group()
        if ch in _PAIR_SECOND:
            at = m.start()
            if at and "\u00c2" <= text[at - 1] <= "\u00f4":
                work |= _MOJIBAKE
        else:
            work |= _KINDS[ch]
    return work


def _spaces_to_fix(text: str, work: int) -> bool:
    """Whether :func:`normalize_whitespace` would change ``text`` (``work``: its _work_in)."""
    return bool(work & _SPACES) or "  " in text or text[:1].isspace() or text[-1:].isspace()


def repair_encoding(text: str) -> str:
    """Undo mojibake (ftfy's ``fix_encoding``, only where the cheap check flags a pair), pair
    or replace lone surrogates (JSON can carry them; UTF-8 cannot), compose to NFC."""
    if MOJIBAKE_HINT.search(text):
        text = ftfy.fix_encoding(text)  # iterates to its own fixpoint: double mojibake too
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


def normalize_whitespace(text: str) -> str:
    if (
        "  " not in text
        and not text[:1].isspace()
        and not text[-1:].isspace()
        and not _WHITESPACE_WORK.search(text)
    ):
        return text  # most lines
    text = _ODD_SPACE.sub(" ", _INVISIBLE.sub("", text))
    return _MULTI_SPACE.sub(" ", text).strip()


def normalize_cjk_punctuation(text: str) -> str:
    """French forms for CJK punctuation outside Chinese/Japanese/Korean spans."""
    if not _CJK_PUNCT.search(text):
        return text
    spans = find_cjk_spans(text)
    out = []
    pos = 0
    for start, end in outside_spans(text, spans):
        out.append(text[pos:start])
        out.append(_convert_punctuation(text, start, end))
        pos = end
    out.append(text[pos:])
    return "".join(out)


def _convert_punctuation(text: str, start: int, end: int) -> str:
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
        for _ in range(4):
            fixed = self._fix_once(text)
            if fixed == text:
                break
            text = fixed
        return text

    def _fix_once(self, text: str) -> str:
        # The steps in order, each run only when the scan of the current text (redone only
        # after a step has changed it) says it has something to do; a step that runs still
        # checks for itself.
        cfg = self.config
        scanned, work = text, _work_in(text)
        if cfg.fix_mojibake and not text.isascii():
            if work & (_MOJIBAKE | _SURROGATES):
                text = repair_encoding(text)
            elif not unicodedata.is_normalized("NFC", text):  # repair_encoding's last step
                text = unicodedata.normalize("NFC", text)
        if cfg.fix_html_entities and "&" in text:
            text = _unescape(text)
        if text is not scanned:
            scanned, work = text, _work_in(text)
        if _spaces_to_fix(text, work):
            text = normalize_whitespace(text)
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
            text = normalize_whitespace(text)
        return text

    def process(self, doc: Document) -> None:
        max_chars = self.config.max_line_chars
        lines = [line for line in doc.lines if line.kept]
        if lines and max(map(len, [line.text for line in lines])) > max_chars:
            for line in lines:
                if len(line.text) > max_chars:
                    self._drop(line, reasons.LINE_TOO_LONG, chars=len(line.text), limit=max_chars)
            lines = [line for line in lines if line.kept]
        needing_work, holding_cjk = self._scan_document(lines)
        # before any text changes: a line whose text changes is no longer known to be free
        note_cjk_free(lines, holding_cjk)
        for line in needing_work:
            fixed = self.fix(line.text)
            if fixed != line.text:
                self.counts["lines_changed"] += 1
            line.text = fixed
            if not fixed:
                self._drop(line, reasons.EMPTY_LINE)

    @staticmethod
    def _scan_document(lines: list[Line]) -> tuple[list[Line], set[int]]:
        """The lines the fast path cannot clear, and the indexes of the lines holding a
        character of the CJK blocks, found by scanning the whole document at once rather than
        calling regexes line by line (most lines of most pages need nothing)."""
        if not lines:
            return [], set()
        texts = [line.text for line in lines]
        joined = "\n".join(texts)
        starts = line_starts(texts)
        bisect_right = bisect.bisect_right
        flagged: set[int] = set()
        holding_cjk: set[int] = set()
        nfc_tested: set[int] = set()
        for m in _DOC_SCAN.finditer(joined):
            pos = m.start()
            ch = joined[pos]
            if _maybe_not_nfc(ch):
                i = bisect_right(starts, pos) - 1
                if i not in nfc_tested:
                    nfc_tested.add(i)
                    if not unicodedata.is_normalized("NFC", texts[i]):
                        flagged.add(i)
                if ch > "\u10ff" and HAS_CJK.match(ch):
                    holding_cjk.add(i)
                if not (_WORK_CHAR.match(ch) or ch in _RARE_CONTINUATION_ONLY):
                    continue
            if ch in _RARE_CONTINUATION_ONLY and not (
                pos and "\u00c2" <= joined[pos - 1] <= "\u00f4"
            ):
                continue  # the second half of a mojibake pair only after its first half
            i = bisect_right(starts, pos) - 1
            if i in flagged:
                continue
            # "!", "?" and "&" are common in clean text: they mean work only before a glued
            # capital or in an entity, which is checked on the line itself.
            if ch in "!?&" and not (_GLUED if ch != "&" else HTML_ENTITY).search(texts[i]):
                continue
            flagged.add(i)
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
    return _convert_punctuation(text, 0, len(text)) if _CJK_PUNCT.search(text) else text
