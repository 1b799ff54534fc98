"""The cleaner command: exit codes, streams, outputs."""

import json
import os
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from cleaner import __version__
from cleaner.cli import main

PAGE = "Le conseil a voté le budget de la médiathèque mardi soir.\nVoir l'original\n"


def invoke(*args, input=None):
    return CliRunner().invoke(main, list(args), input=input)


def test_version():
    result = invoke("--version")
    assert result.exit_code == 0 and __version__ in result.output


def test_clean_reads_stdin_writes_stdout_only_data():
    result = CliRunner().invoke(main, ["clean"], input=PAGE.encode("utf-8"))
    assert result.exit_code == 0
    assert result.stdout == "Le conseil a voté le budget de la médiathèque mardi soir.\n"


def test_favor_flag_overrides_the_config(tmp_path):
    # a page whose article ends with "Entrée gratuite." right above the share tools: balanced
    # drops that last line, --favor recall keeps it; the flag wins over the config file
    page = (Path(__file__).parent / "fixtures" / "pages" / "short-ending.txt").read_bytes()
    config = tmp_path / "cleaner.toml"
    config.write_text('[boilerplate]\nfavor = "precision"\n', encoding="utf-8")
    out = {
        args: CliRunner().invoke(main, ["clean", *args], input=page).stdout.splitlines()
        for args in ((), ("--favor", "recall"), ("--config", str(config), "--favor", "recall"))
    }
    assert "Entrée gratuite." not in out[()]
    assert out[("--favor", "recall")][-1] == "Entrée gratuite."
    assert out[("--config", str(config), "--favor", "recall")] == out[("--favor", "recall")]
    result = invoke("clean", "--favor", "maximal", input=page)
    assert result.exit_code == 2 and "'maximal' is not one of" in result.stderr


def test_favor_flag_takes_a_number():
    # the same page: a move of the log-odds by 1.5 keeps "Entrée gratuite." as recall does,
    # 0 is balanced (drops it); past the bound, a one-line error and no output
    page = (Path(__file__).parent / "fixtures" / "pages" / "short-ending.txt").read_bytes()
    out = {
        move: CliRunner().invoke(main, ["clean", "--favor", move], input=page).stdout
        for move in ("1.5", "0", "balanced")
    }
    assert out["1.5"].splitlines()[-1] == "Entrée gratuite."
    assert out["0"] == out["balanced"] and "Entrée gratuite." not in out["0"]
    result = invoke("clean", "--favor", "-7", input=page)
    assert result.exit_code == 2 and result.stdout == ""  # a usage error
    assert result.stderr.strip().splitlines() == [
        "cleaner: error: Invalid value for '--favor': '-7': a number must be between -4 and 4"
        " (see 'main clean --help')"  # click's test runner names the command "main"
    ]


def test_clean_takes_the_pages_title_or_url():
    # the page whose headline stands 22 lines above its first paragraph: named by --title or
    # by --url's words, it is kept; the article, read by a person, is line 6 and lines 29-34
    pages = Path(__file__).parent / "fixtures" / "pages"
    page = (pages / "title-far-above.txt").read_text("utf-8")
    article = json.loads((pages / "labels.json").read_text("utf-8"))["title-far-above.txt"]
    want = "".join(page.splitlines(keepends=True)[n - 1] for n in article)
    url = "https://www.example.org/2022/11/03/une-nuit-blanche-sur-les-quais"
    for args in (("--title", "Une nuit blanche sur les quais"), ("--url", url)):
        result = CliRunner().invoke(main, ["clean", *args], input=page.encode("utf-8"))
        assert result.exit_code == 0, result.output
        assert result.stdout == want


def test_run_writes_outputs_and_summary_on_stderr(tmp_path):
    src = tmp_path / "page.txt"
    src.write_text(PAGE, encoding="utf-8")
    result = invoke("run", str(src), "--out", str(tmp_path / "out"), "--no-translate")
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert "boilerplate_pattern" in result.stderr and "lines kept" in result.stderr
    # where the time went: the slowest steps, among them the stages every page goes through
    (steps,) = [ln for ln in result.stderr.splitlines() if ln.startswith("  slowest steps")]
    named = [step.rsplit(" ", 1)[0] for step in steps.split(maxsplit=2)[2].split(", ")]
    timings = json.loads((tmp_path / "out" / "manifest.json").read_text())["timings"]
    seconds = {k.removeprefix("stage."): v for k, v in timings.items() if k.startswith("stage.")}
    assert len(named) == 5 and "boilerplate_model" in seconds
    assert [seconds.get(n, timings.get(n)) for n in named] == sorted(
        (v for k, v in timings.items() if k not in ("total", "mchars_per_s")), reverse=True
    )[:5]
    rejects = [json.loads(x) for x in (tmp_path / "out" / "rejects.jsonl").read_text().splitlines()]
    assert rejects == [
        {
            "doc": "page",
            "line": 2,
            "reason": "boilerplate_pattern",
            "text": "Voir l'original",
            "detail": {"rule": "view_original"},
        }
    ]


