"""Keeping Latin names and numbers intact through the translation of a CJK fragment.

``Salesforce Inc.前联席首席执行官Bret Taylor。`` must come back as French with ``Salesforce Inc.``
and ``Bret Taylor`` unchanged. The fragment is first translated whole (the model sees the names
in context, and Argos models copy Latin names through); every protected item is then checked in
the output. If one is missing or altered, the fragment is translated again piece by piece: only
its CJK runs go to the model, and the protected items are put back between them verbatim.
"""

from __future__ import annotations

import regex

#: A Latin name or number: Latin letters and digits, with the inner dots, spaces, hyphens,
#: apostrophes and ampersands of names like "Inc.", "Bret Taylor", "AT&T", "13,5".
_PROTECTED = regex.compile(
    r"[\p{Latin}\p{N}](?:[\p{Latin}\p{N}&'’.,%+\-]|[ \u00a0](?=[\p{Latin}\p{N}]))*"
)
_TRAILING = ",-+&'’"


def protected_items(text: str) -> list[str]:
    """The Latin names and numbers in ``text``, in order (trailing commas/hyphens left out)."""
    return [
        m.group().rstrip(_TRAILING) for m in _PROTECTED.finditer(text) if m.group().strip(_TRAILING)
    ]


def survived(items: list[str], translation: str) -> bool:
    """Whether every protected item appears verbatim in the translation (as often as in the
    source)."""
    for item in set(items):
        if translation.count(item) < items.count(item):
            return False
    return True


def split_runs(text: str) -> list[tuple[str, bool]]:
    """``text`` cut into ``(piece, protected)`` runs, in order, covering it exactly."""
    out: list[tuple[str, bool]] = []
    pos = 0
    for m in _PROTECTED.finditer(text):
        item = m.group().rstrip(_TRAILING)
        if not item:
            continue
        start, end = m.start(), m.start() + len(item)
        if start > pos:
            out.append((text[pos:start], False))
        out.append((item, True))
        pos = end
    if pos < len(text):
        out.append((text[pos:], False))
    return out


_SPACE_BEFORE_CLOSER = regex.compile(r"\s+([.,)\]»”])")


def join_runs(parts: list[str]) -> str:
    """Join translated and protected pieces with single spaces, tidy before closing marks."""
    joined = " ".join(p.strip() for p in parts if p.strip())
    return _SPACE_BEFORE_CLOSER.sub(r"\1", joined)
