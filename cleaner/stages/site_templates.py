"""Site templates: lines that recur across the pages of one site are that site's chrome.

A site's menus, slogans, footers and newsletter boxes come back on every page it publishes,
while its articles do not repeat each other. So a short line found in at least
``template_min_documents`` pages of the same site (two by default) is dropped as
``boilerplate_template``, with the site and the count as evidence, unless the line also occurs
on other sites: a generic heading ("Conclusion", "Réactions", "Fazit") is not a template, and is
left to the line model, which sees the counts among its features.

The first pass counts, for every short line (keyed by its 64-bit fingerprint), the documents of
each site that hold it; only lines found in two documents or more are kept for the second
pass. A document's site is :func:`cleaner.sites.site_of`.
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
#: Fingerprints are added up in this many parts (by their top bits), so that the coordinator
#: holds a sixteenth of the distinct lines of a run at a time.
PARTS = 16
_ROW = np.dtype([("line", np.uint64), ("site", np.uint64)])


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
        self._summaries: list[np.ndarray] = []
        #: (line, site) -> documents of that site holding the line (two or more only).
        self.site_counts: dict[tuple[int, int], int] = {}
        #: line -> (documents of the run holding it, sites holding it) (two documents or more).
        self.run_counts: dict[int, tuple[int, int]] = {}

    def observation(self, doc: Document) -> Any:
        found = {ln.fingerprint for ln in self._short_lines(doc)}
        found.discard(_EMPTY)  # nothing but punctuation: not a line to count
        rows = np.empty(len(found), dtype=_ROW)
        rows["line"] = np.fromiter(found, dtype=np.uint64, count=len(found))
        rows["site"] = site_key(site_of(doc))
        return rows

    def summarize(self, observations: list[Any]) -> Any:
        """A shard's distinct (line, site) rows and the documents holding each."""
        if not observations:
            return np.empty(0, dtype=_ROW), np.empty(0, dtype=np.int64)
        return np.unique(np.concatenate(observations), return_counts=True)

    def add_summary(self, summary: Any) -> None:
        self._summaries.append(summary)

    def decide(self) -> None:
        summaries, self._summaries = self._summaries, []
        self.decide_from(summaries.__getitem__, len(summaries))

    def decide_from(self, summaries: Callable[[int], Any], n_shards: int) -> None:
        self.site_counts, self.run_counts = {}, {}
        shift = np.uint64(64 - 4)
        for part in range(PARTS):
            rows, counts = [], []
            for k in range(n_shards):
                r, c = summaries(k)
                mine = (r["line"] >> shift) == part
                rows.append(r[mine])
                counts.append(c[mine])
            if rows:
                self._add_part(np.concatenate(rows), np.concatenate(counts))
        self._summaries = []

    def _add_part(self, rows: np.ndarray, counts: np.ndarray) -> None:
        keys, inverse = np.unique(rows, return_inverse=True)
        per_site = np.bincount(inverse, weights=counts).astype(np.int64)
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
        return self.site_counts, self.run_counts

    def load_decisions(self, decisions: Any, start: int) -> None:
        self.site_counts, self.run_counts = decisions

    # -- deciding ------------------------------------------------------------------------
    def counts_of(self, doc: Document, lines: list[Line]) -> tuple[list[int], list[int], list[int]]:
        """For each of ``lines`` (of ``doc``): the documents of the run holding it, those of its
        site, and whether other sites hold it (1) or not (0)."""
        site = site_key(site_of(doc))
        limit = self.config.template_max_chars
        run, own, others = [], [], []
        for line in lines:
            fp = line.fingerprint
            if fp is None or len(line.text) > limit:
                run.append(1), own.append(1), others.append(0)
                continue
            docs, sites = self.run_counts.get(fp, (1, 1))
            run.append(docs)
            own.append(self.site_counts.get((fp, site), 1))
            others.append(1 if sites > 1 else 0)
        return run, own, others

    def process(self, doc: Document) -> None:
        threshold = self.config.template_min_documents
        if threshold < 2 or not self.site_counts:
            return
        lines = self._short_lines(doc)
        site = site_key(site_of(doc))
        for line in lines:
            n = self.site_counts.get((line.fingerprint, site), 0)
            if n >= threshold and self.run_counts[line.fingerprint][1] == 1:
                line.drop(reasons.BOILERPLATE_TEMPLATE, site=site_of(doc), documents=n)
                self.counts[reasons.BOILERPLATE_TEMPLATE] += 1
