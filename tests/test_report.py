"""The run report: its data (read back from the outputs), its parts, its escaping, and its pages
in headless Chromium (driven by Playwright: tests/support/browser.py)."""

from __future__ import annotations

import http.server
import json
import re
import shutil
import threading
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

import cleaner
from cleaner.cli import main as cli_main
from cleaner.report import write_report
from cleaner.report.data import load_run
from cleaner.report.parts import DETAIL_CHARS, LINE_CHARS, PART_DOCUMENTS, cap_detail
from tests.support.browser import Tab, why_no_browser
from tests.support.outputs import snapshot
from tests.support.sample_truth import load_truth

REPO = Path(__file__).resolve().parent.parent
NO_BROWSER = why_no_browser()
needs_chromium = pytest.mark.skipif(NO_BROWSER is not None, reason=NO_BROWSER or "needs Chromium")


def _report_files(out: Path) -> dict[str, bytes]:
    return {k: v for k, v in snapshot(out).items() if k == "report.html" or k.startswith("report/")}


def _script_json(html: str, element_id: str):
    body = re.search(
        rf'<script type="application/json" id="{element_id}">(.*?)</script>', html, re.S
    )
    return json.loads(body.group(1))


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


def _expected_sites(out: Path) -> dict[str, str]:
    """Each sample document's site as the report must show it: the one documents.jsonl
    records, when the run records sites, else the folder its input is in under corpora/sample
    (from the hand-written truth)."""
    records = {
        r["doc"]: r
        for r in map(json.loads, (out / "documents.jsonl").read_text("utf-8").splitlines())
    }
    return {t.doc: records[t.doc].get("site", t.input.split("/")[0]) for t in load_truth().values()}


def _write_many(path: Path, n: int) -> Path:
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(n):
            fh.write(
                json.dumps({"id": f"d{i}", "text": f"Le conseil numéro {i} a voté mardi."}) + "\n"
            )
    return path


@pytest.fixture(scope="module")
def many_documents(tmp_path_factory) -> Path:
    """3,000 documents in shards of 250: 12 shards, 30 parts, some parts across two shards."""
    src = _write_many(tmp_path_factory.mktemp("many") / "many.jsonl", 3000)
    out = src.parent / "out"
    cleaner.run([str(src)], out, translate=False, shard_documents=250)
    return out


def test_every_run_writes_the_report_and_no_report_skips_it(tmp_path):
    src = REPO / "corpora" / "sample"
    cleaner.run([str(src)], tmp_path / "a", translate=False)
    assert (tmp_path / "a" / "report.html").is_file()
    assert (tmp_path / "a" / "report" / "part-000000.html").is_file()
    cleaner.run([str(src)], tmp_path / "b", translate=False, report=False)
    assert not (tmp_path / "b" / "report.html").exists()
    assert not (tmp_path / "b" / "report").exists()
    # `cleaner report DIR` rebuilds it from the outputs alone
    write_report(tmp_path / "b")
    assert _report_files(tmp_path / "b") == _report_files(tmp_path / "a")
    # a later run without the report leaves no report of the earlier run behind
    cleaner.run([str(src)], tmp_path / "a", translate=False, report=False, fresh=True)
    assert not (tmp_path / "a" / "report.html").exists()
    assert not (tmp_path / "a" / "report").exists()
    with pytest.raises(cleaner.CleanerError, match="no manifest.json"):
        write_report(tmp_path)
    assert not list(tmp_path.glob(".cleaner-report-*"))
    # a manifest that is no run's: a one-line error, not "unexpected AttributeError"
    for text in ("[]", "{not json", '{"counts": []}'):
        (tmp_path / "b" / "manifest.json").write_text(text)
        with pytest.raises(cleaner.CleanerError, match="not a cleaner run's manifest"):
            write_report(tmp_path / "b")


