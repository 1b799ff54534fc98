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

    block = re.search(r"```toml\n(\[encoding\].*?)```", README, re.S).group(1)
    data = tomllib.loads(block)
    assert Config.from_dict(data) == Config()  # documents every key, with the defaults


def test_rule_file_example_in_readme_loads_and_matches():
    from cleaner.stages.boilerplate import PatternLibrary, load_rules

    block = re.search(r"```toml\n(\[\[rule\]\].*?)```", README, re.S).group(1)
    library = PatternLibrary(load_rules(block, "README.md"))
    assert library.match("Le Courrier du Matin, l’information qui vous réveille") == (
        "courrier_slogan"
    )
    assert library.match("Le Courrier du Matin a publié une enquête sur la crue.") is None
