"""Site templates: lines that recur across the pages of one site are that site's chrome.

A site's menus, slogans, footers and newsletter boxes come back on every page it publishes,
while its articles do not repeat each other. So a short line found in at least
``template_min_documents`` pages of the same site (two by default) is dropped as
``boilerplate_template``, with the site and the count as evidence, when

- it recurs **with a neighbour**: the line before or after it is the same on those pages too.
  Chrome comes in blocks that repeat as blocks; an article's title that another page of the
  site shows in its "related articles" box recurs alone, and stays. (Measured on the held-out
  pages of the boilerplate benchmark: requiring a neighbour loses 4x fewer article lines, 46
  instead of 184, for 4 % less chrome removed by this rule.)
- and it occurs on **no other site**: a generic heading ("Conclusion", "Réactions", "Fazit")
  is not a template.

A page with hardly any long line of its own (at most ``COPY_MAX_OWN`` lines of
``COPY_MIN_CHARS`` characters or more that no other page of its site holds, and some that
another does) is a copy of another page (the same article under two URLs, perhaps with a figure
changed), not a page sharing the template: the rule leaves it alone, its lines count as seen
once for the line model, and the near-duplicate stage drops the copy (otherwise the original
would lose its short lines). A page sharing the template has its article's paragraphs of its
own, however much recurring prose surrounds them. (The test was "most of its short prose lines
recur on the site" before: it took pages whose article is a few paragraphs under the site's
comment policy, legal notice or list of other stories, all recurring prose, for copies, 324 of
the 2,013 training pages, whose chrome then counted as seen once.)

Lines the rule leaves are left to the line model, which reads the same counts among its
features. The first pass counts, for every short line and every pair of consecutive lines
(keyed by 64-bit fingerprints), the documents of each site that hold it (long lines too, for
the copy test); only those found in two documents or more are kept for the second pass. A
document's site is :func:`cleaner.sites.site_of`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import xxhash

from .. import reasons
from ..config import BoilerplateConfig
from ..document import Document, Line
from ..sites import site_of
from .base import Stage
from .second_copy import fingerprint

_EMPTY = fingerprint("")
#: A line of at least this many characters is long: a paragraph's (about ten words of French,
#: a sentence or two of Chinese), which the copy test counts.
COPY_MIN_CHARS = 60
#: A page with at most this many long lines of its own (and some shared) is a copy: a repost
#: may change a figure in a paragraph; an article has more than one paragraph.
COPY_MAX_OWN = 1
#: Fingerprints are added up in this many parts (by their top bits), so that the coordinator
#: holds a sixteenth of the distinct lines of a run at a time.
PARTS = 16
_ROW = np.dtype([("line", np.uint64), ("site", np.uint64)])
# Odd constants mixing two fingerprints into the key of the pair they form (wrapping uint64).
_MIX_A, _MIX_B = np.uint64(0x9E3779B97F4A7C15), np.uint64(0xC2B2AE3D27D4EB4F)


def site_key(site: str) -> int:
    return xxhash.xxh3_64_intdigest(site.encode("utf-8", "surrogatepass"))


class SiteTemplateFilter(Stage):
    """Drop lines that recur across the pages of their site (``boilerplate_template``); count
    every line's documents in the run and in its site for the line model."""

    name = "site_templates"
    needs_corpus_pass = True

    def __init__(self, config: BoilerplateConfig | None = None) -> None:
        super().__init__()
        self.config = config or BoilerplateConfig()
        self.begin_observing()

    # -- counting ------------------------------------------------------------------------
    def _short_lines(self, doc: Document) -> list[Line]:
        limit = self.config.template_max_chars
        lines = [ln for ln in doc.lines if ln.kept and len(ln.text) <= limit]
        for line in lines:
            if line.fingerprint is None:  # the second-copy stage is off, or skipped the line
                line.fingerprint = fingerprint(line.text)
        return lines

    def begin_observing(self) -> None:
        self._summaries: list[Any] = []
        #: (line, site) -> documents of that site holding the line (two or more only).
        self.site_counts: dict[tuple[int, int], int] = {}
        #: line -> (documents of the run holding it, sites holding it) (two documents or more).
        self.run_counts: dict[int, tuple[int, int]] = {}
        #: (pair of consecutive lines, site) -> documents of that site holding the pair.
        self.pair_counts: dict[tuple[int, int], int] = {}

    def observation(self, doc: Document) -> Any:
        """The document's distinct short and long lines, and pairs of consecutive short lines,
        each with the document's site."""
        lines = self._short_lines(doc)
        site = site_key(site_of(doc))
        found = {_fp(ln) for ln in lines}
        found.update(_fp(ln) for ln in self._long_lines(doc))
        found.discard(_EMPTY)  # nothing but punctuation: not a line to count
        return _rows(found, site), _rows(set(self._pair_keys(doc)[1]), site)

    def _long_lines(self, doc: Document) -> list[Line]:
        """The kept lines of at least :data:`COPY_MIN_CHARS` characters, fingerprinted."""
        lines = [ln for ln in doc.lines if ln.kept and len(ln.text) >= COPY_MIN_CHARS]
        for line in lines:
            if line.fingerprint is None:
                line.fingerprint = fingerprint(line.text)
        return lines

    def _pair_keys(self, doc: Document) -> tuple[list[tuple[Line, Line]], list[int]]:
        """The pairs of consecutive kept lines that are both short, and the key of each."""
        kept = [ln for ln in doc.lines if ln.kept]
        limit = self.config.template_max_chars
        pairs = [
            (a, b)
            for a, b in zip(kept, kept[1:], strict=False)
            if len(a.text) <= limit and len(b.text) <= limit and a.fingerprint != _EMPTY
        ]
        if not pairs:
            return [], []
        first = np.fromiter((a.fingerprint for a, _ in pairs), dtype=np.uint64, count=len(pairs))
        second = np.fromiter((b.fingerprint for _, b in pairs), dtype=np.uint64, count=len(pairs))
        with np.errstate(over="ignore"):
            return pairs, (first * _MIX_A + second * _MIX_B).tolist()

    def summarize(self, observations: list[Any]) -> Any:
        """A shard's distinct (line, site) and (pair, site) rows, and the documents holding
        each."""
        return tuple(_count_rows([o[kind] for o in observations]) for kind in (0, 1))

    def add_summary(self, summary: Any) -> None:
        self._summaries.append(summary)

    def decide(self) -> None:
        summaries, self._summaries = self._summaries, []
        self.decide_from(summaries.__getitem__, len(summaries))

    def decide_from(self, summaries: Callable[[int], Any], n_shards: int) -> None:
        self.site_counts, self.run_counts, self.pair_counts = {}, {}, {}
        shift = np.uint64(64 - 4)
        for kind in (0, 1):
            for part in range(PARTS):
                rows, counts = [], []
                for k in range(n_shards):
                    r, c = summaries(k)[kind]
                    mine = (r["line"] >> shift) == part
                    rows.append(r[mine])
                    counts.append(c[mine])
                if rows and kind == 0:
                    self._add_lines(np.concatenate(rows), np.concatenate(counts))
                elif rows:
                    self._add_pairs(np.concatenate(rows), np.concatenate(counts))
        self._summaries = []

    def _add_pairs(self, rows: np.ndarray, counts: np.ndarray) -> None:
        keys, per_site = _sum_rows(rows, counts)
        hit = per_site >= 2
        keys = keys[hit]
        self.pair_counts.update(
            zip(
                zip(keys["line"].tolist(), keys["site"].tolist(), strict=True),
                per_site[hit].tolist(),
                strict=True,
            )
        )

    def _add_lines(self, rows: np.ndarray, counts: np.ndarray) -> None:
        keys, per_site = _sum_rows(rows, counts)
        lines, first, per_line_sites = np.unique(
            keys["line"], return_index=True, return_counts=True
        )
        per_line_docs = np.add.reduceat(per_site, first) if len(first) else per_site[:0]
        hit = per_site >= 2
        self.site_counts.update(
            zip(
                zip(keys["line"][hit].tolist(), keys["site"][hit].tolist(), strict=True),
                per_site[hit].tolist(),
                strict=True,
            )
        )
        hit = per_line_docs >= 2
        self.run_counts.update(
            zip(
                lines[hit].tolist(),
                zip(per_line_docs[hit].tolist(), per_line_sites[hit].tolist(), strict=True),
                strict=True,
            )
        )

    def decisions(self) -> Any:
        return self.site_counts, self.run_counts, self.pair_counts

    def load_decisions(self, decisions: Any, start: int) -> None:
        self.site_counts, self.run_counts, self.pair_counts = decisions

    # -- deciding ------------------------------------------------------------------------
    def _is_copy(self, doc: Document, site: int) -> bool:
        """Whether the document has hardly any long line of its own on its site, and some
        that another page holds: a copy of another page, not a page sharing the template."""
        get = self.site_counts.get
        shared = [get((_fp(ln), site), 1) >= 2 for ln in self._long_lines(doc)]
        return any(shared) and len(shared) - sum(shared) <= COPY_MAX_OWN

    def counts_of(self, doc: Document, lines: list[Line]) -> tuple[list[int], list[int], list[int]]:
        """For each of ``lines`` (of ``doc``): the documents of the run holding it, those of its
        site, and whether other sites hold it (1) or not (0)."""
        n = len(lines)
        if not self.run_counts:  # nothing recurs in the run
            return [1] * n, [1] * n, [0] * n
        site = site_key(site_of(doc))
        if self._is_copy(doc, site):
            return [1] * n, [1] * n, [0] * n
        limit = self.config.template_max_chars
        run, own, others = [], [], []
        for line in lines:
            fp = line.fingerprint
            if fp is None or len(line.text) > limit or (seen := self.run_counts.get(fp)) is None:
                # too long to count, or in this document only (most lines)
                run.append(1)
                own.append(1)
                others.append(0)
                continue
            docs, sites = seen
            run.append(docs)
            own.append(self.site_counts.get((fp, site), 1))
            others.append(1 if sites > 1 else 0)
        return run, own, others

    def process(self, doc: Document) -> None:
        threshold = self.config.template_min_documents
        if threshold < 2 or not self.pair_counts:
            return
        name = site_of(doc)
        site = site_key(name)
        if self._is_copy(doc, site):
            return
        get = self.pair_counts.get
        recurring = {  # line numbers of the pairs that recur across the site's pages
            line.number
            for pair, key in zip(*self._pair_keys(doc), strict=True)
            if get((key, site), 0) >= threshold
            for line in pair
        }
        for line in self._short_lines(doc):
            if line.number not in recurring:
                continue
            fp = _fp(line)
            n = self.site_counts.get((fp, site), 0)
            if n < threshold or self.run_counts[fp][1] != 1:
                continue
            if line.pinned is not None:  # a keep rule of the pattern library matched it
                self.counts["pinned_spared"] += 1
                continue
            line.drop(reasons.BOILERPLATE_TEMPLATE, site=name, documents=n)
            self.counts[reasons.BOILERPLATE_TEMPLATE] += 1


