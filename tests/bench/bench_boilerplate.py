"""Finding the article on pages of sites never seen: cleaner against jusText and trafilatura.

The data is the line-level boilerplate set of ``corpora/boilerplate`` (public HTML benchmark
pages and hand-labelled French pages, each turned into one text block per line as a naive
scraper does, each line labelled article or not; see ``corpora/boilerplate/README.md``). Its
page text cannot be committed, so it is built from the public repositories first::

    python corpora/boilerplate/build.py --mirrors DIR     # bare clones, listed in the README

Scored here, on the **held-out sites** (the ``dev`` split: no site of it was used to train or
tune the shipped model), in one run, side by side, for each method and each language group
(fr, en, de, other), over all pages, and over the ``fresh`` pages alone: those of sites added
to the dataset after the split was drawn, held out at once, and never read while tuning
anything:

- ``keep all``: the text as scraped;
- ``rules only``: cleaner with the line model off (pattern library, leftovers, site templates,
  second copy);
- ``jusText, lines``: jusText on the same lines, each wrapped in ``<p>`` (stoplist of the
  page's language; jusText's language-independent mode where it has none);
- ``jusText, HTML`` and ``trafilatura, HTML`` (default settings, and without comments): on the
  page's HTML, their kept text mapped back onto the lines the way the labels were made (a line
  is kept when half its words are covered);
- ``cleaner``: the default pipeline (no translation), the shipped line model included, with
  pages in other languages than French kept as they are (``[language] other_documents =
  "keep"``) rather than dropped: what is scored is finding the article, in any language;
  and the same with ``[boilerplate] favor = "recall"`` and ``"precision"``, and with
  ``favor = 1.0``: the smallest move of the log-odds that kept 98 % of the article lines of
  the French training pages in each of three cross-validation draws by site (see the README);
- ``cleaner, page URLs``: the default pipeline given each page's URL, whose words the line
  model reads as the page's title (``[boilerplate] url_title``);
- ``cleaner, page titles``: given each page's URL and its title as a scraper's record holds
  it (the HTML's og:title, else twitter:title, else ``<title>``: the build's ``title``), which
  the line model keeps as the headline (``[boilerplate] title_field``).
  The other runs read the lines alone (and the page's site).
- ``cleaner, HTML``: cleaner's own HTML path, for comparison: each page's HTML read as a run
  over ``.html`` files reads it (trafilatura's main text, with cleaner's ``[html]`` settings:
  tables kept, comments left out), then every stage, the line model included; its clean text
  mapped back onto the lines as trafilatura's is. Not a from-the-text method: the targets are
  not read on it.

For each: article lines kept (%), boilerplate lines removed (%), and line-level F1 (article
lines are the positives), pooled over the lines of all pages and as the mean over pages
(every page weighs the same; the fairer view for French, whose pooled figures are dominated
by one 294-line table); and the pages whose article was **missed**: less than half of its
lines kept (a page lost to the corpus, or one whose walk took another stretch of the page
for the article; pages without article lines are not counted). Targets (issue 10), on French
and on all pages: article kept >= 98 %, boilerplate removed >= 90 %, F1 at least
trafilatura-on-HTML's. A missed target prints FAIL;
the exit status stays 0 (a benchmark, not a test). Then, for French and all pages, cleaner's F1
minus trafilatura's with a 95 % interval from resampling the sites (pages of one site are not
independent draws: a site's template repeats its chrome on every one of its pages).

``--by-text`` scores each page's distinct texts rather than its lines: a text (spaces and case
aside) counts once, as the article's if one of its lines is an article line, as kept if one of
its lines is kept (a page holding its article twice, labelled on one copy, then scores the same
whichever copy a method keeps, and a paragraph repeated in the article is kept once). It says
how much of the article's text reaches the corpus; the targets are read on the default, line
by line.

``--pages GROUP`` also prints each page of a group (``fresh``, ``fr``...) with its F1 by method:
the view for reading a new batch of fresh pages once, untouched, before anything is tuned.

``python tests/bench/bench_boilerplate.py [--data DIR] [--jobs N] [--limit N] [--pages GROUP]
[--by-text]``
"""

