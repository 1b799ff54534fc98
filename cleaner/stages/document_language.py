"""Stage 4b: a document in another language follows its own route.

The stray-language stage measures each document's language (``metadata["lang"]``) and the share
of its letters each language holds (``metadata["lang_shares"]``, CJK letters weighed by
:data:`~cleaner.stages.stray_language.CJK_LETTER_WEIGHT`). This stage decides: a document is in
another language when one language other than the target holds at least
``[language] document_min_share`` of its letters. A French article quoting a long English
passage stays French (its quote is a stray fragment, as before); an English page does not.

Such a document follows ``[language] other_documents``:

- ``drop``: every kept line is rejected with ``document_language`` and the evidence (the
  language and its share);
- ``keep``: kept as it is, in its own language: its lines are not fragments, nothing is
  translated and it gives no sentence pairs;
- ``translate``: every line not in the target becomes a fragment in the document's language
  (lines too short to identify included), translated like any other; its sentence pairs say
  that their French is machine output. When a translator is at hand and no package translates
  the language, the document is dropped instead (``document_language``, ``problem:
  no_package``): a German page left in German is not French text.
"""

from __future__ import annotations

from typing import Any

from .. import reasons
from ..config import LanguageConfig
from ..document import Document, Line, Span
from ..script import count_letters
from .base import Stage
from .stray_language import UNDETERMINED

DROP, KEEP, TRANSLATE = "drop", "keep", "translate"
#: Languages whose text the stray-language stage finds by script, not by language ID: in such a
#: document a line without CJK letters is not in the document's language.
SCRIPT_LANGUAGES = frozenset({"zh", "ja", "ko"})
NO_PACKAGE = "no_package"


def other_language(doc: Document, config: LanguageConfig) -> tuple[str, float] | None:
    """(language, share) when ``doc`` is in a language other than the target, else None."""
    lang = doc.metadata.get("lang", UNDETERMINED)
    if lang in (config.target, UNDETERMINED):
        return None
    share = doc.metadata.get("lang_shares", {}).get(lang, 0.0)
    return (lang, share) if share >= config.document_min_share else None


class DocumentLanguageRouter(Stage):
    """Sends each document in another language down ``[language] other_documents``."""

    name = "document_language"

    def __init__(self, config: LanguageConfig | None = None, translator: Any = None) -> None:
        super().__init__()
        self.config = config or LanguageConfig()
        #: With a translator, ``translate`` checks that some package serves the language.
        self.translator = translator

    def process(self, doc: Document) -> None:
        found = other_language(doc, self.config)
        if found is None:
            return
        lang, share = found
        route = self.config.other_documents
        evidence: dict[str, Any] = {"lang": lang, "share": share}
        if route == TRANSLATE and self._untranslatable(lang):
            route = DROP
            evidence["problem"] = NO_PACKAGE
        doc.metadata["route"] = route
        self.counts[f"documents_{lang}_{route}"] += 1
        kept = [line for line in doc.lines if line.kept]
        if route == DROP:
            for line in kept:
                line.spans = ()
                line.drop(reasons.DOCUMENT_LANGUAGE, **evidence)
            self.counts[reasons.DOCUMENT_LANGUAGE] += len(kept)
        elif route == KEEP:
            for line in kept:
                line.spans = ()  # the document's own language: nothing stray in it
        else:
            for line in kept:
                self._mark_for_translation(line, lang)

    def _untranslatable(self, lang: str) -> bool:
        return (
            self.translator is not None and self.translator.route(lang, self.config.target) is None
        )

    def _mark_for_translation(self, line: Line, lang: str) -> None:
        """Make the line a fragment in ``lang`` unless it is already one, in the target, or
        holds no letters (or no CJK letters in a CJK document)."""
        if line.spans or line.lang == self.config.target or lang in SCRIPT_LANGUAGES:
            return
        if count_letters(line.text) == 0:
            return
        line.spans = [Span(0, len(line.text), line.text, lang, kind="line")]
        self.counts[f"lines_{lang}_to_translate"] += 1
