"""Regenerate the golden outputs of the sample corpus run (``make golden``).

Runs ``cleaner run corpora/sample`` from the repository root and stores every output file
under ``tests/golden/expected/``; ``manifest.json`` is stored without its ``timings`` and
``versions`` (which change from run to run and machine to machine) as ``manifest.stable.json``.
Review ``git diff tests/golden`` before committing.
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
EXPECTED = Path(__file__).resolve().parent / "expected"
INPUT = "corpora/sample"


def stable_manifest(manifest: dict) -> dict:
    return {k: v for k, v in manifest.items() if k not in ("timings", "versions", "language_id")}


def produce(out: Path) -> None:
    """Run the pipeline on the sample corpus into ``out`` (from the repo root, relative paths)."""
    import os

    import cleaner

    cwd = os.getcwd()
    os.chdir(REPO)
    try:
        cleaner.run([INPUT], out, translate=False)
    finally:
        os.chdir(cwd)
    # the work folder (shard markers and outputs kept for a resume) is not part of the outputs
    shutil.rmtree(out / ".cleaner-work")
    (out / ".cleaner-lock").unlink()
    (out / "report.html").unlink()  # holds the timings; tested in tests/test_report.py
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    (out / "manifest.json").unlink()
    (out / "manifest.stable.json").write_text(
        json.dumps(stable_manifest(manifest), ensure_ascii=False, indent=2, sort_keys=True) + "\n",
        encoding="utf-8",
    )


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out"
        produce(out)
        if EXPECTED.exists():
            shutil.rmtree(EXPECTED)
        shutil.copytree(out, EXPECTED)
    print(
        f"golden outputs written to {EXPECTED.relative_to(REPO)}; review git diff before committing"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
