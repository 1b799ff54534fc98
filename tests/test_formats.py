"""HTML pages, WARC archives and Parquet files in; clean.parquet and parallel/corpus.parquet out.

The pages are written for the tests (tests/support/formats.py); what a test expects is what a
person reads in them: the article's paragraphs, not the menus, banner and footer around it.
"""

from __future__ import annotations

import datetime
import decimal
import gzip
import json
import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import cleaner
from cleaner import Config
from tests.support.formats import (
    ARTICLE,
    CHROME,
    EMPTY_PAGE,
    TITLE,
    page_html,
    write_parquet,
    write_warc,
)
from tests.support.outputs import assert_same_but_timings, snapshot


def test_a_pages_odd_date_warns_nothing_on_stderr(tmp_path):
    # "2024-03-11 10:00 EST": dateutil, under trafilatura, warns that it does not know EST;
    # a warning about one page's metadata is no message of the run
    page = page_html(date=None).replace(
        "<head>", '<head><meta name="dc.date" content="2024-03-11 10:00 EST">', 1
    )
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "p.html").write_text(page, "utf-8")
    code = (
        "import sys, warnings, cleaner\n"
        "warnings.simplefilter('always')\n"
        "r = cleaner.run(sys.argv[1], sys.argv[2], translate=False)\n"
        "print(r.counts['documents'])\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "in"), str(tmp_path / "out")],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0 and done.stdout == "1\n", done.stderr
    assert done.stderr == ""
    (doc,) = jsonl(tmp_path / "out" / "documents.jsonl")
    assert doc["date"] == "2024-03-11"


def jsonl(path: Path) -> list[dict]:
    if not path.is_file():
        return []
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]


def run(src: Path, out: Path, config: Config | None = None, **kw) -> cleaner.RunResult:
    return cleaner.run([str(src)], out, config or Config(), translate=False, **kw)


def clean_lines(out: Path, doc_id: str) -> list[str]:
    return (out / "clean" / f"{doc_id}.txt").read_text(encoding="utf-8").splitlines()


# -- HTML --------------------------------------------------------------------------------------


def test_html_page_gives_its_article_and_metadata(tmp_path):
    src = tmp_path / "in" / "courrier"
    src.mkdir(parents=True)
    (src / "crue.html").write_text(page_html(), encoding="utf-8")
    result = run(tmp_path / "in", tmp_path / "out")
    text = clean_lines(tmp_path / "out", "courrier/crue")
    for paragraph in ARTICLE:
        assert paragraph in text
    for chrome in [*CHROME, "Tous droits réservés", "cookies"]:
        assert not any(chrome in line for line in text), chrome
    (doc,) = jsonl(tmp_path / "out" / "documents.jsonl")
    assert doc["format"] == "html" and doc["output"] == "clean/courrier/crue.txt"
    assert doc["url"] == "https://www.courrier-matin.fr/region/crue-sorne"
    assert doc["site"] == "courrier-matin.fr"
    assert doc["title"] == TITLE and doc["author"] == "Jeanne Martin"
    assert doc["date"] == "2024-03-12"
    assert result.counts["documents"] == 1 and result.counts["quarantined"] == {}


def test_html_with_a_declared_charset(tmp_path):
    # ISO-8859-15 puts € at 0xA4 and œ at 0xBD; read as cp1252 or latin-1 they would be ¤ and ½
    article = ["Le ticket coûte désormais 2 € et l’œuvre du sculpteur reste visible " * 2]
    src = tmp_path / "in"
    src.mkdir()
    for name, http_equiv in (("meta.html", False), ("equiv.htm", True)):
        html = page_html(article, charset="iso-8859-15", http_equiv=http_equiv)
        (src / name).write_bytes(html.replace("’", "'").encode("iso-8859-15"))
    run(src, tmp_path / "out")
    docs = {d["doc"]: d for d in jsonl(tmp_path / "out" / "documents.jsonl")}
    for doc_id in ("meta", "equiv"):
        text = "\n".join(clean_lines(tmp_path / "out", doc_id))
        assert "coûte désormais 2 € et l'œuvre du sculpteur" in text
        assert "¤" not in text and "½" not in text
        assert docs[doc_id]["encoding"] == "iso8859-15"


