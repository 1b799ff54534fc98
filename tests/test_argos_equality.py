"""cleaner's translation engine gives what argostranslate's own ``translate()`` gives, on a model
where decoding choices show.

The project's other test packages copy their input (tests/support/corpus_packages.py): every beam
of a copy model scores about 0, so length penalty, beam handling, ``replace_unknowns`` or the
target prefix could differ between the two decoders without the outputs differing. Here the
packages have random (seeded) weights: their beams differ in score by whole units, and each of
those settings changes their output, which this file shows before it compares. argostranslate
runs in a subprocess (tests/support/corpus_packages.py), offline.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from cleaner.segment import split_sentences
from cleaner.translate import ArgosTranslator, EngineSettings, install_archives, scan_packages
from cleaner.translate.engine import ARGOS_LENGTH_PENALTY, PackageModel
from tests.support.argos_packages import PackageSpec, build_package
from tests.support.corpus_packages import project_texts, run_argostranslate
from tests.support.minisbd_model import build_minisbd_model

# Different lengths (1 to some 60 pieces: more than argostranslate's batch of 32 tokens), and
# pieces no vocabulary holds (🐈, ß, Ω: SentencePiece makes them <unk>). Each is one sentence
# for argostranslate's sentence splitter and for cleaner's.
FRENCH = [
    "Oui.",
    "Le chat dort.",
    "Trois communes restent coupées du monde ce mardi matin.",
    "Les élus du canton réclament depuis des années un plan pour les digues.",
    "La Sorne est sortie de son lit dans la nuit de dimanche à lundi, après quarante-huit heures"
    " de pluies continues sur le plateau de Vaudrey, et les secours ont évacué 412 personnes,"
    " dont une soixantaine de résidents de l’Ehpad des Tilleuls.",
    "Un 🐈 dort dans la Straße de Saint-Aubin.",
    "Ω ß 🐈",
]
ENGLISH = [
    "The cat sleeps.",
    "The city council approved the budget on Tuesday evening after a long debate.",
    "A 🐈 walks down the Straße.",
]
TWO_SENTENCES = "Le chat dort. Trois communes restent coupées du monde ce mardi matin."

ARGOS = textwrap.dedent(
    """
    import json, sys
    import argostranslate.translate as T
    jobs = json.loads(sys.stdin.read())
    out = []
    for src, tgt, text in jobs:
        translation = T.get_translation_from_codes(src, tgt)
        pieces = translation.underlying.sentencizer.split_sentences(text)
        out.append([T.translate(text, src, tgt), len(pieces)])
    print(json.dumps(out))
    """
)


@pytest.fixture(scope="module")
def random_packages(tmp_path_factory) -> Path:
    """fr→en and en→de (with a target prefix), random weights, each with its MiniSBD model."""
    tmp = tmp_path_factory.mktemp("random-packages")
    texts = project_texts() + FRENCH + ENGLISH
    specs = [
        PackageSpec("fr", "en", random_seed=1, d_model=64, encoder_layers=2, decoder_layers=2,
                    ffn=128, heads=4, vocab_size=400,
                    sbd_model=build_minisbd_model(tmp / "sbd-fr.onnx", "fr")),
        PackageSpec("en", "de", random_seed=2, target_prefix="<2de>", d_model=64,
                    encoder_layers=2, decoder_layers=2, ffn=128, heads=4, vocab_size=400,
                    sbd_model=build_minisbd_model(tmp / "sbd-en.onnx", "en")),
    ]  # fmt: skip
    archives = [build_package(spec, tmp / "archives", texts) for spec in specs]
    install_archives(archives, tmp / "packages")
    return tmp / "packages"


def _jobs() -> list[tuple[str, str, str]]:
    return [("fr", "en", s) for s in FRENCH] + [("en", "de", s) for s in ENGLISH]


@pytest.fixture(scope="module")
def argos(random_packages, tmp_path_factory) -> dict[int, list[str]]:
    """argostranslate's translate() of every job, at beam 1 and beam 4 (ARGOS_BEAM_SIZE); and
    the two-sentence paragraph, at beam 4. Each must be split as expected by its sentencizer."""
    home = tmp_path_factory.mktemp("argos-home")
    out: dict[int, list[str]] = {}
    for beam in (1, 4):
        extra = [("fr", "en", TWO_SENTENCES)] if beam == 4 else []
        got = run_argostranslate(
            ARGOS, _jobs() + extra, random_packages, home, ARGOS_BEAM_SIZE=str(beam)
        )
        assert [n for _, n in got] == [1] * len(_jobs()) + [2] * len(extra)
        out[beam] = [text for text, _ in got]
    return out


def _model(packages: Path, src: str, tgt: str, beam: int = 4) -> PackageModel:
    pkg = next(p for p in scan_packages(packages)[0] if p.direction == (src, tgt))
    return PackageModel(pkg, EngineSettings(beam_size=beam))


def _decode_with(model: PackageModel, sentences: list[str], **changes) -> list[str]:
    """CTranslate2 with argostranslate's settings but ``changes``, decoded the same way."""
    prefix = model.package.target_prefix
    settings = {
        "target_prefix": [[prefix]] * len(sentences) if prefix else None,
        "replace_unknowns": True,
        "beam_size": 4,
        "num_hypotheses": 1,
        "length_penalty": ARGOS_LENGTH_PENALTY,
    } | changes
    tokens = [model.tokenizer.encode(s) for s in sentences]
    results = model.translator.translate_batch(tokens, **settings)
    return [model.decode(r.hypotheses[0]) for r in results]


