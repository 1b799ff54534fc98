"""Translation speed: argostranslate as shipped, raw CTranslate2, and cleaner's stage, on one model.

What is measured, in one run, on this machine's cores:

1. **Model.** ``tests/support/argos_packages.build_package`` writes an fr→en package the size of
   real Argos models (d_model 512, 6 encoder + 6 decoder layers, FFN 2048, 8 heads, a 32,000-entry
   vocabulary, int8) whose hand-set weights copy the input, so every path produces outputs of the
   same, known length: the cost per token is that of a real model, the output is checkable. It
   ships the tiny MiniSBD model so argostranslate runs offline.
2. **Sentences.** ``--sentences`` (default 300) French news sentences from the project's gold
   sentence files, 20 % of them repeats of others, in a fixed shuffled order.
3. **Paths**, all at the same beam size (``--beam``, default 4, argostranslate's default):

   a. argostranslate ``translate()`` per sentence, default settings (``ARGOS_*`` unset), in a
      subprocess; timed on the first ``--argos-sentences`` sentences (default 40: it is slow);
   b. the same with its threads set to the core count (``ARGOS_INTRA_THREADS=<cores>``), and
      with one thread (``ARGOS_INTRA_THREADS=1``, which FIELD_NOTES measured faster on 2 cores);
      the better of the two is the baseline;
   c. raw CTranslate2 ``translate_batch`` over pre-tokenised sentences, batches of 32 examples,
      in the best of two configurations (replicas x threads: cores x 1, and 1 x cores) —
      the practical limit;
   d. cleaner's ``SentencePairer`` stage (sentence splitting, deduplication, the cache, the
      engine) over documents of 10 sentences each, cold (fresh cache) and warm (the same again).

Sentences/s count input sentences (repeats included) per second; tokens/s count the output
pieces (equal to the input pieces for this model). Targets (from the issue): d >= 0.9 x c,
d >= 10 x a, d >= 1.3 x b, warm at least 20 x faster than cold. A missed target prints FAIL;
the exit status stays 0 (a benchmark, not a test).

Run from the repository root: ``python tests/bench/bench_translate.py [--beam N] ...``.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import textwrap
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from cleaner import Config, Document  # noqa: E402
from cleaner.parallel import SentencePairer  # noqa: E402
from cleaner.translate import (  # noqa: E402  # noqa: E402
    ArgosTranslator,
    EngineSettings,
    TranslationCache,
    install_archives,
    scan_packages,
)
from cleaner.translate.engine import available_cores  # noqa: E402
from tests.support.argos_packages import PackageSpec, build_package  # noqa: E402
from tests.support.corpus_packages import project_texts, run_argostranslate  # noqa: E402
from tests.support.minisbd_model import build_minisbd_model  # noqa: E402

GOLD = [
    REPO / "tests" / "data" / "sentences_fr.jsonl",
    REPO / "tests" / "data" / "sentences_fr_heldout.jsonl",
]


def load_sentences(n: int, repeat_share: float = 0.2, seed: int = 7) -> list[str]:
    unique: list[str] = []
    for path in GOLD:
        for line in path.read_text(encoding="utf-8").splitlines():
            unique.extend(json.loads(line)["sentences"])
    unique = list(dict.fromkeys(unique))
    rng = random.Random(seed)
    rng.shuffle(unique)
    n_unique = round(n * (1 - repeat_share))
    if len(unique) < n_unique:
        raise SystemExit(f"only {len(unique)} gold sentences, need {n_unique}")
    chosen = unique[:n_unique]
    out = chosen + [rng.choice(chosen) for _ in range(n - n_unique)]
    rng.shuffle(out)
    return out


ARGOS = textwrap.dedent(
    """
    import json, sys, time
    import argostranslate.translate as T
    sentences = json.loads(sys.stdin.read())
    T.translate(sentences[0], "fr", "en")  # load the model and the sentencizer
    t0 = time.perf_counter()
    out = [T.translate(s, "fr", "en") for s in sentences]
    print(json.dumps({"seconds": time.perf_counter() - t0, "out": out}))
    """
)


def run_argos(packages: Path, sentences: list[str], beam: int, threads: int | None) -> dict:
    env = {"ARGOS_BEAM_SIZE": str(beam)}
    if threads is not None:
        env |= {"ARGOS_INTRA_THREADS": str(threads), "ARGOS_INTER_THREADS": "1"}
    home = Path(tempfile.mkdtemp(prefix="argos-home-"))
    try:
        return run_argostranslate(ARGOS, sentences, packages, home, **env)
    except RuntimeError as e:
        raise SystemExit(str(e)) from None


def run_raw(pkg_path: Path, sentences: list[str], beam: int) -> tuple[float, str, int]:
    import ctranslate2
    import sentencepiece as spm

    sp = spm.SentencePieceProcessor(model_file=str(pkg_path / "sentencepiece.model"))
    tokens = [sp.encode(s, out_type=str) for s in sentences]
    cores = available_cores()
    best = (0.0, "", 0)
    for inter, intra in sorted({(cores, 1), (1, cores)}):
        tr = ctranslate2.Translator(
            str(pkg_path / "model"), device="cpu", inter_threads=inter, intra_threads=intra
        )
        tr.translate_batch(tokens[:8], beam_size=beam)  # warm-up
        t0 = time.perf_counter()
        res = tr.translate_batch(
            tokens, max_batch_size=32, beam_size=beam, length_penalty=0.2, replace_unknowns=True
        )
        seconds = time.perf_counter() - t0
        pieces = sum(len(r.hypotheses[0]) for r in res)
        rate = len(sentences) / seconds
        print(
            f"    c. raw CTranslate2, {inter} replica(s) x {intra} thread(s): {rate:7.1f} sentences/s"
        )
        if rate > best[0]:
            best = (rate, f"{inter}x{intra}", pieces)
        del tr
    return best


def run_stage(
    packages: Path, cache_path: Path, sentences: list[str], beam: int
) -> tuple[float, int, dict[str, str]]:
    config = Config.from_dict({"translate": {"beam_size": beam}})
    settings = EngineSettings(beam_size=beam)
    translator = ArgosTranslator(packages, settings, TranslationCache(cache_path))
    stage = SentencePairer(translator, "fr", "en")
    docs = [
        Document.from_text("\n".join(sentences[i : i + 10]) + "\n", id=f"d{i}")
        for i in range(0, len(sentences), 10)
    ]
    assert config.translate.beam_size == beam
    t0 = time.perf_counter()
    stage.process_batch(docs)
    seconds = time.perf_counter() - t0
    pairs = sum(len(d.pairs) for d in docs)
    return seconds, pairs, {p.source: p.target for d in docs for p in d.pairs}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sentences", type=int, default=300)
    ap.add_argument("--argos-sentences", type=int, default=40)
    ap.add_argument("--beam", type=int, default=4)
    ap.add_argument("--small", action="store_true", help="a tiny model (smoke test of the script)")
    args = ap.parse_args()
    cores = available_cores()
    sentences = load_sentences(args.sentences)
    work = Path(tempfile.mkdtemp(prefix="cleaner-bench-translate-"))
    size = (
        {}
        if args.small
        else {
            "d_model": 512,
            "encoder_layers": 6,
            "decoder_layers": 6,
            "ffn": 2048,
            "heads": 8,
            "vocab_size": 32000,
        }
    )
    t0 = time.perf_counter()
    sbd = build_minisbd_model(work / "fr.onnx", "fr")
    spec = PackageSpec("fr", "en", sbd_model=sbd, **size)
    archive = build_package(spec, work / "archives", project_texts() + sentences)
    packages = work / "packages"
    install_archives([archive], packages)
    (pkg,) = scan_packages(packages)[0]
    print(
        f"model: {spec.d_model}d, {spec.encoder_layers}+{spec.decoder_layers} layers, ffn {spec.ffn}, "
        f"vocab {spec.vocab_size or 'SentencePiece'}, int8; built in {time.perf_counter() - t0:.1f}s"
    )
    print(
        f"sentences: {len(sentences)} ({len(set(sentences))} unique), beam {args.beam}, {cores} cores\n"
    )

    sub = sentences[: args.argos_sentences]
    a = run_argos(packages, sub, args.beam, None)
    rate_a = len(sub) / a["seconds"]
    print(
        f"a. argostranslate translate(), defaults:          {rate_a:7.1f} sentences/s  ({len(sub)} sentences)"
    )
    sub_b = sentences[: max(args.argos_sentences, 100)]
    rate_b, b = 0.0, {}
    for threads in sorted({cores, 1}, reverse=True):
        run = run_argos(packages, sub_b, args.beam, threads)
        rate = len(sub_b) / run["seconds"]
        print(
            f"b. argostranslate, ARGOS_INTRA_THREADS={threads}:         {rate:7.1f} sentences/s  ({len(sub_b)} sentences)"
        )
        if rate > rate_b:
            rate_b, b = rate, run
    rate_c, conf_c, pieces = run_raw(pkg.path, sentences, args.beam)
    print(
        f"c. raw CTranslate2, best ({conf_c}):                 {rate_c:7.1f} sentences/s, {pieces / (len(sentences) / rate_c):8.0f} tokens/s"
    )
    cache = work / "cache.sqlite"
    cold, n, ours = run_stage(packages, cache, sentences, args.beam)
    warm, _, _ = run_stage(packages, cache, sentences, args.beam)
    rate_d, rate_w = n / cold, n / warm
    print(
        f"d. cleaner SentencePairer, cold cache:             {rate_d:7.1f} sentences/s, {pieces / cold:8.0f} tokens/s  ({n} sentences)"
    )
    print(f"   cleaner SentencePairer, warm cache:             {rate_w:7.1f} sentences/s")
    same = sum(ours.get(s) == t for s, t in zip(sub_b, b["out"], strict=True))
    print(f"   outputs identical to argostranslate's: {same}/{len(sub_b)} sentences")
    print()
    checks = [
        ("d >= 0.9 x c", rate_d / rate_c, 0.9),
        ("d >= 10 x a", rate_d / rate_a, 10.0),
        ("d >= 1.3 x b", rate_d / rate_b, 1.3),
        ("warm >= 20 x cold", rate_w / rate_d, 20.0),
    ]
    for label, ratio, target in checks:
        print(f"{label:<20} {ratio:8.2f}x  {'ok' if ratio >= target else 'FAIL'}")


if __name__ == "__main__":
    main()
