"""Pages in another language follow their route; every sentence pair says where it comes from.

The expected values come from reading the pages (``tests/data/doclang/cases.toml`` says which
language each page is written in) and from what the offline test packages do by construction
(tests/support/corpus_packages.py: en→fr copies English but for ``the`` → ``le``, ``said`` →
``a dit``, ``former`` → ``ancien``, ``chief`` → ``chef``; zh→en writes each Han character as a
``zh<code point>`` word; fr→en maps a few French words).
"""

from __future__ import annotations

import json
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import cleaner
from cleaner import Config, ConfigError, Document, Pipeline, render_text
from cleaner.document import Line, Span
from cleaner.parallel.pairs import SentencePairer, origin_of
from cleaner.report import write_report
from cleaner.report.data import load_run
from cleaner.stages.document_language import other_language
from tests.bench.doclang_eval import load_cases, measure
from tests.support.browser import Tab
from tests.test_report import _cells, needs_chromium

REPO = Path(__file__).resolve().parent.parent
DOCLANG = REPO / "tests" / "data" / "doclang"

# A French page: an English quote of two sentences (line 4), a Chinese name inside a French
# sentence (line 5).
FRENCH_PAGE = [
    "Le port de Marvelle rouvre après trois jours de grève des dockers",
    "Le port de Marvelle a rouvert mardi matin après trois jours de grève des dockers, à la suite"
    " d'un accord sur la rémunération du travail de nuit.",
    "Le porte-parole du syndicat s'est exprimé en anglais devant les journalistes étrangers.",
    "This is a fair deal for the people who keep the port running. Members will vote on it on"
    " Friday.",
    "Le groupe 星海科技 a salué un accord qui rassure ses clients européens.",
    "Les adhérents doivent se prononcer formellement sur le texte vendredi, lors d'une assemblée"
    " générale.",
]
PAGES = {
    "fr-port": "\n".join(FRENCH_PAGE) + "\n",
    "en-wire": (DOCLANG / "en-wire.txt").read_text(encoding="utf-8"),
    "de-page": (DOCLANG / "de-page.txt").read_text(encoding="utf-8"),
    "zh-page": (DOCLANG / "zh-page.txt").read_text(encoding="utf-8"),
}
OTHER = {"en-wire": "en", "de-page": "de", "zh-page": "zh"}


def _jsonl(path: Path) -> list[dict]:
    if not path.is_file():
        return []
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]


# -- the threshold, on pages whose language a reader has stated ------------------------------


CASES = load_cases()


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_each_measured_page_is_routed_as_a_reader_says(case):
    """Pages in another language (with French chrome or an editor's note) are routed; French
    pages stay French, however long the passage they quote in another language."""
    config = Config()
    routed = other_language(measure(case, config), config.language)
    if case.lang == "fr":
        assert routed is None, case.why
    else:
        assert routed is not None and routed[0] == case.lang, case.why


def test_the_threshold_lies_in_the_measured_gap():
    """The default leaves a margin on both sides: the highest share of a foreign language on a
    French page and the lowest share of the language of a page in another language (both
    measured on the cases) are each more than 0.05 away from it."""
    config = Config()
    threshold = config.language.document_min_share
    foreign_on_french, own_on_other = [], []
    for case in CASES:
        shares = measure(case, config).metadata["lang_shares"]
        if case.lang == "fr":
            foreign_on_french += [v for k, v in shares.items() if k not in ("fr", "und")]
        else:
            own_on_other.append(shares[case.lang])
    assert max(foreign_on_french) < threshold - 0.05
    assert min(own_on_other) > threshold + 0.05


def test_document_language_is_measured_with_cjk_letters_weighed():
    """A Chinese press release under a long French editor's note is Chinese: one Han character
    weighs four characters of French (unweighed, the note would hold 45 % of the letters)."""
    text = (DOCLANG / "zh-french-note.txt").read_text(encoding="utf-8")
    (doc,) = Pipeline(Config()).run([Document.from_text(text)])
    assert doc.metadata["lang"] == "zh"
    assert doc.metadata["lang_shares"]["zh"] > 0.8