def test_parts_written_by_the_workers_equal_the_ones_rebuilt_from_the_outputs(
    many_documents, tmp_path
):
    """The workers write each part that lies in their shard (here parts 0 and 1 of shard 0),
    the run joins those that straddle two shards; `cleaner report` rebuilds every file from
    the committed outputs alone: the same bytes. Part k holds documents 100k to 100k+99."""
    out = tmp_path / "out"
    shutil.copytree(many_documents, out)
    shard0 = out / ".cleaner-work" / "shards" / "000000" / "out" / "report-part" / "pages"
    assert sorted(p.name for p in shard0.iterdir()) == [
        "part-000000.html",
        "part-000001.html",
        "part-000002.blocks",  # documents 200-249; 250-299 are in shard 1
    ]
    from_parts = _report_files(out)
    assert len([k for k in from_parts if k.startswith("report/")]) == 30
    for k in range(30):
        page = from_parts[f"report/part-{k:06d}.html"].decode("utf-8")
        ids = re.findall(r'<script type="application/json" id="doc-(\d+)">', page)
        assert [int(i) for i in ids] == list(range(100 * k, 100 * k + 100)), k
        assert f"Le conseil numéro {100 * k + 57} a voté mardi." in page
    shutil.rmtree(out / "report")
    (out / "report.html").unlink()
    write_report(out)  # no parts: from the outputs
    assert _report_files(out) == from_parts
    # a shard without its share (finished by a run without the report): the same files
    shares = sorted((out / ".cleaner-work" / "shards").glob("*/out"))
    shutil.rmtree(shares[3] / "report-part")
    write_report(out, parts=shares)
    assert _report_files(out) == from_parts
    assert PART_DOCUMENTS == 100


def test_the_main_page_holds_no_document_text_and_grows_with_the_index_only(
    many_documents, tmp_path
):
    """The main page carries the table's compact index, not the documents: its size grows by
    a few bytes per document (the index), whatever their text."""
    main = (many_documents / "report.html").read_text(encoding="utf-8")
    assert "Le conseil numéro" not in main
    assert main.count('<script type="application/json" id="doc-') == 0
    assert main.count('<tr class="doc"') == 0  # the table's rows are built by the script
    half = _write_many(tmp_path / "half.jsonl", 1500)
    cleaner.run([str(half)], tmp_path / "out", translate=False, shard_documents=250)
    smaller = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    per_document = (len(main.encode()) - len(smaller.encode())) / 1500
    index_per_document = (
        len(json.dumps(_script_json(main, "index"), separators=(",", ":")))
        - len(json.dumps(_script_json(smaller, "index"), separators=(",", ":")))
    ) / 1500
    assert per_document < 25, per_document  # id "d1234" front-coded, 7 small numbers
    assert abs(per_document - index_per_document) < 1
    # but the documents' pages hold their text, and grow with it
    assert sum(p.stat().st_size for p in (many_documents / "report").iterdir()) > 3000 * 300


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
    assert {r["id"]: r["site"] for r in rows} == _expected_sites(translated_run)


def test_the_site_comes_from_documents_jsonl_when_the_run_recorded_it(tmp_path):
    out = tmp_path / "out"
    cleaner.run([str(REPO / "corpora" / "sample")], out, translate=False)
    docs = (out / "documents.jsonl").read_text("utf-8").splitlines()
    with_site = []
    for line in docs:
        record = json.loads(line)
        if record["doc"].startswith("tech-actu/"):
            record["site"] = "tech-actu.example.org"
        else:  # recorded by no run (older outputs): the input's folder
            record.pop("site", None)
        with_site.append(json.dumps(record, ensure_ascii=False))
    (out / "documents.jsonl").write_text("\n".join(with_site) + "\n", "utf-8")
    write_report(out)
    index = _script_json((out / "report.html").read_text("utf-8"), "index")
    sites = index["codes"]["site"]
    by_site = dict(zip(sites, index["counts"]["site"], strict=True))
    assert by_site == {
        "courrier-matin": 3,
        "depeches": 2,
        "eco-hebdo": 3,
        "tech-actu.example.org": 3,
    }
    part = (out / "report" / "part-000000.html").read_text("utf-8")
    detail = _script_json(part, "doc-8")
    assert detail["id"] == "tech-actu/2024-06-03-neuralis-levee"
    assert detail["site"] == "tech-actu.example.org"


