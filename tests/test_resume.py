"""Sharded runs: killed at any moment and rerun, they end byte-identical to an uninterrupted run;
a changed config starts afresh; any number of workers gives the same outputs."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import cleaner
from cleaner import Config
from tests.bench.corpus_gen import generate_pages

EXE = os.path.join(os.path.dirname(sys.executable), "cleaner")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """90 generated pages as one JSONL file (shards of 8: 12 of them)."""
    folder = tmp_path_factory.mktemp("corpus")
    pages, _ = generate_pages(600_000, seed=3)
    with open(folder / "pages.jsonl", "w", encoding="utf-8") as fh:
        for page_id, text in pages:
            fh.write(json.dumps({"id": page_id, "text": text}, ensure_ascii=False) + "\n")
    return folder / "pages.jsonl"


def outputs(out: Path) -> dict[str, bytes]:
    """Every output file but the work folder; the manifest without its timings."""
    got = {}
    for path in sorted(out.rglob("*")):
        rel = path.relative_to(out)
        if not path.is_file() or rel.parts[0].startswith(".cleaner-") or rel.name == "report.html":
            continue
        data = path.read_bytes()
        if rel.name == "manifest.json":
            manifest = json.loads(data)
            manifest.pop("timings")
            data = json.dumps(manifest, sort_keys=True).encode()
        got[rel.as_posix()] = data
    return got


@pytest.fixture(scope="module")
def reference(corpus, tmp_path_factory) -> dict[str, bytes]:
    out = tmp_path_factory.mktemp("ref") / "out"
    cleaner.run([str(corpus)], out, translate=False, shard_documents=8)
    return outputs(out)


def _markers(out: Path, stage: str) -> int:
    return len(list((out / ".cleaner-work" / "shards").glob(f"*/{stage}.done")))


def _run_and_kill(corpus: Path, out: Path, stage: str, after: int) -> int:
    """Start a real `cleaner run`, SIGKILL it once `after` jobs of `stage` are done."""
    proc = subprocess.Popen(
        [
            EXE,
            "run",
            str(corpus),
            "--out",
            str(out),
            "--no-translate",
            "--shard-documents",
            "8",
            "-q",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while proc.poll() is None and time.monotonic() < deadline:
        if (out / ".cleaner-work" / "shards").is_dir() and _markers(out, stage) >= after:
            proc.send_signal(signal.SIGKILL)
            break
        time.sleep(0.005)
    return proc.wait()


@pytest.mark.parametrize(
    "stage, after", [("first", 3), ("first", 11), ("second", 2), ("second", 9)]
)
def test_killed_run_resumes_to_identical_outputs(corpus, reference, tmp_path, stage, after):
    out = tmp_path / "out"
    assert _run_and_kill(corpus, out, stage, after) == -signal.SIGKILL
    assert not (out / "manifest.json").exists()  # nothing committed
    done_before = _markers(out, "first"), _markers(out, "second")
    result = cleaner.run([str(corpus)], out, translate=False, shard_documents=8)
    assert outputs(out) == reference
    # the finished jobs were not redone: their markers are the old files
    assert done_before[0] >= after if stage == "first" else done_before[1] >= after
    assert result.manifest["run"]["shards"] == 12


def test_rerun_of_a_finished_run_reuses_every_shard(corpus, reference, tmp_path, monkeypatch):
    out = tmp_path / "out"
    cleaner.run([str(corpus)], out, translate=False, shard_documents=8)
    from cleaner.execute import local

    def must_not_run(*a, **k):
        raise AssertionError("a finished shard was processed again")

    monkeypatch.setattr(local.ShardWorker, "first_pass", must_not_run)
    monkeypatch.setattr(local.ShardWorker, "second_pass", must_not_run)
    # a run that died after its last shard, before its commit: only reassembly is left
    (out / ".cleaner-work" / "complete.json").unlink()
    (out / "manifest.json").unlink()
    cleaner.run([str(corpus)], out, translate=False, shard_documents=8)
    assert outputs(out) == reference
    # a finished run: the same command reads nothing and writes nothing
    from cleaner import runner

    monkeypatch.setattr(runner, "read_documents", must_not_run)
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    cleaner.run([str(corpus)], out, translate=False, shard_documents=8)
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()} == before


def test_changed_config_or_input_starts_afresh(corpus, tmp_path):
    out = tmp_path / "out"
    assert _run_and_kill(corpus, out, "second", 3) == -signal.SIGKILL
    stamp = json.loads((out / ".cleaner-work" / "run.json").read_text())
    other = Config().replace("boilerplate", template_min_documents=4)
    cleaner.run([str(corpus)], out, other, translate=False, shard_documents=8)
    assert json.loads((out / ".cleaner-work" / "run.json").read_text())["hash"] != stamp["hash"]
    fresh = tmp_path / "fresh"
    cleaner.run([str(corpus)], fresh, other, translate=False, shard_documents=8)
    assert outputs(out) == outputs(fresh)
    # an edited input changes the hash too
    before = json.loads((out / ".cleaner-work" / "run.json").read_text())["hash"]
    copy = tmp_path / "pages.jsonl"
    copy.write_bytes(corpus.read_bytes())
    cleaner.run([str(copy)], out, other, translate=False, shard_documents=8)
    assert json.loads((out / ".cleaner-work" / "run.json").read_text())["hash"] != before


def test_workers_give_the_same_outputs(corpus, reference, tmp_path):
    out = tmp_path / "out"
    cleaner.run([str(corpus)], out, translate=False, shard_documents=8, workers=2)
    assert outputs(out) == reference


def test_workers_come_from_a_fork_server_that_keeps_the_hosts_preloads(monkeypatch):
    """Workers fork from a server that has imported the pipeline; an application that embeds
    cleaner keeps the modules it asked that server to preload."""
    from multiprocessing import forkserver

    from cleaner.execute.local import _context

    monkeypatch.setattr(forkserver._forkserver, "_preload_modules", ["json"])
    ctx = _context()
    assert ctx.get_start_method() == "forkserver"
    assert forkserver._forkserver._preload_modules == ["json", "cleaner.execute.local"]
    _context()  # asked again: listed once
    assert forkserver._forkserver._preload_modules == ["json", "cleaner.execute.local"]


def test_shard_size_does_not_change_the_outputs(corpus, reference, tmp_path):
    out = tmp_path / "out"
    result = cleaner.run([str(corpus)], out, translate=False, shard_documents=50)
    got = outputs(out)
    ref = dict(reference)
    # only the manifest's record of the sharding differs
    m_got, m_ref = json.loads(got.pop("manifest.json")), json.loads(ref.pop("manifest.json"))
    assert got == ref
    assert m_got.pop("run") != m_ref.pop("run")
    assert m_got == m_ref
    assert result.manifest["run"]["shards"] == 2


def test_ray_engine_gives_the_same_outputs(corpus, reference, tmp_path):
    pytest.importorskip("ray.data", reason="Ray Data is not installed (pip install 'cleaner[ray]')")
    out = tmp_path / "out"
    cleaner.run([str(corpus)], out, translate=False, shard_documents=8, workers=2, engine="ray")
    assert outputs(out) == reference
