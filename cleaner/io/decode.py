"""Bytes to text: UTF-8 first, else charset detection limited to the likely encodings.

Text that is mostly UTF-8 (ten non-ASCII characters that are UTF-8 for each byte that is
not) is read as UTF-8 but for its lines that are not UTF-8. A line whose only fault is a last
character a text browser cut at a line break (lynx, wrapping at the byte A0 of "à" or of a
no-break space as at a space, writes C3 or C2 then the break; of Korean "고", EA B3) is
mended, where that character is one the text is written in; any other such line is read as
cp1252 (a "«" pasted in from a Latin-1 page; a line whose "É" lost its second byte, whose
other accents the encoding stage then repairs). Charset detection would have read the whole
file as cp1252, or found nothing and quarantined it.

charset-normalizer restricted to cp1252 / latin-1 / GB18030 guessed 20 of 20 small files here
and ran 7x faster than unrestricted, which guessed 19 of 20 (a 202-byte latin-1 file came out as
cp1250) (FIELD_NOTES).
"""

from __future__ import annotations

import codecs
import re
import unicodedata

CANDIDATE_ENCODINGS = ("cp1252", "latin_1", "gb18030")


class DecodeError(ValueError):
    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


# C0 control bytes other than tab, line feed, form feed and carriage return.
_CONTROLS = bytes(b for b in range(32) if b not in (9, 10, 12, 13))


def looks_binary(data: bytes) -> bool:
    """NUL bytes, or many control characters, in the first 8 KB: not a text file."""
    head = data[:8192]
    if b"\x00" in head:
        return True
    controls = len(head) - len(head.translate(None, _CONTROLS))
    return controls > max(4, len(head) // 50)


#: What a text browser leaves of a character whose last byte, A0, it took for a no-break space
#: and replaced with its line break (lynx hard-wraps at it): a two-byte lead ("à" is C3 A0,
#: a no-break space C2 A0, Cyrillic "Р" D0 A0) or the first two bytes of a three-byte
#: character (Korean "고" is EA B3 A0), just before the break.
_CUT_AT_THE_END = re.compile(rb"(?:[\xc2-\xdf]|[\xe0-\xef][\x80-\xbf])\r?$")
#: Mostly UTF-8: at least this many non-ASCII characters that are UTF-8 for each stray byte…
WHOLE_PER_STRAY = 10
#: … and at least this many in all.
MIN_WHOLE_CHARACTERS = 5
#: The bytes that are no UTF-8, as ``surrogateescape`` decodes them.
_STRAY = re.compile("[\udc80-\udcff]")
#: A cut character at a line's end, as ``surrogateescape`` decodes it (see _CUT_AT_THE_END).
_CUT_STRAYS = re.compile("(?:[\udcc2-\udcdf]|[\udce0-\udcef][\udc80-\udcbf])(?=\r?\n|\r?\\Z)")


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Return ``(text, encoding used)``; raise :class:`DecodeError` for binary or undecodable data."""
    from .. import reasons

    if data.startswith(codecs.BOM_UTF8):
        try:
            return data[len(codecs.BOM_UTF8) :].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError:
            pass
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            pass
    if looks_binary(data):
        raise DecodeError(reasons.BINARY_CONTENT, "binary content (NUL or control bytes)")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    mostly = _mostly_utf8(data)
    if mostly is not None:
        return mostly
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=list(CANDIDATE_ENCODINGS)).best()
    if best is None:
        raise DecodeError(reasons.UNDECODABLE, "not UTF-8, and no candidate encoding fits")
    return str(best), best.encoding


def _mostly_utf8(data: bytes) -> tuple[str, str] | None:
    """``data`` (not UTF-8) read as UTF-8 but for its lines that are not: each such line is
    mended where a text browser cut its last character, else read as cp1252 (the encoding
    stage then repairs what UTF-8 of it became mojibake); and what was done. ``None`` where
    ``data`` is not mostly UTF-8."""
    bom = data.startswith(codecs.BOM_UTF8)
    text = data[len(codecs.BOM_UTF8) if bom else 0 :].decode("utf-8", "surrogateescape")
    strays = [m.start() for m in _STRAY.finditer(text)]
    whole = len(text) - len(text.encode("ascii", "ignore")) - len(strays)
    # the bytes of a character cut at a line's end are no strays: a dump may hold hundreds
    inner = len(strays) - sum(len(m.group()) for m in _CUT_STRAYS.finditer(text))
    if whole < MIN_WHOLE_CHARACTERS or whole < WHOLE_PER_STRAY * inner:
        return None
    written_in = _Scripts(text)
    pieces: list[str] = []
    at = mended = as_cp1252 = 0
    i = 0
    while i < len(strays):
        start = text.rfind("\n", 0, strays[i]) + 1
        end = text.find("\n", strays[i])
        end = len(text) if end < 0 else end
        while i < len(strays) and strays[i] < end:
            i += 1
        line, was_cut = _read_line(text[start:end].encode("utf-8", "surrogateescape"), written_in)
        mended += was_cut
        as_cp1252 += not was_cut
        pieces += (text[at:start], line)
        at = end
    pieces.append(text[at:])
    done = []
    if mended:
        done.append(f"{mended} character{'s' if mended > 1 else ''} cut by a line break mended")
    if as_cp1252:
        done.append(f"{as_cp1252} line{'s' if as_cp1252 > 1 else ''} read as cp1252")
    return "".join(pieces), f"utf-8{'-sig' if bom else ''} ({', '.join(done)})"


def _read_line(raw: bytes, written_in: _Scripts) -> tuple[str, bool]:
    """A line that is not UTF-8: mended (and True) where a text browser cut its last
    character, one of a script the text holds, and it is UTF-8 but for that; else read as
    cp1252 (False)."""
    cut = _CUT_AT_THE_END.search(raw)
    if cut is not None:
        end = cut.end() - raw.endswith(b"\r")
        try:
            line = (raw[:end] + b"\xa0" + raw[end:]).decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            if written_in.holds(line.rstrip("\r")[-1]):
                return line, True
    return read_as_cp1252(raw), False


class _Scripts:
    """Whether a character mended at a line's end is one a text is written in: a no-break
    space, a Latin-1 letter ("à"), or a letter of a script other than Latin that the text's
    other letters are written in ("고" in Korean text: HANGUL); not "ɠ" (C9 A0), which a
    cp1252 "É" at a line's end would give, nor a Cyrillic letter in French text. The
    scripts are read from the first word of the letters' Unicode names, once, when first
    needed."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._scripts: set[str] | None = None

    def holds(self, ch: str) -> bool:
        if ch == "\xa0":
            return True
        if not ch.isalpha():
            return False
        if ch <= "\u00ff":
            return ch >= "\u00c0"
        script = _script(ch)
        if script == "LATIN":
            return False
        if self._scripts is None:
            self._scripts = {_script(c) for c in set(self.text) if c > "\u00ff" and c.isalpha()}
        return script in self._scripts


def _script(ch: str) -> str:
    """The first word of a letter's Unicode name: LATIN, CYRILLIC, HANGUL, CJK…"""
    return unicodedata.name(ch, "").split(" ", 1)[0]


#: Each byte read as cp1252; its five undefined bytes as the C1 controls Latin-1 reads (the
#: encoding stage's repair reads them so: "Ã\x81" is "Á").
_CP1252 = [bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in range(256)]


def read_as_cp1252(data: bytes) -> str:
    """``data`` read as cp1252, its five undefined bytes as C1 controls (never fails)."""
    return "".join(map(_CP1252.__getitem__, data))