def _fp(line: Line) -> int:
    """The line's fingerprint, set by the second-copy stage or by :meth:`_short_lines`."""
    assert line.fingerprint is not None
    return line.fingerprint


def _rows(keys: set[int], site: int) -> np.ndarray:
    rows = np.empty(len(keys), dtype=_ROW)
    rows["line"] = np.fromiter(keys, dtype=np.uint64, count=len(keys))
    rows["site"] = site
    return rows


def _count_rows(observations: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    if not observations:
        return np.empty(0, dtype=_ROW), np.empty(0, dtype=np.int64)
    rows = np.concatenate(observations)
    return _sum_rows(rows, np.ones(len(rows), dtype=np.int64))


def _sum_rows(rows: np.ndarray, counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct rows, sorted by line then site (as ``np.unique`` sorts them), and the sum
    of ``counts`` over each: a sort on the two columns (``np.unique`` of the structured rows
    gives the same rows and order, 4-5 times slower on 10,000 to 200,000 rows)."""
    order = np.lexsort((rows["site"], rows["line"]))
    rows, counts = rows[order], counts[order]
    if not len(rows):
        return rows, counts.astype(np.int64)
    new = np.empty(len(rows), dtype=bool)
    new[0] = True
    new[1:] = (rows["line"][1:] != rows["line"][:-1]) | (rows["site"][1:] != rows["site"][:-1])
    first = np.flatnonzero(new)
    return rows[first], np.add.reduceat(counts, first).astype(np.int64)
