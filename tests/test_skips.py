"""Every skip and expected failure says why: a marker without a reason stops the test run."""

import pytest


def test_a_skip_without_a_reason_stops_the_run(pytester):
    pytester.makeconftest("from tests.conftest import pytest_collection_modifyitems  # noqa\n")
    pytester.makepyfile(
        test_example=(
            "import pytest\n"
            "@pytest.mark.skipif(True, reason='no widget here')\n"
            "def test_said():\n    pass\n"
            "@pytest.mark.skip('not today')\n"
            "def test_said_too():\n    pass\n"
            "@pytest.mark.skipif(True)\n"
            "def test_silent():\n    pass\n"
        ),
    )
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert (
        result.stderr.str()
        .strip()
        .endswith("state the reason of every skip and xfail: test_example.py::test_silent: @skipif")
    )
    pytester.makepyfile(
        test_example="import pytest\n@pytest.mark.skip('x')\ndef test_a():\n    pass\n"
    )
    assert pytester.runpytest_inprocess("-p", "no:cacheprovider").ret == pytest.ExitCode.OK
