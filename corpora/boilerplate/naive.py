"""Shared helpers for the boilerplate line dataset: decoding, the naive scraper (the tokens the
labels are aligned on are cleaner.linemodel.align's).

Kept in one small module so that build.py and the benchmark turn pages into lines in exactly
the same way.
"""

import hashlib
import re

import lxml.etree
import lxml.html

# Elements whose text a naive scraper never sees. <head> itself is not dropped: its
# only text-bearing child is <title>, and lxml sometimes parks the whole body inside a
# <head> it never saw closed (a browser shows that text).
DROP_TAGS = {"script", "style", "noscript", "template", "title", "svg", "math"}

# Elements that start and end a text block (one output line per block).
BLOCK_TAGS = {
    "address", "article", "aside", "blockquote", "body", "br", "caption", "center",
    "dd", "details", "dialog", "dir", "div", "dl", "dt", "fieldset", "figcaption",
    "figure", "footer", "form", "frameset", "h1", "h2", "h3", "h4", "h5", "h6",
    "header", "hgroup", "hr", "html", "legend", "li", "main", "menu", "nav", "ol",
    "option", "p", "pre", "section", "summary", "table", "tbody", "td", "tfoot",
    "th", "thead", "tr", "ul", "select", "textarea", "iframe", "img", "video",
    "audio", "object", "noframes", "frame",
}

# HTML collapses ASCII whitespace only; NBSP and narrow NBSP are kept as they are.
_WS = re.compile(r"[ \t\n\r\f\v]+")
_META_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]+)""", re.IGNORECASE
)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
# libxml2 drops what follows </html> (some pages put their <body> there); browsers do not.
_END_TAGS = re.compile(r"</\s*(?:html|body)\s*>", re.IGNORECASE)


def decode_html(raw: bytes) -> tuple[str, str]:
    """Bytes to text: BOM, then UTF-8 if valid, then <meta charset>, then cp1252. Returns (text, codec)."""
    for bom, codec in ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if raw.startswith(bom):
            return raw[len(bom):].decode(codec, errors="replace"), codec
    # Bytes that decode as UTF-8 are UTF-8, whatever the page declares (pages re-saved
    # by a benchmark's authors often keep a stale legacy <meta charset>).
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    m = _META_CHARSET.search(raw[:8192])
    if m:
        name = m.group(1).decode("ascii", "ignore").lower()
        aliases = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030",
                   "iso-8859-1": "cp1252", "latin1": "cp1252", "latin-1": "cp1252",
                   "us-ascii": "cp1252", "ascii": "cp1252", "big5": "big5hkscs",
                   "shift_jis": "cp932", "x-sjis": "cp932", "euc-kr": "cp949", "ks_c_5601-1987": "cp949",
                   "utf8": "utf-8", "unicode": "utf-8", "utf-16": "utf-8"}
        name = aliases.get(name, name)
        try:
            return raw.decode(name), name
        except (LookupError, UnicodeDecodeError):
            if name not in ("utf-8",):
                try:
                    return raw.decode(name, errors="replace"), name + "+replace"
                except LookupError:
                    pass
    return raw.decode("cp1252", errors="replace"), "cp1252"


def parse_html(text: str):
    text = _END_TAGS.sub("", _XML_DECL.sub("", text, count=1)).replace("\x00", "")
    if not text.strip():
        return None
    try:
        return lxml.html.document_fromstring(text)
    except (lxml.etree.ParserError, ValueError):
        return None


def _walk(el, out: list):
    """Append text pieces and None (a block break) to out, in document order."""
    tag = el.tag if isinstance(el.tag, str) else None
    if tag is None:  # comment, processing instruction, entity
        if el.tail:
            out.append(el.tail)
        return
    tag = tag.lower().split("}")[-1]
    if tag in DROP_TAGS:
        if el.tail:
            out.append(el.tail)
        return
    block = tag in BLOCK_TAGS
    if block:
        out.append(None)
    if el.text:
        out.append(el.text)
    for child in el:
        _walk(child, out)
    if block:
        out.append(None)
    if el.tail:
        out.append(el.tail)


def page_lines(raw: bytes) -> list[str]:
    """The naive scraper: every visible text block of the page, one per line."""
    text, _ = decode_html(raw)
    root = parse_html(text)
    if root is None:
        return []
    pieces: list = []
    _walk(root, pieces)
    lines, cur = [], []
    for p in pieces + [None]:
        if p is None:
            if cur:
                line = _WS.sub(" ", "".join(cur)).strip(" \u00a0\u202f\u200b\ufeff")
                if line:
                    lines.append(line)
                cur = []
        else:
            cur.append(p)
    return lines


def lines_digest(lines: list[str]) -> str:
    """The hash a hand label carries of its page's lines (``lines_sha1``): a label written for
    other lines is refused by the build instead of being laid on the wrong ones."""
    return hashlib.sha1("\n".join(lines).encode("utf-8")).hexdigest()[:12]


def main(argv: list[str] | None = None) -> int:
    """Print a page's lines as the dataset sees them, numbered from 0, and their hash: what a
    person labelling the page by hand reads (``python naive.py PAGE.html [FIRST LAST]``)."""
    import argparse
    import sys

    ap = argparse.ArgumentParser(description=main.__doc__)
    ap.add_argument("page", help="an HTML file")
    ap.add_argument("range", nargs="*", type=int, help="first and last line to print")
    args = ap.parse_args(argv)
    try:
        with open(args.page, "rb") as fh:
            lines = page_lines(fh.read())
    except OSError as e:
        print(f"naive.py: cannot read {args.page}: {e.strerror}", file=sys.stderr)
        return 1
    first, last = (args.range + [len(lines) - 1])[:2] if args.range else (0, len(lines) - 1)
    for i in range(max(first, 0), min(last, len(lines) - 1) + 1):
        print(f"{i:5d}  {lines[i]}")
    print(f"# {len(lines)} lines; lines_sha1 {lines_digest(lines)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
