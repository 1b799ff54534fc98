"""Hard-wrapped text (a text browser's dump) read back into paragraphs.

The pages are written here, wrapped by hand as lynx wraps them (three spaces of indent, lines
of at most 74 columns); what a test expects is what a person reads in them.
"""

from __future__ import annotations

import json

import cleaner
from cleaner import Config
from cleaner.io.unwrap import unwrap

# A dump as lynx writes it (wrapped here with textwrap, three spaces of indent): a menu, the
# headline, paragraphs cut at 74 columns, an image, a list in a box wrapped narrower (at 60)
# whose first item wraps, and a last paragraph
DUMP = """\
   Accueil
   Actualités
   Région

La crue de la Sorne inquiète les riverains

   La Sorne est sortie de son lit mardi matin après trois jours de pluie
   continue sur le massif, selon les services de la préfecture, qui ont
   ouvert une cellule de crise à la mairie. Les pompiers ont évacué une
   vingtaine de maisons dans le quartier bas de la ville.

   Le maire a demandé la reconnaissance de l'état de catastrophe naturelle
   dès mercredi matin, avant la visite du préfet.
   [crue-sorne.jpg]

   Les mesures prises par la préfecture :
     * la fermeture des routes départementales 12 et 14
       jusqu'à la fin de la semaine ;
     * l'ouverture d'un gymnase pour les familles évacuées.

   « Nous n'avions jamais vu ça depuis 1999 », raconte une habitante
   installée depuis quarante ans au bord de la rivière, dont la cave a été
   inondée en moins d'une heure, avant que les secours n'arrivent.

   La crue du XIX^e siècle, la plus forte, avait atteint le 1^er étage.
"""


def test_a_dump_is_read_back_into_paragraphs():
    lines, done = unwrap(DUMP.split("\n"))
    assert done is not None and done.width == 74
    kept = [line.strip() for line in lines if line.strip()]
    # read by hand: the menu and the headline stay lines of their own; each paragraph is one
    # line (a sentence ending inside a line changes nothing); the image after a paragraph
    # stays apart; each list item is one line, its continuation joined
    assert kept == [
        "Accueil",
        "Actualités",
        "Région",
        "La crue de la Sorne inquiète les riverains",
        "La Sorne est sortie de son lit mardi matin après trois jours de pluie continue sur le "
        "massif, selon les services de la préfecture, qui ont ouvert une cellule de crise à la "
        "mairie. Les pompiers ont évacué une vingtaine de maisons dans le quartier bas de la "
        "ville.",
        "Le maire a demandé la reconnaissance de l'état de catastrophe naturelle dès mercredi "
        "matin, avant la visite du préfet.",
        "[crue-sorne.jpg]",
        "Les mesures prises par la préfecture :",
        "* la fermeture des routes départementales 12 et 14 jusqu'à la fin de la semaine ;",
        "* l'ouverture d'un gymnase pour les familles évacuées.",
        "« Nous n'avions jamais vu ça depuis 1999 », raconte une habitante installée depuis "
        "quarante ans au bord de la rivière, dont la cave a été inondée en moins d'une heure, "
        "avant que les secours n'arrivent.",
        # lynx's carets before superscripts, taken out
        "La crue du XIXe siècle, la plus forte, avait atteint le 1er étage.",
    ]
    assert done.joined == 7  # 3 + 1 + 1 (the item) + 2
    assert done.superscripts == 2


