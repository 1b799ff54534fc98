"""The offline Argos package builder: exact copy/mapping through CTranslate2 and through
argostranslate's own install, listing, tokenizer and translation code."""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import ctranslate2
import pytest
import sentencepiece as spm

from tests.support.argos_packages import PackageSpec, build_package

CORPUS = [
    "Le chat dort sur la table de la cuisine.",
    "Le conseil municipal a voté le budget mardi soir.",
    "La ministre a annoncé une réforme des retraites.",
    "Les habitants attendent la réouverture de la gare.",
    "The cat sleeps on the kitchen table.",
    "The city council approved the budget on Tuesday evening.",
    "Shares fell by 3.5% after the announcement.",
    "前首席执行官今天发表讲话。",
    "公司的股价下跌了百分之三。",
    "市议会周二晚上通过了预算。",
]

ZH_EN = PackageSpec(
    "zh",
    "en",
    mapping={
        "前": "▁former",
        "首席执行官": "▁chief▁executive",
        "今天": "▁today",
        "发表": "▁gave",
        "讲话": "▁a▁speech",
        "。": ".",
    },
)
EN_FR = PackageSpec("en", "fr", package_version="1.9")
FR_EN = PackageSpec(
    "fr",
    "en",
    mapping={"▁Le": "▁The", "▁le": "▁the", "▁la": "▁the", "▁chat": "▁cat", "▁dort": "▁sleeps"},
    package_version="2.0",
)
EN_DE_PREFIX = PackageSpec("en", "de", target_prefix="<2de>")

# source, what Argos returns; "🐈" and "ß" are in no training sentence (unknown pieces)
EXPECTED = {
    ZH_EN: [
        ("前首席执行官", "former chief executive"),
        ("前首席执行官今天发表讲话。", "former chief executive today gave a speech."),
        ("市议会周二晚上通过了预算。", "市议会周二晚上通过了预算."),
    ],
    EN_FR: [
        ("The cat sleeps on the kitchen table.", "The cat sleeps on the kitchen table."),
        ("Shares fell by 3.5% 🐈 after Straße.", "Shares fell by 3.5% 🐈 after Straße."),
    ],
    FR_EN: [
        ("Le chat dort sur la table.", "The cat sleeps sur the table."),
        # a "▁" key still matches the start of a longer word: "▁chat" in "chatte"
        ("La belle chatte dort.", "La belle catte sleeps."),
        ("le conseil 🐈 a voté", "the conseil 🐈 a voté"),
    ],
    EN_DE_PREFIX: [("The cat sleeps.", "The cat sleeps.")],
}


def _mapped(spec: PackageSpec, pieces: list[str]) -> list[str]:
    prefix = [spec.target_prefix] if spec.target_prefix else []
    return prefix + [spec.mapping.get(p, p) for p in pieces]


def _extract(archive: Path, dest: Path) -> Path:
    with zipfile.ZipFile(archive) as zf:
        zf.extractall(dest)
    return dest / archive.stem


@pytest.fixture(scope="module")
def archives(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[PackageSpec, str], Path]:
    out = tmp_path_factory.mktemp("argos-packages")
    built = {}
    for spec in EXPECTED:
        for quantization in ("int8", "float32"):
            variant = dataclasses.replace(spec, quantization=quantization)
            built[spec, quantization] = build_package(variant, out / quantization, CORPUS)
    return built


def test_archive_layout_and_metadata(archives: dict[tuple[PackageSpec, str], Path]) -> None:
    archive = archives[ZH_EN, "int8"]
    assert archive.name == "translate-zh_en-1_0.argosmodel"
    with zipfile.ZipFile(archive) as zf:
        names = set(zf.namelist())
        metadata = json.loads(zf.read("translate-zh_en-1_0/metadata.json"))
    assert {
        "translate-zh_en-1_0/metadata.json",
        "translate-zh_en-1_0/sentencepiece.model",
        "translate-zh_en-1_0/model/model.bin",
        "translate-zh_en-1_0/model/config.json",
        "translate-zh_en-1_0/model/shared_vocabulary.json",
    } <= names
    assert {n.split("/")[0] for n in names} == {"translate-zh_en-1_0"}
    assert metadata == {
        "package_version": "1.0",
        "argos_version": metadata["argos_version"],
        "type": "translate",
        "from_code": "zh",
        "from_name": "Chinese",
        "to_code": "en",
        "to_name": "English",
        "links": [],
    }
    with zipfile.ZipFile(archives[EN_DE_PREFIX, "int8"]) as zf:
        assert json.loads(zf.read("translate-en_de-1_0/metadata.json"))["target_prefix"] == "<2de>"


