"""HTML pages to paragraphs: the declared charset, then trafilatura's main-text extraction.

Decoding follows the order browsers use (WHATWG): a byte-order mark, then the charset the HTTP
response declared (WARC records), then the page's own ``<meta charset>`` or ``http-equiv``
declaration, each tried strictly; a label that does not decode the bytes is passed over, and
what is left goes to cleaner's own detection (UTF-8, else cp1252 / latin-1 / GB18030). One
exception: bytes that are valid UTF-8 beyond ASCII are read as UTF-8 whatever is declared. A
library such as w3lib decodes with the declared label and replacement characters instead: on
scraped news, where a page that says UTF-8 is often cp1252, that loses the text for good, while
the detection recovers it.

A page saved with its HTTP response head in front (``curl -i``; one head per redirect with
``curl -iL``) is read without it, honouring the last head's charset.

The main text is trafilatura's (``bare_extraction``), one paragraph per line (a table's row as
``| a | b |``, which the ``markdown`` stage shows as its cells' text), with the page's title,
author, date and URL (canonical link or ``og:url``) when it has them. trafilatura is imported
on the first page only.
"""

from __future__ import annotations

import codecs
import re
import warnings
from dataclasses import dataclass
from typing import Any

from ..config import HtmlConfig
from ..errors import MissingDependencyError
from .decode import decode_bytes

#: Labels browsers read as windows-1252 (WHATWG Encoding): ISO-8859-1 and ASCII pages are
#: cp1252 in practice (its 0x80-0x9F are the curly quotes and dashes latin-1 lacks).
_AS_CP1252 = {"latin_1", "iso8859_1", "ascii", "cp1252"}
_META_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]+)""", re.IGNORECASE
)
#: The declaration must be in the first 1024 bytes (HTML's rule); a little more is forgiven.
_META_SCAN_BYTES = 4096


def charset_from_content_type(value: str | None) -> str | None:
    """The ``charset`` parameter of a Content-Type header value, or None."""
    if not value:
        return None
    m = re.search(r"charset\s*=\s*[\"']?([A-Za-z0-9_.:\-]+)", value, re.IGNORECASE)
    return m.group(1) if m else None


#: Bytes every encoding a page may be written in reads as ASCII.
_ASCII_PROBE = b"<html lang=fr>Texte, 0-9 & a+b"


def _codec(label: str | None) -> str | None:
    """Python's codec for an encoding label, with the WHATWG substitutions; None if unknown."""
    if not label:
        return None
    try:
        name = codecs.lookup(label.strip().lower()).name
        b"".decode(name)  # a label of a codec that is no text encoding (rot13, base64, undefined)
        # nor one a page is written in: ASCII must read as itself (not EBCDIC's cp037), and
        # no escapes be decoded (unicode_escape)
        if "escape" in name:
            return None
        wide = name.startswith(("utf-16", "utf-32"))  # read as UTF-8 below (WHATWG)
        if not wide and _ASCII_PROBE.decode(name) != _ASCII_PROBE.decode("ascii"):
            return None
    except (LookupError, UnicodeError):
        return None
    if name.replace("-", "_") in _AS_CP1252:
        return "cp1252"
    if name in ("gbk", "gb2312"):
        return "gb18030"  # the superset browsers use for both labels
    return name


def _try_decode(data: bytes, codec: str | None) -> str | None:
    if codec is None:
        return None
    if codec == "cp1252":
        # cp1252 leaves five bytes undefined; browsers map them to the C1 code points of the
        # same value (WHATWG windows-1252), which the encoding stage then removes
        return data.decode("cp1252", "surrogateescape").translate(_CP1252_UNDEFINED)
    try:
        return data.decode(codec)
    except (UnicodeError, LookupError):
        return None


_CP1252_UNDEFINED = {0xDC00 + b: b for b in (0x81, 0x8D, 0x8F, 0x90, 0x9D)}


#: An HTTP response's status line, as ``curl -i`` saves it in front of the page.
_STATUS_LINE = re.compile(rb"HTTP/\d(?:\.\d)? \d{3}\b")
#: The end of a response head, and its Content-Type header.
_HEAD_END = re.compile(rb"\r?\n\r?\n")
_CONTENT_TYPE = re.compile(rb"^content-type:[ \t]*([^\r\n]*)", re.IGNORECASE | re.MULTILINE)
#: The most a response head may take (a real one is a few KB), and the most heads read (a
#: redirect chain is a few).
_MAX_HEAD_BYTES = 65536
_MAX_HEADS = 20


