"""Translation: Argos packages (management, routes), the CTranslate2 engine and its cache.

Nothing heavy is imported here; CTranslate2 loads when a model is first needed.
"""

from .cache import TranslationCache
from .engine import EngineSettings, PackageModel
from .packages import (
    InstalledPackage,
    PackageError,
    install_archives,
    remove_packages,
    resolve_packages_dir,
    scan_packages,
    validate_archive,
)
from .routes import Route, find_route
from .translator import ArgosTranslator, Translated, Translator

__all__ = [
    "ArgosTranslator",
    "EngineSettings",
    "InstalledPackage",
    "PackageError",
    "PackageModel",
    "Route",
    "Translated",
    "TranslationCache",
    "Translator",
    "find_route",
    "install_archives",
    "remove_packages",
    "resolve_packages_dir",
    "scan_packages",
    "validate_archive",
]


def needed_directions(config) -> list[tuple[str, str]]:
    """The directions a run with ``config`` must be able to translate, checked before it
    starts: each configured fragment language into the target, and the target into the
    parallel corpus's other side."""
    target = config.language.target
    tr = config.translate
    out = [(lang, target) for lang in tr.fragment_languages if lang != target]
    if tr.parallel and (target, tr.parallel_target) not in out:
        out.append((target, tr.parallel_target))
    return out
