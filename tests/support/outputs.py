"""A run's output files, and the README's promise about reruns: every file byte-identical,
``report.html`` included, but for the ``timings`` block of ``manifest.json``."""

from __future__ import annotations

import json
from pathlib import Path


def snapshot(out: Path) -> dict[str, bytes]:
    """Every file a run leaves in ``out`` but its resume state (.cleaner-work/, .cleaner-lock)."""
    return {
        p.relative_to(out).as_posix(): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file() and not p.relative_to(out).parts[0].startswith(".cleaner-")
    }


def without_timings(files: dict[str, bytes]) -> dict[str, bytes]:
    """The same files, manifest.json without its timings block (the one part that may change)."""
    out = dict(files)
    if "manifest.json" in out:
        manifest = json.loads(out["manifest.json"])
        manifest.pop("timings")
        out["manifest.json"] = json.dumps(manifest, sort_keys=True).encode()
    return out


def assert_same_but_timings(first: dict[str, bytes], second: dict[str, bytes]) -> None:
    assert sorted(first) == sorted(second)
    a, b = without_timings(first), without_timings(second)
    for name in a:
        assert a[name] == b[name], name
