"""The head of the article: put back the page's headline, and the standfirst under it, when
the walk starts the article below them.

A news page's headline is often separated from the first paragraph by a byline, a date, a
share bar or a photo credit. The walk then starts the article at the first paragraph: leaving
the article for the byline and coming back costs more than the headline's own score gains
(a headline is a short line without a full stop, like a menu item or another story's
headline). What tells it apart is that it shares the article's words: among the lines just
above the article's first line, the title-like line (a few words, no full stop, no date, URL,
separators or prompt, not a list item) that shares most words with the article's first lines
is the headline, if it shares at least two and enough of its own. Most words shared, not the
largest share: the site's name at the top of the page ("Le Journal du Berry") shares all its
words with a paragraph that quotes the paper, more than the headline shares of its own.
Words are compared by their first :data:`STEM_CHARS` characters (truncation stemming, so
"féminisme" meets "féministes", and a Polish or Russian noun its other cases), and text written
without spaces (Chinese, Japanese) by its pairs of characters.

Between the headline and the first paragraph, the lines that read as prose (a sentence of
:data:`LEAD_MIN_WORDS` words or more, without a date) are the standfirst (chapô) and join the
article too; the others (byline, date, share bar, credit) stay out, as chrome inside it. A
standfirst is read only under a headline found this way: above the article without one, a
sentence is as likely a teaser of another story.

A page's own title, where the record gives one (a scraper's ``title`` field, the HTML's
``<title>``), names the headline outright: the lines whose words are nearly all the title's
(:func:`title_lines`). The last of them above the article starts it, with the sentences
between them (:func:`with_record_title`); one inside the article is kept. Where the record
gives no title, the words of its URL stand in for it (:func:`url_title`), compared without
accents. Where the walk starts the article at the title's line, no other headline is looked
for above it (:func:`starts_at_title`). The walk itself is left as it is: forcing the headline into it (its probability set
to 0.9 or 0.99) scored lower in cross-validation by site than this pass after it.
"""

from __future__ import annotations

import bisect
import itertools
import math
import unicodedata
from collections.abc import Sequence
from urllib.parse import unquote, urlsplit

import numpy as np
import regex

from .decode import ARTICLE, INSIDE, without_sure_chrome
from .features import (
    FEATURE_NAMES,
    NOT_TITLE,
    TITLE_MAX_WORDS,
    TITLE_MIN_WORDS,
    _word_bytes,
    line_words,
)

