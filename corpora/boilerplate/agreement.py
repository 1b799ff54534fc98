"""How reproducible the hand labels are: agreement between handlabels.json and a second, blind
labelling of some of its pages (agreement.json).

For each page, the article lines of each labelling are its ranges less its ``not_article``
lines. Over all pages together (pooled) and page by page (the mean), this prints the share of
the first labelling's article lines that the second also calls article, the reverse share, and
their F1, then every line on which the two disagree (its number only: no page text is shipped).

``python corpora/boilerplate/agreement.py``. A page whose ``lines_sha1`` differs between the two
files was labelled on other lines (a changed scraper or page): that is an error, not a
disagreement.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def article_lines(label: dict) -> set[int]:
    """The line numbers a label calls article: its inclusive ranges, less ``not_article``."""
    lines: set[int] = set()
    for first, last in label["article"]:
        lines.update(range(first, last + 1))
    return lines - set(label.get("not_article", ()))


def compare(first: dict, second: dict) -> dict:
    """Two labellings of one page: the lines both, only the first and only the second call
    article."""
    if first["lines_sha1"] != second["lines_sha1"]:
        raise ValueError(f"{first['page']}: the two labellings were made on different lines")
    a, b = article_lines(first), article_lines(second)
    return {
        "page": first["page"],
        "both": len(a & b),
        "first_only": sorted(a - b),
        "second_only": sorted(b - a),
    }


def summary(pages: list[dict]) -> dict:
    """Pooled and per-page agreement of :func:`compare`'s results: ``second_keeps`` (the
    share of the first labelling's article lines the second also calls article),
    ``first_keeps`` (the reverse) and ``f1``. A page neither labelling gives an article line
    counts as full agreement."""
    both = sum(p["both"] for p in pages)
    only1 = sum(len(p["first_only"]) for p in pages)
    only2 = sum(len(p["second_only"]) for p in pages)

    def scores(n, o1, o2):
        return {
            "second_keeps": n / (n + o1) if n + o1 else 1.0,
            "first_keeps": n / (n + o2) if n + o2 else 1.0,
            "f1": 2 * n / (2 * n + o1 + o2) if n + o1 + o2 else 1.0,
        }

    per = [scores(p["both"], len(p["first_only"]), len(p["second_only"])) for p in pages]
    mean = {k: sum(s[k] for s in per) / len(per) for k in per[0]} if per else {}
    return {
        "pages": len(pages),
        "pooled": scores(both, only1, only2),
        "per_page": mean,
        "first_lines": both + only1,
        "second_lines": both + only2,
    }


def main() -> int:
    first = {
        p["page"]: p for p in json.loads((HERE / "handlabels.json").read_text("utf-8"))["pages"]
    }
    second = json.loads((HERE / "agreement.json").read_text("utf-8"))["pages"]
    missing = [p["page"] for p in second if p["page"] not in first]
    if missing:
        print(f"agreement.py: not in handlabels.json: {', '.join(missing)}", file=sys.stderr)
        return 1
    try:
        pages = [compare(first[p["page"]], p) for p in second]
    except ValueError as e:
        print(f"agreement.py: {e}", file=sys.stderr)
        return 1
    s = summary(pages)
    print(
        f"{s['pages']} pages; article lines: {s['first_lines']} (handlabels.json), "
        f"{s['second_lines']} (agreement.json)"
    )
    for name in ("pooled", "per_page"):
        v = s[name]
        print(
            f"{name:9} second keeps {v['second_keeps']:.1%} of the first's article lines, "
            f"first keeps {v['first_keeps']:.1%} of the second's, F1 {v['f1']:.3f}"
        )
    for p in pages:
        if p["first_only"] or p["second_only"]:
            print(f"  {p['page']}: only first {p['first_only']}, only second {p['second_only']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
