"""Stage 6: split the clean text into sentences and translate each one.

The sentences are those of the rendered clean text (title first, translated fragments spliced
in), split by :func:`cleaner.segment.split_sentences`. Every sentence of a batch of documents goes
to the translator in one call (it deduplicates, serves the cache, and batches the rest).
"""

from __future__ import annotations

from ..document import Document, Pair
from ..render import ordered_kept_lines, render_line
from ..segment import split_sentences
from ..stages.base import Stage
from ..translate.translator import Translator


class SentencePairer(Stage):
    name = "parallel"

    def __init__(self, translator: Translator, source: str, target: str) -> None:
        super().__init__()
        self.translator = translator
        self.source = source
        self.target = target

    def process(self, doc: Document) -> None:
        self.process_batch([doc])

    def process_batch(self, docs: list[Document]) -> None:
        pairs: list[Pair] = []
        for doc in docs:
            doc.pairs = []
            for line in ordered_kept_lines(doc):
                for sentence in split_sentences(render_line(line)):
                    doc.pairs.append(Pair(len(doc.pairs), line.number, sentence))
            pairs.extend(doc.pairs)
        if not pairs:
            return
        results = self.translator.translate([p.source for p in pairs], self.source, self.target)
        for pair, result in zip(pairs, results, strict=True):
            pair.target = result.text.strip()
            pair.packages, pair.pivot = result.packages, result.pivot
        self.counts["sentences"] += len(pairs)
