"""Mojibake: which lines ftfy could repair, and the repairs ftfy does not make.

The encoding stage calls ``ftfy.fix_encoding`` only on the lines a cheap scan flags, since ftfy
runs at about 4 MB/s (FIELD_NOTES). For that to lose nothing, the scan must flag every line ftfy
would change. ftfy changes a text only when its badness regex (``ftfy.badness.BADNESS_RE``)
finds something in it, so the scan looks for what that regex needs:

- :data:`SUSPECT_CHARS`: every character named in the regex, less the few that correct French
  uses all the time (:data:`COMMON_FRENCH`: é, è, à, ’, « », …). Every alternative of the
  regex but three needs one of them (``tests/test_mojibake.py`` checks this on ftfy's own
  pattern);
- the three others pair a closing or opening quote with an accented letter (``»é``, ``é»a``,
  ``é»«``): :data:`QUOTE_CONTEXT` finds them, starting from the quote.

A flagged line then passes a second, exact-but-cheap test (:func:`ftfy_may_change`) modelled on
what ``fix_encoding`` tries: a C1 control, the first non-ASCII character starting a UTF-8
sequence in one of ftfy's code pages, or a UTF-8-looking run that is itself bad.

What ftfy does not repair, :func:`repair_code_pages` and :func:`repair_a_grave` do: UTF-8 read
through Cyrillic, Thai, Mac, DOS and Central European code pages, GBK or Shift-JIS read as
cp1252 (ftfy leaves ``Les Г©lГЁves`` and ``Les รฉlรจves`` as they are), and the ``à`` whose
no-break space became a plain space (``voilÃ .``, ``c'est-Ã -dire``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

import ftfy
import ftfy.bad_codecs  # noqa: F401  (registers the sloppy-windows-* codecs)
import regex
from ftfy import chardata
from ftfy.badness import BADNESS_RE, MOJIBAKE_CATEGORIES, is_bad
from ftfy.fixes import replace_lossy_sequences, restore_byte_a0

try:  # the stdlib's regular-expression parser (re._parser since Python 3.11)
    import re._parser as _sre_parse  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover
    import sre_parse as _sre_parse  # type: ignore[no-redef]

#: Characters that correct French text uses all the time: the scan does not stop on them.
COMMON_FRENCH = "àâäçéèêëîïôöùûü’«»“”‘–—…·°\u00a0\u202f"
#: The quotes in the three badness patterns made only of common characters: the scan stops on
#: them only in those patterns' contexts (QUOTE_CONTEXT).
QUOTES = "«»‘“”"
#: Characters frequent enough in French that the scan stops on them only next to one of the
#: characters ftfy's badness regex names but those of its "common" category, such as ’ and the
#: no-break space (every badness pattern holding one puts it there: "L’État" is no hit), or,
#: for œ, before a character that is not an ASCII letter (ftfy's "[Œœ][^A-Za-z]").
NEIGHBOURED = "ÉÀ€œŒ©•"
#: ftfy's lower-case accented letters that are common in French.
_LOWER_ACCENTED = "".join(
    c for c in COMMON_FRENCH if regex.match(f"[{MOJIBAKE_CATEGORIES['lower_accented']}]", c)
)

# --- the characters ftfy's badness regex names -----------------------------------------------


def pattern_chars(pattern: str, flags: int = 0) -> set[str]:
    """Every non-ASCII character a regular expression names (in a class, a range or a
    literal); negated classes and categories (``\\s``, ``\\w``) name none."""
    out: set[str] = set()

    def walk(items: Any) -> None:
        for op, av in items:
            name = str(op)
            if name == "LITERAL":
                out.add(chr(av))
            elif name == "IN":
                if any(str(o) == "NEGATE" for o, _ in av):
                    continue
                for o, a in av:
                    if str(o) == "LITERAL":
                        out.add(chr(a))
                    elif str(o) == "RANGE":
                        out.update(map(chr, range(a[0], a[1] + 1)))
            elif name == "BRANCH":
                for alt in av[1]:
                    walk(alt)
            elif name in ("MAX_REPEAT", "MIN_REPEAT"):
                walk(av[2])
            elif name == "SUBPATTERN":
                walk(av[-1])
            elif name in ("ASSERT", "ASSERT_NOT"):
                walk(av[1])

    walk(_sre_parse.parse(pattern, flags))
    return {c for c in out if c >= "\x80"}


def _code_page_chars(codecs: Iterable[str], low: int, high: int) -> set[str]:
    """The characters that the bytes ``low``..``high`` stand for in each of ``codecs``."""
    out: set[str] = set()
    for codec in codecs:
        for b in range(low, high + 1):
            try:
                out.add(bytes([b]).decode(codec))
            except UnicodeDecodeError:
                pass
    return out


#: Code pages through which UTF-8 is repaired here, word by word where the whole line does not
#: decode (ftfy tries some of them too, but on whole lines, and only when the line looks bad
#: enough to its regex, which ``Les Г©lГЁves`` and ``Å\xa0iauliai et KlaipÄ—da`` do not).
UTF8_THROUGH = (
    "sloppy-windows-1252",
    "cp1251",
    "koi8_r",
    "koi8_u",
    "cp874",
    "mac_roman",
    "cp437",
    "cp850",
    "cp1250",
    "iso8859_2",
)
#: East Asian double-byte encodings whose text was read as cp1252.
DOUBLE_BYTE = ("gbk", "shift_jis")

# The first characters of UTF-8 sequences (bytes C2-F4) read through UTF8_THROUGH, and the
# characters of GBK and Shift-JIS bytes read as cp1252: what a line must hold to be worth
# trying these code pages on, less the letters and signs of correct French.
_FRENCH_LETTERS_AND_SIGNS = set(COMMON_FRENCH + "ÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸœŒæÆÿ€£¥©®™²³½¼¾×÷±§¶•")
FOREIGN_HINT_CHARS = frozenset(
    (_code_page_chars(UTF8_THROUGH, 0xC2, 0xF4) | _code_page_chars(["cp1252"], 0x80, 0xFF))
    - _FRENCH_LETTERS_AND_SIGNS
)

#: Characters whose presence makes a line worth the exact test: those ftfy's badness regex
#: names, C1 controls and U+FFFD, and the hints of other code pages; less COMMON_FRENCH, and
#: less QUOTES and NEIGHBOURED, which count only in context (SCAN_CONTEXT).
SUSPECT_CHARS = (
    frozenset(
        (pattern_chars(BADNESS_RE.pattern, BADNESS_RE.flags) | FOREIGN_HINT_CHARS)
        - set(COMMON_FRENCH + QUOTES + NEIGHBOURED)
    )
    | frozenset(map(chr, range(0x80, 0xA0)))
    | {"\ufffd"}
)

#: The neighbours that make a NEIGHBOURED character a hit.
NEIGHBOURS = frozenset(
    pattern_chars(BADNESS_RE.pattern, BADNESS_RE.flags)
    - set(pattern_chars(f"[{MOJIBAKE_CATEGORIES['common']}]"))
)
_NEIGHBOURS_CLASS = re.escape("".join(sorted(NEIGHBOURS)))

#: What follows a class of SUSPECT_CHARS, QUOTES and NEIGHBOURED in a regex, so that a quote or
#: a neighboured character counts only in its context, tested right after it: a suspect
#: character; a quote in one of the common-character badness patterns (a closing quote before a
#: lower-case accented letter, ``»é``; an accented letter before the quote, ``é»a``, ``é»«``);
#: a neighboured character next to one of NEIGHBOURS, or œ before anything but an ASCII letter.
#: Written to follow the class, so that the regex engine skips to the class at C speed.
SCAN_CONTEXT = (
    f"(?:(?<![{QUOTES}{NEIGHBOURED}])"
    f"|(?<=[{_LOWER_ACCENTED}][{QUOTES}])"
    f"|(?<=[»”])(?=[{_LOWER_ACCENTED}])"
    f"|(?<=[{_NEIGHBOURS_CLASS}][{NEIGHBOURED}])"
    f"|(?<=[{NEIGHBOURED}])(?=[{_NEIGHBOURS_CLASS}])"
    f"|(?<=[Œœ])(?![A-Za-z]))"
)
# Written as one class followed by the contexts: a top-level alternation would make the engine
# try every position.
_SUSPECT_LINE = re.compile(
    f"[{re.escape(''.join(sorted(SUSPECT_CHARS | set(QUOTES + NEIGHBOURED))))}]{SCAN_CONTEXT}"
)


def is_suspect(text: str) -> bool:
    """Whether ``text`` holds a suspect character, or a quote or neighboured character in its
    context: what every match of ftfy's badness regex holds (the line-level form of the
    encoding stage's document scan)."""
    return _SUSPECT_LINE.search(text) is not None


