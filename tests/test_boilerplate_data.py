"""The line dataset's split by site (corpora/boilerplate/build.py): sites placed once keep
their side; a site added to the dataset after the split was drawn is placed by the hash of its
name alone, so that the held-out side keeps measuring sites the model was never tuned on."""

from __future__ import annotations

import hashlib
import importlib.util
import io
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

from tests.support.formats import SCHOOLS, schools_html

HERE = Path(__file__).resolve().parents[1] / "corpora" / "boilerplate"
sys.path.insert(0, str(HERE))  # build.py imports naive.py beside it
_spec = importlib.util.spec_from_file_location("boilerplate_build", HERE / "build.py")
assert _spec is not None and _spec.loader is not None
build = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(build)
naive = sys.modules["naive"]  # the module build.py imported, beside it


def _records(*domains_langs: tuple[str, str]) -> list[dict]:
    return [{"domain": d, "site": f"www.{d}", "lang": lang} for d, lang in domains_langs]


FROZEN = {
    "method": "split by registrable domain; drawn earlier",
    "train": ["lemonde.fr", "spiegel.de"],
    "dev": ["liberation.fr"],
}


def test_known_sites_keep_their_side_whatever_the_share():
    records = _records(("lemonde.fr", "fr"), ("liberation.fr", "fr"), ("spiegel.de", "de"))
    for share in (0.0, 1.0):
        splits = build.make_splits(records, share, FROZEN)
        assert splits["train"] == ["lemonde.fr", "spiegel.de"]
        assert splits["dev"] == ["liberation.fr"]
        assert "added after that draw" in splits["method"]


def test_new_sites_follow_the_share_only():
    records = _records(("lemonde.fr", "fr"), ("lexpress.fr", "fr"), ("sudinfo.be", "fr"))
    none_held = build.make_splits(records, 0.0, FROZEN)
    assert none_held["train"] == ["lemonde.fr", "lexpress.fr", "sudinfo.be"]
    assert none_held["added_to_train"] == ["lexpress.fr", "sudinfo.be"]
    all_held = build.make_splits(records, 1.0, FROZEN)
    assert all_held["dev"] == ["lexpress.fr", "sudinfo.be"]
    assert all_held["added_to_dev"] == ["lexpress.fr", "sudinfo.be"]
    assert all_held["train"] == ["lemonde.fr"]


def test_about_the_share_of_many_new_sites_is_held_out_and_none_moves_when_more_come():
    first = _records(*[(f"site{i}.fr", "fr") for i in range(300)])
    more = first + _records(*[(f"other{i}.fr", "fr") for i in range(300)])
    a = build.make_splits(first, 0.3, FROZEN)
    b = build.make_splits(more, 0.3, FROZEN)
    assert 60 <= len(a["added_to_dev"]) <= 120  # 30 % of 300 is 90
    assert set(a["added_to_dev"]) <= set(b["added_to_dev"])
    assert set(a["added_to_train"]) <= set(b["added_to_train"])


def test_sites_added_once_stay_marked_on_the_next_build():
    records = _records(("lemonde.fr", "fr"), ("lexpress.fr", "fr"), ("sudinfo.be", "fr"))
    first = build.make_splits(records, 1.0, FROZEN)
    written = {k: first[k] for k in ("method", "train", "dev", "added_to_dev", "added_to_train")}
    again = build.make_splits(records, 0.0, written)  # known now: the share no longer applies
    assert again["dev"] == ["lexpress.fr", "sudinfo.be"]
    assert again["added_to_dev"] == ["lexpress.fr", "sudinfo.be"]
    assert again["method"].count("added after that draw") == 1


def test_a_site_no_longer_in_the_data_is_left_out_of_both_sides():
    splits = build.make_splits(_records(("lemonde.fr", "fr")), 0.3, FROZEN)
    assert splits["train"] == ["lemonde.fr"]
    assert splits["dev"] == []


def test_without_a_frozen_split_each_language_group_holds_out_some_of_its_sites():
    records = _records(
        *[(f"site{i}.fr", "fr") for i in range(10)], *[(f"site{i}.de", "de") for i in range(4)]
    )
    splits = build.make_splits(records, 0.3, None)
    held_fr = [d for d in splits["dev"] if d.endswith(".fr")]
    held_de = [d for d in splits["dev"] if d.endswith(".de")]
    assert len(held_fr) == 3 and len(held_de) == 1  # round(0.3 x 10), round(0.3 x 4)
    assert splits["added_to_dev"] == []
    assert set(splits["train"]).isdisjoint(splits["dev"])


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_hand_pages_are_read_from_package_archives_found_by_their_hash(tmp_path):
    page = b"<html><body><p>Un article.</p></body></html>"
    wheel = tmp_path / "pkg-1.0-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as z:
        z.writestr("pkg/tests/data/page.html", page)
    tgz = tmp_path / "pkg-1.0.tgz"
    with tarfile.open(tgz, "w:gz") as t:
        info = tarfile.TarInfo("package/test/page.html")
        info.size = len(page)
        t.addfile(info, io.BytesIO(page))
    from_wheel = build.ArchiveTree(tmp_path, _sha256(wheel), "pypi:pkg==1.0")
    from_tgz = build.ArchiveTree(tmp_path, _sha256(tgz), "npm:pkg@1.0")
    assert from_wheel.read("pkg/tests/data/page.html") == page
    assert from_tgz.read("package/test/page.html") == page
    assert from_wheel.read("pkg/absent.html") is None
    assert from_tgz.read("package/absent.html") is None


