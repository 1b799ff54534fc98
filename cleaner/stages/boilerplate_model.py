"""Find the article in a page of text lines from any site: the line model and the page walk.

Each kept line gets its article probability from the trained line model
(:mod:`cleaner.linemodel`: features of the line, of its neighbours, of its place against the
page's main run of prose, and how often the run and the line's site repeat it); then the page
is decoded as a whole (:mod:`cleaner.linemodel.decode`): before the article, the article,
chrome inside it, after it; the headline just above the article is put back in it, and so is
the page's title where its record gives one (:mod:`cleaner.linemodel.title`); a page's
comment thread may not be in the article at all (:mod:`cleaner.linemodel.threads`). Lines
the walk puts outside the article are dropped as ``boilerplate_model``, with the score, the
region and the features that pushed the line towards chrome as evidence.

The page's language, for the stopword features, is identified from its longest lines; a page
in a language with no stoplist is scored without them (the model is trained for that too).
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Callable, Sequence
from typing import cast

import numpy as np

from .. import reasons
from ..document import Document, Line, folded_texts
from ..langid import LanguageIdentifier
from ..langid.shortcut import prepare_for_score, score_reaches
from ..linemodel.decode import AFTER, ARTICLE, STATE_NAMES, shift_odds, viterbi_many
from ..linemodel.features import FEATURE_NAMES, PageLines, batch_features
from ..linemodel.model import LineModel
from ..linemodel.stoplists import stoplist
from ..linemodel.threads import thread_starts, without_thread
from ..linemodel.title import article_states, head_marks, title_lines, url_title
from ..sites import page_url
from .base import Stage
from .site_templates import SiteTemplateFilter

#: Characters of a page's longest lines read to identify its language (fastText's cost grows
#: with the length; its answer on a few lines of prose does not change).
LANGUAGE_SAMPLE_CHARS = 250
#: ...from at most this many lines.
LANGUAGE_SAMPLE_LINES = 8
#: A sample scoring this much with the target language's function words (the stray-language
#: stage's shortcut, twice its per-line threshold) is taken as the target language without
#: calling the language-ID model: most pages of a run are.
SHORTCUT_MIN_SCORE = 10
#: Below this probability the page's language is unknown (no stopword features).
LANGUAGE_MIN_PROB = 0.5


def _cut(text: str, limit: int) -> str:
    """The first ``limit`` characters of ``text``, cut at a space when there is one."""
    if len(text) <= limit:
        return text
    space = text.rfind(" ", limit // 2, limit)
    return text[: space if space > 0 else limit]


class _Folded(Sequence[str]):
    """The case-folded texts of some lines, folded when read (the title and the thread marks
    look at a few)."""

    def __init__(self, lines: list[Line]) -> None:
        self.lines = lines

    def __len__(self) -> int:
        return len(self.lines)

    def __getitem__(self, i):  # type: ignore[override]
        return self.lines[i].folded()


#: The drops whose lines may be headings of a comment section or of other stories.
_HEADING_DROPS = frozenset((reasons.BOILERPLATE_PATTERN, reasons.BOILERPLATE_TEMPLATE))
#: The column that says a line ends a sentence: the walk keeps at least one such line.
_END_TERMINAL = FEATURE_NAMES.index("end_terminal")


def dropped_headings(doc: Document) -> list[tuple[int, str]]:
    """The lines of ``doc`` the pattern library or the site templates dropped, each with the
    index (among the kept lines) of the kept line after it: what the section features read as
    headings (case-folded)."""
    out = []
    kept = 0
    for line in doc.lines:
        if line.kept:
            kept += 1
        elif line.reason in _HEADING_DROPS:
            out.append((kept, line.folded()))
    return out


#: What a paywall prompt says when the page's text stops there: the rest is not readable
#: ("Il vous reste 57 % de cet article à lire", "La suite est réservée aux abonnés", "Pour
#: lire la suite", "Cet article est réservé aux abonnés"; not "Article réservé à nos
#: abonnés", a label sites put above the headline).
TRUNCATION = re.compile(
    r"il vous reste \d+([.,]\d+)?\s?% de (cet |l['’])article"
    r"|(la suite|cet article|ce contenu) est r[ée]serv[ée]e? (aux|à nos) abonn"
    r"|pour lire la suite|subscribe to (continue|keep) reading"
)


def truncation_at(doc: Document) -> tuple[int, int] | None:
    """Where ``doc``'s readable text stops: ``(index among the kept lines of the first kept
    line after it, the number of the line)`` of the first line the pattern library dropped as
    a paywall prompt that says the text stops (:data:`TRUNCATION`), below a kept line; None
    if there is none. On the train pages, the 5 such prompts have 497 lines below them, none
    of them the article's."""
    kept = 0
    for line in doc.lines:
        if line.kept:
            kept += 1
        elif kept and (line.detail or {}).get("rule") == "paywall" and _truncates(line):
            return kept, line.number
    return None