#: How many lines above the article's first line the headline is looked for.
TITLE_WINDOW = 20
#: How many of the article's first lines its words are read from.
BODY_LINES = 8
#: The least share of the headline's words that the article's first lines must hold (the
#: words of at least :data:`MIN_WORD_BYTES` bytes, counted over their number plus one, so that
#: a line whose one long word is found is not all the article's).
TITLE_MIN_SHARE = 0.25
MIN_WORD_BYTES = 4
#: The characters of a word that are compared (a prefix of 5: a light stemmer for any
#: language written with spaces).
STEM_CHARS = 5
#: Runs of characters of the scripts written without spaces, compared by pairs of characters.
_UNSPACED = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Hangul}]{2,}")
#: The fewest of those words the headline must share with the article's first lines.
TITLE_MIN_SHARED = 2
#: The fewest words of a standfirst line (shorter sentences are mostly captions and prompts).
LEAD_MIN_WORDS = 10
_COLUMN = {name: i for i, name in enumerate(FEATURE_NAMES)}
_WORDS = _COLUMN["log_words"]
_NOT_TITLE = [_COLUMN[n] for n in NOT_TITLE]
#: A line is the record's title when this share of its words (stems, as :func:`title_words`
#: reads them; two at least) are the title's and they make up :data:`RECORD_TITLE_COVER` of
#: the title's words (a site's name after the headline in ``<title>`` takes some). Chosen by
#: cross-validation by site on the train pages, the pages' ``og:title`` (else ``<title>``) as
#: the record's title, fold draw 13: per-page F1 over all pages 0.8476 without titles, 0.8568
#: at 0.8 and 0.5, 0.8568 at 0.6 and 0.5, 0.8570 at 0.8 and 0.3, 0.8548 at 0.8 and 0.7,
#: 0.8561 at 1.0 and 0.5 (draw 7: 0.8462 -> 0.8559 at 0.8 and 0.5).
RECORD_TITLE_SHARE = 0.8
RECORD_TITLE_COVER = 0.5
#: A record's title this many lines below the walk's start at most is the article's start,
#: where the walk starts on no title line and no line above it is the title: the lines above
#: it are a menu, a breadcrumb, an author's other stories (the eighth audit's larep.fr and
#: village-justice.com pages), but a sentence there stays (a standfirst set above the
#: headline). Cross-validation by site on the train pages (two fold draws, titles and URLs
#: given, the lines earlier stages drop counted): pooled F1 over all pages 0.8572 -> 0.8577
#: and 0.8599 -> 0.8603, per page 0.8523 -> 0.8534 and 0.8538 -> 0.8548, French per page
#: 0.8936 -> 0.8954 and 0.8914 -> 0.8929; article lines kept per page 92.51 % -> 92.41 % and
#: 92.50 % -> 92.40 %. Sparing the title-like lines as well lost most of the gain (per page
#: 0.8526 and 0.8541). Where the record's title is a subheading just below another headline,
#: that headline goes.
TITLE_NEAR_LINES = 4
#: Characters of a record's title read (a title is a line; a longer one is not a headline).
RECORD_TITLE_MAX_CHARS = 1000
#: Where the record gives no title, its URL's words may (:func:`url_title`: at least
#: :data:`URL_TITLE_MIN_WORDS` of them); they have lost their accents and often their short
#: words, so a line is its title with a smaller share of its words (of 3 characters or more)
#: in it, holding a smaller share of the URL's. Chosen by cross-validation by site on the
#: train pages given their URLs alone (fold draw 13, per-page F1 0.8476 without): 0.8503 at
#: 0.8 and 0.5 with every word, 0.8503 with words of 3 characters or more, 0.8511 at 0.6 and
#: 0.5, 0.8513 at 0.6 and 0.4 (words of 3 or more; draw 7: 0.8462 -> 0.8498), 0.8511 at 0.5
#: and 0.4.
URL_TITLE_SHARE = 0.6
URL_TITLE_COVER = 0.4
URL_WORD_MIN_CHARS = 3
URL_TITLE_MIN_WORDS = 3
#: What :func:`head_marks` says of a line.
TITLE_LIKE, LEAD_LIKE = 1, 2


def title_like(features: np.ndarray) -> np.ndarray:
    """Which rows of ``features`` could be a headline, as the ``title_candidate`` feature
    reads them (3 to 25 words, no full stop, list mark, date, URL, separators or prompt), for
    a whole batch of pages at once."""
    words = np.rint(np.expm1(features[:, _WORDS]))
    fits = (words >= TITLE_MIN_WORDS) & (words <= TITLE_MAX_WORDS)
    return fits & ~features[:, _NOT_TITLE].any(axis=1)


def head_marks(features: np.ndarray) -> np.ndarray:
    """For each row of ``features``: :data:`TITLE_LIKE` (:func:`title_like`), :data:`LEAD_LIKE`
    (a sentence of :data:`LEAD_MIN_WORDS` words or more, without a date) or 0, for a whole
    batch of pages at once."""
    words = np.rint(np.expm1(features[:, _WORDS]))
    lead = (
        (words >= LEAD_MIN_WORDS)
        & (features[:, _COLUMN["end_terminal"]] > 0)
        & (features[:, _COLUMN["has_date"]] == 0)
    )
    marks = np.where(lead, LEAD_LIKE, 0).astype(np.int8)
    marks[title_like(features)] = TITLE_LIKE
    return marks