# --- the exact test ----------------------------------------------------------------------------


def _followers() -> dict[str, dict[str, frozenset[str]]]:
    """For each of ftfy's code pages, each character that starts a UTF-8 sequence there and
    the characters that may follow it for ``fix_encoding`` to decode it: the continuation bytes
    (80-BF); a space after the leads whose A0 ftfy puts back (its ALTERED_UTF8_RE and
    A_GRAVE_WORD_RE); "?" and U+FFFD (byte 1A in its sloppy codecs) where a lost byte can be
    (LOSSY_UTF8_RE); byte 80 alone after C0 (``utf-8-variants``' encoded NUL)."""
    out: dict[str, dict[str, frozenset[str]]] = {}
    for codec in chardata.CHARMAP_ENCODINGS:
        table = {b: bytes([b]).decode(codec) for b in range(0x80, 0x100)}
        cont = {table[b] for b in range(0x80, 0xC0)}
        lossy = {"\ufffd", "\x1a"} if codec.startswith("sloppy") else set()
        leads: dict[str, frozenset[str]] = {table[0xC0]: frozenset({table[0x80]})}
        for b in range(0xC2, 0xF5):
            following = cont | lossy
            if b in (0xC2, 0xC3, 0xC5, 0xCE, 0xD0, 0xD9, 0xE2, 0xE3, 0xF0):
                following = following | {" "}
            if b in (0xC2, 0xC3) or b >= 0xE0:
                following = following | {"?"}
            leads[table[b]] = frozenset(following)
        out[codec] = leads
    return out