def _truncates(line: Line) -> bool:
    return TRUNCATION.match(line.folded()) is not None


class PageFeaturizer:
    """The feature matrix of a page's kept lines, as the line model reads it: the page's
    language (for its stoplist) and the site-template counts of the run, if any."""

    def __init__(
        self,
        identifier: Callable[[], LanguageIdentifier],
        templates: SiteTemplateFilter | None = None,
        token_weights: dict[bytes, float] | None = None,
        target: str = "fr",
    ) -> None:
        self._identifier = identifier
        self.templates = templates
        self.token_weights = token_weights
        self.target = target

    def page(self, doc: Document, lines: list[Line], lang: str) -> PageLines:
        """What the features need of ``doc``'s kept ``lines``, with ``lang``'s stoplist."""
        page = PageLines([ln.text for ln in lines], folded_texts(lines), stoplist(lang))
        page.dropped_headings = dropped_headings(doc)
        if self.templates is not None:
            run, site, others = self.templates.counts_of(doc, lines)
            page.run_documents = np.asarray(run, dtype=np.float64)
            page.site_documents = np.asarray(site, dtype=np.float64)
            page.other_sites = np.asarray(others, dtype=np.float64)
        return page

    def features(self, pages: list[tuple[Document, list[Line]]]) -> np.ndarray:
        """The feature matrix of the kept lines of several pages, one under the other."""
        langs = self.page_languages([lines for _, lines in pages])
        return batch_features(
            [self.page(doc, lines, lang) for (doc, lines), lang in zip(pages, langs, strict=True)],
            self.token_weights,
        )

    def page_languages(self, pages: list[list[Line]]) -> list[str]:
        """The language of each page, from a sample of its longest lines."""
        samples = []
        for lines in pages:
            # the longest lines, up to LANGUAGE_SAMPLE_CHARS (one or two prose lines, mostly)
            texts = heapq.nlargest(LANGUAGE_SAMPLE_LINES, (ln.text for ln in lines), key=len)
            sample, size = [], 0
            for text in texts:
                sample.append(text)
                size += len(text)
                if size >= LANGUAGE_SAMPLE_CHARS:
                    break
            samples.append(_cut(" ".join(sample), 2 * LANGUAGE_SAMPLE_CHARS))
        langs = [
            self.target if score_reaches(prepare_for_score(s), self.target, SHORTCUT_MIN_SCORE)
            else None
            for s in samples
        ]  # fmt: skip
        rest = [i for i, lang in enumerate(langs) if lang is None]
        guesses = self._identifier().detect([samples[i] for i in rest]) if rest else []
        for i, g in zip(rest, guesses, strict=True):
            langs[i] = g.lang if g.prob >= LANGUAGE_MIN_PROB else "und"
        return cast(list[str], langs)


def page_title(doc: Document, field: str = "title") -> str:
    """The page's title: its record's ``field`` (a JSON Lines or Parquet column), else the
    title its reader or the second-copy stage found (an HTML page's ``<title>``, the line
    above a second copy); "" when there is none or ``field`` is ""."""
    if not field:
        return ""
    fields = doc.metadata.get("fields")
    value = fields.get(field) if isinstance(fields, dict) else None
    if not isinstance(value, str) or not value.strip():
        value = doc.metadata.get("title")
    return value.strip() if isinstance(value, str) else ""


def title_of(doc: Document, field: str = "title", from_url: bool = True) -> tuple[str, bool]:
    """The page's title (:func:`page_title`), else, if ``from_url``, its URL's words
    (:func:`~cleaner.linemodel.title.url_title`), and whether it is those."""
    title = page_title(doc, field)
    if title or not from_url:
        return title, False
    words = url_title(page_url(doc))
    return words, bool(words)


