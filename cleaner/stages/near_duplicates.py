"""Drop documents that repeat an earlier document of the run: the same article scraped under
two URLs, or re-posted by another site.

Each document gets a MinHash signature of its kept text (word 5-shingles, case-folded; rensa,
which FIELD_NOTES measured 12x faster than datasketch at better F1 on 20k documents). Candidate
pairs come from LSH banding (``bands`` bands of ``num_perm / bands`` rows), done with numpy on
the signature matrix after the first pass, not in a dict of Python objects: memory stays at
``num_perm`` x 4 bytes plus ``bands`` x 8 bytes per document. A document is a duplicate when its
estimated Jaccard similarity (the share of equal signature entries) with an earlier candidate
reaches ``similarity``; every kept line of it is then dropped (``duplicate_document``) with the
id of the document it repeats and the similarity. The first occurrence in input order is kept,
so the decisions do not depend on how the run is split into shards or workers.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import reasons
from ..config import DedupConfig
from ..document import Document
from .base import Stage

_SEED = 1234567


def shingles(text: str, size: int) -> list[str]:
    words = text.casefold().split()
    if len(words) < size:
        return [" ".join(words)] if words else []
    return [" ".join(words[i : i + size]) for i in range(len(words) - size + 1)]


def signature(doc: Document, config: DedupConfig) -> np.ndarray | None:
    """The MinHash signature of the document's kept text, or None if it is too short to judge."""
    text = " ".join(line.text for line in doc.lines if line.kept)
    if len(text) < config.min_chars:
        return None
    from rensa import RMinHash

    mh = RMinHash(num_perm=config.num_perm, seed=_SEED)
    mh.update(shingles(text, config.shingle_words))
    # 16 bits of each minimum are enough to compare (two different minima agree by chance once
    # in 65,536) and halve the memory the run's signatures take: 256 bytes a document.
    return (np.asarray(mh.digest(), dtype=np.uint32) & 0xFFFF).astype(np.uint16)


def find_duplicates(
    signatures: list[np.ndarray | None], config: DedupConfig
) -> dict[int, tuple[int, float]]:
    """For each document (by position) that repeats an earlier one: (earlier position, similarity).

    Deterministic: a candidate is the first document of each LSH bucket the document falls in;
    among candidates reaching the threshold, the most similar wins, then the earliest.
    """
    present = [i for i, s in enumerate(signatures) if s is not None]
    if len(present) < 2:
        return {}
    rows_present = [s for s in signatures if s is not None]
    matrix = np.stack(rows_present)  # (n, num_perm) uint32
    n, perm = matrix.shape
    rows = perm // config.bands
    # One 64-bit key per band: the band's rows hashed together (FNV-style, vectorised).
    keys = np.empty((n, config.bands), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for b in range(config.bands):
            band = matrix[:, b * rows : (b + 1) * rows].astype(np.uint64)
            h = np.full(n, 1469598103934665603, dtype=np.uint64)
            for r in range(rows):
                h = (h ^ band[:, r]) * np.uint64(1099511628211)
            keys[:, b] = h
    # Candidate pairs (document, first document of a shared bucket), as numpy arrays: no
    # per-document Python objects, so memory follows the number of candidates, not of documents.
    pairs_j, pairs_f = [], []
    for b in range(config.bands):
        order = np.argsort(keys[:, b], kind="stable")  # ties keep input order
        sorted_keys = keys[order, b]
        starts = np.flatnonzero(np.r_[True, sorted_keys[1:] != sorted_keys[:-1]])
        first = np.repeat(order[starts], np.diff(np.r_[starts, n]))
        later = first < order
        pairs_j.append(order[later])
        pairs_f.append(first[later])
    del keys
    if not pairs_j or not sum(len(p) for p in pairs_j):
        return {}
    pairs = np.unique(
        np.stack([np.concatenate(pairs_j), np.concatenate(pairs_f)], axis=1), axis=0
    )  # sorted by document, then candidate
    out: dict[int, tuple[int, float]] = {}
    for lo in range(0, len(pairs), 65536):
        chunk = pairs[lo : lo + 65536]
        sims = np.count_nonzero(matrix[chunk[:, 0]] == matrix[chunk[:, 1]], axis=1) / perm
        for (j, c), sim in zip(chunk.tolist(), sims.tolist(), strict=True):
            if sim < config.similarity:
                continue
            best = out.get(present[j])
            rounded = round(sim, 3)
            # the most similar candidate wins, then the earliest (pairs come in that order)
            if best is None or rounded > best[1]:
                out[present[j]] = (present[c], rounded)
    return out


class NearDuplicateFilter(Stage):
    """Cross-document near-duplicates (two passes: observe every document, then drop)."""

    name = "duplicate_document"
    needs_corpus_pass = True

    def __init__(self, config: DedupConfig | None = None) -> None:
        super().__init__()
        self.config = config or DedupConfig()
        self.begin_observing()

    def begin_observing(self) -> None:
        self._signatures: list[np.ndarray | None] = []
        self._ids: list[str] = []
        #: position in the run -> (id of the document it repeats, similarity)
        self._decided: dict[int, tuple[str, float]] | None = None
        self._position = 0

    def observation(self, doc: Document) -> Any:
        """What a document contributes to the corpus-level decision (computed in workers)."""
        return (doc.id, signature(doc, self.config))

    def add_observation(self, observation: Any) -> None:
        doc_id, sig = observation
        self._ids.append(doc_id)
        self._signatures.append(sig)

    def add_summary(self, summary: Any) -> None:
        for observation in summary:
            self.add_observation(observation)

    def observe(self, doc: Document) -> None:
        self.add_observation(self.observation(doc))

    def decide(self) -> None:
        found = find_duplicates(self._signatures, self.config)
        self._decided = {j: (self._ids[i], sim) for j, (i, sim) in found.items()}
        self._signatures, self._ids = [], []  # the decisions are all that pass 2 needs

    def decisions(self) -> dict[int, tuple[str, float]]:
        assert self._decided is not None, "decide() first"
        return self._decided

    def shard_decisions(self, decisions: Any, start: int, end: int | None) -> Any:
        return {p: v for p, v in decisions.items() if p >= start and (end is None or p < end)}

    def load_decisions(self, decisions: dict[int, tuple[str, float]], start: int) -> None:
        """Pass 2 of one shard in another process: the run's decisions, and the position in
        the run of the shard's first document."""
        self._decided, self._position = decisions, start

    def process(self, doc: Document) -> None:
        """Documents must come in the order they were observed (as both passes do)."""
        if self._decided is None:
            self.decide()
        assert self._decided is not None
        position = self._position
        self._position += 1
        hit = self._decided.get(position)
        if hit is None:
            return
        earlier_id, sim = hit
        self.counts["documents"] += 1
        for line in doc.lines:
            if line.kept:
                line.drop(reasons.DUPLICATE_DOCUMENT, duplicate_of=earlier_id, similarity=sim)
                self.counts[reasons.DUPLICATE_DOCUMENT] += 1
