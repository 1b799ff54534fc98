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
from tests.support.outputs import snapshot, without_timings

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
    """Every output file, report.html included, but the work folder; the manifest without its
    timings (the one part a rerun may change)."""
    return without_timings(snapshot(out))


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


def _done(out: Path, stage: str) -> dict[int, tuple[int, int]]:
    """The shards whose `stage` job has its marker: index -> the marker file's (inode, mtime)."""
    found = {}
    for marker in (out / ".cleaner-work" / "shards").glob(f"*/{stage}.done"):
        st = marker.stat()
        found[int(marker.parent.name)] = (st.st_ino, st.st_mtime_ns)
    return found


def _spy_on_jobs(monkeypatch) -> dict[str, list[int]]:
    """Record which shard jobs this process runs (a resumed run with one worker runs inline)."""
    from cleaner.execute import local

    ran: dict[str, list[int]] = {"first": [], "second": []}
    first, second = local.ShardWorker.first_pass, local.ShardWorker.second_pass

    def first_pass(self, work, shard):
        ran["first"].append(shard.index)
        return first(self, work, shard)

    def second_pass(self, work, index, *args):
        ran["second"].append(index)
        return second(self, work, index, *args)

    monkeypatch.setattr(local.ShardWorker, "first_pass", first_pass)
    monkeypatch.setattr(local.ShardWorker, "second_pass", second_pass)
    return ran


@pytest.mark.parametrize(
    "stage, after", [("first", 3), ("first", 11), ("second", 2), ("second", 9)]
)
def test_killed_run_resumes_to_identical_outputs(
    corpus, reference, tmp_path, monkeypatch, stage, after
):
    out = tmp_path / "out"
    assert _run_and_kill(corpus, out, stage, after) == -signal.SIGKILL
    assert not (out / "manifest.json").exists()  # nothing committed
    before = {s: _done(out, s) for s in ("first", "second")}
    ran = _spy_on_jobs(monkeypatch)
    result = cleaner.run([str(corpus)], out, translate=False, shard_documents=8)
    assert outputs(out) == reference
    assert result.manifest["run"]["shards"] == 12
    for s in ("first", "second"):
        # the finished jobs were not redone, their markers are the old files; the rest were
        assert sorted(ran[s]) == sorted(set(range(12)) - set(before[s])), s
        assert {k: v for k, v in _done(out, s).items() if k in before[s]} == before[s], s
    assert ran[stage] != list(range(12))  # the kill left finished work behind to reuse


@pytest.mark.parametrize("stage, fail_at", [("first", 5), ("second", 7)])
def test_full_disk_then_resume(corpus, reference, tmp_path, monkeypatch, stage, fail_at):
    """A write fails with ENOSPC in the middle of a pass (the spool of the first pass, or a
    shard's outputs in the second); the run stops, commits nothing, and the same command, once
    there is room again, finishes what was left and only that."""
    import errno

    from cleaner.execute import local
    from cleaner.io import writers

    calls = 0
    if stage == "first":
        real = local.save_pickle

        def write(path, value):
            nonlocal calls
            if path.name == "spool.pickle":
                calls += 1
                if calls == fail_at:
                    raise OSError(errno.ENOSPC, "No space left on device", str(path))
            return real(path, value)

        monkeypatch.setattr(local, "save_pickle", write)
    else:
        real_doc = writers.OutputWriter.write_document

        def write(self, doc):
            nonlocal calls
            # one writer per shard of the second pass; marked on the writer itself, since the
            # id() of a finished shard's writer may be reused by the next one's
            if not getattr(self, "_counted_by_test", False):
                self._counted_by_test = True
                calls += 1
            if calls == fail_at:
                raise OSError(errno.ENOSPC, "No space left on device")
            return real_doc(self, doc)

        monkeypatch.setattr(writers.OutputWriter, "write_document", write)
    out = tmp_path / "out"
    with pytest.raises(OSError) as failure:
        cleaner.run([str(corpus)], out, translate=False, shard_documents=8)
    assert failure.value.errno == errno.ENOSPC
    assert not (out / "manifest.json").exists()  # nothing committed
    assert len(_done(out, stage)) == fail_at - 1
    monkeypatch.undo()  # room again
    before = {s: _done(out, s) for s in ("first", "second")}
    ran = _spy_on_jobs(monkeypatch)
    cleaner.run([str(corpus)], out, translate=False, shard_documents=8)
    assert outputs(out) == reference
    for s in ("first", "second"):
        assert sorted(ran[s]) == sorted(set(range(12)) - set(before[s])), s