from __future__ import annotations

import argparse
import collections
import functools
import gzip
import itertools
import json
import sys
import time
from multiprocessing import Pool
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
DATA_DIR = REPO_ROOT / "corpora" / "boilerplate"
sys.path.insert(0, str(DATA_DIR))  # naive.py, build.py: the scraper and the labelling
try:
    import cleaner  # noqa: F401
except ImportError:
    sys.path.insert(0, str(REPO_ROOT))
from cleaner.linemodel.compare import DRAWS, f1_difference, page_counts  # noqa: E402

GROUPS = ("fr", "en", "de", "other", "all", "fresh")
METHODS = (
    "keep all",
    "rules only",
    "jusText, lines",
    "jusText, HTML",
    "trafilatura, HTML",
    "trafilatura, HTML, no comments",
    "cleaner",
    "cleaner, favor recall",
    "cleaner, favor precision",
    "cleaner, favor 1.0",
    "cleaner, page URLs",
    "cleaner, page titles",
    "cleaner, HTML",
)
#: The cleaner runs: method name, and the ``[boilerplate]`` settings it differs by.
CLEANER_RUNS = {
    "rules only": {"model": False},
    "cleaner": {},
    "cleaner, favor recall": {"favor": "recall"},
    "cleaner, favor precision": {"favor": "precision"},
    "cleaner, favor 1.0": {"favor": 1.0},
    "cleaner, page URLs": {},
    "cleaner, page titles": {},
}
#: The record fields the pages of a cleaner run carry (others: none but the site).
GIVEN = {"cleaner, page URLs": ("url",), "cleaner, page titles": ("url", "title")}
TARGET_KEPT, TARGET_REMOVED = 0.98, 0.90


def group_of(lang: str | None) -> str:
    return lang if lang in ("fr", "en", "de") else "other"


def groups_of(record: dict) -> tuple[str, ...]:
    """The groups a page is scored in: its language's, all, and fresh for a fresh site's."""
    return (group_of(record["lang"]), "all") + (("fresh",) if record.get("fresh") else ())


def _justext_args(lang: str | None) -> dict:
    import justext

    from cleaner.linemodel.stoplists import JUSTEXT_NAMES

    name = JUSTEXT_NAMES.get(lang or "")
    if name and name in justext.get_stoplists():
        return {"stoplist": justext.get_stoplist(name)}
    return {"stoplist": frozenset(), "stopwords_low": 0, "stopwords_high": 0}


def _kept_by_text(lines: list[str], text: str) -> list[bool]:
    import build

    if not text or not text.strip():
        return [False] * len(lines)
    coverage, _ = build.align_coverage(lines, text, [])
    return [c >= build.LABEL_THRESHOLD for c in coverage]


