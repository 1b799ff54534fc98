"""The ``cleaner`` command: parse options, build the config, call the library, map errors.

Only data goes to stdout; progress, the summary and errors go to stderr. Exit codes: 0 ok,
1 data or runtime error, 2 usage error, 130 interrupted.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from ._version import __version__
from .config import MAX_FAVOR_SHIFT, MODEL_FAVOR, PAIR_FILTERS, Config
from .errors import CleanerError


def _fail(message: str, code: int = 1) -> None:
    click.echo(f"cleaner: error: {message}", err=True)
    sys.exit(code)


def _fail_unexpected(error: Exception) -> None:
    if os.environ.get("CLEANER_DEBUG"):
        raise error
    if isinstance(error, OSError):
        where = f" {error.filename}" if error.filename else ""
        _fail(f"{error.strerror or error}{where}; no output was changed")
    _fail(
        f"unexpected {type(error).__name__}: {error}; no output was changed "
        "(rerun with CLEANER_DEBUG=1 for the traceback, and please report it)"
    )


def _load_config(
    path: str | None,
    langid: str | None,
    favor: str | float | None = None,
    **translate: object,
) -> Config:
    config = Config.from_toml(path) if path else Config()
    if langid:
        config = config.replace("language", backend=langid)
    if favor is not None:
        config = config.replace("boilerplate", favor=favor)
    pair_filters = translate.pop("pair_filters", None)
    changes = {k: v for k, v in translate.items() if v is not None}
    if changes:
        config = config.replace("translate", **changes)
    if isinstance(pair_filters, tuple):  # already checked by _PairFilters
        config = config.replace("pairs", filters=list(pair_filters))
    return config


_config_option = click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False),
    help="TOML file with [html], [encoding], [second_copy], [boilerplate], [language], "
    "[dedup], [translate], [pairs] and [output] sections.",
)
_packages_option = click.option(
    "--packages-dir",
    type=click.Path(file_okay=False),
    help="Folder of installed Argos packages (overrides [translate] packages_dir and "
    "$CLEANER_PACKAGES_DIR).",
)
_langid_option = click.option(
    "--langid",
    type=click.Choice(["fasttext", "langdetect"]),
    help="Language-ID backend (overrides [language] backend). Default: fasttext.",
)


class _Favor(click.ParamType):
    """``--favor``: one of :data:`MODEL_FAVOR`, or a number (the log-odds move)."""

    name = "favor"

    def get_metavar(self, param, ctx=None):  # type: ignore[no-untyped-def]  # ctx: click >= 8.2
        return "[" + "|".join(MODEL_FAVOR) + "|NUMBER]"

    def convert(self, value, param, ctx):  # type: ignore[no-untyped-def]
        if value in MODEL_FAVOR:
            return value
        try:
            number = float(value)
        except ValueError:
            self.fail(f"{value!r} is not one of {', '.join(MODEL_FAVOR)} nor a number", param, ctx)
        if not -MAX_FAVOR_SHIFT <= number <= MAX_FAVOR_SHIFT:  # NaN fails both
            self.fail(
                f"{value!r}: a number must be between {-MAX_FAVOR_SHIFT:g} and {MAX_FAVOR_SHIFT:g}",
                param,
                ctx,
            )
        return number


_favor_option = click.option(
    "--favor",
    type=_Favor(),
    help="Where the line model is in doubt, keep more of the article (recall) or less chrome "
    "(precision), or move every line's log-odds by a number (recall: 0.8) "
    "(overrides [boilerplate] favor). Default: balanced.",
)


class _PairFilters(click.ParamType):
    """``--pair-filters``: ``none``, or a comma list of names of :data:`PAIR_FILTERS`."""

    name = "pair_filters"

    def convert(self, value, param, ctx):  # type: ignore[no-untyped-def]
        if isinstance(value, tuple):
            return value
        known = ", ".join(("none", *PAIR_FILTERS))
        if value.strip() == "none":
            return ()
        names = tuple(map(str.strip, value.split(",")))
        if not all(names):  # "" or ",,": no filter named, which is not "none"
            self.fail(
                f"a filter name is empty (write none for no filter); known: {known}", param, ctx
            )
        if "none" in names:
            self.fail(f"none stands alone (it means no filter); known: {known}", param, ctx)
        unknown = [n for n in names if n not in PAIR_FILTERS]
        if unknown:
            self.fail(f"unknown {', '.join(unknown)}; known: {known}", param, ctx)
        return names


# click >= 8.2 raises it for a group called without a command (its message is the help)
_NO_ARGS_IS_HELP = getattr(click.exceptions, "NoArgsIsHelpError", ())


class _Cli(click.Group):
    """click's group, with its errors as one line like every other error: ``cleaner: error:
    ... (see 'cleaner run --help')`` (exit 2), not click's four-line usage text."""

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        try:
            rv = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except _NO_ARGS_IS_HELP as e:  # a bare `cleaner` or `cleaner models`: the help
            e.show()
            sys.exit(e.exit_code)
        except click.UsageError as e:
            command = e.ctx.command_path if e.ctx is not None else "cleaner"
            message = " ".join(e.format_message().split()).rstrip(".")
            _fail(f"{message} (see '{command} --help')", e.exit_code)
        except click.ClickException as e:
            _fail(e.format_message(), e.exit_code)
        except click.Abort:
            _fail("interrupted", 130)
        if not standalone_mode:
            return rv
        sys.exit(rv if isinstance(rv, int) else 0)  # --help and --version return 0