# -- the three routes, end to end with translation --------------------------------------------


@pytest.fixture(scope="module")
def packages_dir(tmp_path_factory) -> Path:
    """The test packages, their zh→en one knowing the Han characters of these pages too (the
    project's packages know those of the sample corpus only)."""
    from cleaner.translate import install_archives
    from tests.support.corpus_packages import build_test_packages

    base = tmp_path_factory.mktemp("doclang-packages")
    texts = [line for text in PAGES.values() for line in text.splitlines()]
    install_archives(build_test_packages(base / "archives", texts), base / "packages")
    return base / "packages"


@pytest.fixture(scope="module")
def routed_runs(tmp_path_factory, packages_dir) -> dict[str, Path]:
    """The four pages in one French run, with translation, under each route."""
    base = tmp_path_factory.mktemp("routes")
    pages = base / "pages"
    pages.mkdir()
    for name, text in PAGES.items():
        (pages / f"{name}.txt").write_text(text, encoding="utf-8")
    runs = {}
    for route in ("drop", "keep", "translate"):
        config = Config.from_dict(
            {
                "language": {"other_documents": route},
                "translate": {
                    "packages_dir": str(packages_dir),
                    "cache_path": str(base / "cache.sqlite"),
                },
                "pairs": {"filters": []},
            }
        )
        cleaner.run([str(pages)], base / route, config)
        runs[route] = base / route
    return runs


def _documents(out: Path) -> dict[str, dict]:
    return {d["doc"]: d for d in _jsonl(out / "documents.jsonl")}


def _clean(out: Path, doc: str) -> list[str]:
    return (out / "clean" / f"{doc}.txt").read_text(encoding="utf-8").splitlines()


@pytest.mark.parametrize("route", ["drop", "keep", "translate"])
def test_every_page_has_its_language_and_every_line_is_accounted_for(routed_runs, route):
    out = routed_runs[route]
    docs = _documents(out)
    assert {d: docs[d]["lang"] for d in docs} == {
        "fr-port": "fr",
        "en-wire": "en",
        "de-page": "de",
        "zh-page": "zh",
    }
    assert "route" not in docs["fr-port"]
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    counts = manifest["counts"]
    assert counts["documents_by_language"] == {"de": 1, "en": 1, "fr": 1, "zh": 1}
    line_rejects = [r for r in _jsonl(out / "rejects.jsonl") if "sentence" not in r]
    assert counts["lines_kept"] + len(line_rejects) == counts["lines_in"]
    # the French page is the same French page under every route
    assert _clean(out, "fr-port")[0] == FRENCH_PAGE[0]


def test_drop_rejects_every_line_of_the_other_pages(routed_runs):
    out = routed_runs["drop"]
    docs = _documents(out)
    rejects = [r for r in _jsonl(out / "rejects.jsonl") if "sentence" not in r]
    for name, lang in OTHER.items():
        assert docs[name]["route"] == "drop" and docs[name]["lines_kept"] == 0
        assert _clean(out, name) == []
        mine = [r for r in rejects if r["doc"] == name]
        assert len(mine) == docs[name]["lines_in"] == len(PAGES[name].splitlines())
        by_language = [r for r in mine if r["reason"] == "document_language"]
        assert by_language, name
        for r in by_language:  # the evidence: the language and its share
            assert r["detail"]["lang"] == lang
            assert r["detail"]["share"] == docs[name]["lang_shares"][lang] >= 0.75
    counts = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["counts"]
    assert counts["other_documents"] == {"drop": 3}
    assert counts["by_reason"]["document_language"] == sum(
        1 for r in rejects if r["reason"] == "document_language"
    )
    # nothing of them is a fragment or a pair
    assert {f["doc"] for f in _jsonl(out / "fragments.jsonl")} == {"fr-port"}
    assert {p["doc"] for p in _jsonl(out / "parallel" / "corpus.jsonl")} == {"fr-port"}


