"""The run report at scale: its size, and how fast Chromium opens it, for 1k, 10k and 100k documents.

What is measured, in one run:

1. **Runs of 1k, 10k and 100k documents**: generated scraped pages (``corpus_gen``, eight
   sites, a JSONL file per site with each record's ``url``; 100k pages are 650 MB), cleaned
   by ``cleaner run --no-translate --workers 2`` (the real pipeline: its workers write the
   report's parts); then ``cleaner report`` rebuilds the report from the outputs in one
   process, timed, and must write the same bytes.
2. For each: the report's total size (``report.html`` and ``report/``), the main page's size
   and its bytes per document, the number and largest size of the parts; then, in headless
   Chromium (Playwright driving the machine's ``chromium``), the time to load the main page
   (navigation to the ``load`` event: the page's script has built the table by then), and to
   open one document's part from the table (a click on a row's link, to the part's ``load``
   and the document drawn), the median of three tries each; and, at 100k, how long the
   table takes to sort, filter by a reason and by a site, and search.
3. **A table of a million rows**: the table rows the 100k run's workers wrote, ten times over
   (renamed), made into a main page by the report's own page writer (no parts: they
   would be 10 GB); its size, load time, and the same table operations.

Targets (issue 13): the main page at most 5 MB at 100k documents, growing no faster than the
table's index; loaded in under 3 s; any document's part opened in under 1 s. A missed target
prints FAIL; the exit status stays 0 (a benchmark). Run: ``python tests/bench/bench_report.py
[--keep DIR]`` (about 8 minutes on 2 cores; 4 GB of disk at its peak).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from tests.bench.corpus_gen import generate_pages  # noqa: E402
from tests.support.browser import Tab, chromium, why_no_browser  # noqa: E402

CLEANER = str(Path(sys.executable).with_name("cleaner"))
MB = 1_000_000
BATCH = 10_000


def write_corpus(folder: Path, n: int, seed: int = 13) -> None:
    """``n`` generated pages, one JSONL file per site (its folder named after the site),
    generated 10,000 at a time (memory stays small)."""
    files: dict[str, Any] = {}
    for batch, start in enumerate(range(0, n, BATCH)):
        for page_id, site, text in _pages(min(BATCH, n - start), seed + batch):
            ascii_name = unicodedata.normalize("NFKD", site).encode("ascii", "ignore").decode()
            slug = re.sub(r"[^a-z]+", "-", ascii_name.lower()).strip("-")
            if slug not in files:
                (folder / slug).mkdir(parents=True)
                files[slug] = open(folder / slug / "pages.jsonl", "w", encoding="utf-8")  # noqa: SIM115
            record = {
                "id": f"{slug}/{batch:02d}-{page_id}",
                "url": f"https://www.{slug}.fr/actualites/{batch:02d}-{page_id}.html",
                "text": text,
            }
            files[slug].write(json.dumps(record, ensure_ascii=False) + "\n")
    for fh in files.values():
        fh.close()


def _pages(n: int, seed: int) -> list[tuple[str, str, str]]:
    """``n`` pages of ``corpus_gen``: (id, site, text)."""
    target = n * 6_800
    while True:
        sites: list[str] = []
        pages, _ = generate_pages(target, seed=seed, sites=sites)
        if len(pages) >= n:
            return [(i, site, text) for (i, text), site in zip(pages[:n], sites, strict=False)]
        target = int(target * 1.1)


def clean(src: Path, out: Path) -> float:
    t0 = time.perf_counter()
    cmd = [CLEANER, "run", str(src), "--out", str(out), "--no-translate", "--workers", "2", "-q"]
    subprocess.run(cmd, check=True)
    return time.perf_counter() - t0


def rebuild_report(out: Path) -> tuple[float, bool]:
    """Seconds for ``cleaner report`` to rebuild the report from the outputs (one process), and
    whether it wrote the same bytes as the run's workers and coordinator."""
    before = _digest(out)
    t0 = time.perf_counter()
    subprocess.run([CLEANER, "report", str(out)], check=True, capture_output=True)
    return time.perf_counter() - t0, _digest(out) == before


def _digest(out: Path) -> str:
    h = hashlib.sha256((out / "report.html").read_bytes())
    for path in sorted((out / "report").iterdir()):
        h.update(path.name.encode() + path.read_bytes())
    return h.hexdigest()