def with_title(states: np.ndarray, marks: np.ndarray, folded: Sequence[str]) -> np.ndarray:
    """``states`` (a page's walk) with the headline above the article, and the standfirst
    between them, put in it, if found; ``marks`` (:func:`head_marks`) and ``folded`` (the
    case-folded texts) are the page's lines'."""
    article = np.flatnonzero(states == ARTICLE)
    if not len(article):
        return states
    first = int(article[0])
    lo = max(0, first - TITLE_WINDOW)
    near = (np.flatnonzero(marks[lo:first] == TITLE_LIKE) + lo).tolist()
    if not near:
        return states
    body_lines = article[:BODY_LINES].tolist()
    words = title_words([folded[i] for i in near + body_lines])
    body = set().union(*words[len(near) :])
    best, best_key = None, (TITLE_MIN_SHARED, TITLE_MIN_SHARE)
    for i, own in zip(near, words, strict=False):
        key = _overlap(own, body)  # most words shared, then the largest share
        if key >= best_key and key[1] >= TITLE_MIN_SHARE:  # the nearest of equals
            best, best_key = i, key
    if best is None or _masthead(best, first, article, marks, folded):
        return states
    out = states.copy()
    out[best] = ARTICLE
    between = marks[best + 1 : first] == LEAD_LIKE
    out[best + 1 : first] = np.where(between, ARTICLE, INSIDE)
    return out


def title_lines(title: str, folded: Sequence[str], from_url: bool = False) -> list[int]:
    """The lines of a page (``folded``: case-folded texts) that are its record's ``title``:
    :data:`RECORD_TITLE_SHARE` of their words or more are the title's, and cover
    :data:`RECORD_TITLE_COVER` of its words. Words are compared as :func:`title_words`
    compares them (their first :data:`STEM_CHARS` characters, pairs of CJK characters).
    ``from_url``: ``title`` is the words of the page's URL (:func:`url_title`), which lose
    their accents and often their short words: compared without accents, words of
    :data:`URL_WORD_MIN_CHARS` or more only, with :data:`URL_TITLE_SHARE` and
    :data:`URL_TITLE_COVER`."""
    share, cover = (
        (URL_TITLE_SHARE, URL_TITLE_COVER) if from_url else (RECORD_TITLE_SHARE, RECORD_TITLE_COVER)
    )
    shortest = URL_WORD_MIN_CHARS if from_url else 1
    wanted = _stems([_plain(title[:RECORD_TITLE_MAX_CHARS].casefold(), from_url)], shortest)[0]
    if len(wanted) < 2 or not folded:
        return []
    fewest = max(2, math.ceil(cover * len(wanted)))
    # a line much longer than the title is not the title (a URL's words are fewer than its)
    longest = 3 * len(title) + 20 if from_url else 2 * len(title) + 1
    lines = [_plain(t.replace("\n", " ") if "\n" in t else t, from_url) for t in folded]
    near = [i for i in _lines_holding_one(wanted, fewest, lines) if len(lines[i]) <= longest]
    out = []
    for i, own in zip(near, _stems([lines[i] for i in near], shortest), strict=True):
        shared = len(own & wanted)
        if shared >= share * len(own) and shared >= fewest:
            out.append(i)
    return out


def url_title(url: str) -> str:
    """The words of ``url``'s path that may spell its page's title: those of its segment of
    most words (split at ``-``, ``_``, ``+`` and ``.``, an extension such as ``.html`` and
    numbers left out; ``/2024/05/greve-des-cheminots-le-trafic-perturbe.html`` gives "greve des
    cheminots le trafic perturbe"), "" with fewer than :data:`URL_TITLE_MIN_WORDS`."""
    try:
        path = unquote(urlsplit(url.strip()).path)
    except ValueError:
        return ""
    best: list[str] = []
    for segment in path.split("/"):
        words = [
            w for w in _URL_SPLIT.split(_URL_EXTENSION.sub("", segment)) if w and not w.isdigit()
        ]
        if len(words) > len(best):
            best = words
    return " ".join(best) if len(best) >= URL_TITLE_MIN_WORDS else ""


def _plain(text: str, plain: bool) -> str:
    """``text`` with its Latin letters' accents taken off if ``plain`` (letter for letter:
    positions stay)."""
    return text.translate(_NO_ACCENTS) if plain else text


