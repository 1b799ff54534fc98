"""The Ray engine: the same shard jobs on Ray Data, on a local Ray or an existing cluster.

``cleaner run --engine ray`` (extra ``cleaner[ray]``). The coordinator reads the input and
writes each shard's documents into the work folder; then

1. the first pass is a Ray Data ``map_batches`` over the shard indices, in an actor pool of
   ``workers`` actors (the CPU stages; each actor loads the language-ID model once);
2. the coordinator adds up the summaries and writes the decisions into the work folder;
3. the second pass is another ``map_batches`` over an actor pool whose actors each build the
   pipeline once, translation model included, and can sit on a GPU (``num_gpus``).

The jobs are :class:`cleaner.execute.local.ShardWorker`'s, the markers and the assembly the local
engine's, so the outputs are identical to a local run's, and a Ray run resumes like a local one.
On a cluster, the output directory (which holds the work folder) must be on storage every node
sees, as must the translation packages and cache.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from typing import Any

from ..config import Config
from ..errors import MissingDependencyError
from .local import Engine, ShardWorker, worker_config
from .shards import Shard, WorkDir, load_pickle, save_pickle


def _import_ray() -> Any:
    try:
        import ray
        import ray.data  # noqa: F401
    except ImportError:
        raise MissingDependencyError(
            "--engine ray needs Ray Data: pip install 'cleaner[ray]' (or 'ray[data]')"
        ) from None
    return ray


class _FirstPass:
    """A Ray Data actor: one pipeline, then the first pass of shard after shard."""

    def __init__(self, config_dict: dict, root: str, digest: str) -> None:
        from pathlib import Path

        self.work = WorkDir(Path(root).parent, digest)
        self.worker = ShardWorker(Config.from_dict(config_dict), translate=False)

    def __call__(self, batch: dict) -> dict:
        import json

        out = []
        for k in batch["index"].tolist():
            docs = load_pickle(self.work.shard(k) / "input.pickle")
            record = self.worker.first_pass(self.work, Shard(k, docs))
            (self.work.shard(k) / "input.pickle").unlink(missing_ok=True)
            out.append(json.dumps(record))
        return {"index": batch["index"], "record": out}


class _SecondPass:
    """A Ray Data actor: the pipeline with its translation model, loaded once per actor."""

    def __init__(
        self, config_dict: dict, root: str, digest: str, translate: bool, report: bool
    ) -> None:
        from pathlib import Path

        self.work = WorkDir(Path(root).parent, digest)
        self.worker = ShardWorker(Config.from_dict(config_dict), translate=translate, report=report)
        self.decisions = load_pickle(self.work.root / "decisions.pickle")

    def __call__(self, batch: dict) -> dict:
        import json

        out = []
        for k in batch["index"].tolist():
            record = self.worker.second_pass(self.work, k, *self.decisions[k])
            out.append(json.dumps(record))
        return {"index": batch["index"], "record": out}


class RayEngine(Engine):
    def __init__(
        self,
        config: Config,
        work: WorkDir,
        *,
        translate: bool,
        workers: int = 2,
        address: str | None = None,
        num_gpus: float = 0.0,
        report: bool = False,
    ) -> None:
        super().__init__(config, work, translate=translate, workers=workers, report=report)
        self.address = address
        self.num_gpus = num_gpus
        self._started = False

    def __enter__(self) -> RayEngine:
        ray = _import_ray()
        if not ray.is_initialized():
            kwargs: dict[str, Any] = {
                "include_dashboard": False,
                "log_to_driver": False,
                "logging_level": logging.WARNING,
            }
            if self.address:
                ray.init(address=self.address, **kwargs)
            else:
                ray.init(num_cpus=self.workers, **kwargs)
            self._started = True
        ctx = ray.data.DataContext.get_current()
        ctx.enable_progress_bars = False
        ctx.verbose_stats_logs = False
        logging.getLogger("ray.data").setLevel(logging.WARNING)
        return self

    def __exit__(self, *exc: Any) -> None:
        if self._started:
            _import_ray().shutdown()

    def _map(self, indices: list[int], fn: type, args: tuple, num_gpus: float = 0.0) -> dict:
        ray = _import_ray()
        import json

        if not indices:
            return {}
        ds = ray.data.from_items([{"index": k} for k in indices], override_num_blocks=len(indices))
        size = min(self.workers, len(indices))
        rows = ds.map_batches(
            fn,
            fn_constructor_args=args,
            batch_size=1,
            compute=ray.data.ActorPoolStrategy(size=size),  # the model loads once per actor
            num_cpus=1,
            num_gpus=num_gpus or None,
        ).take_all()
        return {int(r["index"]): json.loads(r["record"]) for r in rows}

    def first_pass(self, shards: Iterable[Shard]) -> list[dict[str, Any]]:
        records: dict[int, dict[str, Any]] = {}
        todo = []
        for shard in shards:  # the coordinator streams the input to disk, shard by shard
            done = self.work.done(shard.index, "first")
            if done is not None:
                records[shard.index] = done
                continue
            folder = self.work.shard(shard.index)
            folder.mkdir(parents=True, exist_ok=True)
            save_pickle(folder / "input.pickle", shard.docs)
            todo.append(shard.index)
        cfg = self.config.to_dict()
        records.update(self._map(todo, _FirstPass, (cfg, str(self.work.root), self.work.digest)))
        return [records[k] for k in sorted(records)]

    def second_pass(self, starts: list[int], decisions: list[Any]) -> Iterator[dict[str, Any]]:
        records: dict[int, dict[str, Any]] = {}
        todo = []
        for k in range(len(starts)):
            done = self.work.done(k, "second")
            if done is not None:
                records[k] = done
            else:
                todo.append(k)
        per_shard = {k: (starts[k], self._slice(decisions, starts, k)) for k in todo}
        save_pickle(self.work.root / "decisions.pickle", per_shard)
        cfg = worker_config(self.config, self.workers).to_dict()
        args = (cfg, str(self.work.root), self.work.digest, self.translate, self.report)
        records.update(self._map(todo, _SecondPass, args, self.num_gpus))
        for k in range(len(starts)):
            yield records[k]
