"""A text browser's marks (lynx, w3m) out of the article: what a person reads as marks, not
text, goes; a bracketed text of words stays."""

from __future__ import annotations

import pytest

import cleaner
from cleaner import Config, reasons
from cleaner.stages.browser_marks import BrowserMarkFilter
from tests.conftest import make_doc


@pytest.mark.parametrize(
    "line, rule",
    [
        ("[modifier | modifier le code]", "text_browser_mark"),
        ("[Bearbeiten | Quelltext bearbeiten]", "text_browser_mark"),
        ("[IMG]", "text_browser_mark"),
        ("[unsplash-G-jzc1YTk4M]", "text_browser_mark"),
        ("[photo_une.jpg?itok=8bo28U_4] [logo.png]", "text_browser_mark"),
        ("[117]", "text_browser_mark"),
        ("[ Télécharger ]", "text_browser_mark"),
        ("[INS: :INS]", "text_browser_mark"),
        ("(BUTTON) Refuser (BUTTON) Accepter", "text_browser_button"),
        (
            "IFRAME: https://www.googletagmanager.com/ns.html?id=GTM-KLNB5Z" + "&x=1" * 30,
            "text_browser_iframe",
        ),
        ("_" * 66, "no_letters"),
        ("━" * 80, "no_letters"),  # a table's rule as w3m draws it
        ("  ─── ═══ ───", "no_letters"),
    ],
)
def test_a_line_of_marks_only_is_dropped(line, rule):
    doc = make_doc(line)
    BrowserMarkFilter().process(doc)
    assert (doc.lines[0].reason, doc.lines[0].detail) == (reasons.SCRAPER_LEFTOVER, {"rule": rule})


@pytest.mark.parametrize(
    "line",
    [
        "[Engadget]",  # a bracketed name: an article's list of sources
        "[What you need to know to start the day: Get New York Today in your inbox.]",
        "[Alden: Et tu, Lexi?]",
        "[…] la commission a rendu son avis mardi.",
        "Il a quitté la réunion avant la fin, selon plusieurs participants.",
        "- le conseil municipal a voté le budget de la médiathèque, après un long débat.",
    ],
)
def test_what_is_no_mark_stays_as_it_is(line):
    doc = make_doc(line)
    BrowserMarkFilter().process(doc)
    assert doc.lines[0].kept and doc.lines[0].text == line


def test_a_button_with_a_heading_for_label_keeps_its_label():
    doc = make_doc(
        "(BUTTON) 4Justifier de garanties d'assurance couvrant sa responsabilité civile",
        "(BUTTON) Voir en plein écran Au départ du port de Brest se sont élancés six voiliers.",
    )
    BrowserMarkFilter().process(doc)
    assert [(ln.kept, ln.text) for ln in doc.lines] == [
        (True, "4Justifier de garanties d'assurance couvrant sa responsabilité civile"),
        (True, "Voir en plein écran Au départ du port de Brest se sont élancés six voiliers."),
    ]


# Each case read by hand: the lines, the lines as they should come out, and how many link
# numbers go.
LINK_NUMBER_CASES = {
    # the numbers glued to a word or raised after it go, the words stay; a number set apart
    # from the next word, or a bracketed text of words, is no link's
    "glued or raised": (
        [
            "La crue de la [12]Sorne a touché [13]Delémont et [14]Courroux, selon la préfecture^[1].",
            "Les digues n'avaient jamais été renforcées^[2]^,^[3] faute de crédits.",
            "Une note [4] détachée du mot qui suit reste, comme [réf. nécessaire].",
        ],
        [
            "La crue de la Sorne a touché Delémont et Courroux, selon la préfecture.",
            "Les digues n'avaient jamais été renforcées faute de crédits.",
            "Une note [4] détachée du mot qui suit reste, comme [réf. nécessaire].",
        ],
        6,
    ),
    # a work's first edition in brackets stays; a four-digit link number glued to its link's
    # word still goes
    "a year in brackets": (
        [
            "« Il est de ceux qui espèrent » (Proust 1988 [1919], p. 219), comme Lakoff (1976 [1963]).",
            "[2001], p. 115), « nettement détaché » : la note [1043]Contact en bas de page.",
        ],
        [
            "« Il est de ceux qui espèrent » (Proust 1988 [1919], p. 219), comme Lakoff (1976 [1963]).",
            "[2001], p. 115), « nettement détaché » : la note Contact en bas de page.",
        ],
        1,
    ),
    # a call set off by a space goes with the space before a full stop, a comma or a parenthesis
    "a call after a space": (
        [
            "Les émotions négatives [2]. Cultiver l'espoir aide\u202f[10], selon l'étude (p. 3 [4]).",
            "Une note [4] détachée du mot qui suit reste.",
        ],
        [
            "Les émotions négatives. Cultiver l'espoir aide, selon l'étude (p. 3).",
            "Une note [4] détachée du mot qui suit reste.",
        ],
        3,
    ),
}