def test_samples_show_each_reason_and_the_documents_most_dropped(tmp_path):
    """Three pages: one repeats 5 of its lines, one 2, one none; the page with a cookie banner
    shows the pattern. Each reason's samples are documents that show it, with its lines."""
    src = tmp_path / "in"
    src.mkdir()

    news = [
        "Le maire de Lanval a présenté mardi son budget pour l'année prochaine.",
        "Les travaux du pont sur la Sorne commenceront au printemps, selon la préfecture.",
        "Une nouvelle ligne de bus reliera la gare au quartier des Tilleuls dès septembre.",
        "Le club de basket local a remporté son troisième match consécutif samedi soir.",
        "La médiathèque prolonge ses horaires d'ouverture pendant les vacances scolaires.",
        "Les producteurs de lait manifestent devant la laiterie pour un meilleur prix.",
        "Un incendie a détruit un entrepôt de la zone artisanale dans la nuit de dimanche.",
        "La fête du village attire chaque été plusieurs milliers de visiteurs venus de loin.",
        "Le conseil départemental vote une aide aux communes touchées par la crue de mars.",
        "Une start-up grenobloise lève dix millions d'euros pour ses puces électroniques.",
        "Le tribunal administratif annule le permis de construire du centre commercial.",
        "Les urgences de l'hôpital manquent de médecins depuis le début de l'automne.",
    ]
    pages = {
        "a-none": news[0:3],
        "b-five": news[3:9] + news[3:8],
        "c-two": ["Ce site utilise des cookies pour améliorer votre expérience de lecture."]
        + news[9:12]
        + news[10:12],
    }
    for name, lines in pages.items():
        (src / f"{name}.txt").write_text(f"Titre {name}\n" + "\n".join(lines) + "\n", "utf-8")
    out = tmp_path / "out"
    cleaner.run([str(src)], out, translate=False)
    samples = dict(
        (reason, chosen)
        for reason, _, chosen in _script_json(
            (out / "report.html").read_text("utf-8"), "samples-data"
        )
    )
    assert {"boilerplate_pattern", "duplicate_copy"} <= set(samples)
    for reason, chosen in samples.items():  # every sample shows its reason
        assert chosen and all(s["count"] >= len(s["lines"]) >= 1 for s in chosen), reason
    assert [(s["id"], s["count"]) for s in samples["duplicate_copy"]] == [
        ("b-five", 5),
        ("c-two", 2),
    ]
    b_five = samples["duplicate_copy"][0]
    assert [ln["n"] for ln in b_five["lines"]] == [8, 9]  # the first two repeats, of 2 shown
    assert b_five["lines"][0]["text"] == news[3]
    assert b_five["lines"][0]["note"].startswith("repeat of line 2")
    assert b_five["doc"] == 1  # its number in the run: the link to report/part-000000.html#doc=1
    (cookie,) = samples["boilerplate_pattern"]
    assert cookie["id"] == "c-two" and cookie["lines"][0]["n"] == 2


def test_a_documents_detail_is_bounded():
    """A line is shown up to LINE_CHARS characters, a document up to DETAIL_CHARS: the rest is
    counted, so a part's size is bounded."""
    long_line = "x" * (LINE_CHARS + 1234)
    detail = {
        "id": "d",
        "lines": [
            {"n": 1, "kept": True, "text": long_line, "spans": [{"start": 6000, "end": 6002}]}
        ]
        + [
            {"n": n, "kept": n % 2 == 0, "text": "y" * 4000, "reason": "r", "note": ""}
            for n in range(2, 62)
        ],
        "pairs": [["fr", "en"]],
        "pair_rejects": [{"fr": "fr", "en": "en", "reason": "pair_empty", "note": ""}],
    }
    shown = cap_detail(detail)
    first = shown["lines"][0]
    assert len(first["text"]) == LINE_CHARS and first["cut"] == 1234 and first["spans"] == []
    # 5,000 + 49 x 4,000 = 201,000 characters: the 49th line of y is the last shown; lines 51
    # to 61 are counted, the odd ones (6) dropped
    assert DETAIL_CHARS == 200_000
    assert len(shown["lines"]) == 50
    assert shown["hidden"] == {"lines": 11, "dropped": 6, "pairs": 2}
    assert shown["pairs"] == shown["pair_rejects"] == []
    assert detail["lines"][0]["text"] == long_line  # the input is left as it was


