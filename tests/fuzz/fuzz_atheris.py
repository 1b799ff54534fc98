"""Coverage-guided fuzzing of a whole run with atheris (``make fuzz``; bounded in time).

``python tests/fuzz/fuzz_atheris.py -max_total_time=60``; without atheris installed it says so
and exits 0 (the hypothesis fuzz in tests/test_hostile.py runs in ``make test`` either way).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

try:
    import atheris
except ImportError:  # pragma: no cover
    print("atheris is not installed (pip install atheris); skipping coverage-guided fuzzing")
    sys.exit(0)

with atheris.instrument_imports():
    import cleaner  # noqa: F401
    from tests.fuzz.harness import check_input


def one(data: bytes) -> None:
    check_input(data)


if __name__ == "__main__":
    atheris.Setup(sys.argv, one)
    atheris.Fuzz()