@click.group(cls=_Cli, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="cleaner")
def main() -> None:
    """Turn scraped French news into clean French text, with every removed line explained."""


@main.command("run")
@click.argument("inputs", nargs=-1, required=True)
@click.option(
    "--out",
    "-o",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False),
    help="Output directory.",
)
@_config_option
@_langid_option
@_favor_option
@click.option(
    "--translate/--no-translate",
    default=True,
    show_default=True,
    help="Translate stray fragments into French and build the French/English corpus in "
    "DIR/parallel/; --no-translate runs the cleaning only.",
)
@click.option(
    "--pair-filters",
    type=_PairFilters(),
    help="Pair filters to apply: 'none', or a comma list of "
    + ", ".join(PAIR_FILTERS)
    + " (overrides [pairs] filters).",
)
@click.option(
    "--drop-untranslatable",
    is_flag=True,
    default=None,
    help="Drop lines holding a fragment no package translates (reason: untranslatable).",
)
@_packages_option
@click.option(
    "--device",
    type=click.Choice(["cpu", "cuda", "auto"]),
    help="Where the translation models run (overrides [translate] device).",
)
@click.option("--beam-size", type=click.IntRange(1, 16), help="Beam size (default 4, as Argos).")
@click.option(
    "--stdin-format",
    type=click.Choice(["txt", "jsonl"]),
    default="txt",
    show_default=True,
    help="Format of '-' (standard input).",
)
@click.option(
    "--text-field",
    metavar="NAME",
    help="The JSONL field or Parquet column holding the text, which gets the clean text back "
    "(Firecrawl and crawl4ai write 'markdown'; overrides [text] field). Default: text.",
)
@click.option(
    "--workers",
    "-j",
    type=click.IntRange(1, 512),
    default=1,
    show_default=True,
    help="Worker processes (same outputs with any number).",
)
@click.option(
    "--shard-documents",
    type=click.IntRange(1),
    default=500,
    show_default=True,
    help="Documents per shard: the unit of work, of parallelism and of resume.",
)
@click.option(
    "--engine",
    type=click.Choice(["local", "ray"]),
    default="local",
    show_default=True,
    help="Where the shard jobs run: this machine's processes, or Ray Data (cleaner[ray]).",
)
@click.option(
    "--ray-address",
    help="An existing Ray cluster (e.g. ray://head:10001); default: a local Ray of --workers CPUs.",
)
@click.option(
    "--fresh",
    is_flag=True,
    help="Start over: ignore the finished shards an interrupted run left in DIR/.cleaner-work.",
)
@click.option(
    "--strict",
    is_flag=True,
    help="Stop at the first record that cannot become a document (default: count it in "
    "quarantine.jsonl and go on).",
)
@click.option(
    "--parquet",
    is_flag=True,
    default=None,
    help="Write JSONL and WARC records to DIR/clean.parquet instead of clean.jsonl (Parquet "
    "input always goes there; overrides [output] parquet).",
)
@click.option("--no-report", is_flag=True, help="Do not write DIR/report.html and DIR/report/.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar and no summary.")
def run_command(
    inputs,
    out_dir,
    config_path,
    langid,
    favor,
    translate,
    pair_filters,
    drop_untranslatable,
    packages_dir,
    device,
    beam_size,
    stdin_format,
    text_field,
    workers,
    shard_documents,
    engine,
    ray_address,
    fresh,
    strict,
    parquet,
    no_report,
    quiet,
) -> None:
    """Clean INPUTS (files, folders, globs, or - for stdin) into --out DIR.

    Reads .txt, .md (Markdown scrapes), .jsonl, .html/.htm (and their .gz forms), .warc/.warc.gz
    and .parquet. Writes clean/<id>.txt (text and HTML pages), clean.jsonl (JSONL and WARC
    records), clean.parquet (Parquet rows), rejects.jsonl, fragments.jsonl, documents.jsonl,
    quarantine.jsonl, manifest.json and, with translation, parallel/.
    """
    from .runner import run

    try:
        config = _load_config(
            config_path,
            langid,
            favor,
            pair_filters=pair_filters,
            drop_untranslatable=drop_untranslatable,
            packages_dir=packages_dir,
            device=device,
            beam_size=beam_size,
        )
        if parquet:
            config = config.replace("output", parquet=True)
        if text_field is not None:
            config = config.replace("text", field=text_field)
        show_progress = not quiet and sys.stderr.isatty()

        def progress(shards):
            with click.progressbar(
                shards,
                label="cleaning",
                file=sys.stderr,
                item_show_func=lambda r: r and f"{r['documents']} documents",
            ) as bar:
                yield from bar

        result = run(
            list(inputs),
            out_dir,
            config,
            stdin_format=stdin_format,
            progress=progress if show_progress else None,
            translate=translate,
            workers=workers,
            shard_documents=shard_documents,
            fresh=fresh,
            engine=engine,
            ray_address=ray_address,
            strict=strict,
            report=not no_report,
        )
    except CleanerError as e:
        _fail(str(e))
    except KeyboardInterrupt:
        _fail("interrupted; no output was changed (rerun the same command to resume)", 130)
    except Exception as e:  # noqa: BLE001 - one line, never a traceback (unless asked)
        _fail_unexpected(e)
    if not quiet:
        click.echo(format_summary(result.counts, result.timings, Path(out_dir)), err=True)


