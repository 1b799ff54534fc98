"""End to end on whole pages: hand-written truth, golden files, byte-identical reruns."""

import json
import shutil
from pathlib import Path

import pytest

import cleaner
from tests.golden.regenerate import EXPECTED, produce
from tests.support.outputs import assert_same_but_timings, snapshot
from tests.support.sample_truth import (
    KNOWN_DISAGREEMENTS,
    clean_texts,
    disagreements,
    load_truth,
    page_disagreements,
)

REPO = Path(__file__).resolve().parent.parent
SHARED_SAMPLE = REPO.parent / "shared" / "samples" / "seed_000_6587e60a30e89f52.txt"


def truth_of(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).with_suffix("").as_posix(): p.read_text("utf-8")
        for p in folder.rglob("*.txt")
    }


@pytest.fixture(scope="module")
def sample_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("sample") / "out"
    result = cleaner.run([str(REPO / "corpora" / "sample")], out, translate=False)
    return out, result


@pytest.fixture(scope="module")
def sample_disagreements(sample_run):
    return page_disagreements(sample_run[0])


PAGES = load_truth()
CHECKS = [
    pytest.param(
        doc,
        name,
        id=f"{doc}:{name}",
        marks=(
            [pytest.mark.xfail(reason=KNOWN_DISAGREEMENTS[doc, name], strict=True)]
            if (doc, name) in KNOWN_DISAGREEMENTS
            else []
        ),
    )
    for doc, page in PAGES.items()
    for name in ("rejects.jsonl", "fragments.jsonl", "documents.jsonl", page.output)
] + [
    pytest.param("*", "manifest.json", id="counts"),
    pytest.param("*", "documents.jsonl", id="no-other-document"),
]


def test_truth_covers_the_whole_sample_corpus():
    """Eleven pages (one in English), each line of each accounted for by its truth file (kept,
    or dropped for a reason), and the truth's clean text agrees with its own list of kept
    lines."""
    assert len(PAGES) == 11
    assert sum(p.lines for p in PAGES.values()) == 410
    assert sorted(p.lang for p in PAGES.values()) == ["en"] + ["fr"] * 10
    for page in PAGES.values():
        assert len(page.input_lines()) == page.lines, page.doc
        assert all(1 <= n <= page.lines for n in page.drops), page.doc
        kept = page.lines - len(page.drops)
        assert len(page.clean.splitlines()) == kept, page.doc
        clean = page.clean.split("\n")
        kept_numbers = [n for n in range(1, page.lines + 1) if n not in page.drops]
        if page.title_line is not None:
            kept_numbers.remove(page.title_line)
            kept_numbers.insert(0, page.title_line)
        for f in page.fragments:  # offsets count characters of the clean line
            assert clean[kept_numbers.index(f.line)][f.start : f.end] == f.text, (page.doc, f)


@pytest.mark.parametrize("doc, name", CHECKS)
def test_sample_run_agrees_with_the_hand_written_truth(sample_disagreements, doc, name):
    """Reasons of every dropped line, fragments, title and source, clean text and totals, as a
    careful reader of corpora/sample says they must be (corpora/truth/)."""
    assert sample_disagreements[doc, name] == []


def test_golden_files_agree_with_the_truth():
    """The golden files were written by the code: they must still say what the truth says."""
    assert disagreements(EXPECTED) == {}


