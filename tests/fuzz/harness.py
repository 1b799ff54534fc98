"""One fuzz step: arbitrary bytes as a .txt, a .jsonl and a .gz input of a whole ``cleaner run``.

Allowed outcomes: the run completes with its invariants (every output file is valid UTF-8 JSON
lines; every input line of every document is in the clean text or in rejects exactly once; the
quarantine counts match), or a :class:`cleaner.CleanerError` with a one-line message. Anything
else — a traceback — is a bug. Used by ``tests/test_hostile.py`` (hypothesis, bounded, in
``make test``) and by ``tests/fuzz/fuzz_atheris.py`` (coverage-guided, ``make fuzz``).
"""

from __future__ import annotations

import gzip
import json
import shutil
import tempfile
from pathlib import Path

import cleaner


def check_input(data: bytes, workdir: Path | None = None) -> None:
    tmp = Path(tempfile.mkdtemp(dir=workdir))
    try:
        src = tmp / "in"
        src.mkdir()
        (src / "page.txt").write_bytes(data)
        (src / "records.jsonl").write_bytes(data)
        (src / "zipped.txt.gz").write_bytes(gzip.compress(data)[: max(10, len(data) // 2)])
        out = tmp / "out"
        try:
            result = cleaner.run([str(src)], out, translate=False, shard_documents=3)
        except cleaner.CleanerError as e:
            assert "\n" not in str(e), "an error message must be one line"
            return
        check_outputs(out, result)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def check_outputs(out: Path, result: cleaner.RunResult) -> None:
    records = {}
    for name in ("rejects.jsonl", "fragments.jsonl", "documents.jsonl", "quarantine.jsonl"):
        text = (out / name).read_bytes().decode("utf-8")  # valid UTF-8
        # split on "\n" only: str.splitlines would also cut at U+0085 and U+2028 inside a
        # JSON string (JSON Lines ends records with "\n")
        records[name] = [json.loads(line) for line in text.split("\n") if line]
    counts = result.counts
    assert sum(counts["quarantined"].values()) == len(records["quarantine.jsonl"])
    assert len(records["documents.jsonl"]) == counts["documents"]
    line_rejects = [r for r in records["rejects.jsonl"] if "sentence" not in r]
    assert len(line_rejects) == counts["lines_dropped"]
    per_doc: dict[str, set[int]] = {}
    for r in line_rejects:
        assert r["line"] not in per_doc.setdefault(r["doc"], set()), "a line rejected twice"
        per_doc[r["doc"]].add(r["line"])
    for d in records["documents.jsonl"]:
        kept = d["lines_kept"]
        assert kept + len(per_doc.get(d["doc"], ())) == d["lines_in"]
        target = out / d["output"]
        assert out.resolve() in target.resolve().parents, "an output outside the folder"