def test_html_without_a_declared_charset_is_detected(tmp_path):
    pages = {
        "sans": page_html(ARTICLE, charset=None).encode("cp1252"),
        # a page that says windows-1252 over UTF-8 text: read as UTF-8, no mojibake made
        "menteur": page_html(ARTICLE, charset="windows-1252").encode("utf-8"),
    }
    for doc_id, data in pages.items():
        src = tmp_path / doc_id
        src.mkdir()
        (src / f"{doc_id}.html").write_bytes(data)
        run(src, tmp_path / f"out-{doc_id}")
        text = clean_lines(tmp_path / f"out-{doc_id}", doc_id)
        assert ARTICLE[1] in text and ARTICLE[2] in text, doc_id


def test_html_page_with_nothing_to_extract_is_quarantined(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "app.html").write_text(EMPTY_PAGE, encoding="utf-8")
    (src / "vide.htm").write_bytes(b"")
    (src / "crue.html.gz").write_bytes(gzip.compress(page_html().encode()))
    result = run(src, tmp_path / "out")
    quarantined = jsonl(tmp_path / "out" / "quarantine.jsonl")
    assert {(Path(q["file"]).name, q["reason"]) for q in quarantined} == {
        ("app.html", "no_extracted_text"),
        ("vide.htm", "no_extracted_text"),
    }
    assert result.counts["quarantined"] == {"no_extracted_text": 2}
    assert ARTICLE[0] in clean_lines(tmp_path / "out", "crue")  # the .gz page, id without .html.gz


def test_extracted_text_goes_through_the_boilerplate_stage(tmp_path):
    # leftovers trafilatura keeps inside the article are still the pattern library's
    article = [ARTICLE[0], "Publicité", ARTICLE[1], "Lire aussi : les crues de 1999", ARTICLE[2]]
    src = tmp_path / "in"
    src.mkdir()
    (src / "page.html").write_text(page_html(article), encoding="utf-8")
    run(src, tmp_path / "out")
    rejects = {r["text"]: r for r in jsonl(tmp_path / "out" / "rejects.jsonl")}
    assert rejects["Publicité"]["reason"] == "boilerplate_pattern"
    assert rejects["Publicité"]["detail"]["rule"] == "advertisement"
    assert rejects["Lire aussi : les crues de 1999"]["detail"]["rule"] == "read_also"
    assert ARTICLE[1] in clean_lines(tmp_path / "out", "page")


#: A news page of the 2000s, laid out in a table: its menu, its article (a headline, a date
#: line, four paragraphs and a table of results) and its footer, each in rows of their own.
TABLE_LAYOUT = """<html><head><meta charset="utf-8"><title>Sorne : la crue recule</title></head>
<body><table width="760">
<tr><td><a href="/">Accueil</a> | <a href="/region">Région</a> | <a href="/sport">Sport</a></td>
<td></td></tr>
<tr><td><h1>Sorne : la crue recule enfin à Delémont</h1></td><td></td></tr>
<tr><td>Publié le 12 mars 2024</td><td></td></tr>
<tr><td><p>{0}</p></td><td></td></tr>
<tr><td></td><td><p>{1}</p></td></tr>
<tr><td><p>{2}</p></td><td></td></tr>
<tr><td><p>{3}</p></td><td></td></tr>
</table>
<table><tr><th>Station</th><th>Niveau</th></tr><tr><td>Delémont</td><td>2,41 m</td></tr>
<tr><td>Courroux</td><td>1,87 m</td></tr></table>
<table><tr><td>© Courrier du matin 2024 - Tous droits réservés</td><td></td></tr></table>
</body></html>
"""


def test_a_page_laid_out_in_a_table_gives_its_paragraphs_without_the_bars(tmp_path):
    """trafilatura writes each table row as ``| cell | cell |``: a paragraph laid out in a
    row of its own comes out as its text alone and is kept as the article it is (the model
    read its bars as a menu's separators)."""
    src = tmp_path / "in"
    src.mkdir()
    (src / "crue.html").write_text(TABLE_LAYOUT.format(*ARTICLE), encoding="utf-8")
    run(src, tmp_path / "out")
    text = clean_lines(tmp_path / "out", "crue")
    for paragraph in ARTICLE:
        assert paragraph in text  # a line of its own, no bar around it
    assert not any("Tous droits réservés" in line for line in text)
    assert not any(line.startswith("|") or line.endswith("|") for line in text)
    rejects = {r["text"].strip(): r for r in jsonl(tmp_path / "out" / "rejects.jsonl")}
    # the row under the results' header shows nothing: a leftover of the table's markup
    assert rejects["|---|---|"]["reason"] == "scraper_leftover"
    assert rejects["|---|---|"]["detail"]["rule"] == "markdown_markup"


