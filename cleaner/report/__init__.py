"""``DIR/report.html``: what a run cleaned, dropped, fixed and translated, and why.

One self-contained HTML file (styles and script inline, no network: a Content-Security-Policy
forbids it), built with Jinja2 from the run's output files (:mod:`cleaner.report.data`), so
``cleaner report DIR`` rebuilds it for any finished run. The overview is rendered up front; each
document's details sit in their own inert ``<script type="application/json">`` block and become
DOM only when the document is opened, so the page stays fast with thousands of documents. All
scraped text reaches the page as JSON (with ``<``, ``>`` and ``&`` escaped) and is inserted with
``textContent``, never as markup: a page containing ``<script>`` shows it as text.

A run builds most of the page in its workers: each shard, once its outputs are committed, reads
them back the same way and writes its documents' blocks and table rows next to them
(:func:`write_report_part`); the coordinator then only streams those parts into the page. A
missing part (a shard finished by a run without the report) falls back to reading the outputs,
and either way the page is byte for byte the same.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from ..errors import CleanerError
from .data import iter_documents, load_summary

REPORT = "report.html"
#: A shard's share of the page, next to its outputs: the documents' blocks, then their rows.
PART_BLOCKS = "report-details.part"
PART_ROWS = "report-rows.jsonl"
_CHUNK = 1 << 20

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


def detail_block(index: int, detail: dict[str, Any]) -> str:
    """One document's details: an inert JSON block the page's script reads when it is opened."""
    return f'<script type="application/json" id="doc-{index}">{_script_json(detail)}</script>\n'


def write_report_part(shard_out: Path, start: int) -> None:
    """A shard's blocks and rows, from the outputs in ``shard_out`` (its first document is the
    run's document number ``start``); each file written whole, then renamed."""
    blocks_tmp = shard_out / f".{PART_BLOCKS}.tmp"
    rows_tmp = shard_out / f".{PART_ROWS}.tmp"
    with (
        open(blocks_tmp, "w", encoding="utf-8", newline="\n") as blocks,
        open(rows_tmp, "w", encoding="utf-8", newline="\n") as rows,
    ):
        for i, (row, detail) in enumerate(iter_documents(shard_out), start):
            blocks.write(detail_block(i, detail))
            rows.write(json.dumps(row, ensure_ascii=False) + "\n")  # key order kept
    os.replace(rows_tmp, shard_out / PART_ROWS)
    os.replace(blocks_tmp, shard_out / PART_BLOCKS)


def _blocks_from_outputs(out_dir: Path, rows: list[dict[str, Any]]) -> Iterator[Any]:
    from markupsafe import Markup

    for i, (row, detail) in enumerate(iter_documents(out_dir)):
        rows.append(row)
        yield Markup(detail_block(i, detail))  # noqa: S704 - built from escaped JSON


# Where the shards' parts go in the page: the template renders this one block, and
# write_report copies the parts' bytes in its place (NUL never occurs in the rendered page: the
# JSON escapes it).
_PARTS_HERE = "\x00cleaner-report-parts\x00"


def _have_parts(parts: Sequence[Path] | None) -> bool:
    return parts is not None and all(
        (p / PART_BLOCKS).is_file() and (p / PART_ROWS).is_file() for p in parts
    )


def _stream(out_dir: Path, parts: Sequence[Path] | None = None) -> Iterator[str]:
    """The page's text in chunks; with ``parts`` (all present), the documents' blocks are the
    one placeholder ``_PARTS_HERE``."""
    from jinja2 import Environment, PackageLoader, select_autoescape
    from markupsafe import Markup

    summary = load_summary(out_dir)
    rows: list[dict[str, Any]] = []
    blocks: Iterable[Any]
    if parts is not None:
        for part in parts:
            with open(part / PART_ROWS, encoding="utf-8", newline="\n") as fh:
                rows.extend(json.loads(line) for line in fh)
        blocks = [Markup(_PARTS_HERE)]  # noqa: S704 - a placeholder, replaced by write_report
    else:
        blocks = _blocks_from_outputs(out_dir, rows)
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
        detail_blocks=blocks,
        config_json=json.dumps(summary["config"], indent=2, ensure_ascii=False, sort_keys=True),
        versions_json=json.dumps(summary["versions"], indent=2, ensure_ascii=False, sort_keys=True),
        translation_json=json.dumps(
            summary["translation"], indent=2, ensure_ascii=False, sort_keys=True
        ),
    )


def render_report(out_dir: Path) -> str:
    """The whole page as one string (for tests and small runs; ``write_report`` streams)."""
    return "".join(_stream(Path(out_dir)))


def write_report(out_dir: str | Path, parts: Sequence[Path] | None = None) -> Path:
    """(Re)build ``out_dir/report.html`` from the outputs there: streamed (memory holds one
    document at a time) and written atomically. ``parts``, the shards' output folders in
    order, supply the documents' blocks ready-made when every one holds its part."""
    out = Path(out_dir)
    target = out / REPORT
    tmp = out / f".{REPORT}.tmp-{os.getpid()}"
    ready = parts if _have_parts(parts) else None
    try:
        with open(tmp, "wb") as fh:
            for chunk in _stream(out, ready):
                if ready is not None and _PARTS_HERE in chunk:
                    before, after = chunk.split(_PARTS_HERE)
                    fh.write(before.encode("utf-8"))
                    for part in ready:  # the documents' blocks, as the workers wrote them
                        with open(part / PART_BLOCKS, "rb") as src:
                            shutil.copyfileobj(src, fh, _CHUNK)
                    chunk = after
                fh.write(chunk.encode("utf-8"))
        os.replace(tmp, target)
    except (OSError, ValueError, KeyError) as e:
        tmp.unlink(missing_ok=True)
        raise CleanerError(f"cannot build the report from {out}: {e}") from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return target


__all__ = ["REPORT", "render_report", "write_report", "write_report_part"]
