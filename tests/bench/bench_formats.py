"""Documents per second by input format: text files, HTML pages, WARC, Parquet.

The same pages (``corpus_gen.generate_pages``, a fixed seed) are written four ways: one ``.txt``
file per page (one paragraph per line), one ``.html`` page per page (each paragraph a ``<p>``
inside an ``<article>``, with a navigation bar, a cookie banner and a footer around it, as
``tests/support/formats.py`` writes them), the same HTML pages as the responses of one
``.warc.gz`` (with a request record before each), and one ``.parquet`` file with a ``text``
column. Two things are timed, in one process, the fastest of ``--repeat`` runs:

1. **reading**: ``cleaner.read_documents`` over the files, every document built (for HTML and
   WARC this is trafilatura's extraction; for WARC, warcio's parsing alone is also timed);
2. **end to end**: ``cleaner.run(..., translate=False)`` into a fresh folder (reading, every
   stage, writing, the report).

Ratios are against the text path measured in the same run (the machine is shared, absolute
speeds are noisy).

    python tests/bench/bench_formats.py [--pages 300] [--repeat 2]
"""

from __future__ import annotations

import argparse
import html
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import pyarrow as pa  # noqa: E402
import pyarrow.parquet as pq  # noqa: E402

import cleaner  # noqa: E402
from cleaner.io.readers import expand_inputs, read_documents  # noqa: E402
from tests.bench.corpus_gen import generate_pages  # noqa: E402
from tests.support.formats import page_html, write_warc  # noqa: E402


def write_corpus(folder: Path, pages: int) -> dict[str, Path]:
    texts = [text for _, text in generate_pages(pages * 6_000, seed=7)[0]][:pages]
    out = {}
    for fmt in ("txt", "html"):
        (folder / fmt).mkdir(parents=True)
        out[fmt] = folder / fmt
    records = []
    for i, text in enumerate(texts):
        (folder / "txt" / f"page-{i:05d}.txt").write_text(text, encoding="utf-8")
        paragraphs = [html.escape(p) for p in text.split("\n") if p.strip()]
        page = page_html(paragraphs, title=f"Page {i}", url=f"https://www.exemple.fr/{i}")
        (folder / "html" / f"page-{i:05d}.html").write_text(page, encoding="utf-8")
        url = f"https://www.exemple.fr/{i}"
        records.append({"type": "request", "url": url})
        records.append(
            {"url": url, "content_type": "text/html; charset=utf-8", "body": page.encode("utf-8")}
        )
    (folder / "warc").mkdir()
    out["warc"] = write_warc(folder / "warc" / "crawl.warc.gz", records)
    (folder / "parquet").mkdir()
    ids = [f"page-{i:05d}" for i in range(len(texts))]
    out["parquet"] = folder / "parquet" / "pages.parquet"
    pq.write_table(pa.table({"id": ids, "text": texts}), str(out["parquet"]))
    return out


def best(repeat: int, job) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        job()
        times.append(time.perf_counter() - t0)
    return min(times)


def read_all(path: Path) -> int:
    files, _ = expand_inputs([str(path)])
    return sum(1 for item in read_documents(files) if isinstance(item, cleaner.Document))


def warcio_only(path: Path) -> int:
    from warcio.archiveiterator import ArchiveIterator

    n = 0
    with open(path, "rb") as fh:
        for record in ArchiveIterator(fh):
            record.content_stream().read()
            n += 1
    return n


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pages", type=int, default=300)
    ap.add_argument("--repeat", type=int, default=2)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-formats-"))
    try:
        inputs = write_corpus(tmp / "in", args.pages)
        read_all(inputs["html"])  # warm-up: trafilatura's and lxml's imports
        rows = []
        for fmt, path in inputs.items():
            docs = read_all(path)
            read_s = best(args.repeat, lambda p=path: read_all(p))
            out = tmp / f"out-{fmt}"

            def whole(p=path, o=out) -> None:
                shutil.rmtree(o, ignore_errors=True)
                cleaner.run([str(p)], o, translate=False)

            run_s = best(args.repeat, whole)
            rows.append((fmt, docs, docs / read_s, docs / run_s))
        parse_s = best(args.repeat, lambda: warcio_only(inputs["warc"]))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    text_read, text_run = rows[0][2], rows[0][3]
    print(f"documents per second, {args.pages} pages, fastest of {args.repeat} runs")
    print(
        f"{'format':<8} {'docs':>5} {'reading':>10} {'vs text':>8} {'end to end':>11} "
        f"{'vs text':>8}"
    )
    for fmt, docs, read, run in rows:
        print(
            f"{fmt:<8} {docs:>5} {read:>10.1f} {read / text_read:>7.2f}x {run:>11.1f} "
            f"{run / text_run:>7.2f}x"
        )
    warc_read = next(r[2] for r in rows if r[0] == "warc")
    share = (args.pages / warc_read) and (parse_s / (args.pages / warc_read))
    print(
        f"warcio parsing alone: {parse_s:.3f} s for {2 * args.pages} records, "
        f"{share:.1%} of reading the WARC (the rest is trafilatura's extraction)"
    )


if __name__ == "__main__":
    main()
