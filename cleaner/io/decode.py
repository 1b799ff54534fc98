"""Bytes to text: UTF-8 first, else charset detection limited to the likely encodings.

Text that is UTF-8 but for characters a text browser cut at a line break (lynx, wrapping at
the byte A0 of "à" or of a no-break space as at a space, writes C3 or C2 then the break; of
Korean "고", EA B3) is UTF-8 with them mended, where it holds whole multi-byte characters too;
charset detection would have read the whole file as cp1252.

Text that is UTF-8 but for a few stray bytes (a text browser that dropped the second byte of
"É", a "«" pasted in from a Latin-1 page) is read as UTF-8, each stray byte as cp1252, where
its whole UTF-8 characters outnumber its stray bytes ten to one: charset detection found
nothing (the file was quarantined whole) or read every accent of it as mojibake.

charset-normalizer restricted to cp1252 / latin-1 / GB18030 guessed 20 of 20 small files here
and ran 7x faster than unrestricted, which guessed 19 of 20 (a 202-byte latin-1 file came out as
cp1250) (FIELD_NOTES).
"""

from __future__ import annotations

import codecs
import re

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


#: A two-byte UTF-8 character whose second byte, A0, a text browser took for a no-break space
#: and replaced with its line break (lynx hard-wraps at it): "à" (C3 A0) becomes C3 then the
#: break, which no UTF-8 text holds.
_CUT_BY_A_BREAK = re.compile(rb"(?:[\xc2-\xdf]|[\xe0-\xef][\x80-\xbf])(?=\r?\n)")
#: A multi-byte UTF-8 character whole (strictly: no overlong form, no surrogate): the mended
#: text must hold some; the stray bytes of mostly UTF-8 text are what lies outside them.
_WHOLE_CHARACTER = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}"
    rb"|\xed[\x80-\x9f][\x80-\xbf]|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}"
    rb"|\xf4[\x80-\x8f][\x80-\xbf]{2}"
)
#: Mostly UTF-8: at least this many whole multi-byte characters for each stray byte…
WHOLE_PER_STRAY = 10
#: … and at least this many in all.
MIN_WHOLE_CHARACTERS = 5


def _mend_cut_characters(data: bytes) -> tuple[bytes, int]:
    """``data`` with the A0 put back before each line break that follows a two-byte UTF-8
    lead byte alone ("à" is C3 A0, a no-break space C2 A0, Cyrillic "Р" D0 A0) or the first
    two bytes of a three-byte one (Korean "고" EA B3 A0), and how many were put back; 0, and
    ``data``, where it holds no whole multi-byte character (a cp1252 file whose only bytes
    beyond ASCII end lines, "CAFÉ", is no UTF-8)."""
    if not _WHOLE_CHARACTER.search(data):
        return data, 0
    return _CUT_BY_A_BREAK.subn(lambda m: m.group() + b"\xa0", data)


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
    """``data`` (not UTF-8) read as UTF-8 with its cut characters mended and its stray bytes
    read as cp1252, and what was done; ``None`` where it is not mostly UTF-8."""
    bom = data.startswith(codecs.BOM_UTF8)
    mended, n = _mend_cut_characters(data[len(codecs.BOM_UTF8) :] if bom else data)
    rest = _WHOLE_CHARACTER.sub(b"", mended)  # ASCII and the stray bytes
    stray = len(rest.translate(None, _ASCII))
    whole = _leads(mended) - _leads(rest)  # each whole character has one lead byte
    if whole < MIN_WHOLE_CHARACTERS or whole < WHOLE_PER_STRAY * stray:
        return None
    done = []
    if n:
        done.append(f"{n} character{'s' if n > 1 else ''} cut by a line break mended")
    if stray:
        done.append(f"{stray} stray byte{'s' if stray > 1 else ''} read as cp1252")
    text = mended.decode("utf-8", errors=_STRAY_AS_CP1252)
    return text, f"utf-8{'-sig' if bom else ''} ({', '.join(done)})"


_ASCII = bytes(range(128))
_LEADS = bytes(range(0xC2, 0xF5))


def _leads(data: bytes) -> int:
    return len(data) - len(data.translate(None, _LEADS))


_STRAY_AS_CP1252 = "cleaner.stray-as-cp1252"


def _stray_as_cp1252(error: UnicodeError) -> tuple[str, int]:
    """Decoding error handler: the bytes that are no UTF-8 read as cp1252 (its five undefined
    bytes as the C1 controls Latin-1 reads)."""
    assert isinstance(error, UnicodeDecodeError)
    bad = error.object[error.start : error.end]
    return "".join(_CP1252[b] for b in bad), error.end


_CP1252 = [bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in range(256)]
codecs.register_error(_STRAY_AS_CP1252, _stray_as_cp1252)
