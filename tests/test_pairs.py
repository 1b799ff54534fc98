"""Pair filters, one by one with their exact reasons, and the parallel writer's invariants."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner import CleanerError, Config
from cleaner.document import Document, Pair
from cleaner.io.parallel import ParallelWriter
from cleaner.langid import get_identifier
from cleaner.parallel import PairFilterStage, build_pair_filters


def verdicts(*pairs: tuple[str, str], filters=None) -> list[tuple[str | None, dict | None]]:
    config = Config().pairs if filters is None else Config().replace("pairs", filters=filters).pairs
    doc = Document("d", [])
    doc.pairs = [Pair(i, 1, fr, en) for i, (fr, en) in enumerate(pairs)]
    stage = PairFilterStage(build_pair_filters(config, get_identifier("fasttext"), "en"))
    stage.process_batch([doc])
    return [(p.reason, p.detail) for p in doc.pairs]


GOOD = (
    "Le conseil municipal a voté mardi soir le budget de la médiathèque.",
    "The town council voted on Tuesday evening for the media library's budget.",
)


def test_a_good_pair_is_kept():
    assert verdicts(GOOD) == [(None, None)]


def test_each_filter_names_its_reason():
    got = verdicts(
        ("Le conseil a voté.", ""),
        ("Le conseil 前首席 a voté.", "The council former chief voted."),
        ("Le conseil a voté mardi.", "le Conseil a voté, mardi !"),
        ("Oui.", "Yes, and then the whole council went on to vote for a very long budget."),
        GOOD[:1] + ("Le conseil municipal a voté mardi soir le budget, disent-ils.",),
    )
    assert [r for r, _ in got] == [
        "pair_empty",
        "pair_han_left",
        "pair_untranslated",
        "pair_length_ratio",
        "pair_wrong_language",
    ]
    assert got[0][1] == {"side": "target"}
    assert got[3][1]["ratio"] > 3.0
    assert got[4][1]["lang"] == "fr"


def test_filters_can_be_chosen_or_switched_off():
    empty = ("Le conseil a voté.", "")
    assert verdicts(empty, filters=[]) == [(None, None)]
    assert verdicts(empty, filters=["length_ratio"]) == [(None, None)]
    assert verdicts(empty, filters=["empty"])[0][0] == "pair_empty"
    with pytest.raises(CleanerError, match="unknown filter"):
        Config().replace("pairs", filters=["bogus"])


def test_short_pairs_are_not_judged_on_ratio_or_language():
    assert verdicts(("Oui.", "Yes, indeed."), ("Non !", "Nein!")) == [(None, None), (None, None)]


def test_writer_escapes_markup_and_keeps_files_aligned(tmp_path):
    w = ParallelWriter(tmp_path, "fr", "en", "1.0")
    w.write(
        "doc<&>", Pair(0, 1, "Il a écrit <script>alert('x')</script> & « ça ».", "He wrote <b>.")
    )
    w.write("doc<&>", Pair(1, 2, "Deux.", "Two."))
    w.close()
    root = ET.parse(tmp_path / "corpus.tmx").getroot()
    segs = [s.text for s in root.iter("seg")]
    assert segs[0] == "Il a écrit <script>alert('x')</script> & « ça »."
    assert root.find("./body/tu").get("tuid") == "doc<&>:0"
    rows = [json.loads(x) for x in (tmp_path / "corpus.jsonl").read_text().splitlines()]
    assert [r["sentence"] for r in rows] == [0, 1] and rows[0]["doc"] == "doc<&>"


@pytest.mark.parametrize("bad", ["a\tb", "a\nb", "a\u2028b", "a\x0bb", "a\x01b"])
def test_writer_refuses_a_segment_that_would_break_alignment(tmp_path, bad):
    w = ParallelWriter(tmp_path, "fr", "en", "1.0")
    with pytest.raises(CleanerError, match="segment"):
        w.write("d", Pair(0, 1, bad, "x"))
    w.abort()


_text = st.text(
    alphabet=st.characters(
        blacklist_categories=("Cs", "Cc", "Zl", "Zp"), blacklist_characters="\ufffe\uffff\x85"
    ),
    max_size=40,
)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(_text, _text), max_size=8))
def test_parallel_files_stay_aligned(tmp_path_factory, pairs):
    folder = tmp_path_factory.mktemp("par")
    w = ParallelWriter(folder, "fr", "en", "1.0")
    for i, (a, b) in enumerate(pairs):
        w.write("d", Pair(i, 1, a, b))
    w.close()  # counts the lines of every file and raises if they differ
    fr = (folder / "corpus.fr").read_text(encoding="utf-8").split("\n")[:-1]
    en = (folder / "corpus.en").read_text(encoding="utf-8").split("\n")[:-1]
    assert fr == [a for a, _ in pairs] and en == [b for _, b in pairs]
    tus = ET.parse(folder / "corpus.tmx").getroot().findall("./body/tu")
    assert len(tus) == len(pairs)