def test_a_page_saved_with_its_http_response_heads(tmp_path):
    """``curl -iL`` saves each response's head (a redirect's, then the page's) in front of the
    page: the page is read without them, in the charset the last head declares (ISO-8859-15,
    where the euro sign and œ are not where cp1252, the guess for undeclared Latin bytes, has
    them)."""
    paragraph = "Le ticket coûte 2 € et l'œuvre reste visible au musée de la ville jusqu'en mai."
    page = page_html([paragraph, *ARTICLE[1:]], charset=None).replace("’", "'")
    heads = (
        b"HTTP/1.1 301 Moved Permanently\r\nLocation: https://www.courrier-matin.fr/crue\r\n"
        b"Content-Length: 0\r\n\r\n"
        b"HTTP/1.1 200 OK\r\nDate: Sun, 04 Jan 2026 17:54:24 GMT\r\nX-Drupal-Cache: HIT\r\n"
        b"Content-Type: text/html; charset=ISO-8859-15\r\nContent-Length: 9000\r\n\r\n"
    )
    src = tmp_path / "in"
    src.mkdir()
    (src / "page.html").write_bytes(heads + page.encode("iso-8859-15"))
    run(src, tmp_path / "out")
    lines = clean_lines(tmp_path / "out", "page")
    assert paragraph in lines and ARTICLE[1].replace("’", "'") in lines
    assert not any("HTTP" in line or "Drupal" in line for line in lines)
    (doc,) = jsonl(tmp_path / "out" / "documents.jsonl")
    assert doc["encoding"] == "iso8859-15"


def test_http_heads_are_read_only_so_far_and_only_text_encodings_count():
    from cleaner.io.html import decode_html_file, without_http_head

    # a page in cp1252 that writes a backslash sequence as text
    page = b"<html><body><p>Le code \\u00e9 est cit\xe9 dans l'article.</p></body></html>"
    text = page.decode("cp1252")
    # a charset that is no encoding a page is written in (escapes, EBCDIC) is not honoured:
    # the page is read as cp1252, as its bytes are (unicode_escape made the "\u00e9" an "é")
    for label in (b"unicode_escape", b"cp037"):
        head = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=" + label + b"\r\n\r\n"
        assert decode_html_file(head + page) == (text, "cp1252")
    page = page.replace(b"\xe9", b"\xc3\xa9")  # the same page in UTF-8
    # twenty heads at most are read (a redirect chain is a few): the rest is the page's
    heads = b"HTTP/1.1 301 Moved\r\nLocation: /x\r\n\r\n" * 25
    body, charset = without_http_head(heads + page)
    assert body == b"HTTP/1.1 301 Moved\r\nLocation: /x\r\n\r\n" * 5 + page and charset is None


def test_html_config_is_validated():
    with pytest.raises(cleaner.ConfigError, match="favor"):
        Config.from_dict({"html": {"favor": "speed"}})
    assert Config.from_dict({"html": {"favor": "precision"}}).html.favor == "precision"


# -- WARC --------------------------------------------------------------------------------------


def crawl_records() -> list[dict]:
    page = page_html(url=None).encode("utf-8")
    latin9 = "Le ticket coûte 2 € et l'œuvre reste visible au musée de la ville. " * 3
    return [
        {"type": "warcinfo"},
        {"type": "request", "url": "https://www.courrier-matin.fr/crue"},
        {"url": "https://www.courrier-matin.fr/crue", "content_type": "text/html", "body": page},
        {
            "url": "https://www.courrier-matin.fr/logo.png",
            "content_type": "image/png",
            "body": b"\x89PNG\r\n\x1a\n0000",
        },
        {
            "url": "https://www.courrier-matin.fr/guide.pdf",
            "content_type": "application/pdf",
            "body": b"%PDF-1.4 ...",
        },
        {
            "url": "https://www.courrier-matin.fr/old",
            "content_type": "text/html",
            "status": 404,
            "body": b"<html><body><p>Page introuvable</p></body></html>",
        },
        # the charset is only in the HTTP header: the page itself declares none
        {
            "url": "https://eco-hebdo.fr/tarifs",
            "content_type": "text/html; charset=ISO-8859-15",
            "body": page_html([latin9], charset=None, url=None)
            .replace("’", "'")
            .encode("iso-8859-15"),
        },
        {
            "type": "metadata",
            "url": "https://eco-hebdo.fr/tarifs",
            "body": b"via: tests\r\n",
            "warc_content_type": "application/warc-fields",
        },
        {
            "url": "https://eco-hebdo.fr/depeche.txt",
            "content_type": "text/plain; charset=utf-8",
            "body": "Une dépêche en texte brut, sur deux lignes.\nLa seconde ligne.".encode(),
        },
    ]


