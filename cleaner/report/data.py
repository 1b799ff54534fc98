"""The report's data, read back from a run's output files (never from the live pipeline).

So the same report comes from a local, a resumed or a Ray run: ``manifest.json`` (totals,
config, versions, packages; its timings only when asked, so that reruns give the same page),
``documents.jsonl`` (each document, the input line of each clean line, the kept lines that were
changed), ``rejects.jsonl`` (each removed line or sentence pair with its reason and evidence),
``fragments.jsonl``, ``clean/`` and ``clean.jsonl`` (the clean text) and
``parallel/corpus.jsonl`` (the sentence pairs).
"""

from __future__ import annotations

import json
import posixpath
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..errors import CleanerError


def _jsonl(path: Path) -> Iterator[dict[str, Any]]:
    if not path.is_file():
        return
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def _parquet_rows(path: Path) -> Iterator[dict[str, Any]]:
    """The rows of clean.parquet, in order, a row group at a time."""
    if not path.is_file():
        return
    import pyarrow.parquet as pq

    pf = pq.ParquetFile(path)
    for k in range(pf.num_row_groups):
        yield from pf.read_row_group(k).to_pylist()


def _explain_model(d: dict[str, Any]) -> str:
    """ "line model: score 0.08, after the article (short, no stopwords, ...)", and the comment
    thread the line is in, if it is."""
    region = {"before": "before the article", "after": "after the article"}.get(
        d.get("region", ""), "chrome inside the article"
    )
    from ..linemodel.features import describe

    why = ", ".join(
        f"{describe(name)} {value:+g}" for name, value in (d.get("features") or {}).items()
    )
    note = f"line model: score {d.get('score', '?')}, {region}"
    if "comment_thread_from_line" in d:
        note += f", in the comment thread from line {d['comment_thread_from_line']}"
    if "below_paywall_line" in d:
        note += f", below the paywall's end of the text at line {d['below_paywall_line']}"
    return f"{note} ({why})" if why else note


def explain(reason: str | None, detail: dict[str, Any]) -> str:
    """A short human note on why a line was removed."""
    d = detail or {}
    if reason == "duplicate_copy":
        note = f"repeat of line {d.get('repeats_line', '?')}"
        if "similarity" in d:
            note += f" (similarity {d['similarity']})"
        return note
    if reason == "boilerplate_pattern":
        return f"pattern: {d.get('rule', '?')}"
    if reason == "boilerplate_template":
        return (
            f"template of {d.get('site') or 'its site'}: in {d.get('documents', '?')} of its pages"
        )
    if reason == "boilerplate_model":
        return _explain_model(d)
    if reason == "scraper_leftover":
        markup = d.get("markup")  # a Markdown line of markup only: which
        kinds = f" ({', '.join(map(str, markup))})" if isinstance(markup, list) and markup else ""
        return f"scraper leftover: {d.get('rule', '?')}{kinds}"
    if reason == "source_metadata":
        return f"moved to the source metadata: {d.get('value', '')}"
    if reason == "duplicate_document":
        return f"the document repeats {d.get('duplicate_of', '?')} (similarity {d.get('similarity', '?')})"
    if reason == "line_too_long":
        return f"{d.get('chars', '?')} characters: too long"
    if reason == "empty_line":
        return "empty once whitespace was normalised"
    if reason == "document_language":
        note = f"the page is in {d.get('lang', '?')} ({_percent(d.get('share'))} of its letters)"
        if d.get("problem"):
            note += f"; no package translates it ({d['problem']})"
        return note
    if reason == "pair_french_not_original":
        origin = d.get("fr_origin", "?").replace("_", " ")
        note = f"French side {origin}, not in [pairs] french_origin"
        if d.get("en_origin") == "original":
            note += "; its English is written on the page"
        return note
    if reason == "untranslatable":
        return f"{d.get('lang', '?')} fragment no package translates ({d.get('problem', '')})"
    if reason and reason.startswith("pair_"):
        return reason[5:].replace("_", " ") + (f" {d}" if d else "")
    return reason or ""


def _percent(share: Any) -> str:
    return f"{share:.0%}" if isinstance(share, int | float) else "?"


