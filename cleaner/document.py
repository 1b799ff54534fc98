"""The one data type that flows through every stage.

A :class:`Document` holds its lines; each :class:`Line` keeps the text it arrived with
(``original``), its current text (``text``, edited only by the encoding stage and by heading
clean-up), whether it is kept, and if not, the named reason and the evidence for it. Stages
annotate; :func:`cleaner.render.render_text` turns the annotations into clean text at the end,
so every removed line can be explained and audited.

Stray-language spans (:class:`Span`) carry a ``translation`` slot that the translation stage
fills; until then they stay in the text and are listed in ``fragments.jsonl``.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

KEEP = "keep"
DROP = "drop"

#: A line that is the document's title (moved to the head of the clean text).
ROLE_TITLE = "title"
ROLE_BODY = "body"


@dataclass(slots=True)
class Span:
    """A stretch of a line in a language other than the target (offsets into ``Line.text``)."""

    start: int
    end: int
    text: str
    lang: str
    #: ``"span"`` for a stretch found by script inside a line, ``"line"`` for a whole line
    #: that language identification found to be in another language.
    kind: str = "span"
    translation: str | None = None
    pivot: str | None = None
    #: The package(s) that translated it (two when pivoting).
    packages: tuple[str, ...] = ()
    #: Latin names and numbers inside a CJK span that the translation had to keep verbatim.
    protected: tuple[str, ...] = ()
    #: Why the fragment could not be translated (``no_package``, ``han_left``...), else None.
    problem: str | None = None
    #: A whole line translated sentence by sentence: each sentence and its translation, in
    #: order (so that a pair can keep the page's own sentence on its other side).
    parts: tuple[tuple[str, str], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "lang": self.lang,
            "kind": self.kind,
            "translation": self.translation,
            "pivot": self.pivot,
            "packages": list(self.packages),
            "protected": list(self.protected),
            "problem": self.problem,
            "parts": [list(p) for p in self.parts],
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Span:
        d = dict(d)
        d["packages"] = tuple(d.get("packages", ()))
        d["protected"] = tuple(d.get("protected", ()))
        d["parts"] = tuple((a, b) for a, b in d.get("parts", ()))
        return cls(**d)


#: Where a side of a sentence pair comes from (see :data:`cleaner.config.ORIGINS`).
ORIGINAL = "original"
CONTAINS_TRANSLATION = "contains_translation"
TRANSLATED = "translated"
#: A sentence holding a foreign fragment left untranslated (no package for its language, or
#: the translation failed): its "French" is not French.
FOREIGN = "foreign"


@dataclass(frozen=True, slots=True)
class Splice:
    """A translated fragment spliced into a sentence: its offsets in the sentence (0-based,
    end excluded) and the language it was translated from."""

    start: int
    end: int
    lang: str

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "lang": self.lang}


@dataclass(slots=True)
class Pair:
    """A sentence of the clean text and its translation, for the parallel corpus, with where
    each side comes from."""

    #: Position of the sentence in the document's clean text (0-based).
    index: int
    #: The input line (1-based) the sentence comes from.
    line: int
    source: str
    target: str = ""
    #: The packages that made the target side (none when it is the page's own text).
    packages: tuple[str, ...] = ()
    pivot: str | None = None
    kept: bool = True
    reason: str | None = None
    detail: dict[str, Any] | None = None
    #: Where the source (French) side comes from: ``original``, ``contains_translation`` or
    #: ``translated``; ``splices`` are the translated fragments in it.
    source_origin: str = ORIGINAL
    splices: tuple[Splice, ...] = ()
    #: Where the target side comes from: ``translated`` (machine output), or ``original`` when
    #: the page's own sentence was at hand (an English quote translated into French).
    target_origin: str = TRANSLATED

    def provenance(self, source_lang: str, target_lang: str) -> dict[str, Any]:
        """The pair's provenance fields, as every corpus format records them."""
        return {
            f"{source_lang}_origin": self.source_origin,
            f"{source_lang}_fragments": [s.to_dict() for s in self.splices],
            f"{target_lang}_origin": self.target_origin,
        }

    def drop(self, reason: str, **detail: Any) -> None:
        self.kept = False
        self.reason = reason
        self.detail = detail


