"""Translation on real Argos-format packages built offline (tests/support/corpus_packages.py).

The packages' CTranslate2 models copy their input piece by piece, replacing mapped pieces, so
every output here is known exactly; the code paths (package metadata, SentencePiece, CTranslate2,
argostranslate's decoding rules) are the real ones.
"""

from __future__ import annotations

import json
import textwrap
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import cleaner
from cleaner import Config, Document, Pipeline, render_text
from cleaner.translate import ArgosTranslator, EngineSettings, TranslationCache, scan_packages
from cleaner.translate.engine import PackageModel
from tests.support.corpus_packages import run_argostranslate
from tests.support.outputs import assert_same_but_timings, snapshot

REPO = Path(__file__).resolve().parent.parent
SALESFORCE = "D'après la société Salesforce Inc.前联席首席执行官Bret Taylor。, elle recrute."

FRENCH = [
    "Le conseil a cédé dimanche et la ville est calme.",
    "La Sorne est sortie de son lit dans la nuit de dimanche à lundi.",
    "Les élus du canton réclament un plan pour les digues, avec 13 milliards d'euros.",
    "Un mot_avec_soulignés et des chiffres : 49 % en 2024 !",
    "« Pourquoi ? » demande-t-il.",
    "Émoji inconnu ✈ dans la phrase.",
]


def translator(packages_dir: Path, tmp_path: Path, beam: int = 4) -> ArgosTranslator:
    cache = TranslationCache(tmp_path / "cache.sqlite")
    return ArgosTranslator(packages_dir, EngineSettings(beam_size=beam), cache)


def package(packages_dir: Path, src: str, tgt: str):
    return next(p for p in scan_packages(packages_dir)[0] if p.direction == (src, tgt))


# -- the engine is argostranslate, batched --------------------------------------------------

ARGOS_SCRIPT = textwrap.dedent(
    """
    import json, sys
    import argostranslate.translate as T
    jobs = json.loads(sys.stdin.read())
    out = [T.translate(text, src, tgt) for src, tgt, text in jobs]
    print(json.dumps(out))
    """
)


def test_engine_output_is_identical_to_argostranslate(packages_dir, tmp_path):
    jobs = [("fr", "en", s) for s in FRENCH] + [
        ("zh", "en", "前联席首席执行官"),
        ("en", "fr", "The former chief said so."),
    ]
    argos = run_argostranslate(ARGOS_SCRIPT, jobs, packages_dir, tmp_path / "home")
    ours = []
    models: dict = {}
    for src, tgt, text in jobs:
        if (src, tgt) not in models:
            models[src, tgt] = PackageModel(package(packages_dir, src, tgt), EngineSettings())
        ours.append(models[src, tgt].translate([text])[0])
    assert ours == argos
    # and batched across sentences, the same again
    fr = models["fr", "en"].translate(FRENCH)
    assert fr == argos[: len(FRENCH)]
    # the copy model's known output, to be sure the comparison is not vacuous
    assert argos[0] == "The conseil a cédé dimanche and the ville is calme."
    assert argos[3].startswith("Un mot avec soulignés")  # argostranslate turns "_" into spaces
    assert argos[-2].startswith("former co chief executive")


def test_batching_equals_one_by_one_at_every_beam(packages_dir):
    pkg = package(packages_dir, "fr", "en")
    sentences = FRENCH * 7  # more than one CTranslate2 batch, with repeats
    for beam in (1, 4):
        model = PackageModel(pkg, EngineSettings(beam_size=beam, max_batch_size=4))
        assert model.translate(sentences) == [model.translate([s])[0] for s in sentences]


def test_empty_sentences_stay_empty(packages_dir):
    model = PackageModel(package(packages_dir, "fr", "en"), EngineSettings())
    assert model.translate(["", "  ", "Le chat."]) == ["", "", "The chat."]


def test_a_text_longer_than_a_piece_is_translated_whole(packages_dir):
    # 150 sentences given as one text (a long fragment is translated whole): CTranslate2 cut
    # the output at 256 tokens, silently; it is translated in pieces, at its sentence ends
    model = PackageModel(package(packages_dir, "fr", "en"), EngineSettings())
    text = " ".join(["Le chat."] * 150)
    assert model.translate([text]) == [" ".join(["The chat."] * 150)]
    # without a sentence end, at spaces: every word comes back, also where the tokens are
    # denser in one part (a stretch of equal length held more than a piece's tokens)
    words = " ".join(["chat"] * 700)
    assert model.translate([words])[0].split() == ["chat"] * 700
    uneven = "chat " * 2000 + "x" * 1000
    assert model.translate([uneven])[0].replace(" ", "").count("x") == 1000


