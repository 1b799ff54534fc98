"""Reading inputs into documents: ``.txt``, ``.jsonl``, ``.html`` / ``.htm`` and their ``.gz``
forms, WARC archives (``.warc``, ``.warc.gz``), ``.parquet`` files; files, folders, globs and
standard input.

A record that cannot become a document (binary data, malformed JSON, a truncated archive) is
not an exception: it is yielded as a :class:`Quarantined` item with its file, line number and
reason, counted, and written to ``quarantine.jsonl``; the run goes on.
"""

from __future__ import annotations

import glob
import gzip
import hashlib
import io
import json
import math
import os
import re
import zlib
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

import regex
from ftfy.fixes import fix_surrogates

from .. import reasons
from ..config import HtmlConfig, TextConfig
from ..document import Document, split_paragraphs
from ..errors import CleanerError
from ..sites import site_from
from .decode import DecodeError, decode_bytes
from .html import Extracted, decode_html_file, extract_or_reason
from .parquet import PARQUET_SUFFIXES, read_parquet, text_field
from .unwrap import unwrap_into
from .warc import WARC_SUFFIXES, Pending, Skipped, read_warc

TEXT_SUFFIXES = (".txt", ".txt.gz", ".md", ".md.gz", ".markdown")
JSONL_SUFFIXES = (".jsonl", ".jsonl.gz", ".ndjson", ".ndjson.gz")
HTML_SUFFIXES = (".html", ".htm", ".html.gz", ".htm.gz")
#: Each input format and the file name endings that select it.
FORMATS = {
    "txt": TEXT_SUFFIXES,
    "jsonl": JSONL_SUFFIXES,
    "html": HTML_SUFFIXES,
    "warc": WARC_SUFFIXES,
    "parquet": PARQUET_SUFFIXES,
}
SUPPORTED_SUFFIXES = tuple(s for suffixes in FORMATS.values() for s in suffixes)
#: Formats with many documents per file: their documents are records (clean.jsonl or
#: clean.parquet), the others files (clean/<id>.txt).
RECORD_FORMATS = ("jsonl", "warc", "parquet")
STDIN = "-"
#: Longest document id kept as is; longer ones are shortened with a hash.
MAX_ID_CHARS = 120


@dataclass
class Quarantined:
    """An input record that could not become a document."""

    file: str
    line: int | None
    reason: str
    message: str
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"file": self.file, "line": self.line, "reason": self.reason}
        d["message"] = self.message
        d.update(self.extra)
        return d


@dataclass(frozen=True)
class InputFile:
    path: str  # as given, or "-" for stdin
    id_base: str  # document id (txt) or id prefix (jsonl), relative to the argument
    format: str  # a key of FORMATS

    @property
    def shown(self) -> str:
        """The path as outputs and messages name it (:func:`shown_path`)."""
        return shown_path(self.path)


def shown_path(path: str) -> str:
    """``path`` as outputs name it: a file name whose bytes are not UTF-8 (a Latin-1
    "résumé.txt" on a UTF-8 system, which Python holds with surrogate escapes that no UTF-8
    output can write) with U+FFFD for each byte that does not decode; other paths unchanged.
    The file is still opened by its own name."""
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        return os.fsencode(path).decode("utf-8", "replace")
    return path


def _format_of(name: str) -> str | None:
    lower = name.lower()
    for fmt, suffixes in FORMATS.items():
        if lower.endswith(suffixes):
            return fmt
    return None


def _strip_suffix(name: str) -> str:
    lower = name.lower()
    for suffix in sorted(SUPPORTED_SUFFIXES, key=len, reverse=True):
        if lower.endswith(suffix):
            return name[: -len(suffix)]
    return Path(name).stem if "." in Path(name).name else name


