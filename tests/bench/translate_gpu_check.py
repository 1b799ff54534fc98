"""Does the translation engine run on a GPU, and does it give the same output as on CPU?

Builds the benchmark's Argos-sized fr→en copy package (d_model 512, 6+6 layers, 32k vocabulary),
then translates the same sentences with ``cleaner.translate.engine.PackageModel`` on CPU and on
CUDA (``device="auto"`` must resolve to CUDA when a GPU is visible), at beam 4 and beam 1, and
prints sentences/s for each and whether the outputs are identical. Nothing in cleaner depends on
a GPU; this is a check for users who have one.

Run from the repository root: ``python tests/bench/translate_gpu_check.py [--sentences N]``.
Prints one JSON object on the last line.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
import traceback
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from cleaner.translate import EngineSettings, install_archives, scan_packages  # noqa: E402
from cleaner.translate.engine import PackageModel  # noqa: E402
from tests.bench.bench_translate import load_sentences  # noqa: E402
from tests.support.argos_packages import PackageSpec, build_package  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sentences", type=int, default=300)
    args = ap.parse_args()
    import ctranslate2

    report: dict = {
        "ctranslate2": ctranslate2.__version__,
        "cuda_devices": ctranslate2.get_cuda_device_count(),
    }
    report["auto_device"] = EngineSettings(device="auto").resolved().device
    sentences = load_sentences(args.sentences)
    work = Path(tempfile.mkdtemp())
    spec = PackageSpec(
        "fr",
        "en",
        d_model=512,
        encoder_layers=6,
        decoder_layers=6,
        ffn=2048,
        heads=8,
        vocab_size=32000,
    )
    archive = build_package(spec, work / "a", sentences)
    install_archives([archive], work / "p")
    (pkg,) = scan_packages(work / "p")[0]
    outputs: dict = {}
    for device in ("cpu", "cuda"):
        for beam in (4, 1):
            key = f"{device}_beam{beam}"
            try:
                model = PackageModel(
                    pkg,
                    EngineSettings(
                        device=device, beam_size=beam, max_batch_size=64 if device == "cuda" else 32
                    ),
                )
                model.translate(sentences[:4])  # warm-up
                t0 = time.perf_counter()
                out = model.translate(sentences)
                seconds = time.perf_counter() - t0
                outputs[key] = out
                report[key] = {
                    "sentences_per_s": round(len(sentences) / seconds, 1),
                    "compute_type": model.translator.compute_type,
                    "threads": [model.settings.inter_threads, model.settings.intra_threads],
                }
            except Exception as e:  # noqa: BLE001 - report, do not stop
                report[key] = {"error": f"{type(e).__name__}: {e}"}
                traceback.print_exc()
            print(key, report[key], flush=True)
    for beam in (4, 1):
        a, b = outputs.get(f"cpu_beam{beam}"), outputs.get(f"cuda_beam{beam}")
        if a is not None and b is not None:
            report[f"identical_beam{beam}"] = a == b
            report[f"copied_exactly_beam{beam}"] = sum(
                x == y for x, y in zip(a, sentences, strict=True)
            )
    print(json.dumps(report))


if __name__ == "__main__":
    main()