def origin_note(pair: dict[str, Any], source: str = "fr", target: str = "en") -> str:
    """Where a pair's sides come from, when it is not the usual (French written on the page,
    English machine output): "French: contains translation (19-71 zh)", "English: original"."""
    notes = []
    origin = pair.get(f"{source}_origin", "original")
    if origin != "original":
        where = " ".join(
            f"{f['start']}-{f['end']} {f['lang']}" for f in pair.get(f"{source}_fragments", [])
        )
        notes.append(f"French: {origin.replace('_', ' ')}" + (f" ({where})" if where else ""))
    if pair.get(f"{target}_origin", "translated") != "translated":
        notes.append("English: written on the page")
    return "; ".join(notes)


def load_run(out_dir: Path) -> tuple[dict[str, Any], list[dict[str, Any]], list[dict[str, Any]]]:
    """(summary, document rows, per-document details), all in memory (small runs, tests)."""
    summary = load_summary(out_dir)
    rows: list[dict[str, Any]] = []
    details: list[dict[str, Any]] = []
    for row, detail in iter_documents(out_dir):
        rows.append(row)
        details.append(detail)
    return summary, rows, details


def load_summary(out_dir: Path, timings: bool = False) -> dict[str, Any]:
    manifest_path = out_dir / "manifest.json"
    if not manifest_path.is_file():
        raise CleanerError(f"{out_dir} holds no manifest.json: not the output of a cleaner run")
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise CleanerError(
            f"{manifest_path} is not JSON ({e}): not a cleaner run's manifest"
        ) from None
    if not isinstance(manifest, dict) or not isinstance(manifest.get("counts", {}), dict):
        raise CleanerError(
            f"{manifest_path} is not a cleaner run's manifest (no JSON object of counts)"
        )
    return summary_of(manifest, timings)


def site_of(doc: dict[str, Any]) -> str:
    """The document's site: ``site`` in documents.jsonl when the run recorded one, else the
    folder of its input file (``corpora/sample/depeches/flux.jsonl:3`` is ``depeches``), the
    same choice the readers make for a page without a URL."""
    site = doc.get("site")
    if isinstance(site, str):
        return site
    path = str(doc.get("input", ""))
    if doc.get("format") == "jsonl":
        path = path.rsplit(":", 1)[0]  # a record's input is "path:line"
    if path in ("", "-"):
        return "stdin" if path == "-" else ""
    return posixpath.basename(posixpath.dirname(path.replace("\\", "/"))) or "."


class _Follower:
    """Records of a JSON Lines file that come in document order, taken one document at a time
    (every output is written document after document, so the files can be read in step)."""

    def __init__(self, path: Path) -> None:
        self._it = _jsonl(path)
        self._next = next(self._it, None)

    def take(self, doc_id: str) -> list[dict[str, Any]]:
        out = []
        while self._next is not None and self._next.get("doc") == doc_id:
            out.append(self._next)
            self._next = next(self._it, None)
        return out


