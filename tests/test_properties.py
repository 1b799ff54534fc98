"""Invariants under arbitrary input (hypothesis)."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cleaner import Config, Document, Pipeline, render_text
from cleaner.linemodel.title import _stems, title_lines, url_title
from cleaner.render import reject_records
from cleaner.stages.encoding import EncodingFixer

PIPELINE = Pipeline(Config())
FIXER = EncodingFixer()

# Text that looks like the input: French, mojibake bits, CJK, entities, chrome, any Unicode.
_PIECES = (
    "Le conseil a voté. ",
    "Voir l'original",
    "Source : AFP",
    "Par Jeanne Martin",
    "前联席首席执行官",
    "Bret Taylor。",
    "「",
    "」",
    "，",
    "！",
    "Ã©",
    "Ã¢â‚¬â„¢",
    "&amp;",
    "&#39;",
    "### ",
    "•",
    "null",
    "\u00a0",
    "\u202f",
    "\u200b",
    "\t",
    "  ",
    "!",
    "?",
    "É",
    "ありがとう",
    "서울",
)
_pieces = st.sampled_from(_PIECES)
line_text = st.lists(st.one_of(_pieces, st.text(max_size=12)), max_size=8).map("".join)
lines = st.lists(line_text.map(lambda s: s.replace("\n", " ").replace("\r", " ")), max_size=25)
settings.register_profile("ci", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("ci")


@given(st.text())
def test_encoding_fix_never_crashes_and_is_idempotent(text):
    once = FIXER.fix(text)
    assert FIXER.fix(once) == once


@given(line_text)
def test_encoding_fix_is_idempotent_on_scraped_looking_text(text):
    once = FIXER.fix(text)
    assert FIXER.fix(once) == once


@settings(max_examples=150)
@given(lines)
def test_every_input_line_lands_exactly_once(paragraphs):
    doc = Document.from_text("\n".join(paragraphs) + ("\n" if paragraphs else ""), id="d")
    n = len(doc.lines)
    (out,) = PIPELINE.run([doc])
    rejected = [r["line"] for r in reject_records(out)]
    kept = [ln.number for ln in out.lines if ln.kept]
    assert sorted(rejected + kept) == list(range(1, n + 1))
    text = render_text(out)
    assert len(text.splitlines()) == len(kept)
    assert all(r["reason"] for r in reject_records(out))


@settings(max_examples=50)
@given(st.text())
def test_pipeline_never_crashes_on_any_unicode(text):
    PIPELINE.clean_text(text)


@settings(max_examples=150)
@given(line_text, lines)
def test_a_title_names_lines_of_the_page_and_never_breaks_it(title, paragraphs):
    """Any title, or any URL's words, names lines of the page (in order, each once); a line
    that is the title is named when the title has two words to compare; the pipeline given
    that title and URL still accounts for every line."""
    folded = [p.casefold() for p in paragraphs]
    for found in (title_lines(title, folded), title_lines(url_title(title), folded, True)):
        assert found == sorted(set(found)) and all(0 <= i < len(folded) for i in found)
    words = _stems([title.casefold()])[0]
    named = title_lines(title, [*folded, title.casefold()])
    assert (len(folded) in named) == (len(words) >= 2)
    doc = Document.from_text("\n".join(paragraphs) + "\n", id="d", title=title, url=title)
    (out,) = PIPELINE.run([doc])
    kept = [ln.number for ln in out.lines if ln.kept]
    rejected = [r["line"] for r in reject_records(out)]
    assert sorted(rejected + kept) == [ln.number for ln in out.lines]


@settings(max_examples=60)
@given(lines)
def test_a_used_pipeline_and_a_fresh_one_agree(paragraphs):
    """No state leaks from one document into the next (PIPELINE has cleaned many before)."""
    text = "\n".join(paragraphs)
    assert Pipeline(Config()).clean_text(text) == PIPELINE.clean_text(text)


def test_outputs_do_not_depend_on_the_hash_seed(tmp_path):
    """Two `cleaner run` processes with different PYTHONHASHSEED (set and dict-of-str orders
    differ between them) over the sample corpus, generated pages and scraped-looking noise:
    every output the same, but for the manifest's timings."""
    import json
    import os
    import random
    import shutil
    import subprocess
    import sys
    from pathlib import Path

    from tests.bench.corpus_gen import generate_pages
    from tests.support.outputs import assert_same_but_timings, snapshot

    repo = Path(__file__).resolve().parent.parent
    src = tmp_path / "in"
    shutil.copytree(repo / "corpora" / "sample", src / "sample")
    pages, _ = generate_pages(150_000, seed=11)
    rng = random.Random(7)
    noise = [
        "\n".join("".join(rng.choices(_PIECES, k=rng.randint(0, 8))) for _ in range(12))
        for _ in range(20)
    ]
    with open(src / "pages.jsonl", "w", encoding="utf-8") as fh:
        for page_id, text in pages + [(f"noise-{i}", t) for i, t in enumerate(noise)]:
            fh.write(json.dumps({"id": page_id, "text": text}, ensure_ascii=False) + "\n")
    exe = os.path.join(os.path.dirname(sys.executable), "cleaner")
    runs = []
    for seed in ("1", "2"):
        out = tmp_path / f"out-{seed}"
        subprocess.run(
            [exe, "run", str(src), "--out", str(out), "--no-translate", "-q"],
            check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        )
        runs.append(snapshot(out))
    assert len(runs[0]) > 10
    assert_same_but_timings(runs[0], runs[1])