def sizes(out: Path) -> dict[str, float]:
    parts = [p.stat().st_size for p in (out / "report").iterdir()]
    main = (out / "report.html").stat().st_size
    documents = json.loads((out / "manifest.json").read_text())["counts"]["documents"]
    return {
        "documents": documents,
        "total_mb": (main + sum(parts)) / MB,
        "main_mb": main / MB,
        "main_bytes_per_doc": main / documents,
        "parts": len(parts),
        "largest_part_mb": max(parts) / MB,
    }


def _median_time(action, tries: int = 3) -> tuple[float, list[float]]:
    times = []
    for _ in range(tries):
        t0 = time.perf_counter()
        action()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), times


def time_pages(browser, out: Path, doc_id: str) -> dict[str, float]:
    """Seconds to load the main page, and to open ``doc_id``'s part from its row."""
    url = (out / "report.html").as_uri()
    result: dict[str, float] = {}
    with Tab(browser) as tab:
        result["main_load_s"], _ = _median_time(lambda: tab.page.goto(url, wait_until="load"))
        tab.page.fill("#search", doc_id)
        tab.page.wait_for_selector(f"#docs a:text-is('{doc_id}')")

        def open_part() -> None:
            tab.page.click(f"#docs a:text-is('{doc_id}')")
            tab.page.wait_for_url("**/report/part-*.html#doc=*", wait_until="load")
            tab.page.wait_for_selector("#view-lines .ln")

        times = []
        for _ in range(3):
            t0 = time.perf_counter()
            open_part()
            times.append(time.perf_counter() - t0)
            tab.page.go_back(wait_until="load")  # the main page again, its search kept
            tab.page.wait_for_selector(f"#docs a:text-is('{doc_id}')")
        result["part_open_s"] = statistics.median(times)
        assert not tab.errors, tab.errors
    return result


def time_table(browser, page: Path, site: str, reason: str) -> dict[str, float]:
    """Seconds for the table's operations on a loaded main page (each handler runs to its end
    before the next evaluate returns)."""
    result: dict[str, float] = {}
    with Tab(browser) as tab:
        tab.page.goto(page.as_uri(), wait_until="load")

        def timed(action) -> float:
            t0 = time.perf_counter()
            action()
            tab.page.evaluate("0")
            return time.perf_counter() - t0

        result["sort_s"] = timed(lambda: tab.page.click("th[data-k=lines_in]"))
        result["filter_reason_s"] = timed(
            lambda: tab.page.select_option("select[data-key=reasons]", label=reason)
        )
        result["filter_site_s"] = timed(
            lambda: tab.page.select_option("select[data-key=site]", label=site)
        )
        tab.page.select_option("select[data-key=reasons]", value="")
        tab.page.select_option("select[data-key=site]", value="")
        before = tab.page.text_content("#shown")
        t0 = time.perf_counter()
        tab.page.fill("#search", "page-00012")  # the table waits 0.12 s for typing to pause
        while tab.page.text_content("#shown") == before:
            time.sleep(0.01)
        result["search_s"] = time.perf_counter() - t0
        assert not tab.errors, tab.errors
    return result


def million_row_page(run100k: Path, dest: Path) -> Path:
    """A main page of 1,000,000 rows: the table rows the 100k run's workers wrote, ten times
    over (renamed), written by the report's page writer; no parts."""
    from cleaner.report import _write_main_page
    from cleaner.report.data import load_summary
    from cleaner.report.parts import ROWS, SAMPLES

    shares = sorted((run100k / ".cleaner-work" / "shards").glob("*/out/report-part"))
    rows = b"".join((share / ROWS).read_bytes() for share in shares)
    share = dest / "share"
    share.mkdir(parents=True)
    shutil.copy(shares[0] / SAMPLES, share / SAMPLES)
    with open(share / ROWS, "wb") as fh:
        for c in range(10):
            fh.write(rows.replace(b'{"id":"', f'{{"id":"m{c}/'.encode()))
    summary = load_summary(run100k)
    summary["documents"] *= 10
    page = dest / "report.html"
    with open(page, "wb") as fh:
        _write_main_page(summary, [share], dest, fh)
    return page


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--keep", type=Path, help="work in this folder and keep it")
    args = ap.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="cleaner-bench-report-"))
    work.mkdir(parents=True, exist_ok=True)
    reason = why_no_browser()
    try:
        print(f"{os.cpu_count()} cores")
        runs = {}
        for label, n in (("1k", 1_000), ("10k", 10_000), ("100k", 100_000)):
            t0 = time.perf_counter()
            write_corpus(work / f"in-{label}", n)
            generated = time.perf_counter() - t0
            seconds = clean(work / f"in-{label}", work / f"out-{label}")
            runs[label] = work / f"out-{label}"
            shutil.rmtree(work / f"in-{label}")
            rebuilt, same = rebuild_report(runs[label])
            print(
                f"{label}: generated in {generated:.0f} s, cleaned (report included) in "
                f"{seconds:.1f} s with 2 workers; cleaner report rebuilt it in {rebuilt:.1f} s "
                f"({'the same bytes' if same else 'FAIL: other bytes'})"
            )
        print()

        table = {label: sizes(out) for label, out in runs.items()}
        million = million_row_page(runs["100k"], work / "1m")
        table["1M rows"] = {
            "documents": 1_000_000,
            "main_mb": million.stat().st_size / MB,
            "main_bytes_per_doc": million.stat().st_size / 1_000_000,
        }
        if reason is None:
            with chromium() as browser:
                for label, out in runs.items():
                    table[label].update(time_pages(browser, out, _middle_document(out)))
                site, reason_label = _labels(runs["100k"] / "report.html")
                table["100k"].update(
                    time_table(browser, runs["100k"] / "report.html", site, reason_label)
                )
                site, reason_label = _labels(million)
                with Tab(browser) as tab:
                    table["1M rows"]["main_load_s"], _ = _median_time(
                        lambda: tab.page.goto(million.as_uri(), wait_until="load")
                    )
                    shown = tab.page.text_content("#shown")
                    assert shown == "rows 1–500 of 1000000", shown
                table["1M rows"].update(time_table(browser, million, site, reason_label))
        report(table, reason)
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)


