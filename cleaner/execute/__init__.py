"""Running a whole job: shards, resume, worker processes (and Ray, in :mod:`.ray_engine`)."""

from .local import LocalEngine, ShardWorker, count_documents
from .shards import WorkDir, cut_shards, input_identity, run_hash

__all__ = [
    "LocalEngine",
    "ShardWorker",
    "WorkDir",
    "count_documents",
    "cut_shards",
    "input_identity",
    "run_hash",
]
