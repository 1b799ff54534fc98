"""The pipeline: stages in order, one or two passes over the documents.

Stages run in order over batches of documents. If a stage needs to see the whole run first
(the site templates, the near-duplicates), the pipeline runs every stage before it on each document, lets it
observe the result, and spools the documents (in memory up to a budget, then in a temporary
file); the second pass takes them back and runs the remaining stages. Memory stays bounded:
documents stream, the spool goes to disk past its budget, and the corpus-level counts are
64-bit hashes.
"""

from __future__ import annotations

import itertools
import pickle
import tempfile
import time
from collections import defaultdict, deque
from collections.abc import Iterable, Iterator
from typing import IO, Any

from .config import Config
from .document import Document, split_paragraphs
from .io.unwrap import unwrap_into
from .linemodel.decode import favor_shift
from .linemodel.model import LineModel
from .parallel import PairFilterStage, SentencePairer, build_pair_filters
from .render import render_text
from .stages.base import Stage
from .stages.boilerplate import BoilerplatePatternFilter, ScraperLeftoverFilter, libraries
from .stages.boilerplate_model import BoilerplateModelFilter, PageFeaturizer
from .stages.browser_marks import BrowserMarkFilter
from .stages.document_language import DocumentLanguageRouter
from .stages.encoding import EncodingFixer
from .stages.markdown import MarkdownStripper
from .stages.near_duplicates import NearDuplicateFilter
from .stages.second_copy import SecondCopyFilter
from .stages.site_templates import SiteTemplateFilter
from .stages.stray_language import StrayLanguageDetector
from .stages.translate_fragments import FragmentTranslator


class Pipeline:
    """The cleaning pipeline over :class:`~cleaner.document.Document` objects.

    >>> from cleaner import Document, Pipeline, render_text
    >>> doc = Document.from_text("Le conseil a cédé dimanche.\\nVoir l'original\\n")
    >>> [render_text(d) for d in Pipeline().run([doc])]
    ['Le conseil a cédé dimanche.\\n']
    """

    def __init__(
        self,
        config: Config | None = None,
        *,
        identifier=None,
        translator=None,
        spool_memory_bytes: int = 256 * 1024 * 1024,
        batch_size: int = 64,
    ) -> None:
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        self.batch_size = batch_size
        self.config = config or Config()
        #: Between the two passes documents stay in memory up to about this much text, and go
        #: to a temporary file beyond it, so memory does not grow with the corpus.
        self.spool_memory_bytes = spool_memory_bytes
        cfg = self.config
        self.patterns, keep = libraries(cfg.boilerplate)
        self.stages: list[Stage] = [
            EncodingFixer(cfg.encoding),
            MarkdownStripper(cfg.text.markdown),
            SecondCopyFilter(cfg.second_copy, is_boilerplate=self.patterns.match),
            BoilerplatePatternFilter(self.patterns, keep),
            ScraperLeftoverFilter(cfg.boilerplate),
        ]
        bp = cfg.boilerplate
        templates = None
        if bp.template_min_documents >= 2 or bp.model:
            templates = SiteTemplateFilter(bp)  # the model reads its counts even if it drops none
            self.stages.append(templates)
        if cfg.dedup.documents:
            self.stages.append(NearDuplicateFilter(cfg.dedup))
        language = StrayLanguageDetector(cfg.language, identifier=identifier)
        if bp.model:
            model = LineModel.load(bp.model_path or None)
            featurizer = PageFeaturizer(lambda: language.identifier, templates, model.token_weights)
            shift = favor_shift(bp.favor)
            self.stages.append(
                BoilerplateModelFilter(
                    model, featurizer, shift, title_field=bp.title_field, url_titles=bp.url_title
                )
            )
        if bp.leftovers:  # after the model, which reads the page with its marks
            self.stages.append(BrowserMarkFilter())
        self.stages.append(language)
        self.stages.append(DocumentLanguageRouter(cfg.language, translator))
        #: The translator (``None``: cleaning only). With one, fragments are translated into
        #: the target language and, if ``[translate] parallel``, the parallel corpus is built.
        self.translator = translator
        if translator is not None:
            target = cfg.language.target
            self.stages.append(FragmentTranslator(translator, cfg.translate, target))
            if cfg.translate.parallel:
                self.stages.append(
                    SentencePairer(
                        translator, target, cfg.translate.parallel_target, cfg.pairs.french_origin
                    )
                )
                ident = self.language_stage.identifier if "language" in cfg.pairs.filters else None
                filters = build_pair_filters(
                    cfg.pairs, ident, cfg.translate.parallel_target, cfg.language.target
                )
                self.stages.append(PairFilterStage(filters))
        #: Seconds spent in each stage, by stage name.
        self.timings: dict[str, float] = defaultdict(float)
        self.documents = 0

    @property
    def language_stage(self) -> StrayLanguageDetector:
        return next(s for s in self.stages if isinstance(s, StrayLanguageDetector))

    @property
    def two_pass(self) -> bool:
        return any(s.needs_corpus_pass for s in self.stages)

    def split_stages(self) -> tuple[list[Stage], list[Stage], list[Stage]]:
        """(stages of the first pass, stages of the second, the observers among the second):
        the first pass ends before the first stage that must see the whole run."""
        split = next((i for i, s in enumerate(self.stages) if s.needs_corpus_pass), None)
        if split is None:
            return list(self.stages), [], []
        rest = self.stages[split:]
        return self.stages[:split], rest, [s for s in rest if s.needs_corpus_pass]

    def reset_counts(self) -> None:
        """Forget what the stages counted (a worker reports each shard's counts on their own)."""
        for stage in self.stages:
            stage.counts.clear()
        self.timings.clear()

    def apply(self, stages: list[Stage], docs: list[Document]) -> None:
        """Run ``stages`` over ``docs`` in batches of ``batch_size``."""
        for batch in _batches(docs, self.batch_size):
            self._apply(stages, batch)

    def run(self, docs: Iterable[Document]) -> Iterator[Document]:
        """Annotate every document; yields them in input order, ready for rendering.

        Documents go through the stages in batches of ``batch_size``, so that a stage can
        work across documents (language ID, and translation, batch their model calls).
        """
        split = next((i for i, s in enumerate(self.stages) if s.needs_corpus_pass), None)
        if split is None:
            for batch in _batches(docs, self.batch_size):
                self._apply(self.stages, batch)
                self.documents += len(batch)
                yield from batch
            return
        first, rest = self.stages[:split], self.stages[split:]
        # The stages that look across documents sit together after the first ones; each sees
        # every document of the first pass, then decides once.
        observers = [s for s in rest if s.needs_corpus_pass]
        for observer in observers:
            observer.begin_observing()
        with _Spool(self.spool_memory_bytes) as spool:
            for batch in _batches(docs, self.batch_size):
                self._apply(first, batch)
                for observer in observers:
                    # the same summaries as a sharded run's, a batch at a time
                    t0 = time.perf_counter()
                    observer.add_summary(
                        observer.summarize([observer.observation(d) for d in batch])
                    )
                    self.timings[observer.name] += time.perf_counter() - t0
                for doc in batch:
                    spool.add(doc)
            for observer in observers:
                t0 = time.perf_counter()
                observer.decide()
                self.timings[observer.name] += time.perf_counter() - t0
            for batch in _batches(spool, self.batch_size):
                self._apply(rest, batch)
                self.documents += len(batch)
                yield from batch

    def _apply(self, stages: list[Stage], batch: list[Document]) -> None:
        for stage in stages:
            t0 = time.perf_counter()
            stage.process_batch(batch)
            self.timings[stage.name] += time.perf_counter() - t0

    def counts(self) -> dict[str, dict[str, int]]:
        """What each stage counted (drops per reason, edits), by stage name."""
        return {s.name: dict(sorted(s.counts.items())) for s in self.stages}

    def clean_text(self, text: str, id: str = "doc", **metadata: Any) -> str:
        """Clean one document given as text (one paragraph per line, or hard-wrapped:
        ``[text] unwrap``); ``metadata`` such as its ``title`` and ``url`` go with it (they
        help find its headline)."""
        paragraphs = split_paragraphs(text)
        text_cfg = self.config.text
        paragraphs = unwrap_into(paragraphs, metadata, text_cfg.markdown, text_cfg.unwrap)
        (doc,) = self.run([Document.from_paragraphs(id, paragraphs, metadata=dict(metadata))])
        return render_text(doc)