@main.command("clean")
@_config_option
@_langid_option
@_favor_option
@click.option(
    "--title",
    help="The page's title, if known: the line that is its headline, above the article or in "
    "it, is kept.",
)
@click.option("--url", help="The page's URL, if known (its words stand in for a title).")
def clean_command(config_path, langid, favor, title, url) -> None:
    """Clean one document read on stdin (one paragraph per line); write it to stdout."""
    from .pipeline import Pipeline

    known = {key: value for key, value in (("title", title), ("url", url)) if value}
    if sys.stdin is None or sys.stdout is None:  # started with the stream closed (<&- or >&-)
        _fail(f"standard {'input' if sys.stdin is None else 'output'} is closed")
    try:
        config = _load_config(config_path, langid, favor)
        text = _decoded(sys.stdin.buffer.read(), "standard input")
        out = Pipeline(config).clean_text(text, id="stdin", **known)
    except CleanerError as e:
        _fail(str(e))
    except KeyboardInterrupt:
        _fail("interrupted", 130)
    except Exception as e:  # noqa: BLE001
        _fail_unexpected(e)
    sys.stdout.write(out)
    sys.stdout.flush()


def format_summary(counts: dict, timings: dict, out_dir: Path) -> str:
    rows = [
        ("documents", counts["documents"]),
        *((f"  in another language, {r}", n) for r, n in counts.get("other_documents", {}).items()),
        ("lines in", counts["lines_in"]),
        ("lines kept", counts["lines_kept"]),
    ]
    pinned = counts.get("by_stage", {}).get("boilerplate_pattern", {}).get("pinned", 0)
    if pinned:
        rows.append(("  pinned by keep rules", pinned))
    rows += [(f"  dropped: {reason}", n) for reason, n in counts["by_reason"].items()]
    rows += [(f"  fragments: {lang}", n) for lang, n in counts["fragments"].items()]
    rows += [(f"  {d}", n) for d, n in counts.get("fragments_by_direction", {}).items()]
    if "pairs" in counts:
        rows.append(("sentence pairs", counts["pairs"]["sentences"]))
        rows.append(("  kept", counts["pairs"]["kept"]))
        rows += [(f"  dropped: {r}", n) for r, n in counts["pairs"]["by_reason"].items()]
        by_origin = counts["pairs"].get("by_origin", {})
        rows += [(f"  French side {o.replace('_', ' ')}", n) for o, n in by_origin.items()]
    rows += [(f"  quarantined: {reason}", n) for reason, n in counts["quarantined"].items()]
    rows += [
        (f"  WARC records skipped: {k}", n) for k, n in counts.get("skipped_records", {}).items()
    ]
    if counts["skipped_files"]:
        rows.append(("files skipped (no format read)", len(counts["skipped_files"])))
    width = max(len(label) for label, _ in rows)
    lines = [f"{label:<{width}}  {n:>8}" for label, n in rows]
    lines.append(
        f"{'time':<{width}}  {timings['total']:>7.2f}s  ({timings['mchars_per_s']} M characters/s)"
    )
    steps = _slowest_steps(timings)
    if steps:
        lines.append(f"{'  slowest steps':<{width}}  " + ", ".join(steps))
    lines.append(f"outputs in {out_dir}/ (open {out_dir}/report.html to see what was done and why)")
    return "\n".join(lines)


