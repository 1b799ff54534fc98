"""Stage 2: drop the second capture of the article; lift its title and byline into metadata.

Scraped pages often hold the article twice; the second copy may lack lines, may be headed by the
title and a ``Source : X`` line, and may differ by whitespace, punctuation or encoding (repaired by
stage 1 already). A line repeats earlier content when its normalised form (case-folded, letters
and digits only) equals an earlier line's, or, in a document that has exact repeats at all, when
both its word-set Jaccard similarity and, for a short line (fewer than 20 distinct words), its
character similarity (in order) to an earlier line reach ``similarity``: the same words in
another order make another line.

Short repeats are decided by block context: a short line (a heading) that repeats is dropped
only inside a run of repeats that holds a long one, so a one-word heading used twice in an
article stays. A heading that repeats alone (its neighbours repeat nothing) stays too, however
long: a table of contents, a breadcrumb or a "related" box above the article listed it.
"""

from __future__ import annotations

import bisect

import regex
import xxhash
from rapidfuzz.distance import Indel

from .. import reasons
from ..config import SecondCopyConfig
from ..document import ROLE_TITLE, Document, Line, fold_lines
from .base import Stage

# "Source : Nouveau Zhiyuan", "Sources: AFP, Reuters", "Source - Le Monde"
SOURCE_LINE = regex.compile(r"^sources?\s*[:\-–—]\s*(?P<value>\S.{0,100})$", regex.IGNORECASE)
# "Par Jeanne Martin", "Par Jean-Luc Dupont et Marie Curie", "By Jane Doe"
BYLINE = regex.compile(
    r"^(?i:par|by|auteur\s*:|author\s*:)\s+(?P<value>\p{Lu}[\p{L}'’.-]+(?:\s+(?:\p{Lu}[\p{L}'’.-]*|et|and|de|du|van|von|le|la)){1,5})\s*$"
)
_BYLINE_FIRST = frozenset("sSpPbBaA")
# What the case-folded text of a line that SOURCE_LINE or BYLINE can match starts with (no
# character other than these ASCII letters matches them case-insensitively).
_BYLINE_PREFIXES = ("source", "par", "by", "aut")
#: How far (in lines) a near-identical repeat looks for a repeated neighbour.
WINDOW = 4
#: Lines with fewer distinct words than this must also be alike character by character to be
#: near-identical repeats.
SHORT_LINE_WORDS = 20
_TITLE_END = (".", ",", ";", ":", "-", "–", "—")
#: A repeat that stands alone (its neighbours repeat nothing) is kept when it reads as a
#: heading: at most this many words, not ending a sentence with a full stop. A table of
#: contents, a breadcrumb or a "related" box above the article lists its headings and its
#: title; the article's own copy of them is the one in place.
HEADING_MAX_WORDS = 15
#: A second copy is the article again: its block of repeats holds a sentence of this many
#: words at least. A block of repeated menus ("Facebook Twitter Youtube Rss Instagram",
#: "Rechercher") is dropped as repeats too, but is no copy: no title is read above it.
COPY_SENTENCE_WORDS = 8
_SENTENCE_END = (".", "!", "?", "…", "»", '"', "”")


def _heading(folded: str) -> bool:
    """Whether a case-folded line reads as a heading (see :data:`HEADING_MAX_WORDS`)."""
    text = folded.rstrip()
    return text.count(" ") < HEADING_MAX_WORDS and not text.endswith((".", "…"))


# Content keys: case-folded text with punctuation and spacing removed, so that repeats that
# differ only by those compare equal. Computed for a whole document at once, about 4x faster
# than a regex substitution over the text: the common non-ASCII punctuation of French text is
# removed first, then the UTF-8 bytes of ASCII punctuation and spaces.
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
_ASCII_PUNCT_AND_SPACE = bytes(c for c in range(128) if not chr(c).isalnum() and chr(c) != "\n")


def content_keys(folded_texts: list[str]) -> list[bytes]:
    """The content key of each case-folded text (lines hold no newline, so one can separate
    them)."""
    text = "\n".join(folded_texts)
    if not text.isascii():
        # A one-character search in a str is a fast memory scan; most marks are absent, and
        # the few present ones are removed with str.replace (a 3-byte search in the UTF-8 bytes
        # stops on every "’", whose first two bytes most of these marks share).
        for mark in _NON_ASCII_PUNCT:
            if mark in text:
                text = text.replace(mark, "")
    data = text.encode("utf-8", "surrogatepass")
    return data.translate(None, _ASCII_PUNCT_AND_SPACE).split(b"\n")


