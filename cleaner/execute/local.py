"""The local engine: shard jobs in this process (``workers=1``) or in a pool of processes.

Both modes run the very same job functions over the very same shards, so their outputs are
byte-identical; the pool only changes where the jobs run. Each worker builds its pipeline (and
loads the translation model) once, then takes shard after shard; the translation cache is a
SQLite file all of them share. With N workers on CPU, each worker's CTranslate2 gets
``cores / N`` model replicas, so the machine is used, not oversubscribed.
"""

from __future__ import annotations

import concurrent.futures as cf
import multiprocessing
import signal
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from ..config import Config
from ..document import ORIGINAL, Document
from ..io.writers import OutputWriter
from ..pipeline import Pipeline
from .shards import Shard, WorkDir, load_pickle, save_pickle

# -- the jobs (run in workers or inline) ------------------------------------------------------


class ShardWorker:
    """Runs shard jobs with one pipeline, built once."""

    def __init__(
        self, config: Config, translate: bool, translator: Any = None, report: bool = False
    ) -> None:
        self.config = config
        self.translate = translate
        self.report = report
        if translate and translator is None:
            from ..translate import ArgosTranslator

            translator = ArgosTranslator.from_config(config)
        self.translator = translator if translate else None
        self.pipeline = Pipeline(config, translator=self.translator)

    def first_pass(self, work: WorkDir, shard: Shard) -> dict[str, Any]:
        pipe = self.pipeline
        pipe.reset_counts()
        first, _, observers = pipe.split_stages()
        t0 = time.perf_counter()
        pipe.apply(first, shard.docs)
        summaries = [o.summarize([o.observation(d) for d in shard.docs]) for o in observers]
        folder = work.shard(shard.index)
        folder.mkdir(parents=True, exist_ok=True)
        save_pickle(folder / "spool.pickle", shard.docs)
        for i, summary in enumerate(summaries):  # one file per observer: each reads its own
            save_pickle(folder / f"summary-{i}.pickle", summary)
        record = {
            "documents": len(shard.docs),
            "seconds": round(time.perf_counter() - t0, 4),
            "timings": {k: round(v, 4) for k, v in pipe.timings.items()},
            "counts": pipe.counts(),
        }
        work.mark(shard.index, "first", record)
        return record

    def second_pass(
        self, work: WorkDir, index: int, start: int, decisions: list[Any]
    ) -> dict[str, Any]:
        pipe = self.pipeline
        pipe.reset_counts()
        _, rest, observers = pipe.split_stages()
        folder = work.shard(index)
        docs: list[Document] = load_pickle(folder / "spool.pickle")
        for observer, decision in zip(observers, decisions, strict=True):
            observer.load_decisions(decision, start)
        stats_before = Counter(getattr(self.translator, "stats", {}))
        model_before = getattr(self.translator, "model_seconds", 0.0)
        t0 = time.perf_counter()
        pipe.apply(rest, docs)
        target = self.config.language.target
        parallel = (
            (target, self.config.translate.parallel_target)
            if self.translator is not None and self.config.translate.parallel
            else None
        )
        counts = count_documents(docs, self.translator is not None, target)
        out = folder / "out"
        with OutputWriter(
            out,
            parallel=parallel,
            target=target if self.translator is not None else None,
            tool_version="",
            parquet_records=self.config.output.parquet,
        ) as writer:
            for doc in docs:
                writer.write_document(doc)
            stats = Counter(getattr(self.translator, "stats", {}))
            stats.subtract(stats_before)
            record = {
                "documents": len(docs),
                "counts": counts,
                "by_stage": pipe.counts(),
                "seconds": round(time.perf_counter() - t0, 4),
                "timings": {k: round(v, 4) for k, v in pipe.timings.items()},
                "translation_stats": {k: v for k, v in stats.items() if v},
                "model_seconds": round(
                    getattr(self.translator, "model_seconds", 0.0) - model_before, 4
                ),
                "translation": self.translator.describe() if self.translator else None,
            }
            writer.commit({"shard": index, **record})
        if self.report:  # the shard's share of the report, read back from its outputs
            from ..report import write_report_part

            write_report_part(out, start)
        work.mark(index, "second", record)
        (folder / "spool.pickle").unlink(missing_ok=True)  # the shard's outputs are safe now
        return record


