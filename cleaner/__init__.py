"""cleaner: scraped French news in, clean French text (and, next, a French/English corpus) out.

The library is the product; the ``cleaner`` command is a thin shell around it::

    import cleaner

    # one document in memory
    print(cleaner.clean_text(open("page.txt", encoding="utf-8").read()))

    # many documents, streaming, with the same config the CLI reads from TOML
    config = cleaner.Config.from_toml("cleaner.toml")
    pipeline = cleaner.Pipeline(config)
    for doc in pipeline.run(my_documents):
        text = cleaner.render_text(doc)

    # files and folders into an output directory, as ``cleaner run`` does
    cleaner.run(["corpora/sample"], "out")
"""

from ._version import __version__
from .config import (
    BoilerplateConfig,
    Config,
    EncodingConfig,
    LanguageConfig,
    SecondCopyConfig,
)
from .document import Document, Line, Span
from .errors import CleanerError, ConfigError, MissingDependencyError
from .io import read_documents
from .pipeline import Pipeline, clean_text
from .render import render_text
from .runner import RunResult, run

__all__ = [
    "__version__",
    "Config",
    "EncodingConfig",
    "SecondCopyConfig",
    "BoilerplateConfig",
    "LanguageConfig",
    "Document",
    "Line",
    "Span",
    "Pipeline",
    "clean_text",
    "render_text",
    "read_documents",
    "run",
    "RunResult",
    "CleanerError",
    "ConfigError",
    "MissingDependencyError",
]
