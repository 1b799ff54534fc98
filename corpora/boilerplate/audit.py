"""What the held-out labels' audit (audit.json) says: how much of the benchmark's gap to a
perfect score is the labels' disagreement with this project's labelling rules.

Three pools of held-out lines were sampled: all article lines (gold 1), the article lines
cleaner dropped (lost) and the other lines it kept (leaked). From the share of each pool
judged article by the rules, the article lines kept **by the rules** are estimated as

    (kept gold-article lines x their article share + leaked x theirs)
    / (the same + lost x the lost lines' article share)

(lines gold calls chrome that cleaner removed are taken as chrome: that pool was not sampled).
"unclear" counts once as article and once as not; the interval is a bootstrap of the items
within each pool (2,000 draws, seeded).

``python corpora/boilerplate/audit.py [--data BUILD]``: with --data, each item's gold label is
checked against the built dataset first (a rebuild that moved the labels makes the audit stale).
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
from pathlib import Path

HERE = Path(__file__).resolve().parent


def article_share(items: list[dict], unclear_is_article: bool) -> float:
    good = sum(
        i["judged"] == "article" or (unclear_is_article and i["judged"] == "unclear") for i in items
    )
    return good / len(items) if items else 0.0


def kept_by_rules(
    pools: dict[str, list[dict]], counts: dict[str, int], unclear_is_article: bool
) -> float:
    kept_gold = [i for i in pools["article_line"] if i["kept"]]
    kept = (counts["article_lines"] - counts["lost"]) * article_share(kept_gold, unclear_is_article)
    kept += counts["leaked"] * article_share(pools["leaked"], unclear_is_article)
    lost = counts["lost"] * article_share(pools["lost"], unclear_is_article)
    return kept / (kept + lost)


def check(items: list[dict], data: Path) -> None:
    wanted = {(i["source"], i["page"]) for i in items}
    labels = {}
    with gzip.open(data / "pages.jsonl.gz", "rt", encoding="utf-8") as fh:
        for record in map(json.loads, fh):
            if (record["source"], record["page"]) in wanted:
                labels[record["source"], record["page"]] = record["labels"]
    stale = [
        i
        for i in items
        if labels.get((i["source"], i["page"]), [None] * (i["line"] + 1))[i["line"]] != i["gold"]
    ]
    if stale:
        raise SystemExit(
            f"{len(stale)} audited lines no longer carry the gold label they were judged with"
        )
    print(f"all {len(items)} audited lines still carry their gold label in {data}")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, help="the built dataset (corpora/boilerplate/build)")
    args = ap.parse_args(argv)
    audit = json.loads((HERE / "audit.json").read_text(encoding="utf-8"))
    items, counts = audit["items"], audit["counts_at_audit"]
    if args.data:
        check(items, args.data)
    pools = {
        name: [i for i in items if i["sample"] == name]
        for name in ("article_line", "lost", "leaked")
    }
    for name, pool in pools.items():
        judged = {v: sum(i["judged"] == v for i in pool) for v in ("article", "not", "unclear")}
        print(f"{name:13s} {len(pool):3d} lines judged: {judged}")
    rng = random.Random(20261205)
    gold_kept = 1 - counts["lost"] / counts["article_lines"]
    print(f"article lines kept, against the gold labels: {gold_kept:.1%}")
    for unclear in (True, False):
        draws = sorted(
            kept_by_rules({k: rng.choices(v, k=len(v)) for k, v in pools.items()}, counts, unclear)
            for _ in range(2000)
        )
        point = kept_by_rules(pools, counts, unclear)
        print(
            f"article lines kept, by the rules ('unclear' as {'article' if unclear else 'not'}): "
            f"{point:.1%} [{draws[49]:.1%}, {draws[1949]:.1%}]"
        )


if __name__ == "__main__":
    main()
