"""Which packages translate one language into another: directly, or through a pivot language.

Argos Translate itself chains any two installed packages; a batch job wants to know, before it
reads any data, exactly which directions it needs and how each will be served.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .packages import InstalledPackage


@dataclass(frozen=True)
class Route:
    """How ``source`` → ``target`` is served: one package, or two through ``pivot``."""

    source: str
    target: str
    steps: tuple[InstalledPackage, ...]

    @property
    def pivot(self) -> str | None:
        return self.steps[0].to_code if len(self.steps) > 1 else None

    def describe(self) -> str:
        names = " + ".join(p.name for p in self.steps)
        if self.pivot:
            return f"{self.source}→{self.pivot}→{self.target} via {names}"
        return f"{self.source}→{self.target} via {names}"


def _version_key(pkg: InstalledPackage) -> tuple:
    from packaging.version import InvalidVersion, Version

    try:
        return (1, Version(pkg.version), pkg.name)
    except InvalidVersion:
        return (0, pkg.version, pkg.name)


def best_packages(packages: Iterable[InstalledPackage]) -> dict[tuple[str, str], InstalledPackage]:
    """One package per direction: the highest version (then the name, for determinism)."""
    best: dict[tuple[str, str], InstalledPackage] = {}
    for pkg in sorted(packages, key=_version_key):
        best[pkg.direction] = pkg
    return best


def find_route(
    packages: Iterable[InstalledPackage], source: str, target: str, pivot: str = "en"
) -> Route | None:
    """The direct package if there is one, else ``source``→``pivot``→``target``, else None."""
    best = best_packages(packages)
    direct = best.get((source, target))
    if direct is not None:
        return Route(source, target, (direct,))
    if pivot and pivot not in (source, target):
        first, second = best.get((source, pivot)), best.get((pivot, target))
        if first is not None and second is not None:
            return Route(source, target, (first, second))
    return None


def missing_message(missing: Sequence[tuple[str, str]], pivot: str = "en") -> str:
    """One paragraph naming the missing directions and the exact commands that install them."""
    names = ", ".join(f"{s}→{t}" for s, t in missing)
    # The Argos index pairs most languages with English: suggest the two legs of a pivot.
    wanted: list[tuple[str, str]] = []
    for s, t in missing:
        legs = [(s, pivot), (pivot, t)] if pivot and pivot not in (s, t) else [(s, t)]
        wanted.extend(leg for leg in legs if leg not in wanted)
    pairs = " ".join(f"{s}:{t}" for s, t in wanted)
    via = f" (directly or through {pivot})" if pivot else ""
    return (
        f"no translation package for {names}{via}. Install it with "
        f"`cleaner models install --download {pairs}` (needs internet), or from files with "
        "`cleaner models install PATH.argosmodel`; or run with --no-translate to clean only"
    )