def content_key(text: str) -> bytes:
    """Case-folded ``text`` without punctuation or spacing: equal for lines that differ only
    by those."""
    return content_keys([text.replace("\n", " ").casefold()])[0]


def fingerprint(text: str) -> int:
    """64-bit hash of :func:`content_key`."""
    return xxhash.xxh3_64_intdigest(content_key(text))


def char_similarity(a: str, b: str) -> float:
    """How alike two texts are character by character, in order, from 0 to 1: twice the
    length of their longest common subsequence over the total (rapidfuzz's normalised Indel
    similarity; difflib's ratio, which the stage used before, matches blocks greedily, can
    find a shorter common subsequence, and took 150 times longer)."""
    return Indel.normalized_similarity(a, b)


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
        # line index -> character similarity of the near-identical repeats of the document
        # being processed (evidence for their drop)
        self._char_similarities: dict[int, float] = {}
        # Used to refuse a disclaimer or "Voir l'original" as a title.
        self._is_boilerplate = is_boilerplate or (lambda text: False)

    def process(self, doc: Document) -> None:
        cfg = self.config
        lines = [ln for ln in doc.lines if ln.kept]
        if not lines:
            return
        folded = fold_lines(lines)
        if cfg.extract_source and self._extract_sources(doc, lines, folded):
            kept = [i for i, ln in enumerate(lines) if ln.kept]
            lines = [lines[i] for i in kept]
            folded = [folded[i] for i in kept]
        if not cfg.enabled or len(lines) < 2:
            return
        keys = content_keys(folded)
        fingerprints = map(xxhash.xxh3_64_intdigest, keys)
        for line, fp in zip(lines, fingerprints, strict=True):
            line.fingerprint = fp
        targets = self._find_repeats(keys, folded)
        min_chars = cfg.min_chars

        # Block context: a run of consecutive repeats is a copy if it holds a long repeat,
        # unless it is one heading alone (listed above the article, see HEADING_MAX_WORDS).
        repeats = [i for i, t in enumerate(targets) if t is not None]
        copy_start = None
        r = 0
        while r < len(repeats):
            i = repeats[r]
            while r + 1 < len(repeats) and repeats[r + 1] == repeats[r] + 1:
                r += 1
            j = repeats[r] + 1  # the run is lines[i:j]
            r += 1
            if not any(len(keys[k]) >= min_chars for k in range(i, j)):
                continue  # short repeats only: headings used twice
            if j - i == 1 and _heading(folded[i]):
                self.counts["lone_heading_repeats_kept"] += 1
                continue
            article_again = copy_start is None and _holds_sentence(lines[i:j])
            for k in range(i, j):
                target, similarity = targets[k] or (k, 1.0)  # not None inside a run
                detail: dict[str, int | float] = {"repeats_line": lines[target].number}
                if similarity < 1.0 or k in self._char_similarities:
                    detail["similarity"] = round(similarity, 3)
                if k in self._char_similarities:
                    detail["char_similarity"] = round(self._char_similarities[k], 3)
                lines[k].drop(reasons.DUPLICATE_COPY, **detail)
                if copy_start is None and len(keys[k]) >= min_chars and article_again:
                    copy_start = k
            self.counts[reasons.DUPLICATE_COPY] += j - i
        if copy_start is not None:
            doc.metadata["second_copy_at_line"] = lines[copy_start].number
            # A second copy starts again from the top: its first line repeats one of the
            # article's first lines. Only then is the line before it the copy's heading.
            first = targets[copy_start]
            if cfg.extract_title and first is not None and self._starts_article(lines, first[0]):
                self._extract_title(doc, lines, copy_start)

    def _find_repeats(self, keys: list[bytes], folded: list[str]) -> list[tuple[int, float] | None]:
        """For each line, ``(index of the earlier line it repeats, similarity)`` or ``None``
        (``folded``: the case-folded lines)."""
        n = len(keys)
        targets: list[tuple[int, float] | None] = [None] * n
        char_sims = self._char_similarities = {}
        # first[i]: the first line with the same key as line i (i itself if none before it)
        first_seen: dict[bytes, int] = {}
        first = list(map(first_seen.setdefault, keys, range(n)))
        if len(first_seen) == n:
            return targets  # no exact repeat: no copy to look into
        exact = [i for i in range(n) if first[i] != i]
        for i in exact:
            targets[i] = (first[i], 1.0)
        if self.config.similarity >= 1.0:
            return targets
        # Near-identical repeats. A second copy follows the order of the first, so a line of
        # the copy that is not an exact repeat is compared only with the lines of the first
        # copy that lie between the lines its neighbours repeat: a handful of comparisons per
        # line instead of one per earlier line. A line with no exact repeat within WINDOW
        # lines before or after it is not inside a copy and is not compared at all.
        threshold = self.config.similarity
        min_chars = self.config.min_chars
        words: dict[int, frozenset[str]] = {}

        def words_of(i: int) -> frozenset[str]:
            if i not in words:
                # split on spaces (punctuation stays attached): 8x cheaper than a word regex,
                # and it changes the similarity only at a line's last word
                words[i] = frozenset(folded[i].split())
            return words[i]

        long_enough = [len(key) >= min_chars for key in keys]
        # only lines within WINDOW of the first and last exact repeats can have one near them
        for idx in range(max(0, exact[0] - WINDOW), min(n, exact[-1] + WINDOW + 1)):
            if first[idx] != idx or not long_enough[idx]:
                continue
            # the nearest exact repeats before and after this line, within WINDOW lines
            j = bisect.bisect_left(exact, idx)
            before = first[exact[j - 1]] if j and idx - exact[j - 1] <= WINDOW else None
            after = first[exact[j]] if j < len(exact) and exact[j] - idx <= WINDOW else None
            if before is None and after is None:
                continue
            if before is not None:
                low, high = before + 1, (after if after is not None else before + 1 + WINDOW)
            else:
                assert after is not None
                low, high = max(0, after - WINDOW), after
            if low >= min(high, idx):
                continue  # no earlier line to compare with
            best = None
            mine = words_of(idx)
            for other in range(low, min(high, idx)):
                if not long_enough[other]:
                    continue
                theirs = words_of(other)
                shared = len(mine & theirs)
                sim = shared / (len(mine) + len(theirs) - shared)  # the union, not built
                if sim < threshold or (best is not None and sim <= best[1]):
                    continue
                # The same words are not the same line: "Le Sénat a rejeté le texte voté par
                # l'Assemblée" and its converse share all their words. In a short line the
                # characters, in order, must match as closely too (the comparison costs time
                # quadratic in the length; long lines with the same words in another order do
                # not occur in copies of articles).
                if len(mine) < SHORT_LINE_WORDS:
                    chars = char_similarity(folded[idx], folded[other])
                    if chars < threshold:
                        continue
                    char_sims[idx] = chars
                best = (other, sim)
            if best is not None:
                targets[idx] = best
        return targets

    def _starts_article(self, lines: list[Line], target: int) -> bool:
        """Whether line ``target`` is among the article's first three lines (chrome such as a
        site slogan or a cookie banner above the article does not count)."""
        before = 0
        for line in lines[:target]:
            if not self._is_boilerplate(line.text):
                before += 1
                if before > 2:
                    return False  # no need to look further
        return True

    def _extract_sources(self, doc: Document, lines: list[Line], folded: list[str]) -> int:
        """Drop the ``Source : X`` and byline lines, the first value going to metadata; returns
        how many were dropped."""
        dropped = 0
        for line, lowered in zip(lines, folded, strict=True):
            if not lowered.startswith(_BYLINE_PREFIXES) or len(line.text) > 120:
                continue
            value = match_byline(line.text)
            if value is not None:
                doc.metadata.setdefault("source", value)
                line.drop(reasons.SOURCE_METADATA, value=value)
                self.counts[reasons.SOURCE_METADATA] += 1
                dropped += 1
        return dropped

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


def _holds_sentence(lines: list[Line]) -> bool:
    """Whether one of ``lines`` is a sentence of :data:`COPY_SENTENCE_WORDS` words or more."""
    return any(
        ln.text.rstrip().endswith(_SENTENCE_END) and len(ln.text.split()) >= COPY_SENTENCE_WORDS
        for ln in lines
    )
