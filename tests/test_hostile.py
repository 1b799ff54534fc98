"""Hostile and broken input: never a traceback, never a half-written output, nothing lost."""

from __future__ import annotations

import functools
import gzip
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import cleaner
from tests.fuzz.harness import check_input, check_outputs
from tests.support.formats import write_warc
from tests.support.outputs import assert_same_but_timings, snapshot

EXE = os.path.join(os.path.dirname(sys.executable), "cleaner")
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10" + bytes(range(256)) * 4


def run(src: Path, out: Path, **kw) -> cleaner.RunResult:
    result = cleaner.run([str(src)], out, translate=False, **kw)
    check_outputs(out, result)
    return result


def test_image_renamed_txt_and_empty_and_blank_files(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "photo.txt").write_bytes(PNG)
    (src / "empty.txt").write_bytes(b"")
    (src / "blank.txt").write_bytes(b"\n\n   \n\t\n")
    (src / "ok.txt").write_text("Le conseil municipal a voté mardi soir le budget.\n", "utf-8")
    result = run(src, tmp_path / "out")
    assert result.counts["quarantined"] == {"binary_content": 1, "empty_document": 1}
    assert result.counts["by_reason"] == {"empty_line": 4}
    assert result.counts["lines_kept"] == 1


def test_fifty_megabyte_line(tmp_path):
    src = tmp_path / "huge.txt"
    line = ("Le conseil a voté. " * (50 * 1024 * 1024 // 19 + 1))[: 50 * 1024 * 1024]
    src.write_text("Avant.\n" + line + "\nAprès.\n", encoding="utf-8")
    result = run(src, tmp_path / "out")
    assert result.counts["by_reason"] == {"line_too_long": 1}
    (reject,) = [
        json.loads(x) for x in (tmp_path / "out" / "rejects.jsonl").read_text().splitlines()
    ]
    assert reject["text_truncated_from"] == 50 * 1024 * 1024 and len(reject["text"]) == 2000


def test_deeply_malformed_jsonl_goes_on_or_stops_with_strict(tmp_path):
    src = tmp_path / "feed.jsonl"
    lines = [
        b'{"id": "a", "text": "Bonjour."}',
        b"[" * 100_000,  # deep nesting
        b'{"id": "b", "text": ',  # cut
        b"\xff\xfe\x00garbage",
        b'{"id": "c", "text": 42}',
        b'{"id": "d", "text": "Au revoir."}',
        b'{"id": 1' + b"0" * 4300 + b', "text": "Salut."}',  # more digits than Python converts
    ]
    src.write_bytes(b"\n".join(lines) + b"\n")
    result = run(src, tmp_path / "out")
    q = [json.loads(x) for x in (tmp_path / "out" / "quarantine.jsonl").read_text().splitlines()]
    assert [(r["line"], r["reason"]) for r in q] == [
        (2, "malformed_json"),
        (3, "malformed_json"),
        (4, "undecodable"),  # a UTF-16 byte-order mark, then no UTF-16
        (5, "missing_text"),
        (7, "malformed_json"),
    ]
    assert all(r["file"] == str(src) for r in q)
    assert result.counts["documents"] == 2
    with pytest.raises(cleaner.CleanerError, match=r"feed.jsonl line 2: .*--strict"):
        cleaner.run([str(src)], tmp_path / "strict", translate=False, strict=True)
    assert not (tmp_path / "strict" / "manifest.json").exists()


def test_file_names_that_are_not_utf8(tmp_path):
    # a Latin-1 "résumé.txt" and "résumé.pdf" on a UTF-8 system: read and skipped as any other
    # file, named with U+FFFD for the bytes that do not decode in every output
    src = tmp_path / "in"
    src.mkdir()
    (src / "ok.txt").write_text("Bonjour.\n", "utf-8")
    raw = os.fsencode(src)
    with open(raw + b"/r\xe9sum\xe9.txt", "w", encoding="utf-8") as fh:
        fh.write("Le conseil municipal a voté mardi soir le budget.\n")
    with open(raw + b"/r\xe9sum\xe9.pdf", "wb") as fh:
        fh.write(PNG)
    result = run(src, tmp_path / "out")
    assert result.counts["documents"] == 2 and result.counts["lines_kept"] == 2
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text("utf-8"))
    assert manifest["inputs"] == [str(src / "ok.txt"), str(src / "r\ufffdsum\ufffd.txt")]
    assert manifest["counts"]["skipped_files"] == [str(src / "r\ufffdsum\ufffd.pdf")]


def test_hostile_ids_never_write_outside(tmp_path):
    src = tmp_path / "feed.jsonl"
    ids = ["../../escape", "/etc/passwd", "a\x00b", "x" * 5000, "..", "", "con/../../x", "a/./b"]
    with open(src, "w", encoding="utf-8") as fh:
        for i in ids:
            fh.write(json.dumps({"id": i, "text": f"Texte du document {i[:10]!r}."}) + "\n")
    (tmp_path / "txt").mkdir()
    (tmp_path / "txt" / "page.txt").write_text("Un texte.\n", "utf-8")
    out = tmp_path / "deep" / "out"
    result = run(src, out)
    assert result.counts["documents"] == len(ids)
    docs = [json.loads(x) for x in (out / "documents.jsonl").read_text().splitlines()]
    assert len({d["doc"] for d in docs}) == len(ids)  # unique
    for path in tmp_path.rglob("*"):
        assert (
            path == tmp_path / "feed.jsonl"
            or tmp_path / "txt" in path.parents
            or path == tmp_path / "txt"
            or out in path.parents
            or path == out
            or path == tmp_path / "deep"
        ), path


def test_ids_whose_clean_files_would_be_a_file_and_a_folder(tmp_path):
    # "X.txt.gz" is document X (clean/X.txt), "X.txt/b.txt" is document X.txt/b, whose clean
    # file needs clean/X.txt to be a folder: the later one takes a "~2" where they meet
    src = tmp_path / "in"
    (src / "X.txt").mkdir(parents=True)
    (src / "X.txt" / "b.txt").write_text("Bonjour un.\n", "utf-8")
    (src / "X.txt.gz").write_bytes(gzip.compress(b"Bonjour deux.\n"))
    result = run(src, tmp_path / "out")
    assert result.counts["documents"] == 2
    clean = tmp_path / "out" / "clean"
    assert (clean / "X.txt~2" / "b.txt").read_text("utf-8") == "Bonjour un.\n"
    assert (clean / "X.txt").read_text("utf-8") == "Bonjour deux.\n"


def test_unreadable_file_is_quarantined(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "ok.txt").write_text("Un texte.\n", "utf-8")
    (src / "gone.txt").symlink_to(tmp_path / "nowhere.txt")  # listed, cannot be opened
    result = run(src, tmp_path / "out")
    assert result.counts["quarantined"] == {"unreadable": 1}


def test_a_charset_that_is_no_text_encoding_and_a_text_named_warc(tmp_path):
    # "rot13", "base64", "undefined" name Python codecs that decode no text: the page is read
    # as if it declared nothing, in an HTML file and in a WARC record between two others
    page = "<html><head><meta charset='{}'></head><body><p>{}</p></body></html>"
    para = "Le conseil municipal a voté mardi soir le budget de la médiathèque, après un débat."
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.html").write_bytes(page.format("rot13", para).encode("cp1252"))
    bodies = [page.format(cs, para).encode("cp1252") for cs in ("utf-8", "base64", "undefined")]
    bodies[0] = page.format("utf-8", para).encode("utf-8")
    write_warc(
        src / "crawl.warc",
        [
            {"url": f"https://ex.fr/{i}", "body": b, "content_type": f"text/html; charset={cs}"}
            for i, (b, cs) in enumerate(zip(bodies, ("utf-8", "base64", "undefined"), strict=True))
        ],
        gzip=False,
    )
    # and a text file named .warc: no WARC, quarantined as such
    (src / "notes.warc").write_bytes(b"hello this is not a warc file\n" * 10)
    result = run(src, tmp_path / "out")
    assert result.counts["documents"] == 4 and result.counts["lines_kept"] == 4
    clean = [
        json.loads(x)["text"]
        for x in (tmp_path / "out" / "clean.jsonl").read_text().split("\n")
        if x
    ]
    assert clean == [para] * 3
    assert result.counts["quarantined"] == {"corrupt_archive": 1}


def test_truncated_gzip_keeps_what_was_read(tmp_path):
    data = gzip.compress(b"".join(b'{"text": "Ligne %d du flux."}\n' % i for i in range(2000)))
    src = tmp_path / "feed.jsonl.gz"
    src.write_bytes(data[: len(data) // 2])
    result = run(src, tmp_path / "out")
    assert result.counts["quarantined"] == {"corrupt_archive": 1}
    assert 0 < result.counts["documents"] < 2000


def test_no_network_during_a_run(tmp_path, monkeypatch, packages_dir):
    """With translation on (the test packages), a run opens no socket at all."""

    def refuse(*args, **kwargs):
        raise AssertionError(f"network access attempted: {args}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    config = cleaner.Config.from_dict(
        {
            "translate": {"packages_dir": str(packages_dir), "cache_path": str(tmp_path / "c.db")},
            "pairs": {"filters": []},
        }
    )
    src = Path(__file__).resolve().parent.parent / "corpora" / "sample"
    result = cleaner.run([str(src)], tmp_path / "out", config)
    assert result.counts["pairs"]["kept"] > 0


def test_ctrl_c_stops_cleanly_and_resumes(tmp_path):
    from tests.bench.corpus_gen import generate_pages

    pages, _ = generate_pages(400_000, seed=5)
    src = tmp_path / "feed.jsonl"
    src.write_text("".join(json.dumps({"id": i, "text": t}) + "\n" for i, t in pages), "utf-8")
    out = tmp_path / "out"
    cmd = [
        EXE,
        "run",
        str(src),
        "--out",
        str(out),
        "--no-translate",
        "--shard-documents",
        "5",
        "-q",
    ]
    # Ctrl-C's default action in the child, as in a terminal: a suite started in the background
    # of a shell without job control (`make test &`) hands its children SIGINT ignored, and
    # Python then installs no KeyboardInterrupt handler (the run would finish, exit 0)
    restore = functools.partial(signal.signal, signal.SIGINT, signal.SIG_DFL)
    proc = subprocess.Popen(cmd, stderr=subprocess.PIPE, text=True, preexec_fn=restore)
    shards = out / ".cleaner-work" / "shards"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        # interrupt once the first shard is done: the run still has most of its work ahead,
        # even on a loaded machine (waiting for three let it finish first under load)
        if shards.is_dir() and any(shards.glob("*/first.done")):
            proc.send_signal(signal.SIGINT)
            break
        time.sleep(0.005)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert (
        err
        == "cleaner: error: interrupted; no output was changed (rerun the same command to resume)\n"
    )
    assert not (out / "manifest.json").exists()
    resumed = subprocess.run(cmd, capture_output=True, text=True)
    assert resumed.returncode == 0, resumed.stderr
    ref = tmp_path / "ref"
    subprocess.run(cmd[:4] + [str(ref)] + cmd[5:], check=True)
    assert_same_but_timings(snapshot(out), snapshot(ref))  # every output, report.html too


WORKER_SIGINT = """
import concurrent.futures as cf, signal
from cleaner.execute.local import worker_context
with cf.ProcessPoolExecutor(1, mp_context=worker_context()) as pool:
    print(pool.submit(signal.getsignal, signal.SIGINT).result() is signal.SIG_IGN)
print(signal.getsignal(signal.SIGINT) is signal.default_int_handler)
"""


def test_workers_leave_ctrl_c_to_the_coordinator():
    # a Ctrl-C goes to the whole process group: a worker waiting for a shard, or the fork
    # server importing the pipeline, printed a KeyboardInterrupt traceback each; they ignore
    # it, and the coordinator, which stops the run and ends them, keeps its handler
    restore = functools.partial(signal.signal, signal.SIGINT, signal.SIG_DFL)
    done = subprocess.run(
        [sys.executable, "-c", WORKER_SIGINT], capture_output=True, text=True, preexec_fn=restore
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["True", "True"]


# `make fuzz` raises the number of examples (CLEANER_FUZZ_EXAMPLES); `make test` runs 40.
@settings(
    max_examples=int(os.environ.get("CLEANER_FUZZ_EXAMPLES", "40")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    st.one_of(
        st.binary(max_size=400),
        st.text(max_size=300).map(lambda t: t.encode("utf-8", "surrogatepass")),
        st.lists(st.text(max_size=60), max_size=8).map(
            lambda xs: "\n".join(json.dumps({"text": x}) for x in xs).encode(
                "utf-8", "surrogatepass"
            )
        ),
    )
)
def test_fuzz_whole_runs(tmp_path, data):
    check_input(data, tmp_path)