def _batches(docs: Iterable[Document], size: int) -> Iterator[list[Document]]:
    it = iter(docs)
    while batch := list(itertools.islice(it, size)):
        yield batch


class _Spool:
    """Documents between the two passes: in memory up to a budget, then in a temporary file
    (pickled, which round-trips the dataclasses twice as fast as JSON)."""

    def __init__(self, memory_bytes: int) -> None:
        self.memory_bytes = memory_bytes
        self.size = 0
        self.in_memory: deque[Document] = deque()
        self.file: IO[bytes] | None = None
        self.on_disk = 0

    def __enter__(self) -> _Spool:
        return self

    def __exit__(self, *exc) -> None:
        if self.file is not None:
            self.file.close()

    def add(self, doc: Document) -> None:
        if self.file is None:
            self.size += sum(len(line.original) + len(line.text) for line in doc.lines) + 200
            if self.size <= self.memory_bytes:
                self.in_memory.append(doc)
                return
            self.file = tempfile.TemporaryFile()
        pickle.dump(doc, self.file, protocol=pickle.HIGHEST_PROTOCOL)  # type: ignore[arg-type]
        self.on_disk += 1

    def __iter__(self) -> Iterator[Document]:
        while self.in_memory:  # hand each document over once, freeing memory as we go
            yield self.in_memory.popleft()
        if self.file is not None:
            self.file.seek(0)
            for _ in range(self.on_disk):
                yield pickle.load(self.file)


def clean_text(text: str, config: Config | None = None, **metadata: Any) -> str:
    """Clean one document's text with a fresh pipeline; the convenience entry point
    (``metadata``: its ``title``, ``url``..., as :meth:`Pipeline.clean_text` takes them)."""
    return Pipeline(config).clean_text(text, **metadata)
