"""Measure the language-ID backends of ``cleaner.langid`` on a labelled set of lines.

Every backend in ``cleaner.langid.BACKENDS`` is loaded through ``get_identifier`` and run over
``tests/data/langid_lines.tsv`` (``<lang>\\t<text>`` per line, ISO 639-1 codes). For each one the
script prints its version and:

- accuracy on all lines, on the French lines, and on the short lines (8 words or fewer, split on
  whitespace, so a Chinese line without spaces counts as one word);
- French recall (French lines guessed ``fr``) and precision (``fr`` guesses that are French);
- throughput in lines/s: after a warm-up call, the whole set is timed three times and the best
  run is kept.

The three timed runs must give the same guesses; the script fails if they do not. Below the table
it lists each backend's most frequent confusions (gold→guess), and with ``--errors`` every
misclassified line.

Run from the repository root: ``python tests/bench/langid_eval.py [--tsv PATH] [--errors]``.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_TSV = REPO_ROOT / "tests" / "data" / "langid_lines.tsv"

try:
    import cleaner.langid  # noqa: F401
except ImportError:
    sys.path.insert(0, str(REPO_ROOT))

from cleaner.langid import BACKENDS, LanguageIdentifier, get_identifier  # noqa: E402

SHORT_MAX_WORDS = 8
TIMED_RUNS = 3
TOP_CONFUSIONS = 8


@dataclass(frozen=True, slots=True)
class Example:
    lang: str
    text: str

    @property
    def short(self) -> bool:
        return len(self.text.split()) <= SHORT_MAX_WORDS


@dataclass(frozen=True, slots=True)
class Result:
    backend: str
    version: str
    guesses: list[str]
    lines_per_s: float


def load_tsv(path: Path) -> list[Example]:
    """Read ``<lang>\\t<text>`` lines; blank lines are skipped, anything else malformed is fatal."""
    examples = []
    with path.open(encoding="utf-8") as f:
        for n, raw in enumerate(f, 1):
            line = raw.rstrip("\n")
            if not line.strip():
                continue
            lang, sep, text = line.partition("\t")
            if not sep or not lang or not text.strip() or "\t" in text:
                raise SystemExit(f"{path}:{n}: expected '<lang>\\t<text>', got {line!r}")
            examples.append(Example(lang, text))
    if not examples:
        raise SystemExit(f"{path}: no examples")
    return examples


def evaluate(name: str, identifier: LanguageIdentifier, examples: Sequence[Example]) -> Result:
    """Run ``identifier`` over ``examples``: one warm-up call, then the best of three timed runs."""
    texts = [e.text for e in examples]
    identifier.detect(texts[:10])  # warm-up: loads models, fills caches
    best = float("inf")
    guesses: list[str] | None = None
    for _ in range(TIMED_RUNS):
        start = time.perf_counter()
        out = identifier.detect(texts)
        best = min(best, time.perf_counter() - start)
        langs = [g.lang for g in out]
        if len(langs) != len(texts):
            raise SystemExit(f"{name}: {len(langs)} guesses for {len(texts)} texts")
        if guesses is not None and langs != guesses:
            raise SystemExit(f"{name}: guesses differ between runs (not deterministic)")
        guesses = langs
    assert guesses is not None
    return Result(name, identifier.version(), guesses, len(texts) / best)


def ratio(hits: int, total: int) -> float:
    return hits / total if total else float("nan")


def metrics(examples: Sequence[Example], guesses: Sequence[str]) -> dict[str, float]:
    pairs = list(zip(examples, guesses, strict=True))
    fr = [(e, g) for e, g in pairs if e.lang == "fr"]
    short = [(e, g) for e, g in pairs if e.short]
    fr_hits = sum(g == "fr" for _, g in fr)
    return {
        "acc": ratio(sum(e.lang == g for e, g in pairs), len(pairs)),
        "acc_fr": ratio(fr_hits, len(fr)),
        "acc_short": ratio(sum(e.lang == g for e, g in short), len(short)),
        "fr_recall": ratio(fr_hits, len(fr)),
        "fr_precision": ratio(fr_hits, sum(g == "fr" for g in guesses)),
    }


def print_table(examples: Sequence[Example], results: Sequence[Result]) -> None:
    n_fr = sum(e.lang == "fr" for e in examples)
    n_short = sum(e.short for e in examples)
    print(f"{len(examples)} lines, {n_fr} French, {n_short} short (<= {SHORT_MAX_WORDS} words)")
    width = max(len("version"), *(len(r.version) for r in results))
    header = (
        f"{'backend':<10} {'version':<{width}} {'acc':>6} {'acc_fr':>6} {'acc_short':>9} "
        f"{'fr_rec':>6} {'fr_prec':>7} {'lines/s':>8}"
    )
    print(header)
    print("-" * len(header))
    for r in results:
        m = metrics(examples, r.guesses)
        print(
            f"{r.backend:<10} {r.version:<{width}} {m['acc']:>6.1%} {m['acc_fr']:>6.1%} "
            f"{m['acc_short']:>9.1%} {m['fr_recall']:>6.1%} {m['fr_precision']:>7.1%} "
            f"{r.lines_per_s:>8.0f}"
        )


def print_confusions(examples: Sequence[Example], result: Result, show_errors: bool) -> None:
    errors = [(e, g) for e, g in zip(examples, result.guesses, strict=True) if e.lang != g]
    counts = Counter(f"{e.lang}→{g}" for e, g in errors)
    top = ", ".join(f"{k} {v}" for k, v in counts.most_common(TOP_CONFUSIONS)) or "none"
    print(f"{result.backend}: {len(errors)} errors; {top}")
    if show_errors:
        for e, g in errors:
            print(f"  {e.lang}→{g}\t{e.text}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tsv", type=Path, default=DEFAULT_TSV, help="labelled lines")
    parser.add_argument("--errors", action="store_true", help="list every misclassified line")
    args = parser.parse_args(argv)

    examples = load_tsv(args.tsv)
    results = [evaluate(name, get_identifier(name), examples) for name in BACKENDS]
    print_table(examples, results)
    print()
    for r in results:
        print_confusions(examples, r, args.errors)
    return 0


if __name__ == "__main__":
    sys.exit(main())
