"""Templates and JSON for the report's pages: Jinja2 with HTML autoescape, and JSON safe inside a
``<script>`` element (how every piece of scraped text reaches a page)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import cache
from typing import Any

#: Colours of the reasons in bars and tags (a reason not listed is grey).
REASON_COLORS = {
    "duplicate_copy": "#e07b39",
    "duplicate_document": "#b5562a",
    "boilerplate_pattern": "#3d7dd8",
    "boilerplate_template": "#6a5acd",
    "boilerplate_model": "#7d9ec0",
    "scraper_leftover": "#8f9bb3",
    "source_metadata": "#2e9e8f",
    "empty_line": "#b0b6c3",
    "line_too_long": "#c0504d",
    "untranslatable": "#d4a017",
    "document_language": "#4b8f3a",
}


def script_json_text(value: Any) -> str:
    """JSON safe inside a <script> element: no "</script>", no "<!--", no entity surprises."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def script_json(value: Any) -> Any:
    from markupsafe import Markup

    return Markup(script_json_text(value))  # noqa: S704 - escaped for the script context


@cache
def _environment() -> Any:
    from jinja2 import Environment, PackageLoader, select_autoescape

    return Environment(
        loader=PackageLoader("cleaner", "report"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def template_chunks(name: str, **context: Any) -> Iterator[str]:
    """The rendered template, in chunks (a page may be spliced while it is written)."""
    return (
        _environment()
        .get_template(name)
        .generate(colors=REASON_COLORS, colors_json=script_json(REASON_COLORS), **context)
    )


def render_template(name: str, **context: Any) -> str:
    return "".join(template_chunks(name, **context))