def test_keep_leaves_the_other_pages_as_they_are(routed_runs):
    out = routed_runs["keep"]
    docs = _documents(out)
    for name in OTHER:
        assert docs[name]["route"] == "keep"
        raw = PAGES[name].splitlines()
        clean = _clean(out, name)
        # every kept line is its input line, untouched (chrome and the like still go)
        assert clean and all(line in raw for line in clean)
        assert len(clean) == docs[name]["lines_kept"]
    first = PAGES["en-wire"].splitlines()[3]
    assert first in _clean(out, "en-wire")  # English, not translated
    assert {f["doc"] for f in _jsonl(out / "fragments.jsonl")} == {"fr-port"}
    pair_docs = {p["doc"] for p in _jsonl(out / "parallel" / "corpus.jsonl")}
    pair_docs |= {r["doc"] for r in _jsonl(out / "rejects.jsonl") if "sentence" in r}
    assert pair_docs == {"fr-port"}
    counts = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["counts"]
    assert counts["other_documents"] == {"keep": 3}
    assert "document_language" not in counts["by_reason"]


def test_translate_translates_the_pages_a_package_serves(routed_runs):
    out = routed_runs["translate"]
    docs = _documents(out)
    assert docs["en-wire"]["route"] == "translate" and docs["zh-page"]["route"] == "translate"
    # the en→fr test package: "the" → "le", "said" → "a dit", the rest copied
    assert (
        "About 40 container ships had been waiting off le coast since Saturday, and le authority"
        " a dit it expected le backlog to be cleared by le end of le week if le weather held."
    ) in _clean(out, "en-wire")
    zh = _clean(out, "zh-page")
    assert zh and not any("\u4e00" <= ch <= "\u9fff" for line in zh for ch in line)
    assert "Liu Fang" in " ".join(zh)  # the name inside the Chinese is kept verbatim
    # no package translates German: the page goes, and the evidence says why
    assert docs["de-page"]["route"] == "drop" and docs["de-page"]["lines_kept"] == 0
    de = [r for r in _jsonl(out / "rejects.jsonl") if r["doc"] == "de-page"]
    assert any(r["detail"].get("problem") == "no_package" for r in de)
    counts = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["counts"]
    assert counts["other_documents"] == {"drop": 1, "translate": 2}


def test_translated_pages_give_no_pair_to_the_default_corpus(routed_runs):
    """Every sentence of a translated page is machine output on its French side: rejected
    (``pair_french_not_original``, with the provenance as evidence), never in the corpus."""
    out = routed_runs["translate"]
    corpus = _jsonl(out / "parallel" / "corpus.jsonl")
    assert corpus and {p["doc"] for p in corpus} == {"fr-port"}
    assert {p["fr_origin"] for p in corpus} <= {"original", "contains_translation"}
    rejected = [r for r in _jsonl(out / "rejects.jsonl") if "sentence" in r]
    for name in ("en-wire", "zh-page"):
        mine = [r for r in rejected if r["doc"] == name]
        assert mine and all(r["reason"] == "pair_french_not_original" for r in mine)
        assert all(r["detail"]["fr_origin"] == "translated" for r in mine)
    # the English page's own sentences are at hand: they are the pairs' English side
    en = next(r for r in rejected if r["doc"] == "en-wire" and r["text"].startswith("About 40"))
    assert en["detail"]["en_origin"] == "original"
    assert en["translation"] == PAGES["en-wire"].splitlines()[4]
    # the Chinese page's English would be a round trip: not translated at all
    zh = next(r for r in rejected if r["doc"] == "zh-page")
    assert zh["detail"]["en_origin"] == "translated" and zh["translation"] == ""


