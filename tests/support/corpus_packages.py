"""The project's offline test packages: zh→en, en→fr and fr→en, built from the sample corpus.

Built with :mod:`tests.support.argos_packages` (hand-set CTranslate2 weights that copy the input
piece by piece, replacing mapped pieces), so their output is known exactly:

- ``zh→en`` maps every Han character of the project's text to a Latin word (a few to real
  English, the rest to ``zh<hex code point>``), so no Han survives, and copies Latin names;
- ``en→fr`` maps a few English words to French and copies the rest;
- ``fr→en`` maps common French words to English and copies the rest.

Each ships the tiny MiniSBD model (:mod:`tests.support.minisbd_model`), so argostranslate's own
``translate()`` runs offline on them too.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import regex

from .argos_packages import PackageSpec, build_package
from .minisbd_model import build_minisbd_model

REPO = Path(__file__).resolve().parents[2]

_HAN = regex.compile(r"\p{Han}")
_WORDS_ZH = {"前": "▁former", "首席执行官": "▁chief▁executive", "联席": "▁co", "表示": "▁said"}
_WORDS_EN_FR = {"▁former": "▁ancien", "▁chief": "▁chef", "▁said": "▁a▁dit", "▁the": "▁le"}
_WORDS_FR_EN = {
    "▁le": "▁the",
    "▁la": "▁the",
    "▁les": "▁the",
    "▁Le": "▁The",
    "▁La": "▁The",
    "▁Les": "▁The",
    "▁de": "▁of",
    "▁des": "▁of▁the",
    "▁du": "▁of▁the",
    "▁et": "▁and",
    "▁est": "▁is",
    "▁dans": "▁in",
    "▁pour": "▁for",
    "▁avec": "▁with",
    "▁sur": "▁on",
    "▁qui": "▁who",
    "▁Il": "▁He",
    "▁Elle": "▁She",
}
# (user-defined pieces match inside words too: short keys such as "▁a" would turn "aide" into
# "haside", so they are left out)


def project_texts() -> list[str]:
    """Every paragraph of the sample corpus and the unseen fixtures (SentencePiece training)."""
    out: list[str] = []
    # a fixed set of folders: the test packages (and the random-weight ones, whose beam scores
    # tests rely on) must not change when an unrelated fixture is added
    roots = [
        REPO / "corpora" / "sample",
        REPO / "corpora" / "truth",
        REPO / "tests" / "fixtures" / "unseen",
    ]
    for root in roots:
        for path in sorted(root.rglob("*")):
            if path.suffix == ".txt":
                data = path.read_bytes()
                try:
                    out.extend(data.decode("utf-8").splitlines())
                except UnicodeDecodeError:
                    out.extend(data.decode("cp1252").splitlines())
            elif path.suffix == ".jsonl":
                for line in path.read_text(encoding="utf-8").splitlines():
                    if line.strip():
                        out.extend(json.loads(line).get("text", "").splitlines())
    return [t for t in out if t.strip()]


def han_mapping(texts: Iterable[str]) -> dict[str, str]:
    chars = sorted({c for t in texts for c in _HAN.findall(t)})
    # Every character is mapped (so no Han survives); the words, being longer pieces, win where
    # they occur whole.
    mapping = {c: f"▁zh{ord(c):x}" for c in chars}
    mapping.update(_WORDS_ZH)
    return mapping


def build_test_packages(dest: Path, extra_texts: Iterable[str] = ()) -> list[Path]:
    """Build the three packages into ``dest``; return the archive paths."""
    texts = project_texts() + list(extra_texts)
    sbd = {
        lang: build_minisbd_model(dest / f"sbd-{lang}.onnx", lang) for lang in ("zh", "en", "fr")
    }
    specs = [
        PackageSpec("zh", "en", mapping=han_mapping(texts), sbd_model=sbd["zh"]),
        PackageSpec("en", "fr", mapping=_WORDS_EN_FR, sbd_model=sbd["en"]),
        PackageSpec("fr", "en", mapping=_WORDS_FR_EN, sbd_model=sbd["fr"]),
    ]
    return [build_package(spec, dest, texts) for spec in specs]


# Put before every script: argostranslate must not reach the network (MiniSBD downloads a model
# when a package lacks one; an attempt fails loudly instead).
OFFLINE = """
import socket
def _no_network(*args, **kwargs):
    raise OSError("network access attempted")
socket.socket.connect = _no_network
socket.create_connection = _no_network
"""


def run_argostranslate(
    script: str, payload: Any, packages_dir: Path, home: Path, **env: str
) -> Any:
    """Run ``script`` in a fresh Python with argostranslate pointed at ``packages_dir`` only
    (its own settings are read at import, hence the subprocess) and no network: ``payload`` as
    JSON on stdin, the last line of stdout parsed as JSON. A failure raises with the end of
    stderr."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("ARGOS_", "XDG_"))}
    clean |= {
        "HOME": str(home),
        "ARGOS_PACKAGES_DIR": str(packages_dir),
        "ARGOS_DEVICE_TYPE": "cpu",
        **env,
    }
    proc = subprocess.run(
        [sys.executable, "-c", OFFLINE + script],
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        env=clean,
        timeout=900,
    )
    if proc.returncode != 0:
        raise RuntimeError("argostranslate failed:\n" + proc.stderr[-3000:])
    return json.loads(proc.stdout.strip().splitlines()[-1])
