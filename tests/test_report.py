"""The run report: its data (read back from the outputs), its escaping, and the page itself in
headless Chromium."""

from __future__ import annotations

import http.server
import json
import os
import re
import shutil
import subprocess
import threading
from pathlib import Path

import pytest

import cleaner
from cleaner.report import render_report, write_report
from cleaner.report.data import load_run

REPO = Path(__file__).resolve().parent.parent
NO_BROWSER = os.environ.get("CLEANER_NO_BROWSER") == "1"
CHROMIUM = None if NO_BROWSER else (shutil.which("chromium") or shutil.which("chromium-browser"))
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None,
    reason=(
        "CLEANER_NO_BROWSER=1: the browser tests are skipped on request"
        if NO_BROWSER
        else "Chromium is not installed: `make test` installs Debian's chromium with apt-get "
        "when run as root (`make browser`); elsewhere install chromium, or set "
        "CLEANER_NO_BROWSER=1 to skip these tests on purpose"
    ),
)


@pytest.fixture(scope="module")
def translated_run(tmp_path_factory, packages_dir):
    out = tmp_path_factory.mktemp("report") / "out"
    config = cleaner.Config.from_dict(
        {
            "translate": {
                "packages_dir": str(packages_dir),
                "cache_path": str(out.parent / "cache.sqlite"),
            },
            "pairs": {"filters": ["empty", "han"]},
        }
    )
    cleaner.run([str(REPO / "corpora" / "sample")], out, config)
    return out


def test_every_run_writes_the_report_and_no_report_skips_it(tmp_path):
    src = REPO / "corpora" / "sample"
    cleaner.run([str(src)], tmp_path / "a", translate=False)
    assert (tmp_path / "a" / "report.html").is_file()
    cleaner.run([str(src)], tmp_path / "b", translate=False, report=False)
    assert not (tmp_path / "b" / "report.html").exists()
    # `cleaner report DIR` rebuilds it from the outputs alone
    write_report(tmp_path / "b")
    assert (tmp_path / "b" / "report.html").is_file()
    with pytest.raises(cleaner.CleanerError, match="no manifest.json"):
        write_report(tmp_path)


def test_report_built_from_the_shards_parts_equals_the_one_rebuilt_from_the_outputs(
    tmp_path, packages_dir
):
    """The run assembles report.html from parts its workers wrote per shard; `cleaner report`
    rebuilds it from the committed outputs alone: the two pages are the same bytes."""
    config = cleaner.Config.from_dict(
        {
            "translate": {
                "packages_dir": str(packages_dir),
                "cache_path": str(tmp_path / "cache.sqlite"),
            },
            "pairs": {"filters": ["empty", "han"]},
        }
    )
    out = tmp_path / "out"
    cleaner.run([str(REPO / "corpora" / "sample")], out, config, shard_documents=2)
    parts = sorted((out / ".cleaner-work" / "shards").glob("*/out/report-details.part"))
    assert len(parts) >= 3  # several shards, each with its part
    assert all(p.stat().st_size > 0 for p in parts)
    from_parts = (out / "report.html").read_bytes()
    (out / "report.html").unlink()
    write_report(out)  # no parts: from the outputs
    assert (out / "report.html").read_bytes() == from_parts
    # a part missing (a shard finished without the report): the run falls back, same page
    parts[1].unlink()
    write_report(out, parts=[p.parent for p in parts])
    assert (out / "report.html").read_bytes() == from_parts
    n_docs = json.loads((out / "manifest.json").read_text())["counts"]["documents"]
    ids = re.findall(rb'<script type="application/json" id="doc-(\d+)">', from_parts)
    assert [int(i) for i in ids] == list(range(n_docs))


