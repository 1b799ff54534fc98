"""Sharded, resumable runs: the work of one ``cleaner run``, cut into shards that survive a crash.

The coordinating process reads the input in order and cuts it into shards of
``shard_documents`` documents (a new shard also starts with each input file). Each shard goes
through two jobs, in this process or in workers:

1. **first pass**: the stages before the corpus-level ones; every document's observation
   (line fingerprints, MinHash signature) condensed into a shard summary; the annotated
   documents spooled to disk;
2. **second pass**, once the coordinator has added up every summary in input order and decided
   (which lines are site templates, which documents repeat an earlier one): the remaining stages,
   translation included, and the shard's outputs, written with the same atomic writer as a
   whole run.

Every job writes its files under ``DIR/.cleaner-work/``, flushes them to disk, and only then
renames a completion marker into place; the marker records the run's hash (cleaner's version,
the config, the inputs' names, sizes and modification times, the translation packages), so a
changed config or input starts afresh instead of mixing results. A rerun after a crash (kill -9,
Ctrl-C, power loss) redoes only the jobs without a marker; the shards' outputs are then
assembled, in input order, into the final files, committed atomically. A rerun of a finished run
finds every marker and only reassembles.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import shutil
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .._version import __version__
from ..document import Document
from ..io.readers import shown_path

WORK_DIR = ".cleaner-work"


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:  # pragma: no cover - e.g. platforms without directory fds
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that a crash leaves the old file or the new, never half."""
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    with open(tmp, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    _fsync_dir(path.parent)


#: The layout of what a run leaves in its work folder (spools, summaries, decisions): part of
#: every run's hash, so that a run never resumes from the work of code that wrote another
#: layout. 2: the site-template stage's summaries hold long lines too (its copy test reads them).
WORK_FORMAT = 2


def run_hash(parts: dict[str, Any]) -> str:
    """The identity of a run (its work folder is resumed only under the same one)."""
    parts = parts | {"work_format": WORK_FORMAT}
    blob = json.dumps(parts, sort_keys=True, ensure_ascii=False, default=str).encode("utf-8")
    return hashlib.sha256(blob).hexdigest()


def input_identity(paths: Iterable[str]) -> list[tuple[str, int, int]]:
    """Name, size and modification time of each input: a changed input changes the hash."""
    out = []
    for p in paths:
        try:
            st = os.stat(p)
            out.append((shown_path(os.path.abspath(p)), st.st_size, st.st_mtime_ns))
        except OSError:
            out.append((shown_path(p), -1, -1))
    return out


class WorkDir:
    """``DIR/.cleaner-work``: markers, spools, summaries and shard outputs of one run hash."""

    def __init__(self, out_dir: Path, digest: str) -> None:
        self.root = out_dir / WORK_DIR
        self.digest = digest

    def prepare(self, fresh: bool = False) -> None:
        """Keep the work of an identical earlier run; otherwise start with an empty folder."""
        stamp = self.root / "run.json"
        if not fresh and stamp.is_file():
            try:
                if json.loads(stamp.read_text(encoding="utf-8")).get("hash") == self.digest:
                    return
            except (OSError, ValueError):
                pass
        shutil.rmtree(self.root, ignore_errors=True)
        (self.root / "shards").mkdir(parents=True)
        write_atomic(stamp, json.dumps({"hash": self.digest, "cleaner": __version__}).encode())

    def finished(self) -> bool:
        """Whether a run with this hash was committed (and its outputs are in place)."""
        try:
            record = json.loads((self.root / "complete.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return False
        return record.get("hash") == self.digest

    def mark_finished(self) -> None:
        write_atomic(self.root / "complete.json", json.dumps({"hash": self.digest}).encode())

    def shard(self, k: int) -> Path:
        return self.root / "shards" / f"{k:06d}"

    def marker(self, k: int, stage: str) -> Path:
        return self.shard(k) / f"{stage}.done"

    def done(self, k: int, stage: str) -> dict[str, Any] | None:
        """The marker's record if job ``stage`` of shard ``k`` finished under this run hash."""
        try:
            record = json.loads(self.marker(k, stage).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return record if record.get("hash") == self.digest else None

    def mark(self, k: int, stage: str, record: dict[str, Any]) -> None:
        write_atomic(self.marker(k, stage), json.dumps(record | {"hash": self.digest}).encode())


@dataclass
class Shard:
    index: int
    docs: list[Document]


def cut_shards(documents: Iterable[Document], size: int) -> Iterator[Shard]:
    """Shards of at most ``size`` documents; a file of many documents (JSONL, WARC, Parquet)
    starts a new one and ends its own, while consecutive one-document files (.txt, .html)
    share shards."""
    from ..io.readers import RECORD_FORMATS

    k = 0
    current: list[Document] = []
    source, many = None, False
    for doc in documents:
        multi = doc.metadata.get("format") in RECORD_FORMATS
        # a record's source is "path:line" (JSONL), "path:row" (Parquet), "path:offset" (WARC)
        path = doc.source.rsplit(":", 1)[0] if multi else doc.source
        new_file = path != source
        if current and (len(current) >= size or (new_file and (multi or many))):
            yield Shard(k, current)
            k += 1
            current = []
        source, many = path, multi
        current.append(doc)
    if current:
        yield Shard(k, current)


def save_pickle(path: Path, value: Any) -> None:
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    with open(tmp, "wb") as fh:
        pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def load_pickle(path: Path) -> Any:
    with open(path, "rb") as fh:
        return pickle.load(fh)