def peers(data: Path, record: dict) -> dict[str, list[bool]]:
    """jusText and trafilatura on one page (run in a worker process)."""
    import justext
    import naive
    import trafilatura

    lines, html_path = record["lines"], data / record["html"]
    args = _justext_args(record["lang"])
    out: dict[str, list[bool]] = {}
    escaped = (x.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") for x in lines)
    page = "<html><body>" + "".join(f"<p>{x}</p>" for x in escaped) + "</body></html>"
    paragraphs = justext.justext(page.encode("utf-8"), encoding="utf-8", **args)
    if len(paragraphs) == len(lines):
        out["jusText, lines"] = [not p.is_boilerplate for p in paragraphs]
    else:
        kept = "\n".join(p.text for p in paragraphs if not p.is_boilerplate)
        out["jusText, lines"] = _kept_by_text(lines, kept)
    text, _ = naive.decode_html(html_path.read_bytes())
    try:
        paragraphs = justext.justext(text.encode("utf-8"), encoding="utf-8", **args)
        kept = "\n".join(p.text for p in paragraphs if not p.is_boilerplate)
    except Exception:  # noqa: BLE001 - jusText raises on some malformed pages
        kept = ""
    out["jusText, HTML"] = _kept_by_text(lines, kept)
    out["trafilatura, HTML"] = _kept_by_text(lines, trafilatura.extract(text) or "")
    no_comments = trafilatura.extract(text, include_comments=False) or ""
    out["trafilatura, HTML, no comments"] = _kept_by_text(lines, no_comments)
    out[HTML_READ] = read_html_page(html_path)
    return out


#: Where :func:`peers` puts what cleaner's HTML reader found on the page.
HTML_READ = "html read"


def read_html_page(path: Path) -> tuple[list[str], dict] | None:
    """What cleaner's HTML reader makes of the page (its paragraphs and metadata), as a run
    over the ``.html`` file reads it; ``None`` where it finds no main text (a quarantine)."""
    from cleaner.config import HtmlConfig
    from cleaner.io.decode import DecodeError
    from cleaner.io.html import decode_html_file, extract_or_reason

    try:
        text, _ = decode_html_file(path.read_bytes())
    except DecodeError:
        return None
    found = extract_or_reason(text, HtmlConfig())
    return None if isinstance(found, str) else (found.paragraphs, found.metadata)


def run_cleaner_on_html(records: list[dict], read: list) -> list[list[bool]]:
    """``cleaner, HTML``: each page as cleaner's HTML path makes it (its reader's paragraphs,
    then every stage, the line model included, the pages' sites given), the clean text mapped
    back onto the page's lines as trafilatura's is."""
    from cleaner import Config, Document, Pipeline, render_text

    config = Config().replace("language", other_documents="keep")
    pages = [(i, found) for i, found in enumerate(read) if found is not None]
    docs = [
        Document.from_paragraphs(
            str(i), paragraphs, metadata={**metadata, "format": "html", "site": records[i]["site"]}
        )
        for i, (paragraphs, metadata) in pages
    ]
    texts = {int(doc.id): render_text(doc) for doc in Pipeline(config).run(docs)}
    return [_kept_by_text(r["lines"], texts.get(i, "")) for i, r in enumerate(records)]


def run_cleaner(
    records: list[dict], given: tuple[str, ...] = (), **boilerplate
) -> tuple[list[list[bool]], float]:
    """Lines kept by cleaner's pipeline (no translation) with these ``[boilerplate]``
    settings, each page given its record's ``given`` fields, and the seconds it took."""
    from cleaner import Config, Document, Pipeline

    # pages in other languages are kept as they are: what is scored is finding the article
    config = (
        Config().replace("boilerplate", **boilerplate).replace("language", other_documents="keep")
    )
    docs = [
        Document.from_text(
            "\n".join(r["lines"]) + "\n",
            id=str(i),
            site=r["site"],
            **{key: r[key] for key in given if r.get(key)},
        )
        for i, r in enumerate(records)
    ]
    t0 = time.perf_counter()
    out = [[ln.kept for ln in doc.lines] for doc in Pipeline(config).run(docs)]
    return out, time.perf_counter() - t0


class Score:
    def __init__(self) -> None:
        self.c: collections.Counter[tuple[int, bool]] = collections.Counter()
        self.pages: list[tuple[float, float | None, float]] = []
        #: Each page's article lines kept, article lines lost and other lines kept, and its site.
        self.counts: list[tuple[int, int, int]] = []
        self.sites: list[str] = []

    def add(self, labels: list[int], kept: list[bool], site: str = "") -> None:
        c = collections.Counter(zip(labels, kept, strict=True))
        self.c.update(c)
        self.pages.append(_rates(c))
        self.counts.append(page_counts(labels, kept))
        self.sites.append(site)

    def pooled(self) -> tuple[float, float | None, float]:
        return _rates(self.c)

    def missed(self) -> tuple[int, int]:
        """How many pages kept less than half of their article's lines, of how many pages
        hold article lines."""
        with_article = [(tp, fn) for tp, fn, _ in self.counts if tp + fn]
        return sum(2 * tp < tp + fn for tp, fn in with_article), len(with_article)

    def per_page(self) -> tuple[float, float, float]:
        kept = [k for k, _, _ in self.pages]
        removed = [r for _, r, _ in self.pages if r is not None]
        f1 = [f for _, _, f in self.pages]
        return _mean(kept), _mean(removed), _mean(f1)


def _mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def _rates(c) -> tuple[float, float | None, float]:
    tp, fn, fp, tn = c[(1, True)], c[(1, False)], c[(0, True)], c[(0, False)]
    kept = tp / (tp + fn) if tp + fn else 1.0
    removed = tn / (tn + fp) if tn + fp else None
    precision = tp / (tp + fp) if tp + fp else 0.0
    f1 = 2 * precision * kept / (precision + kept) if tp else 0.0
    return kept, removed, f1


def by_text(labels: list[int], kept: list[bool], texts: list[str]) -> tuple[list[int], list[bool]]:
    """``labels`` and ``kept`` for a page scored on its distinct texts rather than its lines:
    each text (spaces and case aside) counts once, as article text if one of its lines is an
    article line, as kept if one of its lines is kept. A page holding its article twice,
    labelled on one copy, scores the same whichever copy is kept, and a paragraph the article
    repeats (a forum post quoted in a reply) is kept once; the figures say how much of the
    article's text, and of the chrome's, reaches the corpus."""
    groups: dict[str, tuple[int, bool]] = {}
    for i, (label, keep, text) in enumerate(zip(labels, kept, texts, strict=True)):
        key = " ".join(text.split()).casefold() or f"\0{i}"  # an empty line is its own
        gold, held = groups.get(key, (0, False))
        groups[key] = (gold or label, held or keep)
    return [gold for gold, _ in groups.values()], [held for _, held in groups.values()]


def load(data: Path, split: str, limit: int | None) -> list[dict]:
    with gzip.open(data / "pages.jsonl.gz", "rt", encoding="utf-8") as fh:
        records = [r for r in map(json.loads, fh) if r["split"] == split]
    return records[:limit] if limit else records


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=DATA_DIR / "build", help="built dataset folder")
    ap.add_argument("--jobs", type=int, default=2, help="processes for jusText and trafilatura")
    ap.add_argument("--limit", type=int, help="score only the first N held-out pages")
    ap.add_argument("--pages", choices=GROUPS, help="also print each page of this group")
    ap.add_argument(
        "--by-text",
        action="store_true",
        help="score each page's distinct texts (article text if one of its lines is an "
        "article line, kept if one of its lines is kept) rather than its lines",
    )
    args = ap.parse_args(argv)
    if not (args.data / "pages.jsonl.gz").is_file():
        print(
            f"bench_boilerplate: no dataset in {args.data}; build it first with\n"
            "  python corpora/boilerplate/build.py --mirrors DIR\n"
            "from bare clones of the public repositories listed in corpora/boilerplate/README.md "
            "(skipped)"
        )
        return 0
    records = load(args.data, "dev", args.limit)
    t0 = time.perf_counter()
    with Pool(args.jobs) as pool:
        predictions = pool.map(functools.partial(peers, args.data), records, chunksize=4)
    peer_seconds = time.perf_counter() - t0
    runs, took = {}, {}
    for method, settings in CLEANER_RUNS.items():
        runs[method], took[method] = run_cleaner(records, GIVEN.get(method, ()), **settings)
    runs["cleaner, HTML"] = run_cleaner_on_html(records, [p.pop(HTML_READ) for p in predictions])
    seconds = took["cleaner"]
    scores = {g: {m: Score() for m in METHODS} for g in GROUPS}
    listed = []
    for i, (record, peer) in enumerate(zip(records, predictions, strict=True)):
        kept = dict(peer)
        kept["keep all"] = [True] * len(record["labels"])
        kept.update({method: runs[method][i] for method in (*CLEANER_RUNS, "cleaner, HTML")})
        for method in METHODS:
            labels, kept_lines = record["labels"], kept[method]
            if args.by_text:
                labels, kept_lines = by_text(labels, kept_lines, record["lines"])
            for g in groups_of(record):
                scores[g][method].add(labels, kept_lines, record["domain"])
        if args.pages in groups_of(record):
            listed.append(page_row(record, kept))
    report(records, scores, targets=not args.by_text)
    if args.pages:
        print(f"\npages of group {args.pages}: F1 by method (article lines / lines)")
        print("\n".join(listed))
    lines = sum(len(r["lines"]) for r in records)
    print(
        f"\ncleaner: {lines / seconds:,.0f} lines/s on these pages ({seconds:.1f} s, one process); "
        f"jusText + trafilatura: {peer_seconds:.1f} s in {args.jobs} processes"
    )
    return 0