_FOLLOWERS = _followers()
_C1 = re.compile("[\x80-\x9f]")
_FIRST_NON_ASCII = re.compile("[^\x00-\x7f\ufffd]")
# A UTF-8-looking run (ftfy's UTF8_DETECTOR_RE without its look-behind, written to start with
# a class so that it is fast): only where one is found is ftfy's own regex run.
_CLUES = chardata.UTF8_CLUES
_FIRSTS = _CLUES["utf8_first_of_2"] + _CLUES["utf8_first_of_3"] + _CLUES["utf8_first_of_4"]
_UTF8_LOOKING = re.compile(
    f"[{_FIRSTS}](?:(?<=[{_CLUES['utf8_first_of_2']}])[{_CLUES['utf8_continuation']}]"
    f"|(?<=[{_CLUES['utf8_first_of_3']}])[{_CLUES['utf8_continuation']}]{{2}}"
    f"|(?<=[{_CLUES['utf8_first_of_4']}])[{_CLUES['utf8_continuation']}]{{3}})"
)


def _decodes_whole(text: str, codec: str) -> bool:
    """Whether ``fix_encoding`` could decode all of ``text`` as UTF-8 read through ``codec``:
    its own steps (ftfy/__init__.py, _fix_encoding_one_step_and_explain), less its badness
    test."""
    if not chardata.possible_encoding(text, codec):
        return False
    data = text.encode(codec)
    if codec != "macroman" and chardata.ALTERED_UTF8_RE.search(data):
        data = restore_byte_a0(data)
    if codec.startswith("sloppy"):
        data = replace_lossy_sequences(data)
    try:
        data.decode("utf-8-variants" if 0xED in data or 0xC0 in data else "utf-8")
    except UnicodeDecodeError:
        return False
    return True


def ftfy_may_change(text: str) -> bool:
    """False only where ``ftfy.fix_encoding`` cannot change ``text``: it changes a text by
    decoding all of it through one of its code pages as UTF-8 (tried only where the first
    non-ASCII character starts a UTF-8 sequence there), by fixing a UTF-8-looking run that is
    bad on its own, or by replacing C1 controls; and only when its badness regex finds
    something, which the callers test first (:func:`is_suspect`)."""
    if _C1.search(text):
        return True
    m = _FIRST_NON_ASCII.search(text)
    if m is None:
        return "\ufffd" in text
    at = m.start()
    first, second = text[at], text[at + 1 : at + 2]
    for codec, leads in _FOLLOWERS.items():
        following = leads.get(first)
        if following is not None and second in following and _decodes_whole(text, codec):
            return True
    if _UTF8_LOOKING.search(text) is None:
        return False
    return any(is_bad(run.group()) for run in chardata.UTF8_DETECTOR_RE.finditer(text))