def count_documents(docs: list[Document], translated: bool, target: str) -> dict[str, Any]:
    """A shard's counts, summed over shards into the manifest."""
    lines_in = lines_kept = 0
    reasons: Counter[str] = Counter()
    fragments: Counter[str] = Counter()
    by_direction: Counter[str] = Counter()
    pair_reasons: Counter[str] = Counter()
    pairs = pairs_kept = target_original = 0
    by_origin: Counter[str] = Counter()
    kept_by_origin: Counter[str] = Counter()
    languages: Counter[str] = Counter()
    routes: Counter[str] = Counter()
    for doc in docs:
        lines_in += len(doc.lines)
        languages[doc.metadata.get("lang", "und")] += 1
        if "route" in doc.metadata:
            routes[doc.metadata["route"]] += 1
        for line in doc.lines:
            if line.kept:
                lines_kept += 1
                for span in line.spans:
                    fragments[span.lang] += 1
                    if translated:
                        outcome = "translated" if span.translation is not None else "untranslatable"
                        by_direction[f"{span.lang}→{target} {outcome}"] += 1
            else:
                reasons[line.reason or "unknown"] += 1
        for pair in doc.pairs:
            pairs += 1
            by_origin[pair.source_origin] += 1
            target_original += pair.target_origin == ORIGINAL
            if pair.kept:
                pairs_kept += 1
                kept_by_origin[pair.source_origin] += 1
            else:
                pair_reasons[pair.reason or "unknown"] += 1
    out: dict[str, Any] = {
        "documents": len(docs),
        "lines_in": lines_in,
        "lines_kept": lines_kept,
        "by_reason": dict(reasons),
        "fragments": dict(fragments),
        "documents_by_language": dict(languages),
        "other_documents": dict(routes),
    }
    if translated:
        out["fragments_by_direction"] = dict(by_direction)
        out["pairs"] = {
            "sentences": pairs,
            "kept": pairs_kept,
            "by_reason": dict(pair_reasons),
            "by_origin": dict(by_origin),
            "kept_by_origin": dict(kept_by_origin),
            "target_original": target_original,
        }
    return out


# Worker processes keep one ShardWorker each.
_WORKER: ShardWorker | None = None


def _init_worker(config_dict: dict, translate: bool, report: bool) -> None:
    global _WORKER
    _WORKER = ShardWorker(Config.from_dict(config_dict), translate, report=report)


def _first(work: WorkDir, shard: Shard) -> dict[str, Any]:
    assert _WORKER is not None
    return _WORKER.first_pass(work, shard)


def _second(work: WorkDir, index: int, start: int, decisions: list[Any]) -> dict[str, Any]:
    assert _WORKER is not None
    return _WORKER.second_pass(work, index, start, decisions)


# -- the coordinator ----------------------------------------------------------------------------


class Engine:
    """What every engine shares: the coordinator's part between the two passes."""

    def __init__(
        self, config: Config, work: WorkDir, *, translate: bool, workers: int, report: bool
    ) -> None:
        self.config = config
        self.work = work
        self.translate = translate
        self.workers = max(1, workers)
        self.report = report

    @property
    def observers(self) -> list[Any]:
        """Observers in the coordinator (they add up the summaries and decide)."""
        if not hasattr(self, "_observers"):
            self._observers = Pipeline(self.config).split_stages()[2]
        return self._observers

    def decide(self, n_shards: int) -> list[Any]:
        """Add up the shards' summaries in input order; the observers' decisions."""
        for i, observer in enumerate(self.observers):

            def summary(k: int, i: int = i) -> Any:
                return load_pickle(self.work.shard(k) / f"summary-{i}.pickle")

            observer.decide_from(summary, n_shards)
        return [o.decisions() for o in self.observers]

    def _slice(self, decisions: list[Any], starts: list[int], k: int) -> list[Any]:
        """Only what shard k needs of each observer's decisions."""
        start = starts[k]
        end = starts[k + 1] if k + 1 < len(starts) else None
        return [
            o.shard_decisions(d, start, end) for o, d in zip(self.observers, decisions, strict=True)
        ]


