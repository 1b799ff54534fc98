"""Regenerate the golden outputs of the sample corpus run (``make golden``).

Runs ``cleaner run corpora/sample`` from the repository root and stores every output file
under ``tests/golden/expected/``; ``manifest.json`` is stored without its ``timings`` and
``versions`` (which change from run to run and machine to machine) as ``manifest.stable.json``.

Golden files only detect change, so before anything is written the new outputs are checked
against the hand-written truth of the sample corpus (``corpora/truth/``, see
:mod:`tests.support.sample_truth`): if any output disagrees with it, nothing is overwritten and
the disagreements are listed. Review ``git diff tests/golden`` before committing.
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
    # the page shows the versions of every dependency, which differ between machines; its
    # reruns are compared in tests/test_corpus.py, its content in tests/test_report.py
    (out / "report.html").unlink()
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    (out / "manifest.json").unlink()
    (out / "manifest.stable.json").write_text(
        json.dumps(stable_manifest(manifest), ensure_ascii=False, indent=2, sort_keys=True) + "\n",
        encoding="utf-8",
    )


def regenerate(expected: Path = EXPECTED) -> int:
    """Write the golden outputs into ``expected``, unless one disagrees with the truth (then
    write nothing, list why, and return 1)."""
    from tests.support.sample_truth import disagreements

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out"
        produce(out)
        problems = disagreements(out)
        if problems:
            print("make golden: the new outputs disagree with corpora/truth/; nothing written:")
            for name, items in sorted(problems.items()):
                print(f"  {name}:")
                for item in items:
                    print(f"    {item}")
            print("fix the code, or (if the truth is wrong) the truth, then run make golden again")
            return 1
        if expected.exists():
            shutil.rmtree(expected)
        shutil.copytree(out, expected)
    print(f"golden outputs written to {expected}; review git diff before committing")
    return 0


def main() -> int:
    return regenerate(EXPECTED)


if __name__ == "__main__":
    sys.path.insert(0, str(REPO))  # `python tests/golden/regenerate.py` finds tests.support
    sys.exit(main())