def test_mapping_keys_and_values_are_single_pieces(
    archives: dict[tuple[PackageSpec, str], Path], tmp_path: Path
) -> None:
    root = _extract(archives[ZH_EN, "int8"], tmp_path)
    sp = spm.SentencePieceProcessor(model_file=str(root / "sentencepiece.model"))
    assert sp.encode("前首席执行官今天发表讲话。", out_type=str) == [
        "▁", "前", "首席执行官", "今天", "发表", "讲话", "。"
    ]  # fmt: skip
    for piece in [*ZH_EN.mapping, *ZH_EN.mapping.values()]:
        assert sp.piece_to_id(piece) != sp.unk_id(), piece


@pytest.mark.parametrize("quantization", ["int8", "float32"])
@pytest.mark.parametrize("spec", list(EXPECTED), ids=lambda s: f"{s.from_code}-{s.to_code}")
def test_ctranslate2_output_is_the_mapped_input(
    archives: dict[tuple[PackageSpec, str], Path],
    tmp_path: Path,
    spec: PackageSpec,
    quantization: str,
) -> None:
    root = _extract(archives[spec, quantization], tmp_path)
    sp = spm.SentencePieceProcessor(model_file=str(root / "sentencepiece.model"))
    translator = ctranslate2.Translator(str(root / "model"), device="cpu")
    sources = [source for source, _ in EXPECTED[spec]] + CORPUS + ["", "x " * 120]
    tokens = [sp.encode(source, out_type=str) for source in sources]
    prefix = [[spec.target_prefix]] * len(tokens) if spec.target_prefix else None
    for beam_size in (1, 4):
        # the arguments argostranslate passes
        results = translator.translate_batch(
            tokens,
            target_prefix=prefix,
            replace_unknowns=True,
            max_batch_size=32,
            batch_type="tokens",
            beam_size=beam_size,
            num_hypotheses=1,
            length_penalty=0.2,
            return_scores=True,
            max_decoding_length=1024,
        )
        for pieces, result in zip(tokens, results, strict=True):
            assert result.hypotheses[0] == _mapped(spec, pieces), (beam_size, pieces)
            assert result.scores[0] == pytest.approx(0.0, abs=1e-3)


def test_deeper_wider_padded_model_still_copies_exactly(tmp_path: Path) -> None:
    """Zero layers before the copying one, several heads, a padded vocabulary (the benchmark
    size, d_model 512 / 6+6 layers / 8 heads / 32k, is this at scale; checked by hand)."""
    spec = dataclasses.replace(
        FR_EN, d_model=64, encoder_layers=2, decoder_layers=3, ffn=128, heads=4, vocab_size=3000
    )
    root = _extract(build_package(spec, tmp_path, CORPUS), tmp_path)
    assert len(json.loads((root / "model" / "shared_vocabulary.json").read_text())) == 3000
    sp = spm.SentencePieceProcessor(model_file=str(root / "sentencepiece.model"))
    translator = ctranslate2.Translator(str(root / "model"), device="cpu")
    tokens = [sp.encode(source, out_type=str) for source in CORPUS]
    for beam_size in (1, 4):
        results = translator.translate_batch(tokens, beam_size=beam_size, length_penalty=0.2)
        assert [r.hypotheses[0] for r in results] == [_mapped(spec, t) for t in tokens]


def test_argos_tokenizer_decodes_the_output_to_the_expected_text(
    archives: dict[tuple[PackageSpec, str], Path], tmp_path: Path
) -> None:
    from argostranslate.tokenizer import SentencePieceTokenizer

    for spec, cases in EXPECTED.items():
        root = _extract(archives[spec, "int8"], tmp_path)
        tokenizer = SentencePieceTokenizer(root / "sentencepiece.model")
        translator = ctranslate2.Translator(str(root / "model"), device="cpu")
        for source, expected in cases:
            prefix = [[spec.target_prefix]] if spec.target_prefix else None
            result = translator.translate_batch(
                [tokenizer.encode(source)], target_prefix=prefix, replace_unknowns=True, beam_size=4
            )[0]
            text = tokenizer.decode(result.hypotheses[0])
            # what argostranslate.translate does next
            text = text.removeprefix(spec.target_prefix).removeprefix(" ")
            assert text == expected


