"""Language identification behind one small interface, backends chosen by name.

>>> from cleaner.langid import get_identifier
>>> ident = get_identifier("fasttext")
>>> ident.detect(["Le conseil d'administration a cédé dimanche soir."])[0].lang
'fr'

Backends are imported lazily, on first use, so ``import cleaner`` stays light.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from ..errors import ConfigError


@dataclass(frozen=True, slots=True)
class Guess:
    """A language code (ISO 639-1 where one exists, e.g. ``fr``, ``zh``) and its probability."""

    lang: str
    prob: float


UNKNOWN = Guess("und", 0.0)


class LanguageIdentifier(Protocol):
    name: str

    def detect(self, texts: Sequence[str]) -> list[Guess]:
        """One guess per text, in order. Empty or letterless texts give ``UNKNOWN``."""
        ...

    def version(self) -> str:
        """Version of the backend and model, for the manifest."""
        ...


def _fasttext() -> LanguageIdentifier:
    from .fasttext import FastTextIdentifier

    return FastTextIdentifier()


def _langdetect() -> LanguageIdentifier:
    from .langdetect import LangdetectIdentifier

    return LangdetectIdentifier()


BACKENDS: dict[str, Callable[[], LanguageIdentifier]] = {
    "fasttext": _fasttext,
    "langdetect": _langdetect,
}

_cache: dict[str, LanguageIdentifier] = {}


def get_identifier(name: str) -> LanguageIdentifier:
    """Return the (shared, loaded once per process) identifier called ``name``."""
    if name not in BACKENDS:
        raise ConfigError(
            f"unknown language-ID backend {name!r}; choose one of: {', '.join(sorted(BACKENDS))}"
        )
    if name not in _cache:
        _cache[name] = BACKENDS[name]()
    return _cache[name]