# -- the French page: provenance of each pair -------------------------------------------------


def _pairs(out: Path, doc: str) -> list[dict]:
    """Every pair of ``doc``, written or rejected, by sentence number."""
    pairs = {p["sentence"]: p for p in _jsonl(out / "parallel" / "corpus.jsonl") if p["doc"] == doc}
    for r in _jsonl(out / "rejects.jsonl"):
        if r["doc"] == doc and "sentence" in r:
            pairs[r["sentence"]] = {"rejected": r["reason"], **r, **r["detail"]}
    return [pairs[k] for k in sorted(pairs)]


def test_a_french_page_with_an_english_quote_and_a_chinese_name(routed_runs):
    pairs = _pairs(routed_runs["drop"], "fr-port")
    by_line = {}
    for p in pairs:
        by_line.setdefault(p["line"], []).append(p)
    # lines 1-3 and 6: French written on the page
    for n in (1, 2, 3, 6):
        assert [p["fr_origin"] for p in by_line[n]] == ["original"], n
        assert [p["en_origin"] for p in by_line[n]] == ["translated"]
        assert "rejected" not in by_line[n][0]
    # line 4: the English quote, translated into French sentence by sentence, one to one; each
    # French sentence is machine output, paired with the quote's own English sentence, and
    # left out of the default corpus
    quote = by_line[4]
    assert [p["text"] for p in quote] == [
        "This is a fair deal for le people who keep le port running.",
        "Members will vote on it on Friday.",
    ]
    assert [p["translation"] for p in quote] == [
        "This is a fair deal for the people who keep the port running.",
        "Members will vote on it on Friday.",
    ]
    for p in quote:
        assert p["rejected"] == "pair_french_not_original"
        assert (p["fr_origin"], p["en_origin"], p["fr_fragments"]) == (
            "translated",
            "original",
            [{"start": 0, "end": len(p["text"]), "lang": "en"}],
        )
    # line 5: a Chinese name spliced into a French sentence, after "Le groupe " (10 characters)
    (chinese,) = by_line[5]
    assert chinese["fr_origin"] == "contains_translation" and "rejected" not in chinese
    (splice,) = chinese["fr_fragments"]
    assert splice["start"] == 10 and splice["lang"] == "zh"
    fr = chinese["fr"]
    assert fr[:10] == "Le groupe "
    assert fr[splice["end"] :] == " a salué un accord qui rassure ses clients européens."
    (fragment,) = [f for f in _jsonl(routed_runs["drop"] / "fragments.jsonl") if f["lang"] == "zh"]
    assert fr[splice["start"] : splice["end"]] == fragment["translation"]


def test_the_tmx_carries_the_provenance_of_every_pair(routed_runs):
    par = routed_runs["drop"] / "parallel"
    records = _jsonl(par / "corpus.jsonl")
    tus = ET.parse(par / "corpus.tmx").getroot().findall("./body/tu")
    assert len(tus) == len(records) > 0
    for tu, record in zip(tus, records, strict=True):
        props = {p.get("type"): p.text for p in tu.findall("prop")}
        assert props["x-fr-origin"] == record["fr_origin"]
        assert props["x-en-origin"] == record["en_origin"]
        fragments = " ".join(f"{f['start']}-{f['end']}:{f['lang']}" for f in record["fr_fragments"])
        assert props.get("x-fr-fragments") == (fragments or None)
    chinese = next(tu for tu in tus if tu.find("prop[@type='x-fr-origin']").text != "original")
    fragments = chinese.find("prop[@type='x-fr-fragments']").text
    assert fragments.startswith("10-") and fragments.endswith(":zh")


