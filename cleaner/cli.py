"""The ``cleaner`` command: parse options, build the config, call the library, map errors.

Only data goes to stdout; progress, the summary and errors go to stderr. Exit codes: 0 ok,
1 data or runtime error, 2 usage error, 130 interrupted.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from ._version import __version__
from .config import Config
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


def _load_config(path: str | None, langid: str | None) -> Config:
    config = Config.from_toml(path) if path else Config()
    if langid:
        config = config.replace("language", backend=langid)
    return config


_config_option = click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False),
    help="TOML file with [encoding], [second_copy], [boilerplate], [language] sections.",
)
_langid_option = click.option(
    "--langid",
    type=click.Choice(["fasttext", "langdetect"]),
    help="Language-ID backend (overrides [language] backend). Default: fasttext.",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
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
@click.option(
    "--translate/--no-translate",
    default=False,
    help="Translate stray fragments and build the French/English corpus (not available yet: "
    "this version runs the cleaning only).",
)
@click.option(
    "--stdin-format",
    type=click.Choice(["txt", "jsonl"]),
    default="txt",
    show_default=True,
    help="Format of '-' (standard input).",
)
@click.option("--quiet", "-q", is_flag=True, help="No progress bar and no summary.")
def run_command(inputs, out_dir, config_path, langid, translate, stdin_format, quiet) -> None:
    """Clean INPUTS (files, folders, globs, or - for stdin) into --out DIR.

    Writes clean/<id>.txt (or clean.jsonl for JSONL input), rejects.jsonl, fragments.jsonl,
    documents.jsonl, quarantine.jsonl and manifest.json.
    """
    from .runner import run

    try:
        config = _load_config(config_path, langid)
        show_progress = not quiet and sys.stderr.isatty()

        def progress(docs):
            with click.progressbar(
                docs, label="cleaning", file=sys.stderr, item_show_func=lambda d: d and d.id
            ) as bar:
                yield from bar

        result = run(
            list(inputs),
            out_dir,
            config,
            stdin_format=stdin_format,
            progress=progress if show_progress else None,
            translate=translate,
        )
    except CleanerError as e:
        _fail(str(e))
    except KeyboardInterrupt:
        _fail("interrupted; no output was changed", 130)
    except Exception as e:  # noqa: BLE001 - one line, never a traceback (unless asked)
        _fail_unexpected(e)
    if not quiet:
        click.echo(format_summary(result.counts, result.timings, Path(out_dir)), err=True)


@main.command("clean")
@_config_option
@_langid_option
def clean_command(config_path, langid) -> None:
    """Clean one document read on stdin (one paragraph per line); write it to stdout."""
    from .io.decode import DecodeError, decode_bytes
    from .pipeline import Pipeline

    try:
        config = _load_config(config_path, langid)
        data = sys.stdin.buffer.read()
        try:
            text, _ = decode_bytes(data)
        except DecodeError as e:
            raise CleanerError(f"standard input: {e}") from None
        out = Pipeline(config).clean_text(text, id="stdin")
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
        ("lines in", counts["lines_in"]),
        ("lines kept", counts["lines_kept"]),
    ]
    rows += [(f"  dropped: {reason}", n) for reason, n in counts["by_reason"].items()]
    rows += [(f"  fragments: {lang}", n) for lang, n in counts["fragments"].items()]
    rows += [(f"  quarantined: {reason}", n) for reason, n in counts["quarantined"].items()]
    if counts["skipped_files"]:
        rows.append(("files skipped (not .txt/.jsonl)", len(counts["skipped_files"])))
    width = max(len(label) for label, _ in rows)
    lines = [f"{label:<{width}}  {n:>8}" for label, n in rows]
    lines.append(
        f"{'time':<{width}}  {timings['total']:>7.2f}s  ({timings['mchars_per_s']} M characters/s)"
    )
    lines.append(f"outputs in {out_dir}/")
    return "\n".join(lines)


if __name__ == "__main__":  # pragma: no cover
    main()
