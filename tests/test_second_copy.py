"""Stage 2: second copy, title and source."""

import pytest

from cleaner import SecondCopyConfig, reasons
from cleaner.document import ROLE_TITLE
from cleaner.stages.second_copy import (
    SecondCopyFilter,
    char_similarity,
    content_key,
    match_byline,
)
from tests.conftest import make_doc

A = [
    "Le conseil municipal de Lanval a voté mardi soir le budget de la nouvelle médiathèque.",
    "Le projet, estimé à 4,2 millions d’euros, doit ouvrir ses portes au printemps 2026.",
    "Contexte",
    "L’opposition dénonce un coût jugé excessif au regard des finances de la commune.",
    "Le maire assure que les subventions régionales couvriront près de la moitié du montant.",
    "Réactions",
    "Les associations de lecteurs saluent un équipement attendu depuis dix ans.",
]
TITLE = "Lanval : la médiathèque votée malgré l’opposition"


def run(lines, config=None):
    doc = make_doc(*lines)
    stage = SecondCopyFilter(config, is_boilerplate=lambda t: t == "Voir l'original")
    stage.process(doc)
    return doc, stage


def test_drops_second_copy_and_lifts_title_and_source():
    page = (
        A + ["Voir l'original", TITLE, "Source : Agence Lanval Presse"] + [A[0], A[1], A[3], A[6]]
    )
    doc, stage = run(page)
    got = [(ln.number, ln.reason) for ln in doc.lines if not ln.kept]
    assert got == [
        (10, reasons.SOURCE_METADATA),
        (11, reasons.DUPLICATE_COPY),
        (12, reasons.DUPLICATE_COPY),
        (13, reasons.DUPLICATE_COPY),
        (14, reasons.DUPLICATE_COPY),
    ]
    assert doc.lines[10].detail == {"repeats_line": 1}
    assert doc.lines[13].detail == {"repeats_line": 7}
    assert doc.lines[8].role == ROLE_TITLE and doc.lines[8].kept
    assert doc.metadata["title"] == TITLE
    assert doc.metadata["source"] == "Agence Lanval Presse"
    assert doc.metadata["second_copy_at_line"] == 11
    assert stage.counts[reasons.DUPLICATE_COPY] == 4


def test_repeats_that_differ_by_whitespace_punctuation_or_case_are_repeats():
    variant = (
        "  le conseil municipal de lanval a voté mardi soir le budget de la nouvelle médiathèque "
    )
    doc, _ = run(A + [variant, A[1]])
    assert doc.lines[7].reason == reasons.DUPLICATE_COPY
    assert content_key(variant) == content_key(A[0])


def test_near_identical_repeat_is_a_repeat_with_its_similarity():
    near = A[3].replace("excessif", "démesuré")
    doc, _ = run(A + [A[0], A[1], near])
    line = doc.lines[9]
    assert line.reason == reasons.DUPLICATE_COPY
    assert line.detail["repeats_line"] == 4
    assert 0.8 <= line.detail["similarity"] < 1.0


def test_short_distinct_line_with_the_same_words_is_not_a_near_identical_repeat():
    # Inside a second copy (exact repeats on both sides), a short line holding the same words
    # as a line of the first copy, in another order, says something else: it stays.
    first = "Le Sénat a rejeté le texte voté par l'Assemblée"
    other = "L'Assemblée a rejeté le texte voté par le Sénat"
    doc, _ = run([A[0], first, A[1], A[3], A[0], other, A[1]])
    assert doc.lines[5].kept
    assert [ln.reason for ln in doc.lines[4:]] == [
        reasons.DUPLICATE_COPY,
        None,
        reasons.DUPLICATE_COPY,
    ]


def test_near_identical_repeat_records_both_similarities():
    near = A[3].replace("excessif", "démesuré")
    doc, _ = run(A + [A[0], A[1], near])
    detail = doc.lines[9].detail
    assert detail["similarity"] >= 0.8 and detail["char_similarity"] >= 0.8


