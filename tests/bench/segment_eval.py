"""Sentence splitting of French news: precision, recall and F1 of sentence boundaries.

Reads ``tests/data/sentences_fr.jsonl`` (paragraphs written for the project, each given as its
gold sentences) and scores every splitter available: cleaner's own (``cleaner.segment``) and,
if installed, pysbd and sentencex, for comparison. A boundary counts as found when a splitter
ends a sentence at the same character offset as the gold standard.

Run from the repository root: ``python tests/bench/segment_eval.py [--errors]``.
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
    args = parser.parse_args(argv)
    gold = load()
    n_boundaries = sum(len(s) - 1 for s in gold)
    print(f"{len(gold)} paragraphs, {sum(map(len, gold))} sentences, {n_boundaries} boundaries")
    print(f"{'splitter':<10} {'precision':>9} {'recall':>7} {'F1':>7} {'MB/s':>7}")
    for name, split in splitters().items():
        s = score(split, gold)
        print(f"{name:<10} {s['p']:9.3f} {s['r']:7.3f} {s['f1']:7.3f} {s['mb_s']:7.2f}")
        if args.errors and name == "cleaner":
            for sents, pred in s["errors"]:
                print("  gold:", sents)
                print("  got: ", pred)
    return 0


if __name__ == "__main__":
    sys.exit(main())
