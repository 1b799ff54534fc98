"""Stage base classes: a stage takes documents and yields them annotated.

Most stages look at one line at a time and leave one hook to write; stages that must see the
whole run first (the corpus-frequency filter) declare ``needs_corpus_pass`` and get every
document through :meth:`Stage.observe` before :meth:`Stage.run` is called.
"""

from __future__ import annotations

import abc
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from ..document import Document, Line


class Stage(abc.ABC):
    """One job over a stream of documents."""

    #: Short name used in the manifest's counts and timings.
    name = "stage"
    #: True if the stage must observe every document of the run before deciding.
    needs_corpus_pass = False

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()

    def run(self, docs: Iterable[Document]) -> Iterator[Document]:
        for doc in docs:
            self.process(doc)
            yield doc

    @abc.abstractmethod
    def process(self, doc: Document) -> None:
        """Annotate one document in place."""

    def process_batch(self, docs: list[Document]) -> None:
        """Annotate several documents; stages that gain from working across documents
        (model calls) override this."""
        for doc in docs:
            self.process(doc)

    # Optional hooks, used only by stages with ``needs_corpus_pass``.
    def begin_observing(self) -> None:  # noqa: B027
        """Called once before the first pass: forget what an earlier run observed."""

    def observe(self, doc: Document) -> None:  # noqa: B027
        """First pass over the run: see one document (annotated by the earlier stages)."""

    def decide(self) -> None:  # noqa: B027
        """Called once after the first pass, before the first document of the second."""

    # The same first pass, split across shards and processes: a worker computes each
    # document's ``observation`` and condenses a shard's into a ``summary`` (compact, picklable);
    # the coordinating process adds the summaries in input order and decides; each worker then
    # loads the ``decisions`` for its shard, with the run position of the shard's first
    # document. ``observe`` is the one-process shortcut of the same thing.
    def observation(self, doc: Document) -> Any:
        return None

    def summarize(self, observations: list[Any]) -> Any:
        return observations

    def add_summary(self, summary: Any) -> None:  # noqa: B027
        pass

    def decide_from(self, summaries: Callable[[int], Any], n_shards: int) -> None:
        """Add up the summaries of shards 0..n-1 (``summaries(k)`` loads one) and decide.
        Observers whose state could outgrow memory override this to work in parts."""
        self.begin_observing()
        for k in range(n_shards):
            self.add_summary(summaries(k))
        self.decide()

    def decisions(self) -> Any:
        return None

    def shard_decisions(self, decisions: Any, start: int, end: int | None) -> Any:
        """The part of the decisions that the documents at run positions [start, end) need."""
        return decisions

    def load_decisions(self, decisions: Any, start: int) -> None:  # noqa: B027
        pass


class LineFilter(Stage):
    """A stage that decides line by line: write :meth:`check`."""

    def process(self, doc: Document) -> None:
        for line in doc.lines:
            if line.kept:
                verdict = self.check(line)
                if verdict is not None:
                    reason, detail = verdict
                    line.drop(reason, **detail)
                    self.counts[reason] += 1

    @abc.abstractmethod
    def check(self, line: Line) -> tuple[str, dict] | None:
        """Return ``(reason, evidence)`` to drop the line, ``None`` to keep it."""