def test_a_missing_package_archive_stops_the_build_with_the_command_that_fetches_it(tmp_path):
    with pytest.raises(SystemExit, match="pip download --no-deps pkg==1.0"):
        build.ArchiveTree(tmp_path, "0" * 64, "pypi:pkg==1.0")


PAGE = (
    b"<html><body><nav><a href='/'>Accueil</a> <a href='/sport'>Sport</a></nav>"
    b"<h1>Le titre</h1><p>Premier paragraphe de l'article.</p><p>Second paragraphe.</p>"
    b"<footer>Mentions l\xc3\xa9gales</footer></body></html>"
)


def test_the_lines_a_labeller_reads_are_the_ones_the_build_labels(tmp_path, capsys):
    page = tmp_path / "page.html"
    page.write_bytes(PAGE)
    assert naive.main([str(page)]) == 0
    printed = capsys.readouterr().out.splitlines()
    # a reader of the HTML sees five blocks: the menu, the title, two paragraphs, the footer
    assert [ln.split(None, 1)[1] for ln in printed[:-1]] == [
        "Accueil Sport",
        "Le titre",
        "Premier paragraphe de l'article.",
        "Second paragraphe.",
        "Mentions légales",
    ]
    digest = printed[-1].rsplit(" ", 1)[1]
    lines = naive.page_lines(PAGE)
    label = {"page": "p", "lines_sha1": digest, "article": [[1, 3]]}
    assert build.hand_coverage(lines, label) == [0.0, 1.0, 1.0, 1.0, 0.0]
    with pytest.raises(ValueError, match="lines changed"):
        build.hand_coverage(lines[:-1], label)