@dataclass(slots=True)
class Line:
    """One paragraph of a document, with its history."""

    number: int  # 1-based position in the input document
    original: str
    text: str
    #: False once a stage has dropped the line (a plain attribute: it is read in every stage's
    #: inner loop).
    kept: bool = True
    reason: str | None = None
    #: The evidence for the drop (``None`` while the line is kept).
    detail: dict[str, Any] | None = None
    role: str = ROLE_BODY
    lang: str | None = None
    #: Stretches in other languages (a shared empty tuple until some are found: most lines
    #: have none, and millions of empty lists would keep the garbage collector busy).
    spans: list[Span] | tuple[()] = ()
    #: 64-bit hash of the line's normalised content (case, spacing and punctuation removed),
    #: set by the second-copy stage and reused by the corpus-level filters.
    fingerprint: int | None = None
    #: What the encoding stage did to the text that the text alone does not say (the repair
    #: that undid mojibake, the format characters removed), or None.
    edits: dict[str, Any] | None = None
    #: The name of the keep rule of the pattern library that matched the line, or None: a
    #: pinned line is dropped for no boilerplate reason (``boilerplate_pattern``,
    #: ``boilerplate_template``, ``boilerplate_model``), whatever the rules or the model say.
    pinned: str | None = None
    # text.casefold(), computed once and shared by the stages that compare text without case,
    # and the text it was computed for: recomputed whenever ``text`` has changed since. (Two
    # fields rather than a tuple: one object less per line for the garbage collector.)
    _folded: str | None = field(default=None, repr=False, compare=False)
    _folded_of: str | None = field(default=None, repr=False, compare=False)
    # The text last found to hold no character of the CJK blocks (see note_cjk_free): the
    # encoding stage's document scan sees every character anyway, and tells the language
    # stage which lines it need not scan again. Stale as soon as ``text`` changes.
    _cjk_free: str | None = field(default=None, repr=False, compare=False)

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        # A plain tuple, not the dict of slots dataclasses pickle by default: documents travel
        # between processes and through the spool, and this halves the time that takes.
        return (
            Line,
            (
                self.number,
                self.original,
                self.text,
                self.kept,
                self.reason,
                self.detail,
                self.role,
                self.lang,
                self.spans,
                self.fingerprint,
                self.edits,
                self.pinned,
            ),
        )

    def folded(self) -> str:
        """``text.casefold()``, cached while ``text`` stays the same."""
        folded = self._folded
        if folded is not None and self._folded_of is self.text:
            return folded
        folded = self.text.casefold()
        self._folded = folded
        self._folded_of = self.text
        return folded

    @property
    def status(self) -> str:
        """``keep`` or ``drop``."""
        return KEEP if self.kept else DROP

    def drop(self, reason: str, **detail: Any) -> None:
        """Mark the line as removed, with a named reason and the evidence for it."""
        self.kept = False
        self.reason = reason
        self.detail = detail

    def to_dict(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "original": self.original,
            "text": self.text,
            "status": self.status,
            "reason": self.reason,
            "detail": self.detail or {},
            "role": self.role,
            "lang": self.lang,
            "spans": [s.to_dict() for s in self.spans],
            "fingerprint": self.fingerprint,
            "edits": self.edits,
            "pinned": self.pinned,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Line:
        d = dict(d)
        d["spans"] = [Span.from_dict(s) for s in d["spans"]] if d.get("spans") else ()
        d["detail"] = d.get("detail") or None
        d["kept"] = d.pop("status") == KEEP
        for private in ("_folded", "_folded_of", "_cjk_free"):
            d.pop(private, None)
        return cls(**d)


class Document:
    """A scraped page: an id, where it came from, its lines and its metadata.

    ``metadata`` holds what the pipeline learns (``title``, ``source``, ``encoding``, ``lang``)
    and, for JSONL input, every field of the input record other than ``text``, carried through
    untouched under ``metadata["fields"]``.

    A document fresh from a reader (:meth:`from_paragraphs`) holds only its paragraphs until
    ``lines`` is first read: the coordinator of a run with workers reads and ships documents
    without ever building their :class:`Line` objects, which only the worker needs.
    """

    __slots__ = ("id", "source", "metadata", "pairs", "_lines", "_paragraphs")

    def __init__(
        self,
        id: str,
        lines: list[Line],
        source: str = "<memory>",
        metadata: dict[str, Any] | None = None,
        pairs: list[Pair] | None = None,
    ) -> None:
        self.id = id
        self._lines: list[Line] | None = lines
        self._paragraphs: list[str] | None = None
        self.source = source
        self.metadata: dict[str, Any] = {} if metadata is None else metadata
        #: Sentence pairs of the parallel corpus (filled by the translation stages).
        self.pairs: list[Pair] = [] if pairs is None else pairs

    @classmethod
    def from_paragraphs(
        cls,
        id: str,
        paragraphs: list[str],
        source: str = "<memory>",
        metadata: dict[str, Any] | None = None,
    ) -> Document:
        """A document whose line ``n`` will be ``paragraphs[n - 1]``, as it arrived."""
        doc = cls(id, [], source, metadata)
        doc._lines = None
        doc._paragraphs = paragraphs
        return doc

    @property
    def lines(self) -> list[Line]:
        lines = self._lines
        if lines is None:
            lines = self._lines = lines_from_paragraphs(self._paragraphs or [])
            self._paragraphs = None
        return lines

    def input_chars(self) -> int:
        """Characters of the document as it arrived (each paragraph and its newline)."""
        if self._lines is None:
            paragraphs = self._paragraphs or []
            return sum(map(len, paragraphs)) + len(paragraphs)
        return sum(len(ln.original) for ln in self._lines) + len(self._lines)

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        # A document fresh from the reader (every line as it arrived) travels as its list of
        # paragraphs: pickling strings is several times cheaper than pickling Line objects, and
        # the coordinator sends every document to a worker.
        if self._lines is None:
            packed: list[Line] | list[str] = self._paragraphs or []
        else:
            lines = self._lines
            pristine = all(
                ln.text is ln.original
                and ln.kept
                and ln.number == i
                and ln.reason is None
                and ln.detail is None
                and ln.role == ROLE_BODY
                and ln.lang is None
                and not ln.spans
                and ln.fingerprint is None
                and ln.edits is None
                and ln.pinned is None
                for i, ln in enumerate(lines, 1)
            )
            packed = [ln.original for ln in lines] if pristine else lines
        return (_rebuild_document, (self.id, packed, self.source, self.metadata, self.pairs))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Document):
            return NotImplemented
        return (self.id, self.lines, self.source, self.metadata, self.pairs) == (
            other.id,
            other.lines,
            other.source,
            other.metadata,
            other.pairs,
        )

    __hash__ = None  # type: ignore[assignment]  # mutable, like the dataclass it replaces

    def __repr__(self) -> str:
        return (
            f"Document(id={self.id!r}, lines={self.lines!r}, source={self.source!r}, "
            f"metadata={self.metadata!r}, pairs={self.pairs!r})"
        )

    @classmethod
    def from_text(
        cls, text: str, id: str = "doc", source: str = "<memory>", **metadata: Any
    ) -> Document:
        """Build a document from text with one paragraph per line."""
        return cls(id=id, lines=lines_from_text(text), source=source, metadata=dict(metadata))

    def kept_lines(self) -> list[Line]:
        return [ln for ln in self.lines if ln.kept]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "source": self.source,
            "metadata": self.metadata,
            "lines": [ln.to_dict() for ln in self.lines],
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Document:
        return cls(
            id=d["id"],
            source=d["source"],
            metadata=d["metadata"],
            lines=[Line.from_dict(x) for x in d["lines"]],
        )