# What a text browser's wrapping leaves that the first word alone does not tell: a word held
# to the next by a no-break space (which the browser does not break at, and prints as a
# space), an aside opened by a dash; and what is not a continuation: a capital after a
# sentence's end (a paragraph may end there), a tag indented deeper than the headline above
# it, a button
ASIDES = """\
   Le conseil municipal a voté mardi le budget de la ville, après un débat.
   Les travaux de la piscine commenceront au printemps, selon le maire, qui
   promet une réouverture en 2026.
   Publicité

   Le projet serait, selon l'adjointe aux finances, tout à fait
   « conceptuellement neutre » pour les comptes de la ville, qui restent
   fragiles, résume-t-elle en conclusion de la séance : une compulsion
   - on dépense sans compter - qu'il faudra bien un jour arrêter.

   Sécheresse : les éleveurs de la Manche inquiets pour leurs fourrages
      SOCIÉTÉ
   Emeline Férard, publié le 11 février 2022 à 18 heures, mis à jour hier
   (BUTTON) Sauvegarder l'article

   Les élus de l'opposition ont voté contre, en dénonçant un calendrier
   intenable et des coûts sous-estimés, selon leur communiqué diffusé dans
   la soirée.
"""


def test_what_the_first_word_alone_does_not_tell():
    lines, done = unwrap(ASIDES.split("\n"))
    assert done is not None
    assert [line.strip() for line in lines if line.strip()] == [
        "Le conseil municipal a voté mardi le budget de la ville, après un débat.",
        "Les travaux de la piscine commenceront au printemps, selon le maire, qui promet une "
        "réouverture en 2026.",
        "Publicité",
        "Le projet serait, selon l'adjointe aux finances, tout à fait « conceptuellement "
        "neutre » pour les comptes de la ville, qui restent fragiles, résume-t-elle en "
        "conclusion de la séance : une compulsion - on dépense sans compter - qu'il faudra "
        "bien un jour arrêter.",
        "Sécheresse : les éleveurs de la Manche inquiets pour leurs fourrages",
        "SOCIÉTÉ",
        "Emeline Férard, publié le 11 février 2022 à 18 heures, mis à jour hier",
        "(BUTTON) Sauvegarder l'article",
        "Les élus de l'opposition ont voté contre, en dénonçant un calendrier intenable et des "
        "coûts sous-estimés, selon leur communiqué diffusé dans la soirée.",
    ]


def test_no_line_is_joined_past_the_limit_and_a_cut_compound_keeps_its_hyphen():
    import textwrap

    from cleaner.io.unwrap import MAX_JOINED_CHARS

    # a transcript without punctuation, wrapped at 72: every line continues the one before;
    # joined whole it would be one line over the encoding stage's limit, dropped whole
    words = ("le conseil municipal a voté le budget mardi soir après un long débat " * 600).split()
    lines = textwrap.wrap(" ".join(words), 72)
    out, done = unwrap(lines)
    assert done is not None and len(out) > 1
    assert all(len(line) <= MAX_JOINED_CHARS for line in out)
    assert " ".join(out).split() == words  # nothing lost, nothing added
    assert done.joined == len(lines) - len(out)
    # "COVID-19" and "2019-2020" cut at their hyphen are glued back without a space
    assert (
        unwrap_pair("la vague de COVID-", "19 et les mesures")
        == "la vague de COVID-19 et les mesures"
    )
    assert (
        unwrap_pair("pour la saison 2019-", "2020 des clubs")
        == "pour la saison 2019-2020 des clubs"
    )


def unwrap_pair(line: str, continuation: str) -> str:
    from cleaner.io.unwrap import _glue

    return _glue([line, continuation])


def test_text_with_a_paragraph_per_line_is_left_as_it_is():
    # a page read one paragraph per line: its paragraphs are longer than any wrap
    page = [
        "Accueil",
        "La Sorne est sortie de son lit mardi matin après trois jours de pluie continue sur le "
        "massif, selon les services de la préfecture, qui ont ouvert une cellule de crise.",
        "Le maire a demandé la reconnaissance de l'état de catastrophe naturelle.",
    ]
    assert unwrap(page) == (page, None)
    # a list of other stories' headlines, all near the same length: lines that fill the
    # width, but each starts with a capital; no text wrapped there
    headlines = [
        "Sécheresse : les éleveurs de la Manche inquiets pour leurs fourrages cet été",
        "Le tribunal de la ville rejette le recours des riverains contre le parking",
        "Un incendie dans une usine de la zone industrielle mobilise les pompiers",
        "La préfecture annonce des restrictions d'eau dans tout le département",
        "Les commerçants du centre se mobilisent contre la fermeture de la rue",
        "Grève des cheminots : le trafic perturbé jusqu'à dimanche soir en Bretagne",
        "Élections municipales : la liste de la majorité sortante dévoile son programme",
    ]
    assert unwrap(headlines) == (headlines, None)


