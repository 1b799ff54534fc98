"""Finding Chinese, Japanese and Korean stretches inside French text by Unicode script.

Language-ID tools give no usable span boundaries for Chinese inside French (FIELD_NOTES:
lingua's multi-language mode found 19 of 57); the script does, at about a million lines a second.
A span is a run of CJK characters and CJK punctuation, joined across short gaps of Latin names and
numbers (``前联席首席执行官Bret Taylor。``) and extended over the names glued to its edges
(``Salesforce Inc.前``). Spans holding kana are Japanese, spans holding Hangul Korean, others
Chinese. A run of CJK punctuation with no CJK letter is not a span: it is punctuation that leaked
into French, and the encoding stage normalises it.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, replace

import regex

_CJK_LETTER = r"\p{Han}\p{Hiragana}\p{Katakana}\p{Hangul}\u30fc"
_CJK_PUNCT = r"\u3000-\u303f\uff01-\uff60\uff61-\uff65"
#: Any character of the CJK blocks (a superset of the classes above, as plain code point
#: ranges, which the stdlib's re scans several times faster than Unicode properties): the cheap
#: pre-check run on every line or document.
HAS_CJK = re.compile(
    "[\u1100-\u11ff\u2e80-\u9fff\ua960-\ua97f\uac00-\ud7ff\uf900-\ufaff\ufe30-\ufe4f"
    "\uff00-\uffef\U00020000-\U0003134f]"
)
HAS_CJK_LETTER = regex.compile(f"[{_CJK_LETTER}]")


def count_letters(text: str) -> int:
    """The number of letters in ``text`` (any script)."""
    return sum(map(str.isalpha, text))


def _is_latin1(text: str) -> bool:
    # Encoding a Latin-1 string to Latin-1 is a plain copy, far cheaper than a regex scan; it
    # stops at the first character beyond Latin-1.
    try:
        text.encode("latin-1")
        return True
    except UnicodeEncodeError:
        return False


def lines_holding_cjk(joined: str, starts: list[int]) -> set[int]:
    """Indexes of the lines of ``joined`` (lines joined by newlines; ``starts`` from
    :func:`cleaner.document.line_starts`) that hold a character of the CJK blocks. After a hit
    the search goes on from the next line: one search per such line, however many CJK
    characters it holds."""
    found: set[int] = set()
    if _is_latin1(joined):
        return found
    m = HAS_CJK.search(joined)
    while m is not None:
        i = bisect.bisect_right(starts, m.start()) - 1
        found.add(i)
        m = HAS_CJK.search(joined, starts[i + 1])
    return found


_CORE = regex.compile(f"[{_CJK_LETTER}{_CJK_PUNCT}]+")
_KANA = regex.compile(r"[\p{Hiragana}\p{Katakana}\u30fc]")
_HANGUL = regex.compile(r"\p{Hangul}")
_TOKEN = regex.compile(r"\S+")

#: Longest gap of Latin names/numbers that can join two CJK runs.
MAX_GAP_CHARS = 40
#: Most name tokens taken in at either edge of a span.
MAX_EDGE_TOKENS = 4


@dataclass(frozen=True, slots=True)
class ScriptSpan:
    start: int
    end: int
    lang: str  # "zh", "ja" or "ko"


def _name_like(token: str) -> bool:
    """A token that can sit inside a CJK span: a capitalised word, an acronym, a number."""
    core = token.strip(".,;:!?()'’\"«»")
    if not core:
        return token in {"&", "-", "–"}
    first = core[0]
    return first.isupper() or first.isdigit() or core in {"&", "-", "–"}


def _gap_joins(gap: str) -> bool:
    if len(gap) > MAX_GAP_CHARS:
        return False
    tokens = gap.split()
    prev_number = False
    for tok in tokens:
        if _name_like(tok):
            prev_number = tok[0].isdigit()
            continue
        if prev_number and tok.isalpha() and tok.islower():  # a unit: "13 milliards"
            prev_number = False
            continue
        return False
    return True


def _extend_left(text: str, start: int) -> int:
    # Only names glued to the CJK run ("Inc.前") are taken in, then the name words before them.
    if start == 0 or text[start - 1].isspace():
        return start
    pos = start
    taken = 0
    while taken < MAX_EDGE_TOKENS:
        j = pos
        while j > 0 and not text[j - 1].isspace() and not _CORE.match(text[j - 1]):
            j -= 1
        token = text[j:pos]
        if not token or not _name_like(token) or token[0] in '«("“':
            break
        pos = j
        taken += 1
        if pos == 0 or text[pos - 1] != " ":
            break
        pos_before_space = pos - 1
        # peek at the previous token; stop unless it is name-like too
        k = pos_before_space
        while k > 0 and not text[k - 1].isspace():
            k -= 1
        prev = text[k:pos_before_space]
        if not prev or not _name_like(prev) or taken >= MAX_EDGE_TOKENS:
            break
        pos = pos_before_space
    return pos


#: Opening brackets: one that ends a CJK run, or follows it, opens what follows it ("《…》（Au-delà
#: des étoiles）": a French title in brackets), which is no name glued to the run (the bracket
#: stays with the run, as the script it was typed in: the encoding stage keeps the pair).
_OPENING_BRACKETS = "（(「『《【〈［"


def _extend_right(text: str, end: int) -> int:
    n = len(text)
    if end >= n or text[end].isspace():
        return end
    if text[end - 1] in _OPENING_BRACKETS or text[end] in _OPENING_BRACKETS:
        return end
    pos = end
    taken = 0
    while taken < MAX_EDGE_TOKENS and pos < n:
        j = pos
        while j < n and not text[j].isspace() and not _CORE.match(text[j]):
            j += 1
        token = text[pos:j]
        if not token or not _name_like(token):
            break
        pos = j
        taken += 1
        if pos >= n or text[pos] != " ":
            break
        k = pos + 1
        while k < n and not text[k].isspace():
            k += 1
        nxt = text[pos + 1 : k]
        if not nxt or not _name_like(nxt) or _CORE.search(nxt):
            break
        pos = pos + 1
    # a trailing sentence mark belongs to the French text around the span
    while pos > end and text[pos - 1] in ".,;:!?":
        pos -= 1
    return pos


# A URL: its host may be written in Chinese (``例子.中国``), and a segment of its path too
# (``/wiki/北京``), whole: Chinese glued to Latin letters is a fragment, not an address
# (``https://exemple.cn/news前首席执行官``, ``https://exemple.cn/前首席执行官Bret``); neither
# takes CJK punctuation (``https://exemple.cn，前首席``).
_CJK_PUNCT = "\u3000-\u303f\uff00-\uffef"
_CJK_LETTERS = r"\p{Han}\p{Hiragana}\p{Katakana}\p{Hangul}"
# A host's labels are ASCII or Chinese, not both ("exemple.cn前首席执行官": the Chinese is glued).
_LABEL = rf"(?:[a-z0-9-]+|[{_CJK_LETTERS}]+)"
# A path segment (after "/", "=", "&" or "#"): no Chinese, or a few Chinese characters first
# (a name: "北京市"; a longer run is prose glued to the address, "新闻前首席执行官表示他将辞职"),
# then at most digits and marks ("北京_2024", "新闻.html"), up to the next "/", "?", "#", "&"
# or the URL's end.
MAX_CJK_SEGMENT = 8
_PLAIN = rf"[^\s/=&#{_CJK_LETTERS}{_CJK_PUNCT}]"
_SEGMENT = (
    rf"(?:{_PLAIN}+|[{_CJK_LETTERS}]{{1,{MAX_CJK_SEGMENT}}}(?:[-_.,~%0-9]{_PLAIN}*)?"
    rf"(?=[/?#&=\s)\]>»\"']|$))"
)
_URL = regex.compile(
    rf"(?:https?://|www\.){_LABEL}(?:\.{_LABEL})*(?::\d+)?(?:[/=&#]{_SEGMENT}?)*",
    regex.IGNORECASE,
)


def without_trailing_openers(text: str, spans: list[ScriptSpan]) -> list[ScriptSpan]:
    """``spans`` without the opening brackets they end with: what the bracket opens is not in
    the span, so the bracket goes with it (a fragment translated leaves "（Au-delà des
    étoiles）" whole)."""
    out = []
    for s in spans:
        end = s.end
        while end > s.start and text[end - 1] in _OPENING_BRACKETS:
            end -= 1
        out.append(s if end == s.end else replace(s, end=end))
    return [s for s in out if s.end > s.start]


def outside_urls(text: str, spans: list[ScriptSpan]) -> list[ScriptSpan]:
    """The ``spans`` of ``text`` that lie in no URL: a Chinese domain or path
    (``https://例子.中国/新闻``) is an address, not a fragment to translate."""
    if "://" not in text and "www." not in text.lower():
        return spans
    urls = [(m.start(), m.end()) for m in _URL.finditer(text)]
    out = []
    for s in spans:  # what of a span lies outside the URLs, where it holds CJK letters
        pieces = [(s.start, s.end)]
        for a, b in urls:
            pieces = [
                piece
                for start, end in pieces
                for piece in ((start, min(end, a)), (max(start, b), end))
                if piece[0] < piece[1]
            ]
        for start, end in pieces:
            if HAS_CJK_LETTER.search(text, start, end):
                out.append(
                    s if (start, end) == (s.start, s.end) else replace(s, start=start, end=end)
                )
    return out


def find_cjk_spans(text: str) -> list[ScriptSpan]:
    """Stretches of Chinese, Japanese or Korean inside ``text``, in order, not overlapping."""
    first = HAS_CJK.search(text)
    if first is None:
        return []
    # The characters _CORE takes that HAS_CJK lacks all lie beyond the Basic Multilingual
    # Plane (CJK extension H, the kana supplements: checked over the whole of Unicode with
    # regex 2026.11): unless the text before the first HAS_CJK character holds one, no core
    # starts before it, and the slower \p{...} scan starts there.
    scan_from = first.start()
    if scan_from and _beyond_bmp(text[:scan_from]):
        scan_from = 0
    cores = [(m.start(), m.end()) for m in _CORE.finditer(text, scan_from)]
    merged: list[list[int]] = []
    for start, end in cores:
        if merged and _gap_joins(text[merged[-1][1] : start]):
            merged[-1][1] = end
        else:
            merged.append([start, end])
    spans = []
    last_end = 0
    for start, end in merged:
        chunk = text[start:end]
        if not HAS_CJK_LETTER.search(chunk):
            continue  # punctuation only: leaked into French, not a fragment
        start = max(_extend_left(text, start), last_end)
        end = _extend_right(text, end)
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        chunk = text[start:end]
        if _HANGUL.search(chunk):
            lang = "ko"
        elif _KANA.search(chunk):
            lang = "ja"
        else:
            lang = "zh"
        spans.append(ScriptSpan(start, end, lang))
        last_end = end
    return spans


def _beyond_bmp(text: str) -> bool:
    # UTF-16 takes two bytes per character of the BMP (lone surrogates included), four beyond.
    return len(text.encode("utf-16-le", "surrogatepass")) != 2 * len(text)


def outside_spans(text: str, spans: list[ScriptSpan]) -> list[tuple[int, int]]:
    """The ``(start, end)`` stretches of ``text`` not covered by ``spans``."""
    out = []
    pos = 0
    for s in spans:
        if s.start > pos:
            out.append((pos, s.start))
        pos = max(pos, s.end)
    if pos < len(text):
        out.append((pos, len(text)))
    return out