@pytest.mark.parametrize(
    "lines,expected,removed", LINK_NUMBER_CASES.values(), ids=LINK_NUMBER_CASES
)
def test_link_numbers_are_taken_out_of_the_words(lines, expected, removed):
    doc = make_doc(*lines)
    stage = BrowserMarkFilter()
    stage.process(doc)
    assert [ln.text for ln in doc.lines] == expected
    assert all(ln.kept for ln in doc.lines)
    assert stage.counts["link_numbers_removed"] == removed


# A lynx dump's article with its marks: an image, an edit link, a button, a frame, the link
# numbers of its list of links on
DUMP = [
    "Accueil",
    "La crue de la Sorne inquiète les riverains",
    "[crue-sorne.jpg]",
    "La Sorne est sortie de son lit mardi matin après trois jours de pluie continue sur le "
    "massif, selon les services de la [12]préfecture, qui ont ouvert une cellule de crise.",
    "[modifier | modifier le code]",
    "Les pompiers ont évacué une vingtaine de maisons dans le quartier bas de la ville, et le "
    "maire a demandé la reconnaissance de l'état de catastrophe naturelle dès mercredi.",
    "IFRAME: https://www.youtube.com/embed/gMqZR3pqMjg",
    "« Nous n'avions jamais vu ça depuis 1999 », raconte une habitante installée depuis "
    "quarante ans au bord de la rivière, dont la cave a été inondée en moins d'une heure.",
    "(BUTTON) Partager",
]


def test_a_run_drops_the_marks_and_keeps_the_article():
    out = cleaner.clean_text("\n".join(DUMP) + "\n")
    assert "selon les services de la préfecture, qui ont ouvert" in out
    for mark in ("[crue-sorne.jpg]", "[modifier", "IFRAME:", "(BUTTON)", "[12]"):
        assert mark not in out
    assert "dont la cave a été inondée en moins d'une heure." in out


def test_switched_off_with_the_other_leftovers():
    config = Config().replace("boilerplate", leftovers=False)
    assert not any(isinstance(s, BrowserMarkFilter) for s in cleaner.Pipeline(config).stages)
    assert any(isinstance(s, BrowserMarkFilter) for s in cleaner.Pipeline(Config()).stages)


def test_a_line_a_dump_says_twice_in_a_row_is_kept_once():
    # an image's alt text then its link's words, and a headline printed twice, in a lynx dump
    # (its width recorded by the unwrapping, as a run records it)
    doc = make_doc(
        "Les jardins de Paris",
        "Parc Monceau",
        "Parc Monceau",
        "",
        "Le parc Monceau est un jardin public situé dans le 8e arrondissement de Paris, "
        "ouvert en 1861 après les travaux du baron Haussmann.",
        "Le parc Monceau est un jardin public situé dans le 8e arrondissement de Paris, "
        "ouvert en 1861 après les travaux du baron Haussmann.",
        "Parc Monceau",
    )
    doc.metadata["unwrapped"] = {"width": 74}
    BrowserMarkFilter().process(doc)
    # read by hand: the second "Parc Monceau" (line 3) and the paragraph's copy (line 6) go;
    # the last "Parc Monceau" is not right under its first copy, and stays
    dropped = [(ln.number, ln.reason, ln.detail) for ln in doc.lines if not ln.kept]
    assert dropped == [
        (3, reasons.DUPLICATE_COPY, {"repeats_line": 2}),
        (6, reasons.DUPLICATE_COPY, {"repeats_line": 5}),
    ]


def test_lines_said_twice_stay_outside_a_dump():
    # one paragraph a line, as a scraper writes a page: two equal cells of a table, a lead
    # printed twice on purpose, are the page's own
    doc = make_doc("Auckland", "Auckland", "Wellington")
    BrowserMarkFilter().process(doc)
    assert all(ln.kept for ln in doc.lines)
