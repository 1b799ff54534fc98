"""The documents' side of the report: one self-contained page per ``PART_DOCUMENTS`` documents.

Part ``k`` is ``report/part-<k>.html`` and holds documents ``k * PART_DOCUMENTS`` to
``(k + 1) * PART_DOCUMENTS - 1`` of the run, whatever the shards: the same run cut into other
shards, run with other workers or rebuilt by ``cleaner report`` writes the same files. Each
document's details are an inert ``<script type="application/json" id="doc-N">`` block that the
page's script turns into DOM when the document is opened (``part-<k>.html#doc=N``).

A worker writes its shard's share (:func:`write_report_part`, read back from the shard's
committed outputs) into ``report-part/`` beside them:

- ``pages/part-<k>.html``, each part that lies wholly in the shard, ready to be linked into
  ``report/``; ``pages/part-<k>.blocks``, the blocks of a part the shard shares with its
  neighbours, joined by :func:`assemble_parts` (bytes copied, nothing parsed);
- ``rows.jsonl``, one row of the main page's table per document (:mod:`.index`);
- ``samples.json``, the shard's candidates for the main page's samples (:class:`SampleChooser`).

A part's size is bounded: ``PART_DOCUMENTS`` documents, each shown up to ``DETAIL_CHARS``
characters of text (lines beyond it are counted, not shown; a line beyond ``LINE_CHARS`` is cut).
"""

from __future__ import annotations

import heapq
import json
import os
import shutil
from collections.abc import Iterable, Sequence
from functools import cache
from pathlib import Path
from typing import IO, Any

from .data import iter_documents
from .render import render_template, script_json_text

#: Documents per part page: about 1 MB of news per part, which Chromium opens in well under 1 s.
PART_DOCUMENTS = 100
#: Characters of scraped text shown per document (its lines, its pairs); later lines are counted.
DETAIL_CHARS = 200_000
#: Characters shown of one line (the rest is counted).
LINE_CHARS = 5_000
#: Documents shown per reason in the main page's samples, and lines shown per document there.
SAMPLES_PER_REASON = 3
SAMPLE_LINES = 2
SAMPLE_CHARS = 240

REPORT_DIR = "report"
SHARD_DIR = "report-part"
PAGES = "pages"
ROWS = "rows.jsonl"
SAMPLES = "samples.json"
_CHUNK = 1 << 20


def part_of(index: int) -> int:
    return index // PART_DOCUMENTS


def part_name(k: int) -> str:
    return f"part-{k:06d}.html"


def _blocks_name(k: int) -> str:
    return f"part-{k:06d}.blocks"


# -- one document's block -----------------------------------------------------------------------


def _clip(text: str, limit: int) -> tuple[str, int]:
    """``text`` cut to ``limit`` characters, and how many were cut."""
    return (text, 0) if len(text) <= limit else (text[:limit], len(text) - limit)


def cap_detail(detail: dict[str, Any]) -> dict[str, Any]:
    """The details as shown: each line cut to ``LINE_CHARS`` (spans beyond the cut dropped,
    ``cut`` says how many characters are not shown), and only the lines that fit in
    ``DETAIL_CHARS``, then the pairs, written and rejected, that still fit; ``hidden`` counts
    the others (lines, those of them dropped, pairs)."""
    budget = DETAIL_CHARS
    lines = []
    hidden = {"lines": 0, "dropped": 0, "pairs": 0}
    for line in detail["lines"]:
        if budget <= 0:
            hidden["lines"] += 1
            hidden["dropped"] += not line["kept"]
            continue
        text, cut = _clip(line["text"], LINE_CHARS)
        if cut:
            line = dict(line, text=text, cut=cut)
            if "fixed" in line:
                line["fixed"] = _clip(line["fixed"], LINE_CHARS)[0]
            if "spans" in line:
                line["spans"] = [s for s in line["spans"] if s["end"] <= len(text)]
        budget -= len(text) + len(line.get("fixed") or "")
        lines.append(line)
    pairs = []
    for pair in detail["pairs"]:
        if budget <= 0:
            hidden["pairs"] += 1
            continue
        pair = [_clip(side, LINE_CHARS)[0] for side in pair]
        budget -= len(pair[0]) + len(pair[1])
        pairs.append(pair)
    rejected = []
    for reject in detail["pair_rejects"]:
        if budget <= 0:
            hidden["pairs"] += 1
            continue
        reject = dict(
            reject, fr=_clip(reject["fr"], LINE_CHARS)[0], en=_clip(reject["en"], LINE_CHARS)[0]
        )
        budget -= len(reject["fr"]) + len(reject["en"])
        rejected.append(reject)
    capped = dict(detail, lines=lines, pairs=pairs, pair_rejects=rejected)
    if any(hidden.values()):
        capped["hidden"] = hidden
    return capped


