"""Small inputs in every format, written for the tests: HTML pages, WARC archives, Parquet.

The pages are made-up French news (no text from a real site), with the chrome real pages
have around the article (menus, a cookie banner, a footer), so that the extraction has
something to remove.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

ARTICLE = [
    "La Sorne est sortie de son lit mardi matin après trois jours de pluie continue sur le "
    "massif, selon la préfecture.",
    "Les pompiers ont évacué une vingtaine de maisons dans le quartier bas de la ville, où "
    "l’eau atteignait par endroits un mètre.",
    "« Nous n’avions jamais vu ça depuis 1999 », raconte une habitante installée depuis "
    "quarante ans au bord de la rivière.",
    "Le maire a demandé la reconnaissance de l’état de catastrophe naturelle dès mercredi "
    "matin, avant la visite du préfet.",
]
TITLE = "La crue de la Sorne inquiète les riverains"
CHROME = ["Accueil", "Région", "Sport", "Économie", "Nous contacter", "Mentions légales"]


def page_html(
    paragraphs: list[str] = ARTICLE,
    *,
    title: str = TITLE,
    url: str | None = "https://www.courrier-matin.fr/region/crue-sorne",
    author: str | None = "Jeanne Martin",
    date: str | None = "2024-03-12",
    charset: str | None = "utf-8",
    http_equiv: bool = False,
) -> str:
    """A news page: navigation, the article, a cookie banner and a footer."""
    head = []
    if charset and http_equiv:
        head.append(f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">')
    elif charset:
        head.append(f'<meta charset="{charset}">')
    head.append(f"<title>{title} | Le Courrier du Matin</title>")
    if url:
        head.append(f'<link rel="canonical" href="{url}">')
    if author:
        head.append(f'<meta name="author" content="{author}">')
    if date:
        head.append(f'<meta property="article:published_time" content="{date}T08:00:00+01:00">')
    nav = "".join(f'<li><a href="/{i}">{c}</a></li>' for i, c in enumerate(CHROME))
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f'<!DOCTYPE html><html lang="fr"><head>{"".join(head)}</head><body>'
        f"<header><nav><ul>{nav}</ul></nav></header>"
        f"<main><article><h1>{title}</h1>{body}</article></main>"
        '<div class="cookie-banner"><p>Ce site utilise des cookies pour mesurer son audience. '
        "<a href='/cookies'>En savoir plus</a></p></div>"
        "<footer><p>© 2024 Le Courrier du Matin. Tous droits réservés.</p></footer>"
        "</body></html>"
    )


EMPTY_PAGE = (
    '<!DOCTYPE html><html><head><meta charset="utf-8"><title>Accueil</title></head><body>'
    '<div id="app"></div><script>window.start()</script></body></html>'
)


def write_warc(path: Path, records: list[dict[str, Any]], gzip: bool = True) -> Path:
    """A WARC file of ``records``: each a dict with ``type`` (response, request, warcinfo,
    metadata...), ``url``, ``body`` (bytes), ``content_type`` (the HTTP one, for responses),
    ``status`` (default 200) and ``date``."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=gzip)
    for n, r in enumerate(records):
        kind = r.get("type", "response")
        warc_headers = {
            "WARC-Record-ID": f"<urn:uuid:00000000-0000-4000-8000-{n:012d}>",
            "WARC-Date": r.get("date", "2024-03-12T08:30:00Z"),
        }
        if kind == "warcinfo":
            record = writer.create_warcinfo_record("crawl.warc.gz", {"software": "tests"})
            record.rec_headers.replace_header("WARC-Record-ID", warc_headers["WARC-Record-ID"])
            record.rec_headers.replace_header("WARC-Date", warc_headers["WARC-Date"])
        else:
            http = None
            if kind in ("response", "request"):
                first = f"{r.get('status', 200)} OK" if kind == "response" else "GET / HTTP/1.1"
                headers = [("Content-Type", r["content_type"])] if "content_type" in r else []
                http = StatusAndHeaders(
                    first, headers, protocol="HTTP/1.1" if kind == "response" else ""
                )
            record = writer.create_warc_record(
                r["url"],
                kind,
                payload=io.BytesIO(r.get("body", b"")),
                http_headers=http,
                warc_content_type=r.get("warc_content_type"),
                warc_headers_dict=warc_headers,
            )
        writer.write_record(record)
    path.write_bytes(buf.getvalue())
    return path


def write_parquet(path: Path, columns: dict[str, list[Any]], schema: Any = None, **kw: Any) -> Path:
    """A Parquet file of ``columns`` (with ``schema`` when the types must be exact)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.table(columns, schema=schema) if schema is not None else pa.table(columns)
    pq.write_table(table, str(path), **kw)
    return path


#: The article of a short page about Lyon's schools (the line benchmarks' HTML tests).
SCHOOLS = [
    "La ville de Lyon a voté hier soir un budget de 120 millions d'euros pour rénover ses "
    "écoles primaires, a annoncé le maire à l'issue du conseil municipal.",
    "Les travaux commenceront au printemps et dureront trois ans ; les classes seront "
    "déplacées dans des bâtiments provisoires installés dans les cours.",
    "Les parents d'élèves, consultés en janvier, ont approuvé le calendrier proposé par la "
    "mairie, selon leur fédération départementale.",
]
SCHOOLS_TITLE = "Lyon rénove ses écoles"


def schools_html(menu: list[str], footer: list[str]) -> str:
    """The schools page: a menu of ``menu``'s links, the headline and :data:`SCHOOLS` in an
    ``<article>``, a footer of ``footer``'s paragraphs."""
    links = "".join(f"<li><a href='/{m}'>{m}</a></li>" for m in menu)
    body = "".join(f"<p>{p}</p>" for p in SCHOOLS)
    return (
        f"<html><head><title>{SCHOOLS_TITLE}</title></head><body><nav><ul>{links}</ul></nav>"
        f"<article><h1>{SCHOOLS_TITLE}</h1>{body}</article>"
        "<footer>" + "".join(f"<p>{f}</p>" for f in footer) + "</footer></body></html>"
    )