def _middle_document(out: Path) -> str:
    lines = (out / "documents.jsonl").read_bytes().split(b"\n")
    return json.loads(lines[len(lines) // 2])["doc"]


def _labels(page: Path) -> tuple[str, str]:
    """A site's and a reason's labels in the table's filters (the largest site, the rarest
    reason)."""
    html = page.read_text(encoding="utf-8")
    start = html.index('<script type="application/json" id="index">') + 43
    head = html[start : html.index(',"values":', start)] + "}"
    index = json.loads(head)
    sites, counts = index["codes"]["site"], index["counts"]["site"]
    k = max(range(len(sites)), key=lambda i: counts[i])
    reasons, rcounts = index["codes"]["reasons"], index["counts"]["reasons"]
    r = min(range(len(reasons)), key=lambda i: rcounts[i])
    return f"{sites[k]} ({counts[k]})", f"{reasons[r]} ({rcounts[r]})"


def report(table: dict[str, dict], no_browser: str | None) -> None:
    columns = [
        ("documents", "documents", "{:,.0f}"),
        ("total_mb", "report MB", "{:.1f}"),
        ("main_mb", "main page MB", "{:.2f}"),
        ("main_bytes_per_doc", "main B/doc", "{:.1f}"),
        ("parts", "parts", "{:,.0f}"),
        ("largest_part_mb", "largest part MB", "{:.2f}"),
        ("main_load_s", "main load s", "{:.2f}"),
        ("part_open_s", "part open s", "{:.2f}"),
        ("sort_s", "sort s", "{:.2f}"),
        ("filter_reason_s", "reason filter s", "{:.2f}"),
        ("filter_site_s", "site filter s", "{:.2f}"),
        ("search_s", "search s", "{:.2f}"),
    ]
    print("| run | " + " | ".join(label for _, label, _ in columns[1:]) + " |")
    print("|---" * len(columns) + "|")
    for name, row in table.items():
        cells = [fmt.format(row[key]) if key in row else "" for key, _, fmt in columns[1:]]
        print(f"| {name} ({row['documents']:,}) | " + " | ".join(cells) + " |")
    if no_browser:
        print(f"\nno browser timings: {no_browser}")
    print()
    k100 = table["100k"]
    checks = [
        ("main page <= 5 MB at 100k", k100["main_mb"] <= 5.0),
        (
            "main page grows no faster than the index (B/doc at 100k <= 1.1 x at 10k)",
            k100["main_bytes_per_doc"] <= 1.1 * table["10k"]["main_bytes_per_doc"],
        ),
    ]
    if "main_load_s" in k100:
        checks.append(("main page loads in < 3 s at 100k", k100["main_load_s"] < 3.0))
        worst = max(row["part_open_s"] for row in table.values() if "part_open_s" in row)
        checks.append(("a document's part opens in < 1 s", worst < 1.0))
    for label, ok in checks:
        print(f"{label:<75} {'ok' if ok else 'FAIL'}")


if __name__ == "__main__":
    main()
