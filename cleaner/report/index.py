"""The main page's table of documents: a compact index, column by column, that the page's script
searches, sorts and filters (by site, language, reason) for runs of a million documents.

One JSON object, ``{"documents": N, "columns": [...], "codes": {...}, "counts": {...},
"values": {...}}``, where each column (:data:`COLUMNS`) is one array of N values:

- ``text`` (the id): front-coded, ``{"shared": [...], "rest": [...]}``: how many leading
  characters (UTF-16 units, as the script counts) it shares with the previous id, then the
  rest (ids of one site or file share most of theirs);
- ``int``: the numbers;
- ``code`` (site, language): small integers into ``codes[key]``, numbered in order of first
  appearance; ``counts[key]`` gives each one's documents, lines in and lines kept;
- ``reasons``: per document the sum of ``2 ** code`` over the reasons of its dropped lines
  (``codes.reasons``; at most 53, JavaScript's exact integers), ``counts.reasons`` the documents
  that show each.

A column is a key of the rows that :func:`cleaner.report.data.iter_documents` yields and one
:class:`Column` here; the page builds its header, cells, sorting and filters from this list.
The values are written to scratch files while the rows stream past, and copied into the page:
memory holds the codes, not the rows.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import IO, Any, BinaryIO

from .render import script_json_text


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    kind: str  # text | int | code | reasons
    title: str = ""  # the header's tooltip


COLUMNS = (
    Column("id", "id", "text"),
    Column("site", "site", "code"),
    Column("lang", "language", "code"),
    Column("lines_in", "lines in", "int"),
    Column("lines_kept", "kept", "int"),
    Column("fragments", "fragments", "int"),
    Column("pairs", "pairs", "int"),
    Column("reasons", "reasons", "reasons", "why lines were dropped; sorts by lines dropped"),
)
_MAX_REASONS = 53


class _Array:
    """One JSON array, written to a scratch file value by value."""

    def __init__(self, path: Path) -> None:
        self._fh: IO[bytes] = open(path, "w+b")  # noqa: SIM115 - closed by copy_to/close
        self._sep = b""

    def add(self, json_text: str) -> None:
        self._fh.write(self._sep + json_text.encode("utf-8"))
        self._sep = b","

    def copy_to(self, out: BinaryIO) -> None:
        out.write(b"[")
        self._fh.seek(0)
        shutil.copyfileobj(self._fh, out, 1 << 20)
        out.write(b"]")

    def close(self) -> None:
        self._fh.close()


class _Codes:
    """Names numbered in order of first appearance, with their documents and lines."""

    def __init__(self) -> None:
        self.codes: dict[str, int] = {}
        self.counts: list[list[int]] = []  # per code: documents, lines in, lines kept

    def code(self, name: str, row: dict[str, Any]) -> int:
        code = self.codes.setdefault(name, len(self.codes))
        if code == len(self.counts):
            self.counts.append([0, 0, 0])
        counted = self.counts[code]
        counted[0] += 1
        counted[1] += row.get("lines_in", 0)
        counted[2] += row.get("lines_kept", 0)
        return code


class IndexWriter:
    """Takes the rows in run order; writes the index into a page."""

    def __init__(self, scratch: Path, columns: Iterable[Column] = COLUMNS) -> None:
        self.columns = list(columns)
        self.documents = 0
        self._codes = {c.key: _Codes() for c in self.columns if c.kind in ("code", "reasons")}
        self._arrays: dict[str, list[_Array]] = {}
        for c in self.columns:
            parts = ("shared", "rest") if c.kind == "text" else ("",)
            self._arrays[c.key] = [_Array(scratch / f"index-{c.key}-{p}") for p in parts]
        self._previous: dict[str, str] = {}

    def add(self, row: dict[str, Any]) -> None:
        self.documents += 1
        for c in self.columns:
            arrays = self._arrays[c.key]
            value = row.get(c.key)
            if c.kind == "text":
                text = str(value or "")
                shared, units = _shared_prefix(self._previous.get(c.key, ""), text)
                arrays[0].add(str(units))
                arrays[1].add(script_json_text(text[shared:]))
                self._previous[c.key] = text
            elif c.kind == "code":
                arrays[0].add(str(self._codes[c.key].code(str(value or ""), row)))
            elif c.kind == "reasons":
                arrays[0].add(str(self._mask(c.key, value or {}, row)))
            else:
                arrays[0].add(str(int(value or 0)))

    def _mask(self, key: str, reasons: dict[str, int], row: dict[str, Any]) -> int:
        mask = 0
        for reason in reasons:
            code = self._codes[key].code(reason, row)
            if code >= _MAX_REASONS:
                raise ValueError(f"more than {_MAX_REASONS} reasons: the index cannot hold them")
            mask |= 1 << code
        return mask

    def codes(self) -> dict[str, dict[str, list[int]]]:
        """Per coded column, each name's documents, lines in and lines kept (for the panels)."""
        return {key: dict(zip(c.codes, c.counts, strict=True)) for key, c in self._codes.items()}

    def write_json(self, out: BinaryIO, **extra: Any) -> None:
        head = {
            "documents": self.documents,
            **extra,
            "columns": [asdict(c) for c in self.columns],
            "codes": {key: list(c.codes) for key, c in self._codes.items()},
            "counts": {key: [n[0] for n in c.counts] for key, c in self._codes.items()},
        }
        out.write(script_json_text(head)[:-1].encode("utf-8") + b',"values":{')
        for i, c in enumerate(self.columns):
            out.write(b"," if i else b"")
            out.write(script_json_text(c.key).encode("utf-8") + b":")
            arrays = self._arrays[c.key]
            if c.kind == "text":
                out.write(b'{"shared":')
                arrays[0].copy_to(out)
                out.write(b',"rest":')
                arrays[1].copy_to(out)
                out.write(b"}")
            else:
                arrays[0].copy_to(out)
        out.write(b"}}")

    def close(self) -> None:
        for arrays in self._arrays.values():
            for array in arrays:
                array.close()


def _shared_prefix(a: str, b: str) -> tuple[int, int]:
    """The characters ``a`` and ``b`` start with in common: how many, and their length in the
    UTF-16 units of the page's strings (a character beyond U+FFFF is two)."""
    n = min(len(a), len(b))
    i = units = 0
    while i < n and a[i] == b[i]:
        units += 2 if ord(a[i]) > 0xFFFF else 1
        i += 1
    return i, units
