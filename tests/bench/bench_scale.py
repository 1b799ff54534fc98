"""Scale: workers, Ray, memory and resume, on a generated corpus that takes about a minute.

What is measured, in one run (each ``cleaner run`` in its own process, cleaning only, default
config, shards of 500 documents), on a corpus from ``corpus_gen.generate_pages`` written as JSONL
files of about 5 MB:

1. the "10x" corpus (``--mb`` x 10, default 200 MB) with 1 worker, then 2 workers (target: at
   least 1.7x faster on this 2-core machine), then ``--engine ray`` with 2 workers (a local Ray
   started by the command; its start-up is included);
2. the same command again over the finished output (the cost of resuming a finished run:
   reading the input and reassembling; target: near zero next to the run itself);
3. peak RSS of a 1-worker run over the "1x" corpus (``--mb``) and over the 10x one (target: less
   than 1.3x): documents stream, spools go to disk per shard, the corpus-level state is numpy
   arrays of hashes and signatures.

The three engines' outputs are compared byte for byte. A missed target prints FAIL; the exit
status stays 0 (a benchmark). Run: ``python tests/bench/bench_scale.py [--mb N]``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from tests.bench.corpus_gen import generate_pages  # noqa: E402

# Peak RSS is this process's VmHWM: getrusage's ru_maxrss would also count the memory of the
# (forked) parent before exec, on Linux.
RUN = """
import sys, cleaner
workers, engine = int(sys.argv[3]), sys.argv[4]
cleaner.run([sys.argv[1]], sys.argv[2], translate=False, workers=workers, engine=engine)
status = open("/proc/self/status").read()
print(next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM:")))
"""


def write_corpus(folder: Path, mb: float, seed: int) -> int:
    folder.mkdir(parents=True)
    pages, _ = generate_pages(int(mb * 1_000_000), seed=seed)
    per_file = 5_000_000
    k, size, fh = 0, 0, None
    for page_id, text in pages:
        if fh is None or size >= per_file:
            if fh:
                fh.close()
            fh = open(folder / f"part-{k:04d}.jsonl", "w", encoding="utf-8")  # noqa: SIM115
            k, size = k + 1, 0
        line = json.dumps({"id": page_id, "text": text}, ensure_ascii=False) + "\n"
        size += len(line.encode("utf-8"))
        fh.write(line)
    if fh:
        fh.close()
    n = len(pages)
    del pages
    return n


def run(src: Path, out: Path, workers: int = 1, engine: str = "local") -> tuple[float, int]:
    t0 = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-c", RUN, str(src), str(out), str(workers), engine],
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(f"run failed ({engine}, {workers} workers):\n{proc.stderr[-3000:]}")
    return seconds, int(proc.stdout.strip().splitlines()[-1])  # KiB


def digest(out: Path) -> str:
    h = hashlib.sha256()
    for name in ("clean.jsonl", "rejects.jsonl", "fragments.jsonl", "documents.jsonl"):
        h.update((out / name).read_bytes())
    return h.hexdigest()[:16]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--mb", type=float, default=20.0, help="size of the 1x corpus (MB)")
    ap.add_argument("--no-ray", action="store_true")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="cleaner-bench-scale-"))
    n1 = write_corpus(work / "x1", args.mb, seed=11)
    n10 = write_corpus(work / "x10", args.mb * 10, seed=12)
    print(
        f"corpus: 1x {args.mb:.0f} MB ({n1} pages), 10x {args.mb * 10:.0f} MB ({n10} pages); "
        f"{os.cpu_count()} cores\n"
    )

    t1, rss10 = run(work / "x10", work / "o1", 1)
    print(
        f"10x, local, 1 worker:   {t1:7.1f} s  {args.mb * 10 / t1:5.2f} MB/s  peak RSS {rss10 / 1024:6.0f} MB"
    )
    t2, _ = run(work / "x10", work / "o2", 2)
    print(f"10x, local, 2 workers:  {t2:7.1f} s  {args.mb * 10 / t2:5.2f} MB/s")
    same = digest(work / "o1") == digest(work / "o2")
    t3 = None
    if not args.no_ray:
        t3, _ = run(work / "x10", work / "o3", 2, "ray")
        print(f"10x, Ray, 2 workers:    {t3:7.1f} s  {args.mb * 10 / t3:5.2f} MB/s")
        same = same and digest(work / "o1") == digest(work / "o3")
    tr, _ = run(work / "x10", work / "o1", 1)
    print(f"10x, resume a finished run: {tr:5.1f} s")
    _, rss1 = run(work / "x1", work / "o4", 1)
    print(f"1x, local, 1 worker:    peak RSS {rss1 / 1024:6.0f} MB")
    print(f"\noutputs identical across engines and worker counts: {same}\n")
    checks = [
        ("2 workers >= 1.7 x 1 worker", t1 / t2, 1.7, True),
        ("RSS 10x / 1x < 1.3", rss10 / rss1, 1.3, False),
        ("resume / run < 0.1", tr / t1, 0.1, False),
    ]
    if t3 is not None:
        print(f"{'Ray / local (2 workers)':<30} {t2 / t3:6.2f}x the local speed")
    for label, ratio, target, higher in checks:
        ok = ratio >= target if higher else ratio < target
        print(f"{label:<30} {ratio:6.2f}   {'ok' if ok else 'FAIL'}")


if __name__ == "__main__":
    main()
