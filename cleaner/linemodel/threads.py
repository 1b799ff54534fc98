"""Comment threads: the article does not go on below readers' comments.

Readers' comments are prose, often long, so the line model gives them an article's
probability; and when they outweigh the article (a page of a short piece followed by a hundred
comments) the walk takes them for the article and drops the piece itself. What tells a thread
apart is the furniture each comment carries, a line of its own the forum or blog software
writes: a reply button ("Répondre", "Reply", "Antworten", "Répondre à ce message"), the
commenter's name ("Marie dit :", "Scott says:", "Alex on September 17, 2018 at 6:34 am said:",
"Paul a répondu le 30 octobre 2012 à 11h45"), a Drupal or SPIP byline ("Soumis par X, le …",
"… par X en réponse à : …"), both with a date. Quote headers ("X wrote:", "X a écrit :") are
left out: forums quote posts inside posts that are the page's content. The marks are looked
for only where the line's features allow one (a short line, one ending with a colon, one with a
date), a batch at a time: a search of every line cost 15 % of the pipeline's time.

Where a page holds at least :data:`THREAD_MIN_MARKS` such lines close together (each within
:data:`MARK_REACH` lines of another) after one of its prose lines, the thread starts at the
first of them, or at the comment heading just above it ("10
réactions", "21 commentaires sur « … »", "Vous devez vous connecter pour poster un
commentaire"), and no line from there to the page's end may be in the article: the walk gets
them with a probability of zero, and finds the article above. A page whose comments come
before any prose (a forum's header, a page laid out comments first) is left as it is.

Chosen by cross-validation by site on the train pages (three fold draws): pooled F1 over all
pages 0.8604 -> 0.8620, 0.8564 -> 0.8575, 0.8553 -> 0.8562, per page +0.0012 to +0.0017,
French pooled 0.851 -> 0.918, 0.880 -> 0.916, 0.904 -> 0.929; seven pages changed, none for
the worse. Cutting only to a few lines past the last mark, or counting permalinks, "Report"
and "Posted by" lines as marks, did worse (blog posts carry those above their text): whole
articles were lost. Three marks at least, or the heading looked for 5 lines up or not at all,
did a little worse (pooled -0.0002 in each draw); 20 lines up, the same as 10. Marks with no
other within 10 lines are left out (a Drupal byline above the article's body would otherwise
start a thread there); in cross-validation that changed nothing (one page fewer has a thread,
its decisions the same).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import regex

from .features import (
    COMMENT_HEADINGS,
    FEATURE_NAMES,
    HEADING_MAX_CHARS,
    TITLED_COMMENT_HEADINGS,
    TITLED_HEADING_MAX_CHARS,
)

#: Reply buttons: the whole (case-folded) line.
_BUTTONS = frozenset(
    button + arrow
    for button in (
        "répondre", "reply", "antworten", "responder", "rispondi", "répondre à ce message",
        "signaler un abus", "report abuse",
    )
    for arrow in ("", " ↓", " →")
)  # fmt: skip
BUTTON_MAX_CHARS = max(map(len, _BUTTONS))
#: The commenter's name and a verb, ending with a colon ("marie dit :", "scott says:"); French
#: typography puts a no-break space (U+00A0 or U+202F, both ``\s``) before the colon.
_SIGNATURE = regex.compile(r".{1,40} (?:dit|says|said|sagt|dice|ha detto|a répondu|replied)\s?:")
SIGNATURE_MAX_CHARS = 55
#: Lines with a date: "paul a répondu le mardi 30 octobre 2012 à 11h45", a Drupal byline
#: "soumis par x, le lundi 29 octobre 2012 à 15h46", a SPIP one "le 3 juillet à 16:55, par x
#: en réponse à : …".
_DATED = regex.compile(
    r".{1,40} (?:dit|says|said|sagt|dice|ha detto|a répondu|replied) le .{0,60}"
    r"|(?:soumis par .{1,40}, le|submitted by .{1,40} on) .*"
    r"|.* en réponse à\s?:.*"
)
#: The fewest marks a page must hold to have a thread (one "Reply" may be anything).
THREAD_MIN_MARKS = 2
#: A mark counts only with another within this many lines: a thread's come close together (a
#: comment's signature above it, its reply button below), while a Drupal article's own byline
#: ("Soumis par X, le …" under its standfirst) stands alone above its body, as do the bylines
#: of other stories' teasers below it.
MARK_REACH = 10
#: How many lines above the first mark the thread's heading is looked for.
HEADING_REACH = 10
_COLUMN = {name: i for i, name in enumerate(FEATURE_NAMES)}


def thread_starts(pages: Sequence[Sequence[str]], features: np.ndarray) -> list[int | None]:
    """The first line of each page's comment thread, or ``None`` where it has none:
    ``pages`` holds the case-folded lines of each page, ``features`` their rows (one page
    under the other), which tell the prose lines, and the short lines, those ending with a
    colon or holding a date that the marks are looked for in (in one pass over the batch)."""
    marks = _marks(pages, features)
    prose = features[:, _COLUMN["prose"]] > 0
    out: list[int | None] = []
    first = 0
    for page, found in zip(pages, marks, strict=True):
        start = _start(page, found) if len(found) >= THREAD_MIN_MARKS else None
        if start is not None and not prose[first : first + start].any():
            start = None  # comments above any prose: no article above them to find
        out.append(start)
        first += len(page)
    return out


def _marks(pages: Sequence[Sequence[str]], features: np.ndarray) -> list[list[int]]:
    """The lines of each page that a thread's software writes for each comment."""
    chars = np.rint(np.expm1(features[:, _COLUMN["log_chars"]]))
    colon = features[:, _COLUMN["end_colon"]] > 0
    kinds = (
        (_BUTTONS.__contains__, chars <= BUTTON_MAX_CHARS),
        (_SIGNATURE.fullmatch, (chars <= SIGNATURE_MAX_CHARS) & colon),
        (_DATED.fullmatch, features[:, _COLUMN["has_date"]] > 0),
    )
    starts = np.cumsum([0] + [len(page) for page in pages])
    found: list[set[int]] = [set() for _ in pages]
    for test, where in kinds:
        rows = np.flatnonzero(where)
        of = np.searchsorted(starts, rows, side="right") - 1
        for p, i in zip(of.tolist(), (rows - starts[of]).tolist(), strict=True):
            if test(pages[p][i]):
                found[p].add(i)
    return [_close_together(sorted(f)) for f in found]


