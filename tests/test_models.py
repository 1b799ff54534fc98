"""`cleaner models`: archive validation (good and hostile), install, list, check, remove.

These archives hold a placeholder model file: validation and installation never load the
model. Real loading is tested in test_translate.py on packages built offline.
"""

from __future__ import annotations

import json
import os
import stat
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from cleaner.cli import main
from cleaner.translate.packages import (
    PackageError,
    install_archives,
    remove_packages,
    scan_packages,
    validate_archive,
)
from cleaner.translate.routes import find_route


def metadata(src="zh", tgt="en", version="1.0", **extra):
    return {
        "package_version": version,
        "argos_version": "1.11",
        "type": "translate",
        "from_code": src,
        "from_name": src,
        "to_code": tgt,
        "to_name": tgt,
        "links": [],
        **extra,
    }


def make_archive(
    path: Path,
    top="translate-zh_en-1_0",
    meta=None,
    extra: dict[str, bytes] | None = None,
    skip=(),
) -> Path:
    members = {
        f"{top}/metadata.json": json.dumps(meta if meta is not None else metadata()).encode(),
        f"{top}/model/model.bin": b"\0" * 64,
        f"{top}/model/config.json": b"{}",
        f"{top}/sentencepiece.model": b"sp",
    }
    members = {k: v for k, v in members.items() if k.rsplit("/", 1)[-1] not in skip}
    members.update(extra or {})
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


def test_good_archive_validates_and_installs(tmp_path):
    arc = make_archive(tmp_path / "zh_en.argosmodel")
    info = validate_archive(arc)
    assert info.top == "translate-zh_en-1_0" and info.direction == ("zh", "en")
    pkgs = install_archives([arc], tmp_path / "pk")
    assert [(p.from_code, p.to_code, p.version) for p in pkgs] == [("zh", "en", "1.0")]
    assert (tmp_path / "pk" / "translate-zh_en-1_0" / "model" / "model.bin").is_file()
    # nothing left behind but the package
    assert sorted(p.name for p in (tmp_path / "pk").iterdir()) == ["translate-zh_en-1_0"]


@pytest.mark.parametrize(
    "member, why",
    [
        ("../evil.txt", "leaves"),
        ("translate-zh_en-1_0/../../evil.txt", "leaves"),
        ("/etc/evil", "absolute"),
        ("translate-zh_en-1_0\\..\\evil", "backslash"),
        ("C:/evil", "absolute"),
        ("other/file.txt", "one top folder"),
    ],
)
def test_hostile_member_paths_are_refused_before_writing(tmp_path, member, why):
    arc = make_archive(tmp_path / "bad.argosmodel", extra={member: b"x"})
    with pytest.raises(PackageError, match=why):
        validate_archive(arc)
    with pytest.raises(PackageError):
        install_archives([arc], tmp_path / "pk")
    assert not (tmp_path / "evil.txt").exists()
    assert not (tmp_path / "pk").exists() or not any((tmp_path / "pk").iterdir())


def test_symlink_member_is_refused(tmp_path):
    arc = tmp_path / "link.argosmodel"
    make_archive(arc)
    with zipfile.ZipFile(arc, "a") as zf:
        info = zipfile.ZipInfo("translate-zh_en-1_0/link")
        info.external_attr = (stat.S_IFLNK | 0o777) << 16
        zf.writestr(info, "/etc/passwd")
    with pytest.raises(PackageError, match="links"):
        validate_archive(arc)


def test_a_folder_where_the_model_file_should_be_is_refused_before_any_install(tmp_path):
    # it passed validation, failed once unpacked, and the other archive of the same command
    # stayed installed
    good = make_archive(tmp_path / "good.argosmodel", top="translate-en_fr-1_0")
    bad = make_archive(tmp_path / "bad.argosmodel", skip=("model.bin",))
    with zipfile.ZipFile(bad, "a") as zf:
        zf.writestr("translate-zh_en-1_0/model/model.bin/", b"")
    with pytest.raises(PackageError, match="model/model.bin is a folder"):
        validate_archive(bad)
    with pytest.raises(PackageError):
        install_archives([good, bad], tmp_path / "pk")
    assert not (tmp_path / "pk").exists() or not any((tmp_path / "pk").iterdir())


