"""The line dataset's split by site (corpora/boilerplate/build.py): sites added to the dataset
after the split was drawn must go to the held-out side, never into what the model is tuned on."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parents[1] / "corpora" / "boilerplate"
sys.path.insert(0, str(HERE))  # build.py imports naive.py beside it
_spec = importlib.util.spec_from_file_location("boilerplate_build", HERE / "build.py")
assert _spec is not None and _spec.loader is not None
build = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(build)


def _records(*domains_langs: tuple[str, str]) -> list[dict]:
    return [{"domain": d, "site": f"www.{d}", "lang": lang} for d, lang in domains_langs]


FROZEN = {
    "method": "split by registrable domain; drawn earlier",
    "train": ["lemonde.fr", "spiegel.de"],
    "dev": ["liberation.fr"],
}


def test_known_sites_keep_their_side_and_new_sites_are_held_out():
    records = _records(
        ("lemonde.fr", "fr"),
        ("liberation.fr", "fr"),
        ("spiegel.de", "de"),
        ("lexpress.fr", "fr"),
        ("sudinfo.be", "fr"),
    )
    splits = build.make_splits(records, 0.3, FROZEN)
    assert splits["train"] == ["lemonde.fr", "spiegel.de"]
    assert splits["dev"] == ["lexpress.fr", "liberation.fr", "sudinfo.be"]
    assert splits["added_to_dev"] == ["lexpress.fr", "sudinfo.be"]
    assert "added after that draw" in splits["method"]


def test_sites_added_once_stay_marked_on_the_next_build():
    first = build.make_splits(_records(("lemonde.fr", "fr"), ("lexpress.fr", "fr")), 0.3, FROZEN)
    written = {
        "method": first["method"],
        "train": first["train"],
        "dev": first["dev"],
        "added_to_dev": first["added_to_dev"],
    }
    again = build.make_splits(_records(("lemonde.fr", "fr"), ("lexpress.fr", "fr")), 0.3, written)
    assert again["dev"] == ["lexpress.fr"]
    assert again["added_to_dev"] == ["lexpress.fr"]
    assert again["method"].count("added after that draw") == 1


def test_a_site_no_longer_in_the_data_is_left_out_of_both_sides():
    splits = build.make_splits(_records(("lemonde.fr", "fr")), 0.3, FROZEN)
    assert splits["train"] == ["lemonde.fr"]
    assert splits["dev"] == []


def test_without_a_frozen_split_each_language_group_holds_out_some_of_its_sites():
    records = _records(
        *[(f"site{i}.fr", "fr") for i in range(10)], *[(f"site{i}.de", "de") for i in range(4)]
    )
    splits = build.make_splits(records, 0.3, None)
    held_fr = [d for d in splits["dev"] if d.endswith(".fr")]
    held_de = [d for d in splits["dev"] if d.endswith(".de")]
    assert len(held_fr) == 3 and len(held_de) == 1  # round(0.3 x 10), round(0.3 x 4)
    assert splits["added_to_dev"] == []
    assert set(splits["train"]).isdisjoint(splits["dev"])