def test_french_origin_can_let_translated_french_in(packages_dir, tmp_path):
    """With ``translated`` in ``[pairs] french_origin`` the English quote's pairs are written:
    French machine output beside the page's own English, nothing translated back."""
    page = tmp_path / "pages" / "fr-port.txt"
    page.parent.mkdir()
    page.write_text(PAGES["fr-port"], encoding="utf-8")
    config = Config.from_dict(
        {
            "translate": {
                "packages_dir": str(packages_dir),
                "cache_path": str(tmp_path / "cache.sqlite"),
            },
            "pairs": {
                "filters": [],
                "french_origin": ["original", "contains_translation", "translated"],
            },
        }
    )
    result = cleaner.run([str(page.parent)], tmp_path / "out", config)
    corpus = _jsonl(tmp_path / "out" / "parallel" / "corpus.jsonl")
    quote = [p for p in corpus if p["line"] == 4]
    assert [(p["fr_origin"], p["en_origin"], p["en"], p["packages"]) for p in quote] == [
        (
            "translated",
            "original",
            "This is a fair deal for the people who keep the port running.",
            [],
        ),
        ("translated", "original", "Members will vote on it on Friday.", []),
    ]
    pairs = result.counts["pairs"]
    assert pairs["by_origin"] == {"contains_translation": 1, "original": 4, "translated": 2}
    assert pairs["kept_by_origin"] == pairs["by_origin"]
    assert pairs["target_original"] == 2
    assert "pair_french_not_original" not in pairs["by_reason"]
    en = (tmp_path / "out" / "parallel" / "corpus.en").read_text(encoding="utf-8").splitlines()
    assert "Members will vote on it on Friday." in en


def test_the_default_counts_of_pairs_by_origin(routed_runs):
    pairs = json.loads((routed_runs["drop"] / "manifest.json").read_text())["counts"]["pairs"]
    # the French page: 4 original sentences, 1 with a Chinese name, 2 of the English quote
    assert pairs["by_origin"] == {"contains_translation": 1, "original": 4, "translated": 2}
    assert pairs["kept_by_origin"] == {"contains_translation": 1, "original": 4}
    assert pairs["by_reason"] == {"pair_french_not_original": 2}
    assert pairs["target_original"] == 2


# -- provenance, unit by unit -----------------------------------------------------------------


def test_origin_of_a_sentence():
    from cleaner.document import Splice

    sentence = "Le groupe Xinghai a salué l'accord."
    assert origin_of(sentence, ()) == "original"
    assert origin_of(sentence, (Splice(10, 17, "zh"),)) == "contains_translation"
    # spaces and punctuation outside the fragment do not make it French
    assert origin_of("« Xinghai. »", (Splice(2, 10, "zh"),)) == "translated"


def test_a_quote_whose_sentences_do_not_map_one_to_one_is_translated_back():
    """One English sentence translated as two French ones: which English goes with which French
    sentence is not known, so each French sentence gets a machine translation (and says so)."""
    text = "It rained all night, and the river rose."
    line = Line(1, text, text)
    line.spans = [
        Span(
            0,
            len(text),
            text,
            "en",
            kind="line",
            translation="Il a plu toute la nuit. La rivière est montée.",
            parts=((text, "Il a plu toute la nuit. La rivière est montée."),),
        )
    ]
    pairer = SentencePairer(translator=None, source="fr", target="en")  # type: ignore[arg-type]
    pairs = pairer.line_pairs(line, 0)
    assert [p.source for p in pairs] == ["Il a plu toute la nuit.", "La rivière est montée."]
    assert [(p.source_origin, p.target_origin, p.target) for p in pairs] == [
        ("translated", "translated", ""),
        ("translated", "translated", ""),
    ]
    # the same quote, one sentence each side: the page's own English
    line.spans[0].translation = "Il a plu toute la nuit et la rivière est montée."
    line.spans[0].parts = ((text, "Il a plu toute la nuit et la rivière est montée."),)
    (pair,) = pairer.line_pairs(line, 0)
    assert (pair.target_origin, pair.target) == ("original", text)