def test_run_from_stdin_jsonl(tmp_path):
    feed = json.dumps({"id": "a/../../b", "url": "u", "text": PAGE}) + "\n"
    result = invoke(
        "run",
        "-",
        "--stdin-format",
        "jsonl",
        "--out",
        str(tmp_path / "o"),
        "-q",
        "--no-translate",
        input=feed,
    )
    assert result.exit_code == 0, result.output
    (record,) = [json.loads(x) for x in (tmp_path / "o" / "clean.jsonl").read_text().splitlines()]
    assert record == {"id": "a/../../b", "url": "u", "text": PAGE.splitlines()[0]}
    assert not (tmp_path / "b").exists()


EXE = os.path.join(os.path.dirname(sys.executable), "cleaner")

USAGE_ERRORS = [
    (["run", "x.txt"], "Missing option '--out' / '-o'", "cleaner run"),
    (["run", "--out", "o"], "Missing argument 'INPUTS...'", "cleaner run"),
    (["frobnicate"], "No such command 'frobnicate'", "cleaner"),
    (["run", "x.txt", "-o", "o", "--beam-size", "99"], "'--beam-size': 99", "cleaner run"),
    (["run", "x.txt", "-o", "o", "--bogus"], "No such option '--bogus'", "cleaner run"),
    (["run", "x.txt", "-o", "o", "--favor", "5"], "between -4 and 4", "cleaner run"),
    (["clean", "--favor", "nan"], "between -4 and 4", "cleaner clean"),
    (["run", "x.txt", "-o", "o", "--pair-filters", "han,bogus"], "unknown bogus", "cleaner run"),
    # an empty value switched every filter off, as "none" does
    (["run", "x.txt", "-o", "o", "--pair-filters", ""], "a filter name is empty", "cleaner run"),
    (["run", "x.txt", "-o", "o", "--pair-filters", "han,,empty"], "name is empty", "cleaner run"),
    (["run", "x.txt", "-o", "o", "--pair-filters", "none,han"], "none stands alone", "cleaner run"),
    (
        ["models", "install", "--download", "zz"],
        "expected a language pair",
        "cleaner models install",
    ),
]


def test_usage_errors_are_one_line_and_exit_2(tmp_path):
    """The real command (click's own usage text is four lines): one line, what is wrong and
    where the help is."""
    for args, says, command in USAGE_ERRORS:
        proc = subprocess.run([EXE, *args], capture_output=True, text=True, cwd=tmp_path)
        assert proc.returncode == 2, args
        assert proc.stdout == "", args
        assert proc.stderr.startswith("cleaner: error: ") and proc.stderr.count("\n") == 1, (
            proc.stderr
        )
        assert says in proc.stderr and proc.stderr.endswith(f" (see '{command} --help')\n")
    # help and version still work, on stdout
    for args in (["--help"], ["run", "-h"], ["--version"]):
        proc = subprocess.run([EXE, *args], capture_output=True, text=True, cwd=tmp_path)
        assert proc.returncode == 0 and proc.stdout and proc.stderr == "", args
    assert invoke("run", "x.txt").exit_code == 2  # through click's test runner too


def test_clean_with_a_closed_stream_is_a_one_line_error(tmp_path):
    for redirect, stream in ((">&-", "output"), ("<&-", "input")):
        proc = subprocess.run(
            ["sh", "-c", f'echo "Bonjour." | "{EXE}" clean {redirect}'],
            capture_output=True,
            text=True,
            cwd=tmp_path,
        )
        assert proc.returncode == 1, proc.stderr
        assert proc.stderr == f"cleaner: error: standard {stream} is closed\n"


DEBUG_SCRIPT = """
import sys
from cleaner.cli import main
from cleaner.io import writers
def bug(self, doc):
    raise ValueError("boom")
writers.OutputWriter.write_document = bug
main(sys.argv[1:], prog_name="cleaner")
"""


