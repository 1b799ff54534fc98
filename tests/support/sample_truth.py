"""The sample corpus's hand-written truth (``corpora/truth/``), and a check of a run against it.

``corpora/truth/<page>.txt`` holds the clean text a perfect run writes; ``<page>.toml``, next to
it, why each removed line goes (a *category* in words a person would use), the page's title and
source, and every fragment's offsets and language. Both were written by reading the input pages,
never from the tool's output (the format is in ``corpora/README.md``). :func:`disagreements`
compares a run's output folder with them, file by file; the golden test and ``make golden`` use
it, so that no golden file can drift from what a careful reader says is right.

Categories stay stable when the stages that drop lines change: "chrome" is any boilerplate
reason (the pattern library, the frequent-line filter, a line model or site templates, whatever
their reason names); "leftover" is a scraper leftover, or chrome's reasons. The reasons that
carry meaning of their own are checked exactly: ``duplicate_copy``, ``source_metadata``,
``empty_line`` and ``document_language`` (a line of a page written in another language: "other
language"). Each page's truth names the language it is written in (``lang``).
"""

from __future__ import annotations

import json
import tomllib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
TRUTH = REPO / "corpora" / "truth"
SAMPLE = REPO / "corpora" / "sample"


def _is_chrome(reason: str) -> bool:
    return reason.startswith("boilerplate_")


#: category -> the test a reject's reason must pass.
CATEGORIES = {
    "chrome": _is_chrome,
    "leftover": lambda r: r == "scraper_leftover" or _is_chrome(r),
    "empty": lambda r: r == "empty_line",
    "duplicate copy": lambda r: r == "duplicate_copy",
    "source line": lambda r: r == "source_metadata",
    "other language": lambda r: r == "document_language",
}

#: Where a careful reader and the code still disagree, on purpose: (page id, output file). The
#: test marks these strict xfail and ``make golden`` lets them through (nothing else).
KNOWN_DISAGREEMENTS: dict[tuple[str, str], str] = {}


@dataclass(frozen=True)
class Drop:
    categories: tuple[str, ...]
    why: str


@dataclass(frozen=True)
class Fragment:
    line: int
    start: int
    end: int
    lang: str
    text: str


@dataclass(frozen=True)
class PageTruth:
    doc: str  # the document id the outputs use
    input: str  # relative to corpora/sample
    lines: int
    encoding: str
    lang: str  # the language the page is written in
    title: str | None
    title_line: int | None
    source: str | None
    drops: dict[int, Drop]
    fragments: tuple[Fragment, ...]
    clean: str  # the .txt next to the .toml

    @property
    def jsonl(self) -> bool:
        return self.input.endswith(".jsonl")

    @property
    def output(self) -> str:
        """The output file holding the page's clean text."""
        return "clean.jsonl" if self.jsonl else f"clean/{self.doc}.txt"

    def input_lines(self) -> list[str]:
        """The page's lines as the input holds them (read here, not by the tool)."""
        data = (SAMPLE / self.input).read_bytes().decode(self.encoding)
        if self.jsonl:
            record = next(r for r in map(json.loads, data.splitlines()) if r.get("id") == self.doc)
            return record["text"].split("\n")
        return data.split("\n")[:-1] if data.endswith("\n") else data.split("\n")


def _expand(entries: list[int | str]) -> Iterator[int]:
    for entry in entries:
        if isinstance(entry, int):
            yield entry
        else:
            lo, hi = entry.split("-")
            yield from range(int(lo), int(hi) + 1)


def _load_page(path: Path) -> PageTruth:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    rel = path.relative_to(TRUTH).with_suffix("")
    doc = rel.name if data["input"].endswith(".jsonl") else rel.as_posix()
    drops: dict[int, Drop] = {}
    for entry in data.get("drop", []):
        cats = entry["category"]
        cats = (cats,) if isinstance(cats, str) else tuple(cats)
        unknown = [c for c in cats if c not in CATEGORIES]
        if unknown:
            raise ValueError(f"{path}: unknown category {unknown}")
        for n in _expand(entry["lines"]):
            if n in drops:
                raise ValueError(f"{path}: line {n} listed twice")
            drops[n] = Drop(cats, entry["why"])
    fragments = tuple(
        sorted(
            (
                Fragment(f["line"], f["start"], f["end"], f["lang"], f["text"])
                for f in data.get("fragment", [])
            ),
            key=lambda f: (f.line, f.start),
        )
    )
    return PageTruth(
        doc=doc,
        input=data["input"],
        lines=data["lines"],
        encoding=data["encoding"],
        lang=data["lang"],
        title=data.get("title"),
        title_line=data.get("title_line"),
        source=data.get("source"),
        drops=drops,
        fragments=fragments,
        clean=path.with_suffix(".txt").read_text(encoding="utf-8"),
    )


