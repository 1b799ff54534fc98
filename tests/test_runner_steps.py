"""`cleaner.run` is cut into named steps, each readable on one screen, with the public
signature it always had."""

import ast
import inspect
from pathlib import Path

import cleaner

RUNNER = Path(cleaner.__file__).parent / "runner.py"


def test_public_signature_is_unchanged():
    # the signature before the steps were cut out, as the README and ETL jobs use it (its
    # inputs since widened, compatibly, to paths and to one input)
    expected = (
        "(inputs: 'str | os.PathLike[str] | Sequence[str | os.PathLike[str]]', out_dir: 'str | Path', config: 'Config | None' = None, *, "
        "stdin: 'BinaryIO | None' = None, stdin_format: 'str' = 'txt', "
        "progress: 'Callable[[Iterable[Any]], Iterable[Any]] | None' = None, "
        "translate: 'bool' = True, translator: 'Any' = None, workers: 'int' = 1, "
        "shard_documents: 'int' = 500, fresh: 'bool' = False, engine: 'str' = 'local', "
        "ray_address: 'str | None' = None, strict: 'bool' = False, report: 'bool' = True) "
        "-> 'RunResult'"
    )
    assert str(inspect.signature(cleaner.run)) == expected


def test_every_function_of_the_runner_fits_on_a_screen():
    tree = ast.parse(RUNNER.read_text(encoding="utf-8"))
    lengths = {
        node.name: node.end_lineno - node.lineno + 1
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef)
    }
    assert {"run", "_check_arguments", "_plan_run", "_execute_shards", "_build_manifest"} <= set(
        lengths
    )
    too_long = {name: n for name, n in lengths.items() if n > 70}
    assert not too_long, too_long