def test_cleaner_report_timings_adds_the_time_per_stage(tmp_path):
    out = tmp_path / "out"
    cleaner.run([str(REPO / "corpora" / "sample")], out, translate=False)
    plain = (out / "report.html").read_text("utf-8")
    assert 'id="timings-note"' in plain and 'id="panel-timings"' in plain
    result = CliRunner().invoke(cli_main, ["report", str(out), "--timings"])
    assert result.exit_code == 0, result.output
    timed = (out / "report.html").read_text("utf-8")
    stages = json.loads((out / "manifest.json").read_text())["timings"]
    assert 'id="timings-note"' not in timed
    assert f"total {stages['total']} s" in timed
    assert re.search(r"<span>second_copy</span>.*?<span class=\"n\">[0-9.]+</span>", timed, re.S)


EVIL_PAGE = (
    "Titre normal du document de test.\n"
    "<script>alert('pwned')</script> et </script><img src=x onerror=alert(1)>\n"
    "<!-- commentaire --> & &lt;b&gt; fin\n"
)


@pytest.fixture
def evil_run(tmp_path) -> Path:
    src = tmp_path / "in"
    src.mkdir()
    (src / "evil<b>.txt").write_text(EVIL_PAGE, encoding="utf-8")
    out = tmp_path / "out"
    cleaner.run([str(src)], out, translate=False)
    return out


def test_scraped_markup_is_shown_as_text_never_run(evil_run):
    for page in [evil_run / "report.html", evil_run / "report" / "part-000000.html"]:
        html = page.read_text(encoding="utf-8")
        assert (
            "<script>alert" not in html
            and "<img src=x" not in html
            and "<!-- commentaire" not in html
        )
        assert html.count("<script") == html.count("</script>")  # only the report's own


@needs_chromium
def test_scraped_markup_stays_text_in_chromium(evil_run, browser):
    with Tab(browser) as tab:
        tab.page.goto((evil_run / "report" / "part-000000.html").as_uri() + "#doc=0")
        body = tab.page.inner_html("body")
        assert not tab.errors, tab.errors
    assert "<img" not in body  # no element was created from the text
    assert "&lt;script&gt;alert('pwned')&lt;/script&gt;" in body  # shown as text


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
@pytest.mark.parametrize("page_name", ["report.html", "report/part-000000.html"])
def test_content_security_policy_blocks_every_request_in_chromium(
    evil_run, tmp_path, browser, page_name
):
    """A report page that tries to reach the network (an image, a style sheet, a script, a
    fetch) reaches nothing: a local server sees no request. The same page without the policy
    reaches the server, so the probe does try."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    probe = (
        f'<img src="{url}/img"><link rel="stylesheet" href="{url}/css">'
        f'<script src="{url}/js"></script>'
        f'<script>fetch("{url}/fetch").catch(() => {{}}).finally(() => {{ document.title = "settled"; }});'
        ' document.body.dataset.probe = "ran";</script>'
    )
    html = (evil_run / page_name).read_text(encoding="utf-8")
    policy = re.search(r'<meta http-equiv="Content-Security-Policy"[^>]*>', html).group(0)
    try:
        seen = {}
        for name, page_html in [("with", html), ("without", html.replace(policy, ""))]:
            page = tmp_path / f"{name}.html"
            with_probe = re.sub(r"<body[^>]*>", lambda m: m.group(0) + probe, page_html, count=1)
            page.write_text(with_probe, encoding="utf-8")
            _Recorder.paths = []
            with Tab(browser) as tab:
                tab.page.goto(page.as_uri())
                tab.page.wait_for_load_state("networkidle")
                assert tab.page.evaluate("document.body.dataset.probe") == "ran"
                tab.page.wait_for_function("document.title === 'settled'")  # answered or refused
            seen[name] = sorted(_Recorder.paths)
    finally:
        server.shutdown()
    assert seen["with"] == []
    assert seen["without"] == ["/css", "/fetch", "/img", "/js"]


def _wait_rows(tab: Tab, n: int) -> None:
    """Until the table shows ``n`` rows (the search waits for typing to pause)."""
    from playwright.sync_api import expect

    expect(tab.page.locator("#docs tbody tr")).to_have_count(n)


def _cells(tab: Tab, selector: str = "#docs tbody tr") -> list[list[str]]:
    return tab.page.eval_on_selector_all(
        selector, "rows => rows.map(r => Array.from(r.cells, c => c.textContent))"
    )


@needs_chromium
def test_report_in_headless_chromium(translated_run, browser, tmp_path):
    """The main page's totals and table; a document opened from the table, in its part."""
    counts = json.loads((translated_run / "manifest.json").read_text())["counts"]
    sites = _expected_sites(translated_run)  # four folders: 3, 3, 3 and 2 documents
    per_site = Counter(sites.values())
    with Tab(browser) as tab:
        tab.page.goto((translated_run / "report.html").as_uri())
        for key, value in [
            ("documents", counts["documents"]),
            ("lines-in", counts["lines_in"]),
            ("lines-kept", counts["lines_kept"]),
            ("lines-dropped", counts["lines_dropped"]),
            ("pairs", counts["pairs"]["kept"]),
            ("sites", len(set(sites.values()))),
        ]:
            assert tab.page.text_content(f"#total-{key}") == str(value), key
        assert len(_cells(tab)) == counts["documents"]
        # the panel of sites: documents per site, the most first
        bars = tab.page.eval_on_selector_all(
            "#panel-site .bar",
            "bars => bars.map(b => [b.dataset.value, b.querySelector('.n').textContent])",
        )
        assert sorted(per_site.values()) == [2, 3, 3, 3]
        assert bars == [
            [site, str(n)] for site, n in sorted(per_site.items(), key=lambda x: (-x[1], x[0]))
        ]
        tab.page.screenshot(path=str(tmp_path / "report-overview.png"))
        tab.page.click("#docs a:text-is('tech-actu/2024-06-03-neuralis-levee')")
        tab.page.wait_for_url("**/report/part-000000.html#doc=*")
        assert tab.page.text_content("#view-title").startswith("Puces d’IA")
        html = tab.page.inner_html("#view")
        assert not tab.errors, tab.errors
    assert re.search(r'<div class="ln dropped r-duplicate_copy"[^>]*>.*?<del>', html)
    assert re.search(r'<span class="translation"> → [^<]+\(via en\)</span>', html)
    assert '<table class="pairs"><tbody id="view-pairs"><tr><td>' in html


