"""Sentence splitting of French: precision, recall and F1 of sentence boundaries.

Scores every splitter available, cleaner's own (``cleaner.segment``) and, if installed (the
``dev`` extra installs them), pysbd and sentencex, on each gold set (paragraphs given as their
gold sentences):

- ``tests/data/sentences_fr.jsonl``: French news written for the project (the rules were
  written against it);
- ``tests/data/sentences_fr_heldout.jsonl``: the same, held out (never tuned on);
- ``tests/data/ud/sentences_fr_sequoia.jsonl``: paragraphs of the train split of UD
  French-Sequoia, written by others (built by ``ud_sentences.py``);
- with ``--ud DIR`` (repeatable): the same built on the fly from the train split of any other UD
  French treebank in DIR (GSD, ParTUT...: their licences do not let their text be copied into
  this repository). Dev and test splits are refused: they are reserved.

A boundary counts as found when a splitter ends a sentence at the same character offset as the
gold standard.

Run from the repository root: ``python tests/bench/segment_eval.py [--errors] [--ud DIR]``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
GOLD = REPO / "tests" / "data" / "sentences_fr.jsonl"
GOLD_SETS = {
    "written here (rules written against it)": GOLD,
    "written here, held out": GOLD.with_name("sentences_fr_heldout.jsonl"),
    "UD French-Sequoia train": REPO / "tests" / "data" / "ud" / "sentences_fr_sequoia.jsonl",
}
try:
    import cleaner.segment  # noqa: F401
except ImportError:  # pragma: no cover - run without installing
    sys.path.insert(0, str(REPO))

from cleaner.segment import split_sentences  # noqa: E402


def load(path: Path = GOLD) -> list[list[str]]:
    return [json.loads(line)["sentences"] for line in path.read_text("utf-8").splitlines()]


def boundaries(sentences: list[str], paragraph: str) -> set[int]:
    """Character offsets in ``paragraph`` where each sentence but the last ends."""
    out, pos = set(), 0
    for sentence in sentences[:-1]:
        found = paragraph.find(sentence, pos)
        if found < 0:  # a splitter that changed the text: count its sentence as missing
            continue
        pos = found + len(sentence)
        out.add(pos)
    return out


def score(split: Callable[[str], list[str]], gold: list[list[str]]) -> dict:
    tp = fp = fn = 0
    errors = []
    t0 = time.perf_counter()
    predicted = [split(" ".join(sents)) for sents in gold]
    seconds = time.perf_counter() - t0
    for sents, pred in zip(gold, predicted, strict=True):
        paragraph = " ".join(sents)
        want = boundaries(sents, paragraph)
        got = boundaries([s.strip() for s in pred], paragraph)
        tp += len(want & got)
        fp += len(got - want)
        fn += len(want - got)
        if want != got:
            errors.append((sents, pred))
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    chars = sum(len(" ".join(s)) for s in gold)
    return {"p": p, "r": r, "f1": f1, "errors": errors, "mb_s": chars / 1e6 / seconds}


def splitters() -> dict[str, Callable[[str], list[str]]]:
    out: dict[str, Callable[[str], list[str]]] = {"cleaner": split_sentences}
    try:
        import pysbd

        seg = pysbd.Segmenter(language="fr", clean=False)
        out["pysbd"] = seg.segment
    except ImportError:
        pass
    try:
        import sentencex

        out["sentencex"] = lambda text: list(sentencex.segment("fr", text))
    except ImportError:
        pass
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--errors", action="store_true", help="show the paragraphs split wrongly")
    parser.add_argument(
        "--ud",
        type=Path,
        action="append",
        default=[],
        metavar="DIR",
        help="also score on the train split of the UD French treebank in DIR",
    )
    args = parser.parse_args(argv)
    sets = {name: load(path) for name, path in GOLD_SETS.items()}
    if args.ud:
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from ud_sentences import build

        for folder in args.ud:
            sets[f"{folder.name} train"] = [r["sentences"] for r in build(folder)]
    chosen = splitters()
    missing = sorted({"pysbd", "sentencex"} - set(chosen))
    if missing:
        print(f"not installed (pip install -e '.[dev]'): {', '.join(missing)}")
    for title, gold in sets.items():
        n_boundaries = sum(len(s) - 1 for s in gold)
        print(
            f"\n{title}: {len(gold)} paragraphs, {sum(map(len, gold))} sentences, "
            f"{n_boundaries} boundaries"
        )
        print(f"  {'splitter':<10} {'precision':>9} {'recall':>7} {'F1':>7} {'MB/s':>7}")
        for name, split in chosen.items():
            s = score(split, gold)
            print(f"  {name:<10} {s['p']:9.3f} {s['r']:7.3f} {s['f1']:7.3f} {s['mb_s']:7.2f}")
            if args.errors and name == "cleaner":
                for sents, pred in s["errors"]:
                    print("    gold:", sents)
                    print("    got: ", pred)
    long_paragraphs(chosen["cleaner"])
    return 0


def long_paragraphs(split: Callable[[str], list[str]]) -> None:
    """Seconds to split one paragraph of 100 KB made of abbreviations and initials (a page
    scraped into a single line), against a 10 KB one: linear time gives a ratio near 10."""
    unit = "Il a vu M. Dupont, Mme J. Durand et le Dr A. A. Martin. "
    seconds = []
    for size in (10_000, 100_000):
        text = unit * (size // len(unit))
        t0 = time.perf_counter()
        split(text)
        seconds.append(time.perf_counter() - t0)
    print(
        f"\none paragraph of 100 KB: {seconds[1]:.3f} s; of 10 KB: {seconds[0]:.3f} s "
        f"(ratio {seconds[1] / max(seconds[0], 1e-9):.1f}; 10 is linear, 100 quadratic)"
    )


if __name__ == "__main__":
    sys.exit(main())
