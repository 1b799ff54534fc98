"""Stage 2: drop the second capture of the article; lift its title and byline into metadata.

Scraped pages often hold the article twice; the second copy may lack lines, may be headed by the
title and a ``Source : X`` line, and may differ by whitespace, punctuation or encoding (repaired by
stage 1 already). A line repeats earlier content when its normalised form (case-folded, letters
and digits only) equals an earlier line's, or, in a document that has exact repeats at all, when
its word-set Jaccard similarity to an earlier line reaches ``similarity``.

Short repeats are decided by block context: a short line (a heading) that repeats is dropped
only inside a run of repeats that holds a long one, so a one-word heading used twice in an
article stays.
"""

from __future__ import annotations

import regex
import xxhash

from .. import reasons
from ..config import SecondCopyConfig
from ..document import ROLE_TITLE, Document, Line
from .base import Stage

# "Source : Nouveau Zhiyuan", "Sources: AFP, Reuters", "Source - Le Monde"
SOURCE_LINE = regex.compile(r"^sources?\s*[:\-–—]\s*(?P<value>\S.{0,100})$", regex.IGNORECASE)
# "Par Jeanne Martin", "Par Jean-Luc Dupont et Marie Curie", "By Jane Doe"
BYLINE = regex.compile(
    r"^(?i:par|by|auteur\s*:|author\s*:)\s+(?P<value>\p{Lu}[\p{L}'’.-]+(?:\s+(?:\p{Lu}[\p{L}'’.-]*|et|and|de|du|van|von|le|la)){1,5})\s*$"
)
_BYLINE_FIRST = frozenset("sSpPbBaA")
#: How far (in lines) a near-identical repeat looks for a repeated neighbour.
WINDOW = 4
_TITLE_END = (".", ",", ";", ":", "-", "–", "—")

# Content keys: case-folded text with punctuation and spacing removed, so that repeats that
# differ only by those compare equal. Computed for a whole document at once with bytes
# operations, about 4x faster than a regex substitution over the text: the common non-ASCII
# punctuation of French text is removed first, then the UTF-8 bytes of ASCII punctuation and
# spaces.
_NON_ASCII_PUNCT = (
    "\u2019",
    "\u2018",
    "\u00ab",
    "\u00bb",
    "\u2013",
    "\u2014",
    "\u2026",
    "\u201c",
    "\u201d",
    "\u00a0",
    "\u202f",
    "\u2022",
    "\u00b7",
)
_NON_ASCII_PUNCT_BYTES = tuple(m.encode("utf-8") for m in _NON_ASCII_PUNCT)
_ASCII_PUNCT_AND_SPACE = bytes(c for c in range(128) if not chr(c).isalnum() and chr(c) != "\n")


def content_keys(folded_texts: list[str]) -> list[bytes]:
    """The content key of each case-folded text (lines hold no newline, so one can separate
    them)."""
    data = "\n".join(folded_texts).encode("utf-8", "surrogatepass")
    if not data.isascii():
        for mark in _NON_ASCII_PUNCT_BYTES:  # bytes.replace: a fast memory scan each
            if mark in data:
                data = data.replace(mark, b"")
    return data.translate(None, _ASCII_PUNCT_AND_SPACE).split(b"\n")


def content_key(text: str) -> bytes:
    """Case-folded ``text`` without punctuation or spacing: equal for lines that differ only
    by those."""
    return content_keys([text.replace("\n", " ").casefold()])[0]


def fingerprint(text: str) -> int:
    """64-bit hash of :func:`content_key`."""
    return xxhash.xxh3_64_intdigest(content_key(text))


def match_byline(text: str) -> str | None:
    """The source or author named by a ``Source : X`` or byline line, else ``None``."""
    if text[:1] not in _BYLINE_FIRST:  # spare two regex calls on almost every line
        return None
    m = SOURCE_LINE.match(text) or BYLINE.match(text)
    return m.group("value").strip() if m else None