#: How many of a run's steps (stages, reading, writing...) the summary names, slowest first.
SUMMARY_STEPS = 5


#: The entries of the timings block that are no step's seconds (a total, rates, counts).
NOT_SECONDS = frozenset(
    {
        "total",
        "mchars_per_s",
        "translate.sentences_per_s",
        "translate.cache_hits",
        "translate.model_sentences",
    }
)


def _slowest_steps(timings: dict) -> list[str]:
    """The run's slowest steps in ``timings`` (manifest.json's block), as "name 0.12s"."""
    steps = [
        (name.removeprefix("stage."), seconds)
        for name, seconds in timings.items()
        if name not in NOT_SECONDS and isinstance(seconds, int | float)
    ]
    steps.sort(key=lambda step: (-step[1], step[0]))
    return [f"{name} {seconds:.2f}s" for name, seconds in steps[:SUMMARY_STEPS]]


@main.command("report")
@click.argument("out_dir", type=click.Path(file_okay=False, exists=True))
@click.option(
    "--timings",
    is_flag=True,
    help="Also show the run's time per stage (from manifest.json); the page then differs "
    "from one run to the next.",
)
def report_command(out_dir, timings) -> None:
    """Rebuild DIR/report.html and DIR/report/ from the outputs of a finished run (local,
    resumed or Ray)."""
    from .report import write_report

    path = _guard(lambda: write_report(out_dir, timings=timings))
    click.echo(
        f"report written to {path} (each document's details in {path.parent}/report/)", err=True
    )


# -- cleaner boilerplate -----------------------------------------------------------------


@main.group("boilerplate")
def boilerplate_group() -> None:
    """Train and evaluate the boilerplate line model on labelled pages.

    Labelled pages are JSON Lines: {"id", "site" (or "url"), "lang" (optional), "lines": [...],
    "labels": [1 for an article line, 0 for anything else]}.
    """


def _sha1(path: str) -> str:
    import hashlib

    with open(path, "rb") as fh:
        return hashlib.file_digest(fh, "sha1").hexdigest()


def _labelled(paths: tuple[str, ...]):
    from .linemodel.train import read_labelled

    pages = list(read_labelled(paths))
    if not pages:
        raise CleanerError("no labelled page in the input")
    return pages