def test_the_test_sentences_are_single_sentences_for_cleaner_too():
    assert all(split_sentences(s) == [s] for s in FRENCH + ENGLISH)
    assert len(split_sentences(TWO_SENTENCES)) == 2


def test_beams_truly_differ_in_score(random_packages):
    """Unlike a copy model's: four hypotheses per sentence, four different scores, units apart."""
    model = _model(random_packages, "fr", "en")
    tokens = [model.tokenizer.encode(s) for s in FRENCH]
    results = model.translator.translate_batch(
        tokens,
        beam_size=4,
        num_hypotheses=4,
        return_scores=True,
        replace_unknowns=True,
        length_penalty=ARGOS_LENGTH_PENALTY,
    )
    for sentence, result in zip(FRENCH, results, strict=True):
        scores = result.scores
        assert len({round(s, 3) for s in scores}) == 4, sentence
        assert max(scores) - min(scores) > 0.5, (sentence, scores)
    lengths = {len(r.hypotheses[0]) for r in results}
    assert len(lengths) >= 3  # hypotheses end at different lengths


def test_each_decoding_setting_changes_the_output(random_packages, argos):
    """So that the equality below can fail: with any of argostranslate's settings changed, or
    the text split differently, the output is no longer argostranslate's."""
    fr = _model(random_packages, "fr", "en")
    de = _model(random_packages, "en", "de")
    n = len(FRENCH)
    want_fr, want_de = argos[4][:n], argos[4][n : n + len(ENGLISH)]
    assert _decode_with(fr, FRENCH) == want_fr  # the reference settings give argos's output

    def differ(a: list[str], b: list[str]) -> int:
        return sum(x != y for x, y in zip(a, b, strict=True))

    assert differ(argos[1][:n], want_fr) >= n - 1  # beam 1 against beam 4
    assert differ(_decode_with(fr, FRENCH, length_penalty=1.0), want_fr) >= 2
    assert differ(_decode_with(fr, FRENCH, replace_unknowns=False), want_fr) >= 1
    assert differ(_decode_with(de, ENGLISH, target_prefix=None), want_de) >= 2
    # a paragraph of two sentences: argostranslate splits it, translated whole it differs
    assert _decode_with(fr, [TWO_SENTENCES]) != [argos[4][-1]]


@pytest.mark.parametrize("beam", [1, 4])
def test_engine_output_is_identical_to_argostranslate(random_packages, argos, beam):
    """Every sentence, each direction, batched across sentences (argostranslate translates one
    at a time, in batches of 32 tokens), through the translator the pipeline uses."""
    translator = ArgosTranslator(random_packages, EngineSettings(beam_size=beam), cache=None)
    ours = [t.text for t in translator.translate(FRENCH, "fr", "en")]
    ours += [t.text for t in translator.translate(ENGLISH, "en", "de")]
    assert ours == argos[beam][: len(FRENCH) + len(ENGLISH)]
    # and the model alone, batches of 2 and one by one
    model = _model(random_packages, "fr", "en", beam)
    assert model.translate(FRENCH) == argos[beam][: len(FRENCH)]
    assert [model.translate([s])[0] for s in FRENCH] == argos[beam][: len(FRENCH)]