# --- à whose no-break space became a space -------------------------------------------------

# UTF-8 "à" is C3 A0: read as cp1252, "Ã" and a no-break space, which scrapers and whitespace
# clean-up turn into a plain space or drop. French has no "Ã": after a French lower-case letter,
# a space, a hyphen, an apostrophe, an opening quote or at the start of a line, it is that "à".
# After a capital, a digit or another sign it is left alone (SÃO PAULO, NGÃ BA, a code such as
# ÃŽ-45 has no space after it anyway). The space that stood for A0 is taken back before
# punctuation that French does not space (voilÃ . → voilà., c'est-Ã -dire → c'est-à-dire); before
# a word it stays.
_FRENCH_LOWER = "a-zàâäçéèêëîïôöùûüÿœæ"
_A_GRAVE = regex.compile(
    rf"(?:(?<=[{_FRENCH_LOWER}\s'’(«\-])|^)Ã(?: (?=[ .,;)\]…-]|$)|(?= ))"
    rf"|(?<=[{_FRENCH_LOWER}\s])Ã$"
)


def repair_a_grave(text: str) -> str:
    """``Ã`` + space (or ``Ã`` at the end of the line, after a small letter or a space: a
    text browser's wrap took the A0 of "à" for its break) → ``à``."""
    if "Ã " not in text and not text.endswith("Ã"):
        return text
    return _A_GRAVE.sub("à", text)


# --- UTF-8 through other code pages ---------------------------------------------------------

_TOKEN = re.compile(r"[^ \t]+")
# Signs that stand next to letters in correct text (m², Coca-Cola™, n°, 5 %, l’été); other
# symbols, superscripts and Latin-1 signs next to a letter mark a broken word (¨¦, Ã©, √©).
# Of those, the ones that never stand between two letters of one word (RÄ«ga, Ã©tÃ©).
_NEVER_BETWEEN_LETTERS = set("«»“”„‹›°²³™®©€£¥‰…")
_SIGNS_NEAR_LETTERS = set("°²³™®©€£$¥%‰'’‘-‐–—.,;:!?()[]{}«»“”\"/&_·@#+*…<>=|~^`\\")


@lru_cache(maxsize=4096)
def _script(ch: str) -> str:
    """A coarse script of a letter: Latin, Greek, Cyrillic, CJK (Han, kana, Hangul) or the
    first word of its Unicode name."""
    if ch < "\u0250":
        return "LATIN"
    name = unicodedata.name(ch, "")
    first = name.split(" ", 1)[0]
    if first in ("CJK", "HIRAGANA", "KATAKANA", "HANGUL", "IDEOGRAPHIC", "FULLWIDTH"):
        return "CJK"
    return first


# Characters that never stand in a word of correct text: ftfy's "bad" characters but the
# dagger and the ordinal indicators (¦ ¤ ¨ ¬ ¯ ¸ ƒ ˆ ˇ ˘ ˛ ˜ ‡ ⌐ ◊), box drawing, blocks and
# geometric shapes (cp437 and cp850 give ├ for the first byte of é).
_BAD_SIGNS = "¦¤¨¬¯¸ƒˆˇ˘˛˜‡⌐◊"
_NEVER_IN_WORDS = re.compile(f"[{_BAD_SIGNS}\u2500-\u25ff]")
# Latin-1 and cp1252 signs: two in a row are mojibake (±±¾© is 北京 in GBK read as cp1252).
_LATIN1_SIGNS = frozenset("¡¢£¥§©ª®°±²³´µ¶·¹º¼½¾¿×÷€‚„†‰‹›™" + _BAD_SIGNS)