# -- routes, pivot, cache --------------------------------------------------------------------


def test_pivot_through_english_is_recorded(packages_dir, tmp_path):
    tr = translator(packages_dir, tmp_path)
    (result,) = tr.translate(["前首席执行官"], "zh", "fr")
    assert result.pivot == "en"
    assert result.packages == ("translate-zh_en-1_0", "translate-en_fr-1_0")
    assert result.text == "ancien chef executive"
    (direct,) = tr.translate(["The former chief."], "en", "fr")
    assert direct.pivot is None and direct.packages == ("translate-en_fr-1_0",)


def test_cache_serves_repeats_and_reruns(packages_dir, tmp_path):
    sentences = FRENCH + FRENCH[:2]
    first = translator(packages_dir, tmp_path)
    out1 = first.translate(sentences, "fr", "en")
    assert first.stats["translated"] == len(FRENCH)  # repeats translated once
    second = translator(packages_dir, tmp_path)  # a rerun, a new process in effect
    out2 = second.translate(sentences, "fr", "en")
    assert out2 == out1
    assert second.stats["translated"] == 0 and second.stats["cache_hits"] == len(FRENCH)
    assert second._models == {}  # a fully cached rerun loads no model at all
    # other decoding settings are another cache namespace
    beam1 = translator(packages_dir, tmp_path, beam=1)
    beam1.translate(sentences, "fr", "en")
    assert beam1.stats["translated"] == len(FRENCH)


def _fill_cache(args):
    path, worker = args
    cache = TranslationCache(path)
    for i in range(20):
        cache.put_many("ns", {f"s{worker}-{i}": f"t{i}", "shared": "same"})
        cache.get_many("ns", [f"s{worker}-{i}", "shared"])
    return True


def test_cache_is_safe_with_several_processes(tmp_path):
    import multiprocessing

    path = tmp_path / "shared.sqlite"
    with multiprocessing.get_context("spawn").Pool(4) as pool:
        assert all(pool.map(_fill_cache, [(path, w) for w in range(8)]))
    cache = TranslationCache(path)
    keys = [f"s{w}-{i}" for w in range(8) for i in range(20)] + ["shared"]
    found = cache.get_many("ns", keys)
    assert len(found) == len(keys) and found["shared"] == "same"


def test_missing_direction_is_a_clear_error(packages_dir, tmp_path):
    tr = translator(packages_dir, tmp_path)
    with pytest.raises(cleaner.CleanerError, match=r"no translation package for de→fr"):
        tr.translate(["Hallo"], "de", "fr")


# -- fragments → French ----------------------------------------------------------------------


def run_pipeline(config: Config, *texts: str) -> list[Document]:
    tr = ArgosTranslator.from_config(config)
    docs = [Document.from_text(t, id=f"d{i}") for i, t in enumerate(texts)]
    return list(Pipeline(config, translator=tr).run(docs))


def test_fragment_spliced_with_latin_names_kept(translate_config):
    (doc,) = run_pipeline(translate_config, SALESFORCE + "\n")
    (span,) = doc.lines[0].spans
    assert span.text == "Salesforce Inc.前联席首席执行官Bret Taylor。"
    assert span.protected == ("Salesforce Inc.", "Bret Taylor")
    assert span.pivot == "en" and span.problem is None
    text = render_text(doc)
    assert "Salesforce Inc." in text and "Bret Taylor" in text
    assert not any("\u4e00" <= ch <= "\u9fff" for ch in text)
    assert text == (
        "D'après la société Salesforce Inc. ancien co chef executiveBret Taylor., elle recrute.\n"
    )


