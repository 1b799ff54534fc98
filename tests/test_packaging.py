"""The distribution: a name free on PyPI (cleaner-news), a wheel that carries the package's
data files and the `cleaner` command, and README install lines that work as written."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
README = (REPO / "README.md").read_text(encoding="utf-8")
PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
NAME = "cleaner-news"


def package_data_files() -> list[str]:
    """Every file of the cleaner package that is not Python source, as git tracks them."""
    listed = subprocess.run(
        ["git", "ls-files", "cleaner"], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout.split()
    return sorted(p for p in listed if not p.endswith(".py"))


def test_distribution_name_is_ours():
    # "cleaner" on PyPI is another project (an interactive shell tool from 2018)
    assert PYPROJECT["project"]["name"] == NAME
    assert PYPROJECT["project"]["scripts"] == {"cleaner": "cleaner.cli:main"}


def test_wheel_carries_the_data_files_and_the_command(tmp_path):
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(dist), "."],
        cwd=REPO,
        check=True,
        capture_output=True,
    )
    (wheel,) = dist.glob("*.whl")
    assert wheel.name.startswith("cleaner_news-")
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        meta = next(n for n in names if n.endswith(".dist-info/METADATA"))
        assert f"Name: {NAME}\n" in zf.read(meta).decode()
        entry = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
        assert "cleaner = cleaner.cli:main" in zf.read(entry).decode()
    data = package_data_files()
    assert "cleaner/data/boilerplate_model.json" in data
    missing = [p for p in data if p not in names]
    assert not missing, f"not in the wheel: {missing}"
    # installed from the wheel alone (its dependencies are this environment's), it cleans
    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--no-index",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )
    env = dict(os.environ, PYTHONPATH=str(target))
    code = (
        "import cleaner; print(cleaner.__file__); "
        "print(cleaner.clean_text('Le conseil a voté le budget.\\nPublicité\\n'), end='')"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    where, *text = out.stdout.splitlines()
    assert where.startswith(str(target))
    assert text == ["Le conseil a voté le budget."]


def test_readme_install_lines_name_our_distribution_and_real_extras():
    extras = set(PYPROJECT["project"]["optional-dependencies"])
    lines = re.findall(r"pip install ([^\n`]+)", README)
    assert lines, "the README shows how to install"
    for line in lines:
        args = [a.strip("'\"") for a in line.split("#", 1)[0].split()]  # not the comment
        specs = [a for a in args if not a.startswith("-") or a == "-e"]
        for spec in specs:
            if spec in ("-e", "build"):  # build: the wheel builder itself
                continue
            m = re.fullmatch(r"(\.|cleaner-news|dist/cleaner_news-\*\.whl)(\[([a-z,]+)\])?", spec)
            assert m, f"README: {line!r} installs {spec!r}"
            for extra in filter(None, (m.group(3) or "").split(",")):
                assert extra in extras, f"README: {line!r}: no extra {extra!r}"
    assert "pip install 'cleaner[" not in README and "pip install cleaner " not in README
    assert "python -m build" in README
