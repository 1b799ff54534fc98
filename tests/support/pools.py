"""Reading with extraction processes, as the tests compare it: the items read_documents
yields, and the process pools a test made."""

from __future__ import annotations

import concurrent.futures as cf
from typing import Any

from cleaner.io import Quarantined, read_documents
from cleaner.io.warc import Skipped


def read_items(files: list, workers: int) -> list[tuple]:
    """What ``read_documents`` yields for ``files`` with ``workers`` extraction processes:
    ("quarantined", file, reason), ("skipped", kind) or (id, line texts, metadata)."""
    out: list[tuple] = []
    for item in read_documents(files, extract_workers=workers):
        if isinstance(item, Quarantined):
            out.append(("quarantined", item.file, item.reason))
        elif isinstance(item, Skipped):
            out.append(("skipped", item.kind))
        else:
            out.append((item.id, [ln.text for ln in item.lines], item.metadata))
    return out


def record_pools(monkeypatch: Any) -> list:
    """From now on in the test, every process pool made is appended to the list returned."""
    pools: list = []

    class Recorded(cf.ProcessPoolExecutor):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            pools.append(self)

    monkeypatch.setattr(cf, "ProcessPoolExecutor", Recorded)
    return pools