def test_a_second_run_into_the_same_folder_is_refused(corpus, reference, tmp_path):
    """A real run, stopped (SIGSTOP) in the middle while it holds the folder's lock: a second
    run into the same folder stops at once with one line saying what to do, and changes
    nothing; the first, continued, finishes as if alone."""
    from click.testing import CliRunner

    from cleaner.cli import main

    out = tmp_path / "out"
    proc = subprocess.Popen(
        [EXE, "run", str(corpus), "--out", str(out), "--no-translate", "--shard-documents", "8"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 120
        while proc.poll() is None and time.monotonic() < deadline:
            if (out / ".cleaner-work" / "shards").is_dir() and _markers(out, "first") >= 2:
                proc.send_signal(signal.SIGSTOP)
                break
            time.sleep(0.005)
        assert proc.poll() is None, "the first run ended before it could be stopped"
        work_before = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
        second = CliRunner().invoke(
            main,
            ["run", str(corpus), "--out", str(out), "--no-translate", "--shard-documents", "8"],
        )
        assert second.exit_code == 1
        assert second.stderr == (
            f"cleaner: error: another cleaner run is writing to {out} (it holds .cleaner-lock "
            "there): wait for it to finish, or give this run another output directory\n"
        )
        assert {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()} == work_before
    finally:
        proc.send_signal(signal.SIGCONT)
    assert proc.wait(timeout=120) == 0
    assert outputs(out) == reference


def test_a_run_from_stdin_never_resumes(corpus, tmp_path, monkeypatch):
    """Standard input cannot be read twice, so what an earlier run left is never trusted: after
    a run from `-` that failed half-way, and after one that finished, the same command does
    every job again."""
    import io

    from cleaner.execute import local

    data = corpus.read_bytes()
    out = tmp_path / "out"

    def from_stdin() -> cleaner.RunResult:
        stdin = io.BytesIO(data)
        return cleaner.run(
            ["-"], out, translate=False, shard_documents=8, stdin=stdin, stdin_format="jsonl"
        )

    real = local.ShardWorker.second_pass

    def fails_at_shard_6(self, work, index, *args):
        if index == 6:
            raise OSError(28, "No space left on device")
        return real(self, work, index, *args)

    monkeypatch.setattr(local.ShardWorker, "second_pass", fails_at_shard_6)
    with pytest.raises(OSError):
        from_stdin()
    assert len(_done(out, "first")) == 12 and len(_done(out, "second")) == 6
    monkeypatch.undo()
    ran = _spy_on_jobs(monkeypatch)
    reference = from_stdin().manifest["counts"]
    assert sorted(ran["first"]) == sorted(ran["second"]) == list(range(12))  # all again
    ran["first"].clear(), ran["second"].clear()
    assert from_stdin().manifest["counts"] == reference  # finished: done again all the same
    assert sorted(ran["first"]) == sorted(ran["second"]) == list(range(12))


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


def test_work_of_another_layout_is_not_reused(corpus, reference, tmp_path, monkeypatch):
    # a run finished by code whose work folder held another layout (an older summary format):
    # the same run under the new code starts afresh instead of reading the old work
    from cleaner.execute import shards

    out = tmp_path / "out"
    monkeypatch.setattr(shards, "WORK_FORMAT", shards.WORK_FORMAT - 1)
    cleaner.run([str(corpus)], out, Config(), translate=False, shard_documents=8)
    old = json.loads((out / ".cleaner-work" / "run.json").read_text())["hash"]
    monkeypatch.undo()
    cleaner.run([str(corpus)], out, Config(), translate=False, shard_documents=8)
    assert json.loads((out / ".cleaner-work" / "run.json").read_text())["hash"] != old
    assert outputs(out) == reference


def test_workers_give_the_same_outputs(corpus, reference, tmp_path):
    out = tmp_path / "out"
    cleaner.run([str(corpus)], out, translate=False, shard_documents=8, workers=2)
    assert outputs(out) == reference


def test_workers_come_from_a_fork_server_that_keeps_the_hosts_preloads(monkeypatch):
    """Workers fork from a server that has imported the pipeline; an application that embeds
    cleaner keeps the modules it asked that server to preload."""
    from multiprocessing import forkserver

    from cleaner.execute.local import worker_context

    monkeypatch.setattr(forkserver._forkserver, "_preload_modules", ["json"])
    ctx = worker_context()
    assert ctx.get_start_method() == "forkserver"
    assert forkserver._forkserver._preload_modules == ["json", "cleaner.execute.local"]
    worker_context()  # asked again: listed once
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


def test_an_edited_rule_file_or_model_is_a_new_run(tmp_path):
    # the same command, rerun after the user's rule file changed: the page is cleaned again
    # with the new rules, not answered with the finished run's outputs
    page = tmp_path / "page.txt"
    page.write_text("Le conseil a voté le budget de la médiathèque.\nVoir l'original\n", "utf-8")
    rules = tmp_path / "rules.toml"
    keep = "[[rule]]\nname = 'ours'\naction = 'keep'\npattern = '''voir l'original$'''\n"
    rules.write_text(keep, "utf-8")
    config = Config().replace("boilerplate", pattern_files=(str(rules),))
    out = tmp_path / "out"
    cleaner.run([str(page)], out, config, translate=False)
    assert (out / "rejects.jsonl").read_text("utf-8") == ""
    rules.write_text(keep.replace("voir l'original$", "le conseil a voté"), "utf-8")
    cleaner.run([str(page)], out, config, translate=False)
    (reject,) = [json.loads(x) for x in (out / "rejects.jsonl").read_text("utf-8").splitlines()]
    assert (reject["line"], reject["detail"]) == (2, {"rule": "view_original"})
    # another line model (its file named in the config) is a new run too
    hashes = {json.loads((out / ".cleaner-work" / "run.json").read_text())["hash"]}
    model = tmp_path / "model.json"
    shipped = json.loads(
        (Path(cleaner.__file__).parent / "data" / "boilerplate_model.json").read_bytes()
    )
    for intercept in (0.0, 0.5):
        shipped["intercept"] = intercept
        model.write_text(json.dumps(shipped), "utf-8")
        other = config.replace("boilerplate", model_path=str(model))
        cleaner.run([str(page)], out, other, translate=False)
        hashes.add(json.loads((out / ".cleaner-work" / "run.json").read_text())["hash"])
    assert len(hashes) == 3