def test_a_page_that_cannot_be_read_is_one_line_of_error(tmp_path, capsys):
    assert naive.main([str(tmp_path / "absent.html")]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "cannot read" in err


def _load(name: str, path: Path):
    """A script of the repository, imported as a module."""
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _bench():
    return _load("bench_boilerplate", HERE.parents[1] / "tests" / "bench" / "bench_boilerplate.py")


def test_the_benchmark_lists_a_pages_f1_by_method():
    bench = _bench()
    record = {"source": "hand", "page": "p1", "site": "www.lesoir.be", "labels": [0, 1, 1, 0]}
    kept = {
        "jusText, lines": [True, True, True, True],  # 2 right, 2 wrong: F1 2x2/(2x2+2) = 0.667
        "trafilatura, HTML, no comments": [False, True, False, False],  # F1 2/(2+1) = 0.667
        "cleaner": [False, True, True, False],  # F1 1
    }
    row = bench.page_row(record, kept)
    assert "hand/p1" in row and "www.lesoir.be" in row and "2/4" in row
    assert "jusText, lines 0.667" in row
    assert "trafilatura, HTML, no comments 0.667" in row
    assert "cleaner 1.000" in row


def test_the_benchmark_counts_the_pages_whose_article_was_missed():
    bench = _bench()
    score = bench.Score()
    score.add([1, 1, 1, 0], [True, False, False, True])  # 1 of 3 article lines: missed
    score.add([0, 1, 1, 1, 1], [False, True, True, False, False])  # 2 of 4, half: not missed
    score.add([0, 0], [True, False])  # no article: not counted
    score.add([1, 0], [True, False])  # all of it
    assert score.missed() == (1, 3)


def test_the_benchmark_can_score_a_pages_distinct_texts():
    bench = _bench()
    # read: the article ("B", then "A") is labelled on the second "A", which is dropped, the
    # first kept: its text is kept; "D", an article paragraph repeated, is kept once; "C" is
    # chrome dropped; the two empty lines stay apart
    texts = ["A", "B", " a ", "C", "D", "D", "", ""]
    labels = [0, 1, 1, 0, 1, 1, 0, 0]
    kept = [True, True, False, False, True, False, True, False]
    scored = bench.by_text(labels, kept, texts)
    # distinct texts in order: a, b, c, d, "", ""
    assert scored == ([1, 1, 0, 1, 0, 0], [True, True, False, True, True, False])


def _audit():
    return _load("boilerplate_audit", HERE / "audit.py")


def test_the_label_audit_estimates_article_lines_kept_by_the_rules():
    audit = _audit()

    def item(sample, judged, kept=True):
        return {"sample": sample, "judged": judged, "kept": kept}

    pools = {
        # of the kept gold-article lines, 3 of 4 are article by the rules (the lost one is
        # not counted here: its pool is "lost")
        "article_line": [item("article_line", j) for j in ("article",) * 3 + ("not",)]
        + [item("article_line", "article", kept=False)],
        "lost": [item("lost", "article"), item("lost", "not")],  # half of the lost
        "leaked": [item("leaked", "unclear"), item("leaked", "not")],  # 0 or half
    }
    counts = {"article_lines": 100, "lost": 20, "leaked": 40}
    # 'unclear' as not: kept 80 x 3/4 = 60 article lines; lost 20 x 1/2 = 10: 60/70
    assert audit.kept_by_rules(pools, counts, unclear_is_article=False) == pytest.approx(60 / 70)
    # as article: kept 60 + 40 x 1/2 = 80; lost 10: 80/90
    assert audit.kept_by_rules(pools, counts, unclear_is_article=True) == pytest.approx(80 / 90)


def test_the_shipped_label_audit_holds_judged_lines_only():
    import json

    audit = json.loads((HERE / "audit.json").read_text(encoding="utf-8"))
    items = audit["items"]
    assert len(items) == 200
    assert {i["sample"] for i in items} == {"article_line", "lost", "leaked"}
    assert {i["judged"] for i in items} <= {"article", "not", "unclear"}
    # the pools are what their names say: lost lines are gold article dropped, leaked the reverse
    assert all(i["gold"] == 1 and not i["kept"] for i in items if i["sample"] == "lost")
    assert all(i["gold"] == 0 and i["kept"] for i in items if i["sample"] == "leaked")
    assert all(i["gold"] == 1 for i in items if i["sample"] == "article_line")
    assert not any("text" in i for i in items)  # labels only: no publisher's text is shipped


def _agreement():
    return _load("boilerplate_agreement", HERE / "agreement.py")


def test_label_agreement_compares_the_lines_each_labelling_calls_article():
    agreement = _agreement()
    # read: the first calls 0-4 article but not 2, so {0, 1, 3, 4}; the second {1, 2, 3, 4, 5}
    first = {"page": "p", "lines_sha1": "abc", "article": [[0, 4]], "not_article": [2]}
    second = {"page": "p", "lines_sha1": "abc", "article": [[1, 2], [3, 5]]}
    page = agreement.compare(first, second)
    assert page == {"page": "p", "both": 3, "first_only": [0], "second_only": [2, 5]}
    # a second page where both call lines 7 and 8 article and nothing else
    same = agreement.compare(
        {"page": "q", "lines_sha1": "d", "article": [[7, 8]]},
        {"page": "q", "lines_sha1": "d", "article": [[7, 7], [8, 8]]},
    )
    s = agreement.summary([page, same])
    # pooled: both 5, first only 1, second only 2
    assert s["pooled"]["second_keeps"] == pytest.approx(5 / 6)
    assert s["pooled"]["first_keeps"] == pytest.approx(5 / 7)
    assert s["pooled"]["f1"] == pytest.approx(10 / 13)
    # per page: (3/4 + 1) / 2 and (3/5 + 1) / 2
    assert s["per_page"]["second_keeps"] == pytest.approx(7 / 8)
    assert s["per_page"]["first_keeps"] == pytest.approx(4 / 5)
    with pytest.raises(ValueError, match="different lines"):
        agreement.compare(first, dict(second, lines_sha1="abd"))


def test_the_shipped_second_labelling_matches_the_hand_labels_lines():
    import json

    hand = json.loads((HERE / "handlabels.json").read_text(encoding="utf-8"))["pages"]
    sha = {p["page"]: p["lines_sha1"] for p in hand}
    second = json.loads((HERE / "agreement.json").read_text(encoding="utf-8"))["pages"]
    assert len(second) == len({p["page"] for p in second}) == 30
    # each page was labelled on the very lines of its hand label, and only labels are shipped
    assert all(sha[p["page"]] == p["lines_sha1"] for p in second)
    assert all(set(p) <= {"page", "lines_sha1", "article", "not_article"} for p in second)


def test_the_benchmark_scores_cleaners_html_path(tmp_path):
    bench = _bench()
    paragraphs, menu = SCHOOLS, ["Accueil", "Politique", "Sport", "Culture"]
    html = schools_html(menu, ["Mentions légales", "Contact"])
    page = tmp_path / "page.html"
    page.write_text(html, encoding="utf-8")
    found = bench.read_html_page(page)
    assert found is not None and found[0][-3:] == paragraphs
    lines = menu + ["Lyon rénove ses écoles", *paragraphs, "Mentions légales", "Contact"]
    record = {"lines": lines, "site": "lyon.example"}
    (kept,) = bench.run_cleaner_on_html([record], [found])
    # the menu and the footer are not in the reader's text; the three paragraphs are
    assert kept[:4] == [False] * 4 and kept[5:8] == [True] * 3 and kept[8:] == [False, False]
    (none,) = bench.run_cleaner_on_html([record], [None])  # no main text: nothing kept
    assert none == [False] * len(lines)
