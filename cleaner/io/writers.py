"""Writing a run's outputs atomically.

Everything is written into a staging folder inside the output directory; only when the run
completes are the files moved into place (``os.replace``, atomic on one file system). A run that
fails or is interrupted leaves the previous outputs untouched and no half-written file behind.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import IO, Any

from ..document import Document
from ..errors import CleanerError
from ..render import (
    fragment_records,
    ordered_kept_lines,
    reject_records,
    render_line,
    render_text,
)
from .parallel import PARALLEL_DIR, ParallelWriter
from .parquet import load_pyarrow, merge_parquet
from .readers import RECORD_FORMATS, Quarantined

CLEAN_DIR = "clean"
CLEAN_JSONL = "clean.jsonl"
CLEAN_PARQUET = "clean.parquet"
REJECTS = "rejects.jsonl"
FRAGMENTS = "fragments.jsonl"
DOCUMENTS = "documents.jsonl"
QUARANTINE = "quarantine.jsonl"
MANIFEST = "manifest.json"
LOCK = ".cleaner-lock"
OUTPUT_NAMES = (
    CLEAN_DIR,
    CLEAN_JSONL,
    CLEAN_PARQUET,
    REJECTS,
    FRAGMENTS,
    DOCUMENTS,
    QUARANTINE,
    PARALLEL_DIR,
    MANIFEST,
    # rebuilt after each commit; an earlier run's are moved away with the rest
    "report.html",
    "report",
)


#: The metadata a document's line in documents.jsonl carries, when the document has it (url,
#: date and author: those of an HTML page or a WARC record).
SUMMARY_KEYS = (
    "format",
    "text_field",
    "encoding",
    "unwrapped",
    "site",
    "url",
    "date",
    "author",
    "title",
    "source",
    "lang",
    "lang_shares",
    "route",
)


def dumps(record: Any) -> str:
    """One JSON line: UTF-8 text, keys in a fixed order, so reruns are byte-identical."""
    return json.dumps(record, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


class OutputWriter:
    """Collects a run's outputs in a staging folder and moves them into ``out_dir`` on commit."""

    def __init__(
        self,
        out_dir: str | Path,
        *,
        parallel: tuple[str, str] | None = None,
        target: str | None = None,
        tool_version: str = "",
        parquet_records: bool = False,
    ) -> None:
        self.out_dir = Path(out_dir)
        self.staging = self.out_dir / f".cleaner-staging-{os.getpid()}"
        self._files: dict[str, IO[str]] = {}
        self._committed = False
        #: (source, target) languages of the parallel corpus, if one is written.
        self._parallel_langs = parallel
        self._parallel: ParallelWriter | None = None
        #: The target language of fragment translation (recorded as each fragment's direction).
        self._target = target
        self._tool_version = tool_version
        #: JSONL and WARC records go to clean.parquet too (``[output] parquet``).
        self._parquet_records = parquet_records
        #: clean.parquet rows of this writer's documents, by the input file giving their
        #: types (None: inferred), and the clean.parquet files of the shards appended.
        self._parquet_rows: dict[str | None, list[dict[str, Any]]] = {}
        self._parquet_parts: list[Path] = []

    def __enter__(self) -> OutputWriter:
        try:
            self.out_dir.mkdir(parents=True, exist_ok=True)
            self._lock()
            # staging and report folders of runs that died (kill -9, power loss): ours now,
            # under the lock
            for pattern in (".cleaner-staging-*", ".cleaner-report-*"):
                for stale in sorted(self.out_dir.glob(pattern)):
                    if (stale / _WHOLE).exists():  # killed while moving its outputs: finish
                        _move_into_place(stale, self.out_dir)
                    shutil.rmtree(stale, ignore_errors=True)
            self.staging.mkdir()
            for name in (REJECTS, FRAGMENTS, DOCUMENTS, QUARANTINE):
                self._files[name] = self._open(name)
            if self._parallel_langs is not None:
                src, tgt = self._parallel_langs
                self._parallel = ParallelWriter(
                    self.staging / PARALLEL_DIR, src, tgt, self._tool_version
                )
        except OSError as e:
            self._cleanup()
            self._unlock()
            raise CleanerError(
                f"cannot write to output directory {self.out_dir}: {e.strerror or e}"
            ) from None
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if not self._committed:
            try:
                if (self.staging / _WHOLE).exists():  # interrupted while moving: it is whole
                    _move_into_place(self.staging, self.out_dir)
            except OSError:  # the staging folder stays, for the next run to finish
                self._close_files()
            else:
                self._cleanup()
        self._unlock()

    def _lock(self) -> None:
        """One run at a time per output directory (an advisory lock, released at exit, and by
        the system if the process dies)."""
        import fcntl

        self._lock_file: IO[bytes] | None = open(self.out_dir / LOCK, "a+b")  # noqa: SIM115
        try:
            fcntl.flock(self._lock_file.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            self._lock_file.close()
            self._lock_file = None
            raise CleanerError(
                f"another cleaner run is writing to {self.out_dir} (it holds {LOCK} there): "
                "wait for it to finish, or give this run another output directory"
            ) from None

    def _unlock(self) -> None:
        lock = getattr(self, "_lock_file", None)
        if lock is not None:
            lock.close()  # closing releases the lock
            self._lock_file = None

    def _open(self, name: str) -> IO[str]:
        return open(self.staging / name, "w", encoding="utf-8", newline="\n")

    def write_document(self, doc: Document) -> str:
        """Write the document's clean text, rejects, fragments and summary; return where the
        clean text went."""
        text = render_text(doc)
        fmt = doc.metadata.get("format")
        if fmt in RECORD_FORMATS:
            record = dict(doc.metadata.get("fields", {}))
            # back into the field the text came from ([text] field)
            record[doc.metadata.get("text_field", "text")] = text.rstrip("\n")
            for key in ("title", "source"):
                if key in doc.metadata and key not in record:
                    record[key] = doc.metadata[key]
            if doc.metadata.get("route") == "keep" and "lang" not in record:
                record["lang"] = doc.metadata["lang"]  # a document kept in another language
            if fmt == "parquet" or self._parquet_records:
                schema_of = doc.metadata.get("parquet_schema")
                self._parquet_rows.setdefault(schema_of, []).append(record)
                where = CLEAN_PARQUET
            else:
                if CLEAN_JSONL not in self._files:
                    self._files[CLEAN_JSONL] = self._open(CLEAN_JSONL)
                self._files[CLEAN_JSONL].write(dumps(record) + "\n")
                where = CLEAN_JSONL
        else:
            rel = Path(CLEAN_DIR) / f"{doc.id}.txt"
            target = self.staging / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            with open(target, "w", encoding="utf-8", newline="\n") as fh:
                fh.write(text)
            where = rel.as_posix()
        for record in reject_records(doc):
            self._files[REJECTS].write(dumps(record) + "\n")
        for record in fragment_records(doc, self._target):
            self._files[FRAGMENTS].write(dumps(record) + "\n")
        if self._parallel is not None:
            for pair in doc.pairs:
                if pair.kept:
                    self._parallel.write(doc.id, pair)
        kept = sum(1 for ln in doc.lines if ln.kept)
        summary = {
            "doc": doc.id,
            "input": doc.source,
            "output": where,
            "lines_in": len(doc.lines),
            "lines_kept": kept,
        }
        for key in SUMMARY_KEYS:
            if key in doc.metadata:
                summary[key] = doc.metadata[key]
        if self._parallel is not None:
            summary["pairs"] = len(doc.pairs)
            summary["pairs_kept"] = sum(1 for p in doc.pairs if p.kept)
        # What the report needs to show the page as it arrived: the input line of each clean
        # line; the kept lines that were changed (their original text and the text before any
        # translated fragment was spliced in), and only those; and, for the other lines whose
        # clean text has a translation spliced in, their text (the fragments' offsets refer to
        # it, and the clean text no longer holds it).
        clean = ordered_kept_lines(doc)
        summary["clean_lines"] = [ln.number for ln in clean]
        edited = {str(ln.number): [ln.original, ln.text] for ln in clean if ln.text != ln.original}
        if edited:
            summary["edited"] = edited
        before_splice = {
            str(ln.number): ln.text
            for ln in clean
            if ln.spans and ln.text == ln.original and render_line(ln) != ln.text
        }
        if before_splice:
            summary["before_splice"] = before_splice
        # what the encoding stage did that the text alone does not say (the code page of a
        # mojibake repair, the format characters removed), for the kept lines it changed
        edits = {str(ln.number): ln.edits for ln in doc.lines if ln.kept and ln.edits}
        if edits:
            summary["edits"] = edits
        # the kept lines a keep rule of the pattern library pinned, and the rule
        pinned = {str(ln.number): ln.pinned for ln in doc.lines if ln.kept and ln.pinned}
        if pinned:
            summary["pinned"] = pinned
        self._files[DOCUMENTS].write(dumps(summary) + "\n")
        return where

    def append_shard(self, shard_out: Path) -> None:
        """Add the outputs of one shard (written by another OutputWriter) after those so far."""
        for name in (REJECTS, FRAGMENTS, DOCUMENTS, CLEAN_JSONL):
            src = shard_out / name
            if not src.is_file() or src.stat().st_size == 0:
                continue
            if name not in self._files:
                self._files[name] = self._open(name)
            out = self._files[name]
            out.flush()  # then bytes straight to the file: the shard wrote UTF-8 already
            with open(src, "rb") as fh:
                shutil.copyfileobj(fh, out.buffer, 1 << 20)  # type: ignore[attr-defined]
            out.buffer.flush()  # type: ignore[attr-defined]
        if (shard_out / CLEAN_PARQUET).is_file():
            self._parquet_parts.append(shard_out / CLEAN_PARQUET)  # merged on commit
        clean = shard_out / CLEAN_DIR
        if clean.is_dir():
            for path in sorted(clean.rglob("*")):
                if path.is_file():
                    target = self.staging / CLEAN_DIR / path.relative_to(clean)
                    target.parent.mkdir(parents=True, exist_ok=True)
                    try:
                        os.link(path, target)  # no copy: the shard's file stays for a rerun
                    except OSError:
                        shutil.copyfile(path, target)
        if self._parallel is not None and (shard_out / PARALLEL_DIR).is_dir():
            self._parallel.append(shard_out / PARALLEL_DIR)

    def write_quarantine(self, item: Quarantined) -> None:
        self._files[QUARANTINE].write(dumps(item.to_dict()) + "\n")

    def commit(self, manifest: dict[str, Any]) -> None:
        """Write the manifest and move every output into place, as a whole: an error while
        moving puts the earlier run's outputs back; a process killed while moving leaves its
        staging folder marked whole, and the next run on the folder finishes the move first."""
        for fh in self._files.values():
            fh.close()
        self._write_parquet()
        if self._parallel is not None:
            self._parallel.close()
        with open(self.staging / MANIFEST, "w", encoding="utf-8", newline="\n") as fh:
            json.dump(manifest, fh, ensure_ascii=False, indent=2, sort_keys=True)
            fh.write("\n")
        _mark_whole(self.staging)
        try:
            _move_into_place(self.staging, self.out_dir)
        except OSError:
            _move_back(self.staging, self.out_dir)
            (self.staging / _WHOLE).unlink()
            raise
        self._committed = True
        self._cleanup()

    def _write_parquet(self) -> None:
        """clean.parquet: this writer's rows, or the shards' files merged in order."""
        parts = list(self._parquet_parts)
        if self._parquet_rows:
            from .parquet import record_table

            _, pq = load_pyarrow()
            for k, (schema_of, rows) in enumerate(self._parquet_rows.items()):
                part = self.staging / f".{CLEAN_PARQUET}.{k}"
                pq.write_table(record_table(rows, schema_of), str(part), compression="zstd")
                parts.append(part)
        if parts:
            merge_parquet(parts, self.staging / CLEAN_PARQUET)
        for part in parts:
            if part.parent == self.staging:
                part.unlink()

    def _close_files(self) -> None:
        for fh in self._files.values():
            if not fh.closed:
                fh.close()

    def _cleanup(self) -> None:
        self._close_files()
        if self._parallel is not None:
            self._parallel.abort()
        shutil.rmtree(self.staging, ignore_errors=True)


#: In a staging folder: the run is whole and its outputs are being moved into place; what it
#: holds is the list of the outputs the run wrote.
_WHOLE = ".whole"
#: In a staging folder: the earlier run's outputs, moved away.
_PREVIOUS = ".previous"


def _mark_whole(staging: Path) -> None:
    """Mark ``staging`` whole (written aside, then renamed: the mark is there or not)."""
    names = [name for name in OUTPUT_NAMES if (staging / name).exists()]
    tmp = staging / (_WHOLE + ".tmp")
    tmp.write_text(json.dumps(names) + "\n", encoding="utf-8")
    os.replace(tmp, staging / _WHOLE)


def _present(path: Path) -> bool:
    return path.exists() or path.is_symlink()


def _written(staging: Path) -> set[str]:
    """The outputs a whole staging folder's run wrote (its mark's list)."""
    return set(json.loads((staging / _WHOLE).read_text(encoding="utf-8")))


def _move_into_place(staging: Path, out_dir: Path) -> None:
    """Move a whole staging folder's outputs into ``out_dir``, the earlier run's outputs away
    (all of them: a name this run did not write goes too). Safe to repeat after an
    interruption: what was moved already is left as it is."""
    new = _written(staging)
    old = staging / _PREVIOUS
    old.mkdir(exist_ok=True)
    for name in OUTPUT_NAMES:
        final, staged = out_dir / name, staging / name
        if name in new and not _present(staged):
            continue  # moved into place already
        if _present(final) and not _present(old / name):
            os.replace(final, old / name)
        if name in new:
            os.replace(staged, final)


def _move_back(staging: Path, out_dir: Path) -> None:
    """Undo a :func:`_move_into_place` that failed midway: this run's outputs back to the
    staging folder, the earlier run's back into place."""
    new = _written(staging)
    old = staging / _PREVIOUS
    for name in reversed(OUTPUT_NAMES):
        final, staged = out_dir / name, staging / name
        if name in new and not _present(staged) and _present(final):
            os.replace(final, staged)
        if _present(old / name):
            os.replace(old / name, final)
