"""Shared fixtures: documents built from inline text, a default pipeline."""

from __future__ import annotations

from pathlib import Path

import pytest

from cleaner import Config, Document, Pipeline

REPO = Path(__file__).resolve().parent.parent
pytest_plugins = ["pytester"]


def reasonless_marks(items) -> list[str]:
    """Skips and expected failures that do not say why (pytest -ra prints every reason)."""
    return [
        f"{item.nodeid}: @{mark.name}"
        for item in items
        for mark in item.iter_markers()
        if mark.name in ("skip", "skipif", "xfail")
        and not mark.kwargs.get("reason")
        and not (mark.name == "skip" and mark.args)
    ]


def pytest_collection_modifyitems(config, items) -> None:
    missing = reasonless_marks(items)
    if missing:
        raise pytest.UsageError("state the reason of every skip and xfail: " + ", ".join(missing))


def make_doc(*lines: str, id: str = "doc") -> Document:
    return Document.from_text("\n".join(lines) + "\n", id=id)


@pytest.fixture
def pipeline() -> Pipeline:
    return Pipeline(Config())


@pytest.fixture
def repo() -> Path:
    return REPO


@pytest.fixture(scope="session")
def package_archives(tmp_path_factory) -> list[Path]:
    """The offline test packages (zh→en, en→fr, fr→en) as .argosmodel files, built once."""
    from tests.support.corpus_packages import build_test_packages

    return build_test_packages(tmp_path_factory.mktemp("archives"))


@pytest.fixture(scope="session")
def packages_dir(package_archives, tmp_path_factory) -> Path:
    """A packages directory with the three test packages installed (shared: do not modify)."""
    from cleaner.translate import install_archives

    folder = tmp_path_factory.mktemp("packages")
    install_archives(package_archives, folder)
    return folder


@pytest.fixture
def translate_config(packages_dir, tmp_path) -> Config:
    """Translation on the test packages, a fresh cache per test, pair filters off (the test
    packages' English is not English)."""
    return Config.from_dict(
        {
            "translate": {
                "packages_dir": str(packages_dir),
                "cache_path": str(tmp_path / "cache.sqlite"),
            },
            "pairs": {"filters": []},
        }
    )
