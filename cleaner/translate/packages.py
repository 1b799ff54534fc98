"""Argos Translate packages: where they live, which are installed, installing and removing them.

Built on argostranslate's package management (``argostranslate.package.Package`` reads an
installed package's metadata exactly as Argos does; the package index is Argos's own), with
what it lacks for batch jobs:

- the packages directory is ours to choose (``[translate] packages_dir``, else
  ``$CLEANER_PACKAGES_DIR``, else argostranslate's own directory), so a job can ship its models;
- an archive is validated before anything is written (argostranslate's ``install_from_path`` is a
  bare ``ZipFile.extractall``: a member named ``../../x`` lands outside the packages directory,
  and a folder without ``metadata.json`` breaks every later ``get_installed_packages()``);
- installation is atomic (extracted into a hidden folder, then renamed into place);
- nothing here touches the network except :func:`install_from_index`, which the user asks for
  explicitly (``cleaner models install --download``).

Only ``argostranslate.package`` is imported (a few milliseconds); ``argostranslate.translate``
pulls stanza, spacy and torch (2.5 s, 330 MB) and is never imported by cleaner.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import tempfile
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from ..errors import CleanerError

#: Language codes as Argos writes them (``en``, ``zh``, ``zt``, ``pb``, ``sq``...).
_LANG_CODE = re.compile(r"^[a-z]{2,3}(?:[-_][A-Za-z]{2,4})?$")
#: An archive may not expand to more than this (a zip bomb would fill the disk).
MAX_UNPACKED_BYTES = 8 * 1024**3
#: Nor hold more members than this (real packages hold a few dozen).
MAX_MEMBERS = 10_000
_STAGING_PREFIX = ".cleaner-install-"


class PackageError(CleanerError):
    """A package archive or an installed package is unusable; the message says which and why."""


@dataclass(frozen=True)
class InstalledPackage:
    """One installed translation package (read through ``argostranslate.package.Package``)."""

    path: Path
    from_code: str
    to_code: str
    version: str
    #: The SentencePiece model (``sentencepiece.model``) or, for old packages, ``bpe.model``.
    tokenizer_path: Path
    target_prefix: str = ""
    from_name: str = ""
    to_name: str = ""

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def direction(self) -> tuple[str, str]:
        return (self.from_code, self.to_code)

    @property
    def id(self) -> str:
        """What identifies the model for the translation cache and the manifest."""
        return f"{self.from_code}-{self.to_code}@{self.version}:{self.name}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "from": self.from_code,
            "to": self.to_code,
            "version": self.version,
            "path": str(self.path),
        }


def default_packages_dir() -> Path:
    """``$CLEANER_PACKAGES_DIR``, else argostranslate's (``$ARGOS_PACKAGES_DIR`` or
    ``$XDG_DATA_HOME/argos-translate/packages``), computed without importing argostranslate,
    whose settings module creates folders in the home directory as a side effect."""
    env = os.environ.get("CLEANER_PACKAGES_DIR")
    if env:
        return Path(env)
    env = os.environ.get("ARGOS_PACKAGES_DIR")
    if env:
        return Path(env)
    data = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data) / "argos-translate" / "packages"


def resolve_packages_dir(configured: str = "") -> Path:
    return Path(configured).expanduser() if configured else default_packages_dir()


@dataclass(frozen=True)
class BrokenPackage:
    """A folder in the packages directory that is not a usable package, and why."""

    path: Path
    problem: str


def scan_packages(packages_dir: Path) -> tuple[list[InstalledPackage], list[BrokenPackage]]:
    """The installed translation packages, in name order, and the folders that are not usable.

    Unlike ``argostranslate.package.get_installed_packages``, one broken folder does not hide
    the others.
    """
    if not packages_dir.is_dir():
        return [], []
    from argostranslate.package import Package  # light: no torch, no stanza

    good: list[InstalledPackage] = []
    broken: list[BrokenPackage] = []
    for entry in sorted(packages_dir.iterdir()):
        if not entry.is_dir() or entry.name.startswith("."):
            continue
        problem = _check_installed(entry)
        if problem:
            broken.append(BrokenPackage(entry, problem))
            continue
        try:
            pkg = Package(entry)
        except Exception as e:  # noqa: BLE001 - any failure makes the folder unusable
            broken.append(BrokenPackage(entry, f"argostranslate cannot read it: {e}"))
            continue
        if pkg.type != "translate":
            continue  # e.g. old "sbd" packages: not translation models
        tokenizer = entry / "sentencepiece.model"
        if not tokenizer.exists():
            tokenizer = entry / "bpe.model"
        good.append(
            InstalledPackage(
                path=entry,
                from_code=pkg.from_code,
                to_code=pkg.to_code,
                version=str(pkg.package_version or ""),
                tokenizer_path=tokenizer,
                target_prefix=pkg.target_prefix or "",
                from_name=pkg.from_name or "",
                to_name=pkg.to_name or "",
            )
        )
    return good, broken


def _check_installed(folder: Path) -> str | None:
    meta = folder / "metadata.json"
    if not meta.is_file():
        return "no metadata.json"
    try:
        data = json.loads(meta.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        return f"metadata.json is not valid JSON ({e})"
    problem = check_metadata(data)
    if problem:
        return problem
    if data.get("type", "translate") == "translate":
        if not (folder / "model" / "model.bin").is_file():
            return "no model/model.bin (CTranslate2 model)"
        if not (folder / "sentencepiece.model").is_file() and not (folder / "bpe.model").is_file():
            return "no sentencepiece.model or bpe.model"
    return None


def check_metadata(data: Any) -> str | None:
    """What is wrong with a package's metadata.json, or None."""
    if not isinstance(data, dict):
        return "metadata.json is not a JSON object"
    kind = data.get("type", "translate")
    if kind not in ("translate", "sbd"):
        return f"metadata.json: unknown type {kind!r}"
    for key in ("from_code", "to_code"):
        value = data.get(key)
        if kind == "translate" and not (isinstance(value, str) and _LANG_CODE.match(value)):
            return f"metadata.json: {key} must be a language code, got {value!r}"
    version = data.get("package_version", "")
    if not isinstance(version, str) or len(version) > 40:
        return f"metadata.json: package_version must be a short string, got {version!r}"
    prefix = data.get("target_prefix", "")
    if not isinstance(prefix, str):
        return "metadata.json: target_prefix must be a string"
    return None