def detail_block(index: int, detail: dict[str, Any]) -> str:
    """One document's details: an inert JSON block the part's script reads when it is opened."""
    text = script_json_text(cap_detail(detail))
    return f'<script type="application/json" id="doc-{index}">{text}</script>\n'


# -- samples for the main page ------------------------------------------------------------------


def _sample_key(reason: str, doc_id: str) -> int:
    """A document's rank among those that show ``reason``: a hash, salted with the reason so
    that each reason gets its own documents."""
    import xxhash

    return xxhash.xxh3_64_intdigest(f"{reason}\x00{doc_id}".encode())


class SampleChooser:
    """For each reason, the ``SAMPLES_PER_REASON`` documents that show it with the smallest hash
    of their id (:func:`_sample_key`), and a few of their lines: a spread over the run (not its
    first pages) that is the same however the run is sharded, as each shard's choice merges
    into the run's."""

    def __init__(self) -> None:
        # reason -> heap of (-key, -index, sample): the largest kept key on top, to be replaced
        self._heaps: dict[str, list[tuple[int, int, dict[str, Any]]]] = {}

    def offer(self, reason: str, sample: dict[str, Any]) -> None:
        heap = self._heaps.setdefault(reason, [])
        item = (-sample["key"], -sample["doc"], sample)
        if len(heap) < SAMPLES_PER_REASON:
            heapq.heappush(heap, item)
        elif item[:2] > heap[0][:2]:
            heapq.heapreplace(heap, item)

    def add_document(self, index: int, detail: dict[str, Any]) -> None:
        shown: dict[str, list[dict[str, Any]]] = {}
        counts: dict[str, int] = {}
        for line in detail["lines"]:
            if not line["kept"]:
                self._note(shown, counts, line["reason"], {"n": line["n"]}, line["text"], line)
        for pair in detail["pair_rejects"]:
            en = _clip(pair["en"], SAMPLE_CHARS)[0]
            self._note(shown, counts, pair["reason"], {"en": en}, pair["fr"], pair)
        if not shown:
            return
        for reason, lines in shown.items():
            key = _sample_key(reason, detail["id"])
            sample = {"key": key, "doc": index, "id": detail["id"], "site": detail["site"]}
            self.offer(reason, sample | {"count": counts[reason], "lines": lines})

    @staticmethod
    def _note(shown, counts, reason, line, text, record) -> None:
        counts[reason] = counts.get(reason, 0) + 1
        lines = shown.setdefault(reason, [])
        if len(lines) < SAMPLE_LINES:
            line["text"] = _clip(text, SAMPLE_CHARS)[0]
            line["note"] = _clip(record["note"], SAMPLE_CHARS)[0]
            lines.append(line)

    def result(self) -> dict[str, list[dict[str, Any]]]:
        """Each reason's samples, in the run's order of documents."""
        return {
            reason: sorted((s for _, _, s in heap), key=lambda s: s["doc"])
            for reason, heap in sorted(self._heaps.items())
        }

    def merge(self, chosen: dict[str, list[dict[str, Any]]]) -> None:
        for reason, samples in chosen.items():
            for sample in samples:
                self.offer(reason, sample)


# -- a shard's share, written by the worker that finished it --------------------------------------


# Where the part's number and its blocks go in the rendered template (NUL never occurs in a
# rendered page otherwise: its JSON escapes it).
_PART_HERE = "\x00cleaner-part\x00"
_BLOCKS_HERE = "\x00cleaner-part-blocks\x00"


@cache
def _page_ends() -> tuple[str, str]:
    """The part page around its blocks, rendered once: (head, tail), the part's number to fill."""
    page = render_template(
        "part.html.j2", part=_PART_HERE, part_documents=PART_DOCUMENTS, blocks=_BLOCKS_HERE
    )
    head, tail = page.split(_BLOCKS_HERE)
    return head, tail


