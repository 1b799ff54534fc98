"""Downloading packages from the Argos package index: the one place cleaner uses the network.

- **Which package.** The index (argospm-index's ``index.json``: a list of package metadata with
  ``from_code``, ``to_code``, ``package_version``, ``argos_version`` and ``links``) can list
  several versions of a direction; the newest ``package_version`` whose ``argos_version`` is
  not newer than the installed argostranslate is taken.
- **Resumable.** Each archive downloads into ``<packages dir>/.cleaner-downloads/`` as a
  ``.part`` file. A connection that breaks is resumed from where it stopped (an HTTP ``Range``
  request), a few times in the same command, and again by rerunning the command; a server
  that ignores ``Range`` sends the whole file again, which then replaces the partial one.
- **Checked.** The finished file must have the size the server announced and pass
  :func:`~cleaner.translate.packages.validate_archive` (every member's CRC); a resumed file
  that does not is downloaded again from the start, once.
- **Watchable.** ``progress`` (the CLI passes a tqdm bar on stderr when stderr is a terminal)
  is told each package's size and every chunk received.
"""

from __future__ import annotations

import http.client
import json
import os
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import Any, Protocol

from .packages import InstalledPackage, PackageError, install_archives, validate_archive

DEFAULT_INDEX = "https://raw.githubusercontent.com/argosopentech/argospm-index/main/"
DOWNLOADS = ".cleaner-downloads"
#: Attempts per archive within one command (each resumes the last).
ATTEMPTS = 3
CHUNK = 1 << 16
_NETWORK_ERRORS = (OSError, http.client.HTTPException)


class Progress(Protocol):
    """What a progress display offers: one bar per package, told each chunk's size."""

    def update(self, n: int) -> Any: ...


#: ``progress(label, total_bytes or None, already_bytes)`` opens one package's bar.
ProgressFactory = Callable[[str, int | None, int], AbstractContextManager[Progress]]


class _NoProgress:
    def update(self, n: int) -> None:
        pass


def index_url_from_env() -> str:
    base = os.environ.get("ARGOS_PACKAGE_INDEX", DEFAULT_INDEX)
    return base.rstrip("/") + "/index.json"


def read_index(url: str) -> list[dict[str, Any]]:
    try:
        with urllib.request.urlopen(url, timeout=60) as resp:
            index = json.loads(resp.read().decode("utf-8"))
    except (*_NETWORK_ERRORS, ValueError) as e:
        raise PackageError(f"cannot read the package index {url}: {e}") from None
    if not isinstance(index, list):
        raise PackageError(f"the package index {url} is not a list of packages")
    return [m for m in index if isinstance(m, dict)]


def installed_argos_version() -> str:
    from importlib.metadata import version

    return version("argostranslate")


def choose_package(
    index: list[dict[str, Any]], src: str, tgt: str, argos_version: str
) -> dict[str, Any]:
    """The newest ``src→tgt`` translation package whose ``argos_version`` is not newer than
    ``argos_version`` (the installed argostranslate's)."""
    from packaging.version import InvalidVersion, Version

    def version_of(entry: dict[str, Any], key: str) -> Version | None:
        try:
            return Version(str(entry.get(key, "0")))
        except InvalidVersion:
            return None

    here = Version(argos_version)
    direction = [
        m
        for m in index
        if (m.get("from_code"), m.get("to_code")) == (src, tgt)
        and m.get("type", "translate") == "translate"
        and m.get("links")
    ]
    if not direction:
        raise PackageError(f"the package index has no {src}→{tgt} package")
    usable = [
        m
        for m in direction
        if version_of(m, "package_version") is not None
        and (v := version_of(m, "argos_version")) is not None
        and v <= here
    ]
    if not usable:
        needs = sorted(str(m.get("argos_version")) for m in direction)
        raise PackageError(
            f"the index's {src}→{tgt} packages need argostranslate {needs[0]} or newer "
            f"(installed: {argos_version}); upgrade it, or install a package file by hand"
        )
    return max(usable, key=lambda m: version_of(m, "package_version") or Version("0"))


def install_from_index(
    pairs: Sequence[tuple[str, str]],
    packages_dir: Path,
    index_url: str | None = None,
    progress: ProgressFactory | None = None,
) -> list[InstalledPackage]:
    """Download the packages for ``pairs`` from the Argos package index and install them
    (validated like local files, all or nothing). ``index_url`` defaults to
    ``$ARGOS_PACKAGE_INDEX``/index.json, else argospm-index's."""
    index = read_index(index_url or index_url_from_env())
    argos = installed_argos_version()
    chosen = [choose_package(index, src, tgt, argos) for src, tgt in pairs]
    folder = packages_dir / DOWNLOADS
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise PackageError(f"cannot create {folder}: {e}") from None
    files = [download_package(entry, folder, progress) for entry in chosen]
    installed = install_archives(files, packages_dir)
    for f in files:
        f.unlink(missing_ok=True)
    return installed


def _file_name(entry: dict[str, Any]) -> str:
    version = str(entry.get("package_version", "")).replace(".", "_")
    return f"translate-{entry['from_code']}_{entry['to_code']}-{version}.argosmodel"


def download_package(
    entry: dict[str, Any], folder: Path, progress: ProgressFactory | None = None
) -> Path:
    """Download one index entry's archive into ``folder``, resuming a partial download left
    there; the checked archive's path."""
    name = _file_name(entry)
    final, part = folder / name, folder / (name + ".part")
    label = f"{entry['from_code']}→{entry['to_code']} {entry.get('package_version', '')}"
    errors: list[str] = []
    restarted = False
    for _ in range(ATTEMPTS):
        for link in entry["links"]:
            try:
                _fetch(link, part, label, progress)
            except _NETWORK_ERRORS as e:
                errors.append(f"{link}: {e}")
                continue
            try:
                validate_archive(part)
            except PackageError:
                part.unlink()
                if restarted:
                    raise
                restarted = True  # a resumed file that is wrong: once more, from the start
                continue
            os.replace(part, final)
            return final
    kept = part.stat().st_size if part.exists() else 0
    raise PackageError(
        f"download of {label} failed ({'; '.join(errors[-2:])}); "
        + (f"{kept} bytes are kept: rerun the same command to resume" if kept else "")
    )


def _fetch(url: str, part: Path, label: str, progress: ProgressFactory | None) -> None:
    """Bring ``part`` up to the whole file at ``url``, resuming what it holds."""
    have = part.stat().st_size if part.exists() else 0
    request = urllib.request.Request(url)
    if have:
        request.add_header("Range", f"bytes={have}-")
    try:
        resp = urllib.request.urlopen(request, timeout=120)
    except urllib.error.HTTPError as e:
        if e.code == 416 and have:  # asked past the end: what we hold is not that file
            part.unlink()
            return _fetch(url, part, label, progress)
        raise
    with resp:
        if have and resp.status != 206:
            have = 0  # the server sends the whole file: start again
        length = resp.headers.get("Content-Length")
        total = have + int(length) if length and length.isdigit() else None
        bar = progress(label, total, have) if progress else nullcontext(_NoProgress())
        with bar as shown, open(part, "ab" if have else "wb") as fh:
            while chunk := resp.read(CHUNK):
                fh.write(chunk)
                shown.update(len(chunk))
    size = part.stat().st_size
    if total is not None and size != total:
        raise http.client.IncompleteRead(b"", total - size)
    return None