@needs_chromium
def test_a_document_opens_from_the_main_page_of_a_run_of_many_shards(many_documents, browser):
    """12 shards, 30 parts: the table shows 500 rows at a time; a document of a part written
    whole by a worker, and one of a part joined from two shards, open from their rows."""
    with Tab(browser) as tab:
        tab.page.goto((many_documents / "report.html").as_uri())
        assert len(_cells(tab)) == 500
        assert tab.page.text_content("#shown") == "rows 1–500 of 3000"
        tab.page.click("#next")
        assert tab.page.text_content("#shown") == "rows 501–1000 of 3000"
        assert _cells(tab)[0][0] == "d500"
        tab.page.fill("#search", "d2999")
        _wait_rows(tab, 1)
        tab.page.click("#docs tbody tr")  # the row, not only its link, opens the document
        tab.page.wait_for_url("**/report/part-000029.html#doc=2999")
        tab.page.wait_for_selector("#view-title:text-is('d2999')", timeout=5000)
        assert "Le conseil numéro 2999 a voté mardi." in tab.page.text_content("#view-lines")
        tab.page.click("#back")
        tab.page.wait_for_url("**/report.html")
        tab.page.fill("#search", "d275")
        _wait_rows(tab, 11)  # d275, d2750 to d2759
        tab.page.click(
            "#docs a:text-is('d275')"
        )  # part 2: documents 200-249 from shard 0, 250-299 from 1
        tab.page.wait_for_url("**/report/part-000002.html#doc=275")
        assert "Le conseil numéro 275 a voté mardi." in tab.page.text_content("#view-lines")
        tab.page.click("#prev-doc")
        tab.page.wait_for_url("**#doc=274")
        # the view is drawn by the hashchange handler, after the address changed
        tab.page.wait_for_selector("#view-title:text-is('d274')", timeout=5000)
        # an old link to the main page's #doc=N goes to the document's part
        tab.page.goto((many_documents / "report.html").as_uri() + "#doc=1234")
        tab.page.wait_for_url("**/report/part-000012.html#doc=1234")
        tab.page.wait_for_selector("#view-title:text-is('d1234')", timeout=5000)
        assert not tab.errors, tab.errors


