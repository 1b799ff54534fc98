"""``DIR/report.html`` and ``DIR/report/``: what a run cleaned, dropped, fixed and translated, and
why, for a run of any size.

``report.html`` is the page users open first, and its size does not grow with the documents'
text: totals; lines dropped per reason, sites, languages, fragments, pairs; samples (for each
reason a few documents that show it, with their lines; the documents with the most lines
dropped); and the table of every document, a compact index (:mod:`cleaner.report.index`) its
script searches, sorts and filters. Each document's details (the page as it arrived, struck
lines with their evidence, fragments, pairs) are in ``report/part-<k>.html``, one page per
100 documents (:mod:`cleaner.report.parts`), linked from the table.

Every page is self-contained (styles and script inline, no network: a Content-Security-Policy
forbids it) and opens from disk. All scraped text reaches a page as JSON (with ``<``, ``>`` and
``&`` escaped) and is inserted with ``textContent``, never as markup: a page containing
``<script>`` shows it as text.

Everything is built from the run's output files (:mod:`cleaner.report.data`), so ``cleaner
report DIR`` rebuilds it for any finished run. A run's workers write their shard's share of it
(:func:`write_report_part`) once the shard's outputs are committed; the coordinator links the
parts into ``report/``, joins the few that straddle two shards, and streams the table's rows
into the index: its memory does not grow with the run. ``cleaner report DIR``, or a run where a
shard lacks its share (finished by a run without the report), writes one share from the
committed outputs. Either way the files are byte for byte the same.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import Any, BinaryIO

from ..errors import CleanerError
from .data import load_summary
from .index import IndexWriter
from .parts import (
    PART_DOCUMENTS,
    REPORT_DIR,
    SHARD_DIR,
    assemble_parts,
    has_report_part,
    read_rows,
    read_samples,
    write_report_part,
)
from .render import script_json, template_chunks

REPORT = "report.html"
#: Scratch folders of a report being built (named like the run's other work folders).
_SCRATCH = ".cleaner-report-"
# Where the index goes in the rendered template (NUL never occurs in it otherwise).
_INDEX_HERE = "\x00cleaner-report-index\x00"


def _write_main_page(
    summary: dict[str, Any], shares: Sequence[Path], scratch: Path, fh: BinaryIO
) -> None:
    """The main page: the template, with the index streamed in where it goes."""
    from markupsafe import Markup

    index = IndexWriter(scratch)
    try:
        for row in read_rows(shares):
            index.add(row)
        codes = index.codes()
        chunks = template_chunks(
            "main.html.j2",
            s=summary,
            codes=codes,
            # the run's count, or the documents' own for the outputs of an older run
            languages=summary["documents_by_language"]
            or {lang: n[0] for lang, n in codes.get("lang", {}).items()},
            index_json=Markup(_INDEX_HERE),  # noqa: S704 - a placeholder, replaced below
            samples_json=script_json(_ordered_samples(summary, read_samples(shares))),
            **_run_json(summary),
        )
        for chunk in chunks:
            if _INDEX_HERE in chunk:
                before, chunk = chunk.split(_INDEX_HERE)
                fh.write(before.encode("utf-8"))
                index.write_json(fh, part_documents=PART_DOCUMENTS)
            fh.write(chunk.encode("utf-8"))
    finally:
        index.close()


def _ordered_samples(summary: dict[str, Any], samples: dict[str, list]) -> list[list[Any]]:
    """[reason, lines or pairs it dropped in the run, samples], the most frequent reason first."""
    totals = dict(summary["by_reason"])
    totals.update((summary.get("pairs") or {}).get("by_reason", {}))
    out = []
    for reason, chosen in samples.items():
        out.append([reason, totals.get(reason, 0), [_without_key(s) for s in chosen]])
    return sorted(out, key=lambda r: (-r[1], r[0]))


def _without_key(sample: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in sample.items() if k != "key"}


def _run_json(summary: dict[str, Any]) -> dict[str, str]:
    def dump(value: Any) -> str:
        return json.dumps(value, indent=2, ensure_ascii=False, sort_keys=True)

    return {
        "config_json": dump(summary["config"]),
        "versions_json": dump(summary["versions"]),
        "translation_json": dump(summary["translation"]),
    }


def _build(out: Path, summary: dict[str, Any], parts: Sequence[Path] | None, scratch: Path) -> None:
    """report.html and report/ in ``scratch``, from the shards' shares when every one is
    there, else from one share made from the committed outputs."""
    if parts is not None and all(has_report_part(p) for p in parts):
        shares = [p / SHARD_DIR for p in parts]
    else:
        shares = [write_report_part(out, 0, scratch)]
    (scratch / REPORT_DIR).mkdir()
    assemble_parts(shares, scratch / REPORT_DIR)
    with open(scratch / REPORT, "wb") as fh:
        _write_main_page(summary, shares, scratch, fh)


def _move_into_place(scratch: Path, out: Path) -> None:
    """report/ then report.html replace the previous ones (each rename is atomic)."""
    previous = scratch / "previous"
    previous.mkdir()
    if (out / REPORT_DIR).exists():
        os.replace(out / REPORT_DIR, previous / REPORT_DIR)
    os.replace(scratch / REPORT_DIR, out / REPORT_DIR)
    os.replace(scratch / REPORT, out / REPORT)


def write_report(
    out_dir: str | Path, parts: Sequence[Path] | None = None, *, timings: bool = False
) -> Path:
    """(Re)build ``out_dir/report.html`` and ``out_dir/report/`` from the outputs there,
    streamed (memory does not grow with the run) and moved into place when whole. ``parts``,
    the shards' output folders in order, supply the documents' parts ready-made when every one
    holds its share. ``timings`` adds the run's time per stage (from ``manifest.json``): the
    page then differs between reruns."""
    out = Path(out_dir)
    summary = load_summary(out, timings)  # first: not a run's output, say so before anything
    scratch = out / f"{_SCRATCH}{os.getpid()}"
    try:
        shutil.rmtree(scratch, ignore_errors=True)
        scratch.mkdir()
        _build(out, summary, parts, scratch)
        _move_into_place(scratch, out)
    except (OSError, ValueError, KeyError) as e:
        raise CleanerError(f"cannot build the report from {out}: {e}") from None
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return out / REPORT


__all__ = ["REPORT", "REPORT_DIR", "write_report", "write_report_part"]
