"""An independent check: finding the article on trafilatura's own evaluation pages.

adbar/trafilatura keeps, in its ``tests/`` folder, about a thousand web pages (``tests/eval``,
``tests/cache``) and, for each, a few snippets of text its main text must hold (``with``) and a
few it must not (``without``: menus, footers, dates, share buttons; ``tests/evaldata.json``).
This project reserves that folder for independent checks: **nothing may be trained or tuned on
it**, and nothing was (the line model's data is ``corpora/boilerplate``; none of its pages is a
file of that folder, and no URL of it is). This script only scores. A setting changed after
reading its output would spoil the check; read the figures, do not chase them.

Each page is scored as trafilatura's own benchmark scores it (``tests/eval_common.py``,
``count_item``): a method's text, spaces normalized, holds a ``with`` snippet (true positive)
or not (false negative), and holds a ``without`` snippet (false positive) or not (true
negative); precision, recall, accuracy and F1 are counted over all the snippets. The methods,
in one run, on the same pages:

- ``the text as scraped``: every line of the page, as the naive scraper of
  ``corpora/boilerplate/naive.py`` makes them (one text block per line): the starting point;
- ``rules only``: cleaner with the line model off, on those lines;
- ``jusText, lines``: jusText on the same lines, each wrapped in ``<p>``;
- ``cleaner``: cleaner's default pipeline (no translation; pages in other languages than French
  kept, ``[language] other_documents = "keep"``: what is scored is finding the article) on those
  lines, each page's site being its URL's host: the from-the-text-alone method of issue 10;
- ``cleaner, page URLs``: the same, given each page's URL (its words read as the title);
- ``jusText, HTML`` and ``trafilatura, HTML``: on the page's HTML, with the settings of
  trafilatura's own benchmark (``evaluate.py``: jusText's stoplists of every language together;
  trafilatura with comments and formatting off and tables on, and ``fast=False``), then
  ``trafilatura, HTML, default`` (``extract()`` as it comes: comments included);
- ``cleaner, HTML``: cleaner's HTML path (trafilatura's main text with the ``[html]`` settings,
  then every stage).

A line method's text is its kept lines as the scraper made them, joined: the score is of which
lines are kept, not of cleaner's repairs to their characters. Scored over all pages, and over
the pages of hosts the line model never saw (its training split's sites left out), by the
language of each page's ``with`` snippets. Then cleaner's F1 minus trafilatura's with a 95 %
interval from resampling the hosts (:mod:`cleaner.linemodel.compare`).

trafilatura's figures are on the pages its authors develop it on: its home ground.

``python tests/bench/bench_trafilatura_eval.py --trafilatura DIR [--data DIR] [--jobs N]
[--limit N]``: ``DIR`` is a clone of https://github.com/adbar/trafilatura, a work tree or a
bare one (its ``HEAD`` is read; the figures in the README are of commit
e90b0ef51ab026fdb905fb6c5b3c84dd3d784fd5). ``--data`` is the built line dataset, to leave out
the hosts trained on (without it, only the figures over all pages are printed).
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import subprocess
import sys
import tarfile
import tempfile
import time
from multiprocessing import Pool
from pathlib import Path
from urllib.parse import urlsplit

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parents[1]
DATA_DIR = REPO_ROOT / "corpora" / "boilerplate"
sys.path.insert(0, str(DATA_DIR))  # naive.py: the scraper
sys.path.insert(0, str(HERE))  # bench_boilerplate: cleaner's HTML reader
try:
    import cleaner  # noqa: F401
except ImportError:
    sys.path.insert(0, str(REPO_ROOT))
from cleaner.linemodel.compare import DRAWS, f1_difference  # noqa: E402

EVAL_FILES = ("tests/evaldata.json", "tests/eval", "tests/cache")
METHODS = (
    "the text as scraped",
    "rules only",
    "jusText, lines",
    "cleaner",
    "cleaner, page URLs",
    "jusText, HTML",
    "trafilatura, HTML",
    "trafilatura, HTML, default",
    "cleaner, HTML",
)
#: The cleaner runs on the scraped lines: method, ``[boilerplate]`` settings, whether the
#: page's URL is given.
LINE_RUNS = {
    "rules only": ({"model": False}, False),
    "cleaner": ({}, False),
    "cleaner, page URLs": ({}, True),
}
GROUPS = ("fr", "en", "de", "other", "all")


def norm(text: str) -> str:
    """Spaces normalized, as trafilatura's benchmark does before looking for a snippet."""
    return re.sub(r"\s+", " ", text).strip()


