"""Mojibake repair: cleaner's encoding stage against ftfy.fix_text and ftfy.fix_encoding.

What is measured, in one run:

1. **Correct lines.** The paragraphs of the shipped clean pages (``corpora/truth``, French
   written for the project) and the sentences of ``tests/data/ud/correct_text.jsonl`` (French,
   English and German from UD treebanks, written by others). A third of the French lines get a
   word of another alphabet or a symbol put in (İstanbul, Łódź, Москва, ✔, 🙂…), so that UTF-8
   beyond Latin-1 is broken too.
2. **Broken lines**, generated from a fixed seed: each correct line, for each kind of fault
   below, encoded as UTF-8 and decoded through the code page (lines the code page cannot
   decode are left out of that kind): cp1252 once and twice, latin-1, cp1252 with the no-break
   spaces turned into spaces (``Ã`` + space for ``à``), the other code pages of issue 11, and
   GBK or Shift-JIS text (a French line with a Chinese or Japanese name) read as cp1252.
3. **Repair rate**, per kind: the share of broken lines that a method turns into what it
   makes of the correct line (``method(broken) == method(correct)``, so that each method is
   judged on repairing, not on its other normalisations). **False-change rate**: the share of
   correct lines a method changes at all (ftfy.fix_text's quote uncurling counts: it changes
   correct French).
4. **Speed** of the encoding stage alone (``EncodingFixer.process`` over whole documents,
   fastest of 3) on the benchmark corpus of ``bench_cleaning.py`` (``corpus_gen``, ``--mb``
   MB): it must stay at 30 MB/s or more (issue 11). FAIL is printed below that; the exit status
   stays 0.

Run from the repository root: ``python tests/bench/encoding_eval.py [--per-kind N] [--mb N]``.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
import unicodedata
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(HERE))  # corpus_gen
try:
    import cleaner  # noqa: F401
except ImportError:  # pragma: no cover - run without installing
    sys.path.insert(0, str(REPO))

import ftfy  # noqa: E402
import ftfy.bad_codecs  # noqa: E402, F401
from corpus_gen import generate_pages  # noqa: E402

import cleaner  # noqa: E402
from cleaner.stages.encoding import EncodingFixer  # noqa: E402

SEED = 20261204
TARGET_MBPS = 30.0
INSERTS = [
    "İstanbul", "Łódź", "Dvořák", "Rīga", "Kadıköy", "Šiauliai", "Москва", "Αθήνα", "✔",
    "🙂", "Kraków", "Ørsted", "Nguyễn", "€",
]  # fmt: skip
CJK_NAMES = {"gbk": ["人民日报", "新华社", "北京"], "shift_jis": ["読売新聞", "東京", "トヨタ"]}


def correct_lines() -> list[str]:
    lines = []
    for path in sorted((REPO / "corpora" / "truth").rglob("*.txt")):
        lines += [ln for ln in path.read_text(encoding="utf-8").splitlines() if len(ln) > 30]
    ud = REPO / "tests" / "data" / "ud" / "correct_text.jsonl"
    lines += [json.loads(x)["text"] for x in ud.read_text(encoding="utf-8").splitlines()]
    return list(dict.fromkeys(lines))


def with_insert(rng: random.Random, line: str, words: list[str]) -> str:
    parts = line.split(" ")
    parts.insert(rng.randrange(1, len(parts) + 1), rng.choice(words))
    return " ".join(parts)


def _encodes(text: str, codec: str) -> bool:
    try:
        text.encode(codec)
    except UnicodeEncodeError:
        return False
    return True


def utf8_through(codec: str, nbsp_to_space: bool = False, times: int = 1):
    def make(text: str) -> str:
        for _ in range(times):
            text = text.encode("utf-8").decode(codec)
        return text.replace("\u00a0", " ") if nbsp_to_space else text

    return make


def double_byte(codec: str):
    return lambda text: text.encode(codec).decode("sloppy-windows-1252")


KINDS: dict[str, Callable[[str], str]] = {
    "cp1252": utf8_through("sloppy-windows-1252"),
    "cp1252 twice": utf8_through("sloppy-windows-1252", times=2),
    "latin-1": utf8_through("latin-1"),
    "cp1252, NBSP→space": utf8_through("sloppy-windows-1252", nbsp_to_space=True),
    "cp1251": utf8_through("cp1251"),
    "koi8_r": utf8_through("koi8_r"),
    "cp874": utf8_through("cp874"),
    "mac_roman": utf8_through("mac_roman"),
    "cp437": utf8_through("cp437"),
    "cp850": utf8_through("cp850"),
    "cp1250": utf8_through("cp1250"),
    "iso8859_2": utf8_through("iso8859_2"),
    "gbk as cp1252": double_byte("gbk"),
    "shift_jis as cp1252": double_byte("shift_jis"),
}


def make_cases(per_kind: int) -> tuple[list[str], dict[str, list[tuple[str, str]]]]:
    """The correct lines, and for each kind of fault ``(correct, broken)`` pairs."""
    rng = random.Random(SEED)
    base = correct_lines()
    rng.shuffle(base)
    french = [ln for ln in base if any(c in ln for c in "éèàç")]
    mixed = [with_insert(rng, ln, INSERTS) for ln in french[: len(french) // 3]]
    correct = base + mixed
    cases: dict[str, list[tuple[str, str]]] = {}
    for kind, make in KINDS.items():
        pool = list(correct)
        if kind.endswith("as cp1252"):
            codec = kind.split()[0]
            pool = [with_insert(rng, ln, CJK_NAMES[codec]) for ln in base]
            pool = [ln for ln in pool if _encodes(ln, codec)]
        rng.shuffle(pool)
        pairs = []
        for line in pool:
            try:
                broken = make(line)
            except UnicodeError:
                continue
            if broken != line:
                pairs.append((line, broken))
            if len(pairs) == per_kind:
                break
        cases[kind] = pairs
    return correct, cases


def methods() -> dict[str, Callable[[str], str]]:
    stage = EncodingFixer()
    return {
        "cleaner": stage.fix,
        "ftfy.fix_text": ftfy.fix_text,
        "ftfy.fix_encoding": lambda t: unicodedata.normalize("NFC", ftfy.fix_encoding(t)),
    }


def stage_speed(mb: float) -> float:
    pages, stats = generate_pages(int(mb * 1e6), seed=20240615)
    best = float("inf")
    for _ in range(3):
        docs = [cleaner.Document.from_text(text, id=page_id) for page_id, text in pages]
        for doc in docs:
            doc.lines  # noqa: B018 - build the lines before the clock starts
        stage = EncodingFixer()
        t0 = time.perf_counter()
        for doc in docs:
            stage.process(doc)
        best = min(best, time.perf_counter() - t0)
    return stats.bytes / 1e6 / best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--per-kind", type=int, default=300, help="broken lines per kind")
    parser.add_argument("--mb", type=float, default=5.0, help="corpus size for the speed test")
    args = parser.parse_args(argv)
    correct, cases = make_cases(args.per_kind)
    fixers = methods()
    names = list(fixers)
    print(f"{len(correct):,} correct lines; broken lines per kind of fault (seed {SEED}):")
    print(f"  {'kind':<22} {'lines':>5}" + "".join(f" {n:>18}" for n in names))
    totals = dict.fromkeys(names, 0)
    n_total = 0
    for kind, pairs in cases.items():
        row = f"  {kind:<22} {len(pairs):>5}"
        for name in names:
            fix = fixers[name]
            ok = sum(fix(broken) == fix(line) for line, broken in pairs)
            totals[name] += ok
            row += f" {100 * ok / max(1, len(pairs)):17.1f}%"
        n_total += len(pairs)
        print(row)
    print(
        f"  {'repair rate, all':<22} {n_total:>5}"
        + "".join(f" {100 * totals[n] / n_total:17.1f}%" for n in names)
    )
    row = f"  {'false-change rate':<22} {len(correct):>5}"
    for name in names:
        changed = sum(fixers[name](line) != line for line in correct)
        row += f" {100 * changed / len(correct):17.2f}%"
    print(row)
    mbps = stage_speed(args.mb)
    verdict = "PASS" if mbps >= TARGET_MBPS else "FAIL"
    print(
        f"\nencoding stage alone: {mbps:.1f} MB/s on {args.mb:g} MB of generated pages, "
        f"fastest of 3 (target >= {TARGET_MBPS:g} MB/s: {verdict})"
    )
    long_lines()
    return 0


def long_lines() -> None:
    """Seconds for the encoding stage on one line of 100 KB made of "!", "?" and "&" (marks it
    looks at twice: glued to a word, in an entity), against a 10 KB one: linear time gives a
    ratio near 10 (the stage once read such a line again at every mark: 352 s for 1 MB)."""
    for unit in ("Wow! ", "? ", "!", "& "):
        seconds = []
        for size in (10_000, 100_000):
            doc = cleaner.Document.from_text("Le texte.\n" + (unit * size)[:size] + "\n", id="long")
            stage = EncodingFixer()
            t0 = time.perf_counter()
            stage.process(doc)
            seconds.append(time.perf_counter() - t0)
        print(
            f"one line of {unit!r} x 100 KB: {seconds[1]:.3f} s; of 10 KB: {seconds[0]:.3f} s "
            f"(ratio {seconds[1] / max(seconds[0], 1e-9):.1f}; 10 is linear, 100 quadratic)"
        )


if __name__ == "__main__":
    sys.exit(main())