class SecondCopyFilter(Stage):
    """Mark repeats of earlier lines ``duplicate_copy``; find title and source."""

    name = "second_copy"

    def __init__(self, config: SecondCopyConfig | None = None, is_boilerplate=None) -> None:
        super().__init__()
        self.config = config or SecondCopyConfig()
        # Used to refuse a disclaimer or "Voir l'original" as a title.
        self._is_boilerplate = is_boilerplate or (lambda text: False)

    def process(self, doc: Document) -> None:
        cfg = self.config
        lines = [ln for ln in doc.lines if ln.kept]
        if cfg.extract_source:
            self._extract_sources(doc, lines)
            lines = [ln for ln in lines if ln.kept]
        if not cfg.enabled or len(lines) < 2:
            return
        keys = content_keys([ln.folded() for ln in lines])
        hash_key = xxhash.xxh3_64_intdigest
        for line, key in zip(lines, keys, strict=True):
            line.fingerprint = hash_key(key)
        targets = self._find_repeats(keys, lines)
        min_chars = cfg.min_chars

        # Block context: a run of consecutive repeats is a copy if it holds a long repeat.
        n = len(lines)
        copy_start = None
        i = 0
        while i < n:
            if targets[i] is None:
                i += 1
                continue
            j = i
            while j < n and targets[j] is not None:
                j += 1
            if any(len(keys[k]) >= min_chars for k in range(i, j)):
                for k in range(i, j):
                    target, similarity = targets[k] or (k, 1.0)  # not None inside a run
                    detail: dict[str, int | float] = {"repeats_line": lines[target].number}
                    if similarity < 1.0:
                        detail["similarity"] = round(similarity, 3)
                    lines[k].drop(reasons.DUPLICATE_COPY, **detail)
                    if copy_start is None and len(keys[k]) >= min_chars:
                        copy_start = k
                self.counts[reasons.DUPLICATE_COPY] += j - i
            i = j
        if copy_start is not None:
            doc.metadata["second_copy_at_line"] = lines[copy_start].number
            # A second copy starts again from the top: its first line repeats one of the
            # article's first lines. Only then is the line before it the copy's heading.
            first = targets[copy_start]
            if cfg.extract_title and first is not None and self._starts_article(lines, first[0]):
                self._extract_title(doc, lines, copy_start)

    def _find_repeats(self, keys: list[bytes], lines: list[Line]) -> list[tuple[int, float] | None]:
        """For each line, ``(index of the earlier line it repeats, similarity)`` or ``None``."""
        first_seen: dict[bytes, int] = {}
        targets: list[tuple[int, float] | None] = []
        for idx, key in enumerate(keys):
            if key in first_seen:
                targets.append((first_seen[key], 1.0))
            else:
                first_seen.setdefault(key, idx)
                targets.append(None)
        if self.config.similarity >= 1.0:
            return targets
        # Near-identical repeats. A second copy follows the order of the first, so a line of
        # the copy that is not an exact repeat is compared only with the lines of the first
        # copy that lie between the lines its neighbours repeat: a handful of comparisons per
        # line instead of one per earlier line. A line with no repeated neighbour within
        # WINDOW lines is not inside a copy and is not compared at all.
        threshold = self.config.similarity
        min_chars = self.config.min_chars
        words: dict[int, frozenset[str]] = {}

        def words_of(i: int) -> frozenset[str]:
            if i not in words:
                # split on spaces (punctuation stays attached): 8x cheaper than a word regex,
                # and it changes the similarity only at a line's last word
                words[i] = frozenset(lines[i].folded().split())
            return words[i]

        n = len(keys)
        if all(t is None for t in targets):
            return targets  # no exact repeat: no copy to look into
        # nearest exact repeat before and after each line (its target), within WINDOW lines
        before_of: list[int | None] = [None] * n
        after_of: list[int | None] = [None] * n
        last: tuple[int, int] | None = None
        for i in range(n):
            before_of[i] = last[1] if last is not None and i - last[0] <= WINDOW else None
            if (t := targets[i]) is not None:
                last = (i, t[0])
        last = None
        for i in range(n - 1, -1, -1):
            after_of[i] = last[1] if last is not None and last[0] - i <= WINDOW else None
            if (t := targets[i]) is not None:
                last = (i, t[0])
        for idx in range(n):
            if targets[idx] is not None or len(keys[idx]) < min_chars:
                continue
            before, after = before_of[idx], after_of[idx]
            if before is None and after is None:
                continue
            if before is not None:
                low, high = before + 1, (after if after is not None else before + 1 + WINDOW)
            else:
                assert after is not None
                low, high = max(0, after - WINDOW), after
            best = None
            mine = words_of(idx)
            for other in range(low, min(high, idx)):
                if len(keys[other]) < min_chars:
                    continue
                theirs = words_of(other)
                sim = len(mine & theirs) / len(mine | theirs)
                if sim >= threshold and (best is None or sim > best[1]):
                    best = (other, sim)
            if best is not None:
                targets[idx] = best
        return targets

    def _starts_article(self, lines: list[Line], target: int) -> bool:
        """Whether line ``target`` is among the article's first three lines (chrome such as a
        site slogan or a cookie banner above the article does not count)."""
        before = sum(1 for ln in lines[:target] if not self._is_boilerplate(ln.text))
        return before <= 2

    def _extract_sources(self, doc: Document, lines: list[Line]) -> None:
        for line in lines:
            if len(line.text) > 120:
                continue
            value = match_byline(line.text)
            if value is not None:
                doc.metadata.setdefault("source", value)
                line.drop(reasons.SOURCE_METADATA, value=value)
                self.counts[reasons.SOURCE_METADATA] += 1

    def _extract_title(self, doc: Document, lines: list[Line], copy_start: int) -> None:
        """Take the line just before the second copy (sources skipped) as the title."""
        # The Source line was removed from ``lines`` already, so the title is the nearest kept,
        # non-repeated line before the copy, skipping chrome (an ad label, a share button).
        idx = copy_start - 1
        while idx >= 0 and copy_start - idx <= 3 and lines[idx].kept:
            if not self._is_boilerplate(lines[idx].text):
                break
            idx -= 1
        else:
            return
        if idx < 0 or not lines[idx].kept:
            return
        line = lines[idx]
        text = line.text
        words = text.split()
        if not words or len(words) > self.config.max_title_words or text.endswith(_TITLE_END):
            return
        if not any(c.isalpha() for c in text):
            return
        line.role = ROLE_TITLE
        doc.metadata["title"] = text
        self.counts["titles_found"] += 1