def _rebuild_document(
    id: str, lines: list, source: str, metadata: dict[str, Any], pairs: list[Pair]
) -> Document:
    if lines and isinstance(lines[0], str):
        doc = Document.from_paragraphs(id, lines, source, metadata)
        doc.pairs = pairs
        return doc
    return Document(id, lines, source, metadata, pairs)


def split_paragraphs(text: str) -> list[str]:
    """Split text into paragraphs, one per line, accepting any newline convention.

    ``str.splitlines`` would also split on form feeds, U+2028 and other separators that
    scrapers leave inside paragraphs; only CR, LF and CRLF end a line here.
    """
    if not text:
        return []
    if "\r" in text:  # a one-character search, cheaper than two replace() scans that find nothing
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    parts = text.split("\n")
    if parts and parts[-1] == "":
        parts.pop()  # a trailing newline ends the last line, it does not start a new one
    return parts


def lines_from_paragraphs(paragraphs: list[str]) -> list[Line]:
    # Line(number, original, text)
    return list(map(Line, itertools.count(1), paragraphs, paragraphs))


def lines_from_text(text: str) -> list[Line]:
    return lines_from_paragraphs(split_paragraphs(text))


def fold_lines(lines: list[Line]) -> list[str]:
    """``line.folded()`` of each line, case-folding all of them in one call (``casefold`` maps
    each character on its own and never to a newline, so the joined text folds line by line),
    and cached on the lines the same way."""
    texts = [line.text for line in lines]
    folded = "\n".join(texts).casefold().split("\n")
    if len(folded) != len(texts):  # a line holds a newline of its own
        return [line.folded() for line in lines]
    for line, text, lowered in zip(lines, texts, folded, strict=True):
        line._folded = lowered
        line._folded_of = text
    return folded


def folded_texts(lines: list[Line]) -> list[str]:
    """``line.folded()`` of each line; the cached value, where current, read in place."""
    return [
        f if (f := line._folded) is not None and line._folded_of is line.text else line.folded()
        for line in lines
    ]


def line_starts(texts: list[str]) -> list[int]:
    """Where each text begins in ``"\\n".join(texts)``, plus one past the end: the line holding
    a position ``p`` of the joined text is ``bisect.bisect_right(starts, p) - 1``."""
    # len + 1 for the newline, summed in C (map and accumulate) rather than in a generator
    return list(itertools.accumulate(map((1).__add__, map(len, texts)), initial=0))


def note_cjk_free(lines: list[Line], holding_cjk: Iterable[int] = ()) -> None:
    """Record that the current text of each line, but those at the indexes ``holding_cjk``,
    holds no character of the CJK blocks (:data:`cleaner.script.HAS_CJK`); the note holds
    until the text changes."""
    for line in lines:
        line._cjk_free = line.text
    for i in holding_cjk:
        lines[i]._cjk_free = None


def lines_not_known_cjk_free(lines: list[Line]) -> list[int]:
    """Indexes of the lines whose current text is not noted as free of CJK characters."""
    return [i for i, line in enumerate(lines) if line._cjk_free is not line.text]