def test_report_data_accounts_for_every_line(translated_run):
    summary, rows, details = load_run(translated_run)
    manifest = json.loads((translated_run / "manifest.json").read_text())
    assert summary["documents"] == manifest["counts"]["documents"] == len(rows) == len(details)
    assert sum(len(d["lines"]) for d in details) == manifest["counts"]["lines_in"]
    kept = sum(1 for d in details for ln in d["lines"] if ln["kept"])
    assert kept == manifest["counts"]["lines_kept"]
    crue = next(d for d in details if d["id"] == "courrier-matin/2024-03-12-crue-sorne")
    assert [ln["n"] for ln in crue["lines"]] == list(range(1, len(crue["lines"]) + 1))
    dup = next(ln for ln in crue["lines"] if ln.get("reason") == "duplicate_copy")
    assert re.fullmatch(r"repeat of line \d+( \(similarity [0-9.]+\))?", dup["note"])
    template = next(ln for ln in crue["lines"] if ln.get("reason") == "boilerplate_template")
    assert template["note"] == "template of courrier-matin: in 3 of its pages"
    pattern = next(ln for ln in crue["lines"] if ln.get("reason") == "boilerplate_pattern")
    assert pattern["note"].startswith("pattern: ")
    heading = next(ln for ln in crue["lines"] if ln["text"].startswith("### "))
    assert heading["fixed"] == heading["text"][4:]  # an edit shown as before -> after
    spans = [s for d in details for ln in d["lines"] for s in ln.get("spans", [])]
    assert any(s["lang"] == "zh" and s["translation"] and s["pivot"] == "en" for s in spans)
    assert sum(len(d["pairs"]) for d in details) == manifest["counts"]["pairs"]["kept"]


EVIL_PAGE = (
    "Titre normal du document de test.\n"
    "<script>alert('pwned')</script> et </script><img src=x onerror=alert(1)>\n"
    "<!-- commentaire --> & &lt;b&gt; fin\n"
)


@pytest.fixture
def evil_run(tmp_path) -> Path:
    page = tmp_path / "evil.txt"
    page.write_text(EVIL_PAGE, encoding="utf-8")
    out = tmp_path / "out"
    cleaner.run([str(page)], out, translate=False)
    return out


def test_scraped_markup_is_shown_as_text_never_run(evil_run):
    html = (evil_run / "report.html").read_text(encoding="utf-8")
    assert (
        "<script>alert" not in html and "<img src=x" not in html and "<!-- commentaire" not in html
    )
    assert html.count("<script") == html.count("</script>")  # only the report's own


@needs_chromium
def test_scraped_markup_stays_text_in_chromium(evil_run, tmp_path):
    dom = _chromium(evil_run / "report.html", "#doc=0", tmp_path)[0]
    assert "<img" not in dom.split("<body", 1)[1]  # no element was created from the text
    assert "&lt;script&gt;alert('pwned')&lt;/script&gt;" in dom  # shown as text


class _Recorder(http.server.BaseHTTPRequestHandler):
    """Answers anything, and records the path asked."""

    paths: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        self.paths.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.end_headers()
        self.wfile.write(b"x")

    do_POST = do_GET

    def log_message(self, *args) -> None:
        pass


