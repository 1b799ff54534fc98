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

from .. import reasons
from ..config import SecondCopyConfig
from ..document import ROLE_TITLE, Document, Line
from .base import Stage

_NON_WORD = regex.compile(r"[\W_]+")
# "Source : Nouveau Zhiyuan", "Sources: AFP, Reuters", "Source - Le Monde"
SOURCE_LINE = regex.compile(r"^sources?\s*[:\-–—]\s*(?P<value>\S.{0,100})$", regex.IGNORECASE)
# "Par Jeanne Martin", "Par Jean-Luc Dupont et Marie Curie", "By Jane Doe"
BYLINE = regex.compile(
    r"^(?i:par|by|auteur\s*:|author\s*:)\s+(?P<value>\p{Lu}[\p{L}'’.-]+(?:\s+(?:\p{Lu}[\p{L}'’.-]*|et|and|de|du|van|von|le|la)){1,5})\s*$"
)
_TITLE_END = (".", ",", ";", ":", "-", "–", "—")


def normalize_key(text: str) -> str:
    """Case-folded words of ``text``, separated by single spaces: whitespace, punctuation and
    case differences vanish."""
    return _NON_WORD.sub(" ", text.casefold()).strip()


def _words(key: str) -> frozenset[str]:
    return frozenset(key.split())


def match_byline(text: str) -> str | None:
    """The source or author named by a ``Source : X`` or byline line, else ``None``."""
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
        keys = [normalize_key(ln.text) for ln in lines]
        targets = self._find_repeats(keys)
        long_ = [len(k) >= cfg.min_chars for k in keys]

        # Block context: a run of consecutive repeats is a copy if it holds a long repeat.
        drop = [False] * len(lines)
        i = 0
        while i < len(lines):
            if targets[i] is None:
                i += 1
                continue
            j = i
            while j < len(lines) and targets[j] is not None:
                j += 1
            if any(long_[i:j]):
                for k in range(i, j):
                    drop[k] = True
            i = j

        copy_start = None
        for idx, line in enumerate(lines):
            if drop[idx]:
                target, similarity = targets[idx]
                detail = {"repeats_line": lines[target].number}
                if similarity < 1.0:
                    detail["similarity"] = round(similarity, 3)
                line.drop(reasons.DUPLICATE_COPY, **detail)
                self.counts[reasons.DUPLICATE_COPY] += 1
                if copy_start is None and long_[idx]:
                    copy_start = idx
        if copy_start is not None:
            doc.metadata["second_copy_at_line"] = lines[copy_start].number
            # A second copy starts again from the top: its first line repeats one of the
            # article's first lines. Only then is the line before it the copy's heading.
            if cfg.extract_title and self._starts_article(lines, targets[copy_start][0]):
                self._extract_title(doc, lines, copy_start, drop)

    def _find_repeats(self, keys: list[str]) -> list[tuple[int, float] | None]:
        """For each line, ``(index of the earlier line it repeats, similarity)`` or ``None``."""
        first_seen: dict[str, int] = {}
        targets: list[tuple[int, float] | None] = []
        for idx, key in enumerate(keys):
            if key in first_seen:
                targets.append((first_seen[key], 1.0))
            else:
                first_seen.setdefault(key, idx)
                targets.append(None)
        if self.config.similarity >= 1.0:
            return targets
        has_long_repeat = any(
            t is not None and len(keys[i]) >= self.config.min_chars for i, t in enumerate(targets)
        )
        if not has_long_repeat:
            return targets  # no copy here: spare the fuzzy comparison
        # Near-identical repeats: word-set Jaccard against earlier lines. Candidates come from an
        # inverted index of the longer words (short function words would make every line a
        # candidate); the similarity itself counts every word.
        index: dict[str, list[int]] = {}
        sets = [_words(k) for k in keys]
        threshold = self.config.similarity
        for idx, words in enumerate(sets):
            content = [w for w in words if len(w) >= 4]
            if targets[idx] is None and words:
                candidates: set[int] = set()
                for w in content:
                    candidates.update(index.get(w, ()))
                best = None
                for other in sorted(candidates):
                    sim = len(words & sets[other]) / len(words | sets[other])
                    if sim >= threshold and (best is None or sim > best[1]):
                        best = (other, sim)
                if best is not None:
                    targets[idx] = best
            for w in content:
                index.setdefault(w, []).append(idx)
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

    def _extract_title(
        self, doc: Document, lines: list[Line], copy_start: int, dropped: list[bool]
    ) -> None:
        """Take the line just before the second copy (sources skipped) as the title."""
        # The Source line was removed from ``lines`` already, so the title is the nearest kept,
        # non-repeated line before the copy, skipping chrome (an ad label, a share button).
        idx = copy_start - 1
        while idx >= 0 and copy_start - idx <= 3 and not dropped[idx]:
            if not self._is_boilerplate(lines[idx].text):
                break
            idx -= 1
        else:
            return
        if idx < 0 or dropped[idx]:
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
