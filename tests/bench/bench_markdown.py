"""Pages scraped as Markdown: does cleaner find the article as well as on the page's lines?

The line dataset's held-out pages (``corpora/boilerplate/README.md``; French, English and
German, 227 pages of sites the model and the Markdown rules never saw) are written out three
ways from their HTML, as scrapers write them: html2text with no wrapping (``body_width = 0``,
as crawl4ai sets it), html2text with its default wrapping at 78 columns, and markdownify
(``<script>``, ``<style>``, ``<noscript>`` and ``<template>`` taken out first, as Firecrawl
and Jina Reader do). Each is cleaned with the default config (other languages kept:
``[language] other_documents = "keep"``), with ``[text] markdown`` on (``auto``) and off
(``never``), and so are the page's naive lines (one visible block per line: what the model
was trained on). Scored by words against the gold article text: the bag of each page's words
(case-folded ``\\w+``), precision and recall of the clean text's words against the gold's,
F1 per page, averaged; pooled over all the words too.

Run from the repository root (html2text and markdownify are dev dependencies):
``python tests/bench/bench_markdown.py [--data DIR] [--limit N]``.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parents[1]
sys.path.insert(0, str(REPO_ROOT / "corpora" / "boilerplate"))  # naive (the HTML decoding)

import cleaner  # noqa: E402

WORD = re.compile(r"\w+")
GROUPS = {"fr": ("fr",), "en, de": ("en", "de")}


def markdown_versions(html: str) -> dict[str, str]:
    """The page as html2text (unwrapped, then wrapped at 78 columns) and markdownify write it."""
    import html2text
    import markdownify
    from bs4 import BeautifulSoup

    out = {}
    for name, width in (("html2text", 0), ("html2text, wrapped", 78)):
        h = html2text.HTML2Text()
        h.body_width, h.unicode_snob = width, True
        out[name] = h.handle(html)
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup(["script", "style", "noscript", "template"]):
        tag.decompose()
    out["markdownify"] = markdownify.markdownify(str(soup), heading_style="ATX")
    return out


def words(text: str) -> Counter[str]:
    return Counter(w.casefold() for w in WORD.findall(text))


class Score:
    def __init__(self) -> None:
        self.common = self.out = self.gold = 0
        self.f1_sum = 0.0
        self.pages = 0

    def add(self, clean: str, gold: str) -> None:
        o, g = words(clean), words(gold)
        common = sum((o & g).values())
        self.common += common
        self.out += sum(o.values())
        self.gold += sum(g.values())
        p = common / max(sum(o.values()), 1)
        r = common / max(sum(g.values()), 1)
        self.f1_sum += 2 * p * r / (p + r) if common else 0.0
        self.pages += 1

    def row(self) -> str:
        p = self.common / max(self.out, 1)
        r = self.common / max(self.gold, 1)
        f1 = 2 * p * r / (p + r) if self.common else 0.0
        per_page = self.f1_sum / max(self.pages, 1)
        return f"{p:6.3f} {r:6.3f} {f1:6.3f} | {per_page:6.3f}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    default = REPO_ROOT / "corpora" / "boilerplate" / "build"
    ap.add_argument("--data", type=Path, default=default, help="built dataset folder")
    ap.add_argument("--limit", type=int, help="only the first N held-out pages")
    args = ap.parse_args(argv)
    if not (args.data / "pages.jsonl.gz").is_file():
        print(f"bench_markdown: no dataset in {args.data}; build it first (skipped)")
        return 0
    import naive

    with gzip.open(args.data / "pages.jsonl.gz", "rt", encoding="utf-8") as fh:
        records = [
            r
            for r in map(json.loads, fh)
            if r["split"] == "dev" and r["lang"] in ("fr", "en", "de")
        ]
    records = records[: args.limit] if args.limit else records
    keep = cleaner.Config().replace("language", other_documents="keep")
    pipelines = {
        "on": cleaner.Pipeline(keep),
        "off": cleaner.Pipeline(keep.replace("text", markdown="never")),
    }
    scores: dict[tuple[str, str], Score] = {}
    t0 = time.perf_counter()
    for record in records:
        group = next(g for g, langs in GROUPS.items() if record["lang"] in langs)
        gold = "\n".join(
            x for x, label in zip(record["lines"], record["labels"], strict=True) if label
        )
        html, _ = naive.decode_html((args.data / record["html"]).read_bytes())
        url = record.get("url") or ""
        texts = {"naive lines": "\n".join(record["lines"]), **markdown_versions(html)}
        for name, text in texts.items():
            for mode, pipeline in pipelines.items():
                if name == "naive lines" and mode == "off":
                    continue
                key = (group, f"{name}, markdown {mode}" if name != "naive lines" else name)
                scores.setdefault(key, Score()).add(pipeline.clean_text(text, url=url), gold)
    print(f"held-out pages: {len(records)} ({time.perf_counter() - t0:.0f} s)")
    print(f"{'group':8} {'input':32} {'pages':>5}   words: P      R     F1 | per-page F1")
    for (group, name), score in scores.items():
        print(f"{group:8} {name:32} {score.pages:5}   {score.row()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