def test_a_hard_wrapped_file_is_unwrapped_by_a_run_and_not_when_switched_off(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "crue.txt").write_text(DUMP, encoding="utf-8")
    cleaner.run([str(src)], tmp_path / "out", Config(), translate=False)
    clean = (tmp_path / "out" / "clean" / "crue.txt").read_text(encoding="utf-8").splitlines()
    # the article's paragraphs come out whole
    assert (
        "Le maire a demandé la reconnaissance de l'état de catastrophe naturelle dès mercredi "
        "matin, avant la visite du préfet." in clean
    )
    (doc,) = [json.loads(x) for x in (tmp_path / "out" / "documents.jsonl").open()]
    # read by hand: the document's line 7 is the file's lines 7-10 (the first paragraph), its
    # line 9 the file's 12-13, its line 13 (the first item) 17-18, its line 16 21-23
    assert doc["unwrapped"] == {
        "width": 74,
        "lines_joined": 7,
        "joined": [[7, 7, 10], [9, 12, 13], [13, 17, 18], [16, 21, 23]],
        "superscripts": 2,
    }
    off = Config.from_dict({"text": {"unwrap": False}})
    cleaner.run([str(src)], tmp_path / "off", off, translate=False)
    (doc,) = [json.loads(x) for x in (tmp_path / "off" / "documents.jsonl").open()]
    assert "unwrapped" not in doc
    clean = (tmp_path / "off" / "clean" / "crue.txt").read_text(encoding="utf-8")
    assert "catastrophe naturelle dès mercredi" not in clean  # cut at the break, as read


def test_clean_text_unwraps_too():
    out = cleaner.Pipeline(Config()).clean_text(DUMP, id="crue")
    assert (
        "La Sorne est sortie de son lit mardi matin après trois jours de pluie continue sur le "
        "massif, selon les services de la préfecture, qui ont ouvert une cellule de crise à la "
        "mairie." in out
    )


# A dump wrapped wide, as `lynx -dump -width=200` writes it (wrapped here with textwrap at 197
# columns, three spaces of indent): four paragraphs of two and three lines each
WIDE = [
    "   La Sorne est sortie de son lit mardi matin après trois jours de pluie continue sur le "
    "massif, selon les services de la préfecture, qui ont ouvert une cellule de crise à la "
    "mairie et demandé aux",
    "   habitants des quartiers bas de monter leurs meubles à l'étage. Les pompiers ont évacué "
    "une vingtaine de maisons dans la nuit, sans faire de blessé, et installé des barrières le "
    "long des quais de",
    "   la rivière jusqu'à la gare.",
    "",
    "   Le maire a demandé la reconnaissance de l'état de catastrophe naturelle dès mercredi "
    "matin, avant même la visite du préfet, en rappelant que les digues construites après la "
    "crue de 1999",
    "   n'avaient jamais été renforcées faute de crédits, malgré les alertes répétées des "
    "associations de riverains et des agriculteurs de la vallée, dont les champs sont encore "
    "sous l'eau.",
    "",
    "   « Nous n'avions jamais vu ça depuis vingt ans », raconte une habitante installée depuis "
    "quarante ans au bord de la rivière, dont la cave a été inondée en moins d'une heure, avant "
    "que les secours",
    "   n'arrivent avec des pompes et des sacs de sable pour protéger le rez-de-chaussée de sa "
    "maison et celles de ses voisins, plus âgés qu'elle.",
    "",
    "   Les élus de l'opposition ont voté contre le plan de la majorité, en dénonçant un "
    "calendrier intenable et des coûts sous-estimés, selon leur communiqué diffusé dans la "
    "soirée : ils réclament une",
    "   étude indépendante sur l'état des digues, un fonds d'urgence pour les familles "
    "sinistrées et la suspension des permis de construire dans la zone inondable tant que les "
    "travaux de protection",
    "   n'auront pas été achevés.",
]