class BoilerplateModelFilter(Stage):
    """Drop the lines of a page that the line model and the page walk put outside the article."""

    name = "boilerplate_model"

    def __init__(
        self,
        model: LineModel,
        featurizer: PageFeaturizer,
        shift: float = 0.0,
        title_field: str = "title",
        url_titles: bool = True,
    ) -> None:
        super().__init__()
        self.model = model
        self.featurizer = featurizer
        #: Added to each line's log-odds before the walk (``[boilerplate] favor``); the score
        #: given as evidence is the model's own.
        self.shift = shift
        #: The record field naming the page's title (``[boilerplate] title_field``; "": none).
        self.title_field = title_field
        #: Whether a page with no title is given its URL's words (``[boilerplate] url_title``).
        self.url_titles = url_titles

    def process(self, doc: Document) -> None:
        self.process_batch([doc])

    def process_batch(self, docs: list[Document]) -> None:
        pages = [(doc, kept) for doc in docs if (kept := [ln for ln in doc.lines if ln.kept])]
        if not pages:
            return
        features = self.featurizer.features(pages)
        probs = self.model.probabilities(features)
        bounds = np.cumsum([len(kept) for _, kept in pages])[:-1]
        per_page = np.split(probs, bounds)
        sentences = np.split(features[:, _END_TERMINAL] > 0, bounds)
        folded = [_Folded(kept) for _, kept in pages]
        threads = thread_starts(folded, features)
        # a paywall's end of the text counts below some prose only (a sentence above it)
        cuts = [
            cut if cut is not None and ends[: cut[0]].any() else None
            for cut, ends in zip((truncation_at(doc) for doc, _ in pages), sentences, strict=True)
        ]
        shifted = [
            without_thread(shift_odds(p, self.shift), _first(start, cut and cut[0]))
            for p, start, cut in zip(per_page, threads, cuts, strict=True)
        ]
        walks = viterbi_many(shifted, self.model.walk, sentences)
        titles = np.split(head_marks(features), bounds)
        for (doc, kept), folded_page, page, p, moved, walked, marks, ends, thread, cut in zip(
            pages, folded, np.split(features, bounds), per_page, shifted, walks, titles,
            sentences, threads, cuts, strict=True,
        ):  # fmt: skip
            named = self._title_lines(doc, kept)
            states = article_states(walked, marks, folded_page, moved, ends, named)
            if cut is not None:  # no headline or title line below the text's end either
                states[cut[0] :][states[cut[0] :] == ARTICLE] = AFTER
            self._drop(kept, page, p, states, thread, cut)

    def _title_lines(self, doc: Document, lines: list[Line]) -> list[int]:
        """The kept ``lines`` that are the page's title (:func:`page_title`), else its URL's
        words (:func:`~cleaner.linemodel.title.url_title`), counted."""
        title, from_url = title_of(doc, self.title_field, self.url_titles)
        if not title:
            return []
        found = title_lines(title, [ln.folded() for ln in lines], from_url)
        kind = "url_titles" if from_url else "titles"
        self.counts[f"{kind}_given"] += 1
        if found:
            self.counts[f"{kind}_matched"] += 1
        return found

    def _drop(
        self, lines: list[Line], features: np.ndarray, probs, states, thread, cut=None
    ) -> None:
        """Drop the lines ``states`` puts outside the article, with the model's evidence and,
        for those of a comment thread (from line ``thread`` on), the thread's first line; for
        those below a paywall prompt that ends the text (``cut``: :func:`truncation_at`), the
        prompt's line."""
        out = np.flatnonzero(states != ARTICLE)
        pinned = [i for i in out.tolist() if lines[i].pinned is not None]
        if pinned:  # a keep rule of the pattern library matched them
            out = np.setdiff1d(out, pinned)
            self.counts["pinned_spared"] += len(pinned)
        if not len(out):
            return
        contributions = self.model.contributions(features[out])
        strongest = np.argsort(contributions, axis=1, kind="stable")[:, :3]
        # where the walk found the article: a line it puts before or after it, or inside it,
        # is read against that stretch (a line the model scored high lies outside it)
        kept = np.flatnonzero(states == ARTICLE)
        bounds = [lines[kept[0]].number, lines[kept[-1]].number] if len(kept) else None
        for row, i in enumerate(out.tolist()):
            evidence = {
                "score": round(float(probs[i]), 3),
                "region": STATE_NAMES[states[i]],
                "article_lines": bounds,
                "features": {
                    FEATURE_NAMES[j]: round(float(contributions[row, j]), 2)
                    for j in strongest[row].tolist()
                },
            }
            if thread is not None and i >= thread:
                evidence["comment_thread_from_line"] = lines[thread].number
            if cut is not None and i >= cut[0]:
                evidence["below_paywall_line"] = cut[1]
            lines[i].drop(reasons.BOILERPLATE_MODEL, **evidence)
        self.counts[reasons.BOILERPLATE_MODEL] += len(out)


def _first(*starts: int | None) -> int | None:
    """The smallest of ``starts`` that is not None (None if all are)."""
    known = [start for start in starts if start is not None]
    return min(known) if known else None
