"""Train the line model on labelled pages (``cleaner boilerplate train``).

Labelled pages are JSON Lines, one page per record::

    {"id": "p1", "site": "example.org", "lines": ["Accueil", "Le texte..."], "labels": [0, 1]}

``labels`` gives 1 for each line of the article (title, headings, paragraphs, captions the
article needs), 0 for everything else; ``site`` (optional, else ``url``'s host) lets the
site-template counts be learnt. Each page goes through the pipeline's earlier stages exactly as
in a run (encoding, second copy, pattern rules, leftovers, site templates, near-duplicates), and
the lines still kept become the training rows, with the features the stage computes: so the
model learns what the rules leave to it.

Fitting needs scikit-learn (``pip install 'cleaner-news[train]'`` or the ``dev`` extra):
a logistic regression, its regularisation chosen by cross-validation grouped by site (pages of
one site are never on both sides), then the page walk's transitions counted from the labels and
its evidence weight chosen the same way. Everything is seeded: the same pages give the same
model, byte for byte.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ..config import Config
from ..document import Document
from ..errors import CleanerError, MissingDependencyError
from ..sites import host_of
from .decode import ARTICLE, Walk, regions_of, viterbi_many
from .features import batch_features
from .model import LineModel

#: Share of training pages also scored as if their language had no stoplist, so that the model
#: knows what to do with Chinese, Thai or any language jusText has no list for.
NO_STOPLIST_SHARE = 0.2
C_GRID = (0.01, 0.03, 0.1, 0.3, 1.0)
WEIGHT_GRID = (0.5, 0.75, 1.0, 1.5, 2.0)
FOLDS = 5
SEED = 13


@dataclass
class LabelledPage:
    id: str
    site: str
    lines: list[str]
    labels: list[int]
    lang: str | None = None


@dataclass
class Rows:
    """The training rows of some pages: features, labels, and which page and site each is."""

    features: list[np.ndarray] = field(default_factory=list)
    labels: list[np.ndarray] = field(default_factory=list)
    sites: list[str] = field(default_factory=list)


def read_labelled(paths: Iterable[str | Path]) -> Iterator[LabelledPage]:
    """Labelled pages from JSON Lines files (see the module's docstring)."""
    for path in paths:
        opener = _open_gzip if str(path).endswith(".gz") else open
        with opener(path) as fh:
            for lineno, raw in enumerate(fh, 1):
                if raw.strip():
                    yield _page(raw, f"{path}:{lineno}")


def _open_gzip(path):
    import gzip

    return gzip.open(path, "rt", encoding="utf-8")


def _page(raw: str, where: str) -> LabelledPage:
    try:
        d = json.loads(raw)
        lines, labels = d["lines"], d["labels"]
    except (json.JSONDecodeError, KeyError, TypeError) as e:
        raise CleanerError(f"{where}: not a labelled page ({e})") from None
    if not isinstance(lines, list) or not all(isinstance(x, str) for x in lines):
        raise CleanerError(f"{where}: 'lines' must be a list of strings")
    if not isinstance(labels, list) or len(labels) != len(lines) or set(labels) - {0, 1}:
        raise CleanerError(f"{where}: 'labels' must give 0 or 1 for each line")
    site = d.get("site") or host_of(d.get("url")) or ""
    return LabelledPage(str(d.get("id", where)), site, lines, labels, d.get("lang"))


def collect_rows(pages: list[LabelledPage], config: Config | None = None) -> Rows:
    """Run the pages through the earlier stages and compute the model's rows for the lines
    they leave (the stage's own feature code, with the run's site-template counts)."""
    from ..pipeline import Pipeline
    from ..stages.boilerplate_model import PageFeaturizer

    base = config or Config()
    cfg = base.replace("boilerplate", model=False)
    pipeline = Pipeline(cfg)
    docs = [
        Document.from_text("\n".join(p.lines) + "\n", id=p.id, site=p.site) for p in pages
    ]
    labelled = {p.id: p for p in pages}
    templates = next((s for s in pipeline.stages if s.name == "site_templates"), None)
    language = pipeline.language_stage
    featurizer = PageFeaturizer(lambda: language.identifier, templates)
    rng = random.Random(SEED)
    rows = Rows()
    done = [(doc, [ln for ln in doc.lines if ln.kept]) for doc in pipeline.run(docs)]
    done = [(doc, kept) for doc, kept in done if kept]
    langs = featurizer.page_languages([kept for _, kept in done])
    for (doc, kept), lang in zip(done, langs, strict=True):
        page = labelled[doc.id]
        if page.lang:
            lang = page.lang
        if rng.random() < NO_STOPLIST_SHARE:
            lang = "und"
        rows.features.append(batch_features([featurizer.page(doc, kept, lang)]))
        rows.labels.append(np.array([page.labels[ln.number - 1] for ln in kept], dtype=np.int64))
        rows.sites.append(page.site or doc.id)
    return rows


def fit(rows: Rows, about: dict[str, Any] | None = None) -> LineModel:
    """The line model and its walk, fitted on ``rows``."""
    try:
        from sklearn.linear_model import LogisticRegression
    except ImportError:
        raise MissingDependencyError(
            "training the line model needs scikit-learn: pip install scikit-learn"
        ) from None
    folds = _site_folds(rows.sites)
    X = np.concatenate(rows.features)
    y = np.concatenate(rows.labels)
    mean, scale = X.mean(axis=0), X.std(axis=0)
    scale[scale == 0] = 1.0
    Z = (X - mean) / scale
    page_of = np.repeat(np.arange(len(rows.labels)), [len(lab) for lab in rows.labels])
    best = None
    for c in C_GRID:
        probs = np.zeros(len(y))
        for fold in range(FOLDS):
            test = np.isin(page_of, np.flatnonzero(folds == fold))
            clf = LogisticRegression(C=c, max_iter=2000)
            clf.fit(Z[~test], y[~test])
            probs[test] = clf.predict_proba(Z[test])[:, 1]
        per_page = np.split(probs, np.cumsum([len(lab) for lab in rows.labels])[:-1])
        for weight in WEIGHT_GRID:
            walk = count_walk(rows.labels, weight)
            score = _f1(rows.labels, viterbi_many(per_page, walk))
            if best is None or score > best[0]:
                best = (score, c, weight)
    assert best is not None
    score, c, weight = best
    clf = LogisticRegression(C=c, max_iter=2000).fit(Z, y)
    info = dict(about or {})
    info.update(
        {
            "pages": len(rows.labels),
            "sites": len(set(rows.sites)),
            "lines": int(len(y)),
            "article_share": round(float(y.mean()), 4),
            "C": c,
            "cv_f1": round(float(score), 4),
        }
    )
    return LineModel(
        mean=mean,
        scale=scale,
        coef=clf.coef_[0].astype(np.float64),
        intercept=float(clf.intercept_[0]),
        walk=count_walk(rows.labels, weight),
        about=info,
    )


def count_walk(labels: list[np.ndarray], weight: float) -> Walk:
    """The walk's start and transition counts from labelled pages."""
    starts = np.zeros(4)
    transitions = np.zeros((4, 4))
    for page in labels:
        if not len(page):
            continue
        states = regions_of(page)
        starts[states[0]] += 1
        np.add.at(transitions, (states[:-1], states[1:]), 1)
    prior = float(np.concatenate(labels).mean()) if labels else 0.5
    return Walk.from_counts(starts, transitions, min(max(prior, 0.01), 0.99), weight)


def _site_folds(sites: list[str]) -> np.ndarray:
    """A fold for each page, the same for every page of a site (seeded)."""
    names = sorted(set(sites))
    random.Random(SEED).shuffle(names)
    fold_of = {name: i % FOLDS for i, name in enumerate(names)}
    return np.array([fold_of[s] for s in sites])


def _f1(labels: list[np.ndarray], states: list[np.ndarray]) -> float:
    truth = np.concatenate(labels).astype(bool)
    kept = np.concatenate(states) == ARTICLE
    tp = float((truth & kept).sum())
    if not tp:
        return 0.0
    precision, recall = tp / kept.sum(), tp / truth.sum()
    return 2 * precision * recall / (precision + recall)


@dataclass
class Scores:
    """Line-level scores of a cleaning on labelled pages (article lines are the positives)."""

    article_lines: int = 0
    chrome_lines: int = 0
    article_kept: int = 0
    chrome_removed: int = 0

    def add(self, labels: Iterable[int], kept: Iterable[bool]) -> None:
        for label, keep in zip(labels, kept, strict=True):
            if label:
                self.article_lines += 1
                self.article_kept += bool(keep)
            else:
                self.chrome_lines += 1
                self.chrome_removed += not keep

    @property
    def kept_share(self) -> float:
        return self.article_kept / self.article_lines if self.article_lines else 1.0

    @property
    def removed_share(self) -> float:
        return self.chrome_removed / self.chrome_lines if self.chrome_lines else 1.0

    @property
    def f1(self) -> float:
        kept_chrome = self.chrome_lines - self.chrome_removed
        tp = self.article_kept
        if not tp:
            return 0.0
        precision = tp / (tp + kept_chrome)
        recall = tp / self.article_lines
        return 2 * precision * recall / (precision + recall)


def evaluate(pages: list[LabelledPage], config: Config | None = None) -> dict[str, Scores]:
    """Run the pipeline's cleaning (no translation) over labelled pages; scores by language
    (the page's ``lang``, else ``und``) and over all pages (``all``)."""
    from ..pipeline import Pipeline

    pipeline = Pipeline(config or Config())
    docs = [
        Document.from_text("\n".join(p.lines) + "\n", id=p.id, site=p.site) for p in pages
    ]
    by_id = {p.id: p for p in pages}
    scores: dict[str, Scores] = {"all": Scores()}
    for doc in pipeline.run(docs):
        page = by_id[doc.id]
        kept = [ln.kept for ln in doc.lines]
        for key in ("all", page.lang or "und"):
            scores.setdefault(key, Scores()).add(page.labels, kept)
    return scores
