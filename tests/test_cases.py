"""Data-driven cases (tests/cases/*.json): label, input lines, expected clean lines, and
optionally the reason expected for given line numbers. Known failures carry "xfail" with the
reason, and run as strict xfails: fixing one makes the suite say so."""

import json
from pathlib import Path

import pytest

from cleaner import Config, Document, Pipeline, render_text

CASES = []
for path in sorted((Path(__file__).parent / "cases").glob("*.json")):
    for case in json.loads(path.read_text(encoding="utf-8")):
        marks = [pytest.mark.xfail(reason=case["xfail"], strict=True)] if "xfail" in case else []
        CASES.append(pytest.param(case, id=f"{path.stem}: {case['label']}", marks=marks))


@pytest.mark.parametrize("case", CASES)
def test_case(case):
    doc = Document.from_text("\n".join(case["input"]) + "\n", id="case")
    (out,) = Pipeline(Config()).run([doc])
    assert render_text(out).splitlines() == case["expected"]
    for number, reason in case.get("reasons", {}).items():
        assert out.lines[int(number) - 1].reason == reason, f"line {number}"