def count_item(item: dict, result: str | None) -> tuple[int, int, int, int]:
    """A page's (tp, fp, fn, tn) over its snippets: trafilatura's ``count_item``."""
    text = norm(result) if isinstance(result, str) else None
    tp = sum(norm(w) in text for w in item["with"]) if text is not None else 0
    fp = sum(norm(w) in text for w in item["without"]) if text is not None else 0
    return tp, fp, len(item["with"]) - tp, len(item["without"]) - fp


def page_url(key: str) -> str | None:
    """A page's URL: its key in ``evaldata.json`` where that is one (a few keys are names,
    ``hard::cubadebate.cu-sesiona.html``, and one has a stray leading "x")."""
    key = key[1:] if key.startswith("xhttp") else key
    return key if key.startswith(("http://", "https://")) else None


def host(key: str) -> str:
    """A page's host: its URL's, else its file name up to a dash (``cubadebate.cu``)."""
    url = page_url(key)
    if url is not None:
        name = (urlsplit(url).hostname or "").lower()
    else:
        name = key.split(":")[-1].lower().removesuffix(".html").split("-")[0]
    return name[4:] if name.startswith("www.") else name


def unpack(repo: Path, into: Path) -> str:
    """The evaluation files of a trafilatura clone (work tree or bare) under ``into``; the
    commit they are from ("work tree" when it cannot be told)."""
    if (repo / "tests" / "evaldata.json").is_file():
        try:
            out = subprocess.run(
                ["git", "-C", str(repo), "rev-parse", "HEAD"], capture_output=True, text=True
            )
            commit = out.stdout.strip() or "work tree"
        except OSError:
            commit = "work tree"
        for name in EVAL_FILES:
            source = repo / name
            if source.exists():
                (into / name).parent.mkdir(parents=True, exist_ok=True)
                (into / name).symlink_to(source.resolve())
        return commit
    git = ["git", "--git-dir", str(repo)]
    commit = subprocess.run([*git, "rev-parse", "HEAD"], capture_output=True, text=True, check=True)
    tree = subprocess.run([*git, "ls-tree", "--name-only", "HEAD", "tests/"], capture_output=True,
                          text=True, check=True).stdout.split()  # fmt: skip
    names = [n for n in EVAL_FILES if n in tree]
    archive = subprocess.run([*git, "archive", "HEAD", *names], capture_output=True, check=True)
    tar_path = into / "eval.tar"
    tar_path.write_bytes(archive.stdout)
    with tarfile.open(tar_path) as tar:
        if hasattr(tarfile, "data_filter"):  # Python 3.11.4 and later: no path outside into
            tar.extractall(into, filter="data")
        else:
            tar.extractall(into)  # noqa: S202 - git archive of a tree: relative paths only
    return commit.stdout.strip()


def resolve(root: Path, name: str) -> Path | None:
    """Where a page's file is: ``tests/cache`` first, then ``tests/eval`` (trafilatura's order)."""
    for sub in ("cache", "eval"):
        path = root / "tests" / sub / name
        if path.is_file():
            return path
    return None


def peers(path: Path) -> dict:
    """One page's lines, jusText's and trafilatura's texts, and cleaner's HTML reading (in a
    worker process)."""
    import naive
    import trafilatura
    from bench_boilerplate import read_html_page
    from trafilatura.external import jt_stoplist_init

    raw = path.read_bytes()
    stoplist = jt_stoplist_init()
    out: dict = {"lines": naive.page_lines(raw)}
    text, _ = naive.decode_html(raw)
    escaped = (
        x.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") for x in out["lines"]
    )
    page = "<html><body>" + "".join(f"<p>{x}</p>" for x in escaped) + "</body></html>"
    out["jusText, lines"] = _justext(page.encode("utf-8"), stoplist)
    out["jusText, HTML"] = _justext(raw, stoplist)
    out["trafilatura, HTML"] = trafilatura.extract(
        text, fast=False, include_comments=False, include_tables=True, include_formatting=False
    )
    out["trafilatura, HTML, default"] = trafilatura.extract(text)
    out["html read"] = read_html_page(path)
    return out


