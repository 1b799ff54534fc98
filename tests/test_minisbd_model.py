"""The hand-weighted MiniSBD model: minisbd and argostranslate split with it, offline."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

pytest.importorskip("onnx", reason="building the MiniSBD test model needs the onnx package")
ort = pytest.importorskip("onnxruntime", reason="running the MiniSBD test model needs onnxruntime")
minisbd = pytest.importorskip(
    "minisbd", reason="argostranslate's sentence splitter, minisbd, is not installed"
)

try:
    from tests.support.minisbd_model import RULE, build_minisbd_model
except ModuleNotFoundError:
    # argostranslate's wheel installs a top-level `tests` package into site-packages,
    # which can shadow this repository's `tests` directory; load the file directly.
    _spec = importlib.util.spec_from_file_location(
        "_minisbd_model", Path(__file__).parent / "support" / "minisbd_model.py"
    )
    assert _spec is not None and _spec.loader is not None
    _mod = importlib.util.module_from_spec(_spec)
    _spec.loader.exec_module(_mod)
    RULE, build_minisbd_model = _mod.RULE, _mod.build_minisbd_model

CASES = [
    ("Bonjour. Ça va ? Oui !", ["Bonjour.", "Ça va ?", "Oui !"]),
    ("Bonjour tout le monde", ["Bonjour tout le monde"]),
    ("Une seule phrase, avec une virgule.", ["Une seule phrase, avec une virgule."]),
    (
        "Il est 3.5 fois plus grand. Quoi ?! Non.",
        ["Il est 3.5 fois plus grand.", "Quoi ?!", "Non."],
    ),
    (
        "Attendez… Bon, d’accord\u00a0! Fin sans point",
        ["Attendez…", "Bon, d’accord\u00a0!", "Fin sans point"],
    ),
    ("Premier paragraphe\n\nSecond. Suite", ["Premier paragraphe", "Second.", "Suite"]),
    ("你好。世界！好吗？", ["你好。", "世界！", "好吗？"]),
]


@pytest.fixture(scope="module")
def model_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_minisbd_model(tmp_path_factory.mktemp("sbd") / "fr.onnx")


@pytest.fixture(scope="module")
def detector(model_path: Path):
    from minisbd import SBDetect

    return SBDetect(str(model_path), use_gpu=False)


def test_model_has_the_inputs_outputs_and_metadata_minisbd_uses(model_path: Path) -> None:
    sess = ort.InferenceSession(str(model_path), providers=["CPUExecutionProvider"])
    inputs = {i.name: (i.type, i.shape) for i in sess.get_inputs()}
    assert inputs == {
        "units": ("tensor(int64)", ["batch", "seq"]),
        "features": ("tensor(float)", ["batch", "seq", "n_feat"]),
    }
    [out] = sess.get_outputs()
    assert (out.type, out.shape) == ("tensor(float)", ["batch", "seq", 5])

    meta = sess.get_modelmeta().custom_metadata_map
    assert meta["lang_code"] == "fr"
    assert meta["rule"] == RULE
    assert json.loads(meta["lexicon"]) is None
    config = json.loads(meta["config"])
    assert config["feat_funcs"] == [] and config["use_dictionary"] is False
    vocab = json.loads(meta["vocab"])
    id2unit = vocab["_id2unit"]
    assert id2unit[:2] == ["<PAD>", "<UNK>"]
    assert vocab["_unit2id"] == {u: i for i, u in enumerate(id2unit)}
    for ch in " azAZ09.,;:!?…«»’œŒàâçéèêëîïôùûüÿÉÇ€。！？":
        assert ch in vocab["_unit2id"], ch


def test_logits_follow_the_rule(model_path: Path) -> None:
    import numpy as np

    sess = ort.InferenceSession(str(model_path), providers=["CPUExecutionProvider"])
    unit2id = json.loads(sess.get_modelmeta().custom_metadata_map["vocab"])["_unit2id"]
    text = "Oui. A.b ? ☃!"  # ☃ is not in the vocab: <UNK>
    units = np.array([[unit2id.get(c, 1) for c in text] + [0, 0]], dtype=np.int64)
    feats = np.zeros((1, units.shape[1], 0), dtype=np.float32)
    pred = sess.run(None, {"units": units, "features": feats})[0].argmax(-1)[0]
    #           O  u  i  .  _  A  .  b  _  ?  _  ☃  !  PAD PAD
    expected = [0, 0, 0, 2, 0, 0, 0, 1, 0, 2, 0, 0, 2, 0, 0]
    assert pred.tolist() == expected


def test_build_is_deterministic(tmp_path: Path, model_path: Path) -> None:
    again = build_minisbd_model(tmp_path / "again.onnx")
    assert again == tmp_path / "again.onnx"
    assert again.read_bytes() == model_path.read_bytes()


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_sbdetect_splits_by_the_rule(detector, text: str, expected: list[str]) -> None:
    assert detector.sentences(text) == expected


# Runs in a fresh interpreter with HOME/XDG dirs in tmp (no model cache to fall back
# on) and every socket blocked: a download attempt raises at once instead of hanging.
_ARGOS_SCRIPT = textwrap.dedent(
    """
    import json, socket, sys, types
    from pathlib import Path

    class NetworkBlocked(RuntimeError):
        pass

    def _blocked(*args, **kwargs):
        raise NetworkBlocked(f"network access attempted: {args!r}")

    socket.socket.connect = _blocked
    socket.socket.connect_ex = _blocked
    socket.create_connection = _blocked
    socket.getaddrinfo = _blocked

    from argostranslate import settings
    from argostranslate.sbd import MiniSBDSentencizer
    from minisbd import models as minisbd_models

    pkg_dir, empty_dir, texts = Path(sys.argv[1]), Path(sys.argv[2]), json.loads(sys.argv[3])
    result = {"data_dir": str(settings.data_dir), "cache_dir": minisbd_models.cache_dir}

    sentencizer = MiniSBDSentencizer(types.SimpleNamespace(package_path=pkg_dir, from_code="fr"))
    result["lang"] = sentencizer.lang
    result["splits"] = [sentencizer.split_sentences(t) for t in texts]

    # Control: without a shipped model, argostranslate tries to download one.
    control = MiniSBDSentencizer(types.SimpleNamespace(package_path=empty_dir, from_code="fr"))
    try:
        control.split_sentences("Bonjour. Ça va ?")
        result["control"] = "no network attempt"
    except NetworkBlocked:
        result["control"] = "blocked"
    print(json.dumps(result))
    """
)


def test_argostranslate_minisbd_sentencizer_uses_the_shipped_model(
    tmp_path: Path, model_path: Path
) -> None:
    pkg_dir = tmp_path / "translate-fr_en"
    shipped = pkg_dir / "minisbd" / "fr.onnx"
    shipped.parent.mkdir(parents=True)
    shipped.write_bytes(model_path.read_bytes())
    empty_pkg = tmp_path / "translate-fr_en-without-sbd"
    empty_pkg.mkdir()
    home = tmp_path / "home"
    home.mkdir()

    env = {k: v for k, v in os.environ.items() if not k.startswith(("ARGOS_", "XDG_"))}
    env.pop("SNAP", None)
    env.update(HOME=str(home), ARGOS_DEVICE_TYPE="cpu", ARGOS_CHUNK_TYPE="MINISBD")
    texts = [text for text, _ in CASES]
    try:
        proc = subprocess.run(
            [sys.executable, "-c", _ARGOS_SCRIPT, str(pkg_dir), str(empty_pkg), json.dumps(texts)],
            env=env,
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=180,
        )
    except subprocess.TimeoutExpired as exc:
        pytest.fail(f"argostranslate sentencizer hung: {exc}")
    assert proc.returncode == 0, proc.stderr[-4000:]
    result = json.loads(proc.stdout.strip().splitlines()[-1])

    assert Path(result["data_dir"]).is_relative_to(home)
    assert Path(result["cache_dir"]).is_relative_to(home)
    assert result["lang"] == str(shipped)
    assert result["splits"] == [expected for _, expected in CASES]
    assert result["control"] == "blocked"
    assert not list(home.rglob("*.onnx")), "a MiniSBD model landed in the cache"