def test_truth_check_catches_a_wrong_reason_offset_title_and_count(sample_run, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(sample_run[0], out)
    rejects = (out / "rejects.jsonl").read_text("utf-8")
    # a lone bullet called an empty line; a fragment one character off; a source lost
    (out / "rejects.jsonl").write_text(
        rejects.replace('"reason":"scraper_leftover"', '"reason":"empty_line"', 1), "utf-8"
    )
    fragments = (out / "fragments.jsonl").read_text("utf-8")
    (out / "fragments.jsonl").write_text(fragments.replace('"end":77', '"end":78', 1), "utf-8")
    documents = (out / "documents.jsonl").read_text("utf-8")
    (out / "documents.jsonl").write_text(
        documents.replace('"source":"Thomas Girard"', '"source":null'), "utf-8"
    )
    found = disagreements(out)
    assert set(found) == {"rejects.jsonl", "fragments.jsonl", "documents.jsonl", "manifest.json"}
    assert found["rejects.jsonl"] == [
        "courrier-matin/2024-03-12-crue-sorne: line 25: dropped as empty_line, "
        "but it is leftover (a lone list bullet)"
    ]


def test_make_golden_refuses_outputs_that_disagree_with_the_truth(tmp_path, monkeypatch, capsys):
    from tests.golden import regenerate

    real = regenerate.produce
    expected = tmp_path / "expected"
    assert regenerate.regenerate(expected) == 0  # agrees: written
    written = snapshot(expected)
    assert written == snapshot(EXPECTED)

    def a_byline_lost(out):
        real(out)
        docs = out / "documents.jsonl"
        docs.write_text(docs.read_text("utf-8").replace('"Hugo Lemaire"', "null"), "utf-8")

    monkeypatch.setattr(regenerate, "produce", a_byline_lost)
    assert regenerate.regenerate(expected) == 1
    assert snapshot(expected) == written  # nothing overwritten
    said = capsys.readouterr().out
    assert "nothing written" in said
    assert (
        "tech-actu/2024-06-07-covoiturage-million: source: None, a reader says 'Hugo Lemaire'"
        in said
    )


def test_unseen_sites_match_truth(tmp_path):
    out = tmp_path / "out"
    cleaner.run([str(REPO / "tests" / "fixtures" / "unseen" / "pages")], out, translate=False)
    got = clean_texts(out)
    truth = truth_of(REPO / "tests" / "fixtures" / "unseen" / "truth")
    assert len(truth) == 4
    for key, expected in truth.items():
        assert got[key] == expected, key


def test_every_input_line_is_accounted_for_exactly_once(sample_run):
    out, result = sample_run
    docs = [json.loads(x) for x in (out / "documents.jsonl").read_text("utf-8").splitlines()]
    rejects = [json.loads(x) for x in (out / "rejects.jsonl").read_text("utf-8").splitlines()]
    texts = clean_texts(out)
    by_doc: dict[str, list[int]] = {}
    for r in rejects:
        by_doc.setdefault(r["doc"], []).append(r["line"])
    for d in docs:
        rejected = by_doc.get(d["doc"], [])
        assert len(rejected) == len(set(rejected))
        assert d["lines_kept"] + len(rejected) == d["lines_in"]
        key = d["doc"] if d["format"] == "jsonl" else d["output"][len("clean/") : -len(".txt")]
        assert len(texts[key].splitlines()) == d["lines_kept"]
    counts = result.counts
    assert counts["lines_in"] == sum(d["lines_in"] for d in docs)
    assert counts["lines_dropped"] == len(rejects)
    assert set(counts["by_reason"]) >= {
        "duplicate_copy",
        "boilerplate_pattern",
        "boilerplate_template",
        "scraper_leftover",
        "source_metadata",
        "empty_line",
    }


def test_jsonl_fields_are_carried_through_and_nothing_is_translated(sample_run):
    out, _ = sample_run
    fragments = [json.loads(x) for x in (out / "fragments.jsonl").read_text("utf-8").splitlines()]
    assert fragments and all(f["translation"] is None for f in fragments)
    jsonl = [json.loads(x) for x in (out / "clean.jsonl").read_text("utf-8").splitlines()]
    assert [(r["id"], r["section"]) for r in jsonl] == [
        ("dep-0412", "international"),
        ("dep-0413", "sport"),
    ]


def test_golden_outputs(tmp_path):
    out = tmp_path / "out"
    produce(out)
    expected_files = sorted(p.relative_to(EXPECTED) for p in EXPECTED.rglob("*") if p.is_file())
    got_files = sorted(p.relative_to(out) for p in out.rglob("*") if p.is_file())
    assert got_files == expected_files
    for rel in expected_files:
        assert (out / rel).read_bytes() == (EXPECTED / rel).read_bytes(), f"{rel} (make golden)"


def test_reruns_are_byte_identical_but_for_the_manifests_timings(tmp_path):
    src = [str(REPO / "corpora" / "sample")]
    out = tmp_path / "out"
    cleaner.run(src, out, translate=False)
    first = snapshot(out)
    assert {"report.html", "manifest.json", "rejects.jsonl"} <= set(first)
    cleaner.run(src, out, translate=False, fresh=True)  # the same command, done again
    assert_same_but_timings(first, snapshot(out))
    cleaner.run(src, tmp_path / "elsewhere", translate=False)  # nor does the folder matter
    assert_same_but_timings(first, snapshot(tmp_path / "elsewhere"))


@pytest.mark.skipif(
    not SHARED_SAMPLE.exists(), reason="../shared/samples is not part of a user's clone"
)
def test_shared_sample_page(tmp_path):
    result = cleaner.run([str(SHARED_SAMPLE)], tmp_path / "out", translate=False)
    text = next((tmp_path / "out" / "clean").glob("*.txt")).read_text("utf-8").splitlines()
    raw = SHARED_SAMPLE.read_text("utf-8").splitlines()
    assert len(raw) == 152 and result.counts["lines_in"] == 152
    assert len(text) == 92  # the title, then the 91 article lines
    assert text[0].startswith("Altman est de retour ! Exigeant")
    # the article's 91 lines as they are, but for the two a reader sees need fixing
    assert (
        raw[3].endswith("en faute. 」") and raw[27] == "### Les employés ont exprimé leur attitude"
    )
    expected = list(raw[:91])
    expected[3] = expected[3].removesuffix("」") + "»"  # a stray CJK closing quote
    expected[27] = "Les employés ont exprimé leur attitude"  # a heading's markup
    assert text[1:] == expected
    assert "」" not in "".join(text) and "Voir l'original" not in text
    fragments = (tmp_path / "out" / "fragments.jsonl").read_text("utf-8").splitlines()
    assert [json.loads(f)["line"] for f in fragments] == [40]
    assert result.counts["lines_kept"] + result.counts["lines_dropped"] == 152
