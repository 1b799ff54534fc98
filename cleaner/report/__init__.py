"""``DIR/report.html``: what a run cleaned, dropped, fixed and translated, and why.

One self-contained HTML file (styles and script inline, no network: a Content-Security-Policy
forbids it), built with Jinja2 from the run's output files (:mod:`cleaner.report.data`), so
``cleaner report DIR`` rebuilds it for any finished run. The overview is rendered up front; each
document's details sit in their own inert ``<script type="application/json">`` block and become
DOM only when the document is opened, so the page stays fast with thousands of documents. All
scraped text reaches the page as JSON (with ``<``, ``>`` and ``&`` escaped) and is inserted with
``textContent``, never as markup: a page containing ``<script>`` shows it as text.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..errors import CleanerError
from .data import iter_documents, load_summary

REPORT = "report.html"

REASON_COLORS = {
    "duplicate_copy": "#e07b39",
    "duplicate_document": "#b5562a",
    "boilerplate_pattern": "#3d7dd8",
    "boilerplate_frequent": "#6a5acd",
    "scraper_leftover": "#8f9bb3",
    "source_metadata": "#2e9e8f",
    "empty_line": "#b0b6c3",
    "line_too_long": "#c0504d",
    "untranslatable": "#d4a017",
}
STAGE_COLORS = [
    "#2f6fde",
    "#e07b39",
    "#2e9e5b",
    "#a05fc4",
    "#d4a017",
    "#c0504d",
    "#2e9e8f",
    "#8f9bb3",
]


def _script_json(value: Any) -> Any:
    """JSON safe inside a <script> element: no "</script>", no "<!--", no entity surprises."""
    from markupsafe import Markup

    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)  # noqa: S704 - escaped for the script context above


class _LateJSON:
    """JSON of a list that is complete only once the template has walked the documents (the
    table's rows are gathered while each document's details are streamed out)."""

    def __init__(self, value: list[Any]) -> None:
        self.value = value

    def __html__(self) -> str:
        return str(_script_json(self.value))

    __str__ = __html__


def _stream(out_dir: Path) -> Iterator[str]:
    from jinja2 import Environment, PackageLoader, select_autoescape

    summary = load_summary(out_dir)
    rows: list[dict[str, Any]] = []

    def details() -> Iterator[Any]:
        for row, detail in iter_documents(out_dir):
            rows.append(row)
            yield _script_json(detail)

    env = Environment(
        loader=PackageLoader("cleaner", "report"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    template = env.get_template("template.html.j2")
    return template.generate(
        s=summary,
        colors=REASON_COLORS,
        stage_colors=STAGE_COLORS,
        rows_json=_LateJSON(rows),
        colors_json=_script_json(REASON_COLORS),
        details_json=details(),
        config_json=json.dumps(summary["config"], indent=2, ensure_ascii=False, sort_keys=True),
        versions_json=json.dumps(summary["versions"], indent=2, ensure_ascii=False, sort_keys=True),
        translation_json=json.dumps(
            summary["translation"], indent=2, ensure_ascii=False, sort_keys=True
        ),
    )


def render_report(out_dir: Path) -> str:
    """The whole page as one string (for tests and small runs; ``write_report`` streams)."""
    return "".join(_stream(Path(out_dir)))


def write_report(out_dir: str | Path) -> Path:
    """(Re)build ``out_dir/report.html`` from the outputs there: streamed (memory holds one
    document at a time) and written atomically."""
    out = Path(out_dir)
    target = out / REPORT
    tmp = out / f".{REPORT}.tmp-{os.getpid()}"
    try:
        with open(tmp, "w", encoding="utf-8") as fh:
            for chunk in _stream(out):
                fh.write(chunk)
        os.replace(tmp, target)
    except (OSError, ValueError, KeyError) as e:
        tmp.unlink(missing_ok=True)
        raise CleanerError(f"cannot build the report from {out}: {e}") from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return target


__all__ = ["REPORT", "render_report", "write_report"]