def token_is_odd(token: str) -> bool:
    """Whether a word (a run of non-space characters) looks broken: a control, format,
    private-use or unassigned character, U+FFFD; a character that never stands in a word
    (``¨``, ``├``); two Latin-1 signs in a row (``±±``); letters of two scripts (``Г©lГЁves``,
    ``รฉlรจves``); a non-ASCII capital right after a small letter (``OrlÊans``); a symbol
    next to a letter (``√©l√®ves``); a quote or a sign such as ° or ™ between two letters
    (``RÄ«ga``)."""
    if _NEVER_IN_WORDS.search(token):
        return True
    scripts = set()
    prev = ""  # "l" after a lower-case letter, "L" after another letter, "s" after a symbol
    sign = False  # whether the previous character was a Latin-1 sign
    for ch in token:
        cat = unicodedata.category(ch)
        if cat[0] == "C" or ch == "\ufffd":
            return True
        if ch in _LATIN1_SIGNS:
            if sign:
                return True
            sign = True
        else:
            sign = False
        if cat[0] == "L":
            if prev in ("s", "q") or (prev == "l" and cat == "Lu" and ch >= "\x80"):
                return True
            scripts.add(_script(ch))
            prev = "l" if cat == "Ll" else "L"
        elif ch in _NEVER_BETWEEN_LETTERS:
            prev = "q" if prev in ("l", "L") else ""
        elif cat[0] == "M" or cat == "Nd" or ch.isspace() or ch in _SIGNS_NEAR_LETTERS:
            prev = "L" if cat[0] == "M" and prev else ""
        else:  # a symbol, a superscript, other punctuation
            if prev in ("l", "L"):
                return True
            prev = "s"
    return len(scripts) > 1


def _non_latin_letters(text: str) -> int:
    """Letters beyond Latin-1, but œ and Ÿ: other scripts, and the Latin letters French does
    not use (Ă, ş)."""
    return sum(1 for ch in text if ch >= "\u0100" and ch.isalpha() and ch not in "œŒŸ")


def brokenness(text: str) -> tuple[int, int]:
    """How broken a text looks, to compare repairs: its broken words (:func:`odd_tokens`),
    then its letters beyond Latin-1 (``Г\xa0``, ``ยฃ15`` and ``Ă\xa0`` are words of one
    script, but read through the right code page they are ``à``, ``£15`` and ``à``)."""
    return odd_tokens(text), _non_latin_letters(text)


def odd_tokens(text: str) -> int:
    """How many words of ``text`` look broken (:func:`token_is_odd`)."""
    return sum(
        1 for m in _TOKEN.finditer(text) if not m.group().isascii() and token_is_odd(m.group())
    )


def _decode_through(token: str, codec: str) -> str | None:
    """``token`` as it was before being read through ``codec``, or None if it cannot have
    been. GBK is taken only where every character is in GB2312 (the common simplified
    characters): Shift-JIS bytes also decode as GBK, into rare characters."""
    try:
        if codec in DOUBLE_BYTE:
            decoded = token.encode("sloppy-windows-1252").decode(codec)
            return decoded if _reads_as_east_asian(decoded, codec) else None
        return token.encode(codec).decode("utf-8")
    except UnicodeError:
        return None


#: Lead bytes of the commonest characters: GB2312's level 1 (3,755 hanzi), JIS X 0208's level
#: 1 (2,965 kanji) in Shift-JIS.
_COMMON_LEAD = {"gbk": (0xB0, 0xD7), "shift_jis": (0x88, 0x98)}
_KANA = regex.compile(r"[\p{Hiragana}\p{Katakana}]")
_HAN = regex.compile(r"\p{Han}")
_LATIN = regex.compile(r"\p{Latin}")
_EAST_ASIAN = regex.compile(r"[\p{Han}\p{Hiragana}\u30a0-\u30ff]")
#: The fewest Chinese or Japanese letters a repair through GBK or Shift-JIS must bring to a
#: line (one alone is more often two Latin-1 signs: "¾³" -> "境").
MIN_EAST_ASIAN_LETTERS = 2


def _reads_as_east_asian(decoded: str, codec: str) -> bool:
    """Whether a word decoded through GBK or Shift-JIS may be Chinese or Japanese text: its
    letters beyond ASCII are common hanzi or kanji (the first level of GB2312, of JIS X
    0208), Latin letters (GB2312 has the accented ones of pinyin, which a French page in GBK
    uses), or for Japanese full-width kana. Latin-1 signs read through them give rarer
    characters, Cyrillic, kana in GBK, or Shift-JIS's half-width katakana ("§§" -> "Ё",
    "©©" -> "ｩｩ", "â¯Â»" -> "獐禄")."""
    low, high = _COMMON_LEAD[codec]
    for c in decoded:
        if c.isascii() or not c.isalpha() or _LATIN.match(c):
            continue
        if codec == "shift_jis" and _KANA.match(c) and not "\uff61" <= c <= "\uff9f":
            continue
        try:
            lead = c.encode("gb2312" if codec == "gbk" else codec)[0]
        except UnicodeError:
            return False
        if not (_HAN.match(c) and low <= lead <= high):
            return False
    return True