def test_a_sentence_holding_a_fragment_left_untranslated_is_foreign_and_left_out():
    """A German quote with no de->fr package stays German in the clean text: its pair was
    labelled `original` and, with a translator that writes English, went into the corpus."""
    de = "Der Bürgermeister sagte, dass die Bibliothek im Frühjahr eröffnet wird."
    text = "Le maire a parlé. " + de + " Il a été applaudi."
    line = Line(1, text, text)
    start = text.index(de)
    line.spans = [Span(start, start + len(de), de, "de", kind="span", problem="no_package")]
    pairer = SentencePairer(translator=None, source="fr", target="en")  # type: ignore[arg-type]
    pairs = pairer.line_pairs(line, 0)
    assert [(p.source, p.source_origin, p.kept) for p in pairs] == [
        ("Le maire a parlé.", "original", True),
        (de, "foreign", False),
        ("Il a été applaudi.", "original", True),
    ]
    assert pairs[1].reason == "pair_french_not_original"


# -- config, cleaning only, documents.jsonl, the report ---------------------------------------


@pytest.mark.parametrize(
    "section, values, message",
    [
        ("language", {"other_documents": "translte"}, "other_documents must be one of"),
        ("language", {"document_min_share": 0.5}, "document_min_share must be in"),
        ("pairs", {"french_origin": ["orignal"]}, "unknown: orignal"),
        ("pairs", {"french_origin": []}, "french_origin must list"),
    ],
)
def test_bad_routes_and_origins_are_refused(section, values, message):
    with pytest.raises(ConfigError, match=message):
        Config.from_dict({section: values})


def test_without_translation_a_translate_route_lists_the_page_as_fragments():
    """Cleaning only: the page's lines are fragments in its language, for a later translation
    (its short lines included); nothing is dropped."""
    config = Config().replace("language", other_documents="translate")
    (doc,) = Pipeline(config).run([Document.from_text(PAGES["en-wire"])])
    assert doc.metadata["route"] == "translate"
    kept = [ln for ln in doc.lines if ln.kept]
    assert all(ln.spans and ln.spans[0].kind == "line" for ln in kept)
    assert {ln.spans[0].lang for ln in kept} == {"en"}
    # the short headline (under 40 letters) too
    assert "Port of Marvelle reopens after three-day dockworkers' strike" in render_text(doc)


def test_documents_jsonl_lists_only_real_edits(packages_dir, tmp_path):
    """A translated English page with one mojibake line: ``edited`` holds that line only (with
    its repair); the other lines, translated but unchanged before, are in ``before_splice``;
    the report shows each line as it arrived and a repair only where there was one."""
    lines = PAGES["en-wire"].splitlines()
    fixed = lines[1].replace("'", "’")  # the headline, with a curly apostrophe...
    lines[1] = fixed.encode("utf-8").decode("cp1252")  # ...read as cp1252: mojibake
    page = tmp_path / "pages" / "en.txt"
    page.parent.mkdir()
    page.write_text("\n".join(lines) + "\n", encoding="utf-8")
    config = Config.from_dict(
        {
            "language": {"other_documents": "translate"},
            "translate": {
                "packages_dir": str(packages_dir),
                "cache_path": str(tmp_path / "cache.sqlite"),
            },
            "pairs": {"filters": []},
        }
    )
    out = tmp_path / "out"
    cleaner.run([str(page.parent)], out, config)
    (doc,) = _jsonl(out / "documents.jsonl")
    assert doc["edited"] == {"2": [lines[1], fixed]}
    assert doc["before_splice"] and "2" not in doc["before_splice"]
    for n, text in doc["before_splice"].items():
        assert text == lines[int(n) - 1]
    _, _, (detail,) = load_run(out)
    for line in detail["lines"]:
        assert line["text"] == lines[line["n"] - 1]
        assert ("fixed" in line) == (line["n"] == 2)