def test_names_lost_by_the_model_are_put_back(translate_config, monkeypatch):
    """A model that alters a name: the fragment is translated again run by run, and the
    protected names are put back verbatim."""
    tr = ArgosTranslator.from_config(translate_config)
    real = tr.translate

    def garbling(texts, src, tgt):
        out = real(texts, src, tgt)
        return [type(r)(r.text.replace("Taylor", "Tailor"), r.packages, r.pivot) for r in out]

    monkeypatch.setattr(tr, "translate", garbling)
    pipe = Pipeline(translate_config, translator=tr)
    (doc,) = pipe.run([Document.from_text(SALESFORCE)])
    (span,) = doc.lines[0].spans
    assert span.translation == "Salesforce Inc. ancien co chef executive Bret Taylor."
    assert pipe.counts()["translate_fragments"]["fragments_retranslated_by_runs"] == 1


def test_untranslatable_fragment_is_kept_flagged_or_dropped(translate_config):
    page = "Le ministre a remercié ses hôtes : ありがとうございます, a-t-il dit en souriant.\n"
    (doc,) = run_pipeline(translate_config, page)
    line = doc.lines[0]
    assert line.kept and line.spans[0].problem == "no_package"
    assert "ありがとうございます" in render_text(doc)
    dropping = translate_config.replace("translate", drop_untranslatable=True)
    (doc,) = run_pipeline(dropping, page)
    assert not doc.lines[0].kept and doc.lines[0].reason == "untranslatable"
    assert doc.lines[0].detail == {
        "lang": "ja",
        "fragment": "ありがとうございます",
        "problem": "no_package",
    }


def test_english_line_translated_into_french(translate_config):
    quote = '"We are not going to back down," the former chief executive told reporters at noon.'
    (doc,) = run_pipeline(
        translate_config, "Le patron a parlé aux journalistes lundi matin.\n" + quote
    )
    span = doc.lines[1].spans[0]
    assert span.kind == "line" and span.lang == "en"
    assert span.translation == (
        '"We are not going to back down," le ancien chef executive told reporters at noon.'
    )


# -- the parallel corpus, end to end ---------------------------------------------------------


@pytest.fixture
def sample_run(translate_config, tmp_path):
    out = tmp_path / "out"
    result = cleaner.run([str(REPO / "corpora" / "sample")], out, translate_config)
    return out, result