def _no_accents() -> dict[int, str]:
    table = {}
    for code in range(0xC0, 0x250):
        decomposed = unicodedata.normalize("NFKD", chr(code))
        base = "".join(c for c in decomposed if not unicodedata.combining(c))
        if len(base) == 1 and base != chr(code):
            table[code] = base
    return table


_NO_ACCENTS = _no_accents()
_URL_SPLIT = regex.compile(r"[-_+.]+")
_URL_EXTENSION = regex.compile(r"\.(?:s?html?|php\d?|aspx?|jsp|cfm)$", regex.IGNORECASE)


def _lines_holding_one(wanted: set[str], fewest: int, lines: list[str]) -> list[int]:
    """The ``lines`` that hold, as text, one at least of the ``len(wanted) - fewest + 1``
    longest words of ``wanted``: a line holding ``fewest`` of them holds one of those.
    Searched in all the lines joined (a few C searches, where comparing every line's words
    is a page's worth of Python)."""
    probe = sorted(wanted, key=lambda w: (-len(w), w))[: len(wanted) - fewest + 1]
    text = _word_bytes("\n".join(lines)).decode("utf-8", "replace")
    hits = []
    for word in probe:
        at = text.find(word)
        while at >= 0:
            hits.append(at)
            at = text.find(word, at + 1)
    starts = list(itertools.accumulate((len(t) + 1 for t in lines[:-1]), initial=0))
    return sorted({bisect.bisect_right(starts, at) - 1 for at in hits})


def _stems(folded: Sequence[str], shortest: int = 1) -> list[set[str]]:
    """:func:`title_words` of some lines, as text (words of ``shortest`` characters or more):
    one pass over them all joined."""
    if not folded:
        return []
    text = "\n".join(t.replace("\n", " ") for t in folded)
    unspaced = _UNSPACED.search(text) is not None  # pairs of characters to add, somewhere
    out = []
    words_of = _word_bytes(text).decode("utf-8", "replace").split("\n")
    for line, words in zip(folded, words_of, strict=True):
        stems = {w[:STEM_CHARS] for w in words.split() if len(w) >= shortest}
        for run in _UNSPACED.findall(line) if unspaced else ():
            stems.update(run[i : i + 2] for i in range(len(run) - 1))
        out.append(stems)
    return out


def with_record_title(
    states: np.ndarray,
    marks: np.ndarray,
    titles: Sequence[int],
    sentences: np.ndarray | None = None,
) -> np.ndarray:
    """``states`` with the record's title put in the article: the last of the ``titles``
    lines (:func:`title_lines`) above the article starts it, the sentences between them
    (``marks``: :data:`LEAD_LIKE`) join it, the other lines between are chrome inside it; if
    none is above, those inside the article are kept, and where one is among its first
    :data:`TITLE_NEAR_LINES` lines (and the first is none), the lines above it are chrome
    inside it, but the sentences (``marks``: :data:`LEAD_LIKE`; ``sentences``: the lines
    that end one). Titles below it change nothing."""
    article = np.flatnonzero(states == ARTICLE)
    if not len(article) or not len(titles):
        return states
    first, last = int(article[0]), int(article[-1])
    out = states.copy()
    inside = [i for i in titles if first <= i <= last]
    if inside:
        out[inside] = ARTICLE
        top = [i for i in inside if first < i <= first + TITLE_NEAR_LINES]
        if top and first not in titles and not any(i < first for i in titles):
            # the walk began on a menu or a breadcrumb just above the headline
            kept = marks[first : top[0]] == LEAD_LIKE
            if sentences is not None:
                kept |= sentences[first : top[0]]
            out[first : top[0]] = np.where(kept, ARTICLE, INSIDE)
        return out
    above = [i for i in titles if i < first]
    if not above:
        return states
    best = above[-1]
    out[best] = ARTICLE
    between = marks[best + 1 : first] == LEAD_LIKE
    out[best + 1 : first] = np.where(between, ARTICLE, INSIDE)
    return out


