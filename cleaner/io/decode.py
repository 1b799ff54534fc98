"""Bytes to text: UTF-8 first, else charset detection limited to the likely encodings.

Text that is mostly UTF-8 (ten non-ASCII characters that are UTF-8 for each byte that is
not) is read as UTF-8 but for its lines that are not UTF-8. A line whose only fault is a last
character a text browser cut at a line break (lynx, wrapping at the byte A0 of "à" or of a
no-break space as at a space, writes C3 or C2 then the break; of Korean "고", EA B3) is
mended, where that character is one the text is written in; any other such line is read as
cp1252 (a "«" pasted in from a Latin-1 page; a line whose "É" lost its second byte, whose
other accents the encoding stage then repairs). Charset detection would have read the whole
file as cp1252, or found nothing and quarantined it.

A character that a wrap at a byte width (``fold -w``) split across a line break, its first
bytes ending one line and the others starting the next, is put back together at the end of
the first line (its other bytes cannot start a line: they are no character on their own).

charset-normalizer restricted to cp1252 / latin-1 / GB18030 guessed 20 of 20 small files here
and ran 7x faster than unrestricted, which guessed 19 of 20 (a 202-byte latin-1 file came out as
cp1250) (FIELD_NOTES). On a few words it guesses GB18030 for cp1252 French ("Le précédent"
read "Le pr閏閐ent": each accented letter and the letter after it make one rare Chinese
character), so a GB18030 guess counts only where its Chinese characters are mostly common ones
(GB2312's). Where no guess counts, the text is read line by line as a mostly-UTF-8 one is, its
lines that are not UTF-8 as cp1252, if its bytes that are not UTF-8 read as Western European
text in cp1252 (accented letters, quotes, dashes); else it is undecodable (French in Mac Roman
would read "sŽcuritŽ").
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


#: Byte-order marks of the wide encodings, UTF-32's first: its little-endian one starts with
#: UTF-16's.
_WIDE_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _what_binary(data: bytes) -> str:
    """What makes ``data`` binary, in words: NUL bytes at every other position or every fourth
    are UTF-16 or UTF-32 text without its byte-order mark."""
    head = data[:8192]
    nuls = [i for i, b in enumerate(head) if b == 0]
    for width, name in ((2, "UTF-16"), (4, "UTF-32")):
        if nuls and len(nuls) * width >= len(head) // 2 and len({i % width for i in nuls}) < width:
            return f"NUL bytes: {name} without a byte-order mark? cleaner reads it with one"
    return "NUL or control bytes"


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
    """Return ``(text, encoding used)``; raise :class:`DecodeError` for binary data and for
    text that no reading fits."""
    from .. import reasons

    if data.startswith(codecs.BOM_UTF8):
        try:
            return data[len(codecs.BOM_UTF8) :].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError:
            pass
    marked = [codec for bom, codec in _WIDE_BOMS if data.startswith(bom)]
    for codec in marked:  # UTF-32's little-endian mark starts with UTF-16's: both are tried
        try:
            return data.decode(codec), codec
        except UnicodeDecodeError:
            pass
    if marked:
        name = marked[-1].upper()
        raise DecodeError(
            reasons.UNDECODABLE,
            f"starts with a {name} byte-order mark but is not valid {name} (cut short?)",
        )
    if looks_binary(data):
        raise DecodeError(reasons.BINARY_CONTENT, f"binary content ({_what_binary(data)})")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    mended, joined = _join_split_characters(data)
    if joined:
        note = f"{joined} character{'s' if joined > 1 else ''} split by a line break joined"
        try:
            return mended.decode("utf-8"), f"utf-8 ({note})"
        except UnicodeDecodeError:
            pass
    mostly = _mostly_utf8(mended, joined)
    if mostly is not None:
        return mostly
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=list(CANDIDATE_ENCODINGS)).best()
    if best is None:
        return _by_line(data, "no candidate encoding fits")
    if best.encoding == "gb18030" and not _common_chinese(str(best)):
        try:
            why = "GB18030 guessed, but its Chinese characters are rare ones"
            return _by_line(data, why, guessed=True)
        except DecodeError:
            pass  # no better reading than the guess
    return str(best), best.encoding


#: A character's first bytes at a line's end and its other bytes at the next line's start.
_SPLIT = re.compile(rb"([\xc2-\xf4][\x80-\xbf]{0,2})(\r?\n)([\x80-\xbf]{1,3})")
_CONTINUATION = bytes(range(0x80, 0xC0))
#: Marks a split may have cut besides letters: quotes, dashes, the ellipsis, the euro, œ.
_JOINABLE_MARKS = frozenset("«»‘’‚“”„–—…•€œŒ°")


def _join_split_characters(data: bytes) -> tuple[bytes, int]:
    """``data`` with each character a line break split put back together before the break,
    and how many: where the text holds a whole UTF-8 character elsewhere and the line before
    the break is UTF-8 up to the cut (a cp1252 "CAFÉ" then a line starting with "•" is C9, a
    break, 95: no split character)."""
    if _SPLIT.search(data) is None:
        return data, 0
    text, whole, _ = _as_utf8(data)
    if whole < 1:
        return data, 0
    written_in = _Scripts(text)
    joined = 0

    def join(m: re.Match[bytes]) -> bytes:
        nonlocal joined
        lead, rest = m.group(1), m.group(3)
        line = data[data.rfind(b"\n", 0, m.start()) + 1 : m.start()].lstrip(_CONTINUATION)
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            return m.group()
        size = 2 if lead[0] < 0xE0 else 3 if lead[0] < 0xF0 else 4
        need = size - len(lead)
        if need < 1 or len(rest) < need:
            return m.group()
        try:
            ch = (lead + rest[:need]).decode("utf-8")
        except UnicodeDecodeError:
            return m.group()
        # a character of the text's scripts, or punctuation: cp1252 "CAFÉ" above "» dit-il"
        # (C9, a break, BB) would be "ɻ"
        if not (written_in.holds(ch) or ch in _JOINABLE_MARKS):
            return m.group()
        joined += 1
        return lead + rest[:need] + m.group(2) + rest[need:]

    return _SPLIT.sub(join, data), joined


def _common_chinese(text: str) -> bool:
    """Whether ``text``, read as GB18030, reads as Chinese: its Chinese characters mostly
    common ones (in GB2312), or their runs not glued to Latin letters. A GB18030 guess for
    cp1252 text gives rare characters inside Latin words ("pr閏閐ent" for "précédent");
    Chinese has rare ones too (a name: "李赟说"), in runs of their own."""
    han = [c for c in text if c >= "\u2e80"]
    rare = 0
    for c in han:
        try:
            c.encode("gb2312")
        except UnicodeEncodeError:
            rare += 1
    if rare <= COMMON_CHINESE_MAX_RARE * len(han):
        return True
    runs = list(_HAN_RUN.finditer(text))
    glued = sum(
        (m.start() > 0 and text[m.start() - 1].isascii() and text[m.start() - 1].isalpha())
        or (m.end() < len(text) and text[m.end()].isascii() and text[m.end()].isalpha())
        for m in runs
    )
    return 2 * glued < len(runs)


_HAN_RUN = re.compile("[\u2e80-\U0002ffff]+")


#: The most rare characters (not in GB2312) a GB18030 reading may hold, as a share of its
#: Chinese characters (Chinese news in GB18030 holds a few: names, traditional forms).
COMMON_CHINESE_MAX_RARE = 0.1


def _by_line(data: bytes, why: str, guessed: bool = False) -> tuple[str, str]:
    """``data`` that no encoding fits as a whole (``why``): read as UTF-8 but for its lines
    that are not, which are read as cp1252 (:func:`_mostly_utf8`, whatever its share of
    UTF-8), where it holds UTF-8 or detection ``guessed`` an encoding (refused), and what they
    read as cp1252 is Western European text (:func:`_western`); else :class:`DecodeError` (Mac
    Roman French or a mangled Japanese page read as cp1252 is not; a file of one single-byte
    code page that detection finds nothing for, Hungarian in Latin-2, stays quarantined)."""
    from .. import reasons

    text, whole, bom = _as_utf8(data)
    if not whole and not guessed:  # no UTF-8 in it, and detection saw no text: as before
        raise DecodeError(reasons.UNDECODABLE, f"not UTF-8, and {why}")
    read, mended, cp1252 = _read_lines(text)
    if not _western(cp1252):
        raise DecodeError(reasons.UNDECODABLE, f"not UTF-8, and {why}")
    if not whole:
        return read, f"cp1252 ({why})"
    return read, _label(bom, 0, mended, len(cp1252))


def _mostly_utf8(data: bytes, joined: int = 0) -> tuple[str, str] | None:
    """``data`` (not UTF-8) read as UTF-8 but for its lines that are not: each such line is
    mended where a text browser cut its last character, else read as cp1252 (the encoding
    stage then repairs what UTF-8 of it became mojibake); and what was done (``joined``: the
    characters :func:`_join_split_characters` put back). ``None`` where ``data`` is not mostly
    UTF-8."""
    text, whole, bom = _as_utf8(data)
    strays = len(text) - whole - len(text.encode("ascii", "ignore"))
    # the bytes of a character cut at a line's end are no strays: a dump may hold hundreds
    inner = strays - sum(len(m.group()) for m in _CUT_STRAYS.finditer(text))
    if whole < MIN_WHOLE_CHARACTERS or whole < WHOLE_PER_STRAY * inner:
        return None
    read, mended, cp1252 = _read_lines(text)
    return read, _label(bom, joined, mended, len(cp1252))


def _as_utf8(data: bytes) -> tuple[str, int, bool]:
    """``data`` decoded as UTF-8, its bytes that are not as lone surrogates
    (``surrogateescape``); how many non-ASCII characters are UTF-8; whether it starts with a
    byte-order mark (left out)."""
    bom = data.startswith(codecs.BOM_UTF8)
    text = data[len(codecs.BOM_UTF8) if bom else 0 :].decode("utf-8", "surrogateescape")
    strays = len(_STRAY.findall(text))
    return text, len(text) - len(text.encode("ascii", "ignore")) - strays, bom


def _read_lines(text: str) -> tuple[str, int, list[bytes]]:
    """``text`` (:func:`_as_utf8`) with each line holding bytes that are not UTF-8 read by
    :func:`_read_line`; how many were mended, and the lines read as cp1252 (their bytes)."""
    written_in = _Scripts(text)
    strays = [m.start() for m in _STRAY.finditer(text)]
    pieces: list[str] = []
    cp1252: list[bytes] = []
    at = mended = 0
    i = 0
    while i < len(strays):
        start = text.rfind("\n", 0, strays[i]) + 1
        end = text.find("\n", strays[i])
        end = len(text) if end < 0 else end
        while i < len(strays) and strays[i] < end:
            i += 1
        raw = text[start:end].encode("utf-8", "surrogateescape")
        line, was_cut = _read_line(raw, written_in)
        mended += was_cut
        if not was_cut:
            cp1252.append(raw)
        pieces += (text[at:start], line)
        at = end
    pieces.append(text[at:])
    return "".join(pieces), mended, cp1252


def _label(bom: bool, joined: int, mended: int, as_cp1252: int) -> str:
    done = []
    for n, what in (
        (joined, "split by a line break joined"),
        (mended, "cut by a line break mended"),
    ):
        if n:
            done.append(f"{n} character{'s' if n > 1 else ''} {what}")
    if as_cp1252:
        done.append(f"{as_cp1252} line{'s' if as_cp1252 > 1 else ''} read as cp1252")
    return f"utf-8{'-sig' if bom else ''} ({', '.join(done)})"


#: The characters beyond ASCII of Western European text: accented letters, quotes, dashes.
_WESTERN = frozenset(
    "àâäáãåçéèêëíìîïñóòôöõøúùûüýÿœæßÀÂÄÁÃÅÇÉÈÊËÍÌÎÏÑÓÒÔÖÕØÚÙÛÜÝŸŒÆ«»‘’“”„–—…°€£§·•\xa0"
)
#: The least share of a text's characters beyond ASCII that must be those.
WESTERN_MIN_SHARE = 0.9
#: Four bytes or more in a row that are not UTF-8, and the largest share of them that may be
#: in such runs.
_STRAY_RUN = re.compile("[\udc80-\udcff]{4,}")
MAX_IN_RUNS = 0.2


def _western(lines: list[bytes]) -> bool:
    """Whether the bytes of ``lines`` that are not UTF-8, read as cp1252, read as Western
    European text: nearly all accented letters, quotes and dashes (Mac Roman French read as
    cp1252 gives "sŽcuritŽ", Chinese "ÖÐ¹ú"; the line's UTF-8 characters are left out, whose
    bytes cp1252 reads as mojibake)."""
    texts = [line.decode("utf-8", "surrogateescape") for line in lines]
    strays = [c for text in texts for c in _STRAY.findall(text)]
    western = sum(_CP1252[ord(c) - 0xDC00] in _WESTERN for c in strays)
    # Greek, Hebrew, Arabic or Russian in a single-byte code page is words of such bytes in a
    # row ("Ï ðñùèõðïõñãüò"); Western text has them one or two at a time ("précédent")
    in_runs = sum(len(run) for text in texts for run in _STRAY_RUN.findall(text))
    return western >= WESTERN_MIN_SHARE * len(strays) and in_runs <= MAX_IN_RUNS * len(strays)


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