def _justext(html: bytes, stoplist) -> str:
    """jusText with the settings of trafilatura's benchmark (``run_justext``)."""
    import justext

    try:
        paragraphs = justext.justext(html, stoplist, 50, 200, 0.1, 0.2, 0.2, 200, True)
    except Exception:  # noqa: BLE001 - jusText raises on some malformed pages
        return ""
    return " ".join(p.text for p in paragraphs if not p.is_boilerplate)


def run_lines(items: list[dict], lines: list[list[str]], settings: dict, with_url: bool):
    """The text a cleaner run keeps of each page's scraped lines (the lines as scraped)."""
    from cleaner import Config, Document, Pipeline, render_text

    config = Config().replace("boilerplate", **settings).replace("language", other_documents="keep")
    docs = [
        Document.from_text(
            "\n".join(page) + "\n",
            id=str(i),
            site=host(item["url"]),
            **({"url": page_url(item["url"])} if with_url and page_url(item["url"]) else {}),
        )
        for i, (item, page) in enumerate(zip(items, lines, strict=True))
    ]
    out = {}
    for doc in Pipeline(config).run(docs):
        page = lines[int(doc.id)]
        if len(doc.lines) != len(page):  # not one line a scraped line: the clean text itself
            out[int(doc.id)] = render_text(doc)
            continue
        out[int(doc.id)] = "\n".join(
            text for text, ln in zip(page, doc.lines, strict=True) if ln.kept
        )
    return [out.get(i, "") for i in range(len(items))]


def run_html(items: list[dict], read: list) -> list[str]:
    """cleaner's HTML path: each page's HTML reading through every stage."""
    from cleaner import Config, Document, Pipeline, render_text

    config = Config().replace("language", other_documents="keep")
    docs = [
        Document.from_paragraphs(
            str(i), found[0], metadata={**found[1], "format": "html", "site": host(item["url"])}
        )
        for i, (item, found) in enumerate(zip(items, read, strict=True))
        if found is not None
    ]
    texts = {int(doc.id): render_text(doc) for doc in Pipeline(config).run(docs)}
    return [texts.get(i, "") for i in range(len(items))]


def language(items: list[dict]) -> list[str]:
    """The language of each page's ``with`` snippets (its article's), grouped."""
    from cleaner.langid import get_identifier

    guesses = get_identifier("fasttext").detect([" ".join(item["with"]) for item in items])
    return [g.lang if g.lang in ("fr", "en", "de") else "other" for g in guesses]


def trained_hosts(data: Path) -> set[str] | None:
    """The hosts of the line dataset's training split (``None`` without the dataset)."""
    path = data / "pages.jsonl.gz"
    if not path.is_file():
        return None
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return {r["domain"] for r in map(json.loads, fh) if r["split"] == "train"}