def iter_documents(out_dir: Path) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    """(table row, details) for each document, in order, reading every output file in step:
    memory holds one document at a time, however large the run."""
    rejects_f = _Follower(out_dir / "rejects.jsonl")
    fragments_f = _Follower(out_dir / "fragments.jsonl")
    pairs_f = _Follower(out_dir / "parallel" / "corpus.jsonl")
    records = {
        "clean.jsonl": _jsonl(out_dir / "clean.jsonl"),
        "clean.parquet": _parquet_rows(out_dir / "clean.parquet"),
    }
    for doc in _jsonl(out_dir / "documents.jsonl"):
        doc_id = doc["doc"]
        doc_rejects = rejects_f.take(doc_id)
        rejects = {r["line"]: r for r in doc_rejects if "sentence" not in r}
        pair_rejects = [r for r in doc_rejects if "sentence" in r]
        fragments: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for f in fragments_f.take(doc_id):
            fragments[f["line"]].append(f)
        pairs = pairs_f.take(doc_id)
        if doc.get("output") in records:
            record = next(records[doc["output"]], None) or {}
            # the field the document's clean text went to ([text] field; WARC records: text)
            text = record.get(doc.get("text_field", "text")) or ""
            clean = text.split("\n") if isinstance(text, str) and text else []
        else:
            path = out_dir / doc["output"]
            text = path.read_text(encoding="utf-8") if path.is_file() else ""
            clean = text.split("\n")[:-1] if text else []  # only "\n" ends a line
        by_number = dict(zip(doc.get("clean_lines", []), clean, strict=False))
        edited = doc.get("edited", {})
        before_splice = doc.get("before_splice", {})
        pinned = doc.get("pinned", {})
        lines = []
        for n in range(1, doc["lines_in"] + 1):
            if n in rejects:
                r = rejects[n]
                lines.append(
                    {
                        "n": n,
                        "kept": False,
                        "text": r["text"],
                        "reason": r["reason"],
                        "note": explain(r["reason"], r.get("detail", {})),
                    }
                )
                continue
            original, fixed = edited.get(str(n), [before_splice.get(str(n)), None])
            line: dict[str, Any] = {"n": n, "kept": True, "text": original or by_number.get(n, "")}
            if fixed is not None and fixed != original:
                line["fixed"] = fixed
            if str(n) in pinned:  # a keep rule of the pattern library kept it
                line["pinned"] = pinned[str(n)]
            spans = fragments.get(n)
            if spans:
                line["spans"] = [
                    {
                        "start": s["start"],
                        "end": s["end"],
                        "lang": s["lang"],
                        "translation": s.get("translation"),
                        "pivot": s.get("pivot"),
                        "problem": s.get("problem"),
                    }
                    for s in spans
                ]
            lines.append(line)
        reasons: dict[str, int] = defaultdict(int)
        for r in rejects.values():
            reasons[r["reason"]] += 1
        site = site_of(doc)
        # the table's index (cleaner.report.index.COLUMNS says how each key is shown)
        row = {
            "id": doc_id,
            "site": site,
            "lang": doc.get("lang") or "",
            "lines_in": doc["lines_in"],
            "lines_kept": doc["lines_kept"],
            "reasons": dict(sorted(reasons.items())),
            "fragments": sum(len(v) for v in fragments.values()),
            "pairs": doc.get("pairs_kept", 0),
        }
        detail = {
            "id": doc_id,
            "input": doc.get("input", ""),
            "site": site,
            "title": doc.get("title"),
            "source": doc.get("source"),
            "encoding": doc.get("encoding"),
            "lang": doc.get("lang"),
            "lang_share": doc.get("lang_shares", {}).get(doc.get("lang", ""), None),
            "route": doc.get("route"),
            "lines": lines,
            "pairs": [[p["fr"], p["en"], origin_note(p)] for p in pairs],
            "pair_rejects": [
                {
                    "fr": r["text"],
                    "en": r.get("translation", ""),
                    "reason": r["reason"],
                    "note": explain(r["reason"], r.get("detail", {})),
                }
                for r in pair_rejects
            ],
        }
        yield row, detail


def summary_of(manifest: dict[str, Any], timings: bool = False) -> dict[str, Any]:
    """What the page shows of the manifest: its timings only when asked (``cleaner report
    --timings``), as they change from run to run and the page a run writes is byte-identical
    across reruns."""
    counts = manifest.get("counts", {})
    return {
        "documents": counts.get("documents", 0),
        "lines_in": counts.get("lines_in", 0),
        "lines_kept": counts.get("lines_kept", 0),
        "lines_dropped": counts.get("lines_dropped", 0),
        "by_reason": counts.get("by_reason", {}),
        "fragments": counts.get("fragments", {}),
        "fragments_by_direction": counts.get("fragments_by_direction", {}),
        "pairs": counts.get("pairs"),
        "documents_by_language": counts.get("documents_by_language", {}),
        "other_documents": counts.get("other_documents", {}),
        "quarantined": counts.get("quarantined", {}),
        "chars_in": manifest.get("chars_in"),
        "config": manifest.get("config", {}),
        "versions": manifest.get("versions", {}),
        "translation": manifest.get("translation"),
        "cleaner": manifest.get("cleaner"),
        "timings": manifest.get("timings") if timings else None,
    }
