"""The translator the pipeline talks to: routes, the cache, and the models, behind one call.

The pipeline only knows :class:`Translator` (``translate(texts, source, target)``); the Argos
implementation resolves the route (direct or pivot), answers what it can from the cache, loads
each package's model once (lazily: a fully cached rerun loads none) and translates the rest in
one batched call per step.
"""

from __future__ import annotations

import re
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Protocol

from ..errors import CleanerError
from .cache import TranslationCache, default_cache_path
from .engine import EngineSettings, PackageModel, cache_namespace
from .packages import InstalledPackage, resolve_packages_dir, scan_packages
from .routes import Route, find_route, missing_message


@dataclass(frozen=True, slots=True)
class Translated:
    text: str
    packages: tuple[str, ...]
    pivot: str | None


class Translator(Protocol):
    def route(self, source: str, target: str) -> Route | None: ...

    def translate(self, texts: Sequence[str], source: str, target: str) -> list[Translated]: ...

    def describe(self) -> dict[str, Any]: ...


#: What a translation may not hold: line and tab breaks (a line of the clean text would become
#: two, a segment of the parallel files would break their alignment), lone surrogates (no
#: UTF-8 writes them).
_BREAKS = re.compile("[\t\n\v\f\r\x1c-\x1e\x85\u2028\u2029]+")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def translate_checked(
    translator: Translator, texts: Sequence[str], source: str, target: str
) -> list[Translated]:
    """``translator.translate``, its answer checked (one :class:`Translated` a text, its text a
    string: a translator of one's own that answers otherwise is a one-line error) and each
    text made one line (breaks and tabs become spaces, lone surrogates U+FFFD)."""
    results = translator.translate(texts, source, target)
    if not isinstance(results, list) or len(results) != len(texts):
        got = f"{len(results)} results" if isinstance(results, list) else type(results).__name__
        raise CleanerError(
            f"the translator answered {got} for {len(texts)} texts ({source}->{target})"
        )
    out = []
    for result in results:
        if not isinstance(result, Translated) or not isinstance(result.text, str):
            raise CleanerError(
                f"the translator answered {type(result).__name__} where a Translated with a "
                f"text was wanted ({source}->{target})"
            )
        text = _LONE_SURROGATE.sub("\ufffd", _BREAKS.sub(" ", result.text))
        out.append(result if text == result.text else replace(result, text=text))
    return out


class ArgosTranslator:
    """Argos packages through CTranslate2, with a persistent cache."""

    def __init__(
        self,
        packages_dir: Path,
        settings: EngineSettings | None = None,
        cache: TranslationCache | None = None,
        pivot: str = "en",
    ) -> None:
        self.packages_dir = packages_dir
        self.settings = (settings or EngineSettings()).resolved()
        self.cache = cache
        self.pivot = pivot
        self.installed, self.broken = scan_packages(packages_dir)
        self._models: dict[Path, PackageModel] = {}
        self._routes: dict[tuple[str, str], Route | None] = {}
        self._used: dict[str, InstalledPackage] = {}
        #: sentences asked, unique per call, served by the cache, translated by a model
        self.stats: Counter[str] = Counter()
        self.model_seconds = 0.0

    @classmethod
    def from_config(cls, config) -> ArgosTranslator:
        """From a :class:`cleaner.Config` (its ``[translate]`` section)."""
        tr = config.translate
        settings = EngineSettings(
            beam_size=tr.beam_size,
            device=tr.device,
            compute_type=tr.compute_type,
            inter_threads=tr.inter_threads,
            intra_threads=tr.intra_threads,
            max_batch_size=tr.max_batch_size,
        )
        cache = None
        if tr.cache:
            cache = TranslationCache(Path(tr.cache_path) if tr.cache_path else default_cache_path())
        return cls(resolve_packages_dir(tr.packages_dir), settings, cache, tr.pivot)

    def route(self, source: str, target: str) -> Route | None:
        key = (source, target)
        if key not in self._routes:
            self._routes[key] = find_route(self.installed, source, target, self.pivot)
        return self._routes[key]

    def require(self, directions: Sequence[tuple[str, str]]) -> None:
        """Raise, naming the fix, if any direction has no route."""
        missing = [d for d in directions if self.route(*d) is None]
        if missing:
            raise CleanerError(missing_message(missing, self.pivot))

    def translate(self, texts: Sequence[str], source: str, target: str) -> list[Translated]:
        route = self.route(source, target)
        if route is None:
            raise CleanerError(missing_message([(source, target)], self.pivot))
        current = list(texts)
        for pkg in route.steps:
            current = self._translate_step(pkg, current)
            self._used[pkg.name] = pkg
        names = tuple(p.name for p in route.steps)
        return [Translated(t, names, route.pivot) for t in current]

    def _translate_step(self, pkg: InstalledPackage, texts: list[str]) -> list[str]:
        self.stats["sentences"] += len(texts)
        unique = list(dict.fromkeys(t for t in texts if t.strip()))
        self.stats["unique"] += len(unique)
        namespace = cache_namespace(pkg, self.settings)
        known = self.cache.get_many(namespace, unique) if self.cache is not None else {}
        self.stats["cache_hits"] += len(known)
        todo = [t for t in unique if t not in known]
        if todo:
            model = self._model(pkg)
            t0 = time.perf_counter()
            outputs = model.translate(todo)
            self.model_seconds += time.perf_counter() - t0
            self.stats["translated"] += len(todo)
            fresh = dict(zip(todo, outputs, strict=True))
            if self.cache is not None:
                self.cache.put_many(namespace, fresh)
            known = {**known, **fresh}
        return [known.get(t, "") if t.strip() else "" for t in texts]

    def _model(self, pkg: InstalledPackage) -> PackageModel:
        model = self._models.get(pkg.path)
        if model is None:
            model = self._models[pkg.path] = PackageModel(pkg, self.settings)
        return model

    def describe(self) -> dict[str, Any]:
        """For the manifest: engine, settings, the packages used, the cache's work."""
        try:
            from importlib.metadata import version

            ct2 = version("ctranslate2")
            argos = version("argostranslate")
        except Exception:  # noqa: BLE001 - versions are informative only
            ct2 = argos = "unknown"
        s = self.settings
        return {
            "engine": "ctranslate2",
            "ctranslate2": ct2,
            "argostranslate": argos,
            "settings": {
                "beam_size": s.beam_size,
                "device": s.device,
                "compute_type": s.compute_type,
                "inter_threads": s.inter_threads,
                "intra_threads": s.intra_threads,
                "max_batch_size": s.max_batch_size,
            },
            # names and versions only: the install path differs between machines
            "packages": [
                {k: v for k, v in self._used[n].to_dict().items() if k != "path"}
                for n in sorted(self._used)
            ],
            "cache": str(self.cache.path) if self.cache is not None else None,
        }

    def close(self) -> None:
        if self.cache is not None:
            self.cache.close()
