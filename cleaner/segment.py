"""Splitting French paragraphs into sentences (for the French/English parallel corpus).

A boundary is a ``.``, ``!``, ``?`` or ``…`` (with any closing quotes or brackets after it),
then a space, then something that can start a sentence: a capital, a digit, an opening quote,
parenthesis or dash. Whether a full stop after an abbreviation ends the sentence is decided
from the word and from what follows it, not from the word alone: a title (``M.``, ``Mme``,
``Mr.``) never; ``art.``, ``vol.``, ``p.`` not before a number, but ``Art.`` and ``vol.`` are
ordinary words too ("School of Art. « J'adorais…"); ``Inc.``, ``janv.``, ``J.-C.`` and dotted
acronyms only before a word that starts sentences; a single capital is an initial before a
name (``J. Dupont``, ``J. Le Pen``) but ends the sentence before "De nombreux" or "Une"
(``2° C.``, ``Mac OS X.``), and never before another initial (``A. A. Dupont``). A word
glued after an opening bracket is read without what precedes it (``envoyés[p. 90]``). A list
item's number does not end a sentence (``2. Toute
personne``, ``* 1. D'origine``), nor does punctuation that closes a quotation the sentence goes on after
(``« Pourquoi ? » demande-t-il.``). A bullet starts a segment, whatever ends the text before
it (a list flattened into one line: ``Symptômes * langage spontané * volume vocal abaissé``).
A hashtag, a handle, a URL, a credit's ``©`` or a cut quotation's ``[…]`` can start a
sentence; an emoticon (``;)``) ends one, and an emoji after the punctuation stays with it.

Why a small splitter of our own rather than a library: on French news (FIELD_NOTES) pysbd
measured F1 0.945 at 0.48 MB/s, NLTK's punkt 0.896, sentencex 0.940; rules with a French
abbreviation list measured 0.998. ``tests/bench/segment_eval.py`` measures this one against
pysbd and sentencex on the sets written for the project and on paragraphs of a UD French
treebank's train split (see the README).
"""

from __future__ import annotations

import regex

#: Titles: their full stop never ends a sentence (compared case-sensitively, without the final
#: full stop). English ones too: French news quotes "Mr. Angel".
TITLES = frozenset(
    """
    M MM Mme Mmes Mlle Mlles Me Mgr Dr Drs Pr Pres St Ste Sts Stes Mr Mrs Ms Messrs Prof
    """.split()
)
#: Abbreviations that stand before a number (l'art. 12, vol. 3, p. 45, n° / no 7): before a
#: number or a Roman numeral their full stop never ends a sentence. Before anything else it does
#: when the word is also an ordinary word (ORDINARY_WORDS: "School of Art.", "le vol."), and
#: does not otherwise (fig. A).
BEFORE_NUMBER = frozenset(
    """
    art Art chap Chap vol Vol fig Fig p pp n no No nos éd al
    """.split()
)
ORDINARY_WORDS = frozenset("art Art vol Vol no No".split())
#: Other abbreviations after which a full stop never ends a sentence (compared after any elided
#: article: "l'env." is "env").
ABBREVIATIONS = frozenset(
    """
    ex cf Cf env Env av Av apr boul bd ch tél Tél vs
    """.split()
)
#: Abbreviations that often end a sentence too (a company suffix, a month, "J.-C."): their full
#: stop ends the sentence only before a word that typically starts one ("Le", "Il", "Selon"…).
#: Dotted acronyms (S.N.C.F.) are treated the same way. "etc." is in no list: when it does not
#: end the sentence, the next word is in lower case anyway.
AMBIGUOUS_ABBREVIATIONS = frozenset(
    """
    Inc Ltd Corp Co Cie SA S.A SAS Sarl jan janv fév févr avr juil sept oct nov déc J.-C
    min max Cass civ crim v
    """.split()
)
SENTENCE_STARTERS = frozenset(
    """
    Le La Les L Un Une Des Il Elle Ils Elles On Nous Vous Je Ce Cette Ces Cet Son Sa Ses
    Leur Leurs Mais Et Or Donc Selon Pour Dans En Au Aux Du De Depuis Après Avant Lors
    C Ça Cela Ceci Aucun Aucune Chaque Tout Tous Toute Toutes Pourtant Ainsi Enfin Puis
    Alors Par Sur Si Quand The A This It À Avec Comme Cependant Toutefois Néanmoins Parmi
    Pendant Malgré Entre Jusqu Lorsque Ensuite Certains Certaines Plusieurs Quant Outre
    """.split()
)
#: Words that start a surname after an initial (J. Le Pen, C. De Gaulle): before one of them and
#: a capitalised word, a single capital is an initial, not a word ending a sentence.
NAME_PARTICLES = frozenset("Le La Les De Du Des Van Von Da Di Del Della".split())

