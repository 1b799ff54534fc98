"""The README's library example runs as written, and its first screen holds the two commands."""

import os
import re
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
README = (REPO / "README.md").read_text(encoding="utf-8")


def test_library_example_runs(capsys):
    block = re.search(r"```python\n(.*?)```", README, re.S).group(1)
    cwd = os.getcwd()
    os.chdir(REPO)
    try:
        exec(compile(block, "README.md", "exec"), {})
    finally:
        os.chdir(cwd)
    out = capsys.readouterr().out
    assert out.startswith("La médiathèque votée\nLe conseil municipal a voté")
    assert "duplicate_copy" in out


def test_first_screen_gives_the_two_commands():
    first_screen = "\n".join(README.splitlines()[:15])
    assert "make corpus" in first_screen and "make test" in first_screen


def test_config_example_in_readme_is_valid_and_complete():
    import tomllib

    from cleaner import Config

    block = re.search(r"```toml\n(\[html\].*?)```", README, re.S).group(1)
    data = tomllib.loads(block)
    assert Config.from_dict(data) == Config()  # documents every key, with the defaults


def test_rule_file_example_in_readme_loads_and_matches():
    from cleaner.stages.boilerplate import PatternLibrary, load_rules

    block = re.search(r"```toml\n(\[\[rule\]\].*?)```", README, re.S).group(1)
    rules = load_rules(block, "README.md")
    library = PatternLibrary([r for r in rules if not r.keep])
    assert library.match("Le Courrier du Matin, l’information qui vous réveille") == (
        "courrier_slogan"
    )
    assert library.match("Le Courrier du Matin a publié une enquête sur la crue.") is None
    keep = PatternLibrary([r for r in rules if r.keep])
    assert keep.match("La rédaction du Courrier") == "courrier_signature"
    assert keep.match("La rédaction du Courrier a enquêté sur la crue.") is None


def test_the_top_of_the_readme_says_what_make_test_downloads():
    """`make test` installs Python packages (pip) and Debian's chromium (apt-get): the README's
    first section says so, and how to install nothing for the browser (CLEANER_NO_BROWSER=1)."""
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    top = README.split("\n---\n", 1)[0]

    def recipe(target: str) -> str:
        return re.search(rf"^{target}:.*?\n((?:\t.*\n)+)", makefile, re.M).group(1)

    test_recipe = recipe("test")
    assert "$(MAKE) --no-print-directory browser" in test_recipe
    assert "CLEANER_NO_BROWSER" in test_recipe
    assert "apt-get install -y -q chromium" in recipe("browser")
    assert "pip install" in recipe(r"\$\(STAMP\)")
    for said in ("PyPI", "apt-get install chromium", "apt-get update", "CLEANER_NO_BROWSER=1"):
        assert said in top, said
    assert "needs no download" not in README


def test_the_truth_format_in_corpora_readme_is_the_one_the_check_reads():
    import tomllib

    from tests.support.sample_truth import CATEGORIES, load_truth

    text = (REPO / "corpora" / "README.md").read_text(encoding="utf-8")
    example = tomllib.loads(re.search(r"## Truth files.*?```toml\n(.*?)```", text, re.S).group(1))
    page = load_truth()["eco-hebdo/2024-05-06-laiterie-bocage"]
    assert example["input"] == page.input and example["source"] == page.source
    assert example["lines"] == page.lines and example["encoding"] == page.encoding
    assert example["lang"] == page.lang
    (drop,) = example["drop"]
    assert drop["category"] in CATEGORIES
    (fragment,) = example["fragment"]
    assert (
        page.fragments[0].start == fragment["start"] and page.fragments[0].text == fragment["text"]
    )
    table = re.findall(r"^\| `([a-z ]+)` \|", text, re.M)
    assert table == list(CATEGORIES)  # every category documented, in the check's order