def east_asian_letters(text: str) -> int:
    """How many Han, hiragana and full-width katakana letters ``text`` holds."""
    return len(_EAST_ASIAN.findall(text))


def _better(candidate: str, original: str, codec: str) -> bool:
    """Whether a repair through ``codec`` is worth taking: less broken (:func:`brokenness`);
    through cp1252, which ftfy has tried and declined, only with fewer broken words (ftfy left
    "ÃŽ-45", a code)."""
    if codec == "sloppy-windows-1252":
        return odd_tokens(candidate) < odd_tokens(original)
    return brokenness(candidate) < brokenness(original)


def _decode_whole(text: str, codec: str) -> str | None:
    """The whole line decoded as UTF-8 read through ``codec`` (no-break spaces that became
    spaces put back, as ftfy's restore_byte_a0 does), if it decodes into no broken word and
    is worth taking (:func:`_better`); else None."""
    if codec in DOUBLE_BYTE:
        return None
    try:
        whole = restore_byte_a0(text.encode(codec)).decode("utf-8")
    except UnicodeError:
        return None
    return whole if odd_tokens(whole) == 0 and _better(whole, text, codec) else None


def _repair_through(text: str, codec: str) -> str:
    """The text with every word that decodes through ``codec`` into a less broken word
    (:func:`brokenness`) replaced by it."""
    out = []
    pos = 0
    for m in _TOKEN.finditer(text):
        token = m.group()
        if token.isascii():
            continue
        new = _decode_through(token, codec)
        if new is None or new == token or token_is_odd(new):
            continue
        # a word that does not look broken is taken only from the code pages ftfy does not
        # try itself, and only if it leaves fewer letters beyond Latin-1 (ftfy left "ÃŽ-45")
        if token_is_odd(token) or (
            codec != "sloppy-windows-1252" and _non_latin_letters(new) < _non_latin_letters(token)
        ):
            out.append(text[pos : m.start()])
            out.append(new)
            pos = m.end()
    if not out:
        return text
    out.append(text[pos:])
    return "".join(out)


_FOREIGN_HINT = re.compile(f"[{re.escape(''.join(sorted(FOREIGN_HINT_CHARS)))}]")


def has_foreign_hint(text: str) -> bool:
    """Whether ``text`` holds a character that starts UTF-8 read through one of
    :data:`UTF8_THROUGH`, or that GBK or Shift-JIS read as cp1252 gives, and that French does
    not use."""
    return _FOREIGN_HINT.search(text) is not None


def repair_code_pages(text: str) -> tuple[str, str | None]:
    """Repair UTF-8 read through one of :data:`UTF8_THROUGH`, or GBK or Shift-JIS read as
    cp1252: ``(text, code page)``, or ``(text, None)`` unchanged. A repair is taken only when it
    leaves the line less broken (:func:`brokenness`), and the code page that leaves it least
    broken wins (the first of the lists on a tie)."""
    before = brokenness(text)
    if before == (0, 0):
        return text, None
    best, best_codec, best_score = text, None, before
    for codec in UTF8_THROUGH:
        # A whole line that decodes into no broken word is what ftfy would take: the first
        # code page to give one wins.
        whole = _decode_whole(text, codec)
        if whole is not None:
            return whole, codec
    for codec in UTF8_THROUGH + DOUBLE_BYTE:
        candidate = _repair_through(text, codec)
        if candidate is text or not _better(candidate, text, codec):
            continue
        gained = east_asian_letters(candidate) - east_asian_letters(text)
        if codec in DOUBLE_BYTE and gained < MIN_EAST_ASIAN_LETTERS:
            continue
        score = brokenness(candidate)
        if score < best_score:
            best, best_codec, best_score = candidate, codec, score
            if score == (0, 0):
                break
    return best, best_codec