@needs_chromium
def test_content_security_policy_blocks_every_request_in_chromium(evil_run, tmp_path):
    """A report page that tries to reach the network (an image, a style sheet, a script, a
    fetch) reaches nothing: a local server sees no request. The same page without the policy
    reaches the server, so the probe does try."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    probe = (
        f'<img src="{url}/img"><link rel="stylesheet" href="{url}/css">'
        f'<script src="{url}/js"></script>'
        f'<script>fetch("{url}/fetch").catch(() => {{}}); document.title = "probe ran";</script>'
    )
    html = (evil_run / "report.html").read_text(encoding="utf-8")
    policy = re.search(r'<meta http-equiv="Content-Security-Policy"[^>]*>', html).group(0)
    try:
        seen = {}
        for name, page_html in [("with", html), ("without", html.replace(policy, ""))]:
            page = tmp_path / f"{name}.html"
            page.write_text(page_html.replace("<body>", "<body>" + probe, 1), encoding="utf-8")
            _Recorder.paths = []
            dom, console = _chromium(page, "", tmp_path)
            assert "<title>probe ran</title>" in dom  # the probe's script did run
            seen[name] = sorted(_Recorder.paths)
    finally:
        server.shutdown()
    assert seen["with"] == []
    assert seen["without"] == ["/css", "/fetch", "/img", "/js"]


def _chromium(page: Path, fragment: str, tmp: Path, screenshot: Path | None = None):
    profile = tmp / f"profile-{len(list(tmp.glob('profile-*')))}"
    args = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={profile}",
        "--enable-logging=stderr",
        "--v=0",
        "--virtual-time-budget=5000",
        "--window-size=1300,1600",
    ]
    args += [f"--screenshot={screenshot}"] if screenshot else ["--dump-dom"]
    proc = subprocess.run(
        [*args, page.as_uri() + fragment], capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    console = [ln for ln in proc.stderr.splitlines() if "CONSOLE" in ln]
    return proc.stdout, console


@needs_chromium
def test_report_in_headless_chromium(translated_run, tmp_path):
    page = translated_run / "report.html"
    manifest = json.loads((translated_run / "manifest.json").read_text())
    counts = manifest["counts"]
    dom, console = _chromium(page, "", tmp_path)
    assert not [c for c in console if "Uncaught" in c or "ERROR" in c], console
    for key, value in [
        ("documents", counts["documents"]),
        ("lines-in", counts["lines_in"]),
        ("lines-kept", counts["lines_kept"]),
        ("lines-dropped", counts["lines_dropped"]),
        ("pairs", counts["pairs"]["kept"]),
    ]:
        assert f'id="total-{key}">{value}<' in dom, key
    assert dom.count('<tr class="doc"') == counts["documents"]  # the table was built by the script
    # a document's view: a struck-through duplicate line and a translated fragment
    rows = [
        json.loads(x) for x in (translated_run / "documents.jsonl").read_text().split("\n") if x
    ]
    index = next(i for i, r in enumerate(rows) if r["doc"] == "tech-actu/2024-06-03-neuralis-levee")
    dom, console = _chromium(page, f"#doc={index}", tmp_path)
    assert not [c for c in console if "Uncaught" in c or "ERROR" in c], console
    assert re.search(r'<div class="ln dropped r-duplicate_copy"[^>]*>.*?<del>', dom)
    assert re.search(r'<span class="translation"> → [^<]+\(via en\)</span>', dom)
    assert '<table class="pairs"><tbody id="view-pairs"><tr><td>' in dom
    shot = tmp_path / "report-document.png"
    _chromium(page, f"#doc={index}", tmp_path, screenshot=shot)
    assert shot.stat().st_size > 10_000


@pytest.fixture(scope="module")
def many_documents(tmp_path_factory) -> Path:
    src = tmp_path_factory.mktemp("many") / "many.jsonl"
    with open(src, "w", encoding="utf-8") as fh:
        for i in range(3000):
            fh.write(
                json.dumps({"id": f"d{i}", "text": f"Le conseil numéro {i} a voté mardi."}) + "\n"
            )
    out = src.parent / "out"
    cleaner.run([str(src)], out, translate=False)
    return out


def test_thousands_of_documents_stay_inert_until_opened(many_documents):
    """One inert JSON block per document, and no per-document DOM in the page as written."""
    html = render_report(many_documents)
    assert html.count('<script type="application/json" id="doc-') == 3000
    assert html.count('class="ln ') == 0  # lines become DOM only when a document is opened
    assert html.count('<tr class="doc"') == 0  # the table's rows are built by the script


@needs_chromium
def test_table_shows_500_rows_at_a_time_in_chromium(many_documents, tmp_path):
    dom, console = _chromium(many_documents / "report.html", "", tmp_path)
    assert not [c for c in console if "Uncaught" in c or "ERROR" in c], console
    assert dom.count('<tr class="doc"') == 500
    assert '<span class="muted" id="shown">500 of 3000 shown (refine the search)</span>' in dom
    # the last document opens all the same, its lines built then
    dom, _ = _chromium(many_documents / "report.html", "#doc=2999", tmp_path)
    assert '<h2 id="view-title">d2999</h2>' in dom
    assert "Le conseil numéro 2999 a voté mardi." in dom