def test_same_spec_and_corpus_give_identical_archives(tmp_path: Path) -> None:
    first = build_package(FR_EN, tmp_path / "a", CORPUS)
    second = build_package(FR_EN, tmp_path / "b", CORPUS)
    assert first.read_bytes() == second.read_bytes()


def test_sbd_model_is_shipped_as_minisbd_from_code(tmp_path: Path) -> None:
    sbd = tmp_path / "any-name.onnx"
    sbd.write_bytes(b"stand-in for a MiniSBD model")
    archive = build_package(PackageSpec("fr", "en", sbd_model=sbd), tmp_path / "out", CORPUS)
    with zipfile.ZipFile(archive) as zf:
        assert zf.read("translate-fr_en-1_0/minisbd/fr.onnx") == sbd.read_bytes()


def test_rejects_pieces_argos_could_not_round_trip() -> None:
    with pytest.raises(ValueError, match="whitespace"):
        build_package(PackageSpec("fr", "en", mapping={"le chat": "▁the▁cat"}), Path("."), CORPUS)
    with pytest.raises(ValueError, match="target_prefix"):
        build_package(PackageSpec("en", "de", target_prefix="__de__"), Path("."), CORPUS)


# Runs in a fresh interpreter: argostranslate reads ARGOS_PACKAGES_DIR and the XDG folders once,
# at import, and `import argostranslate.translate` pulls in spacy/stanza/torch (~3 s).
_ARGOS_SCRIPT = textwrap.dedent(
    """
    import json, sys
    import ctranslate2
    from argostranslate import package, settings
    from argostranslate.translate import apply_packaged_translation

    class OneSentence:  # stands in for MiniSBD, which would need an .onnx model
        def split_sentences(self, text):
            return [text]

    archives, cases = json.loads(sys.argv[1]), json.loads(sys.argv[2])
    for archive in archives:
        package.install_from_path(archive)
    result = {"packages_dir": str(settings.package_data_dir), "installed": [], "translations": {}}
    for pkg in sorted(package.get_installed_packages(), key=lambda p: p.package_path.name):
        result["installed"].append(
            [pkg.package_path.name, pkg.from_code, pkg.to_code, pkg.package_version,
             pkg.target_prefix, pkg.packaged_sbd_path is None]
        )
        translator = ctranslate2.Translator(str(pkg.package_path / "model"), device="cpu")
        result["translations"][pkg.package_path.name] = [
            apply_packaged_translation(pkg, text, translator, OneSentence(), 1)[0].value
            for text in cases[pkg.package_path.name]
        ]
    print(json.dumps(result, ensure_ascii=False))
    """
)


def test_argostranslate_installs_lists_and_translates_with_the_packages(
    archives: dict[tuple[PackageSpec, str], Path], tmp_path: Path
) -> None:
    packages_dir, home = tmp_path / "packages", tmp_path / "home"
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ARGOS_", "XDG_", "SNAP"))}
    env.update(HOME=str(home), ARGOS_PACKAGES_DIR=str(packages_dir), ARGOS_DEVICE_TYPE="cpu")
    specs = list(EXPECTED)
    cases = {spec.name: [source for source, _ in EXPECTED[spec]] for spec in specs}
    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            _ARGOS_SCRIPT,
            json.dumps([str(archives[spec, "int8"]) for spec in specs]),
            json.dumps(cases),
        ],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert proc.returncode == 0, proc.stderr[-4000:]
    result = json.loads(proc.stdout.strip().splitlines()[-1])

    assert Path(result["packages_dir"]) == packages_dir
    assert result["installed"] == sorted(
        [spec.name, spec.from_code, spec.to_code, spec.package_version, spec.target_prefix, True]
        for spec in specs
    )
    assert result["translations"] == {
        spec.name: [expected for _, expected in EXPECTED[spec]] for spec in specs
    }
