"""The pipeline: stages in order, one or two passes over the documents.

Stages run per document, in order. If a stage needs to see the whole run first (the
frequent-line filter), the pipeline runs every stage before it on each document, lets it observe
the result, and spools the documents to a temporary file; the second pass reads them back and
runs the remaining stages. Memory stays flat: documents stream, the spool is on disk, and the
corpus-level counts are 64-bit hashes.
"""

from __future__ import annotations

import json
import tempfile
import time
from collections import Counter
from collections.abc import Iterable, Iterator

from .config import Config
from .document import Document
from .render import render_text
from .stages.base import Stage
from .stages.boilerplate import (
    BoilerplatePatternFilter,
    FrequentLineFilter,
    PatternLibrary,
    ScraperLeftoverFilter,
)
from .stages.encoding import EncodingFixer
from .stages.second_copy import SecondCopyFilter
from .stages.stray_language import StrayLanguageDetector


class Pipeline:
    """The cleaning pipeline over :class:`~cleaner.document.Document` objects.

    >>> from cleaner import Document, Pipeline, render_text
    >>> doc = Document.from_text("Le conseil a cédé dimanche.\\nVoir l'original\\n")
    >>> [render_text(d) for d in Pipeline().run([doc])]
    ['Le conseil a cédé dimanche.\\n']
    """

    def __init__(self, config: Config | None = None, *, identifier=None) -> None:
        self.config = config or Config()
        cfg = self.config
        self.patterns = PatternLibrary.from_config(cfg.boilerplate)
        self.stages: list[Stage] = [
            EncodingFixer(cfg.encoding),
            SecondCopyFilter(cfg.second_copy, is_boilerplate=self.patterns.match),
            BoilerplatePatternFilter(self.patterns),
            ScraperLeftoverFilter(cfg.boilerplate),
        ]
        if cfg.boilerplate.frequent_min_documents >= 2:
            self.stages.append(FrequentLineFilter(cfg.boilerplate))
        self.stages.append(StrayLanguageDetector(cfg.language, identifier=identifier))
        self.timings: Counter[str] = Counter()
        self.documents = 0

    @property
    def two_pass(self) -> bool:
        return any(s.needs_corpus_pass for s in self.stages)

    def run(self, docs: Iterable[Document]) -> Iterator[Document]:
        """Annotate every document; yields them in input order, ready for rendering."""
        split = next((i for i, s in enumerate(self.stages) if s.needs_corpus_pass), None)
        if split is None:
            for doc in docs:
                self._apply(self.stages, doc)
                self.documents += 1
                yield doc
            return
        first, observer, rest = self.stages[:split], self.stages[split], self.stages[split:]
        observer.begin_observing()
        with tempfile.TemporaryFile("w+", encoding="utf-8") as spool:
            for doc in docs:
                self._apply(first, doc)
                t0 = time.perf_counter()
                observer.observe(doc)
                self.timings[observer.name] += time.perf_counter() - t0
                spool.write(json.dumps(doc.to_dict(), ensure_ascii=False))
                spool.write("\n")
            spool.seek(0)
            for raw in spool:
                doc = Document.from_dict(json.loads(raw))
                self._apply(rest, doc)
                self.documents += 1
                yield doc

    def _apply(self, stages: list[Stage], doc: Document) -> None:
        for stage in stages:
            t0 = time.perf_counter()
            stage.process(doc)
            self.timings[stage.name] += time.perf_counter() - t0

    def counts(self) -> dict[str, dict[str, int]]:
        """What each stage counted (drops per reason, edits), by stage name."""
        return {s.name: dict(sorted(s.counts.items())) for s in self.stages}

    def clean_text(self, text: str, id: str = "doc") -> str:
        """Clean one document given as text (one paragraph per line)."""
        (doc,) = self.run([Document.from_text(text, id=id)])
        return render_text(doc)


def clean_text(text: str, config: Config | None = None) -> str:
    """Clean one document's text with a fresh pipeline; the convenience entry point."""
    return Pipeline(config).clean_text(text)