def _close_together(marks: list[int]) -> list[int]:
    """The ``marks`` (sorted) with another mark within :data:`MARK_REACH` lines."""
    return [
        i for k, i in enumerate(marks)
        if (k and i - marks[k - 1] <= MARK_REACH)
        or (k + 1 < len(marks) and marks[k + 1] - i <= MARK_REACH)
    ]  # fmt: skip


def _start(page: Sequence[str], marks: list[int]) -> int:
    """Where a thread whose marks are ``marks`` starts: at its heading, if one stands up to
    :data:`HEADING_REACH` lines above the first mark, else at that mark. A heading is as short
    as the section features want it: a prompt such as "leave a comment" may also end a
    paragraph of the article ("… don't hesitate to leave a comment or send an email")."""
    first = marks[0]
    for i in range(max(0, first - HEADING_REACH), first):
        text = page[i]
        if (len(text) <= HEADING_MAX_CHARS and COMMENT_HEADINGS.search(text)) or (
            len(text) <= TITLED_HEADING_MAX_CHARS and TITLED_COMMENT_HEADINGS.search(text)
        ):
            return i
    return first


def without_thread(probs: np.ndarray, start: int | None) -> np.ndarray:
    """``probs`` with the lines from ``start`` on (a thread's first line) given zero."""
    if start is None:
        return probs
    out = probs.copy()
    out[start:] = 0.0
    return out
