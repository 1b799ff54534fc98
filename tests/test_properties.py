"""Invariants under arbitrary input (hypothesis)."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cleaner import Config, Document, Pipeline, render_text
from cleaner.render import reject_records
from cleaner.stages.encoding import EncodingFixer

PIPELINE = Pipeline(Config())
FIXER = EncodingFixer()

# Text that looks like the input: French, mojibake bits, CJK, entities, chrome, any Unicode.
_pieces = st.sampled_from(
    [
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
    ]
)
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


@settings(max_examples=60)
@given(lines)
def test_output_is_deterministic(paragraphs):
    text = "\n".join(paragraphs)
    assert Pipeline(Config()).clean_text(text) == PIPELINE.clean_text(text)