def test_truncated_and_corrupt_archives(tmp_path):
    arc = make_archive(tmp_path / "ok.argosmodel")
    data = arc.read_bytes()
    truncated = tmp_path / "truncated.argosmodel"
    truncated.write_bytes(data[: len(data) // 2])
    with pytest.raises(PackageError, match="truncated|corrupt|not a valid"):
        validate_archive(truncated)
    # flip a byte inside a stored member: the CRC check catches it
    corrupt = tmp_path / "corrupt.argosmodel"
    blob = bytearray(data)
    i = blob.find(b"\0" * 64)
    blob[i + 10] = 1
    corrupt.write_bytes(bytes(blob))
    with pytest.raises(PackageError, match="corrupt|CRC"):
        validate_archive(corrupt)
    not_zip = tmp_path / "text.argosmodel"
    not_zip.write_text("hello")
    with pytest.raises(PackageError, match="not a valid"):
        validate_archive(not_zip)
    with pytest.raises(PackageError, match="no such file"):
        validate_archive(tmp_path / "missing.argosmodel")


def declare_sizes(path: Path, size: int) -> None:
    """Make every member of the zip at ``path`` claim to expand to ``size`` bytes (the central
    directory's field; the data is untouched): a zip bomb's headers, without the bytes."""
    data = bytearray(path.read_bytes())
    at = data.find(b"PK\x01\x02")
    while at != -1:
        data[at + 24 : at + 28] = size.to_bytes(4, "little")  # uncompressed size
        at = data.find(b"PK\x01\x02", at + 46)
    path.write_bytes(bytes(data))


def test_size_and_member_count_limits(tmp_path):
    """At most 10,000 members and 8 GiB unpacked, checked before anything is extracted."""
    top = "translate-zh_en-1_0"
    fillers = {f"{top}/stanza/f{i:05d}": b"" for i in range(10_000 - 4)}
    exactly = make_archive(tmp_path / "max.argosmodel", extra=fillers)
    assert validate_archive(exactly).top == top  # 10,000 members: accepted
    fillers[f"{top}/stanza/one-more"] = b""
    too_many = make_archive(tmp_path / "many.argosmodel", extra=fillers)
    with pytest.raises(PackageError, match=r"too many members \(10001; .* at most 10000\)"):
        validate_archive(too_many)
    # 4 members claiming 2 GiB each (8 GiB in all) are accepted; one more is refused. (A zip
    # that claims less than it holds fails its CRC check instead: zipfile stops at the claim.)
    two_gib = 2 * 1024**3
    fits = make_archive(tmp_path / "fits.argosmodel")
    declare_sizes(fits, two_gib)
    assert sum(m.file_size for m in zipfile.ZipFile(fits).infolist()) == 8 * 1024**3
    assert validate_archive(fits).top == top
    bomb = make_archive(tmp_path / "bomb.argosmodel", extra={f"{top}/README.md": b"x"})
    declare_sizes(bomb, two_gib)
    with pytest.raises(
        PackageError, match=r"expands to 10737418240 bytes, more than the 8589934592"
    ):
        validate_archive(bomb)
    dest = tmp_path / "pk"
    with pytest.raises(PackageError):
        install_archives([bomb], dest)
    assert not dest.exists() or not any(dest.iterdir())  # nothing written


@pytest.mark.parametrize(
    "meta, why",
    [
        ([1, 2], "not a JSON object"),
        (metadata(src="../x"), "from_code"),
        (metadata(tgt=None), "to_code"),
        (metadata(version=["1"]), "package_version"),
        (metadata(type="weird"), "unknown type"),
    ],
)
def test_bad_metadata_is_refused(tmp_path, meta, why):
    with pytest.raises(PackageError, match=why):
        validate_archive(make_archive(tmp_path / "m.argosmodel", meta=meta))


def test_missing_parts_are_refused(tmp_path):
    with pytest.raises(PackageError, match="metadata.json"):
        validate_archive(make_archive(tmp_path / "a.argosmodel", skip=("metadata.json",)))
    with pytest.raises(PackageError, match="model.bin"):
        validate_archive(make_archive(tmp_path / "b.argosmodel", skip=("model.bin",)))
    with pytest.raises(PackageError, match="sentencepiece"):
        validate_archive(make_archive(tmp_path / "c.argosmodel", skip=("sentencepiece.model",)))


def test_install_is_all_or_nothing(tmp_path):
    good = make_archive(tmp_path / "good.argosmodel")
    bad = make_archive(tmp_path / "bad.argosmodel", top="t2", extra={"../x": b""})
    with pytest.raises(PackageError):
        install_archives([good, bad], tmp_path / "pk")
    assert not (tmp_path / "pk").exists()


def test_reinstall_replaces_and_remove(tmp_path):
    pk = tmp_path / "pk"
    install_archives([make_archive(tmp_path / "a.argosmodel")], pk)
    install_archives([make_archive(tmp_path / "b.argosmodel", meta=metadata(version="1.1"))], pk)
    (pkg,) = scan_packages(pk)[0]
    assert pkg.version == "1.1"
    assert remove_packages(["zh:en"], pk)[0].name == "translate-zh_en-1_0"
    assert scan_packages(pk) == ([], [])
    with pytest.raises(PackageError, match="no installed package"):
        remove_packages(["zh:en"], pk)


def test_broken_folder_does_not_hide_the_others(tmp_path):
    pk = tmp_path / "pk"
    install_archives([make_archive(tmp_path / "a.argosmodel")], pk)
    (pk / "junk").mkdir()
    installed, broken = scan_packages(pk)
    assert [p.name for p in installed] == ["translate-zh_en-1_0"]
    assert [(b.path.name, b.problem) for b in broken] == [("junk", "no metadata.json")]


def test_routes_direct_pivot_and_missing(tmp_path):
    pk = tmp_path / "pk"
    install_archives(
        [
            make_archive(tmp_path / "a.argosmodel", top="zh_en", meta=metadata("zh", "en")),
            make_archive(tmp_path / "b.argosmodel", top="en_fr", meta=metadata("en", "fr")),
        ],
        pk,
    )
    installed, _ = scan_packages(pk)
    direct = find_route(installed, "en", "fr")
    assert direct is not None and direct.pivot is None
    pivot = find_route(installed, "zh", "fr")
    assert pivot is not None and pivot.pivot == "en"
    assert [p.name for p in pivot.steps] == ["zh_en", "en_fr"]
    assert find_route(installed, "zh", "fr", pivot="") is None
    assert find_route(installed, "fr", "en") is None


def test_cli_install_list_check_remove(tmp_path):
    pk = tmp_path / "pk"
    runner = CliRunner()
    arcs = tmp_path / "arcs"
    arcs.mkdir()
    make_archive(arcs / "zh_en.argosmodel", top="zh_en", meta=metadata("zh", "en"))
    make_archive(arcs / "en_fr.argosmodel", top="en_fr", meta=metadata("en", "fr"))
    r = runner.invoke(main, ["models", "install", str(arcs), "--packages-dir", str(pk)])
    assert r.exit_code == 0, r.output
    r = runner.invoke(main, ["models", "list", "--packages-dir", str(pk), "--json"])
    assert r.exit_code == 0
    listed = [json.loads(line) for line in r.stdout.splitlines()]
    assert [(d["from"], d["to"]) for d in listed] == [("en", "fr"), ("zh", "en")]
    r = runner.invoke(main, ["models", "check", "--packages-dir", str(pk)])
    assert r.exit_code == 1  # fr→en is missing
    assert "zh→fr\tpivot" in r.stdout and "en→fr\tdirect" in r.stdout
    assert "fr→en\tMISSING" in r.stdout
    assert "cleaner models install --download fr:en" in r.stderr
    r = runner.invoke(main, ["models", "check", "--packages-dir", str(pk), "--no-parallel"])
    assert r.exit_code == 0, r.output
    r = runner.invoke(main, ["models", "remove", "zh:en", "--packages-dir", str(pk)])
    assert r.exit_code == 0 and not (pk / "zh_en").exists()


def test_cli_hostile_archive_is_one_line_error(tmp_path):
    arc = make_archive(tmp_path / "bad.argosmodel", extra={"../../escape": b"x"})
    r = CliRunner().invoke(
        main, ["models", "install", str(arc), "--packages-dir", str(tmp_path / "pk")]
    )
    assert r.exit_code == 1
    assert r.stderr.startswith("cleaner: error: bad.argosmodel: refusing member")
    assert "Traceback" not in r.output
    assert not (tmp_path.parent / "escape").exists()


def test_download_needs_the_flag_and_reports_a_bad_index(tmp_path, monkeypatch):
    # --download reads the index; an unreachable one is a one-line error (here: a file URL
    # that does not exist, so the test never touches the network)
    monkeypatch.setenv("ARGOS_PACKAGE_INDEX", (tmp_path / "nowhere").as_uri() + "/")
    r = CliRunner().invoke(
        main, ["models", "install", "--download", "zh:en", "--packages-dir", str(tmp_path / "pk")]
    )
    assert r.exit_code == 1 and "cannot read the package index" in r.stderr


def test_download_from_a_local_index(tmp_path, monkeypatch):
    arc = make_archive(tmp_path / "zh_en.argosmodel")
    index = tmp_path / "index"
    index.mkdir()
    (index / "index.json").write_text(
        json.dumps([metadata() | {"links": [arc.as_uri()]}]), encoding="utf-8"
    )
    monkeypatch.setenv("ARGOS_PACKAGE_INDEX", index.as_uri() + "/")
    r = CliRunner().invoke(
        main, ["models", "install", "--download", "zh:en", "--packages-dir", str(tmp_path / "pk")]
    )
    assert r.exit_code == 0, r.output
    assert (tmp_path / "pk" / "translate-zh_en-1_0" / "metadata.json").is_file()
    r = CliRunner().invoke(
        main, ["models", "install", "--download", "ja:en", "--packages-dir", str(tmp_path / "pk")]
    )
    assert r.exit_code == 1 and "no ja→en package" in r.stderr


def test_packages_dir_from_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("CLEANER_PACKAGES_DIR", str(tmp_path / "env-pk"))
    arc = make_archive(tmp_path / "a.argosmodel")
    r = CliRunner().invoke(main, ["models", "install", str(arc)])
    assert r.exit_code == 0, r.output
    assert (tmp_path / "env-pk" / "translate-zh_en-1_0").is_dir()
    assert os.path.isdir(tmp_path / "env-pk")
