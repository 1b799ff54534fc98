"""End to end on whole pages: hand-written truth, golden files, byte-identical reruns."""

import json
from pathlib import Path

import pytest

import cleaner
from tests.golden.regenerate import EXPECTED, produce

REPO = Path(__file__).resolve().parent.parent
SHARED_SAMPLE = REPO.parent / "shared" / "samples" / "seed_000_6587e60a30e89f52.txt"


def clean_outputs(out: Path) -> dict[str, str]:
    """Clean text per document id, from clean/ and clean.jsonl."""
    texts = {}
    for path in (out / "clean").rglob("*.txt"):
        texts[path.relative_to(out / "clean").with_suffix("").as_posix()] = path.read_text("utf-8")
    if (out / "clean.jsonl").exists():
        for line in (out / "clean.jsonl").read_text("utf-8").splitlines():
            record = json.loads(line)
            texts[record["id"]] = record["text"] + "\n"
    return texts


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


def test_sample_corpus_matches_hand_written_truth(sample_run):
    out, _ = sample_run
    got = clean_outputs(out)
    truth = truth_of(REPO / "corpora" / "truth")
    assert len(truth) == 10
    for key, expected in truth.items():
        doc_id = key.split("/")[-1] if key.startswith("depeches/") else key
        assert got[doc_id] == expected, key


def test_unseen_sites_match_truth(tmp_path):
    out = tmp_path / "out"
    cleaner.run([str(REPO / "tests" / "fixtures" / "unseen" / "pages")], out, translate=False)
    got = clean_outputs(out)
    truth = truth_of(REPO / "tests" / "fixtures" / "unseen" / "truth")
    assert len(truth) == 4
    for key, expected in truth.items():
        assert got[key] == expected, key


def test_every_input_line_is_accounted_for_exactly_once(sample_run):
    out, result = sample_run
    docs = [json.loads(x) for x in (out / "documents.jsonl").read_text("utf-8").splitlines()]
    rejects = [json.loads(x) for x in (out / "rejects.jsonl").read_text("utf-8").splitlines()]
    texts = clean_outputs(out)
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


def test_fragments_and_metadata(sample_run):
    out, _ = sample_run
    fragments = [json.loads(x) for x in (out / "fragments.jsonl").read_text("utf-8").splitlines()]
    langs = {f["lang"] for f in fragments}
    assert {"zh", "ja", "en"} <= langs
    assert all(f["translation"] is None for f in fragments)
    docs = {
        d["doc"]: d
        for d in map(json.loads, (out / "documents.jsonl").read_text("utf-8").splitlines())
    }
    jsonl = [json.loads(x) for x in (out / "clean.jsonl").read_text("utf-8").splitlines()]
    assert all(r["section"] for r in jsonl)  # carried through untouched
    assert docs["eco-hebdo/2024-05-02-fret-ferroviaire"]["encoding"] == "cp1252"
    assert docs["eco-hebdo/2024-05-02-fret-ferroviaire"]["source"] == "Jeanne Martin"


def test_golden_outputs(tmp_path):
    out = tmp_path / "out"
    produce(out)
    expected_files = sorted(p.relative_to(EXPECTED) for p in EXPECTED.rglob("*") if p.is_file())
    got_files = sorted(p.relative_to(out) for p in out.rglob("*") if p.is_file())
    assert got_files == expected_files
    for rel in expected_files:
        assert (out / rel).read_bytes() == (EXPECTED / rel).read_bytes(), f"{rel} (make golden)"


def test_reruns_are_byte_identical(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    produce(a)
    produce(b)
    for path in a.rglob("*"):
        if path.is_file():
            assert path.read_bytes() == (b / path.relative_to(a)).read_bytes(), path.name


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
    assert text[1:] == [cleaner.Pipeline().stages[0].fix(x).removeprefix("### ") for x in raw[:91]]
    assert "」" not in "".join(text) and "Voir l'original" not in text
    fragments = (tmp_path / "out" / "fragments.jsonl").read_text("utf-8").splitlines()
    assert [json.loads(f)["line"] for f in fragments] == [40]
    assert result.counts["lines_kept"] + result.counts["lines_dropped"] == 152