@boilerplate_group.command("train")
@click.argument("pages", nargs=-1, required=True, type=click.Path(dir_okay=False, exists=True))
@click.option("--out", "-o", "out_path", required=True, type=click.Path(dir_okay=False))
@click.option(
    "--crops/--no-crops",
    default=True,
    show_default=True,
    help="Also learn from half the pages cut down to their article and a few lines around "
    "(pages partly extracted already, as scrapers give them).",
)
@_config_option
def boilerplate_train(pages, out_path, crops, config_path) -> None:
    """Fit a line model on labelled PAGES; use it with [boilerplate] model_path = OUT."""
    from .linemodel.train import CROP_SHARE, fit, training_rows

    if not Path(out_path).resolve().parent.is_dir():  # found now, not after the training
        raise click.BadParameter(f"no folder to write {out_path!r} in", param_hint="--out")

    def train() -> None:
        config = _load_config(config_path, None)
        labelled = _labelled(pages)
        rows = training_rows(labelled, config, CROP_SHARE if crops else 0.0)
        inputs = {Path(p).name: _sha1(p) for p in pages}
        model = fit(rows, {"trained_on": inputs, "crops": crops})
        model.save(out_path)
        about = model.about
        click.echo(
            f"line model written to {out_path}: {about['pages']} pages, {about['sites']} sites, "
            f"{about['lines']} lines; cross-validated F1 (by site, the mean of "
            f"{about.get('cv_draws', 1)} fold draws) {about['cv_f1']}",
            err=True,
        )

    _guard(train)


@boilerplate_group.command("eval")
@click.argument("pages", nargs=-1, required=True, type=click.Path(dir_okay=False, exists=True))
@click.option(
    "--model",
    "model_path",
    type=click.Path(dir_okay=False, exists=True),
    help="The line model to score (default: [boilerplate] model_path, else the shipped one).",
)
@click.option(
    "--against",
    metavar="MODEL|shipped",
    help="Also score another line model (a file, or `shipped`) on the same pages, and print "
    "the F1 difference with a 95 % interval from resampling the pages' sites.",
)
@_config_option
def boilerplate_eval(pages, model_path, against, config_path) -> None:
    """Clean labelled PAGES (no translation) and print, by language, the article lines kept,
    the other lines removed and the line-level F1."""
    from .linemodel.train import clean_labelled, score_by_language

    if against and against != "shipped" and not Path(against).is_file():
        raise click.BadParameter(f"no model file {against!r}", param_hint="--against")

    def run() -> None:
        config = _load_config(config_path, None)
        labelled = _labelled(pages)
        if model_path:
            config = config.replace("boilerplate", model_path=model_path)
        kept = clean_labelled(labelled, config)
        if against:  # both cleanings done before anything is printed
            shipped = against == "shipped"  # model_path "" is the shipped model
            other = config.replace("boilerplate", model_path="" if shipped else against)
            other_kept = clean_labelled(labelled, other)
        _echo_scores(score_by_language(labelled, kept))
        if against:
            click.echo(f"\nagainst {against}:")
            _echo_scores(score_by_language(labelled, other_kept))
            _echo_difference(labelled, kept, other_kept, against)

    _guard(run)


def _echo_scores(scores) -> None:
    click.echo(f"{'lang':<6} {'article':>8} {'kept':>7} {'other':>8} {'removed':>8} {'F1':>6}")
    for lang, sc in sorted(scores.items(), key=lambda kv: (kv[0] == "all", kv[0])):
        click.echo(
            f"{lang:<6} {sc.article_lines:>8} {sc.kept_share:>7.1%} {sc.chrome_lines:>8} "
            f"{sc.removed_share:>8.1%} {sc.f1:>6.3f}"
        )


def _echo_difference(labelled, kept, other_kept, against: str) -> None:
    """F1 minus the other model's, over all pages, with its interval over sites."""
    from .linemodel.compare import DRAWS, f1_difference, page_counts

    ours = [page_counts(p.labels, k) for p, k in zip(labelled, kept, strict=True)]
    theirs = [page_counts(p.labels, k) for p, k in zip(labelled, other_kept, strict=True)]
    sites = [p.site or p.id for p in labelled]  # a page of no known site is a site of its own
    diffs = {view: f1_difference(ours, theirs, sites, view) for view in ("pooled", "per page")}
    click.echo(
        f"\nF1 minus {against}'s, all pages: pooled {diffs['pooled']}, "
        f"per page {diffs['per page']} (95 % intervals: the {diffs['pooled'].sites} sites "
        f"resampled {DRAWS:,} times)"
    )