def test_warc_records_become_documents_and_the_rest_is_counted(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    write_warc(src / "crawl.warc.gz", crawl_records())
    result = run(src, tmp_path / "out")
    assert result.counts["skipped_records"] == {
        "metadata": 1,
        "request": 1,
        "response (HTTP 404)": 1,
        "response (application/pdf)": 1,
        "response (image/png)": 1,
        "warcinfo": 1,
    }
    records = jsonl(tmp_path / "out" / "clean.jsonl")
    assert [r["id"] for r in records] == [
        "00000000-0000-4000-8000-000000000002",
        "00000000-0000-4000-8000-000000000006",
        "00000000-0000-4000-8000-000000000008",
    ]
    page, latin9, plain = records
    assert page["url"] == "https://www.courrier-matin.fr/crue"
    assert page["date"] == "2024-03-12T08:30:00Z" and page["title"] == TITLE
    assert all(p in page["text"].split("\n") for p in ARTICLE)
    assert "Accueil" not in page["text"]
    assert "coûte 2 € et l'œuvre" in latin9["text"]  # the HTTP charset, honoured
    assert plain["url"] == "https://eco-hebdo.fr/depeche.txt"
    docs = jsonl(tmp_path / "out" / "documents.jsonl")
    assert [d["site"] for d in docs] == ["courrier-matin.fr", "eco-hebdo.fr", "eco-hebdo.fr"]
    assert [d["doc"] for d in docs] == [r["id"] for r in records]
    assert docs[1]["encoding"] == "iso8859-15"


@pytest.mark.parametrize("compressed", [True, False])
def test_truncated_warc_keeps_the_records_before_the_damage(tmp_path, compressed):
    src = tmp_path / "in"
    src.mkdir()
    pages = [
        {
            "url": f"https://www.courrier-matin.fr/{n}",
            "content_type": "text/html",
            "body": page_html([f"Article numéro {n}. " + p for p in ARTICLE], url=None).encode(),
        }
        for n in range(4)
    ]
    name = "crawl.warc.gz" if compressed else "crawl.warc"
    whole = write_warc(tmp_path / name, pages, gzip=compressed).read_bytes()
    (src / name).write_bytes(whole[: len(whole) * 3 // 5])  # the third record is cut
    result = run(src, tmp_path / "out")
    records = jsonl(tmp_path / "out" / "clean.jsonl")
    assert [r["url"][-1] for r in records] == ["0", "1"]
    (q,) = jsonl(tmp_path / "out" / "quarantine.jsonl")
    assert q["reason"] == "corrupt_archive" and Path(q["file"]).name == name
    assert result.counts["quarantined"] == {"corrupt_archive": 1}


def test_warc_to_parquet_end_to_end(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    write_warc(src / "crawl.warc.gz", crawl_records())
    config = Config.from_dict({"output": {"parquet": True}})
    run(src, tmp_path / "out", config)
    out = tmp_path / "out"
    assert not (out / "clean.jsonl").exists()
    table = pq.read_table(out / "clean.parquet")
    rows = table.to_pylist()
    assert [r["url"] for r in rows] == [
        "https://www.courrier-matin.fr/crue",
        "https://eco-hebdo.fr/tarifs",
        "https://eco-hebdo.fr/depeche.txt",
    ]
    assert rows[0]["title"] == TITLE and rows[0]["date"] == "2024-03-12T08:30:00Z"
    assert all(p in rows[0]["text"].split("\n") for p in ARTICLE)
    assert rows[2]["title"] is None  # plain text has no title: a null one
    assert {"id", "url", "date", "title", "text"} <= set(table.schema.names)
    docs = jsonl(out / "documents.jsonl")
    assert {d["output"] for d in docs} == {"clean.parquet"}
    # the report reads the texts back from clean.parquet
    from cleaner.report.data import iter_documents

    (row, detail), *_ = iter_documents(out)
    kept = [line["text"] for line in detail["lines"] if line["kept"]]
    assert ARTICLE[0] in kept


def test_warc_pages_extracted_in_processes_come_out_in_order(tmp_path, monkeypatch):
    """With extract_workers > 1 a WARC file's pages are extracted in a pool of processes while
    the next records are read; the items are the same, in the same order, ids included."""
    from cleaner.io import expand_inputs
    from tests.support.pools import read_items, record_pools

    pages = [
        {
            "url": f"https://www.courrier-matin.fr/budget-{n}",
            "content_type": "text/html",
            "body": page_html(
                [f"Le conseil municipal a voté le budget numéro {n} mardi soir, après débat."],
                title=f"Budget {n}",
                url=None,
            ).encode(),
        }
        for n in range(10)  # more than the read-ahead of two processes (8 pages)
    ]
    src = tmp_path / "in"
    src.mkdir()
    # the same records in two archives: the second's ids are made unique in the same order
    write_warc(src / "a.warc.gz", pages[:4] + crawl_records() + pages[4:])
    write_warc(
        src / "b.warc.gz",
        pages[:3]
        + [{"url": "https://x.fr/vide", "content_type": "text/html", "body": EMPTY_PAGE.encode()}],
    )
    files, _ = expand_inputs([str(src)])
    one = read_items(files, 1)
    pools = record_pools(monkeypatch)
    assert read_items(files, 2) == one and len(pools) == 1  # the pool was used: the same items
    uuid = "00000000-0000-4000-8000-0000000000"
    ids = [x[0] for x in one if x[0] not in ("skipped", "quarantined")]
    assert ids == (
        [f"{uuid}{n:02d}" for n in (0, 1, 2, 3, 6, 10, 12, 13, 14, 15, 16, 17, 18)]
        + [f"{uuid}{n:02d}~2" for n in (0, 1, 2)]  # b's ids, met a second time
    )
    assert ("skipped", "response (image/png)") in one
    assert one[-1] == ("quarantined", str(src / "b.warc.gz"), "no_extracted_text")
    budgets = [x for x in one if isinstance(x[-1], dict) and "budget" in x[-1].get("url", "")]
    assert len(budgets) == 13
    for doc_id, lines, meta in budgets:
        n = meta["url"].rsplit("-", 1)[1]
        assert f"budget numéro {n} mardi" in " ".join(lines), doc_id  # its own page


def test_warc_through_the_cli(tmp_path):
    from click.testing import CliRunner

    from cleaner.cli import main

    write_warc(tmp_path / "crawl.warc.gz", crawl_records())
    r = CliRunner().invoke(
        main,
        [
            "run",
            str(tmp_path / "crawl.warc.gz"),
            "-o",
            str(tmp_path / "out"),
            "--no-translate",
            "--parquet",
        ],
    )
    assert r.exit_code == 0, r.output
    assert "WARC records skipped: request" in r.stderr
    assert pq.read_table(tmp_path / "out" / "clean.parquet").num_rows == 3


# -- Parquet -----------------------------------------------------------------------------------

TYPES = pa.schema(
    [
        ("id", pa.string()),
        ("text", pa.string()),
        ("url", pa.string()),
        ("views", pa.int32()),
        ("score", pa.float64()),
        ("paywall", pa.bool_()),
        ("published", pa.timestamp("ms", tz="Europe/Paris")),
        ("tags", pa.list_(pa.string())),
        ("author", pa.struct([("name", pa.string()), ("agency", pa.bool_())])),
        ("raw", pa.binary()),
        ("price", pa.decimal128(7, 2)),
        ("section", pa.dictionary(pa.int8(), pa.string())),
    ]
)


def typed_rows() -> dict[str, list]:
    when = datetime.datetime(2024, 3, 12, 8, 0, tzinfo=datetime.UTC)
    return {
        "id": ["a-1", "a-2", "a-3", "a-4"],
        "text": [
            "Le conseil municipal a voté le budget de la médiathèque mardi soir.\nPublicité",
            None,
            "La laiterie du Bocage embauche quarante salariés cette année.",
            "",
        ],
        "url": ["https://www.lemonde.fr/a", None, "https://ouest-france.fr/b", None],
        "views": [10, 20, None, 40],
        "score": [0.5, None, 1.25, 2.0],
        "paywall": [True, False, None, False],
        "published": [when, when, None, when],
        "tags": [["politique", "culture"], [], None, ["x"]],
        "author": [
            {"name": "Jeanne Martin", "agency": False},
            None,
            {"name": "AFP", "agency": True},
            None,
        ],
        "raw": [b"\x00\x01", None, b"", b"z"],
        "price": [decimal.Decimal("4.20"), None, decimal.Decimal("12.00"), None],
        "section": ["politique", "sport", "economie", "sport"],
    }


def test_parquet_columns_carried_untouched_and_null_texts_quarantined(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    columns = typed_rows()
    write_parquet(src / "articles.parquet", columns, schema=TYPES)
    result = run(src, tmp_path / "out")
    out = tmp_path / "out"
    table = pq.read_table(out / "clean.parquet")
    # every input column with its own type, title and source added
    for f in TYPES:
        assert table.schema.field(f.name).type == f.type, f.name
    assert table.schema.names == [*TYPES.names, "title", "source"]
    rows = table.to_pylist()
    assert [r["id"] for r in rows] == ["a-1", "a-3"]
    kept = {0: rows[0], 2: rows[1]}
    for i, row in kept.items():
        for name in TYPES.names:
            if name != "text":
                assert row[name] == columns[name][i], (name, i)
    assert rows[0]["text"] == (
        "Le conseil municipal a voté le budget de la médiathèque mardi soir."
    )  # "Publicité" went to rejects.jsonl
    quarantined = jsonl(out / "quarantine.jsonl")
    assert [(q["line"], q["reason"]) for q in quarantined] == [
        (2, "missing_text"),
        (4, "empty_document"),
    ]
    assert result.counts["documents"] == 2
    docs = jsonl(out / "documents.jsonl")
    assert [(d["doc"], d["site"], d["output"]) for d in docs] == [
        ("a-1", "lemonde.fr", "clean.parquet"),
        ("a-3", "ouest-france.fr", "clean.parquet"),
    ]


def test_parquet_without_a_text_column_is_quarantined(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    write_parquet(src / "bad.parquet", {"body": ["Un texte."]})
    write_parquet(src / "ints.parquet", {"text": [1, 2]})
    (src / "notparquet.parquet").write_bytes(b"PAR1 this is not a parquet file")
    with pytest.raises(cleaner.CleanerError, match="bad.parquet"):
        cleaner.run([str(src)], tmp_path / "out", translate=False, strict=True)
    result = run(src, tmp_path / "out2")
    quarantined = {Path(q["file"]).name: q for q in jsonl(tmp_path / "out2" / "quarantine.jsonl")}
    assert quarantined["bad.parquet"]["reason"] == "missing_text"
    assert quarantined["ints.parquet"]["reason"] == "missing_text"
    assert "int64" in quarantined["ints.parquet"]["message"]
    assert quarantined["notparquet.parquet"]["reason"] == "corrupt_archive"
    assert result.counts["documents"] == 0


def test_parquet_is_read_a_batch_at_a_time(tmp_path):
    """A file of one million rows: the reader holds a batch, not the file."""
    from cleaner.io.readers import expand_inputs, read_documents

    n = 1_000_000
    texts = pa.array([f"Dépêche numéro {i} : le texte de la dépêche." for i in range(n)])
    path = tmp_path / "big.parquet"
    pq.write_table(pa.table({"text": texts}), str(path), row_group_size=50_000)
    whole = texts.nbytes
    del texts
    files, _ = expand_inputs([str(path)])
    before = pa.total_allocated_bytes()
    peak = 0
    last = None
    for k, doc in enumerate(read_documents(files)):
        peak = max(peak, pa.total_allocated_bytes() - before)
        last = doc
        if k == 120_000:  # past two row groups
            break
    assert last is not None and last.id == "big-120001"
    assert peak < whole / 4, (peak, whole)  # read at once, it would be more than the whole


def test_clean_parquet_bytes_do_not_depend_on_shards(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    write_parquet(src / "articles.parquet", typed_rows(), schema=TYPES)
    write_parquet(
        src / "more.parquet",
        {"text": ["Un autre article, sur deux lignes.\nLa suite."], "rank": [3]},
    )
    run(src, tmp_path / "a", shard_documents=1)
    run(src, tmp_path / "b", shard_documents=500)
    run(src, tmp_path / "c", shard_documents=1, workers=2)
    a = (tmp_path / "a" / "clean.parquet").read_bytes()
    assert a == (tmp_path / "b" / "clean.parquet").read_bytes()
    assert a == (tmp_path / "c" / "clean.parquet").read_bytes()
    table = pq.read_table(tmp_path / "a" / "clean.parquet")
    # two files, two schemas: one file, every column, nulls where a file had none
    assert table.num_rows == 3 and table.column("rank").to_pylist() == [None, None, 3]
    assert table.schema.field("views").type == pa.int32()


def test_html_pages_give_the_same_outputs_with_two_workers(tmp_path):
    # with workers, the pages' main text is extracted in processes (read ahead, in order)
    src = tmp_path / "in"
    src.mkdir()
    for i in range(10):
        paragraph = f"Le conseil municipal a voté le budget numéro {i} mardi soir, après débat."
        (src / f"p{i}.html").write_text(page_html([*ARTICLE, paragraph]), "utf-8")
    run(src, tmp_path / "a")
    run(src, tmp_path / "b", workers=2)
    assert_same_but_timings(snapshot(tmp_path / "a"), snapshot(tmp_path / "b"))
    assert len(jsonl(tmp_path / "a" / "documents.jsonl")) == 10


def test_jsonl_records_to_parquet_with_mixed_types(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    lines = [
        {"text": "Premier article de la série.", "n": 1, "meta": {"a": 1}},
        {"text": "Deuxième article de la série.", "n": "deux", "meta": {"a": 2}},
    ]
    (src / "flux.jsonl").write_text("".join(json.dumps(x) + "\n" for x in lines), "utf-8")
    run(src, tmp_path / "out", Config.from_dict({"output": {"parquet": True}}))
    rows = pq.read_table(tmp_path / "out" / "clean.parquet").to_pylist()
    # "n" holds a number and a string: written as JSON text; "meta" keeps its structure
    assert [r["n"] for r in rows] == ["1", '"deux"']
    assert [r["meta"] for r in rows] == [{"a": 1}, {"a": 2}]


# -- every format in one folder ------------------------------------------------------------------


def test_one_folder_mixing_every_format(tmp_path):
    src = tmp_path / "scraped"
    (src / "courrier").mkdir(parents=True)
    (src / "courrier" / "crue.html").write_text(page_html(), encoding="utf-8")
    (src / "note.txt").write_text("Une note de la rédaction sur le budget.\n", "utf-8")
    (src / "flux.jsonl").write_text(
        json.dumps(
            {
                "id": "dep-1",
                "text": "Une dépêche de l'agence sur le fret.",
                "url": "https://www.afp.com/fr/x",
            }
        )
        + "\n",
        "utf-8",
    )
    write_warc(src / "crawl.warc.gz", crawl_records()[6:])
    write_parquet(src / "rows.parquet", {"id": ["p-1"], "text": ["Une ligne venue de Parquet."]})
    result = run(src, tmp_path / "out")
    out = tmp_path / "out"
    docs = jsonl(out / "documents.jsonl")
    by_format = {}
    for d in docs:
        by_format.setdefault(d["format"], []).append(d["output"])
    assert by_format == {
        "txt": ["clean/note.txt"],
        "jsonl": ["clean.jsonl"],
        "warc": ["clean.jsonl", "clean.jsonl"],
        "parquet": ["clean.parquet"],
        "html": ["clean/courrier/crue.txt"],
    }
    assert all(d["site"] for d in docs)
    assert [r.get("id") for r in jsonl(out / "clean.jsonl")] == [  # files in name order
        "00000000-0000-4000-8000-000000000000",
        "00000000-0000-4000-8000-000000000002",
        "dep-1",
    ]
    assert pq.read_table(out / "clean.parquet").column("id").to_pylist() == ["p-1"]
    assert result.counts["skipped_records"] == {"metadata": 1}
    assert result.counts["inputs"] == 5


def test_a_warc_response_without_a_target_uri_is_skipped_and_the_rest_read(tmp_path):
    # warcio fails on a response record without WARC-Target-URI: the archive was quarantined
    # from there on ("damaged WARC: AttributeError: 'NoneType' object has no attribute
    # 'startswith'"), the records after it unread
    src = tmp_path / "in"
    src.mkdir()
    pages = [
        {
            "url": url,
            "content_type": "text/html",
            "body": page_html([f"Article numéro {n}. " + p for p in ARTICLE], url=None).encode(),
        }
        for n, url in enumerate(
            ["https://www.courrier-matin.fr/0", "", "https://www.courrier-matin.fr/2"]
        )
    ]
    write_warc(src / "crawl.warc", pages, gzip=False)
    result = run(src, tmp_path / "out")
    assert [r["url"][-1] for r in jsonl(tmp_path / "out" / "clean.jsonl")] == ["0", "2"]
    assert result.counts["skipped_records"] == {"response (no WARC-Target-URI)": 1}
    assert result.counts["quarantined"] == {}


def test_the_text_is_read_from_and_written_back_into_the_field_named(tmp_path):
    """Firecrawl and crawl4ai hand pages as records with their text in `markdown`: with
    `[text] field = "markdown"` (or `--text-field markdown`) that field is read, cleaned and
    written back, every other field carried; a record without it is quarantined by name."""
    page = (
        "  * [Accueil](/)\n  * [Politique](/politique)\n  * [Sport](/sport)\n\n"
        "# La grève des cheminots perturbe le trafic\n\n"
        "Le mouvement, lancé lundi par [l'intersyndicale](https://exemple.fr/s), a conduit la "
        "SNCF à supprimer un train sur trois dans la région, selon la direction.\n"
    )
    src = tmp_path / "in"
    src.mkdir()
    records = [
        {"url": "https://exemple.fr/greve", "markdown": page, "text": "brouillon"},
        {"url": "https://exemple.fr/vide", "html": "<p>rien</p>"},
    ]
    (src / "crawl.jsonl").write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8"
    )
    write_parquet(src / "crawl.parquet", {"markdown": [page], "lang": ["fr"]})
    config = Config.from_dict({"text": {"field": "markdown"}})
    cleaner.run([str(src)], tmp_path / "out", config=config, translate=False)
    out = tmp_path / "out"
    paragraph = (
        "Le mouvement, lancé lundi par l'intersyndicale, a conduit la SNCF à supprimer un "
        "train sur trois dans la région, selon la direction."
    )
    (row,) = jsonl(out / "clean.jsonl")
    assert row["markdown"].endswith(paragraph) and "](" not in row["markdown"]
    assert row["text"] == "brouillon" and row["url"] == "https://exemple.fr/greve"
    (parquet_row,) = pq.read_table(out / "clean.parquet").to_pylist()
    assert parquet_row["markdown"].endswith(paragraph) and parquet_row["lang"] == "fr"
    # the report reads the clean texts back from that field
    docs = jsonl(out / "documents.jsonl")
    assert [d.get("text_field") for d in docs] == ["markdown", "markdown"]
    assert paragraph in (out / "report.html").read_text("utf-8") or any(
        paragraph in p.read_text("utf-8") for p in (out / "report").rglob("*") if p.is_file()
    )
    (quarantined,) = jsonl(out / "quarantine.jsonl")
    assert (quarantined["line"], quarantined["reason"]) == (2, "missing_text")
    assert quarantined["message"] == "no string 'markdown' field"
    with pytest.raises(cleaner.errors.ConfigError, match="field"):
        Config.from_dict({"text": {"field": " "}})


def test_the_report_reads_each_records_clean_text_from_its_own_field(tmp_path):
    """WARC records write their clean text to `text`, JSONL records with `--text-field` to
    theirs, both in clean.jsonl: the report reads each document's from its own."""
    from cleaner.report.data import iter_documents

    src = tmp_path / "in"
    src.mkdir()
    write_warc(
        src / "a.warc.gz",
        [
            {
                "url": "https://www.courrier-matin.fr/region/crue",
                "body": page_html().encode(),
                "content_type": "text/html; charset=utf-8",
            }
        ],
    )
    paragraphs = [
        "Le gouvernement a annoncé mardi une nouvelle réforme des retraites, qui doit être "
        "présentée au conseil des ministres la semaine prochaine.",
        "Les syndicats ont immédiatement dénoncé un projet injuste et appelé à une journée de "
        "mobilisation dans toute la France.",
    ]
    record = {"id": "md1", "url": "https://www.lemonde.fr/x", "markdown": "\n\n".join(paragraphs)}
    (src / "b.jsonl").write_text(json.dumps(record, ensure_ascii=False) + "\n", "utf-8")
    config = Config.from_dict({"text": {"field": "markdown"}})
    cleaner.run([str(src)], tmp_path / "out", config=config, translate=False)
    shown = {
        row["id"]: [ln["text"] for ln in detail["lines"] if ln["kept"]]
        for row, detail in iter_documents(tmp_path / "out")
    }
    assert shown["md1"] == paragraphs
    warc_doc = next(v for k, v in shown.items() if k != "md1")
    assert warc_doc and all(warc_doc)