_CLOSERS = "»”\"')\\]’"
#: Marks a list item starts with ("* 1. D'origine chinoise…", "• Les chiffres", "□ 2. Le droit").
_BULLETS = "*•·▪□■●◦▸‣"
_OPENERS = '«“"(\\[' + _BULLETS + ">►▶→—–-"
# Pictographs (emoji) and their joiners: after a sentence's punctuation they stay with it
# ("la carte épique ! 🚀 Continue"). "©", "®" and "™" are not among them: "©" starts a credit.
_PICTOGRAPHS = "\U0001f000-\U0001faff\u2600-\u27bf\u2b00-\u2bff\ufe0f\u200d"
# Terminal punctuation (or an emoticon after a space: "un bon documentaire ;) Je dis"),
# closers, pictographs, spaces; then (looking ahead) a sentence start: a capital, a digit, a
# hashtag or a handle ("!! #TurkishAirlinesHelpSomalia", "@Elysee"), a credit's "©", a URL, an
# elision mark ("[…] La suite"; the one in brackets ends nothing).
# A match starts only at the first mark of a run of punctuation, and its quantifiers never
# give back (possessive): a run of 20,000 full stops, or of spaces, is read once, not once
# per position in it.
_BOUNDARY = regex.compile(
    rf"(?<![.!?…\[(])(?P<end>\.\.\.(?![.!?…])|[.!?…]++|(?<=\s)[:;]-?[()D])"
    rf"(?P<close>[\s\u00a0\u202f]*+[{_CLOSERS}]++)?(?P<emoji>(?:\s*+[{_PICTOGRAPHS}]++)++)?"
    rf"(?P<space>\s++)(?=[{_OPENERS}]?\s*+(?:[\p{{Lu}}\p{{N}}#@©]|https?://|www\.|\[(?:…|\.\.\.)\])"
    rf"|(?P<lower>\p{{Ll}}))"
)
#: Verbs of saying that carry on a sentence after its "?" or "!" ("Vraiment ? demanda-t-il",
#: "Quelle idée ! lui répondit Paul", "Et après ? s'interroge le maire").
_INCISE = regex.compile(
    r"(?:(?:me|te|lui|nous|vous|leur|se|s['’])\s*)?"
    r"(?:dit|dis|disait|demand\w*|répon\w*|exclam\w*|écri\w*|lan[cç]\w*|ajout\w*|poursui\w*"
    r"|continu\w*|repri\w*|reprend\w*|fit|fait|murmur\w*|souffl\w*|cri\w*|hurl\w*|interrog\w*"
    r"|insist\w*|expliqu\w*|conclu\w*|rétorqu\w*|ironis\w*|not\w*|relev\w*|relèv\w*|étonn\w*"
    r"|agac\w*|lâch\w*|tranch\w*|assur\w*|affirm\w*|précis\w*|confi\w*|gliss\w*|racont\w*"
    r"|résum\w*|estim\w*|déclar\w*|comment\w*|plaisant\w*|sourit|souri\w*|s['’]\w+"
    r"|soulign\w*|rappel\w*|martèl\w*|martel\w*|reconn\w*|félicit\w*|tonn\w*|dénonc\w*"
    r"|indiqu\w*|prévi\w*|avert\w*|observ\w*|remarqu\w*|signal\w*|annonc\w*|jur\w*"
    r"|promet\w*|promi\w*|plaid\w*|object\w*|protest\w*|regrett\w*|déplor\w*|avou\w*"
    r"|admet\w*|admi\w*|soupir\w*|chuchot\w*|répét\w*|répèt\w*|questionn\w*|tempêt\w*"
    r"|fulmin\w*|analys\w*|complét\w*|complèt\w*|nuanc\w*|assèn\w*|alert\w*|ri|rit)\b"
)
#: Words that carry a sentence on after its "!" or "?": a conjunction ("forcément ! puisque",
#: "non ? et"), or a verb whose subject is what the mark ends ("Qui veut gagner des millions ?
#: est revenu", "Yahoo ! a annoncé").
_CONJUNCTION = regex.compile(
    r"(?:et|ou|mais|donc|car|puisque?|parce|lorsque?|quand|comme|si|sinon|alors|ni|tandis"
    r"|sauf|pourtant|quoique?|bien|même|surtout|voire|ainsi"
    r"|est|a|sont|ont|était|avait|étaient|avaient|sera|aura|seront|auront|fut|eut|reste"
    r"|restent|semble|devient|revient|revenu)\b(?!-)"
)
#: Interjections: "Ah ! que", "Oh ! non", "Ô rage ! ô désespoir" go on after their mark.
_INTERJECTIONS = frozenset("ah oh ô eh hé hein hélas bah ha ho aïe ouf euh hum hem".split())
#: How far back an open bracket or quotation is looked for.
_LOOK_BACK_QUOTE = 2000
#: A word glued to its "!" and starting with a capital is a name ("Yahoo! a annoncé").
_NAME_WITH_BANG = regex.compile(r"(?:^|\s)\p{Lu}[\p{L}\d]*!$")
# The spaces before a bullet that starts an item, whatever ends the text before it: "Symptômes
# * langage spontané", "un bref aperçu □ 1. La liberté" (a flattened list is one item a
# segment).
# (not after a number, and only before a list number, a word, a "+ word" item, a range of
# shares "81–90%" or a run of bullets ending the text "* * *": not in "5 * 3 = 15",
# "(a + b) * c", "x * 100 %", "oui · 52 %", "Note : * * * sur 5")
_ITEM_START = regex.compile(
    rf"(?<=[^\s\d{_BULLETS}])\s++(?=[{_BULLETS}]\s+(?:\d{{1,3}}[.)]|\p{{Lu}}[.)]|\p{{L}}{{2}}"
    rf"|\+\s+\p{{L}}{{2}}|\d{{1,3}}[–-]\d{{1,3}}\s?%|[{_BULLETS}](?:\s+[{_BULLETS}])+\s*$))"
)
_WORD_BEFORE = regex.compile(r"(\S+)$")
_ELISION = regex.compile(r"^\p{L}{1,2}['’]")
_INITIAL = regex.compile(r"^(?:\p{Lu}|Ph|Th|Ch)(?:\.-\p{Lu})?$")  # "A", "J.-P", "Ph" (Philippe)
_ACRONYM = regex.compile(r"^(?:\p{Lu}\.){1,}\p{Lu}$")  # "S.N.C.F", "U.S.A"
_INITIAL_NEXT = regex.compile(r"\p{Lu}(?:\.-\p{Lu})?\.\s")  # the next word is an initial too
_NEXT_WORD = regex.compile(r"[«“\"(\[—–-]?\s*([\p{L}\p{N}]+)(?:\s+(\p{L}+))?")
_NUMBER = regex.compile(r"^(?:\d+|[IVXLC]+)$")
# A list item's number or letter: "1", "12", "a", "IV" (then "1. Toute personne…" is one
# sentence).
_LIST_MARKER = regex.compile(r"^(?:\d{1,3}|[a-z]|[IVX]{1,4})$")
# The same after a bullet, ending what came before: "Notes * 1" (not after a bracket: "sa
# maison [4." is a note's call ending a sentence)
_MARKED_ITEM = regex.compile(rf"(?<!\S)[{_BULLETS}]\s*(?:\d{{1,3}}|[a-zA-Z]|[IVX]{{1,4}})$")
#: How far before a full stop the word before it, a list marker or a marked item is looked
#: for: a fixed window, so that a paragraph of many abbreviations is read in linear time.
_LOOK_BACK = 64