@boilerplate_group.command("label")
@click.argument("page", type=click.Path(dir_okay=False, exists=True))
@click.argument("article", type=click.Path(dir_okay=False, exists=True))
@click.option("--id", "page_id", help="The page's id (default: PAGE's file name).")
@click.option("--site", help="The page's site, for the template counts (e.g. example.org).")
@click.option("--lang", help="The page's language (ISO 639-1), if known.")
def boilerplate_label(page, article, page_id, site, lang) -> None:
    """Label the lines of PAGE (one text block per line, as scraped) from ARTICLE (the same
    page's article, cleaned by hand or by an extractor you checked): print one labelled page
    (JSON) to append to a file for `cleaner boilerplate train`."""
    from .document import split_paragraphs
    from .linemodel.align import MIN_GOLD_MATCHED, label_lines, tokens

    def run() -> None:
        lines = split_paragraphs(_decoded(Path(page).read_bytes(), page))
        gold = _decoded(Path(article).read_bytes(), article)
        if not tokens(gold):
            raise CleanerError(f"{article}: no words to label the page with")
        labels, matched = label_lines(lines, gold)
        if matched < MIN_GOLD_MATCHED:
            raise CleanerError(
                f"{article}: only {matched:.0%} of its words are found in {page} in order; "
                "is it that page's article?"
            )
        record = {"id": page_id or Path(page).name, "site": site, "lang": lang}
        record = {k: v for k, v in record.items() if v}
        record.update(lines=lines, labels=labels)
        click.echo(json.dumps(record, ensure_ascii=False))
        click.echo(
            f"{page}: {sum(labels)} of {len(lines)} lines labelled article "
            f"({matched:.0%} of the article's words found)",
            err=True,
        )

    _guard(run)


def _decoded(data: bytes, where: str) -> str:
    """``data`` as text (:func:`~cleaner.io.decode.decode_bytes`); binary or undecodable data is
    a one-line error naming ``where``."""
    from .io.decode import DecodeError, decode_bytes

    try:
        return decode_bytes(data)[0]
    except DecodeError as e:
        raise CleanerError(f"{where}: {e}") from None


# -- cleaner models ----------------------------------------------------------------------


@main.group("models")
def models_group() -> None:
    """List, check, install and remove the Argos translation packages.

    Packages live in --packages-dir, else [translate] packages_dir of --config, else
    $CLEANER_PACKAGES_DIR, else argostranslate's own folder. Nothing here reaches the network
    except `install --download`.
    """


def _packages_dir(config_path: str | None, packages_dir: str | None) -> Path:
    from .translate.packages import resolve_packages_dir

    config = _load_config(config_path, None)
    return resolve_packages_dir(packages_dir or config.translate.packages_dir)


def _guard(action):
    try:
        return action()
    except CleanerError as e:
        _fail(str(e))
    except KeyboardInterrupt:
        _fail("interrupted", 130)
    except Exception as e:  # noqa: BLE001
        _fail_unexpected(e)


@models_group.command("list")
@_config_option
@_packages_option
@click.option("--json", "as_json", is_flag=True, help="One JSON object per package on stdout.")
def models_list(config_path, packages_dir, as_json) -> None:
    """The installed packages (and folders that are not usable packages, on stderr)."""
    from .translate.packages import scan_packages

    folder = _guard(lambda: _packages_dir(config_path, packages_dir))
    installed, broken = _guard(lambda: scan_packages(folder))
    for pkg in installed:
        if as_json:
            click.echo(json.dumps(pkg.to_dict(), ensure_ascii=False, sort_keys=True))
        else:
            click.echo(f"{pkg.from_code}→{pkg.to_code}\t{pkg.version}\t{pkg.name}")
    for b in broken:
        click.echo(f"cleaner: warning: {b.path} is not a usable package: {b.problem}", err=True)
    if not installed and not as_json:
        click.echo(f"no packages installed in {folder}", err=True)