def test_the_report_shows_document_languages_and_pair_origins(routed_runs, tmp_path):
    out = tmp_path / "drop"
    shutil.copytree(routed_runs["drop"], out)
    write_report(out)
    html = (out / "report.html").read_text(encoding="utf-8")
    panel = html.split('id="panel-lang"', 1)[1].split('<div class="panel"', 1)[0]
    for lang in ("de", "en", "fr", "zh"):
        assert f"<span>{lang}</span>" in panel
    assert "in another language, drop: 3" in panel
    origins = html.split('id="origins"', 1)[1].split("</div></div>", 1)[0]
    assert "French side original: 4 (4 written)" in origins
    assert "French side contains translation: 1 (1 written)" in origins
    assert "French side translated: 2 (0 written)" in origins
    assert "English side written on the page: 2" in origins
    summary, rows, details = load_run(out)
    assert {r["id"]: r["lang"] for r in rows} == {
        "de-page": "de",
        "en-wire": "en",
        "fr-port": "fr",
        "zh-page": "zh",
    }
    en = next(d for d in details if d["id"] == "en-wire")
    assert en["route"] == "drop" and en["lang_share"] >= 0.75
    dropped = next(ln for ln in en["lines"] if ln.get("reason") == "document_language")
    assert dropped["note"].startswith("the page is in en (")
    fr = next(d for d in details if d["id"] == "fr-port")
    notes = [origin for _, _, origin in fr["pairs"]]
    assert notes.count("") == 4
    assert [n for n in notes if n] == [f"French: contains translation (10-{_end(fr)} zh)"]


def _end(detail: dict) -> int:
    """Where the Chinese name's translation ends in its French sentence (from the sentence:
    before the text that follows it on the page)."""
    (sentence,) = [fr for fr, _, origin in detail["pairs"] if origin]
    return sentence.index(" a salué un accord")


def test_a_jsonl_record_kept_in_another_language_says_so(tmp_path):
    feed = tmp_path / "in" / "feed.jsonl"
    feed.parent.mkdir()
    records = [
        {"id": "en-1", "section": "world", "text": PAGES["en-wire"]},
        {"id": "fr-1", "section": "port", "text": PAGES["fr-port"]},
    ]
    feed.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    config = Config().replace("language", other_documents="keep")
    cleaner.run([str(feed.parent)], tmp_path / "out", config, translate=False)
    clean = {r["id"]: r for r in _jsonl(tmp_path / "out" / "clean.jsonl")}
    assert clean["en-1"]["lang"] == "en" and clean["en-1"]["section"] == "world"
    assert "lang" not in clean["fr-1"]  # French, the corpus's own language: nothing to say


@needs_chromium
def test_the_report_page_shows_languages_routes_and_origins_in_chromium(
    routed_runs, tmp_path, browser
):
    out = tmp_path / "drop"
    shutil.copytree(routed_runs["drop"], out)
    order = [d["doc"] for d in _jsonl(out / "documents.jsonl")]
    en = _documents(out)["en-wire"]
    share = round(100 * en["lang_shares"]["en"])
    with Tab(browser) as tab:
        tab.page.goto((out / "report.html").as_uri())
        # the table's language column, filled by the page's script
        assert {c[0]: c[2] for c in _cells(tab)} == {
            "fr-port": "fr",
            "en-wire": "en",
            "de-page": "de",
            "zh-page": "zh",
        }
        part = out / "report" / "part-000000.html"
        tab.page.goto(part.as_uri() + f"#doc={order.index('en-wire')}")
        meta = tab.page.text_content("#view-meta")
        assert f"language en ({share} % of its letters) · in another language: drop" in meta
        assert tab.page.locator("#view-lines .ln.dropped.r-document_language").count() > 0
        tab.page.goto(part.as_uri() + f"#doc={order.index('fr-port')}")
        whys = tab.page.locator("#view-pairs .why").all_text_contents()
        assert any(re.fullmatch(r"French: contains translation \(10-\d+ zh\)", w) for w in whys)
        assert not tab.errors, tab.errors
