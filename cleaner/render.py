"""The last step: turn an annotated document into clean text, rejects and fragments."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .document import ROLE_TITLE, Document, Line, Span

#: Rejected text longer than this is cut in rejects.jsonl (the length is recorded).
REJECT_TEXT_LIMIT = 2000


def render_line(line: Line) -> str:
    """The line's text with any translated fragments spliced in.

    A translation glued to a word on either side (CJK needs no spaces, French does) gets a
    space there.
    """
    if not line.spans:
        return line.text  # most lines
    return splice_line(line)[0]


def splice_line(line: Line) -> tuple[str, list[tuple[int, int, Span]]]:
    """:func:`render_line`, and where each translated fragment landed in its text:
    ``(start, end, span)``, offsets into the rendered text."""
    translated = [s for s in line.spans if s.translation is not None]
    if not translated:
        return line.text, []
    text = line.text
    out: list[str] = []
    placed: list[tuple[int, int, Span]] = []
    length = pos = 0
    for s in sorted(translated, key=lambda s: s.start):
        out.append(text[pos : s.start])
        length += s.start - pos
        piece = s.translation or ""
        before = text[s.start - 1] if s.start > 0 else ""
        after = text[s.end] if s.end < len(text) else ""
        lead = before and not before.isspace() and before not in "(«“'’" and piece[:1].isalnum()
        if lead:
            out.append(" ")
            length += 1
        placed.append((length, length + len(piece), s))
        out.append(piece)
        length += len(piece)
        if (
            (after.isalnum() or (after and after in "(（«“"))
            and piece[-1:]
            and not piece[-1:].isspace()
        ):
            out.append(" ")
            length += 1
        pos = s.end
    out.append(text[pos:])
    return "".join(out), placed


def ordered_kept_lines(doc: Document) -> list[Line]:
    """The kept lines in clean-text order: the title first (if one was found), then the rest."""
    kept = [ln for ln in doc.lines if ln.kept]
    titles = [ln for ln in kept if ln.role == ROLE_TITLE]
    if titles:
        kept = titles + [ln for ln in kept if ln.role != ROLE_TITLE]
    return kept


def clean_lines(doc: Document) -> list[str]:
    """The clean paragraphs: the title first (if one was found), then the kept lines in order."""
    return [ln.text if not ln.spans else render_line(ln) for ln in ordered_kept_lines(doc)]


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
    for pair in doc.pairs:
        if pair.kept:
            continue
        yield {
            "doc": doc.id,
            "line": pair.line,
            "sentence": pair.index,
            "reason": pair.reason,
            "text": pair.source,
            "translation": pair.target,
            "detail": pair.detail or {},
        }


def fragment_records(doc: Document, target: str | None = None) -> Iterator[dict[str, Any]]:
    """One record per fragment of a kept line; ``direction`` when translation was attempted."""
    for line in doc.lines:
        if not line.kept:
            continue
        for span in line.spans:
            record = {
                "doc": doc.id,
                "line": line.number,
                "start": span.start,
                "end": span.end,
                "text": span.text,
                "lang": span.lang,
                "kind": span.kind,
                "translation": span.translation,
                "pivot": span.pivot,
                "packages": list(span.packages),
                "protected": list(span.protected),
                "problem": span.problem,
            }
            if target is not None:
                record["direction"] = f"{span.lang}→{target}"
            yield record