def test_a_dump_wrapped_wide_is_read_back_into_paragraphs():
    lines, done = unwrap(WIDE)
    assert done is not None and done.width == 197
    kept = [line.strip() for line in lines if line.strip()]
    # read by hand: four paragraphs, each on one line, its words as written
    assert len(kept) == 4
    assert kept[0].startswith("La Sorne est sortie") and kept[0].endswith("jusqu'à la gare.")
    assert "demandé aux habitants des quartiers bas" in kept[0]
    assert "le long des quais de la rivière" in kept[0]
    assert "après la crue de 1999 n'avaient jamais été renforcées" in kept[1]
    assert "avant que les secours n'arrivent avec des pompes" in kept[2]
    assert kept[3].endswith("tant que les travaux de protection n'auront pas été achevés.")
    assert done.joined == 6


def test_paragraphs_a_line_each_under_the_widest_wrap_are_left_as_they_are():
    # a page read one paragraph per line whose paragraphs are all shorter than the widest
    # wrap taken (they could be a wide dump's lines): none ends where the next would not have
    # fitted with a small letter after it, so nothing is joined
    page = [
        "Accueil",
        "La Sorne est sortie de son lit mardi matin après trois jours de pluie continue sur le "
        "massif, selon les services de la préfecture, qui ont ouvert une cellule de crise.",
        "Les pompiers ont évacué une vingtaine de maisons dans la nuit, sans faire de blessé, "
        "et installé des barrières le long des quais de la rivière jusqu'à la gare du centre.",
        "Le maire a demandé la reconnaissance de l'état de catastrophe naturelle dès mercredi "
        "matin, avant même la visite du préfet attendue dans l'après-midi.",
        "« Nous n'avions jamais vu ça depuis vingt ans », raconte une habitante installée "
        "depuis quarante ans au bord de la rivière, dont la cave a été inondée.",
        "Les élus de l'opposition ont voté contre le plan de la majorité, en dénonçant un "
        "calendrier intenable et des coûts sous-estimés, selon leur communiqué.",
        "Publicité",
    ]
    assert unwrap(page) == (page, None)


def test_a_short_wrapped_article_under_long_menus_is_read_back_into_paragraphs():
    # a news page's dump: 200 lines of menus and links (one short line each), then the
    # article, wrapped: 6 of its lines go on in the next, 3 % of the page's lines
    menus = [f"   Rubrique {n}" for n in range(1, 201)]
    lines, done = unwrap(menus + [""] + WIDE)
    assert done is not None and done.joined == 6
    kept = [line.strip() for line in lines if line.strip()]
    # read by hand: the menus as they were, then the four paragraphs whole
    assert kept[:200] == [m.strip() for m in menus]
    assert len(kept) == 204
    assert "après la crue de 1999 n'avaient jamais été renforcées" in kept[201]


