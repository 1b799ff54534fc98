"""Measure what decides a document's language, on pages whose language a reader has stated.

``tests/data/doclang/cases.toml`` lists pages in other languages (with French chrome and
editor's notes) and French pages quoting long passages in other languages, each with the
language a reader says the page is written in; the sample corpus's pages and the unseen
fixtures are French pages too. Each page goes through the cleaning stages on its own (the cases
share passages, which one run would drop as lines frequent across documents) and the script
prints, per page, its main language, the share of its letters that language holds, the French
share, and whether ``[language] document_min_share`` routes it the way the reader says. Below
the table: the lowest share among pages in another language, the highest share of a foreign
language among French pages, and the gap between them, where the threshold belongs.

Run from the repository root: ``python tests/bench/doclang_eval.py [--backend fasttext|langdetect]
[--threshold 0.75]``.
"""

from __future__ import annotations

import argparse
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
CASES = REPO_ROOT / "tests" / "data" / "doclang"

if str(REPO_ROOT) not in sys.path:  # run as a script: find cleaner and tests.support
    sys.path.insert(0, str(REPO_ROOT))

from cleaner import Config, Document, Pipeline  # noqa: E402
from cleaner.stages.document_language import other_language  # noqa: E402


@dataclass(frozen=True)
class Case:
    name: str
    text: str
    lang: str  # what a reader says the page is written in
    why: str


def _read(path: Path) -> str:
    data = path.read_bytes()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252")  # the sample corpus's cp1252 page


def load_cases(with_french_corpora: bool = True) -> list[Case]:
    """The cases of cases.toml, then (optionally) the sample corpus's pages, in the language
    their truth gives, and the unseen fixtures' pages, all French."""
    spec = tomllib.loads((CASES / "cases.toml").read_text(encoding="utf-8"))
    out = [
        Case(c["file"].removesuffix(".txt"), _read(CASES / c["file"]), c["lang"], c["why"])
        for c in spec["case"]
    ]
    if with_french_corpora:
        from tests.support.sample_truth import load_truth

        for page in load_truth().values():  # the truth says in which language each page is
            text = "\n".join(page.input_lines()) + "\n"
            out.append(Case(f"sample/{page.doc}", text, page.lang, "sample corpus"))
        for path in sorted((REPO_ROOT / "tests" / "fixtures" / "unseen" / "pages").glob("*.txt")):
            out.append(Case(f"unseen/{path.stem}", _read(path), "fr", "unseen fixtures"))
    return out


def measure(case: Case, config: Config) -> Document:
    """The page after the cleaning stages, on its own (language and shares in its metadata)."""
    (doc,) = Pipeline(config).run([Document.from_text(case.text, id=case.name)])
    return doc


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", default="fasttext")
    parser.add_argument("--threshold", type=float, default=Config().language.document_min_share)
    args = parser.parse_args(argv)
    config = Config().replace("language", backend=args.backend, document_min_share=args.threshold)
    print(f"backend {args.backend}, document_min_share {args.threshold}")
    print(f"{'page':48s} {'reader':6s} {'main':5s} {'share':>6s} {'fr':>6s}  routed  ok")
    lowest_other = 1.0
    highest_foreign_in_french = 0.0
    wrong = 0
    for case in load_cases():
        doc = measure(case, config)
        lang, shares = doc.metadata["lang"], doc.metadata["lang_shares"]
        routed = other_language(doc, config.language)
        ok = (routed is not None and routed[0] == case.lang) or (
            routed is None and case.lang == "fr"
        )
        wrong += not ok
        if case.lang != "fr":
            lowest_other = min(lowest_other, shares.get(case.lang, 0.0))
        else:
            foreign = [s for k, s in shares.items() if k not in ("fr", "und")]
            highest_foreign_in_french = max([highest_foreign_in_french, *foreign])
        print(
            f"{case.name:48s} {case.lang:6s} {lang:5s} {shares.get(lang, 0.0):6.3f} "
            f"{shares.get('fr', 0.0):6.3f}  {'yes' if routed else 'no':6s}  "
            f"{'ok' if ok else 'WRONG'}"
        )
    print(
        f"\npages in another language: their language holds at least {lowest_other:.3f}\n"
        f"French pages: a foreign language holds at most {highest_foreign_in_french:.3f}\n"
        f"any threshold in ({highest_foreign_in_french:.3f}, {lowest_other:.3f}] separates them; "
        f"{wrong} page(s) routed wrongly at {args.threshold}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
