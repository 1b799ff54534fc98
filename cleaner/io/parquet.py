"""Parquet in and out, with pyarrow.

In: a ``.parquet`` file with a string ``text`` column (and an optional ``id``) is read a batch
of rows at a time (``ParquetFile.iter_batches``), so a file of millions of rows never sits in
memory whole. Every other column is carried, value for value, to ``clean.parquet``, with the
input file's own Arrow types: the writer reads the schema back from the input file.

Out: :class:`ParquetSink` writes tables into one file in row groups of a fixed size, whatever
the sizes of the pieces it is given, so the bytes of ``clean.parquet`` and
``parallel/corpus.parquet`` do not depend on how the run was cut into shards.
:func:`merge_parquet` assembles the shards' files into one, under a schema that fits them all.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from .. import reasons
from ..document import Document, split_paragraphs
from ..errors import MissingDependencyError
from ..sites import site_from

PARQUET_SUFFIXES = (".parquet",)
#: Rows read from the input at a time.
BATCH_ROWS = 1024
#: Rows per row group of the files written.
ROW_GROUP_ROWS = 4096
#: Columns added to every clean.parquet row (as to clean.jsonl records) when the input has none.
ADDED_COLUMNS = ("title", "source")


def load_pyarrow() -> tuple[Any, Any]:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:  # pragma: no cover - a core dependency
        raise MissingDependencyError("Parquet needs pyarrow: pip install pyarrow") from None
    return pa, pq


def text_field(field: str) -> dict[str, str]:
    """A record document's ``text_field`` metadata: the field (JSON Lines) or column (Parquet)
    its clean text is written back into, where it is not ``text``."""
    return {} if field == "text" else {"text_field": field}


def read_parquet(
    path: str, relative: str, unique: Callable[[str], str], column: str = "text"
) -> Iterator[Document | tuple[str, int | None, str]]:
    """Documents of a Parquet file (their text in ``column``), and ``(reason, row, message)``
    for rows (or a file) that cannot be documents; rows are numbered from 1, like the lines of
    a JSONL file."""
    pa, pq = load_pyarrow()
    row = 0
    try:
        pf = pq.ParquetFile(path)
        names = pf.schema_arrow.names
        field = pf.schema_arrow.field(column) if column in names else None
        if field is None or not (pa.types.is_string(field.type) or _is_large_string(pa, field)):
            found = f"no {column!r} column" if field is None else f"{column!r} is {field.type}"
            yield (reasons.MISSING_TEXT, None, f"{found}: a string {column!r} column is needed")
            return
        for batch in pf.iter_batches(batch_size=BATCH_ROWS):
            for record in batch.to_pylist():
                row += 1
                yield _document(path, relative, row, record, unique, column)
    except (OSError, pa.ArrowException) as e:
        where = f"after row {row}" if row else "at the start"
        yield (reasons.CORRUPT_ARCHIVE, row + 1 if row else None, f"damaged Parquet {where}: {e}")


def _is_large_string(pa: Any, field: Any) -> bool:
    return bool(pa.types.is_large_string(field.type))


def _document(
    path: str,
    relative: str,
    row: int,
    record: dict[str, Any],
    unique: Callable[[str], str],
    column: str = "text",
) -> Document | tuple[str, int | None, str]:
    text = record.pop(column)
    if not isinstance(text, str):
        return (reasons.MISSING_TEXT, row, "null text")
    paragraphs = split_paragraphs(text)
    if not paragraphs:
        return (reasons.EMPTY_DOCUMENT, row, "empty text")
    raw_id = record.get("id")
    if raw_id is None or isinstance(raw_id, bool) or not isinstance(raw_id, str | int):
        base = f"{relative}-{row}"
    else:
        base = str(raw_id)
    return Document.from_paragraphs(
        unique(base),
        paragraphs,
        source=f"{path}:{row}",
        metadata={
            "format": "parquet",
            "encoding": "utf-8",
            "site": site_from(record, path, relative),
            "fields": record,
            # the writer gives clean.parquet this file's column types
            "parquet_schema": str(Path(path).resolve()),
            **text_field(column),
        },
    )


@lru_cache(maxsize=16)
def input_schema(path: str) -> Any:
    """The Arrow schema of an input Parquet file (read once per file and process)."""
    _, pq = load_pyarrow()
    return pq.read_schema(path)


def record_table(rows: Sequence[dict[str, Any]], schema_path: str | None) -> Any:
    """The rows of a shard's clean records as a table: with the input file's types for
    Parquet input, else with the types pyarrow infers (a field whose values do not share one
    type is written as JSON text)."""
    pa, _ = load_pyarrow()
    if schema_path is not None:
        schema = input_schema(schema_path)
        for name in ADDED_COLUMNS:
            if name not in schema.names:
                schema = schema.append(pa.field(name, pa.string()))
        return pa.Table.from_pylist(list(rows), schema=schema)
    names: list[str] = []
    for r in rows:
        names.extend(k for k in r if k not in names)
    columns = {name: _column(pa, [r.get(name) for r in rows]) for name in names}
    return pa.table(columns)


def _column(pa: Any, values: list[Any]) -> Any:
    try:
        return pa.array(values)
    except (pa.ArrowException, TypeError, ValueError, OverflowError):
        return pa.array([_json_text(v) for v in values], type=pa.string())


def _json_text(value: Any) -> str | None:
    if value is None:
        return None
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


class ParquetSink:
    """One Parquet file written in row groups of ``ROW_GROUP_ROWS`` rows, whatever the sizes
    of the tables added (the file's bytes do not depend on them)."""

    def __init__(self, path: Path, schema: Any) -> None:
        _, pq = load_pyarrow()
        self.schema = schema
        self._writer = pq.ParquetWriter(str(path), schema, compression="zstd")
        self._pending: list[Any] = []
        self._rows = 0
        self.count = 0

    def add(self, table: Any) -> None:
        if table.num_rows == 0:
            return
        self._pending.append(table)
        self._rows += table.num_rows
        self.count += table.num_rows
        if self._rows >= ROW_GROUP_ROWS:
            self._flush(final=False)

    def _flush(self, final: bool) -> None:
        pa, _ = load_pyarrow()
        if not self._pending:
            return
        table = pa.concat_tables(self._pending)
        whole = (table.num_rows // ROW_GROUP_ROWS) * ROW_GROUP_ROWS
        cut = table.num_rows if final else whole
        for start in range(0, cut, ROW_GROUP_ROWS):
            group = table.slice(start, min(ROW_GROUP_ROWS, cut - start))
            self._writer.write_table(_one_chunk(pa, group))
        rest = table.slice(cut)
        self._pending = [rest] if rest.num_rows else []
        self._rows = rest.num_rows

    def close(self) -> None:
        self._flush(final=True)
        self._writer.close()

    def abort(self) -> None:
        """Close without writing what is pending (the run failed; the file is thrown away)."""
        self._pending = []
        self._writer.close()


def _one_chunk(pa: Any, table: Any) -> Any:
    """``table`` as one chunk per column, dictionaries rebuilt from the values in order: the
    writer's pages follow the chunks and its dictionaries the arrays', so without this the
    bytes would depend on how the rows arrived."""
    columns = []
    for col in table.columns:
        if pa.types.is_dictionary(col.type):
            values = col.cast(col.type.value_type).combine_chunks()
            col = values.dictionary_encode().cast(col.type)
        columns.append(col.combine_chunks() if isinstance(col, pa.ChunkedArray) else col)
    return pa.Table.from_arrays(columns, schema=table.schema)


def merge_parquet(parts: Sequence[Path], target: Path) -> None:
    """Write the rows of ``parts`` (in order) into ``target``, under one schema: the parts'
    own when they agree (Parquet input: the input's types, untouched), else their fields
    unified, a field whose types cannot be unified becoming JSON text."""
    pa, pq = load_pyarrow()
    schemas = [pq.read_schema(p) for p in parts]
    schema = _common_schema(pa, schemas)
    sink = ParquetSink(target, schema)
    try:
        for part in parts:
            pf = pq.ParquetFile(part)
            for k in range(pf.num_row_groups):
                sink.add(_conform(pa, pf.read_row_group(k), schema))
    finally:
        sink.close()


def _common_schema(pa: Any, schemas: Sequence[Any]) -> Any:
    if all(s.equals(schemas[0]) for s in schemas[1:]):
        return schemas[0]
    fields: dict[str, list[Any]] = {}
    for s in schemas:
        for f in s:
            fields.setdefault(f.name, []).append(f)
    out = []
    for name, found in fields.items():
        try:
            unified = pa.unify_schemas(
                [pa.schema([f]) for f in found], promote_options="permissive"
            ).field(name)
        except (pa.ArrowException, TypeError):
            unified = pa.field(name, pa.string())
        out.append(unified.with_nullable(True))
    return pa.schema(out)


def _conform(pa: Any, table: Any, schema: Any) -> Any:
    """``table`` with ``schema``'s columns: missing ones null, others cast, or as JSON text."""
    columns = []
    for f in schema:
        if f.name not in table.column_names:
            columns.append(pa.nulls(table.num_rows, f.type))
            continue
        col = table.column(f.name)
        if col.type.equals(f.type):
            columns.append(col)
            continue
        try:
            columns.append(col.cast(f.type))
        except (pa.ArrowException, TypeError, ValueError):
            columns.append(pa.array([_json_text(v) for v in col.to_pylist()], type=f.type))
    return pa.Table.from_arrays(columns, schema=schema)