def expand_inputs(
    args: Iterable[str], stdin_format: str = "txt", exclude: Path | None = None
) -> tuple[list[InputFile], list[str]]:
    """Resolve files, folders (recursive), globs and ``-`` into input files, sorted within each
    argument so runs are repeatable. Returns ``(inputs, skipped files in folders)``. A glob's
    matches are read as if each were given on its own (as a shell would expand it): a
    folder it matches is searched, a file it matches is read."""
    inputs: list[InputFile] = []
    skipped: list[str] = []
    exclude_resolved = exclude.resolve() if exclude is not None else None
    for arg in args:
        if arg == STDIN:
            inputs.append(InputFile(STDIN, "stdin", stdin_format))
            continue
        if Path(arg).exists():
            paths = [arg]
        elif glob.has_magic(arg):
            paths = sorted(glob.glob(arg, recursive=True))
            if not any(map(os.path.isfile, paths)) and not any(map(os.path.isdir, paths)):
                raise CleanerError(f"no input file matches {arg!r}")
        else:
            raise CleanerError(f"input not found: {arg}")
        for given in paths:
            _expand_path(given, inputs, skipped, exclude_resolved)
    return inputs, skipped


def _expand_path(
    arg: str, inputs: list[InputFile], skipped: list[str], exclude: Path | None
) -> None:
    """One existing path: a folder's files (recursively, in order; those of no format read,
    hidden ones and those that are no regular file go to ``skipped``), or the file itself (read
    as text if its name gives no format)."""
    path = Path(arg)
    if path.is_file():
        name = shown_path(path.name)
        inputs.append(InputFile(arg, _strip_suffix(name), _format_of(name) or "txt"))
        return
    if not path.is_dir():  # a pipe, a socket, a device: nothing a run reads to its end
        raise CleanerError(f"input is neither a file nor a folder: {arg}")
    for root, dirs, files in os.walk(path):
        dirs.sort()
        root_path = Path(root)
        if exclude is not None and _inside(root_path, exclude):
            dirs.clear()
            continue
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in sorted(files):
            full = root_path / name
            fmt = _format_of(name)
            # a pipe, a socket or a device (a link to /dev/zero) is never read to its end; a
            # broken link stays, to be quarantined as unreadable
            if fmt is None or name.startswith(".") or (full.exists() and not full.is_file()):
                skipped.append(shown_path(str(full)))
                continue
            rel = shown_path(full.relative_to(path).as_posix())
            inputs.append(InputFile(str(full), _strip_suffix(rel), fmt))


def _inside(path: Path, parent: Path) -> bool:
    try:
        path.resolve().relative_to(parent)
        return True
    except ValueError:
        return False


_UNSAFE = regex.compile(r"[^\w.\-]+")


def safe_id(raw: str) -> str:
    """A document id usable as a relative path under ``clean/``: each component limited to
    letters, digits, ``.``, ``-`` and ``_``; never absolute, never ``..``, never empty."""
    parts = []
    for part in raw.replace("\\", "/").split("/"):
        part = _UNSAFE.sub("_", part).strip("._")
        if part:
            parts.append(part)
    out = "/".join(parts) or "doc"
    if len(out) > MAX_ID_CHARS:
        digest = hashlib.sha1(raw.encode("utf-8", "surrogatepass")).hexdigest()[:12]
        out = out[: MAX_ID_CHARS - 13].rstrip("/._") + "-" + digest
    return out


def _open_binary(input_file: InputFile, stdin: BinaryIO | None) -> io.BufferedIOBase:
    if input_file.path == STDIN:
        import sys

        stream = stdin if stdin is not None else sys.stdin.buffer
        head = stream.read(2)
        rest = stream.read()
        data = head + rest
        if head == b"\x1f\x8b":
            return gzip.GzipFile(fileobj=io.BytesIO(data))
        return io.BytesIO(data)
    if input_file.path.lower().endswith(".gz"):
        return gzip.open(input_file.path, "rb")
    return open(input_file.path, "rb")


_ARCHIVE_ERRORS = (EOFError, gzip.BadGzipFile, zlib.error)


