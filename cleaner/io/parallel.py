"""Writing the parallel corpus: Moses-style line-aligned files, TSV, JSONL, TMX 1.4 and Parquet.

Every pair is checked before it is written (no tab, newline or other line break inside a
segment, no character XML 1.0 forbids, valid UTF-8), and on closing the files are read back and
their counts compared, so a misaligned corpus is an error, never an output.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import IO, Any
from xml.sax.saxutils import escape, quoteattr

from ..document import Pair
from ..errors import CleanerError
from .parquet import ROW_GROUP_ROWS, ParquetSink, load_pyarrow

PARALLEL_DIR = "parallel"
PARQUET_NAME = "corpus.parquet"
_BAD_SEGMENT = re.compile("[\t\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def check_segment(text: str, where: str) -> None:
    if _BAD_SEGMENT.search(text):
        raise CleanerError(f"{where}: a segment holds a tab or line break (a bug: please report)")
    if _NOT_XML.search(text):
        raise CleanerError(
            f"{where}: a segment holds a character XML forbids (a bug: please report)"
        )


def corpus_record(doc_id: str, pair: Pair, source: str, target: str) -> dict[str, Any]:
    """One pair as every record-shaped corpus format holds it (``corpus.jsonl``): where it is
    in its document, both sides, the packages that made the target side, and the provenance
    of each side (``fr_origin``, ``fr_fragments``, ``en_origin``)."""
    return {
        "doc": doc_id,
        "sentence": pair.index,
        "line": pair.line,
        source: pair.source,
        target: pair.target,
        "packages": list(pair.packages),
        "pivot": pair.pivot,
        **pair.provenance(source, target),
    }


def tmx_props(pair: Pair, source: str, target: str) -> list[tuple[str, str]]:
    """The provenance as TMX ``<prop>`` elements (name without ``x-``, text): each side's
    origin, and the spliced fragments as ``start-end:lang`` separated by spaces."""
    props = [(f"{source}-origin", pair.source_origin)]
    if pair.splices:
        props.append(
            (f"{source}-fragments", " ".join(f"{s.start}-{s.end}:{s.lang}" for s in pair.splices))
        )
    props.append((f"{target}-origin", pair.target_origin))
    return props


class ParallelWriter:
    """Writes ``corpus.<src>``, ``corpus.<tgt>``, ``corpus.tsv``, ``corpus.jsonl``,
    ``corpus.tmx`` and ``corpus.parquet`` (the columns of corpus.jsonl)."""

    def __init__(self, folder: Path, source: str, target: str, tool_version: str) -> None:
        self.folder = folder
        self.source, self.target = source, target
        folder.mkdir(parents=True, exist_ok=True)
        self.names = {
            "src": f"corpus.{source}",
            "tgt": f"corpus.{target}",
            "tsv": "corpus.tsv",
            "jsonl": "corpus.jsonl",
            "tmx": "corpus.tmx",
        }
        self.files: dict[str, IO[str]] = {
            k: open(folder / n, "w", encoding="utf-8", newline="\n") for k, n in self.names.items()
        }
        self.count = 0
        pa, _ = load_pyarrow()
        self._schema = pa.schema(
            [
                ("doc", pa.string()),
                ("sentence", pa.int64()),
                ("line", pa.int64()),
                (source, pa.string()),
                (target, pa.string()),
                ("packages", pa.list_(pa.string())),
                ("pivot", pa.string()),
                (f"{source}_origin", pa.string()),
                (
                    f"{source}_fragments",
                    pa.list_(
                        pa.struct(
                            [("start", pa.int64()), ("end", pa.int64()), ("lang", pa.string())]
                        )
                    ),
                ),
                (f"{target}_origin", pa.string()),
            ]
        )
        self._parquet = ParquetSink(folder / PARQUET_NAME, self._schema)
        self._rows: list[dict] = []
        self.files["tmx"].write(
            '<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4">\n'
            f'  <header creationtool="cleaner" creationtoolversion={quoteattr(tool_version)} '
            f'datatype="plaintext" segtype="sentence" adminlang="en" srclang="{source}" '
            'o-tmf="cleaner"/>\n  <body>\n'
        )

    def write(self, doc_id: str, pair: Pair) -> None:
        where = f"document {doc_id}, sentence {pair.index}"
        check_segment(pair.source, where)
        check_segment(pair.target, where)
        f = self.files
        f["src"].write(pair.source + "\n")
        f["tgt"].write(pair.target + "\n")
        f["tsv"].write(f"{pair.source}\t{pair.target}\n")
        record = corpus_record(doc_id, pair, self.source, self.target)
        f["jsonl"].write(
            json.dumps(record, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"
        )
        self._rows.append(record)
        if len(self._rows) >= ROW_GROUP_ROWS:
            self._flush_rows()
        f["tmx"].write(
            f"    <tu tuid={quoteattr(f'{doc_id}:{pair.index}')}>\n"
            f'      <prop type="x-doc">{escape(doc_id)}</prop>\n'
            + "".join(
                f'      <prop type="x-{name}">{escape(value)}</prop>\n'
                for name, value in tmx_props(pair, self.source, self.target)
            )
            + f'      <tuv xml:lang="{self.source}"><seg>{escape(pair.source)}</seg></tuv>\n'
            f'      <tuv xml:lang="{self.target}"><seg>{escape(pair.target)}</seg></tuv>\n'
            "    </tu>\n"
        )
        self.count += 1

    def _flush_rows(self) -> None:
        if self._rows:
            pa, _ = load_pyarrow()
            self._parquet.add(pa.Table.from_pylist(self._rows, schema=self._schema))
            self._rows = []

    def append(self, folder: Path) -> None:
        """Add the pairs another ParallelWriter wrote into ``folder`` (a shard's)."""
        with open(folder / self.names["src"], "rb") as counted:
            n = sum(1 for _ in counted)
        for key in ("src", "tgt", "tsv", "jsonl"):
            with open(folder / self.names[key], encoding="utf-8", newline="\n") as fh:
                shutil.copyfileobj(fh, self.files[key], 1 << 20)
        with open(folder / self.names["tmx"], encoding="utf-8", newline="\n") as fh:
            inside = False
            for line in fh:
                if line == "  </body>\n":
                    break
                if inside:
                    self.files["tmx"].write(line)
                elif line == "  <body>\n":
                    inside = True
        _, pq = load_pyarrow()
        self._flush_rows()
        self._parquet.add(pq.read_table(folder / PARQUET_NAME, schema=self._schema))
        self.count += n

    def close(self) -> None:
        """Finish the TMX, close everything, and check that the files agree."""
        self.files["tmx"].write("  </body>\n</tmx>\n")
        for fh in self.files.values():
            fh.close()
        self._flush_rows()
        self._parquet.close()
        _, pq = load_pyarrow()
        rows = pq.ParquetFile(self.folder / PARQUET_NAME).metadata.num_rows
        if rows != self.count:
            raise CleanerError(
                f"parallel corpus misaligned: {PARQUET_NAME} has {rows} rows, expected "
                f"{self.count} (a bug: please report)"
            )
        for key in ("src", "tgt", "tsv", "jsonl"):
            with open(self.folder / self.names[key], "rb") as counted:
                lines = sum(1 for _ in counted)
            if lines != self.count:
                raise CleanerError(
                    f"parallel corpus misaligned: {self.names[key]} has {lines} lines, "
                    f"expected {self.count} (a bug: please report)"
                )

    def abort(self) -> None:
        for fh in self.files.values():
            if not fh.closed:
                fh.close()
        self._parquet.abort()