def without_http_head(data: bytes) -> tuple[bytes, str | None]:
    """A saved page's bytes without the HTTP response heads in front of them, if any (at most
    :data:`_MAX_HEADS`), and the charset of the last head's Content-Type (None if none)."""
    charset = None
    at = 0
    for _ in range(_MAX_HEADS):
        if not _STATUS_LINE.match(data, at):
            break
        end = _HEAD_END.search(data, at, at + _MAX_HEAD_BYTES)
        if end is None:
            break
        found = _CONTENT_TYPE.search(data, at, end.start())
        charset = charset_from_content_type(found.group(1).decode("latin-1")) if found else None
        at = end.end()
    return data[at:], charset


def decode_html_file(data: bytes) -> tuple[str, str]:
    """``(text, encoding)`` of a saved HTML page: :func:`decode_html` of the page, without any
    HTTP response head saved in front of it, whose charset counts as the HTTP charset."""
    body, charset = without_http_head(data)
    return decode_html(body, charset)


def decode_html(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """``(text, encoding)`` of an HTML page's bytes; ``declared`` is the HTTP charset, if any.
    Raises :class:`~cleaner.io.decode.DecodeError` for binary or undecodable data."""
    if data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return decode_bytes(data)
    if not data.isascii():
        # Valid UTF-8 beyond ASCII is UTF-8 whatever the page says: a page template that
        # declares windows-1252 over UTF-8 text is far more common than cp1252 text that
        # happens to be valid UTF-8, and reading it as declared would make mojibake.
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            if "\x00" not in text[:8192]:
                return text, "utf-8"
    for label in (declared, _meta_charset(data)):
        codec = _codec(label)
        if codec is not None and codec.startswith("utf-16"):
            codec = "utf-8"  # a page read as bytes that says UTF-16 without a BOM is not (WHATWG)
        decoded = _try_decode(data, codec)
        if decoded is not None and codec is not None and "\x00" not in decoded[:8192]:
            return decoded, codec
    return decode_bytes(data)


def _meta_charset(data: bytes) -> str | None:
    m = _META_CHARSET.search(data[:_META_SCAN_BYTES])
    return m.group(1).decode("ascii") if m else None


@dataclass(frozen=True)
class Extracted:
    """The main text of a page (paragraphs) and what trafilatura found about it."""

    paragraphs: list[str]
    metadata: dict[str, str]


_trafilatura: Any = None


def _bare_extraction() -> Any:
    global _trafilatura
    if _trafilatura is None:
        try:
            import trafilatura
        except ImportError:  # pragma: no cover - a core dependency
            raise MissingDependencyError(
                "reading HTML and WARC needs trafilatura: pip install trafilatura"
            ) from None
        _trafilatura = trafilatura
    return _trafilatura.bare_extraction


def extract_html(html: str, config: HtmlConfig, url: str | None = None) -> Extracted:
    """The main text of ``html`` as paragraphs (none when nothing could be extracted), with
    ``url``, ``title``, ``date`` and ``author`` when the page has them. ``url`` (a WARC record's)
    is used for the page's links and kept in place of the page's own canonical URL."""
    result = _bare_extraction()(
        html,
        url=url,
        fast=config.fast,
        favor_precision=config.favor == "precision",
        favor_recall=config.favor == "recall",
        include_comments=config.include_comments,
        include_tables=config.include_tables,
        with_metadata=True,
        date_extraction_params={
            "extensive_search": config.extensive_date_search,
            "original_date": True,
        },
    )
    if result is None:
        return Extracted([], {"url": url} if url else {})
    paragraphs = [p for p in (result.text or "").split("\n") if p.strip()]
    metadata = {}
    for key in ("url", "title", "date", "author"):
        value = getattr(result, key, None)
        if isinstance(value, str) and value.strip():
            metadata[key] = value.strip()
    if url:
        metadata["url"] = url
    return Extracted(paragraphs, metadata)


def extract_or_reason(text: str, html: HtmlConfig, url: str | None = None) -> Extracted | str:
    """The page's main text, or why there is none (the quarantine message)."""
    try:
        with warnings.catch_warnings():
            # a page's odd date ("EST", "CST") makes dateutil, under trafilatura, warn on
            # stderr: about the page, not the run, and the page's date is only metadata
            warnings.simplefilter("ignore")
            extracted = extract_html(text, html, url)
    except RecursionError:
        return "the page is nested too deeply to parse"
    except MissingDependencyError:
        raise
    except Exception as e:  # noqa: BLE001 - lxml and trafilatura fail in many ways on bad pages
        return f"trafilatura could not read the page ({type(e).__name__}: {e})"
    if not extracted.paragraphs:
        return "trafilatura found no main text in the page"
    return extracted