def test_cleaner_debug_shows_the_traceback(tmp_path):
    src = tmp_path / "p.txt"
    src.write_text(PAGE, encoding="utf-8")
    args = [sys.executable, "-c", DEBUG_SCRIPT, "run", str(src), "-o", "o", "--no-translate"]
    env = {k: v for k, v in os.environ.items() if k != "CLEANER_DEBUG"}
    plain = subprocess.run(args, capture_output=True, text=True, cwd=tmp_path, env=env)
    assert plain.returncode == 1
    assert plain.stderr.count("\n") == 1 and "Traceback" not in plain.stderr
    assert "unexpected ValueError: boom" in plain.stderr and "CLEANER_DEBUG=1" in plain.stderr
    debug = subprocess.run(
        args, capture_output=True, text=True, cwd=tmp_path, env=env | {"CLEANER_DEBUG": "1"}
    )
    assert debug.returncode == 1
    assert debug.stderr.startswith("Traceback (most recent call last):")
    assert ", in second_pass\n" in debug.stderr and ", in bug\n" in debug.stderr  # where it arose
    assert debug.stderr.endswith("ValueError: boom\n")


def test_data_errors_exit_1_with_one_line(tmp_path):
    result = invoke(
        "run", str(tmp_path / "missing.txt"), "--out", str(tmp_path / "o"), "--no-translate"
    )
    assert result.exit_code == 1
    assert result.stderr == f"cleaner: error: input not found: {tmp_path / 'missing.txt'}\n"
    bad = tmp_path / "bad.toml"
    bad.write_text("[language]\nbakend = 1\n", encoding="utf-8")
    src = tmp_path / "p.txt"
    src.write_text(PAGE, encoding="utf-8")
    result = invoke(
        "run", str(src), "--out", str(tmp_path / "o"), "--config", str(bad), "--no-translate"
    )
    assert result.exit_code == 1
    assert "unknown key 'bakend'" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "o").exists()  # config is checked before any output


def test_missing_model_stops_before_reading_any_data(tmp_path):
    src = tmp_path / "p.txt"
    src.write_text(PAGE, encoding="utf-8")
    empty = tmp_path / "packages"
    result = invoke("run", str(src), "--out", str(tmp_path / "o"), "--packages-dir", str(empty))
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1  # one line
    assert "no translation package for zh→fr, en→fr, fr→en" in result.stderr
    assert "cleaner models install --download zh:en en:fr fr:en" in result.stderr
    assert "--no-translate" in result.stderr
    assert not (tmp_path / "o").exists()  # nothing was read, nothing written


