"""A persistent translation cache in SQLite: repeated sentences and reruns cost nothing.

Keyed by the model (package id, version, model file size and time), the decoding settings and
the exact source text, so a changed package or setting never serves a stale translation. Safe
with several processes: WAL journal, a busy timeout, ``INSERT OR IGNORE`` (two processes that
translate the same sentence store the same deterministic result), and one connection per process
(a forked worker opens its own).
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from collections.abc import Sequence
from pathlib import Path

from ..errors import CleanerError

_SCHEMA = """
CREATE TABLE IF NOT EXISTS translations (
    key BLOB PRIMARY KEY,
    namespace TEXT NOT NULL,
    source TEXT NOT NULL,
    target TEXT NOT NULL
) WITHOUT ROWID
"""
_CHUNK = 500  # SQLite's default limit on bound parameters is 999 (older builds)


def default_cache_path() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "cleaner" / "translations.sqlite"


def _key(namespace: str, text: str) -> bytes:
    return hashlib.blake2b(
        namespace.encode("utf-8") + b"\x00" + text.encode("utf-8", "surrogatepass"), digest_size=20
    ).digest()


class TranslationCache:
    """``get_many``/``put_many`` of source → translation under a namespace (model + settings)."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._conn: sqlite3.Connection | None = None
        self._pid = 0
        self.hits = 0
        self.misses = 0

    def _connection(self) -> sqlite3.Connection:
        if self._conn is None or self._pid != os.getpid():
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                conn = sqlite3.connect(self.path, timeout=60, isolation_level=None)
                conn.execute("PRAGMA journal_mode=WAL")
                conn.execute("PRAGMA synchronous=NORMAL")
                conn.execute(_SCHEMA)
            except (OSError, sqlite3.Error) as e:
                raise CleanerError(
                    f"cannot open the translation cache {self.path}: {e}; set [translate] "
                    "cache_path to a writable file, or cache = false"
                ) from None
            self._conn, self._pid = conn, os.getpid()
        return self._conn

    def get_many(self, namespace: str, texts: Sequence[str]) -> dict[str, str]:
        conn = self._connection()
        found: dict[str, str] = {}
        keys = {_key(namespace, t): t for t in texts}
        items = list(keys)
        for i in range(0, len(items), _CHUNK):
            chunk = items[i : i + _CHUNK]
            marks = ",".join("?" * len(chunk))
            rows = conn.execute(
                f"SELECT key, source, target FROM translations WHERE key IN ({marks})", chunk
            )
            for key, source, target in rows:
                if keys.get(key) == source:  # the text itself is compared, not just its hash
                    found[source] = target
        self.hits += len(found)
        self.misses += len(keys) - len(found)
        return found

    def put_many(self, namespace: str, pairs: dict[str, str]) -> None:
        if not pairs:
            return
        conn = self._connection()
        rows = [(_key(namespace, s), namespace, s, t) for s, t in pairs.items()]
        try:
            conn.execute("BEGIN IMMEDIATE")
            conn.executemany("INSERT OR IGNORE INTO translations VALUES (?, ?, ?, ?)", rows)
            conn.execute("COMMIT")
        except sqlite3.Error as e:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise CleanerError(f"cannot write the translation cache {self.path}: {e}") from None

    def close(self) -> None:
        if self._conn is not None and self._pid == os.getpid():
            self._conn.close()
        self._conn = None