def scores(counts: list[tuple[int, int, int, int]]) -> tuple[float, float, float, float]:
    tp, fp, fn, tn = (sum(c[k] for c in counts) for k in range(4))
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    accuracy = (tp + tn) / (tp + fp + fn + tn) if counts else 0.0
    f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    return precision, recall, accuracy, f1


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--trafilatura", type=Path, help="a clone of adbar/trafilatura (bare or not)")
    ap.add_argument("--data", type=Path, default=DATA_DIR / "build", help="built line dataset")
    ap.add_argument("--jobs", type=int, default=2, help="processes for jusText and trafilatura")
    ap.add_argument("--limit", type=int, help="score only the first N pages (by URL)")
    args = ap.parse_args(argv)
    if args.trafilatura is None or not args.trafilatura.exists():
        print(
            "bench_trafilatura_eval: no trafilatura clone given (--trafilatura DIR, or make bench "
            "TRAFILATURA=DIR, a clone of https://github.com/adbar/trafilatura) (skipped)"
        )
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        commit = unpack(args.trafilatura, Path(tmp))
        evaldata = json.loads((Path(tmp) / "tests" / "evaldata.json").read_text(encoding="utf-8"))
        urls = sorted(evaldata)[: args.limit] if args.limit else sorted(evaldata)
        found = [(u, resolve(Path(tmp), evaldata[u]["file"])) for u in urls]
        missing = [u for u, path in found if path is None]
        items = [{"url": u, **evaldata[u]} for u, path in found if path is not None]
        paths = [path for _, path in found if path is not None]
        t0 = time.perf_counter()
        if args.jobs > 1:
            with Pool(args.jobs) as pool:
                read = pool.map(peers, paths, chunksize=4)
        else:
            read = [peers(path) for path in paths]
        peer_seconds = time.perf_counter() - t0
    lines = [r["lines"] for r in read]
    texts = {m: [r[m] for r in read] for m in ("jusText, lines", "jusText, HTML")}
    texts.update(
        {m: [r[m] for r in read] for m in ("trafilatura, HTML", "trafilatura, HTML, default")}
    )
    texts["the text as scraped"] = ["\n".join(page) for page in lines]
    t0 = time.perf_counter()
    for method, (settings, with_url) in LINE_RUNS.items():
        texts[method] = run_lines(items, lines, settings, with_url)
    texts["cleaner, HTML"] = run_html(items, [r["html read"] for r in read])
    cleaner_seconds = time.perf_counter() - t0
    counts = {
        m: [count_item(item, t) for item, t in zip(items, texts[m], strict=True)] for m in METHODS
    }
    report(items, counts, language(items), trained_hosts(args.data), commit, missing)
    print(
        f"\njusText + trafilatura + reading: {peer_seconds:.1f} s in {args.jobs} processes; "
        f"cleaner's four runs: {cleaner_seconds:.1f} s in one"
    )
    return 0


def report(items, counts, langs, trained, commit, missing) -> None:
    print(f"trafilatura's evaluation pages, commit {commit}: {len(items)} pages, "
          f"{len({host(i['url']) for i in items})} hosts"
          + (f" ({len(missing)} listed pages absent from the clone, left out)" if missing else ""))  # fmt: skip
    subsets = {"all pages": [True] * len(items)}
    if trained is not None:
        unseen = [host(i["url"]) not in trained for i in items]
        subsets[f"hosts never trained on ({sum(unseen)} pages)"] = unseen
    else:
        print("(no line dataset given: the hosts it trained on cannot be left out)")
    for title, chosen in subsets.items():
        print(f"\n{title}: snippets found, as trafilatura's benchmark counts them")
        _table(counts, langs, chosen)
        pick = [k for k, ok in enumerate(chosen) if ok]
        for ours in ("cleaner", "cleaner, HTML"):
            diff = f1_difference(
                [_as_lines(counts[ours][k]) for k in pick],
                [_as_lines(counts["trafilatura, HTML"][k]) for k in pick],
                [host(items[k]["url"]) for k in pick],
            )
            print(f"F1 of {ours} minus trafilatura, HTML: {diff} (95 % interval, "
                  f"{diff.sites} hosts resampled {DRAWS:,} times)")  # fmt: skip


def _table(counts: dict, langs: list[str], chosen: list[bool]) -> None:
    """Each method's scores on the chosen pages, by language group; "missed": the pages none
    of whose must-hold snippets a method's text holds (an article lost whole)."""
    print(f"{'group':10} {'method':28} {'precision':>9} {'recall':>7} {'accuracy':>8} {'F1':>6} "
          f"{'missed':>6}")  # fmt: skip
    for g in GROUPS:
        pick = [k for k, (ok, lang) in enumerate(zip(chosen, langs, strict=True))
                if ok and (g == "all" or lang == g)]  # fmt: skip
        if not pick:
            continue
        for method in METHODS:
            p, r, a, f = scores([counts[method][k] for k in pick])
            missed = sum(counts[method][k][0] == 0 for k in pick)
            group = f"{g} {len(pick)}"
            print(f"{group:10} {method:28} {p:9.3f} {r:7.3f} {a:8.3f} {f:6.3f} {missed:6}")
        print()


def _as_lines(c: tuple[int, int, int, int]) -> tuple[int, int, int]:
    """Snippet counts (tp, fp, fn, tn) as :func:`~cleaner.linemodel.compare.page_counts`'s
    (kept, lost, chrome kept)."""
    tp, fp, fn, _ = c
    return tp, fn, fp


if __name__ == "__main__":
    sys.exit(main())
