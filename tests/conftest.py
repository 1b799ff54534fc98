"""Shared fixtures: documents built from inline text, a default pipeline."""

from __future__ import annotations

from pathlib import Path

import pytest

from cleaner import Config, Document, Pipeline

REPO = Path(__file__).resolve().parent.parent


def make_doc(*lines: str, id: str = "doc") -> Document:
    return Document.from_text("\n".join(lines) + "\n", id=id)


@pytest.fixture
def pipeline() -> Pipeline:
    return Pipeline(Config())


@pytest.fixture
def repo() -> Path:
    return REPO
