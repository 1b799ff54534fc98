"""Train the line model on labelled pages (``cleaner boilerplate train``).

Labelled pages are JSON Lines, one page per record::

    {"id": "p1", "site": "example.org", "lines": ["Accueil", "Le texte..."], "labels": [0, 1]}

``labels`` gives 1 for each line of the article (title, headings, paragraphs, captions the
article needs), 0 for everything else; ``site`` (optional, else ``url``'s host) lets the
site-template counts be learnt; ``title`` (optional) is the page's title as its record would
give it, and ``url``'s words stand in for it where it has none, as in a run
(``[boilerplate] title_field`` and ``url_title``). Each page goes through the pipeline's
earlier stages exactly as in a run (encoding, second copy, pattern rules, leftovers, site
templates), and the lines still kept become the training rows, with the features the stage
computes: so the model learns what the rules leave to it.

Fitting needs scikit-learn (the ``train`` extra: ``pip install -e '.[train]'``):
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
from .compare import page_counts
from .decode import ARTICLE, Walk, regions_of, viterbi_many
from .features import FEATURE_NAMES, batch_features, line_tokens
from .model import LineModel
from .threads import thread_starts, without_thread
from .title import article_states, head_marks, title_lines

#: Share of training pages also learnt from cut down to their article and a few lines around it
#: (0 to 4 before, 0 to 6 after), as a scraper that found most of the article gives them: the
#: benchmark pages hold every line of the HTML, the pages cleaner meets are often partly
#: extracted already, and the model must know both.
CROP_SHARE = 0.5
#: Share of training pages also scored as if their language had no stoplist, so that the model
#: knows what to do with Chinese, Thai or any language jusText has no list for.
NO_STOPLIST_SHARE = 0.2
C_GRID = (0.1, 0.3, 1.0, 3.0)
WEIGHT_GRID = (0.5, 0.75, 1.0, 1.5)
FOLDS = 3
SEED = 13
#: The seeds of the fold draws whose mean F1 chooses C and the walk's weight. One draw is too
#: noisy a judge: on the line dataset with its last 20 French training pages, the first draw
#: alone chose C = 1.0, and C = 3.0 did better on the mean of these three draws in every
#: language group (walk weight 0.5, the uncropped pages: pooled F1 over all pages 0.8559
#: against 0.8550, per page 0.8362 against 0.8347, French 0.906 against 0.904).
FOLD_DRAWS = (SEED, 7, 11)
MAX_ITER = 5000
#: The smallest spread of a feature over the training rows that scales it (model files keep
#: six decimals).
MIN_SCALE = 1e-5
#: Words of short lines found in fewer lines than this get no weight of their own.
MIN_WORD_LINES = 5
#: Word weights closer to 0 than this are left out of the model file.
MIN_WORD_WEIGHT = 0.02


@dataclass
class LabelledPage:
    id: str
    site: str
    lines: list[str]
    labels: list[int]
    lang: str | None = None
    #: The page's title as its record gives it ("" if none).
    title: str = ""
    #: The page's URL ("" if none).
    url: str = ""


@dataclass
class Rows:
    """The training rows of some pages: features, labels, and which page and site each is."""

    ids: list[str] = field(default_factory=list)
    #: The case-folded text of each row's line, page by page.
    folded: list[list[str]] = field(default_factory=list)
    features: list[np.ndarray] = field(default_factory=list)
    labels: list[np.ndarray] = field(default_factory=list)
    sites: list[str] = field(default_factory=list)
    #: The rows that are the page's title (:func:`~cleaner.linemodel.title.title_lines`).
    titles: list[list[int]] = field(default_factory=list)


def read_labelled(paths: Iterable[str | Path]) -> Iterator[LabelledPage]:
    """Labelled pages from JSON Lines files, UTF-8 (a byte-order mark is skipped), gzipped
    when their name ends with ``.gz`` (see the module's docstring)."""
    import gzip

    for path in paths:
        opener = gzip.open if str(path).endswith(".gz") else open
        try:
            with opener(path, "rb") as fh:
                for lineno, raw in enumerate(fh, 1):
                    where = f"{path}:{lineno}"
                    try:
                        text = raw.decode("utf-8-sig" if lineno == 1 else "utf-8")
                    except UnicodeDecodeError as e:
                        raise CleanerError(f"{where}: not UTF-8 text ({e.reason})") from None
                    if text.strip():
                        yield _page(text, where)
        except (OSError, EOFError) as e:  # gzip.BadGzipFile is an OSError
            raise CleanerError(f"{path}: cannot read it: {e}") from None


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
    if not lines:
        raise CleanerError(f"{where}: a page without lines")
    broken = next((i for i, x in enumerate(lines, 1) if "\n" in x or "\r" in x), None)
    if broken is not None:  # a page is read one paragraph per line: it would be two lines
        raise CleanerError(f"{where}: line {broken} holds a line break")
    for key in ("site", "url", "lang", "title"):
        if d.get(key) is not None and not isinstance(d[key], str):
            raise CleanerError(f"{where}: '{key}' must be a string (or null)")
    site = d.get("site") or host_of(d.get("url")) or ""
    lang, title, url = d.get("lang") or None, d.get("title") or "", d.get("url") or ""
    return LabelledPage(str(d.get("id", where)), site, lines, labels, lang, title, url)


def training_rows(
    pages: list[LabelledPage], config: Config | None = None, crop_share: float = CROP_SHARE
) -> Rows:
    """The rows of ``pages`` and of a share of them cut down to their article (in a run of
    their own, so that a page and its crop do not make each other's lines site templates)."""
    rows = collect_rows(pages, config)
    crops = crop_pages(pages, crop_share)
    if crops:
        more = collect_rows(crops, config)
        for name in ("ids", "folded", "features", "labels", "sites", "titles"):
            getattr(rows, name).extend(getattr(more, name))
    return rows


def crop_pages(pages: list[LabelledPage], share: float) -> list[LabelledPage]:
    """A seeded ``share`` of the pages, cut down to their article lines and a few around."""
    rng = random.Random(SEED)
    out = []
    for page in pages:
        if rng.random() >= share:
            continue
        hits = [i for i, label in enumerate(page.labels) if label]
        if not hits:
            continue
        a = max(0, hits[0] - rng.randint(0, 4))
        b = min(len(page.lines), hits[-1] + 1 + rng.randint(0, 6))
        lines, labels = page.lines[a:b], page.labels[a:b]
        crop = LabelledPage(
            f"{page.id}#crop", page.site, lines, labels, page.lang, page.title, page.url
        )
        out.append(crop)
    return out


def collect_rows(pages: list[LabelledPage], config: Config | None = None) -> Rows:
    """Run the pages through the earlier stages and compute the model's rows for the lines
    they leave (the stage's own feature code, with the run's site-template counts)."""
    from ..pipeline import Pipeline
    from ..stages.boilerplate_model import PageFeaturizer, title_of
    from ..stages.site_templates import SiteTemplateFilter

    base = config or Config()
    # the model's own decisions are what is learnt; near-duplicate pages are rows like others,
    # and so are pages in other languages (the model is for pages in any language)
    cfg = base.replace("boilerplate", model=False).replace("dedup", documents=False)
    cfg = cfg.replace("language", other_documents="keep")
    pipeline = Pipeline(cfg)
    docs = [_document(p) for p in pages]
    labelled = {p.id: p for p in pages}
    templates = next((s for s in pipeline.stages if isinstance(s, SiteTemplateFilter)), None)
    language = pipeline.language_stage
    featurizer = PageFeaturizer(lambda: language.identifier, templates, None, cfg.language.target)
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
        rows.ids.append(doc.id)
        rows.folded.append([ln.folded() for ln in kept])
        title, from_url = title_of(doc, cfg.boilerplate.title_field, cfg.boilerplate.url_title)
        rows.titles.append(title_lines(title, rows.folded[-1], from_url) if title else [])
    return rows


def _document(page: LabelledPage) -> Document:
    """The page as a run reads it: one line a paragraph, its site, its title and URL if it
    has them."""
    text = "\n".join(page.lines) + "\n"
    known = {key: value for key in ("title", "url") if (value := getattr(page, key))}
    return Document.from_text(text, id=page.id, site=page.site, **known)


def fit(rows: Rows, about: dict[str, Any] | None = None) -> LineModel:
    """The line model and its walk, fitted on ``rows``."""
    try:
        from sklearn.linear_model import LogisticRegression
    except ImportError:
        raise MissingDependencyError(
            "training the line model needs scikit-learn: pip install scikit-learn "
            "(or install cleaner with its 'train' extra)"
        ) from None
    _check_trainable(rows)
    y = np.concatenate(rows.labels)
    dense = np.concatenate(rows.features)
    mean, scale = dense.mean(axis=0), dense.std(axis=0)
    # a feature (nearly) constant over the pages says nothing: scaled by 1, not by a spread
    # that the model file's six decimals would write as 0 (a division by zero when loaded)
    scale[scale < MIN_SCALE] = 1.0
    lexical = FEATURE_NAMES.index("lexical")
    mean[lexical], scale[lexical] = 0.0, 1.0  # its value is a sum of word weights already
    vocabulary, words = _word_matrix(rows)
    X = _design(dense, mean, scale, words)
    scores = _grid_scores(rows, X, y, dense)
    score, c, weight = max((score, c, w) for (c, w), score in scores.items())
    clf = LogisticRegression(C=c, max_iter=MAX_ITER).fit(X, y)
    coef = clf.coef_[0].astype(np.float64)
    dense_coef, word_coef = coef[: len(FEATURE_NAMES)], coef[len(FEATURE_NAMES) :]
    dense_coef[lexical] = 1.0
    token_weights = {
        token: round(float(w), 4)
        for token, w in zip(vocabulary, word_coef.tolist(), strict=True)
        if abs(w) >= MIN_WORD_WEIGHT
    }
    info = dict(about or {})
    info.update(
        {
            "pages": len(rows.labels),
            "sites": len(set(rows.sites)),
            "lines": int(len(y)),
            "article_share": round(float(y.mean()), 4),
            "words": len(token_weights),
            "C": c,
            "cv_f1": round(float(score), 4),
            "cv_draws": len(FOLD_DRAWS),
        }
    )
    return LineModel(
        mean=mean,
        scale=scale,
        coef=dense_coef,
        intercept=float(clf.intercept_[0]),
        walk=count_walk(rows.labels, weight),
        token_weights=token_weights,
        about=info,
    )


def _word_matrix(rows: Rows):
    """The words of the short lines seen in at least :data:`MIN_WORD_LINES` lines, and a
    sparse matrix of which line holds which."""
    from scipy import sparse

    tokens = [t for page in rows.folded for t in line_tokens(page)]
    counts: dict[bytes, int] = {}
    for line in tokens:
        for token in line:
            counts[token] = counts.get(token, 0) + 1
    vocabulary = sorted(t for t, n in counts.items() if n >= MIN_WORD_LINES)
    index = {t: i for i, t in enumerate(vocabulary)}
    r, c = [], []
    for i, line in enumerate(tokens):
        for token in line:
            j = index.get(token)
            if j is not None:
                r.append(i)
                c.append(j)
    shape = (len(tokens), len(vocabulary))
    return vocabulary, sparse.csr_matrix((np.ones(len(r)), (r, c)), shape=shape)


def _design(dense: np.ndarray, mean: np.ndarray, scale: np.ndarray, words):
    from scipy import sparse

    return sparse.hstack([sparse.csr_matrix((dense - mean) / scale), words]).tocsr()


def _grid_scores(rows: Rows, X, y: np.ndarray, dense: np.ndarray) -> dict[tuple, float]:
    """The mean F1, over the fold draws :data:`FOLD_DRAWS` (folds by site), of each ``(C,
    walk weight)`` of the grids: out-of-fold probabilities, then the decoding as shipped."""
    from sklearn.linear_model import LogisticRegression

    page_of = np.repeat(np.arange(len(rows.labels)), [len(lab) for lab in rows.labels])
    bounds = np.cumsum([len(lab) for lab in rows.labels])[:-1]
    threads = thread_starts(rows.folded, dense)
    marks = np.split(head_marks(dense), bounds)
    sentences = np.split(dense[:, FEATURE_NAMES.index("end_terminal")] > 0, bounds)
    walks_of = {weight: count_walk(rows.labels, weight) for weight in WEIGHT_GRID}
    scores: dict[tuple, float] = {}
    for seed in FOLD_DRAWS:
        folds = _site_folds(rows.sites, seed)
        for c in C_GRID:
            probs = np.zeros(len(y))
            for fold in range(FOLDS):
                test = np.isin(page_of, np.flatnonzero(folds == fold))
                if not test.any():  # the fold's pages have no line the earlier stages left
                    continue
                clf = LogisticRegression(C=c, max_iter=MAX_ITER).fit(X[~test], y[~test])
                probs[test] = clf.predict_proba(X[test])[:, 1]
            per_page = [
                without_thread(p, start)
                for p, start in zip(np.split(probs, bounds), threads, strict=True)
            ]
            for weight, walk in walks_of.items():
                walks = viterbi_many(per_page, walk, sentences)
                states = [
                    article_states(s, m, folded, p, e, t)
                    for s, m, folded, p, e, t in zip(
                        walks, marks, rows.folded, per_page, sentences, rows.titles, strict=True
                    )
                ]
                score = _f1(rows.labels, states) / len(FOLD_DRAWS)
                scores[(c, weight)] = scores.get((c, weight), 0.0) + score
    return scores


def count_walk(labels: list[np.ndarray], weight: float) -> Walk:
    """The walk's start, transition and end counts from labelled pages."""
    starts = np.zeros(4)
    transitions = np.zeros((4, 4))
    ends = np.zeros(4)
    for page in labels:
        if not len(page):
            continue
        states = regions_of(page)
        starts[states[0]] += 1
        ends[states[-1]] += 1
        np.add.at(transitions, (states[:-1], states[1:]), 1)
    prior = float(np.concatenate(labels).mean()) if labels else 0.5
    return Walk.from_counts(starts, transitions, min(max(prior, 0.01), 0.99), weight, ends)


def _check_trainable(rows: Rows) -> None:
    """A one-line error for rows a model cannot be fitted on: both kinds of line are needed, in
    every cross-validation fold's training part, and so pages of :data:`FOLDS` sites at least."""
    sites = len(set(rows.sites))
    if sites < FOLDS:
        raise CleanerError(
            f"training needs pages of {FOLDS} sites at least (the settings are chosen by "
            f"cross-validation grouped by site); these pages come from {sites}"
        )
    folds = _site_folds(rows.sites)
    for fold in range(FOLDS):
        train = [lab for lab, f in zip(rows.labels, folds, strict=True) if f != fold]
        kinds = set(np.concatenate(train).tolist()) if train else set()
        if kinds != {0, 1}:
            raise CleanerError(
                "training needs both article lines (1) and other lines (0) on the pages of "
                "every group of sites; label more pages, of more sites"
            )


def _site_folds(sites: list[str], seed: int = SEED) -> np.ndarray:
    """A fold for each page, the same for every page of a site (a draw seeded with ``seed``)."""
    names = sorted(set(sites))
    random.Random(seed).shuffle(names)
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
        labels = list(labels)
        tp, fn, fp = page_counts(labels, kept)
        self.article_lines += tp + fn
        self.article_kept += tp
        self.chrome_lines += len(labels) - tp - fn
        self.chrome_removed += len(labels) - tp - fn - fp

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


def clean_labelled(pages: list[LabelledPage], config: Config | None = None) -> list[list[bool]]:
    """Which lines of each page the pipeline's cleaning (no translation) keeps, page by page.
    Pages in another language than the run's are kept as they are (``[language]
    other_documents = "keep"``): what is scored is finding the article, in any language."""
    from ..pipeline import Pipeline

    config = (config or Config()).replace("language", other_documents="keep")
    docs = [_document(p) for p in pages]
    return [[ln.kept for ln in doc.lines] for doc in Pipeline(config).run(docs)]


def score_by_language(pages: list[LabelledPage], kept: list[list[bool]]) -> dict[str, Scores]:
    """Scores of a cleaning's ``kept`` lines (:func:`clean_labelled`), by the pages' language
    (``lang``, else ``und``) and over all pages (``all``)."""
    scores: dict[str, Scores] = {"all": Scores()}
    for page, page_kept in zip(pages, kept, strict=True):
        for key in ("all", page.lang or "und"):
            scores.setdefault(key, Scores()).add(page.labels, page_kept)
    return scores
