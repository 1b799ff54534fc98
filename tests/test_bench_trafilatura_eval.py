"""The independent check on trafilatura's evaluation pages (tests/bench/bench_trafilatura_eval.py):
its scoring, its reading of a clone, and a run end to end on a hand-made page."""

from __future__ import annotations

import importlib.util
import json
import re
import subprocess
from pathlib import Path

import pytest

from tests.support.formats import schools_html

HERE = Path(__file__).resolve().parent


def _bench():
    path = HERE / "bench" / "bench_trafilatura_eval.py"
    spec = importlib.util.spec_from_file_location("bench_trafilatura_eval", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_snippet_is_found_whatever_the_spaces_and_line_breaks():
    bench = _bench()
    item = {"with": ["le maire a  annoncé", "trois ans"], "without": ["Mentions légales"]}
    text = "Hier, le maire a\nannoncé les travaux.\nMentions légales"
    # the first with-snippet spans a line break: found; "trois ans" is not there; the
    # without-snippet is: (tp, fp, fn, tn) = (1, 1, 1, 0)
    assert bench.count_item(item, text) == (1, 1, 1, 0)
    # no text at all (an extractor that gave up): every with-snippet missed, no false positive
    assert bench.count_item(item, None) == (0, 0, 2, 1)
    # precision 1/2, recall 1/2, accuracy 1/3, F1 2/(2+1+1)
    assert bench.scores([(1, 1, 1, 0)]) == pytest.approx((0.5, 0.5, 1 / 3, 0.5))


def test_a_pages_host_comes_from_its_url_or_its_file_name():
    bench = _bench()
    assert bench.host("https://www.bmjv.de/DE/Verbraucherportal/x.html") == "bmjv.de"
    assert (
        bench.page_url("xhttps://www.zoo-berlin.de/de/turm") == "https://www.zoo-berlin.de/de/turm"
    )
    assert bench.host("xhttps://www.zoo-berlin.de/de/turm") == "zoo-berlin.de"
    # keys that are names, not URLs: no URL to give cleaner, the host from the file's name
    assert bench.page_url("hard::cubadebate.cu-sesiona.html") is None
    assert bench.host("hard::cubadebate.cu-sesiona.html") == "cubadebate.cu"
    assert bench.host("recall::elnuevoherald.com-miami.html") == "elnuevoherald.com"


MENU = ["Accueil", "Politique", "Sport", "Culture", "Économie", "Météo"]


def _clone(root: Path) -> Path:
    """A trafilatura work tree holding one evaluation page: a menu, an article, a footer."""
    html = schools_html(MENU, ["Mentions légales", "Contactez la rédaction"])
    (root / "tests" / "eval").mkdir(parents=True)
    (root / "tests" / "eval" / "lyon.html").write_text(html, encoding="utf-8")
    evaldata = {
        "https://www.lyon.example/ecoles": {
            "file": "lyon.html",
            "with": ["dureront trois ans", "approuvé le calendrier"],
            "without": ["Mentions légales", "Politique"],
        }
    }
    (root / "tests" / "evaldata.json").write_text(json.dumps(evaldata), encoding="utf-8")
    return root


def _rows(out: str, group: str) -> dict[str, list[float]]:
    """The score rows of one group of the first table (all pages): method -> precision,
    recall, accuracy, F1 and the pages missed."""
    first = out.split("all pages:")[1].split("F1 of")[0]
    rows = {}
    for line in first.splitlines():
        m = re.match(rf"{re.escape(group)}\s+(.+?)((?:\s+[\d.]+){{5}})$", line)
        if m:
            rows[m.group(1)] = [float(x) for x in m.group(2).split()]
    return rows


@pytest.mark.parametrize("bare", [False, True], ids=["work tree", "bare clone"])
def test_the_check_scores_every_method_on_a_clones_pages(tmp_path, capsys, bare):
    bench = _bench()
    clone = _clone(tmp_path / "trafilatura")
    if bare:
        git = ["git", "-C", str(clone), "-c", "user.name=t", "-c", "user.email=t@t"]
        subprocess.run(["git", "init", "-q", str(clone)], check=True)
        subprocess.run([*git, "add", "tests"], check=True)
        subprocess.run([*git, "commit", "-q", "-m", "pages"], check=True)
        subprocess.run(
            ["git", "clone", "-q", "--bare", str(clone), str(tmp_path / "bare")], check=True
        )
        clone = tmp_path / "bare"
    args = ["--trafilatura", str(clone), "--jobs", "1", "--data", str(tmp_path / "no-data")]
    assert bench.main(args) == 0
    out = capsys.readouterr().out
    assert "1 pages, 1 hosts" in out
    assert "no line dataset given: the hosts it trained on cannot be left out" in out
    rows = _rows(out, "all 1")
    assert set(rows) == set(bench.METHODS)
    # every line as scraped: both article snippets, and both chrome snippets too
    # (tp 2, fp 2, fn 0, tn 0: precision 0.5, recall 1, accuracy 0.5, F1 2x2/(2x2+2))
    # and no page missed
    assert rows["the text as scraped"] == pytest.approx([0.5, 1.0, 0.5, 0.667, 0], abs=1e-3)
    # the menu and the footer are chrome, the three paragraphs the article: all four right
    for method in ("cleaner", "trafilatura, HTML", "cleaner, HTML"):
        assert rows[method] == [1.0, 1.0, 1.0, 1.0, 0], method
    assert _rows(out, "fr 1")["cleaner"] == [1.0, 1.0, 1.0, 1.0, 0]  # a French page


def test_without_a_clone_the_check_says_it_is_skipped(capsys):
    assert _bench().main([]) == 0
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and "(skipped)" in out


def test_a_page_none_of_whose_article_snippets_is_kept_counts_as_missed(capsys):
    bench = _bench()
    # two German pages: every method finds both article snippets of the first, and of the
    # second one snippet, but cleaner none (an article lost whole)
    counts = {m: [(2, 0, 0, 1), (1, 0, 1, 1)] for m in bench.METHODS}
    counts["cleaner"] = [(2, 0, 0, 1), (0, 0, 2, 1)]
    bench._table(counts, ["de", "de"], [True, True])
    rows = {}
    for line in capsys.readouterr().out.splitlines():
        if line.startswith("all 2"):
            rows[line[11:39].strip()] = line.split()[-1]
    assert rows["cleaner"] == "1" and rows["trafilatura, HTML"] == "0"
