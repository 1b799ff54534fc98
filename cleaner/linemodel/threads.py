"""Comment threads: the article does not go on below readers' comments.

Readers' comments are prose, often long, so the line model gives them an article's
probability; and when they outweigh the article (a page of a short piece followed by a hundred
comments) the walk takes them for the article and drops the piece itself. What tells a thread
apart is the furniture each comment carries, a line of its own the forum or blog software
writes: a reply button ("Répondre", "Reply", "Antworten", "Répondre à ce message"), the
commenter's name ("Marie dit :", "Scott says:", "Alex on September 17, 2018 at 6:34 am said:",
"Paul a répondu le 30 octobre 2012 à 11h45"), a Drupal or SPIP byline ("Soumis par X, le …",
"… par X en réponse à : …"). Quote headers ("X wrote:", "X a écrit :") are left out: forums
quote posts inside posts that are the page's content.

Where a page holds at least :data:`THREAD_MIN_MARKS` such lines after one of its prose lines,
the thread starts at the first of them, or at the comment heading just above it ("10
réactions", "21 commentaires sur « … »", "Vous devez vous connecter pour poster un
commentaire"), and no line from there to the page's end may be in the article: the walk gets
them with a probability of zero, and finds the article above. A page whose comments come
before any prose (a forum's header, a page laid out comments first) is left as it is.

Chosen by cross-validation by site on the train pages (three fold draws): pooled F1 over all
pages 0.8604 -> 0.8620, 0.8564 -> 0.8575, 0.8553 -> 0.8562, per page +0.0012 to +0.0017,
French pooled 0.851 -> 0.918, 0.880 -> 0.916, 0.904 -> 0.929; seven pages changed, none for
the worse. Cutting only to a few lines past the last mark, or counting permalinks, "Report"
and "Posted by" lines as marks, did worse (blog posts carry those above their text).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import regex

from .features import _COMMENTS, _TITLED_COMMENTS, TITLED_HEADING_MAX_CHARS

#: The lines a comment thread's software writes for each comment, matched on the whole
#: (case-insensitive) line.
_MARK = regex.compile(
    r"(?i)(?:répondre|reply|antworten|responder|rispondi|répondre à ce message"
    r"|signaler un abus|report abuse)[\s↓→]*"
    r"|.{1,40} (?:dit|says|said|sagt|dice|ha detto|a répondu|replied)(?: ?:| le .{0,40})"
    r"|(?:soumis par .{1,40}, le|submitted by .{1,40} on) .*"
    r"|.*\ben réponse à ?:.*"
)
#: The longest line read as a mark.
MARK_MAX_CHARS = 160
#: The fewest marks a page must hold to have a thread (one "Reply" may be anything).
THREAD_MIN_MARKS = 2
#: How many lines above the first mark the thread's heading is looked for.
HEADING_REACH = 10


def thread_start(texts: Sequence[str], prose: np.ndarray) -> int | None:
    """The first line of the comment thread of a page of ``texts`` (``prose``: which lines
    are prose, as the ``prose`` feature reads them), or ``None`` if it has none."""
    marks = [
        i for i, text in enumerate(texts)
        if len(text) <= MARK_MAX_CHARS and _MARK.fullmatch(text)
    ]  # fmt: skip
    if len(marks) < THREAD_MIN_MARKS:
        return None
    first = marks[0]
    for i in range(max(0, first - HEADING_REACH), first):
        text = texts[i].casefold()
        if len(text) <= TITLED_HEADING_MAX_CHARS and (
            _COMMENTS.search(text) or _TITLED_COMMENTS.search(text)
        ):
            first = i
            break
    return first if prose[:first].any() else None


def without_thread(probs: np.ndarray, start: int | None) -> np.ndarray:
    """``probs`` with the lines from ``start`` on (a thread's first line) given zero."""
    if start is None:
        return probs
    out = probs.copy()
    out[start:] = 0.0
    return out
