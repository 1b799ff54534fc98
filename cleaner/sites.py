"""A document's site: the unit whose pages share a template (menus, footers, slogans).

The site is the host of the document's URL when it has one (a JSONL record's ``url`` field,
``www.`` removed, lower-cased), otherwise the folder its input file is in, named as under the
folder given on the command line (``cleaner run scraped/`` reads ``scraped/lemonde/a.txt`` as
site ``lemonde``; a file directly in ``scraped/``, or given alone, has its folder's own name),
so that no absolute path of the machine reaches the outputs. Readers record it in
``metadata["site"]``; documents built in memory without one belong to the unnamed site ``""``
unless the caller sets ``metadata["site"]`` or ``metadata["url"]``.
"""

from __future__ import annotations

import os
import posixpath
from typing import Any
from urllib.parse import urlsplit

#: Record fields that may hold the page's URL, in the order they are tried.
URL_FIELDS = ("url", "link", "source_url", "canonical_url")


def host_of(url: Any) -> str | None:
    """The lower-cased host of ``url`` without ``www.``, or ``None`` if it has none."""
    if not isinstance(url, str) or "." not in url:
        return None
    try:
        parts = urlsplit(url.strip() if "//" in url else "//" + url.strip())
        host = parts.hostname
    except ValueError:
        return None
    if not host or "." not in host:
        return None
    return host.removeprefix("www.")


def site_from(fields: dict[str, Any] | None, path: str, relative: str) -> str:
    """The site of a document with these record fields (``None`` for a text file), read from
    ``path`` (``-`` for standard input) found at ``relative`` under the input argument."""
    for key in URL_FIELDS:
        host = host_of((fields or {}).get(key))
        if host:
            return host
    if path == "-":
        return "stdin"
    folder = posixpath.dirname(relative.replace("\\", "/"))
    return folder or os.path.basename(os.path.dirname(os.path.abspath(path))) or "."


def page_url(doc) -> str:
    """The URL recorded for ``doc``: its record's first URL field (:data:`URL_FIELDS`), else
    the one its reader found (an HTML page's canonical URL, a WARC record's target); ""."""
    fields = doc.metadata.get("fields")
    for value in [fields.get(key) for key in URL_FIELDS] if isinstance(fields, dict) else []:
        if isinstance(value, str) and value.strip():
            return value.strip()
    url = doc.metadata.get("url")
    return url.strip() if isinstance(url, str) else ""


def site_of(doc) -> str:
    """The site recorded for ``doc`` (see the module's docstring)."""
    metadata = doc.metadata
    site = metadata.get("site")
    if isinstance(site, str):
        return site
    host = host_of(metadata.get("url"))
    return host or ""
