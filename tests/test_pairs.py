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
    # a side of no letter or digit is as empty (the splitter cut "• • •" off a list)
    for letterless in [("• • •", "• • •"), ("Non", "-"), ("Oui", "\u200b"), ("😀😀😀", "😀😀😀")]:
        assert verdicts(letterless, filters=["empty"])[0][0] == "pair_empty"
    assert verdicts(("En 2024.", "In 2024."), filters=["empty"]) == [(None, None)]
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


# -- OpusFilter / Bicleaner parity: numerals, repetition, terminal punctuation, markup ----------


def one(fr: str, en: str, name: str) -> tuple[str | None, dict | None]:
    return verdicts((fr, en), filters=[name])[0]


def test_numerals_are_compared_as_each_language_writes_them():
    ok = [
        ("Le projet coûte 4,2 millions d’euros.", "The project costs 4.2 million euros."),
        ("Il y a 1 200 inscrits et 3\u202f000 visiteurs.", "There are 1,200 members and 3,000 visitors."),
        ("Le 12.03.2024 à 14 h 30, 49 % des voix.", "On 12/03/2024 at 14:30, 49% of the votes."),
        ("Le 1er mai, il a gagné.", "On May 1st, he won."),
        ("Il a gagné.", "He won."),
    ]  # fmt: skip
    assert [one(fr, en, "numerals") for fr, en in ok] == [(None, None)] * len(ok)
    assert one("Le projet coûte 42 millions.", "The project costs millions.", "numerals") == (
        "pair_numerals",
        {"source_only": ["42"], "target_only": []},
    )
    assert one("Il a 4,2 millions.", "He has 42 million.", "numerals") == (
        "pair_numerals",
        {"source_only": ["4.2"], "target_only": ["42"]},
    )


def test_repetition_in_the_translation_only_is_degenerate():
    reason, detail = one(
        "Le budget a été voté.", "The budget the budget the budget the budget.", "repetition"
    )
    assert (reason, detail) == ("pair_repetition", {"repeated": "the budget", "times": 4})
    assert one("Il a dit non.", "He said no no no no no.", "repetition")[0] == "pair_repetition"
    # the source repeats too: a faithful translation
    assert one("Non, non et non !", "No, no and no!", "repetition") == (None, None)
    assert one("Non, non, non !", "No, no, no!", "repetition") == (None, None)
    assert one("Très, très bien.", "Very, very good.", "repetition") == (None, None)


def test_terminal_punctuation_must_agree():
    assert one("« Pourquoi ? » demande-t-il.", '"Why?" he asks.', "terminal_punctuation") == (
        None,
        None,
    )
    assert one("Viendra-t-il ?", "Will he come?", "terminal_punctuation") == (None, None)
    assert one("Il a dit oui…", "He said yes.", "terminal_punctuation") == (None, None)
    assert one("Viendra-t-il ?", "He will come.", "terminal_punctuation") == (
        "pair_terminal_punctuation",
        {"source": "?", "target": "."},
    )
    assert one("Le conseil a voté le budget.", "The council voted the", "terminal_punctuation") == (
        "pair_terminal_punctuation",
        {"source": ".", "target": ""},
    )


def test_markup_or_urls_on_one_side_only():
    assert one("Voir https://exemple.fr/a.", "See https://exemple.fr/a.", "markup") == (None, None)
    assert one("Il a écrit <b>oui</b>.", "He wrote <b>yes</b>.", "markup") == (None, None)
    assert one("Voir le site.", "See https://example.com/x.", "markup") == (
        "pair_markup",
        {"kind": "url", "side": "target", "found": "https://example.com/x."},
    )
    assert one("Il a dit <br> oui.", "He said yes.", "markup") == (
        "pair_markup",
        {"kind": "tag", "side": "source", "found": "<br>"},
    )
    assert one("A &amp; B.", "A & B.", "markup")[1]["kind"] == "entity"
    assert one("Écrire à contact@exemple.fr.", "Write to us.", "markup")[1]["kind"] == "email"


def test_new_filters_are_on_by_default_and_can_be_switched_off():
    assert {"numerals", "repetition", "terminal_punctuation", "markup"} <= set(
        Config().pairs.filters
    )
    pair = ("Le projet coûte 42 millions.", "The project costs millions.")
    assert verdicts(pair)[0][0] == "pair_numerals"
    assert verdicts(pair, filters=["empty", "repetition"]) == [(None, None)]


def test_pair_filters_on_a_package_whose_output_repeats_or_drops_a_number(
    package_archives, tmp_path
):
    """A real run on an offline Argos package (tests/support) built to fail the way small MT
    models do: it turns "42" into a word, says "budget" four times, turns a question mark into
    a full stop and makes up a tag."""
    import cleaner
    from cleaner.translate import install_archives
    from tests.support.argos_packages import PackageSpec, build_package
    from tests.support.corpus_packages import project_texts

    lines = [
        "Le projet coûte 42 millions d’euros.",
        "Le conseil a voté le budget hier soir.",
        "Le maire viendra-t-il ce soir ?",
        "Voir le site de la mairie.",
        "Le maire a signé 12 arrêtés municipaux.",
    ]
    mapping = {
        "▁42": "▁many",
        "▁budget": "▁budget▁budget▁budget▁budget",
        "?": ".",
        "▁Voir": "▁See▁<br>",
        "▁Le": "▁The",
    }
    spec = PackageSpec("fr", "en", mapping=mapping, package_version="9.0")
    faulty = build_package(spec, tmp_path / "archives", project_texts() + lines)
    others = [p for p in package_archives if "fr_en" not in p.name]
    install_archives([*others, faulty], tmp_path / "packages")
    src = tmp_path / "in"
    src.mkdir()
    (src / "page.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    config = cleaner.Config.from_dict(
        {
            "translate": {
                "packages_dir": str(tmp_path / "packages"),
                "cache_path": str(tmp_path / "cache.sqlite"),
            },
            "pairs": {
                "filters": ["empty", "numerals", "repetition", "terminal_punctuation", "markup"]
            },
        }
    )
    result = cleaner.run([str(src)], tmp_path / "out", config)
    rejects = [
        json.loads(x)
        for x in (tmp_path / "out" / "rejects.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    pairs = {r["text"]: (r["reason"], r["detail"]) for r in rejects if "sentence" in r}
    assert pairs == {
        lines[0]: ("pair_numerals", {"source_only": ["42"], "target_only": []}),
        lines[1]: ("pair_repetition", {"repeated": "budget", "times": 4}),
        lines[2]: ("pair_terminal_punctuation", {"source": "?", "target": "."}),
        lines[3]: ("pair_markup", {"kind": "tag", "side": "target", "found": "<br>"}),
    }
    kept = (tmp_path / "out" / "parallel" / "corpus.en").read_text(encoding="utf-8")
    assert kept == "The maire a signé 12 arrêtés municipaux.\n"
    assert result.counts["pairs"]["kept"] == 1
