"""Build a sentence-splitting test set from the train split of a UD French treebank.

A paragraph is a run of sentences that followed each other in the source text: sentences under
one ``# newpar`` (or ``# newdoc``) mark where the treebank has them, else consecutive
``sent_id`` numbers with the same prefix (``annodis.er_00004``, ``annodis.er_00005``: the
numbers the dev and test splits took leave gaps). Runs are cut into paragraphs of at most
``MAX_SENTENCES`` sentences. Only paragraphs of two sentences or more whose every sentence
starts with a capital, a digit or an opening quote and ends with ``.``, ``!``, ``?`` or ``…``
(closing quotes and brackets allowed after it) are kept: boundaries that a splitter of written
text can find, as the issue asks ("treebank text that ends in punctuation").

Only ``*-ud-train.conllu`` files are read: the dev and test splits of the UD French treebanks
are reserved for independent checks and are refused.

Output: JSON lines ``{"id": ..., "sentences": [...]}``, the format of
``tests/data/sentences_fr.jsonl``, so ``segment_eval.py`` scores it the same way.

Run from the repository root::

    python tests/bench/ud_sentences.py PATH/UD_French-Sequoia --out tests/data/ud/sentences_fr_sequoia.jsonl
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path

MAX_SENTENCES = 5
_STARTS = re.compile(r"^[«“\"(\[—–-]?\s*[A-ZÀ-ÖØ-Þ0-9]")
_ENDS = re.compile(r"(?:\.\.\.|[.!?…])[\s\u00a0\u202f]*[»”\"')\]]*$")
_NUMBERED = re.compile(r"^(.*?)(\d+)$")


def train_files(folder: Path) -> list[Path]:
    """The train split(s) of a treebank folder; a dev or test file given directly is refused."""
    if folder.is_file():
        files = [folder]
    else:
        files = sorted(folder.glob("*-ud-train*.conllu"))
    for path in files:
        if not re.search(r"-ud-train(?:-[\w-]+)?\.conllu$", path.name):
            raise SystemExit(f"{path}: only train splits may be used (dev and test are reserved)")
    if not files:
        raise SystemExit(f"{folder}: no *-ud-train.conllu file")
    return files


def read_sentences(path: Path) -> Iterator[tuple[str, str, bool]]:
    """``(sent_id, text, starts_paragraph)`` for each sentence of a CoNLL-U file."""
    sent_id, text, new_par = "", None, False
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("# sent_id ="):
                sent_id = line.split("=", 1)[1].strip()
            elif line.startswith("# text ="):
                text = line.split("=", 1)[1].strip()
            elif line.startswith(("# newpar", "# newdoc")):
                new_par = True
            elif not line.strip():
                if text is not None:
                    yield sent_id, text, new_par
                sent_id, text, new_par = "", None, False


def runs(sentences: list[tuple[str, str, bool]]) -> Iterator[list[tuple[str, str]]]:
    """Runs of sentences that followed each other in the source text."""
    marked = any(new_par for _, _, new_par in sentences)
    run: list[tuple[str, str]] = []
    previous: tuple[str, int] | None = None
    for sent_id, text, new_par in sentences:
        m = _NUMBERED.match(sent_id)
        key = (m.group(1), int(m.group(2))) if m else None
        if marked:
            follows = not new_par
        else:
            follows = (
                key is not None
                and previous is not None
                and key[0] == previous[0]
                and key[1] == previous[1] + 1
            )
        if run and not follows:
            yield run
            run = []
        run.append((sent_id, text))
        previous = key
    if run:
        yield run


def build(folder: Path) -> list[dict]:
    out = []
    for path in train_files(folder):
        for run in runs(list(read_sentences(path))):
            for start in range(0, len(run), MAX_SENTENCES):
                chunk = run[start : start + MAX_SENTENCES]
                texts = [t for _, t in chunk]
                if len(texts) < 2:
                    continue
                if all(_STARTS.match(t) and _ENDS.search(t) for t in texts):
                    out.append({"id": chunk[0][0], "sentences": texts})
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("treebank", type=Path, nargs="+", help="UD folder or train .conllu file")
    parser.add_argument("--out", type=Path, help="JSON lines file (default: stdout)")
    args = parser.parse_args(argv)
    records = [r for folder in args.treebank for r in build(folder)]
    text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    n = sum(len(r["sentences"]) - 1 for r in records)
    print(f"{len(records)} paragraphs, {n} boundaries", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