def load_truth() -> dict[str, PageTruth]:
    """Every page's truth, by document id."""
    pages = [_load_page(p) for p in sorted(TRUTH.rglob("*.toml"))]
    return {p.doc: p for p in pages}


def _jsonl(path: Path) -> list[dict[str, Any]]:
    if not path.is_file():
        return []
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]


# -- the checks, one output file at a time ------------------------------------------------------


def check_rejects(page: PageTruth, rejects: list[dict[str, Any]]) -> list[str]:
    """Every removed line, once, for the right kind of reason, with its original text."""
    problems = []
    raw = page.input_lines()
    got: dict[int, list[str]] = {}
    for r in rejects:
        got.setdefault(r["line"], []).append(r["reason"])
        if 1 <= r["line"] <= len(raw) and r["text"] != raw[r["line"] - 1][:2000]:
            problems.append(f"line {r['line']}: the reject's text is not the input line")
    for n, reasons in sorted(got.items()):
        if len(reasons) > 1:
            problems.append(f"line {n}: rejected {len(reasons)} times")
    for n in sorted(set(got) - set(page.drops)):
        problems.append(f"line {n}: dropped ({got[n][0]}) but a reader keeps it")
    for n, drop in sorted(page.drops.items()):
        if n not in got:
            problems.append(
                f"line {n}: kept but should go ({' or '.join(drop.categories)}: {drop.why})"
            )
        elif not any(CATEGORIES[c](got[n][0]) for c in drop.categories):
            problems.append(
                f"line {n}: dropped as {got[n][0]}, but it is {' or '.join(drop.categories)} "
                f"({drop.why})"
            )
    return problems


def check_fragments(page: PageTruth, fragments: list[dict[str, Any]]) -> list[str]:
    got = sorted(
        (Fragment(f["line"], f["start"], f["end"], f["lang"], f["text"]) for f in fragments),
        key=lambda f: (f.line, f.start),
    )
    if got == list(page.fragments):
        return []
    want = {(f.line, f.start, f.end, f.lang, f.text) for f in page.fragments}
    have = {(f.line, f.start, f.end, f.lang, f.text) for f in got}
    return [f"missing fragment {f}" for f in sorted(want - have)] + [
        f"unexpected fragment {f}" for f in sorted(have - want)
    ]


def check_document(page: PageTruth, doc: dict[str, Any] | None) -> list[str]:
    if doc is None:
        return ["no record in documents.jsonl"]
    kept = [n for n in range(1, page.lines + 1) if n not in page.drops]
    if page.title_line is not None:  # the title comes first
        kept = [page.title_line] + [n for n in kept if n != page.title_line]
    want = {
        "title": page.title,
        "source": page.source,
        "encoding": page.encoding,
        "lang": page.lang,
        "lines_in": page.lines,
        "lines_kept": len(kept),
        "clean_lines": kept,
        "output": page.output,
    }
    return [
        f"{key}: {doc.get(key)!r}, a reader says {value!r}"
        for key, value in want.items()
        if doc.get(key) != value
    ]


def check_clean_text(page: PageTruth, text: str | None) -> list[str]:
    if text is None:
        return ["no clean text"]
    if text == page.clean:
        return []
    got, want = text.split("\n"), page.clean.split("\n")
    first = next(
        (i for i, (a, b) in enumerate(zip(got, want, strict=False)) if a != b),
        min(len(got), len(want)),
    )
    return [f"clean text differs from the truth at line {first + 1}"]