def split_sentences(paragraph: str) -> list[str]:
    """The sentences of ``paragraph``, in order, stripped; joined with single spaces they give
    the paragraph back (up to spacing)."""
    text = paragraph.strip()
    if not text:
        return []
    if any(bullet in text for bullet in _BULLETS):
        return [s for item in _ITEM_START.split(text) for s in _sentences(item)]
    return _sentences(text)


def _sentences(text: str) -> list[str]:
    out = []
    start = 0
    for m in _BOUNDARY.finditer(text):
        if not _is_boundary(text, m, start):
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


def _is_boundary(text: str, m: regex.Match, start: int) -> bool:
    """Whether the punctuation ``m`` ends the sentence that began at ``start``: decided from
    the word before a full stop and from what follows it."""
    if m.group("lower"):  # a small letter after "!" or "?" in chat and comments: "possible ! c'est"
        return _lower_after_bang(text, m, start)
    if m.group("end") != "." or m.group("close"):
        return True
    end = m.start("end")
    if end - start <= 8 and _LIST_MARKER.match(text[start:end].strip()):
        return False  # "2. Toute personne…": a list item's number starts the sentence
    if _MARKED_ITEM.search(text, max(start, end - 12), end):
        return False  # "Notes * 1. D'origine…": so does a number after a bullet
    before = _WORD_BEFORE.search(text, max(start, end - _LOOK_BACK), end)
    word = before.group(1) if before else ""
    # drop what an opening bracket glues before the word ("envoyés[p. 90]"), an opening quote
    # or bracket and an elided article: "(env", "l'art", "d’env"
    word = word.rsplit("[", 1)[-1].rsplit("(", 1)[-1]
    word = _ELISION.sub("", word.lstrip("(«“\"'"))
    following = _NEXT_WORD.match(text, m.end())
    nxt = following.group(1) if following else ""
    if word in TITLES or word in ABBREVIATIONS:
        return False
    if word in BEFORE_NUMBER:
        if _NUMBER.match(nxt):
            return False
        return word in ORDINARY_WORDS
    if word in AMBIGUOUS_ABBREVIATIONS or _ACRONYM.match(word):
        return nxt in SENTENCE_STARTERS
    if _INITIAL.match(word):  # "A." "J.-P.": an initial before a name
        if _INITIAL_NEXT.match(text, m.end()):
            return False  # another initial: "A. A. Dupont", "J. R. R. Tolkien"
        return _ends_on_a_letter(nxt, following.group(2) if following else None)
    return True