@models_group.command("check")
@_config_option
@_packages_option
@click.option("--no-parallel", is_flag=True, help="Do not count the parallel corpus's direction.")
def models_check(config_path, packages_dir, no_parallel) -> None:
    """Which directions a run needs, and how each is served (directly or by pivoting).

    Exits 1 if one is missing, with the command that installs it.
    """
    from .translate import needed_directions
    from .translate.packages import scan_packages
    from .translate.routes import find_route, missing_message

    def check() -> int:
        config = _load_config(config_path, None)
        if no_parallel:
            config = config.replace("translate", parallel=False)
        folder = _packages_dir(config_path, packages_dir)
        installed, broken = scan_packages(folder)
        missing = []
        click.echo(f"packages in {folder}: {len(installed)}")
        for src, tgt in needed_directions(config):
            route = find_route(installed, src, tgt, config.translate.pivot)
            if route is None:
                missing.append((src, tgt))
                click.echo(f"{src}→{tgt}\tMISSING")
            elif route.pivot:
                click.echo(f"{src}→{tgt}\tpivot\t{route.describe()}")
            else:
                click.echo(f"{src}→{tgt}\tdirect\t{route.describe()}")
        for b in broken:
            click.echo(f"cleaner: warning: {b.path} is not a usable package: {b.problem}", err=True)
        if missing:
            click.echo(
                f"cleaner: error: {missing_message(missing, config.translate.pivot)}", err=True
            )
            return 1
        return 0

    sys.exit(_guard(check))


def _parse_pair(text: str) -> tuple[str, str]:
    import re

    m = re.fullmatch(r"([a-z]{2,3})[:>-]([a-z]{2,3})", text)
    if not m:
        raise click.BadParameter(f"{text!r}: expected a language pair such as zh:en")
    return (m.group(1), m.group(2))


@models_group.command("install")
@click.argument("sources", nargs=-1, required=True)
@click.option(
    "--download",
    is_flag=True,
    help="SOURCES are language pairs (zh:en) to download from the Argos package index "
    "(needs internet; the only command that uses the network).",
)
@_config_option
@_packages_option
def models_install(sources, download, config_path, packages_dir) -> None:
    """Install packages from .argosmodel files or folders of them (offline), or with
    --download from the Argos package index.

    Every archive is validated before anything is written: one top folder, a sane
    metadata.json, no member leaving the package folder, no corrupt or truncated data.
    """
    from .translate.packages import install_archives, install_from_index

    folder = _guard(lambda: _packages_dir(config_path, packages_dir))
    if download:
        pairs = [_parse_pair(s) for s in sources]
        bars = _download_bar if sys.stderr.isatty() else None
        done = _guard(lambda: install_from_index(pairs, folder, progress=bars))
    else:
        done = _guard(lambda: install_archives([Path(s) for s in sources], folder))
    for pkg in done:
        click.echo(
            f"installed {pkg.from_code}→{pkg.to_code} {pkg.version} ({pkg.name}) in {folder}",
            err=True,
        )


def _download_bar(label: str, total: int | None, already: int):
    """One package's progress bar on stderr: size, speed and time left."""
    from tqdm import tqdm

    return tqdm(
        total=total,
        initial=already,
        desc=label,
        unit="B",
        unit_scale=True,
        unit_divisor=1024,
        file=sys.stderr,
        leave=True,
    )


@models_group.command("remove")
@click.argument("packages", nargs=-1, required=True)
@_config_option
@_packages_option
def models_remove(packages, config_path, packages_dir) -> None:
    """Remove installed packages, named by folder (translate-zh_en-1_9) or pair (zh:en)."""
    from .translate.packages import remove_packages

    folder = _guard(lambda: _packages_dir(config_path, packages_dir))
    done = _guard(lambda: remove_packages(packages, folder))
    for pkg in done:
        click.echo(f"removed {pkg.from_code}→{pkg.to_code} ({pkg.name})", err=True)


if __name__ == "__main__":  # pragma: no cover
    main()