def read_documents(
    inputs: Iterable[InputFile],
    stdin: BinaryIO | None = None,
    html: HtmlConfig | None = None,
    extract_workers: int = 1,
    text: TextConfig | None = None,
) -> Iterator[Document | Quarantined | Skipped]:
    """Yield a document per text file, HTML page, JSONL record, WARC page and Parquet row, a
    :class:`Quarantined` item for what cannot be one, and a :class:`Skipped` item for each
    WARC record that is not a page (requests, images...). ``html`` sets the extraction of
    HTML pages (the defaults of :class:`~cleaner.config.HtmlConfig` if omitted);
    ``extract_workers`` > 1 extracts the main text of HTML files and WARC pages in that many
    processes, reading ahead (the same items, in the same order). ``text`` sets the reading of
    text files (hard-wrapped ones unwrapped, by default)."""
    seen_ids = _Ids()
    html = html or HtmlConfig()
    text = text or TextConfig()
    pages = _Extractions(html, extract_workers)
    try:
        for input_file in inputs:
            if pages.takes(input_file):
                yield from pages.add(input_file, seen_ids)
                continue
            yield from pages.finish()
            for item in _read_one(input_file, stdin, seen_ids, html, text):
                yield _markdown_record(item, text.markdown)
        yield from pages.finish()
    finally:
        pages.close()


def _read_one(input_file: InputFile, stdin, seen_ids, html: HtmlConfig, text: TextConfig):
    """The items of one input file, by its format."""
    fmt = input_file.format
    if fmt == "jsonl":
        yield from _read_jsonl(input_file, stdin, seen_ids, text.field)
    elif fmt == "html":
        yield from _read_html(input_file, stdin, seen_ids, html)
    elif fmt in ("warc", "parquet"):
        yield from _read_archive(input_file, seen_ids, html, field=text.field)
    else:
        yield from _read_txt(input_file, stdin, seen_ids, text)


def _markdown_record(item: Any, mode: str) -> Any:
    """A JSON Lines or Parquet record's document with its Markdown paragraphs joined (text
    files have theirs joined as they are read)."""
    if not isinstance(item, Document) or item.metadata.get("format") not in ("jsonl", "parquet"):
        return item
    paragraphs = [ln.original for ln in item.lines]
    metadata = dict(item.metadata)
    joined = unwrap_into(paragraphs, metadata, mode, hard_wrap=False)
    if joined is paragraphs:
        return item
    return Document.from_paragraphs(item.id, joined, source=item.source, metadata=metadata)


class _Ids:
    """The document ids given so far (how many documents asked for each), and the folders
    their clean files (``clean/ID.txt``) need."""

    def __init__(self) -> None:
        self.count: dict[str, int] = {}
        self.folders: set[str] = set()

    def add(self, doc_id: str) -> None:
        self.count[doc_id] = 1
        parts = doc_id.split("/")
        self.folders.update("/".join(parts[:k]) for k in range(1, len(parts)))

    def is_file(self, path: str) -> bool:
        """Whether ``path`` is the clean file of an id given."""
        return path.endswith(".txt") and path[:-4] in self.count

    def clear_of_files(self, doc_id: str) -> str:
        """``doc_id`` with ``~N`` after each of its folders that is another id's clean file
        (``X.txt/b`` after ``X``: ``X.txt~2/b``)."""
        parts = doc_id.split("/")
        for k in range(len(parts) - 1):
            n = 1
            while self.is_file("/".join(parts[: k + 1])):
                n += 1
                parts[k] = f"{doc_id.split('/')[k]}~{n}"
        return "/".join(parts)


def _unique(doc_id: str, seen: _Ids) -> str:
    """``doc_id``, or ``doc_id~N`` for the N-th document that asks for it, or for one whose
    clean file would be a folder of an earlier id's (``X`` after ``X.txt/b``); an id whose
    folder would be an earlier id's clean file gets its ``~N`` there (``X.txt~2/b``)."""
    doc_id = seen.clear_of_files(doc_id)
    n = seen.count.get(doc_id, 0) + 1
    seen.count[doc_id] = n
    candidate = doc_id if n == 1 else f"{doc_id}~{n}"
    while (n > 1 and candidate in seen.count) or f"{candidate}.txt" in seen.folders:
        n += 1
        candidate = f"{doc_id}~{n}"
    seen.add(candidate)
    return candidate