@needs_chromium
def test_the_table_searches_sorts_and_filters_by_site_and_reason(translated_run, browser):
    """Expected rows from the hand-written truth of corpora/sample (corpora/truth/)."""
    truth = load_truth().values()
    with_source = sorted(
        t.doc for t in truth if any("source line" in d.categories for d in t.drops.values())
    )
    longest = max(truth, key=lambda t: t.lines)
    sites = _expected_sites(translated_run)
    depeches = sites["dep-0412"]  # the site of the two records
    tech = sites["tech-actu/2024-06-03-neuralis-levee"]
    with Tab(browser) as tab:
        tab.page.goto((translated_run / "report.html").as_uri())
        tab.page.select_option("select[data-key=site]", label=f"{depeches} (2)")
        assert sorted(r[0] for r in _cells(tab)) == ["dep-0412", "dep-0413"]
        tab.page.select_option("select[data-key=site]", value="")
        tab.page.select_option(
            "select[data-key=reasons]", label=f"source_metadata ({len(with_source)})"
        )
        assert sorted(r[0] for r in _cells(tab)) == with_source
        # the filter is in the address: the back button, or a link, brings it back
        assert "reasons=source_metadata" in tab.page.url
        tab.page.reload()
        assert sorted(r[0] for r in _cells(tab)) == with_source
        tab.page.select_option("select[data-key=reasons]", value="")
        tab.page.click("th[data-k=lines_in]")
        tab.page.click("th[data-k=lines_in]")  # twice: the most lines first
        rows = _cells(tab)
        assert rows[0][0] == longest.doc and rows[0][3] == str(longest.lines)
        tab.page.fill("#search", "ECO-hebdo/2024-05-0")
        _wait_rows(tab, 3)
        # a click on a site's bar filters the table by it
        tab.page.fill("#search", "")
        tab.page.click(f"#panel-site .bar[data-value='{tech}']")
        _wait_rows(tab, list(sites.values()).count(tech))
        assert not tab.errors, tab.errors


@needs_chromium
def test_ids_beyond_the_basic_plane_survive_the_front_coding(tmp_path, browser):
    src = tmp_path / "ids.jsonl"
    ids = ["𝒜𝒜-1", "𝒜𝒜-2", "𝒜b-3", "𝒜", "é𝒜-5", "é𝒜-50"]
    with open(src, "w", encoding="utf-8") as fh:
        for i, doc_id in enumerate(ids):
            fh.write(json.dumps({"id": doc_id, "text": f"Le texte numéro {i} de la page."}) + "\n")
    cleaner.run([str(src)], tmp_path / "out", translate=False)
    with Tab(browser) as tab:
        tab.page.goto((tmp_path / "out" / "report.html").as_uri())
        assert [r[0] for r in _cells(tab)] == ids
        assert not tab.errors, tab.errors


def _pinned_run(tmp_path: Path) -> Path:
    """A run of one page whose second line a keep rule pins."""
    rules = tmp_path / "keep.toml"
    rules.write_text(
        "[[rule]]\nname = 'see_original'\naction = 'keep'\npattern = '''voir l['’]original$'''\n",
        encoding="utf-8",
    )
    page = tmp_path / "in" / "page.txt"
    page.parent.mkdir()
    page.write_text("Le conseil a voté le budget de la médiathèque.\nVoir l'original\n", "utf-8")
    config = cleaner.Config().replace("boilerplate", pattern_files=(str(rules),))
    cleaner.run([str(page.parent)], tmp_path / "out", config, translate=False)
    return tmp_path / "out"


def test_the_report_shows_the_lines_a_keep_rule_pinned(tmp_path):
    _, _, (detail,) = load_run(_pinned_run(tmp_path))
    first, second = detail["lines"]
    assert first["kept"] and "pinned" not in first
    assert second["kept"] and second["pinned"] == "see_original"


@needs_chromium
def test_the_report_page_tags_a_pinned_line(tmp_path, browser):
    out = _pinned_run(tmp_path)
    with Tab(browser) as tab:
        tab.page.goto((out / "report.html").as_uri())
        tab.page.click("#docs a:text-is('page')")
        tab.page.wait_for_url("**/report/part-000000.html#doc=*")
        rows = tab.page.eval_on_selector_all(
            "#view-lines .ln",
            "rows => rows.map(r => [r.className, r.querySelector('.why').textContent])",
        )
        assert not tab.errors, tab.errors
    assert rows == [["ln kept", ""], ["ln kept", "pinnedkeep rule: see_original"]]