# The commonest mojibake, UTF-8 read as cp1252 or latin-1: a lead byte then a continuation byte
# (the pre-check the stage used before it knew of other code pages). A line holding one goes to
# ftfy without the longer test.
_CP1252_PAIR = re.compile("[\u00c2-\u00f4][\u0080-\u00bf€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ]")
# A capital with an accent right after a small letter (ftfy's sloppy-windows-1250 reading of
# ISO-8859-2 gives "OrlÊans"), or a quote or sign between two letters (RÄ«ga): correct French
# has neither.
_CAPITAL_INSIDE = re.compile("[a-zß-öø-ÿ][À-ÖØ-Þ]")
_SIGN_BETWEEN_LETTERS = re.compile(
    f"[{re.escape(''.join(sorted(_NEVER_BETWEEN_LETTERS)))}](?<=[^\\W\\d_].)(?=[^\\W\\d_])"
)


_TWO_SIGNS = re.compile(
    f"[{re.escape(''.join(sorted(_LATIN1_SIGNS)))}]"
    f"(?<=[{re.escape(''.join(sorted(_LATIN1_SIGNS)))}].)"
)


def looks_broken(text: str) -> bool:
    """Whether ``text`` holds what :func:`repair_code_pages` may mend: a hint of another code
    page, an accented capital inside a word, a quote or sign between two letters, two Latin-1
    signs in a row."""
    return (
        _FOREIGN_HINT.search(text) is not None
        or _CAPITAL_INSIDE.search(text) is not None
        or _SIGN_BETWEEN_LETTERS.search(text) is not None
        or _TWO_SIGNS.search(text) is not None
    )


# "à" then a space before punctuation French does not space: the space stood for the A0 byte
# of "à" (ftfy puts the byte back and keeps a space: "voilÃ ." → "voilà .").
_A_GRAVE_SPACE = re.compile(r"à (?=[.,;)\]…])")


_FTFY_CONFIG = ftfy.TextFixerConfig(explain=False)
#: The narrow no-break space's UTF-8 bytes E2 AF read as cp1252, its middle byte 80 dropped.
_NNBSP_CUT = "\u00e2\u00af"


def repair_mojibake(text: str) -> tuple[str, str | None]:
    """The whole mojibake repair of one line: ftfy's ``fix_encoding`` (on the line as it came:
    it decodes whole lines best), then the ``à`` whose no-break space became a space where ftfy
    left it; then, where the line still looks broken (:func:`looks_broken`), the other code
    pages, tried on ftfy's result and on the line as it came (ftfy's partial repairs of GBK
    read as cp1252 garble it further). ftfy's result stands unless another is less broken.
    Returns the text and what repaired it (``"ftfy"``, ``"a_grave"``, ``"nnbsp"``, a code
    page), or None when nothing changed."""
    how = None
    fixed = text
    if _NNBSP_CUT in text:
        # U+202F (E2 80 AF) read as cp1252 by a text browser that dropped its C1 byte 80
        # ("motâ¯?"): nothing else in French gives "â¯", and left to ftfy it becomes U+FFFD
        text = fixed = text.replace(_NNBSP_CUT, "\u202f")
        how = "nnbsp"
    if _CP1252_PAIR.search(text) or ftfy_may_change(text):
        # iterates to its own fixpoint: double mojibake too (fix_encoding runs the same steps
        # but builds its configuration anew, three namedtuples, on every call)
        repaired = ftfy.fix_encoding_and_explain(text, _FTFY_CONFIG).text
        if repaired != text:
            fixed, how = repaired, how or "ftfy"
            if "Ã " in text:
                fixed = _A_GRAVE_SPACE.sub("à", fixed)
    if "Ã" in fixed:
        repaired = repair_a_grave(fixed)
        if repaired != fixed:
            fixed, how = repaired, how or "a_grave"
    if not looks_broken(fixed):
        return fixed, how  # what is left is French (as is nearly always the case after ftfy)
    # Where ftfy decoded something, only fewer broken words overrule it: the letters it
    # decoded beyond Latin-1 are its evidence (Москва), not a flaw.
    rank = (lambda t: (odd_tokens(t), 0)) if how == "ftfy" else brokenness
    best_score = rank(fixed)
    for start in dict.fromkeys((fixed, text)):
        if best_score == (0, 0):
            break
        repaired, codec = repair_code_pages(start)
        if codec is not None:
            score = rank(repaired)
            if score < best_score:
                fixed, how, best_score = repaired, codec.replace("sloppy-windows-", "cp"), score
    return fixed, how