def _read_txt(
    input_file: InputFile, stdin, seen_ids, text_cfg: TextConfig
) -> Iterator[Document | Quarantined]:
    name = input_file.shown
    decoded = yield from _read_text(input_file, stdin, decode_bytes)
    if decoded is None:
        return
    text, encoding = decoded
    paragraphs = split_paragraphs(text)
    if not paragraphs:
        yield Quarantined(name, None, reasons.EMPTY_DOCUMENT, "empty file")
        return
    metadata: dict[str, Any] = {
        "format": "txt",
        "encoding": encoding,
        "site": site_from(None, name, input_file.id_base),
    }
    paragraphs = unwrap_into(paragraphs, metadata, text_cfg.markdown, text_cfg.unwrap)
    doc_id = _unique(safe_id(input_file.id_base), seen_ids)
    yield Document.from_paragraphs(doc_id, paragraphs, source=name, metadata=metadata)


def _read_html(input_file: InputFile, stdin, seen_ids, html: HtmlConfig):
    decoded = yield from _read_text(input_file, stdin, decode_html_file)
    if decoded is None:
        return
    text, encoding = decoded
    yield _html_document(input_file, encoding, extract_or_reason(text, html), seen_ids)


def _html_document(
    input_file: InputFile, encoding: str, extracted: Extracted | str, seen_ids: _Ids
) -> Document | Quarantined:
    """The document of an HTML file whose main text is ``extracted``, or its quarantine."""
    name = input_file.shown
    if isinstance(extracted, str):
        return Quarantined(name, None, reasons.NO_EXTRACTED_TEXT, extracted)
    found = extracted.metadata
    return Document.from_paragraphs(
        _unique(safe_id(input_file.id_base), seen_ids),
        extracted.paragraphs,
        source=name,
        metadata={
            "format": "html",
            "encoding": encoding,
            "site": site_from(found, name, input_file.id_base),
            **found,
        },
    )