def test_console_script_runs_as_a_real_process(tmp_path):
    src = tmp_path / "p.txt"
    src.write_bytes(b"\x00\x01binary")
    exe = os.path.join(os.path.dirname(sys.executable), "cleaner")
    proc = subprocess.run(
        [exe, "run", str(src), "--out", str(tmp_path / "o"), "--no-translate"],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0
    assert "quarantined: binary_content" in proc.stderr
    q = json.loads((tmp_path / "o" / "quarantine.jsonl").read_text())
    assert q["reason"] == "binary_content" and q["file"] == str(src)


def test_json_surrogates_do_not_break_the_utf8_outputs(tmp_path):
    feed = tmp_path / "s.jsonl"
    feed.write_text(
        '{"id": "s", "note": "\\ud800", "text": "Le caf\\u00e9 \\ud800 ouvre \\u00e0 huit heures, '
        'comme chaque matin.\\nUn emoji \\ud83d\\ude00 orne le message de bienvenue de la mairie."}\n',
        encoding="utf-8",
    )
    result = invoke("run", str(feed), "--out", str(tmp_path / "o"), "-q", "--no-translate")
    assert result.exit_code == 0, result.output
    (record,) = [
        json.loads(x) for x in (tmp_path / "o" / "clean.jsonl").read_text("utf-8").splitlines()
    ]
    # two sentences, so that the line model keeps both: what is tested is the encoding
    assert record["text"] == (
        "Le café \ufffd ouvre à huit heures, comme chaque matin.\n"
        "Un emoji 😀 orne le message de bienvenue de la mairie."
    )
    assert record["note"] == "\ufffd"


def test_interrupt_and_unexpected_errors_are_one_line_and_leave_no_output(tmp_path, monkeypatch):
    from cleaner.io import writers

    src = tmp_path / "p.txt"
    src.write_text(PAGE, encoding="utf-8")

    def interrupted(self, *args):
        raise KeyboardInterrupt

    monkeypatch.setattr(writers.OutputWriter, "write_document", interrupted)
    result = invoke("run", str(src), "--out", str(tmp_path / "o"), "--no-translate")
    assert result.exit_code == 130
    assert (
        result.stderr
        == "cleaner: error: interrupted; no output was changed (rerun the same command to resume)\n"
    )
    # nothing but the resume state
    assert [n for n in os.listdir(tmp_path / "o") if not n.startswith(".cleaner-")] == []

    def disk_full(self, doc):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(writers.OutputWriter, "write_document", disk_full)
    result = invoke("run", str(src), "--out", str(tmp_path / "o"), "--no-translate")
    assert result.exit_code == 1
    assert result.stderr == "cleaner: error: No space left on device; no output was changed\n"

    def bug(self, doc):
        raise ValueError("boom")

    monkeypatch.setattr(writers.OutputWriter, "write_document", bug)
    result = invoke("run", str(src), "--out", str(tmp_path / "o"), "--no-translate")
    assert result.exit_code == 1
    assert "unexpected ValueError: boom" in result.stderr and "Traceback" not in result.stderr
    assert [n for n in os.listdir(tmp_path / "o") if not n.startswith(".cleaner-")] == []


def test_progress_bar_only_on_a_terminal(tmp_path):
    import pty

    src = tmp_path / "p.txt"
    src.write_text(PAGE, encoding="utf-8")
    exe = os.path.join(os.path.dirname(sys.executable), "cleaner")
    master, slave = pty.openpty()
    proc = subprocess.run(
        [exe, "run", str(src), "--out", str(tmp_path / "o"), "--no-translate"],
        stdout=subprocess.PIPE,
        stderr=slave,
    )
    os.close(slave)
    on_terminal = os.read(master, 65536).decode("utf-8", "replace")
    os.close(master)
    assert proc.returncode == 0 and proc.stdout == b""
    assert "cleaning" in on_terminal and "lines kept" in on_terminal
    piped = subprocess.run(
        [exe, "run", str(src), "--out", str(tmp_path / "o2"), "--no-translate"],
        capture_output=True,
        text=True,
    )
    assert "cleaning" not in piped.stderr and "lines kept" in piped.stderr


def test_the_summary_names_only_steps_that_are_seconds():
    from cleaner.cli import _slowest_steps

    # the translation's rate and counts were listed as the slowest steps, in seconds
    timings = {
        "total": 9.0,
        "read": 0.5,
        "stage.encoding": 0.25,
        "translate.model": 2.0,
        "translate.sentences_per_s": 583.49,
        "translate.model_sentences": 282,
        "translate.cache_hits": 40,
        "mchars_per_s": 1.2,
    }
    assert _slowest_steps(timings) == ["translate.model 2.00s", "read 0.50s", "encoding 0.25s"]


def test_run_with_a_keep_rule_keeps_what_a_shipped_rule_drops(tmp_path):
    rules = tmp_path / "keep.toml"
    rules.write_text(
        "[[rule]]\nname = 'see_original'\naction = 'keep'\npattern = '''voir l['’]original$'''\n",
        encoding="utf-8",
    )
    config = tmp_path / "cleaner.toml"
    config.write_text(f"[boilerplate]\npattern_files = [{json.dumps(str(rules))}]\n", "utf-8")
    src = tmp_path / "page.txt"
    src.write_text(PAGE, encoding="utf-8")
    out = tmp_path / "out"
    result = invoke("run", str(src), "--out", str(out), "--config", str(config), "--no-translate")
    assert result.exit_code == 0, result.output
    assert (out / "clean" / "page.txt").read_text("utf-8") == PAGE
    assert (out / "rejects.jsonl").read_text("utf-8") == ""
    assert "  pinned by keep rules         1" in result.stderr
    (summary,) = [json.loads(x) for x in (out / "documents.jsonl").read_text("utf-8").splitlines()]
    assert summary["pinned"] == {"2": "see_original"}
    counts = json.loads((out / "manifest.json").read_text("utf-8"))["counts"]
    assert counts["by_stage"]["boilerplate_pattern"] == {"pinned": 1, "pinned_spared": 1}
    bad = tmp_path / "bad.toml"
    bad.write_text("[[rule]]\nname = 'x'\naction = 'pin'\npattern = 'x'\n", encoding="utf-8")
    config.write_text(f"[boilerplate]\npattern_files = [{json.dumps(str(bad))}]\n", "utf-8")
    result = invoke(
        "run", str(src), "--out", str(tmp_path / "o2"), "--config", str(config), "--no-translate"
    )
    assert result.exit_code == 1 and "Traceback" not in result.stderr
    assert result.stderr == f'cleaner: error: {bad}: rule \'x\': action must be "drop" or "keep"\n'
    assert not (tmp_path / "o2").exists()