def check_counts(
    pages: dict[str, PageTruth], manifest: dict[str, Any], rejects: list[dict[str, Any]]
) -> list[str]:
    """The manifest's totals, from the truth (and its reasons, from the rejects)."""
    counts = manifest.get("counts", {})
    lines_in = sum(p.lines for p in pages.values())
    dropped = sum(len(p.drops) for p in pages.values())
    fragments = Counter(f.lang for p in pages.values() for f in p.fragments)
    exact = {"empty_line": "empty", "source_metadata": "source line"}
    want = {
        "documents": len(pages),
        "lines_in": lines_in,
        "lines_kept": lines_in - dropped,
        "lines_dropped": dropped,
        "fragments": dict(sorted(fragments.items())),
        **{
            f"by_reason.{reason}": sum(
                1 for p in pages.values() for d in p.drops.values() if d.categories == (cat,)
            )
            for reason, cat in exact.items()
        },
    }
    by_reason = counts.get("by_reason", {})
    have = {
        key: counts.get(key) for key in ("documents", "lines_in", "lines_kept", "lines_dropped")
    }
    have["fragments"] = dict(sorted(counts.get("fragments", {}).items()))
    have |= {f"by_reason.{r}": by_reason.get(r, 0) for r in exact}
    problems = [
        f"counts.{key}: {have[key]!r}, the truth says {value!r}"
        for key, value in want.items()
        if have[key] != value
    ]
    line_rejects = Counter(r["reason"] for r in rejects if "sentence" not in r)
    if dict(line_rejects) != by_reason:
        problems.append(
            f"counts.by_reason {by_reason} is not what rejects.jsonl holds {dict(line_rejects)}"
        )
    # a copy's lines, a foreign page's lines: at least the lines that can only be that, at
    # most those that may be
    for reason, category in (
        ("duplicate_copy", "duplicate copy"),
        ("document_language", "other language"),
    ):
        least = sum(
            1 for p in pages.values() for d in p.drops.values() if d.categories == (category,)
        )
        most = sum(1 for p in pages.values() for d in p.drops.values() if category in d.categories)
        if not least <= by_reason.get(reason, 0) <= most:
            problems.append(
                f"counts.by_reason.{reason}: {by_reason.get(reason, 0)}, the truth says "
                f"{least}-{most}"
            )
    languages = dict(sorted(Counter(p.lang for p in pages.values()).items()))
    if counts.get("documents_by_language") != languages:
        problems.append(
            f"counts.documents_by_language: {counts.get('documents_by_language')!r}, the truth "
            f"says {languages!r}"
        )
    return problems


def clean_texts(out: Path) -> dict[str, str]:
    """Clean text per document id, from clean/ and clean.jsonl."""
    texts = {}
    for path in (out / "clean").rglob("*.txt"):
        texts[path.relative_to(out / "clean").with_suffix("").as_posix()] = path.read_text("utf-8")
    for record in _jsonl(out / "clean.jsonl"):
        texts[record["id"]] = record["text"] + "\n"
    return texts


def page_disagreements(
    out: Path, pages: dict[str, PageTruth] | None = None
) -> dict[tuple[str, str], list[str]]:
    """(page id, output file) -> what disagrees with the truth; every pair is present."""
    pages = pages or load_truth()
    rejects = _jsonl(out / "rejects.jsonl")
    fragments = _jsonl(out / "fragments.jsonl")
    documents = {d["doc"]: d for d in _jsonl(out / "documents.jsonl")}
    texts = clean_texts(out)
    result: dict[tuple[str, str], list[str]] = {}
    for doc, page in pages.items():
        result[doc, "rejects.jsonl"] = check_rejects(
            page, [r for r in rejects if r["doc"] == doc and "sentence" not in r]
        )
        result[doc, "fragments.jsonl"] = check_fragments(
            page, [f for f in fragments if f["doc"] == doc]
        )
        result[doc, "documents.jsonl"] = check_document(page, documents.get(doc))
        result[doc, page.output] = check_clean_text(page, texts.get(doc))
    manifest_name = "manifest.json" if (out / "manifest.json").is_file() else "manifest.stable.json"
    manifest = json.loads((out / manifest_name).read_text(encoding="utf-8"))
    result["*", manifest_name] = check_counts(pages, manifest, rejects)
    extra = sorted(set(documents) - set(pages))
    result["*", "documents.jsonl"] = [f"a document no truth describes: {d}" for d in extra]
    return result


def disagreements(out: Path) -> dict[str, list[str]]:
    """Output file -> its disagreements with the truth (known ones left out), for ``make golden``."""
    by_file: dict[str, list[str]] = {}
    for (doc, name), problems in page_disagreements(out).items():
        if problems and (doc, name) not in KNOWN_DISAGREEMENTS:
            by_file.setdefault(name, []).extend(f"{doc}: {p}" for p in problems)
    return by_file
