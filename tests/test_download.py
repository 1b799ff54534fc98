"""`cleaner models install --download` against a local HTTP server (a thread serving a
temporary folder on 127.0.0.1) with an index in the real argospm-index format."""

from __future__ import annotations

import fcntl
import http.server
import json
import os
import pty
import random
import struct
import subprocess
import sys
import termios
import threading
from pathlib import Path

import pytest

from cleaner.translate.download import DOWNLOADS, choose_package, install_from_index
from cleaner.translate.packages import PackageError, scan_packages
from tests.test_models import make_archive, metadata

REPO = Path(__file__).resolve().parent.parent


class Server:
    """Serves a folder; answers ``Range`` requests (206) unless told not to, and can cut the
    next ``cuts`` responses of a file after ``cut_at`` bytes (a dropped connection)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.ranges: list[str | None] = []
        self.honour_ranges = True
        self.cuts = 0
        self.cut_at = 0
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                path = server.root / self.path.lstrip("/")
                if not path.is_file():
                    self.send_error(404)
                    return
                data = path.read_bytes()
                wanted = self.headers.get("Range")
                if path.suffix == ".argosmodel":
                    server.ranges.append(wanted)
                start = 0
                if wanted and server.honour_ranges:
                    start = int(wanted.removeprefix("bytes=").rstrip("-"))
                    if start >= len(data):
                        self.send_error(416)
                        return
                    self.send_response(206)
                    self.send_header("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")
                else:
                    self.send_response(200)
                body = data[start:]
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if server.cuts and path.suffix == ".argosmodel":
                    server.cuts -= 1
                    self.wfile.write(body[: server.cut_at])
                    self.wfile.flush()
                    self.close_connection = True
                    return
                self.wfile.write(body)

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def entry(src: str, tgt: str, version: str, argos: str, link: str) -> dict:
    """One index entry as argospm-index writes them."""
    return {
        "package_version": version,
        "argos_version": argos,
        "from_code": src,
        "from_name": src,
        "to_code": tgt,
        "to_name": tgt,
        "links": [link],
        "code": f"translate-{src}_{tgt}",
    }


def archive(folder: Path, version: str, size: int = 300_000) -> Path:
    """A package archive with ``size`` bytes of incompressible filler (stored), so that a
    download takes many chunks."""
    filler = random.Random(version).randbytes(size)
    top = f"translate-zh_en-{version.replace('.', '_')}"
    return make_archive(
        folder / f"{top}.argosmodel",
        top=top,
        meta=metadata(version=version),
        extra={f"{top}/model/filler.bin": filler},
    )


@pytest.fixture
def served(tmp_path):
    root = tmp_path / "www"
    root.mkdir()
    server = Server(root)
    yield server
    server.close()


def publish(server: Server, entries: list[dict]) -> str:
    (server.root / "index.json").write_text(json.dumps(entries), encoding="utf-8")
    return f"{server.url}/index.json"


def test_newest_compatible_version_is_chosen(served, tmp_path):
    for v in ("1.0", "1.9", "2.0"):
        archive(served.root, v)
    index = publish(
        served,
        [
            entry("zh", "en", "1.0", "1.0", f"{served.url}/translate-zh_en-1_0.argosmodel"),
            entry("zh", "en", "1.9", "1.9.0", f"{served.url}/translate-zh_en-1_9.argosmodel"),
            # made for an argostranslate newer than the one installed (1.11)
            entry("zh", "en", "2.0", "99.0", f"{served.url}/translate-zh_en-2_0.argosmodel"),
            entry("en", "fr", "1.9", "1.9.0", f"{served.url}/missing.argosmodel"),
        ],
    )
    done = install_from_index([("zh", "en")], tmp_path / "pk", index_url=index)
    assert [(p.direction, p.version) for p in done] == [(("zh", "en"), "1.9")]
    # nothing left in the download folder
    assert list((tmp_path / "pk" / DOWNLOADS).iterdir()) == []


def test_choose_package_says_what_is_missing():
    index = [entry("zh", "en", "3.0", "5.0", "http://x/y")]
    with pytest.raises(PackageError, match="need argostranslate 5.0 or newer"):
        choose_package(index, "zh", "en", "1.11.0")
    with pytest.raises(PackageError, match="no ja→en package"):
        choose_package(index, "ja", "en", "1.11.0")


def test_a_dropped_connection_is_resumed(served, tmp_path):
    arc = archive(served.root, "1.9")
    index = publish(served, [entry("zh", "en", "1.9", "1.9", f"{served.url}/{arc.name}")])
    served.cuts, served.cut_at = 1, 100_000
    done = install_from_index([("zh", "en")], tmp_path / "pk", index_url=index)
    assert [p.version for p in done] == ["1.9"]
    assert served.ranges == [None, "bytes=100000-"]
    installed = tmp_path / "pk" / "translate-zh_en-1_9" / "model" / "filler.bin"
    assert installed.read_bytes() == random.Random("1.9").randbytes(300_000)


def test_a_server_ignoring_ranges_restarts_cleanly(served, tmp_path):
    arc = archive(served.root, "1.9")
    index = publish(served, [entry("zh", "en", "1.9", "1.9", f"{served.url}/{arc.name}")])
    served.cuts, served.cut_at, served.honour_ranges = 1, 100_000, False
    done = install_from_index([("zh", "en")], tmp_path / "pk", index_url=index)
    assert [p.version for p in done] == ["1.9"]
    assert served.ranges == [None, "bytes=100000-"]  # asked to resume, got the whole file


def test_an_interrupted_command_is_resumed_by_the_next(served, tmp_path):
    arc = archive(served.root, "1.9")
    index = publish(served, [entry("zh", "en", "1.9", "1.9", f"{served.url}/{arc.name}")])
    served.cuts, served.cut_at = 3, 40_000  # every attempt of the first command breaks
    with pytest.raises(PackageError, match="rerun the same command to resume"):
        install_from_index([("zh", "en")], tmp_path / "pk", index_url=index)
    assert scan_packages(tmp_path / "pk") == ([], [])
    (part,) = (tmp_path / "pk" / DOWNLOADS).iterdir()
    assert part.name.endswith(".part") and part.stat().st_size == 120_000
    served.ranges.clear()
    done = install_from_index([("zh", "en")], tmp_path / "pk", index_url=index)
    assert [p.version for p in done] == ["1.9"]
    assert served.ranges == ["bytes=120000-"]


def test_a_corrupt_download_is_refused_and_nothing_installed(served, tmp_path):
    arc = archive(served.root, "1.9")
    data = bytearray(arc.read_bytes())
    data[len(data) // 2] ^= 0xFF  # inside the filler: its CRC no longer matches
    arc.write_bytes(bytes(data))
    index = publish(served, [entry("zh", "en", "1.9", "1.9", f"{served.url}/{arc.name}")])
    with pytest.raises(PackageError, match="CRC"):
        install_from_index([("zh", "en")], tmp_path / "pk", index_url=index)
    assert scan_packages(tmp_path / "pk") == ([], [])
    assert list((tmp_path / "pk" / DOWNLOADS).iterdir()) == []
    assert served.ranges == [None, None]  # downloaded again from the start, once


def run_cli_on_a_terminal(args: list[str], env: dict) -> tuple[int, str]:
    """Run the CLI with stderr on a pseudo-terminal; its exit status and what stderr showed."""
    leader, follower = pty.openpty()
    # a terminal of 24 rows and 100 columns (a new pseudo-terminal has none: bars would be empty)
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
    proc = subprocess.Popen(
        [sys.executable, "-m", "cleaner", *args],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=follower,
        env=env,
        cwd=REPO,
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            data = os.read(leader, 4096)
        except OSError:  # the terminal closed with the process
            break
        if not data:
            break
        chunks.append(data)
    os.close(leader)
    return proc.wait(), b"".join(chunks).decode("utf-8", "replace")


def test_progress_bar_on_a_terminal_only(served, tmp_path):
    arc = archive(served.root, "1.9", size=2_000_000)
    index = publish(served, [entry("zh", "en", "1.9", "1.9", f"{served.url}/{arc.name}")])
    env = dict(os.environ, ARGOS_PACKAGE_INDEX=index.removesuffix("index.json"))
    args = ["models", "install", "--download", "zh:en", "--packages-dir"]
    code, shown = run_cli_on_a_terminal([*args, str(tmp_path / "pk1")], env)
    assert code == 0, shown
    assert "zh→en 1.9" in shown  # the package
    assert "1.91M/1.91M" in shown  # its size (2,000,000 bytes and the zip's headers, in MiB)
    assert "B/s" in shown  # the speed
    assert "<00:00" in shown  # the time left
    piped = subprocess.run(
        [sys.executable, "-m", "cleaner", *args, str(tmp_path / "pk2")],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert piped.returncode == 0, piped.stderr
    assert "B/s" not in piped.stderr and "installed zh→en 1.9" in piped.stderr