def test_sample_corpus_writes_every_output(sample_run):
    out, result = sample_run
    par = out / "parallel"
    names = sorted(p.name for p in par.iterdir())
    assert names == [
        "corpus.en",
        "corpus.fr",
        "corpus.jsonl",
        "corpus.parquet",
        "corpus.tmx",
        "corpus.tsv",
    ]
    fr = (par / "corpus.fr").read_text(encoding="utf-8").splitlines()
    en = (par / "corpus.en").read_text(encoding="utf-8").splitlines()
    tsv = (par / "corpus.tsv").read_text(encoding="utf-8").splitlines()
    jsonl = [json.loads(x) for x in (par / "corpus.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(fr) == len(en) == len(tsv) == len(jsonl) == result.counts["pairs"]["kept"] > 100
    assert all(row.count("\t") == 1 for row in tsv)
    assert [r["fr"] for r in jsonl] == fr and [r["en"] for r in jsonl] == en
    keys = {"doc", "en", "fr", "line", "packages", "pivot", "sentence"}
    assert all(set(r) == keys | {"fr_origin", "fr_fragments", "en_origin"} for r in jsonl)
    # the default corpus holds no pair whose French is machine output: the whole Chinese lines
    # of neuralis-levee and dep-0412 and the English line of neuralis-levee are rejected
    assert {r["fr_origin"] for r in jsonl} == {"original", "contains_translation"}
    not_original = [
        json.loads(x)
        for x in (out / "rejects.jsonl").read_text(encoding="utf-8").splitlines()
        if '"pair_french_not_original"' in x
    ]
    # and so is the sentence of neuralis-levee that holds "« ありがとうございます »", left in
    # Japanese (the test packages have no ja->fr)
    assert {(r["doc"], r["detail"]["fr_origin"]) for r in not_original} == {
        ("tech-actu/2024-06-03-neuralis-levee", "translated"),
        ("dep-0412", "translated"),
        ("tech-actu/2024-06-03-neuralis-levee", "foreign"),
    }
    (foreign,) = [r for r in not_original if r["detail"]["fr_origin"] == "foreign"]
    assert "« ありがとうございます »" in foreign["text"]
    assert result.counts["pairs"]["kept_by_origin"].get("translated", 0) == 0
    translated = [r for r in not_original if r["detail"]["fr_origin"] == "translated"]
    assert result.counts["pairs"]["by_origin"]["translated"] == len(translated)
    import pyarrow.parquet as pq

    table = pq.read_table(par / "corpus.parquet")  # the same rows, typed
    assert table.to_pylist() == jsonl
    assert str(table.schema.field("packages").type) == "list<element: string>"
    tree = ET.parse(par / "corpus.tmx")
    root = tree.getroot()
    assert root.tag == "tmx" and root.get("version") == "1.4"
    assert root.find("header").get("srclang") == "fr"
    tus = root.findall("./body/tu")
    assert len(tus) == len(fr)
    lang = "{http://www.w3.org/XML/1998/namespace}lang"
    first = tus[0].findall("tuv")
    assert [t.get(lang) for t in first] == ["fr", "en"]
    assert first[0].find("seg").text == fr[0] and first[1].find("seg").text == en[0]
    # the clean French text holds no Han any more, except where no package could help
    clean = "".join(p.read_text(encoding="utf-8") for p in (out / "clean").rglob("*.txt"))
    assert "前" not in clean and "中国" not in clean
    frags = [
        json.loads(x) for x in (out / "fragments.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    zh = [f for f in frags if f["lang"] == "zh"]
    assert zh and all(f["translation"] and f["pivot"] == "en" for f in zh)
    assert all(f["direction"] == f"{f['lang']}→fr" for f in frags)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert [p["name"] for p in manifest["translation"]["packages"]] == [
        "translate-en_fr-1_0",
        "translate-fr_en-1_0",
        "translate-zh_en-1_0",
    ]


def test_rerun_is_byte_identical_and_served_by_the_cache(sample_run, translate_config, tmp_path):
    out, first = sample_run
    out2 = tmp_path / "out2"
    second = cleaner.run([str(REPO / "corpora" / "sample")], out2, translate_config)
    assert second.timings["translate.model_sentences"] == 0
    assert second.timings["translate.cache_hits"] > 100
    # every output, report.html and parallel/ included; the manifest but for its timings
    assert "report.html" in snapshot(out) and "parallel/corpus.tmx" in snapshot(out)
    assert_same_but_timings(snapshot(out), snapshot(out2))


def test_every_line_still_accounted_for(sample_run):
    out, result = sample_run
    rejects = [
        json.loads(x) for x in (out / "rejects.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    line_rejects = [r for r in rejects if "sentence" not in r]
    assert len(line_rejects) == result.counts["lines_dropped"]
    assert result.counts["lines_kept"] + len(line_rejects) == result.counts["lines_in"]


def test_pair_filters_reject_with_reasons(translate_config, tmp_path):
    config = translate_config.replace("pairs", filters=["empty", "untranslated", "language", "han"])
    out = tmp_path / "o"
    result = cleaner.run([str(REPO / "corpora" / "sample")], out, config)
    by_reason = result.counts["pairs"]["by_reason"]
    # the test fr→en package leaves most words French: language ID sees it
    assert by_reason["pair_wrong_language"] > 50
    rejects = [
        json.loads(x) for x in (out / "rejects.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    pairs = [r for r in rejects if "sentence" in r]
    assert len(pairs) == sum(by_reason.values())
    wrong = next(r for r in pairs if r["reason"] == "pair_wrong_language")
    assert wrong["detail"]["lang"] == "fr" and wrong["translation"]
    kept = (out / "parallel" / "corpus.fr").read_text(encoding="utf-8").splitlines()
    assert len(kept) == result.counts["pairs"]["kept"]


def test_cli_run_with_packages_and_pair_filters_none(packages_dir, tmp_path):
    from click.testing import CliRunner

    from cleaner.cli import main

    env = {"XDG_CACHE_HOME": str(tmp_path / "cache")}
    r = CliRunner(env=env).invoke(
        main,
        [
            "run",
            str(REPO / "corpora" / "sample"),
            "--out",
            str(tmp_path / "o"),
            "--packages-dir",
            str(packages_dir),
            "--pair-filters",
            "none",
            "--beam-size",
            "1",
        ],
    )
    assert r.exit_code == 0, r.output
    assert "sentence pairs" in r.stderr and "zh→fr translated" in r.stderr
    assert (tmp_path / "cache" / "cleaner" / "translations.sqlite").is_file()
    manifest = json.loads((tmp_path / "o" / "manifest.json").read_text())
    assert manifest["config"]["pairs"]["filters"] == []
    assert manifest["translation"]["settings"]["beam_size"] == 1


def test_gpu_failure_is_a_clear_error_and_auto_falls_back(packages_dir, monkeypatch):
    """Measured on an H200 machine with CUDA 13 only: CTranslate2 sees the GPU, then fails at
    the first translation for want of libcublas.so.12. `auto` must then choose the CPU, and an
    explicit `cuda` must say what to do. The GPU is simulated, so every machine runs every
    check, with or without one."""
    import ctranslate2

    from cleaner.translate import engine

    monkeypatch.setattr(engine, "_cuda_devices", lambda: 1)
    monkeypatch.setattr(engine, "_cublas_loads", lambda: False)
    assert EngineSettings(device="auto").resolved().device == "cpu"
    monkeypatch.setattr(engine, "_cublas_loads", lambda: True)
    assert EngineSettings(device="auto").resolved().device == "cuda"
    monkeypatch.setattr(engine, "_cuda_devices", lambda: 0)
    assert EngineSettings(device="auto").resolved().device == "cpu"
    pkg = package(packages_dir, "fr", "en")

    class NoGpu:  # what CTranslate2 raises at load without a usable GPU
        def __init__(self, *args, **kwargs):
            raise RuntimeError("CUDA failed with error no CUDA-capable device is detected")

    class NoCublas:  # loads, then fails at the first translation (the H200 case)
        def __init__(self, *args, **kwargs):
            assert kwargs["device"] == "cuda"

        def translate_batch(self, *args, **kwargs):
            raise RuntimeError("Library libcublas.so.12 is not found or cannot be loaded")

    monkeypatch.setattr(ctranslate2, "Translator", NoGpu)
    with pytest.raises(cleaner.CleanerError, match=r"no CUDA-capable device.*--device cpu"):
        PackageModel(pkg, EngineSettings(device="cuda"))
    monkeypatch.setattr(ctranslate2, "Translator", NoCublas)
    model = PackageModel(pkg, EngineSettings(device="cuda"))
    with pytest.raises(cleaner.CleanerError, match=r"libcublas\.so\.12.*nvidia-cublas-cu12"):
        model.translate(["Le chat dort."])


def test_a_translators_answer_is_checked_and_made_one_line():
    from cleaner.errors import CleanerError
    from cleaner.translate.translator import Translated, translate_checked

    class Own:
        def __init__(self, answer):
            self.answer = answer

        def translate(self, texts, source, target):
            return self.answer(texts)

    # a line break or a tab in a translation became a line of its own in the clean text (or
    # stopped the run, when it reached the parallel files)
    broken = Own(lambda texts: [Translated("un\nchat\tnoir\u2028ici\ud800", ("x",), None)])
    (result,) = translate_checked(broken, ["a"], "zh", "fr")
    assert result == Translated("un chat noir ici\ufffd", ("x",), None)
    for answer, message in [
        (lambda texts: [], "answered 0 results for 1 texts"),
        (lambda texts: None, "answered NoneType for 1 texts"),
        (lambda texts: ["un chat"], "answered str where a Translated"),
        (lambda texts: [Translated(None, (), None)], "answered Translated where a Translated"),
    ]:
        with pytest.raises(CleanerError, match=message):
            translate_checked(Own(answer), ["a"], "zh", "fr")


def test_a_damaged_tokenizer_is_a_one_line_error_naming_the_package(packages_dir, tmp_path):
    import shutil

    from cleaner.errors import CleanerError

    folder = tmp_path / "pk"
    shutil.copytree(package(packages_dir, "fr", "en").path, folder / "translate-fr_en-1_0")
    (folder / "translate-fr_en-1_0" / "sentencepiece.model").write_bytes(b"not a model")
    damaged = next(p for p in scan_packages(folder)[0] if p.direction == ("fr", "en"))
    # it was "unexpected RuntimeError: INTERNAL: could not parse ModelProto", after the
    # cleaning stages had run
    with pytest.raises(CleanerError, match="cannot load the tokenizer of package translate-fr_en"):
        PackageModel(damaged, EngineSettings()).translate(["Le chat."])
