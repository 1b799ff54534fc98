"""``DIR/report.html``: what a run cleaned, dropped, fixed and translated, and why.

One self-contained HTML file (styles and script inline, no network: a Content-Security-Policy
forbids it), built with Jinja2 from the run's output files (:mod:`cleaner.report.data`), so
``cleaner report DIR`` rebuilds it for any finished run. The overview is rendered up front; each
document's details sit in their own inert ``<script type="application/json">`` block and become
DOM only when the document is opened, so the page stays fast with thousands of documents. All
scraped text reaches the page as JSON (with ``<``, ``>`` and ``&`` escaped) and is inserted with
``textContent``, never as markup: a page containing ``<script>`` shows it as text.

The documents' blocks and the table's rows are written as *parts* (:func:`write_report_part`)
and spliced into the rendered template as bytes, so memory does not grow with the run. A run
writes one part per shard in its workers, once the shard's outputs are committed (read back the
same way), and the coordinator only copies them; ``cleaner report DIR``, or a run where a shard
lacks its part (finished by a run without the report), writes one part from the committed
outputs. Either way the page is byte for byte the same.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, BinaryIO

from ..errors import CleanerError
from .data import iter_documents, load_summary

REPORT = "report.html"
#: A shard's share of the page, next to its outputs: its documents' blocks, and their table
#: rows (one JSON per line, escaped for a <script> element like the rest of the page's JSON).
PART_BLOCKS = "report-details.part"
PART_ROWS = "report-rows.jsonl"
_CHUNK = 1 << 20

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


def _script_json_text(value: Any) -> str:
    """JSON safe inside a <script> element: no "</script>", no "<!--", no entity surprises."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _script_json(value: Any) -> Any:
    from markupsafe import Markup

    return Markup(_script_json_text(value))  # noqa: S704 - escaped for the script context


def detail_block(index: int, detail: dict[str, Any]) -> str:
    """One document's details: an inert JSON block the page's script reads when it is opened."""
    return (
        f'<script type="application/json" id="doc-{index}">{_script_json_text(detail)}</script>\n'
    )


def write_report_part(outputs: Path, start: int, dest: Path | None = None) -> None:
    """The blocks and rows of the documents whose outputs are in ``outputs`` (the first is the
    run's document number ``start``), into ``dest`` (default: ``outputs``); each file written
    whole, then renamed."""
    dest = outputs if dest is None else dest
    blocks_tmp = dest / f".{PART_BLOCKS}.tmp"
    rows_tmp = dest / f".{PART_ROWS}.tmp"
    try:
        with (
            open(blocks_tmp, "w", encoding="utf-8", newline="\n") as blocks,
            open(rows_tmp, "w", encoding="utf-8", newline="\n") as rows,
        ):
            for i, (row, detail) in enumerate(iter_documents(outputs), start):
                blocks.write(detail_block(i, detail))
                rows.write(_script_json_text(row) + "\n")
        os.replace(rows_tmp, dest / PART_ROWS)
        os.replace(blocks_tmp, dest / PART_BLOCKS)
    finally:
        blocks_tmp.unlink(missing_ok=True)
        rows_tmp.unlink(missing_ok=True)


def _has_part(folder: Path) -> bool:
    return (folder / PART_BLOCKS).is_file() and (folder / PART_ROWS).is_file()


# Where the parts go in the rendered template: these two strings, replaced by the parts' bytes
# (NUL never occurs in the rendered page otherwise: its JSON escapes it).
_BLOCKS_HERE = "\x00cleaner-report-blocks\x00"
_ROWS_HERE = "\x00cleaner-report-rows\x00"


def _template_chunks(summary: dict[str, Any]) -> Iterator[str]:
    from jinja2 import Environment, PackageLoader, select_autoescape
    from markupsafe import Markup

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
        detail_blocks=Markup(_BLOCKS_HERE),  # noqa: S704 - placeholders, see _write_page
        rows_json=Markup(_ROWS_HERE),  # noqa: S704
        colors_json=_script_json(REASON_COLORS),
        config_json=json.dumps(summary["config"], indent=2, ensure_ascii=False, sort_keys=True),
        versions_json=json.dumps(summary["versions"], indent=2, ensure_ascii=False, sort_keys=True),
        translation_json=json.dumps(
            summary["translation"], indent=2, ensure_ascii=False, sort_keys=True
        ),
    )


def _copy_blocks(parts: Sequence[Path], fh: BinaryIO) -> None:
    for part in parts:
        with open(part / PART_BLOCKS, "rb") as src:
            shutil.copyfileobj(src, fh, _CHUNK)


def _copy_rows(parts: Sequence[Path], fh: BinaryIO) -> None:
    """The rows as one JSON array: the lines of every part, comma-separated."""
    fh.write(b"[")
    sep = b""
    for part in parts:
        with open(part / PART_ROWS, "rb") as src:
            for line in src:
                fh.write(sep + line.rstrip(b"\n"))
                sep = b","
    fh.write(b"]")


def _write_page(summary: dict[str, Any], parts: Sequence[Path], fh: BinaryIO) -> None:
    splice = {_BLOCKS_HERE: _copy_blocks, _ROWS_HERE: _copy_rows}
    for chunk in _template_chunks(summary):
        for marker, copy in splice.items():
            if marker in chunk:
                before, chunk = chunk.split(marker)
                fh.write(before.encode("utf-8"))
                copy(parts, fh)
        fh.write(chunk.encode("utf-8"))


def _page(out_dir: Path, parts: Sequence[Path] | None, fh: BinaryIO) -> None:
    """The page into ``fh``: from ``parts`` when every one is there, else from one part made
    from the committed outputs in a scratch folder."""
    summary = load_summary(out_dir)  # first: not a run's output, say so before anything else
    if parts is not None and all(_has_part(p) for p in parts):
        _write_page(summary, parts, fh)
        return
    with tempfile.TemporaryDirectory(prefix=".report-", dir=out_dir) as scratch:
        write_report_part(out_dir, 0, Path(scratch))
        _write_page(summary, [Path(scratch)], fh)


def render_report(out_dir: Path) -> str:
    """The whole page as one string (for tests and small runs; ``write_report`` streams)."""
    buf = io.BytesIO()
    _page(Path(out_dir), None, buf)
    return buf.getvalue().decode("utf-8")


def write_report(out_dir: str | Path, parts: Sequence[Path] | None = None) -> Path:
    """(Re)build ``out_dir/report.html`` from the outputs there, streamed (memory does not grow
    with the run) and written atomically. ``parts``, the shards' output folders in order,
    supply the documents' blocks and rows ready-made when every one holds its part."""
    out = Path(out_dir)
    target = out / REPORT
    tmp = out / f".{REPORT}.tmp-{os.getpid()}"
    try:
        with open(tmp, "wb") as fh:
            _page(out, parts, fh)
        os.replace(tmp, target)
    except (OSError, ValueError, KeyError) as e:
        tmp.unlink(missing_ok=True)
        raise CleanerError(f"cannot build the report from {out}: {e}") from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return target


__all__ = ["REPORT", "render_report", "write_report", "write_report_part"]