class LocalEngine(Engine):
    """Runs the shard jobs of one run: inline with one worker, else in a process pool."""

    def __init__(
        self,
        config: Config,
        work: WorkDir,
        *,
        translate: bool,
        translator: Any = None,
        workers: int = 1,
        report: bool = False,
    ) -> None:
        super().__init__(config, work, translate=translate, workers=workers, report=report)
        self._translator = translator
        self._inline: ShardWorker | None = None
        self._pool: cf.ProcessPoolExecutor | None = None

    def __enter__(self) -> LocalEngine:
        if self.workers == 1:
            self._inline = ShardWorker(
                self.config, self.translate, self._translator, report=self.report
            )
        else:
            self._pool = cf.ProcessPoolExecutor(
                max_workers=self.workers,
                mp_context=worker_context(),
                initializer=_init_worker,
                initargs=(
                    worker_config(self.config, self.workers).to_dict(),
                    self.translate,
                    self.report,
                ),
            )
        return self

    def __exit__(self, exc_type: Any, *exc: Any) -> None:
        if self._pool is None:
            return
        if exc_type is not None:
            # interrupted (the workers ignore SIGINT) or failed: the shards under way are not
            # waited for; what they left unfinished is redone when the run is resumed
            processes = getattr(self._pool, "_processes", None) or {}  # no public handle
            for process in list(processes.values()):
                process.terminate()
        self._pool.shutdown(wait=True, cancel_futures=True)

    def first_pass(self, shards: Iterable[Shard]) -> list[dict[str, Any]]:
        """Run (or skip, if done) the first pass of every shard; the records, in order."""
        records: dict[int, dict[str, Any]] = {}
        pending: dict[cf.Future, int] = {}
        for shard in shards:
            done = self.work.done(shard.index, "first")
            if done is not None:
                records[shard.index] = done
                continue
            if self._inline is not None:
                records[shard.index] = self._inline.first_pass(self.work, shard)
                continue
            assert self._pool is not None
            # bounded: the reader never runs more than two shards per worker ahead
            while len(pending) >= 2 * self.workers:
                finished, _ = cf.wait(pending, return_when=cf.FIRST_COMPLETED)
                for f in finished:
                    records[pending.pop(f)] = f.result()
            pending[self._pool.submit(_first, self.work, shard)] = shard.index
        for f in cf.as_completed(pending):
            records[pending[f]] = f.result()
        return [records[k] for k in sorted(records)]

    def second_pass(
        self, starts: list[int], decisions: list[Any], progress: Callable | None = None
    ) -> Iterator[dict[str, Any]]:
        """Run (or skip) the second pass of every shard; yields the records in shard order."""
        todo = []
        records: dict[int, dict[str, Any]] = {}
        for k, start in enumerate(starts):
            done = self.work.done(k, "second")
            if done is not None:
                records[k] = done
            else:
                todo.append((k, start))
        futures: dict[int, cf.Future] = {}
        if self._pool is not None:
            futures = {
                k: self._pool.submit(
                    _second, self.work, k, start, self._slice(decisions, starts, k)
                )
                for k, start in todo
            }
        # In shard order, each as soon as it is done: the caller assembles shard k while the
        # workers go on with the later ones.
        for k, start in enumerate(starts):
            if k in futures:
                records[k] = futures.pop(k).result()
            elif k not in records:
                assert self._inline is not None
                records[k] = self._inline.second_pass(
                    self.work, k, start, self._slice(decisions, starts, k)
                )
            yield records.pop(k)


def worker_context() -> Any:
    """Workers are forked from a fork server that has imported the pipeline once: each starts
    in milliseconds instead of importing everything again (``spawn``), and none inherits this
    process's threads, open files or output lock (``fork``)."""
    from multiprocessing import forkserver

    ctx = multiprocessing.get_context("forkserver")
    # add to, never replace, what a host application asked its fork server to preload
    preload = list(getattr(forkserver._forkserver, "_preload_modules", None) or [])
    if __name__ not in preload:
        ctx.set_forkserver_preload([*preload, __name__])
    # A Ctrl-C goes to the whole process group: the fork server (importing the pipeline) and
    # the workers (waiting for a shard, or in one) each printed a KeyboardInterrupt traceback
    # under the run's one-line message. Started with SIGINT ignored (which a new Python keeps,
    # and the workers it forks inherit), they never see one: the coordinator alone stops the
    # run, and ends the workers (LocalEngine.__exit__).
    if threading.current_thread() is threading.main_thread():
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
        try:
            forkserver.ensure_running()
        finally:
            signal.signal(signal.SIGINT, previous)
    return ctx


def worker_config(config: Config, workers: int) -> Config:
    """Each of N workers gets ``cores / N`` CTranslate2 replicas (when left to choose)."""
    from ..translate.engine import available_cores

    if config.translate.inter_threads == 0 and config.translate.device == "cpu":
        return config.replace("translate", inter_threads=max(1, available_cores() // workers))
    return config