def _lower_after_bang(text: str, m: regex.Match, start: int) -> bool:
    """Whether a "!" or "?" before a word in small letters ends the sentence: not after a
    closing quote or bracket ("« Au secours ! » et", "(sic !) et") nor an ellipsis, not
    inside a bracket or a quotation still open ("(j'ai dit certains !! peut-être)"), not
    before a verb of saying ("Vraiment ? demanda-t-il"), a conjunction or a verb whose subject
    it ends ("… des millions ? est revenu"), not after an interjection ("Ah ! que") or a name
    ("Yahoo! a")."""
    end = m.group("end")
    if m.group("close") or end.strip("!?") or m.group("emoji"):
        return False
    at = m.start("end")
    since = max(0, at - _LOOK_BACK_QUOTE)  # a quotation may hold several sentences
    for opening, closing in ("()", "«»"):
        if text.count(opening, since, at) > text.count(closing, since, at):
            return False
    if _CONJUNCTION.match(text, m.end()):  # "forcément ! puisque plusieurs membres"
        return False
    words = text[start:at].split()
    if len(words) <= 3 and words and words[0].strip('«“"(').casefold() in _INTERJECTIONS:
        return False
    if _INCISE.match(text, m.end()):
        return False
    return not _NAME_WITH_BANG.search(text, max(0, m.start("end") - 40), m.start("end") + 1)


def _ends_on_a_letter(nxt: str, after: str | None) -> bool:
    """After a single capital and its full stop: whether the capital ends the sentence (a word
    such as "2° C." or "Mac OS X." before "De nombreux", "Une") rather than being an initial
    (before a name: "J. Dupont", "J. Le Pen")."""
    if nxt not in SENTENCE_STARTERS:
        return False
    return not (nxt in NAME_PARTICLES and after is not None and after[:1].isupper())
