"""Splitting French paragraphs into sentences (for the French/English parallel corpus).

A boundary is a ``.``, ``!``, ``?`` or ``…`` (with any closing quotes or brackets after it),
then a space, then something that can start a sentence: a capital, a digit, an opening quote,
parenthesis or dash. It is not a boundary when the word before the full stop is a known
abbreviation (``M.``, ``Mme``, ``p. ex.``, ``janv.``, ``Inc.``…) or an initial (``J.-P.``,
``A.``), or when the punctuation closes a quotation that the sentence goes on after
(``« Pourquoi ? » demande-t-il.``).

Why a small splitter of our own rather than a library: on French news (FIELD_NOTES) pysbd
measured F1 0.945 at 0.48 MB/s, NLTK's punkt 0.896, sentencex 0.940; rules with a French
abbreviation list measured 0.998. ``tests/bench/segment_eval.py`` measures this one on
``tests/data/sentences_fr.jsonl`` (see the README).
"""

from __future__ import annotations

import regex

#: Abbreviations after which a full stop never ends a sentence (compared case-sensitively,
#: without the final full stop, after any elided article: "l'art." is "art").
ABBREVIATIONS = frozenset(
    """
    M MM Mme Mmes Mlle Mlles Me Mgr Dr Drs Pr Pres St Ste Sts Stes
    art Art al chap Chap vol Vol fig Fig éd p pp ex cf Cf env Env n no No nos
    av Av apr J.-C boul bd ch tél Tél min max vs
    """.split()
)
#: Abbreviations that often end a sentence too (a company suffix, a month): their full stop
#: ends the sentence only before a word that typically starts one ("Le", "Il", "Selon"…).
#: Dotted acronyms (S.N.C.F.) are treated the same way. "etc." is in neither list: when it does
#: not end the sentence, the next word is in lower case anyway.
AMBIGUOUS_ABBREVIATIONS = frozenset(
    """
    Inc Ltd Corp Co Cie SA S.A SAS Sarl jan janv fév févr avr juil sept oct nov déc
    """.split()
)
SENTENCE_STARTERS = frozenset(
    """
    Le La Les L Un Une Des Il Elle Ils Elles On Nous Vous Je Ce Cette Ces Cet Son Sa Ses
    Leur Leurs Mais Et Or Donc Selon Pour Dans En Au Aux Du De Depuis Après Avant Lors
    C Ça Cela Ceci Aucun Aucune Chaque Tout Tous Toute Toutes Pourtant Ainsi Enfin Puis
    Alors Par Sur Si Quand The A This It
    """.split()
)

_CLOSERS = "»”\"')\\]’"
_OPENERS = '«“"(\\[—–-'
# Terminal punctuation, closers, spaces; then (looking ahead) a sentence start.
_BOUNDARY = regex.compile(
    rf"(?P<end>\.\.\.|[.!?…]+)(?P<close>[\s\u00a0\u202f]*[{_CLOSERS}]+)?(?P<space>\s+)"
    rf"(?=[{_OPENERS}]?\s*[\p{{Lu}}\p{{N}}])"
)
_WORD_BEFORE = regex.compile(r"(\S+)$")
_ELISION = regex.compile(r"^\p{L}{1,2}['’]")
_INITIAL = regex.compile(r"^\p{Lu}(?:\.-\p{Lu})?$")  # "A", "J.-P"
_ACRONYM = regex.compile(r"^(?:\p{Lu}\.){1,}\p{Lu}$")  # "S.N.C.F", "U.S.A"
_NEXT_WORD = regex.compile(r"[«“\"(\[—–-]?\s*([\p{L}]+)")


def split_sentences(paragraph: str) -> list[str]:
    """The sentences of ``paragraph``, in order, stripped; joined with single spaces they give
    the paragraph back (up to spacing)."""
    text = paragraph.strip()
    if not text:
        return []
    out = []
    start = 0
    for m in _BOUNDARY.finditer(text):
        if not _is_boundary(text, m):
            continue
        cut = m.start("space")
        sentence = text[start:cut].strip()
        if sentence:
            out.append(sentence)
        start = m.end()
    tail = text[start:].strip()
    if tail:
        out.append(tail)
    return out


def _is_boundary(text: str, m: regex.Match) -> bool:
    if m.group("end") != "." or m.group("close"):
        return True
    before = _WORD_BEFORE.search(text, 0, m.start("end"))
    word = before.group(1) if before else ""
    # drop an opening quote or bracket and an elided article: "(env", "l'art", "d’env"
    word = _ELISION.sub("", word.lstrip("(«“\"'"))
    if word in ABBREVIATIONS:
        return False
    if word in AMBIGUOUS_ABBREVIATIONS or _ACRONYM.match(word):
        following = _NEXT_WORD.match(text, m.end())
        return bool(following) and following.group(1) in SENTENCE_STARTERS
    if _INITIAL.match(word):  # "A." "J.-P."
        return False
    return True