def _masthead(
    best: int, first: int, article: np.ndarray, marks: np.ndarray, folded: Sequence[str]
) -> bool:
    """Whether ``best``, the headline found above the article, is rather the page's masthead:
    it is the page's first line, and the walk already starts the article at a title-like
    line that shares as many words or more with the article lines under it (a site's name on
    top of the page shares its words with an article that quotes the paper). Cross-validation
    by site found it level (two fold draws: the same on French pages, 0.8459 -> 0.8457 per page
    over all, six pages changed, three better); comparing the walk's first line with every
    line above, not only the first one, scored lower (0.8440)."""
    if best != 0 or marks[first] != TITLE_LIKE:
        return False
    below = article[1:BODY_LINES].tolist()
    words = title_words([folded[0], folded[first]] + [folded[i] for i in below])
    body = set().union(*words[2:])
    shared, share = _overlap(words[1], body)
    fits = shared >= TITLE_MIN_SHARED and share >= TITLE_MIN_SHARE
    return fits and shared >= _overlap(words[0], body)[0]


def _overlap(words: set[bytes], body: set[bytes]) -> tuple[int, float]:
    """How many of a line's words of :data:`MIN_WORD_BYTES` bytes or more ``body`` holds, and
    their share (counted over their number plus one)."""
    own = {w for w in words if len(w) >= MIN_WORD_BYTES}
    shared = len(own & body)
    return shared, shared / (len(own) + 1)


def title_words(folded: Sequence[str]) -> list[set[bytes]]:
    """The words of each case-folded line as the headline test compares them (UTF-8 bytes):
    each word cut to its first :data:`STEM_CHARS` characters, and each pair of characters
    of a run of Chinese, Japanese or Korean letters."""
    out = []
    for text, words in zip(folded, line_words(folded), strict=True):
        stems = {w.decode("utf-8", "replace")[:STEM_CHARS].encode("utf-8") for w in words}
        for run in _UNSPACED.findall(text):
            stems.update(run[i : i + 2].encode("utf-8") for i in range(len(run) - 1))
        out.append(stems)
    return out


def starts_at_title(states: np.ndarray, titles: Sequence[int]) -> bool:
    """Whether the article of ``states`` starts at one of the ``titles`` lines (the record's
    title, or its URL's words), or, where no title line is above it, finds one
    :data:`TITLE_NEAR_LINES` lines below its start at most: the headline is found, and the title-like line above it that
    shares most words with the article, which :func:`with_title` would put in, is chrome (a
    menu's "Le Conseil départemental" over "Jeux olympiques 2024 : …" on a page about the
    Département). Cross-validation by site on the train pages (two fold draws, given titles
    and URLs): per-page F1 0.8571 -> 0.8579 and 0.8560 -> 0.8569 over all pages, 0.8996 ->
    0.9016 and 0.9028 -> 0.9045 on French pages, article lines kept per page 93.28 % -> 93.23 %
    and 93.26 % -> 93.25 %; not looking above where a title line is anywhere above the
    article's start or in it kept 0.4 points fewer article lines."""
    if not len(titles):
        return False
    article = np.flatnonzero(states == ARTICLE)
    if not len(article):
        return False
    first = int(article[0])
    if first in titles:
        return True
    near = any(first < i <= first + TITLE_NEAR_LINES for i in titles)
    return near and not any(i < first for i in titles)


def article_states(
    walked: np.ndarray,
    marks: np.ndarray,
    folded: Sequence[str],
    probs: np.ndarray,
    sentences: np.ndarray,
    titles: Sequence[int] = (),
) -> np.ndarray:
    """The final region of each line of a page, as the stage and the training's scoring both
    decide it: the walk's states (``walked``) with the headline put back (:func:`with_title`),
    then the lines the model is sure are chrome (``probs``, after ``favor``'s move) taken out,
    title-like lines spared (:func:`~cleaner.linemodel.decode.without_sure_chrome`), then the
    record's title put in (``titles``: :func:`title_lines`; :func:`with_record_title`). Where
    the walk starts the article at one of the ``titles`` lines, no other headline is looked
    for above it (:func:`starts_at_title`)."""
    states = walked if starts_at_title(walked, titles) else with_title(walked, marks, folded)
    states = without_sure_chrome(states, walked, probs, marks == TITLE_LIKE, sentences)
    return with_record_title(states, marks, titles, sentences)