def test_character_similarity_counts_the_longest_common_subsequence():
    # "bcb" and "cab" share "cb" in order (c then b in both): 2 characters of each, 4 of 6.
    # (A greedy match of the longest common block first takes the first "b" of "bcb" with
    # the "b" of "cab" and has nothing left to match: 2 of 6.)
    assert char_similarity("bcb", "cab") == pytest.approx(4 / 6)
    # The same words in another order: "le sénat a voté" and "a voté le sénat" have at most
    # "le sénat" in common in order (8 characters of each; "a voté" is only 6): 16 of 30.
    assert char_similarity("le sénat a voté", "a voté le sénat") == pytest.approx(16 / 30)
    assert char_similarity("identique", "identique") == 1.0


def test_near_identical_lines_in_a_document_without_copy_are_kept():
    # No exact repeat, so no second copy: two similar sentences of the article both stay.
    near = A[3].replace("excessif", "démesuré")
    doc, _ = run(A + [near])
    assert all(ln.kept for ln in doc.lines)


def test_short_heading_repeated_inside_the_article_stays():
    page = A + [
        "Une phrase nouvelle sur le calendrier des travaux de la médiathèque.",
        "Contexte",
        "Encore une phrase nouvelle sur le financement régional du projet.",
    ]
    doc, _ = run(page)
    assert all(ln.kept for ln in doc.lines)


def test_a_heading_listed_above_the_article_stays_in_it():
    # a table of contents (or a "related" box, a breadcrumb) above the article lists a long
    # heading of it: the heading in place repeats the list's line, alone (its neighbours
    # repeat nothing); a copy of the article would repeat its paragraphs too
    heading = "Pourquoi la médiathèque coûte-t-elle si cher à la commune"
    page = ["Sommaire", heading, "Les réactions des habitants", *A[:2], heading, *A[3:5]]
    doc, stage = run(page)
    assert all(ln.kept for ln in doc.lines)
    assert stage.counts["lone_heading_repeats_kept"] == 1


def test_a_sentence_repeated_alone_is_still_dropped():
    # a long line ending a sentence is no heading: a pull quote repeating a paragraph goes
    doc, _ = run([*A, "Une phrase nouvelle sur le calendrier.", A[3]])
    assert doc.lines[8].reason == reasons.DUPLICATE_COPY


def test_short_heading_inside_a_repeated_block_is_dropped():
    page = A + [A[1], "Contexte", A[3]]
    doc, _ = run(page)
    assert [ln.reason for ln in doc.lines[7:]] == [reasons.DUPLICATE_COPY] * 3


def test_title_is_not_taken_from_chrome_or_sentences():
    # The line before the copy is chrome: no title.
    doc, _ = run(A + ["Voir l'original"] + A[:2])
    assert "title" not in doc.metadata
    # A sentence ending with a period is not a title.
    doc, _ = run(A + ["Ceci est la dernière phrase de l’article, pas un titre."] + A[:2])
    assert "title" not in doc.metadata


def test_a_repeated_menu_is_dropped_but_is_no_copy_with_a_title():
    # a site's menu written twice at the top (its mobile and desktop versions): the repeats
    # go, but they hold no sentence of the article, so the line above them is no title
    menu = ["Facebook Twitter Youtube Rss Instagram Envelope", "Rechercher"]
    doc, stage = run(["Aller au contenu", *menu, *menu, "Politique", TITLE, *A])
    assert [ln.reason for ln in doc.lines[3:5]] == [reasons.DUPLICATE_COPY] * 2
    assert "title" not in doc.metadata and "second_copy_at_line" not in doc.metadata
    assert all(ln.kept for ln in doc.lines[5:])


def test_title_not_taken_when_copy_does_not_restart_from_the_top():
    doc, _ = run(A + [TITLE] + A[4:6] + ["x"])
    assert "title" not in doc.metadata


def test_bylines_and_source_lines():
    assert match_byline("Source : Nouveau Zhiyuan") == "Nouveau Zhiyuan"
    assert match_byline("Sources: AFP, Reuters") == "AFP, Reuters"
    assert match_byline("Par Jeanne Martin") == "Jeanne Martin"
    assert match_byline("par Jean-Luc Dupont et Marie Curie") == "Jean-Luc Dupont et Marie Curie"
    assert match_byline("Par ailleurs, le maire a démissionné.") is None
    assert match_byline("Ressources :") is None


def test_disabled():
    doc, _ = run(A + A, SecondCopyConfig(enabled=False, extract_source=False))
    assert all(ln.kept for ln in doc.lines)