def _then(first: Callable[[Any], Any], then: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """``then`` after ``first``."""

    def both(x: Any) -> Any:
        return then(first(x))

    return both


#: How many pages (HTML files or WARC pages) are read ahead per extraction process.
EXTRACT_AHEAD = 4


class _Extractions:
    """HTML files and WARC archives whose pages' main text (the cost of HTML: trafilatura, tens
    of pages a second) is extracted in ``workers`` processes while the pages after them are
    read. Each page is read and decoded here, its extraction submitted, and its item handed on
    in input order: once it is done and all before it are, once :data:`EXTRACT_AHEAD` pages
    per process wait behind it, or before any other input."""

    def __init__(self, html: HtmlConfig, workers: int) -> None:
        self.html, self.workers = html, workers
        self._pool: Any = None
        # in input order: items ready to hand on, an extraction (or None), what makes its item
        self._pending: deque[tuple[list, Any, Callable[[Any], Any] | None]] = deque()
        self._waiting = 0  # extractions submitted and not handed on

    def takes(self, input_file: InputFile) -> bool:
        return (
            self.workers > 1 and input_file.format in ("html", "warc") and input_file.path != STDIN
        )

    def add(self, input_file: InputFile, seen_ids: _Ids) -> Iterator[Any]:
        """Read ``input_file``'s pages and submit their extraction; hand on what is done."""
        if input_file.format == "warc":
            for got in _read_archive(input_file, seen_ids, self.html, defer=True):
                if isinstance(got, Pending):
                    yield from self._put([], self._submit(got.html, got.url), got.finish)
                else:
                    yield from self._put([got], None, None)
            return
        items, decoded = _drained(_read_text(input_file, None, decode_html_file))
        if decoded is None:
            yield from self._put(items, None, None)
            return
        text, encoding = decoded

        def finish(extracted: Extracted | str) -> Document | Quarantined:
            return _html_document(input_file, encoding, extracted, seen_ids)

        yield from self._put(items, self._submit(text, None), finish)

    def finish(self) -> Iterator[Any]:
        while self._pending:
            yield from self._hand_on()

    def _submit(self, text: str | None, url: str | None) -> Any:
        if text is None:  # a plain text page: nothing to extract
            return None
        self._waiting += 1
        return self._executor().submit(extract_or_reason, text, self.html, url)

    def _put(self, items: list, future: Any, finish: Callable[[Any], Any] | None) -> Iterator:
        self._pending.append((items, future, finish))
        while self._pending and (
            self._waiting > EXTRACT_AHEAD * self.workers
            or self._pending[0][1] is None
            or self._pending[0][1].done()
        ):
            yield from self._hand_on()

    def _hand_on(self) -> Iterator[Any]:
        items, future, finish = self._pending.popleft()
        yield from items
        if future is not None:
            self._waiting -= 1
        if finish is not None:
            yield finish(future.result() if future is not None else None)

    def _executor(self) -> Any:
        if self._pool is None:
            import concurrent.futures as cf

            from ..execute.local import worker_context

            self._pool = cf.ProcessPoolExecutor(self.workers, mp_context=worker_context())
        return self._pool

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


def _drained(gen: Generator[Any, None, Any]) -> tuple[list, Any]:
    """What the generator ``gen`` yields, as a list, and what it returns."""
    items = []
    while True:
        try:
            items.append(next(gen))
        except StopIteration as stop:
            return items, stop.value


def _read_bytes(input_file: InputFile, stdin) -> Generator[Quarantined, None, bytes | None]:
    """The whole file's bytes (the generator's return value), or None after quarantining it."""
    name = input_file.shown
    try:
        with _open_binary(input_file, stdin) as fh:
            return fh.read()
    except _ARCHIVE_ERRORS as e:
        yield Quarantined(name, None, reasons.CORRUPT_ARCHIVE, f"corrupt or truncated gzip: {e}")
    except OSError as e:
        yield Quarantined(name, None, reasons.UNREADABLE, f"cannot read: {e.strerror or e}")
    return None


def _read_text(
    input_file: InputFile, stdin, decode: Callable[[bytes], tuple[str, str]]
) -> Generator[Quarantined, None, tuple[str, str] | None]:
    """The whole file's text and encoding by ``decode`` (the generator's return value), or None
    after quarantining it (unreadable, or not decodable)."""
    data = yield from _read_bytes(input_file, stdin)
    if data is None:
        return None
    try:
        return decode(data)
    except DecodeError as e:
        yield Quarantined(input_file.shown, None, e.reason, str(e), {"bytes": len(data)})
        return None


def _read_archive(
    input_file: InputFile, seen_ids, html: HtmlConfig, defer: bool = False, field: str = "text"
):
    """WARC and Parquet files: many documents each, read by their own modules. With ``defer``,
    a WARC page comes out as a :class:`~cleaner.io.warc.Pending` page whose ``finish`` makes
    its document or quarantine item; else it is extracted here. ``field``: the Parquet column
    of the text."""
    path, name = input_file.path, input_file.shown
    if name == STDIN:
        raise CleanerError(f"{input_file.format} cannot be read from standard input")

    def unique(base: str) -> str:
        return _unique(safe_id(base), seen_ids)

    def item(got: Any) -> Any:
        if not isinstance(got, tuple):
            return got
        reason, offset, message, record_id = got
        extra: dict[str, Any] = {"offset": offset} if offset is not None else {}
        if record_id:
            extra["record_id"] = record_id
        return Quarantined(name, None, reason, message, extra)

    try:
        if input_file.format == "warc":
            for got in read_warc(path, input_file.id_base, unique):
                if not isinstance(got, Pending):
                    yield item(got)
                elif defer:
                    yield Pending(got.html, got.url, _then(got.finish, item))
                else:
                    yield item(got.extract(html))
        else:
            for row in read_parquet(path, input_file.id_base, unique, field):
                yield Quarantined(name, row[1], row[0], row[2]) if isinstance(row, tuple) else row
    except OSError as e:
        yield Quarantined(name, None, reasons.UNREADABLE, f"cannot read: {e.strerror or e}")


def _read_jsonl(
    input_file: InputFile, stdin, seen_ids, field: str = "text"
) -> Iterator[Document | Quarantined]:
    name = input_file.shown
    lineno = 0
    try:
        with _open_binary(input_file, stdin) as fh:
            for lineno, raw in enumerate(fh, 1):
                if not raw.strip():
                    continue
                item = _parse_record(raw, name, lineno, field)
                if isinstance(item, Quarantined):
                    yield item
                    continue
                record, encoding = item
                text = record.pop(field)
                raw_id = record.get("id")
                if raw_id is None or isinstance(raw_id, bool) or not isinstance(raw_id, str | int):
                    base = f"{input_file.id_base}-{lineno}"
                else:
                    base = str(raw_id)
                paragraphs = split_paragraphs(text)
                if not paragraphs:
                    yield Quarantined(name, lineno, reasons.EMPTY_DOCUMENT, "empty text")
                    continue
                yield Document.from_paragraphs(
                    _unique(safe_id(base), seen_ids),
                    paragraphs,
                    source=f"{name}:{lineno}",
                    metadata={
                        "format": "jsonl",
                        "encoding": encoding,
                        "site": site_from(record, name, input_file.id_base),
                        "fields": record,
                        **text_field(field),
                    },
                )
    except _ARCHIVE_ERRORS as e:
        yield Quarantined(
            name, lineno + 1, reasons.CORRUPT_ARCHIVE, f"corrupt or truncated gzip: {e}"
        )
    except OSError as e:
        yield Quarantined(name, None, reasons.UNREADABLE, f"cannot read: {e.strerror or e}")


_SURROGATE_ESCAPE = re.compile(rb"\\[uU][dD][89a-fA-F]")


def _fix_surrogates_deep(value: Any) -> Any:
    """JSON escapes can carry UTF-16 surrogates that UTF-8 cannot encode: pair them up into
    the characters they stand for, replace lone ones with U+FFFD."""
    if isinstance(value, str):
        return fix_surrogates(value)
    if isinstance(value, list):
        return [_fix_surrogates_deep(v) for v in value]
    if isinstance(value, dict):
        return {_fix_surrogates_deep(k): _fix_surrogates_deep(v) for k, v in value.items()}
    return value


def _finite(text: str) -> float:
    """A JSON number as a float, refused where no float holds it (``1e400``: it would be
    written back as ``Infinity``, which is no JSON)."""
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"the number {text[:24]} is beyond a float's range")
    return value


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is no JSON value")


def _parse_record(raw: bytes, name: str, lineno: int, field: str = "text"):
    try:
        line, encoding = decode_bytes(raw)
    except DecodeError as e:
        return Quarantined(name, lineno, e.reason, str(e))
    try:
        record = json.loads(line, parse_float=_finite, parse_constant=_no_constant)
    except json.JSONDecodeError as e:
        return Quarantined(name, lineno, reasons.MALFORMED_JSON, f"not JSON: {e.msg}")
    except RecursionError:
        return Quarantined(name, lineno, reasons.MALFORMED_JSON, "JSON nested too deeply")
    except ValueError as e:  # an integer of more digits than Python converts (4,300)
        detail = str(e).split(";")[0]
        return Quarantined(name, lineno, reasons.MALFORMED_JSON, f"not readable JSON: {detail}")
    if not isinstance(record, dict):
        return Quarantined(name, lineno, reasons.MALFORMED_JSON, "not a JSON object")
    if _SURROGATE_ESCAPE.search(raw):
        record = _fix_surrogates_deep(record)
    if not isinstance(record.get(field), str):
        return Quarantined(name, lineno, reasons.MISSING_TEXT, f"no string {field!r} field")
    return record, encoding