def _write_page(k: int, blocks: Sequence[Path], dest: Path) -> None:
    head, tail = (end.replace(_PART_HERE, str(k)).encode("utf-8") for end in _page_ends())
    with open(dest, "wb") as fh:
        fh.write(head)
        for path in blocks:
            with open(path, "rb") as src:
                shutil.copyfileobj(src, fh, _CHUNK)
        fh.write(tail)


class _Blocks:
    """The blocks of the part being written; a part the shard holds whole becomes its page."""

    def __init__(self, pages: Path) -> None:
        self.pages = pages
        self.part: int | None = None
        self.count = 0
        self.fh: IO[str] | None = None

    def write(self, index: int, block: str) -> None:
        if part_of(index) != self.part:
            self.close()
            self.part, self.count = part_of(index), 0
            path = self.pages / _blocks_name(self.part)
            self.fh = open(path, "w", encoding="utf-8", newline="\n")  # noqa: SIM115
        assert self.fh is not None
        self.fh.write(block)
        self.count += 1

    def close(self) -> None:
        if self.fh is None or self.part is None:
            return
        self.fh.close()
        self.fh = None
        if self.count == PART_DOCUMENTS:  # the whole part is in this shard
            blocks = self.pages / _blocks_name(self.part)
            _write_page(self.part, [blocks], self.pages / part_name(self.part))
            blocks.unlink()


def write_report_part(outputs: Path, start: int, dest: Path | None = None) -> Path:
    """The report's share of the documents whose outputs are in ``outputs`` (the first is the
    run's document number ``start``), into ``dest/report-part/`` (default: ``outputs``), written
    whole in a scratch folder, then renamed."""
    dest = outputs if dest is None else dest
    final = dest / SHARD_DIR
    tmp = dest / f".{SHARD_DIR}.tmp-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    (tmp / PAGES).mkdir(parents=True)
    blocks = _Blocks(tmp / PAGES)
    samples = SampleChooser()
    try:
        with open(tmp / ROWS, "w", encoding="utf-8", newline="\n") as rows:
            for i, (row, detail) in enumerate(iter_documents(outputs), start):
                blocks.write(i, detail_block(i, detail))
                rows.write(json.dumps(row, ensure_ascii=False, separators=(",", ":")) + "\n")
                samples.add_document(i, detail)
        blocks.close()
        with open(tmp / SAMPLES, "w", encoding="utf-8", newline="\n") as fh:
            json.dump(samples.result(), fh, ensure_ascii=False, sort_keys=True)
        shutil.rmtree(final, ignore_errors=True)
        os.replace(tmp, final)
    finally:
        if blocks.fh is not None:
            blocks.fh.close()
        shutil.rmtree(tmp, ignore_errors=True)
    return final


def has_report_part(folder: Path) -> bool:
    return (folder / SHARD_DIR / SAMPLES).is_file()


# -- the coordinator: the parts into report/ -------------------------------------------------------


def _link_or_copy(src: Path, dest: Path) -> None:
    try:
        os.link(src, dest)  # no copy: the shard's page stays for a rerun
    except OSError:
        shutil.copyfile(src, dest)


def assemble_parts(shares: Iterable[Path], report_dir: Path) -> int:
    """Every part page into ``report_dir``, from the shards' shares in run order (their
    ``report-part/`` folders): whole pages linked, shared parts written from their blocks. The
    number of parts."""
    shared: dict[int, list[Path]] = {}
    n = 0
    for share in shares:
        for path in sorted((share / PAGES).iterdir()):
            k = int(path.stem.split("-")[1])
            if path.suffix == ".html":
                _link_or_copy(path, report_dir / path.name)
                n += 1
            else:
                shared.setdefault(k, []).append(path)
    for k, blocks in sorted(shared.items()):
        _write_page(k, blocks, report_dir / part_name(k))
        n += 1
    return n


def read_samples(shares: Iterable[Path]) -> dict[str, list[dict[str, Any]]]:
    chooser = SampleChooser()
    for share in shares:
        with open(share / SAMPLES, encoding="utf-8") as fh:
            chooser.merge(json.load(fh))
    return chooser.result()


def read_rows(shares: Iterable[Path]) -> Iterable[dict[str, Any]]:
    for share in shares:
        with open(share / ROWS, encoding="utf-8") as fh:
            for line in fh:
                yield json.loads(line)