# -- archives --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ArchiveInfo:
    """What a validated ``.argosmodel`` archive holds."""

    path: Path
    top: str
    metadata: dict[str, Any]

    @property
    def direction(self) -> tuple[str, str]:
        return (self.metadata["from_code"], self.metadata["to_code"])


def validate_archive(path: Path) -> ArchiveInfo:
    """Check an ``.argosmodel`` archive before anything is extracted; raise PackageError.

    A zip file with exactly one top folder; no absolute paths, ``..``, backslashes, drive
    letters, links or special files; sane sizes; every member's CRC right (a truncated or
    corrupt download is caught here); ``<top>/metadata.json`` present and sane; the model and
    the tokenizer present.
    """
    name = path.name
    try:
        zf = zipfile.ZipFile(path)
    except FileNotFoundError:
        raise PackageError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise PackageError(f"{path}: is a folder, not an .argosmodel file") from None
    except (zipfile.BadZipFile, OSError) as e:
        raise PackageError(
            f"{name}: not a valid .argosmodel (zip) archive ({e}); the file may be truncated — "
            "download it again"
        ) from None
    with zf:
        members = zf.infolist()
        if not members:
            raise PackageError(f"{name}: the archive is empty")
        if len(members) > MAX_MEMBERS:
            raise PackageError(
                f"{name}: too many members ({len(members)}; a package holds at most {MAX_MEMBERS})"
            )
        tops: set[str] = set()
        total = 0
        for m in members:
            problem = _unsafe_member(m)
            if problem:
                raise PackageError(f"{name}: refusing member {m.filename!r}: {problem}")
            tops.add(PurePosixPath(m.filename).parts[0])
            total += m.file_size
        if total > MAX_UNPACKED_BYTES:
            raise PackageError(
                f"{name}: expands to {total} bytes, more than the {MAX_UNPACKED_BYTES} allowed "
                "(8 GiB)"
            )
        if len(tops) != 1:
            raise PackageError(
                f"{name}: an .argosmodel holds exactly one top folder, found {len(tops)}: "
                + ", ".join(sorted(tops)[:5])
            )
        (top,) = tops
        if top.startswith("."):
            raise PackageError(f"{name}: the top folder {top!r} is hidden")
        # files only: a folder entry named model/model.bin passed, and failed once unpacked
        names = {m.filename for m in members if not m.is_dir()}
        folders = {m.filename.rstrip("/") for m in members if m.is_dir()}
        if f"{top}/metadata.json" in folders or f"{top}/model/model.bin" in folders:
            raise PackageError(f"{name}: metadata.json or model/model.bin is a folder, not a file")
        if f"{top}/metadata.json" not in names:
            raise PackageError(f"{name}: no {top}/metadata.json")
        try:
            bad = zf.testzip()
        except (zipfile.BadZipFile, OSError, EOFError) as e:
            raise PackageError(f"{name}: corrupt archive ({e}); download it again") from None
        if bad is not None:
            raise PackageError(f"{name}: member {bad!r} is corrupt (CRC mismatch)")
        try:
            metadata = json.loads(zf.read(f"{top}/metadata.json").decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as e:
            raise PackageError(f"{name}: metadata.json is not valid JSON ({e})") from None
        problem = check_metadata(metadata)
        if problem:
            raise PackageError(f"{name}: {problem}")
        if metadata.get("type", "translate") != "translate":
            raise PackageError(f"{name}: not a translation package (type {metadata['type']!r})")
        if f"{top}/model/model.bin" not in names:
            raise PackageError(f"{name}: no {top}/model/model.bin (CTranslate2 model)")
        if f"{top}/sentencepiece.model" not in names and f"{top}/bpe.model" not in names:
            raise PackageError(f"{name}: no {top}/sentencepiece.model or bpe.model")
    return ArchiveInfo(path=path, top=top, metadata=metadata)


def _unsafe_member(m: zipfile.ZipInfo) -> str | None:
    raw = m.filename
    if "\x00" in raw:
        return "NUL in the name"
    if "\\" in raw:
        return "backslash in the name"
    if raw.startswith("/") or re.match(r"^[A-Za-z]:", raw):
        return "absolute path"
    parts = PurePosixPath(raw).parts
    if not parts or any(p in ("..", ".") for p in parts):
        return "path leaves the package folder"
    kind = stat.S_IFMT(m.external_attr >> 16)  # 0 when the archiver recorded no Unix mode
    if kind and kind not in (stat.S_IFREG, stat.S_IFDIR):
        return "links and special files are not allowed"
    if len(raw) > 1024:
        return "name too long"
    return None


def install_archives(paths: Sequence[Path], packages_dir: Path) -> list[InstalledPackage]:
    """Validate every archive first, then install each atomically; returns what was installed.

    A folder argument stands for the ``*.argosmodel`` files in it. An installed package with
    the same folder name is replaced.
    """
    archives: list[Path] = []
    for p in paths:
        if p.is_dir():
            found = sorted(p.glob("*.argosmodel"))
            if not found:
                raise PackageError(f"{p}: no .argosmodel files in this folder")
            archives.extend(found)
        else:
            archives.append(p)
    infos = [validate_archive(a) for a in archives]  # all or nothing: check before writing
    try:
        packages_dir.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise PackageError(f"cannot create the packages directory {packages_dir}: {e}") from None
    for info in infos:
        _extract(info, packages_dir)
    installed, _ = scan_packages(packages_dir)
    wanted = {info.top for info in infos}
    return [p for p in installed if p.name in wanted]


def _extract(info: ArchiveInfo, packages_dir: Path) -> None:
    staging = Path(tempfile.mkdtemp(prefix=_STAGING_PREFIX, dir=packages_dir))
    try:
        root = staging.resolve()
        with zipfile.ZipFile(info.path) as zf:
            for m in zf.infolist():
                target = (staging / m.filename).resolve()
                if root not in target.parents:  # checked again, after resolving
                    raise PackageError(f"{info.path.name}: member {m.filename!r} leaves the folder")
                if m.is_dir():
                    target.mkdir(parents=True, exist_ok=True)
                    continue
                target.parent.mkdir(parents=True, exist_ok=True)
                with zf.open(m) as src, open(target, "wb") as dst:
                    shutil.copyfileobj(src, dst, 1 << 20)
        problem = _check_installed(staging / info.top)
        if problem:
            raise PackageError(f"{info.path.name}: {problem}")
        final = packages_dir / info.top
        old = None
        if final.exists():
            old = staging / ".replaced"
            os.replace(final, old)
        os.replace(staging / info.top, final)
    except OSError as e:
        raise PackageError(f"cannot install {info.path.name}: {e}") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def remove_packages(selectors: Iterable[str], packages_dir: Path) -> list[InstalledPackage]:
    """Remove installed packages named by folder name or by direction (``zh-en``, ``zh:en``)."""
    installed, _ = scan_packages(packages_dir)
    chosen: list[InstalledPackage] = []
    for sel in selectors:
        direction = (
            re.split(r"[-:>_]", sel) if re.fullmatch(r"[a-z]{2,3}[-:>_][a-z]{2,3}", sel) else None
        )
        matches = [
            p
            for p in installed
            if p.name == sel or (direction is not None and list(p.direction) == direction)
        ]
        if not matches:
            raise PackageError(
                f"no installed package {sel!r} in {packages_dir}; see `cleaner models list`"
            )
        chosen.extend(m for m in matches if m not in chosen)
    for p in chosen:
        shutil.rmtree(p.path)
    return chosen


# -- the Argos package index (network, only when asked) --------------------------------------


def install_from_index(
    pairs: Sequence[tuple[str, str]],
    packages_dir: Path,
    index_url: str | None = None,
    progress: Any = None,
) -> list[InstalledPackage]:
    """Download the packages for ``pairs`` from the Argos package index and install them
    (see :mod:`cleaner.translate.download`: the newest compatible version, resumable
    downloads, progress bars, each archive validated like a local file)."""
    from .download import install_from_index as download_and_install

    return download_and_install(pairs, packages_dir, index_url, progress)