PAGE_METHODS = ("jusText, lines", "trafilatura, HTML, no comments", "cleaner")


def page_row(record: dict, kept: dict[str, list[bool]]) -> str:
    """One page's line of ``--pages``: its name, site, size and F1 by method."""
    f1 = []
    for method in PAGE_METHODS:
        c = collections.Counter(zip(record["labels"], kept[method], strict=True))
        f1.append(f"{method} {_rates(c)[2]:.3f}")
    size = f"{sum(record['labels'])}/{len(record['labels'])}"
    return f"  {record['source']}/{record['page']:40.40} {record['site']:24.24} {size:>9}  " + (
        "; ".join(f1)
    )


def report(records: list[dict], scores: dict, targets: bool = True) -> None:
    pages = collections.Counter(g for r in records for g in groups_of(r))
    print(f"held-out sites: {len(records)} pages, {len({r['domain'] for r in records})} sites")
    print(f"{'':34} {'pooled over lines':^24} | {'mean over pages':^24} | article")
    header = f"{'group':6} {'method':31} {'kept':>7} {'removed':>8} {'F1':>6}"
    print(header + f" | {'kept':>7} {'removed':>8} {'F1':>6} | {'missed':>11}")
    for g in GROUPS:
        if not pages[g]:
            continue
        for method in METHODS:
            sc = scores[g][method]
            k, r, f = sc.pooled()
            pk, pr, pf = sc.per_page()
            missed, of = sc.missed()
            print(
                f"{g + ' ' + str(pages[g]):6} {method:31} {k:7.1%} {r or 0:8.1%} {f:6.3f} | "
                f"{pk:7.1%} {pr:8.1%} {pf:6.3f} | {missed:4} {missed / (of or 1):6.1%}"
            )
        print()
    verdicts_for = (
        "cleaner",
        "cleaner, favor recall",
        "cleaner, favor 1.0",
        "cleaner, page URLs",
        "cleaner, page titles",
    )
    verdicts_for = verdicts_for if targets else ()
    for g, method in itertools.product(("fr", "all"), verdicts_for):
        if not pages[g]:
            continue
        for view, get in (("pooled", Score.pooled), ("per page", Score.per_page)):
            k, r, f = get(scores[g][method])
            traf = max(get(scores[g][m])[2] for m in METHODS if m.startswith("trafilatura"))
            verdicts = [
                f"kept {k:.1%} >= 98 %: {'PASS' if k >= TARGET_KEPT else 'FAIL'}",
                f"removed {r or 0:.1%} >= 90 %: {'PASS' if (r or 0) >= TARGET_REMOVED else 'FAIL'}",
                f"F1 {f:.3f} >= trafilatura's {traf:.3f}: {'PASS' if f >= traf else 'FAIL'}",
            ]
            print(f"target, {g}, {method}, {view}: " + "; ".join(verdicts))
    for g in ("fr", "all"):
        if pages[g]:
            print(_difference_line(g, scores[g]))


def _difference_line(g: str, scores: dict[str, Score]) -> str:
    """How sure the F1 difference between cleaner and trafilatura (the better of its two runs,
    in each view) is, for group ``g``."""
    parts = []
    for view, get in (("pooled", Score.pooled), ("per page", Score.per_page)):
        traf = max(
            (m for m in METHODS if m.startswith("trafilatura")), key=lambda m: get(scores[m])[2]
        )
        ours = scores["cleaner"]
        diff = f1_difference(ours.counts, scores[traf].counts, ours.sites, view)
        parts.append(f"{view} {diff} against {traf}")
    sites = len(set(scores["cleaner"].sites))
    return (
        f"F1 of cleaner minus trafilatura's, {g}: "
        + "; ".join(parts)
        + f" (95 % intervals, the {sites} sites resampled {DRAWS:,} times)"
    )


if __name__ == "__main__":
    sys.exit(main())
