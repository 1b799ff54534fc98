"""WARC archives (``.warc``, ``.warc.gz``, and Common Crawl's ``.wet`` text) into documents.

Read with warcio, streaming, one record at a time. A ``response`` record whose HTTP
Content-Type is HTML or plain text (and whose status is 2xx) becomes a document: its id is the
record id, its metadata the ``url`` (WARC-Target-URI) and ``date`` (WARC-Date), decoded with
the HTTP charset when there is one. ``resource`` and ``conversion`` records (wget's local
files, Common Crawl's WET text) count the same way with their WARC Content-Type. Every other
record is skipped and counted by kind (``request``, ``warcinfo``, ``response (image/jpeg)``,
``response (HTTP 404)``...) in the manifest.

warcio ends quietly at a truncated archive; here the damage is noticed (a record shorter than
its Content-Length, or a file that goes on past the last record read) and quarantined as
``corrupt_archive``, after the records read before it.

A page comes out of :func:`read_warc` as a :class:`Pending` page: its HTML, and what makes it a
document once its main text is extracted. The caller extracts it at once, or in another
process while the next records are read (``--workers``).
"""

from __future__ import annotations

import gzip
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, BinaryIO

from .. import reasons
from ..config import HtmlConfig
from ..document import Document, split_paragraphs
from ..errors import MissingDependencyError
from ..sites import host_of, site_from
from .decode import DecodeError
from .html import Extracted, charset_from_content_type, decode_html, extract_or_reason

WARC_SUFFIXES = (".warc", ".warc.gz", ".wet", ".wet.gz")
HTML_TYPES = ("text/html", "application/xhtml+xml")
TEXT_TYPES = ("text/plain",)
#: Record types whose block is the page itself, with the WARC Content-Type (no HTTP headers).
_BARE_TYPES = ("resource", "conversion")


@dataclass(frozen=True)
class Skipped:
    """A record that is not a page (a request, an image, an error page): counted, not read."""

    file: str
    kind: str


#: What a page of a WARC file becomes: a document, or ``(reason, offset, message, record id)``
#: for a page that cannot be one.
Made = Document | tuple[str, int | None, str, str]


@dataclass(frozen=True)
class Pending:
    """A page read from a WARC file: ``html`` to extract the main text from (None for a plain
    text page: nothing to extract), with the record's ``url``, and ``finish``, which turns the
    extraction's result (:func:`~cleaner.io.html.extract_or_reason`'s, or None for plain text)
    into what the page makes (a :data:`Made`). ``finish`` takes the page's id: call it in input order."""

    html: str | None
    url: str | None
    finish: Callable[[Extracted | str | None], Any]

    def extract(self, config: HtmlConfig) -> Made:
        """The page made here and now."""
        extracted = None if self.html is None else extract_or_reason(self.html, config, self.url)
        return self.finish(extracted)


def _archive_iterator(fh: BinaryIO) -> Any:
    try:
        from warcio.archiveiterator import ArchiveIterator
    except ImportError:  # pragma: no cover - a core dependency
        raise MissingDependencyError("reading WARC needs warcio: pip install warcio") from None
    records = ArchiveIterator(fh)
    load_http_headers = records.loader.load_http_headers

    def without_uri_too(rec_type: str, uri: str | None, stream: Any, length: Any) -> Any:
        # warcio reads a response's target URI to know whether HTTP headers follow, and
        # fails on a record without one: such a record is read with none (and skipped)
        return load_http_headers(rec_type, uri or "", stream, length)

    records.loader.load_http_headers = without_uri_too
    return records


def read_warc(
    path: str, relative: str, unique: Any
) -> Iterator[Pending | Skipped | tuple[str, int | None, str, str]]:
    """Pages, skipped records and, for damage, ``(reason, offset, message, record id)``
    tuples (the caller turns them into quarantine entries) for the WARC file at ``path``;
    ``unique`` makes a record id a document id."""
    size = os.path.getsize(path)
    with open(path, "rb") as fh:
        if not _starts_an_archive(fh):
            yield (reasons.CORRUPT_ARCHIVE, 0, "not a WARC file: it starts with no 'WARC/'", "")
            return
        records = _archive_iterator(fh)
        try:
            for record in records:
                kind, mime, charset = _classify(record)
                body = record.content_stream().read() if kind is None else b""
                offset = records.get_record_offset()  # reads the rest of the record
                if record.raw_stream.limit > 0:  # it ended before its Content-Length
                    yield _truncated(offset, record)
                    return
                if kind is not None:
                    yield Skipped(path, kind)
                    continue
                yield _page(path, relative, record, offset, body, mime, charset, unique)
        except Exception as e:  # noqa: BLE001 - warcio raises many kinds on a damaged archive
            at = records.offset
            yield (
                reasons.CORRUPT_ARCHIVE,
                at,
                f"damaged WARC: the record at byte {at} cannot be read ({type(e).__name__}: {e})",
                "",
            )
            return
        if records.offset < size:
            yield (
                reasons.CORRUPT_ARCHIVE,
                records.offset,
                f"truncated or damaged WARC: nothing readable after byte {records.offset} "
                f"of {size}",
                "",
            )