# A w3m dump of a recipe: its ingredients as a table, a rule of box-drawing characters (as
# wide as the page) under each row, then the steps, wrapped at 79 columns.
RULE = "━" * 80
RECIPE = [
    "Une salade d'hiver qui mêle les racines et les découpes pour jouer sur les",
    "textures, servie avec une vinaigrette acidulée au fruit de la passion.",
    "",
    RULE,
    "Carotte(s) jaune(s)2 pièce(s)",
    RULE,
    "Betterave(s) rouge(s) cuite(s)1 pièce(s)",
    RULE,
    "Radis noir(s)1 pièce(s)",
    RULE,
    "Oignon(s) rouge(s)1 pièce(s)",
    RULE,
    "Sel fin6 pincée(s)",
    RULE,
    "Huile d'arachide8 cl",
    RULE,
    "",
    "Tailler les carottes en brunoise (des dés de 3 mm de côté) et la betterave",
    "rouge en macédoine (des dés d'un demi-centimètre de côté), sans les mélanger.",
    "",
    "Tailler le radis noir en julienne : d'abord des tranches fines d'un millimètre,",
    "puis de longs bâtonnets que l'on réserve dans l'eau froide jusqu'au service.",
    "",
    "Plonger les carottes deux minutes dans l'eau bouillante salée, les égoutter et",
    "les laisser refroidir sur un linge propre avant de les assaisonner.",
    "",
    "Mélanger le vinaigre avec le sel et le poivre, puis ajouter l'huile et la pulpe",
    "du fruit de la passion en l'écrasant légèrement à la fourchette.",
]


def test_a_line_of_digits_still_goes_on():
    # a footnote's year, alone on its line because the address after it was too long to fit:
    # it is no rule, and the address and the rest of the note go on from it
    text = [
        "Défenseur des droits, Enquête sur l'accès aux droits, volume 1, paru en janvier",
        "2017,",
        "https://www.defenseurdesdroits.fr/sites/default/files/atoms/files/enquete-2017.pdf",
        "(consulté le 2 février 2020) ; voir aussi le rapport annuel de l'Agence, qui",
        "reprend ces chiffres et les compare à ceux des années précédentes, en hausse.",
        "",
    ] * 3
    lines, done = unwrap(text)
    assert done is not None
    # read by hand (a line of digits is not read as going on from the line above: an older
    # rule, unchanged)
    assert [line for line in lines if line.strip()][:2] == [
        "Défenseur des droits, Enquête sur l'accès aux droits, volume 1, paru en janvier",
        "2017, https://www.defenseurdesdroits.fr/sites/default/files/atoms/files/enquete-2017.pdf "
        "(consulté le 2 février 2020) ; voir aussi le rapport annuel de l'Agence, qui reprend "
        "ces chiffres et les compare à ceux des années précédentes, en hausse.",
    ]


def test_a_rule_under_a_table_row_goes_on_into_no_line():
    lines, done = unwrap(RECIPE)
    assert done is not None
    kept = [line.strip() for line in lines if line.strip()]
    # read by hand: the standfirst and the three steps whole, each rule and row on its own
    assert kept == [
        "Une salade d'hiver qui mêle les racines et les découpes pour jouer sur les textures, "
        "servie avec une vinaigrette acidulée au fruit de la passion.",
        RULE, "Carotte(s) jaune(s)2 pièce(s)",
        RULE, "Betterave(s) rouge(s) cuite(s)1 pièce(s)",
        RULE, "Radis noir(s)1 pièce(s)",
        RULE, "Oignon(s) rouge(s)1 pièce(s)",
        RULE, "Sel fin6 pincée(s)",
        RULE, "Huile d'arachide8 cl",
        RULE,
        "Tailler les carottes en brunoise (des dés de 3 mm de côté) et la betterave rouge en "
        "macédoine (des dés d'un demi-centimètre de côté), sans les mélanger.",
        "Tailler le radis noir en julienne : d'abord des tranches fines d'un millimètre, puis "
        "de longs bâtonnets que l'on réserve dans l'eau froide jusqu'au service.",
        "Plonger les carottes deux minutes dans l'eau bouillante salée, les égoutter et les "
        "laisser refroidir sur un linge propre avant de les assaisonner.",
        "Mélanger le vinaigre avec le sel et le poivre, puis ajouter l'huile et la pulpe du "
        "fruit de la passion en l'écrasant légèrement à la fourchette.",
    ]  # fmt: skip
