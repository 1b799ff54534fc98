"""Drop documents that repeat an earlier document of the run: the same article scraped under
two URLs, or re-posted by another site.

Each document gets a MinHash signature of its kept text (word 5-shingles, case-folded, each
character of U+3000 to U+9FFF a word: Chinese characters, kana and CJK punctuation, whose
scripts put no space between words. Read as one word, a whole line of Chinese let pages of one
site sharing a long menu pass for copies of each other, while a story re-posted with one
figure changed went unnoticed; on the boilerplate benchmark's pages 13 held-out and 22 train
pages were dropped as copies, 12 and 16 of them Chinese stories unlike the page they were
said to repeat; 3 and 6 now. Rensa,
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

import threading
from typing import Any

import numpy as np

from .. import reasons
from ..config import DedupConfig
from ..document import Document, folded_texts
from .base import Stage

_SEED = 1234567


_P = np.uint64(0x100000001B3)  # odd, so invertible modulo 2**64
_P_INV = np.uint64(pow(0x100000001B3, -1, 2**64))
_Q = np.uint64(0x9E3779B97F4A7C15)


_POWERS: dict[int, np.ndarray] = {}


def _powers(base: np.uint64, n: int) -> np.ndarray:
    """base**0 .. base**(n-1) modulo 2**64, computed once and grown by doubling (they are the
    bulk of the hashing's work otherwise)."""
    key = int(base)
    have = _POWERS.get(key)
    if have is None or len(have) < n:
        size = max(n, 2 * len(have) if have is not None else 1 << 16)
        out = np.empty(size, dtype=np.uint64)
        out[0] = 1
        with np.errstate(over="ignore"):
            out[1:] = np.cumprod(np.full(size - 1, base, dtype=np.uint64))
        _POWERS[key] = have = out
    return have[:n]


def _mix(h: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser: spreads the bits of the polynomial hashes."""
    with np.errstate(over="ignore"):
        h = (h ^ (h >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        h = (h ^ (h >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return h ^ (h >> np.uint64(31))


_SCRATCH = threading.local()
#: The largest scratch buffer kept, in items: at most about 42 MB held per thread (two uint64
#: and five one-byte buffers; about 20 MB for chunks of French text, whose 500,000 characters
#: are some 520,000 bytes); a longer text gets buffers of its own, freed after.
_SCRATCH_KEPT = 1 << 21


def _scratch(name: str, n: int, dtype: type) -> np.ndarray:
    """A reusable buffer of ``n`` items for this thread, grown by doubling up to
    :data:`_SCRATCH_KEPT` and never freed.
    The hashing's temporaries are megabytes per chunk of texts: allocated afresh, glibc serves
    them by ``mmap`` or from a trimmed heap depending on what the process freed before, and
    every page of them is then faulted in again (62,000 page faults a 10 MB run, and 5 % of
    the cleaning benchmark, in one allocation history; none in another)."""
    if n > _SCRATCH_KEPT:  # a text larger than a hashing chunk: not worth holding on to
        return np.empty(n, dtype=dtype)
    buf = getattr(_SCRATCH, name, None)
    if buf is None or len(buf) < n:
        size = min(max(n, 1 << 16, 2 * len(buf) if buf is not None else 0), _SCRATCH_KEPT)
        buf = np.empty(size, dtype=dtype)
        setattr(_SCRATCH, name, buf)
    return buf[:n]


def _word_bounds(b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Where the words of UTF-8 bytes ``b`` start and end: runs of bytes other than spaces
    and control characters, and each character of U+3000 to U+9FFF (Chinese and Japanese
    letters, CJK punctuation: their scripts write no space between words) a word of its own."""
    n = len(b)
    word = np.greater(b, 32, out=_scratch("word", n, np.bool_))  # not a space or newline
    opens = _scratch("opens", n, np.bool_)
    opens[0] = True
    np.logical_not(word[:-1], out=opens[1:])
    closes = _scratch("closes", n, np.bool_)
    closes[-1] = True
    np.logical_not(word[1:], out=closes[:-1])
    # first byte of a character of U+3000 to U+9FFF: 0xE3 to 0xE9 (b - 0xE3 wraps below it)
    lead = np.less_equal(
        np.subtract(b, 0xE3, out=_scratch("byte", n, np.uint8)),
        6,
        out=_scratch("lead", n, np.bool_),
    )
    if lead.any():
        at = np.flatnonzero(lead)
        opens[at] = True
        closes[at[at > 0] - 1] = True  # the byte before one ends a word
        closes[at + 2] = True  # each is 3 bytes long in valid UTF-8
        opens[at[at + 3 < n] + 3] = True
    starts = np.flatnonzero(np.logical_and(word, opens, out=opens))
    return starts, np.flatnonzero(np.logical_and(word, closes, out=closes)) + 1


def shingle_hashes(texts: list[str], size: int) -> list[np.ndarray]:
    """64-bit hashes of the word ``size``-grams of each text (already case-folded; a text with
    fewer words gives one gram of them all), computed on UTF-8 bytes with numpy over a whole
    batch of texts at once: no Python string per word or per shingle (building them cost more
    than the other stages of the first pass together), and the same hashes in every process
    (Python's own ``hash`` of a string is not)."""
    if not texts:
        return []
    b = np.frombuffer("\n".join(texts).encode("utf-8", "surrogatepass"), dtype=np.uint8)
    n = len(b)
    empty = np.empty(0, dtype=np.uint64)
    if n == 0:
        return [empty for _ in texts]
    starts, ends = _word_bounds(b)
    separators = np.flatnonzero(b == 10)
    text_of_word = np.searchsorted(separators, starts)  # which text each word is in
    counts = np.bincount(text_of_word, minlength=len(texts))
    with np.errstate(over="ignore"):
        weighted = np.add(b, np.uint64(1), out=_scratch("weighted", n, np.uint64))
        np.multiply(weighted, _powers(_P, n), out=weighted)
        prefix = _scratch("prefix", n + 1, np.uint64)
        prefix[0] = 0
        np.cumsum(weighted, out=prefix[1:])
        # sum over a word of (byte + 1) * P**position, moved back to position 0
        words = (prefix[ends] - prefix[starts]) * _powers(_P_INV, n)[starts]
        m = len(words)
        k = size
        if m >= k:
            grams = words[: m - k + 1].copy()
            for i in range(1, k):
                grams = grams * _Q + words[i : m - k + 1 + i]
            keep = text_of_word[: m - k + 1] == text_of_word[k - 1 :]  # not across texts
            grams, gram_text = grams[keep], text_of_word[: m - k + 1][keep]
        else:
            grams, gram_text = empty, np.empty(0, dtype=np.int64)
        out = np.split(_mix(grams), np.cumsum(np.bincount(gram_text, minlength=len(texts)))[:-1])
        # texts of 1..k-1 words: one gram of all their words
        for t in np.flatnonzero((counts > 0) & (counts < k)).tolist():
            h = np.uint64(0)
            for w in words[text_of_word == t]:
                h = h * _Q + w
            out[t] = _mix(np.array([h], dtype=np.uint64))
    return out


def signatures(hash_lists: list[np.ndarray | None], config: DedupConfig) -> list[np.ndarray | None]:
    """MinHash signatures (16-bit entries) of many documents' shingle hashes, in one call."""
    present = [h for h in hash_lists if h is not None]
    if not present:
        return [None] * len(hash_lists)
    from rensa import RMinHash

    offsets = np.zeros(len(present) + 1, dtype=np.uint64)
    np.cumsum([len(h) for h in present], out=offsets[1:])
    matrix = RMinHash.digest_matrix_from_flat_token_hashes(
        np.concatenate(present), offsets, config.num_perm, _SEED
    )
    # 16 bits of each minimum are enough to compare (two different minima agree by chance once
    # in 65,536) and halve the memory the run's signatures take: 256 bytes a document.
    rows = iter((np.asarray(matrix.to_rows(), dtype=np.uint32) & 0xFFFF).astype(np.uint16))
    return [next(rows) if h is not None else None for h in hash_lists]


#: Sentence ends, and the closing quotes and brackets read past to find one: the line model's
#: (``linemodel.features``), plus the spaces French puts inside its quotes ("non. »"), which
#: the model's feature does not read past and cannot start to without being retrained.
_SENTENCE_ENDS = frozenset(".!?…。！？")
_CLOSERS = " \u00a0\u202f\"'»”’)]」』）"


def _ends_sentence(text: str) -> bool:
    return text.rstrip().rstrip(_CLOSERS)[-1:] in _SENTENCE_ENDS


def document_text(doc: Document, config: DedupConfig) -> str | None:
    """The case-folded text that is compared: the kept prose lines (``prose_chars``
    characters or more, ending a sentence) if they hold ``min_chars``, else all the kept
    lines; None if those are too short to judge."""
    kept = [line for line in doc.lines if line.kept]
    if sum(len(line.text) for line in kept) < config.min_chars:
        return None
    folded = folded_texts(kept)  # each line's cached folding, where current
    if config.prose_chars:
        least = config.prose_chars
        prose = " ".join(
            f
            for f, line in zip(folded, kept, strict=True)
            if len(line.text) >= least and _ends_sentence(line.text)
        )
        if len(prose) >= config.min_chars:
            return prose
    return " ".join(folded)


#: Texts are hashed in groups of about this many characters: the numpy work takes some 50
#: bytes per character, so memory stays bounded whatever the shard size.
HASH_CHUNK_CHARS = 500_000


def batch_signatures(texts: list[str | None], config: DedupConfig) -> list[np.ndarray | None]:
    present = [t for t in texts if t is not None]
    hashes: list[np.ndarray] = []
    start, size = 0, 0
    for i, text in enumerate(present):
        size += len(text)
        if size >= HASH_CHUNK_CHARS or i == len(present) - 1:
            hashes.extend(shingle_hashes(present[start : i + 1], config.shingle_words))
            start, size = i + 1, 0
    it = iter(hashes)
    per_text = [next(it) if t is not None else None for t in texts]
    return signatures([h if h is not None and len(h) else None for h in per_text], config)


def signature(doc: Document, config: DedupConfig) -> np.ndarray | None:
    """The MinHash signature of one document's kept text (None if too short to judge)."""
    return batch_signatures([document_text(doc, config)], config)[0]


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
        return (doc.id, document_text(doc, self.config))

    def summarize(self, observations: list[Any]) -> Any:
        """A shard's ids and signatures, the signatures computed in one batch."""
        ids = [doc_id for doc_id, _ in observations]
        sigs = batch_signatures([text for _, text in observations], self.config)
        return list(zip(ids, sigs, strict=True))

    def add_observation(self, observation: Any) -> None:
        doc_id, sig = observation
        self._ids.append(doc_id)
        self._signatures.append(sig)

    def add_summary(self, summary: Any) -> None:
        for observation in summary:
            self.add_observation(observation)

    def observe(self, doc: Document) -> None:
        self.add_summary(self.summarize([self.observation(doc)]))

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
