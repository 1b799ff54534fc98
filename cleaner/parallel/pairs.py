"""Stage 6: split the clean text into sentences, say where each comes from, translate it.

The sentences are those of the rendered clean text (title first, translated fragments spliced
in), split by :func:`cleaner.segment.split_sentences`. Each pair records where its French side
comes from: ``original`` (written in French on the page), ``contains_translation`` (a translated
fragment spliced in: its offsets are the pair's ``splices``), ``translated`` (every letter of
it is machine output) or ``foreign`` (it holds a foreign fragment left untranslated: no
package for its language, a failed translation). Its English side is machine output (``translated``), except where the
page's own sentence is at hand: a line in the target language of the corpus (an English quote)
translated into French sentence by sentence, whose French sentences are exactly those
translations, one to one, is paired with its own English sentences (``original``).

Pairs whose French origin is not in ``[pairs] french_origin`` are rejected
(``pair_french_not_original``, with their provenance as evidence) before translation: machine
output is not translated back. Every other sentence of a batch of documents goes to the
translator in one call (it deduplicates, serves the cache, and batches the rest). A document
kept in its own language (``[language] other_documents = "keep"``) gives no pairs.
"""

from __future__ import annotations

from collections.abc import Sequence

from .. import reasons
from ..document import (
    CONTAINS_TRANSLATION,
    FOREIGN,
    ORIGINAL,
    TRANSLATED,
    Document,
    Line,
    Pair,
    Span,
    Splice,
)
from ..render import ordered_kept_lines, splice_line
from ..segment import split_sentences
from ..stages.base import Stage
from ..stages.document_language import KEEP
from ..translate.translator import Translator, translate_checked


def locate(text: str, sentences: list[str]) -> list[tuple[int, int]]:
    """Where each sentence lies in ``text`` (they are its pieces, in order)."""
    out = []
    cursor = 0
    for sentence in sentences:
        start = text.index(sentence, cursor)
        cursor = start + len(sentence)
        out.append((start, cursor))
    return out


def origin_of(sentence: str, splices: Sequence[Splice]) -> str:
    """``translated`` when every letter and digit of the sentence lies in a spliced fragment,
    ``contains_translation`` when some do, ``original`` when none do."""
    if not splices:
        return ORIGINAL
    outside = []
    pos = 0
    for s in sorted(splices, key=lambda s: s.start):
        outside.append(sentence[pos : s.start])
        pos = max(pos, s.end)
    outside.append(sentence[pos:])
    return CONTAINS_TRANSLATION if any(ch.isalnum() for ch in "".join(outside)) else TRANSLATED


def untranslated_at(text: str, line: Line) -> list[tuple[int, int]]:
    """Where the line's foreign fragments that stayed untranslated (no package, a failed
    translation) lie in ``text``, its rendered text: found in order, as they are left
    verbatim."""
    out = []
    cursor = 0
    for span in sorted(line.spans, key=lambda s: s.start):
        if span.translation is not None or not any(ch.isalpha() for ch in span.text):
            continue
        at = text.find(span.text, cursor)
        if at < 0:
            continue
        cursor = at + len(span.text)
        out.append((at, cursor))
    return out


def own_sentences(
    placed: list[tuple[int, int, Span]], sentences: list[str], lang: str
) -> list[str]:
    """The page's own sentences in ``lang`` behind ``sentences``, one to one, or [] where they
    are not at hand: the line must be one fragment in ``lang`` translated sentence by
    sentence, and its French sentences exactly those translations, in order."""
    if len(placed) != 1:
        return []
    span = placed[0][2]
    if span.kind != "line" or span.lang != lang or not span.parts:
        return []
    if [translation for _, translation in span.parts] != sentences:
        return []
    return [source for source, _ in span.parts]


class SentencePairer(Stage):
    name = "parallel"

    def __init__(
        self,
        translator: Translator,
        source: str,
        target: str,
        french_origin: Sequence[str] = (ORIGINAL, CONTAINS_TRANSLATION),
    ) -> None:
        super().__init__()
        self.translator = translator
        self.source = source
        self.target = target
        self.french_origin = frozenset(french_origin)

    def process(self, doc: Document) -> None:
        self.process_batch([doc])

    def process_batch(self, docs: list[Document]) -> None:
        pairs: list[Pair] = []
        for doc in docs:
            doc.pairs = []
            if doc.metadata.get("route") == KEEP:
                continue
            for line in ordered_kept_lines(doc):
                doc.pairs.extend(self.line_pairs(line, len(doc.pairs)))
            self.counts["sentences"] += len(doc.pairs)
            pairs.extend(p for p in doc.pairs if p.kept and p.target_origin == TRANSLATED)
        if not pairs:
            return
        sources = [p.source for p in pairs]
        results = translate_checked(self.translator, sources, self.source, self.target)
        for pair, result in zip(pairs, results, strict=True):
            pair.target = result.text.strip()
            pair.packages, pair.pivot = result.packages, result.pivot

    def line_pairs(self, line: Line, first: int) -> list[Pair]:
        """The line's sentence pairs (numbered from ``first``), with their provenance; those
        the French origin policy rejects are dropped, and none is translated yet."""
        text, placed = splice_line(line) if line.spans else (line.text, [])
        sentences = split_sentences(text)
        own = own_sentences(placed, sentences, self.target)
        foreign = untranslated_at(text, line) if line.spans else []
        out = []
        for k, (sentence, (a, b)) in enumerate(
            zip(sentences, locate(text, sentences), strict=True)
        ):
            splices = tuple(
                Splice(max(s0, a) - a, min(s1, b) - a, span.lang)
                for s0, s1, span in placed
                if s0 < b and s1 > a
            )
            untranslated = any(s0 < b and s1 > a for s0, s1 in foreign)
            pair = Pair(
                first + k,
                line.number,
                sentence,
                source_origin=FOREIGN if untranslated else origin_of(sentence, splices),
                splices=splices,
            )
            if own:
                pair.target, pair.target_origin = own[k], ORIGINAL
                self.counts["target_original"] += 1
            if pair.source_origin not in self.french_origin:
                pair.drop(
                    reasons.PAIR_FRENCH_NOT_ORIGINAL, **pair.provenance(self.source, self.target)
                )
                self.counts[reasons.PAIR_FRENCH_NOT_ORIGINAL] += 1
            out.append(pair)
        return out