#: How a WARC file (or the older ARC format warcio also reads) begins, once gunzipped.
_ARCHIVE_STARTS = (b"WARC/", b"filedesc://")


def _starts_an_archive(fh: BinaryIO) -> bool:
    """Whether the file ``fh`` holds begins as a WARC or ARC file does (a text file named
    .warc makes warcio guess records out of its lines); ``fh`` is left at its start."""
    head = fh.read(64)
    fh.seek(0)
    if head.startswith(b"\x1f\x8b"):
        try:
            with gzip.GzipFile(fileobj=fh) as gz:
                head = gz.read(64)
        except (OSError, EOFError):
            head = b"WARC/"  # a damaged gzip: warcio says how, as before
        fh.seek(0)
    return head.lstrip(b"\r\n").startswith(_ARCHIVE_STARTS)


def _truncated(offset: int, record: Any) -> tuple[str, int, str, str]:
    rid = record.rec_headers.get_header("WARC-Record-ID") or ""
    return (
        reasons.CORRUPT_ARCHIVE,
        offset,
        f"truncated WARC: the record at byte {offset} ends early",
        rid,
    )


def _classify(record: Any) -> tuple[str | None, str, str | None]:
    """``(skip kind or None, mime type, charset)`` of a record."""
    rec_type = record.rec_type
    if rec_type in _BARE_TYPES:
        content_type = record.rec_headers.get_header("Content-Type") or ""
    elif rec_type == "response" and not record.rec_headers.get_header("WARC-Target-URI"):
        return "response (no WARC-Target-URI)", "", None
    elif rec_type == "response" and record.http_headers is not None:
        status = record.http_headers.get_statuscode() or ""
        if not status.startswith("2"):
            return f"response (HTTP {status or 'no status'})", "", None
        content_type = record.http_headers.get_header("Content-Type") or ""
    else:
        return rec_type or "unknown", "", None
    mime = content_type.split(";", 1)[0].strip().lower()
    if mime not in HTML_TYPES + TEXT_TYPES:
        return f"{rec_type} ({mime or 'no content type'})", mime, None
    return None, mime, charset_from_content_type(content_type)


def _page(
    path: str,
    relative: str,
    record: Any,
    offset: int,
    body: bytes,
    mime: str,
    charset: str | None,
    unique: Any,
) -> Pending | tuple[str, int | None, str, str]:
    headers = record.rec_headers
    raw_id = headers.get_header("WARC-Record-ID") or f"{relative}-{offset}"
    url = headers.get_header("WARC-Target-URI")
    try:
        text, encoding = decode_html(body, charset)
    except DecodeError as e:
        return (e.reason, offset, str(e), raw_id)
    fields: dict[str, Any] = {"id": raw_id.strip("<>").removeprefix("urn:uuid:")}
    if url:
        fields["url"] = url
    date = headers.get_header("WARC-Date")
    if date:
        fields["date"] = date
    metadata: dict[str, Any] = {
        "format": "warc",
        "encoding": encoding,
        "site": host_of(url) or site_from(None, path, relative),
    }
    where = (f"{path}:{offset}", offset, raw_id)

    def finish(extracted: Extracted | str | None) -> Made:
        return _document(where, text, extracted, fields, metadata, unique)

    return Pending(text if mime in HTML_TYPES else None, url, finish)


def _document(
    where: tuple[str, int, str],
    text: str,
    extracted: Extracted | str | None,
    fields: dict[str, Any],
    metadata: dict[str, Any],
    unique: Any,
) -> Made:
    """The document of a page at ``where`` (source, offset, raw record id) whose main text is
    ``extracted`` (None: the page is plain ``text``), or why there is none."""
    source, offset, raw_id = where
    found: dict[str, str] = {}
    if isinstance(extracted, str):
        return (reasons.NO_EXTRACTED_TEXT, offset, extracted, raw_id)
    if extracted is not None:
        paragraphs, found = extracted.paragraphs, extracted.metadata
    else:
        paragraphs = split_paragraphs(text)
        if not any(p.strip() for p in paragraphs):
            return (reasons.EMPTY_DOCUMENT, offset, "empty text", raw_id)
    fields = dict(fields)
    if "author" in found:
        fields["author"] = found["author"]
    metadata = {**metadata, "fields": fields}
    metadata.update({k: v for k, v in fields.items() if k != "id"})
    if "title" in found:
        metadata["title"] = found["title"]
    return Document.from_paragraphs(
        unique(fields["id"]), paragraphs, source=source, metadata=metadata
    )
