"""The last step: turn an annotated document into clean text, rejects and fragments."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .document import ROLE_TITLE, Document, Line

#: Rejected text longer than this is cut in rejects.jsonl (the length is recorded).
REJECT_TEXT_LIMIT = 2000


def render_line(line: Line) -> str:
    """The line's text with any translated fragments spliced in."""
    if not line.spans:
        return line.text  # most lines
    translated = [s for s in line.spans if s.translation is not None]
    if not translated:
        return line.text
    out: list[str] = []
    pos = 0
    for s in sorted(translated, key=lambda s: s.start):
        out.append(line.text[pos : s.start])
        out.append(s.translation or "")
        pos = s.end
    out.append(line.text[pos:])
    return "".join(out)


def clean_lines(doc: Document) -> list[str]:
    """The clean paragraphs: the title first (if one was found), then the kept lines in order."""
    kept = [ln for ln in doc.lines if ln.kept]
    titles = [ln for ln in kept if ln.role == ROLE_TITLE]
    if titles:
        kept = titles + [ln for ln in kept if ln.role != ROLE_TITLE]
    return [ln.text if not ln.spans else render_line(ln) for ln in kept]


def render_text(doc: Document) -> str:
    """Clean text: one paragraph per line, ending with a newline (empty if nothing is kept)."""
    lines = clean_lines(doc)
    return "\n".join(lines) + "\n" if lines else ""


def reject_records(doc: Document) -> Iterator[dict[str, Any]]:
    for line in doc.lines:
        if line.kept:
            continue
        record: dict[str, Any] = {
            "doc": doc.id,
            "line": line.number,
            "reason": line.reason,
            "text": line.original,
        }
        if len(line.original) > REJECT_TEXT_LIMIT:
            record["text"] = line.original[:REJECT_TEXT_LIMIT]
            record["text_truncated_from"] = len(line.original)
        if line.detail:
            record["detail"] = line.detail
        yield record


def fragment_records(doc: Document) -> Iterator[dict[str, Any]]:
    for line in doc.lines:
        if not line.kept:
            continue
        for span in line.spans:
            yield {
                "doc": doc.id,
                "line": line.number,
                "start": span.start,
                "end": span.end,
                "text": span.text,
                "lang": span.lang,
                "kind": span.kind,
                "translation": span.translation,
                "pivot": span.pivot,
            }
