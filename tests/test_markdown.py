"""Markdown scrapes (html2text, Firecrawl, Jina Reader, markdownify) back to their text."""

import json

import pytest

import cleaner
from cleaner import reasons
from cleaner.config import Config, ConfigError
from cleaner.io.unwrap import unwrap_into
from cleaner.markdown import looks_like_markdown
from cleaner.stages.markdown import MarkdownStripper
from tests.conftest import make_doc


@pytest.fixture(scope="module")
def stripper():
    return MarkdownStripper("always")


@pytest.mark.parametrize(
    ("line", "shown"),
    [
        ('  * [Programmes](/programmes "Programmes")', "Programmes"),
        ("Par [Elsa Mourgues](/personne/elsa-mourgues)", "Par Elsa Mourgues"),
        ("## Le racisme anti-Blancs existe-t-il ?", "Le racisme anti-Blancs existe-t-il ?"),
        ("> Une **citation** du *ministre*", "Une citation du ministre"),
        (r"Il a dit \- en 2019\. C'est tout", "Il a dit - en 2019. C'est tout"),
        ("2. Le deuxième point", "2. Le deuxième point"),
        (
            "Le billet coûte 15\u00a0€ [ici](https://exemple.fr/billets).",
            "Le billet coûte 15\u00a0€ ici.",
        ),
        ("[![logo](/img/t.gif)L'INVITÉ DES MATINS](/emissions/x)", "L'INVITÉ DES MATINS"),
        ("[Imprimer](javascript:window.print();)", "Imprimer"),
        # a link that markdownify cut in two at a line break: its end on this line
        (
            'A Katmandou, exode sous pression](/monde/2015/04/29/katmandou "A Katmandou")',
            "A Katmandou, exode sous pression",
        ),
        # html2text's emphasis that CommonMark does not read as such
        (
            "mais **personne ne sera en mesure de gérer **vos photos",
            "mais personne ne sera en mesure de gérer vos photos",
        ),
        ("Le [1] et le [2] restent.", "Le [1] et le [2] restent."),
        # a table's row: its cells, parted as an extractor parts them
        ("| Écoles | 12 M€ |", "Écoles | 12 M€"),
        ("| [Accueil](/) | **Voirie** | |", "Accueil | Voirie"),
        # HTML left in the page: the text it shows
        (
            '<div class="note">Les chiffres sont <b>provisoires</b>.</div>',
            "Les chiffres sont provisoires.",
        ),
        (
            "<p>Le conseil vote.</p><p>Il se réunit mardi.</p>",
            "Le conseil vote. Il se réunit mardi.",
        ),
        ("Un texte <span>marqué</span> au milieu", "Un texte marqué au milieu"),
        # a cell is inline text: a fall, a rise, a sign are no list, heading or quote marks
        ("| CAC 40 | - 0,45 % |", "CAC 40 | - 0,45 %"),
        ("| Bourse | + 1,2 % |", "Bourse | + 1,2 %"),
        ("| # | Nom |", "# | Nom"),
        ("| Lyon | - | 3 |", "Lyon | - | 3"),
        # an address in angle brackets in HTML shows itself
        ("<p>Contact : <jean.dupont@example.fr></p>", "Contact : jean.dupont@example.fr"),
        ("<div>Voir <https://www.example.fr/page></div>", "Voir https://www.example.fr/page"),
        # a footnote's own line keeps its note; a mark no note defines is text
        ("[^1]: Chiffres de la préfecture.", "Chiffres de la préfecture."),
        (
            "Le motif [^abc] désigne tout sauf ces lettres.",
            "Le motif [^abc] désigne tout sauf ces lettres.",
        ),
        ("Voir la variable snake__case.", "Voir la variable snake__case."),
    ],
)
def test_a_line_shows_its_text(stripper, line, shown):
    assert stripper.shown(line)[0] == shown


@pytest.mark.parametrize(
    "line",
    [
        "![logo france culture](data:image/gif;base64,R0lGODlhagBqAPYAAAAAAAsLCxIS)",
        "![adblock](data:image/svg+xml,%3Csvg%20xmlns='http://www.w3.org/2000/svg'%3E%3C/svg%3E)",
        "* * *",
        "[](/sciences/covid-19-faut-il-tester-tout-le-monde)",
        "[1]: https://exemple.fr/source",
        "[",
        "|---|:---:|",
        "<!-- publicité -->",
        "<script>window.dataLayer = window.dataLayer || [];",
        '<img src="/photo.jpg" alt="">',
    ],
)
def test_a_line_of_markup_only_is_dropped_with_its_reason(line):
    doc = make_doc("Le conseil a [cédé](https://exemple.fr/a) dimanche.", line)
    MarkdownStripper("auto").process(doc)
    dropped = doc.lines[1]
    assert not dropped.kept and dropped.reason == reasons.SCRAPER_LEFTOVER
    assert dropped.detail["rule"] == "markdown_markup"
    assert dropped.original == line


def test_a_reference_link_takes_its_words():
    doc = make_doc(
        "Selon [le rapport][1], la dette a baissé.",
        "[1]: https://exemple.fr/rapport",
    )
    MarkdownStripper("auto").process(doc)
    assert doc.lines[0].text == "Selon le rapport, la dette a baissé."
    assert doc.lines[0].edits == {"markdown": ["link"]}
    assert not doc.lines[1].kept


def test_a_page_with_no_link_in_markdown_is_left_as_it_is():
    lines = [
        "### Les résultats",
        "Le score est de 5 * 3 = 15 points, et la variable snake_case_word reste.",
        "* * *",
        "**Important** : la séance est levée.",
    ]
    assert not looks_like_markdown(lines)
    doc = make_doc(*lines)
    MarkdownStripper("auto").process(doc)
    assert [ln.text for ln in doc.lines] == lines
    assert all(ln.kept for ln in doc.lines)
    assert looks_like_markdown([*lines, "Lire [la suite](https://exemple.fr/suite)."])


def test_never_leaves_markdown_alone():
    doc = make_doc("Par [Elsa Mourgues](/personne/elsa-mourgues)")
    MarkdownStripper("never").process(doc)
    assert doc.lines[0].text == "Par [Elsa Mourgues](/personne/elsa-mourgues)"


def test_a_wrapped_paragraph_is_joined_and_a_menu_is_not():
    lines = [
        "  * [Accueil](/)",
        "  * [Politique](/politique)",
        "",
        "Les équipes du président élu doivent se rencontrer jeudi dans",
        "l'après-midi pour lancer la transition.",
        "Une ligne après un saut forcé  ",
        "reste à part.",
        "",
        "Sa [déclaration](https://exemple.fr/d) a été",
        "saluée par l'opposition.",
    ]
    metadata: dict = {}
    out = unwrap_into(lines, metadata)
    assert out == [
        "  * [Accueil](/)",
        "  * [Politique](/politique)",
        "",
        "Les équipes du président élu doivent se rencontrer jeudi dans l'après-midi pour "
        "lancer la transition.",
        "Une ligne après un saut forcé  ",
        "reste à part.",
        "",
        "Sa [déclaration](https://exemple.fr/d) a été saluée par l'opposition.",
    ]
    assert metadata["unwrapped"]["markdown"] is True
    assert metadata["unwrapped"]["joined"] == [[4, 4, 5], [8, 9, 10]]


def test_markdown_mode_is_validated():
    with pytest.raises(ConfigError, match="markdown"):
        Config.from_dict({"text": {"markdown": "sometimes"}})


PAGE = """\
  * [Accueil](/ "Accueil")
  * [Politique](/politique "Politique")
  * [Économie](/economie "Économie")

![logo](data:image/gif;base64,R0lGODlhagBqAPYAAAAAAAsLCxISEhsbGzMTOSMjIywsLDw8PEQZ)

# La grève des cheminots perturbe le trafic

Par [Jeanne Martin](/auteurs/jeanne-martin "Jeanne Martin")

Le mouvement, lancé lundi par [l'intersyndicale](https://exemple.fr/syndicats), a
conduit la SNCF à supprimer un train sur trois dans la région, selon la direction.

Les négociations reprendront jeudi au ministère des Transports, a indiqué le
porte-parole du gouvernement, qui appelle à « la responsabilité de chacun ».

Les usagers sont invités à consulter les horaires avant tout déplacement, les
correspondances régionales étant elles aussi touchées par le mouvement.

* * *

  * [Mentions légales](/mentions-legales)
  * [Nous contacter](/contact)
"""


def test_a_markdown_page_through_the_cli(tmp_path):
    """A page saved as Markdown: its article comes out as text (a wrapped paragraph joined),
    its chrome and markup are gone with a reason each, every input line is accounted for."""
    from click.testing import CliRunner

    from cleaner.cli import main

    src = tmp_path / "in"
    src.mkdir()
    (src / "greve.md").write_text(PAGE, encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["run", str(src), "--out", str(out), "--no-translate"])
    assert result.exit_code == 0, result.output
    clean = (out / "clean" / "greve.txt").read_text("utf-8")
    assert clean == (
        "La grève des cheminots perturbe le trafic\n"
        "Le mouvement, lancé lundi par l'intersyndicale, a conduit la SNCF à supprimer un "
        "train sur trois dans la région, selon la direction.\n"
        "Les négociations reprendront jeudi au ministère des Transports, a indiqué le "
        "porte-parole du gouvernement, qui appelle à « la responsabilité de chacun ».\n"
        "Les usagers sont invités à consulter les horaires avant tout déplacement, les "
        "correspondances régionales étant elles aussi touchées par le mouvement.\n"
    )
    rejects = [json.loads(x) for x in (out / "rejects.jsonl").read_text("utf-8").splitlines()]
    by_text = {r["text"]: r for r in rejects}
    logo = next(r for t, r in by_text.items() if t.startswith("![logo]"))
    assert logo["reason"] == reasons.SCRAPER_LEFTOVER
    assert logo["detail"]["rule"] == "markdown_markup"
    # the byline, as on any page, goes to the document's metadata
    assert (
        by_text['Par [Jeanne Martin](/auteurs/jeanne-martin "Jeanne Martin")']["reason"]
        == reasons.SOURCE_METADATA
    )
    assert by_text["  * [Mentions légales](/mentions-legales)"]["reason"] in (
        reasons.BOILERPLATE_MODEL,
        reasons.BOILERPLATE_PATTERN,
    )
    doc = json.loads((out / "documents.jsonl").read_text("utf-8").splitlines()[0])
    assert doc["unwrapped"]["markdown"] is True
    # every line of the page, once: kept, or rejected with a reason
    joined = sum(last - first for _, first, last in doc["unwrapped"]["joined"])
    assert joined == 3
    assert doc["lines_in"] == len(cleaner.document.split_paragraphs(PAGE)) - joined
    assert len(doc["clean_lines"]) + len(rejects) == doc["lines_in"]


def test_a_markdown_record_of_json_lines(tmp_path):
    """Firecrawl and crawl4ai hand pages as records: the record's text is read the same way."""
    src = tmp_path / "pages.jsonl"
    record = {"id": "greve", "url": "https://exemple.fr/greve-des-cheminots", "text": PAGE}
    src.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    cleaner.run([str(src)], out, translate=False)
    (row,) = [json.loads(x) for x in (out / "clean.jsonl").read_text("utf-8").splitlines()]
    assert "](" not in row["text"]
    assert (
        "Le mouvement, lancé lundi par l'intersyndicale, a conduit la SNCF à supprimer un "
        "train sur trois dans la région, selon la direction.\n"
    ) in row["text"]


def test_the_report_says_what_markup_a_dropped_line_held():
    from cleaner.report.data import explain

    doc = make_doc("Le conseil a [cédé](https://exemple.fr/a) dimanche.", "![logo](/img/logo.png)")
    MarkdownStripper("auto").process(doc)
    line = doc.lines[1]
    assert explain(line.reason, line.detail) == "scraper leftover: markdown_markup (image)"


def test_a_text_dump_quoting_one_markdown_link_is_no_markdown():
    """A text browser's dump (hard-wrapped at 74 columns at most) that shows one link written in
    Markdown stays a dump: unwrapped by its width, its own "[image.png]" and "*" left be."""
    para = (
        "La commune est heureuse de mettre a disposition de ses habitants l'application "
        "PanneauPocket. Par cet outil tres simple, elle souhaite tenir informes en temps reel "
        "les citoyens de son actualite au quotidien, et les alerter en cas de risques majeurs."
    )
    import textwrap

    wrapped = textwrap.wrap(para, 74)
    lines = [*wrapped, "", "[321503325-1601460864.png]", "", *wrapped, "", *wrapped, ""]
    lines += [*wrapped, "", "   Lire aussi : [le dossier](https://www.exemple.fr/dossier)"]
    assert not looks_like_markdown(lines)
    metadata: dict = {}
    out = unwrap_into(lines, metadata)
    assert metadata["unwrapped"]["width"] == max(map(len, wrapped))  # its longest line
    assert "markdown" not in metadata["unwrapped"]
    assert out[0] == para


def test_a_link_title_left_open_swallows_nothing(stripper):
    doc = make_doc(
        'Le texte est sur [le site de la Cour](https://www.ccomptes.fr/r "Rapport annuel',
        "La Cour des comptes publie chaque année un rapport public sur les finances de l'Etat.",
        'Le président a maintenu ses conclusions (il a répondu "nous maintenons")',
    )
    MarkdownStripper("always").process(doc)
    assert [ln.text for ln in doc.lines] == [
        "Le texte est sur le site de la Cour",
        "La Cour des comptes publie chaque année un rapport public sur les finances de l'Etat.",
        'Le président a maintenu ses conclusions (il a répondu "nous maintenons")',
    ]
    assert all(ln.kept for ln in doc.lines)


def test_html2text_wrapped_at_78_columns_is_joined_before_a_capital_too():
    lines = [
        "Par [Marie Durand](/auteurs/x)",
        "",
        "Dans notre pays, les métiers du nettoyage comptent plus de 200.000",
        "travailleuses et travailleurs. Il s'agit d'une activité isolée, indique la",
        "CSC. Les travailleurs se rendent souvent seuls chez leurs clients.",
        "",
        "  * [Accueil](/)",
        "  * [Société](/societe)",
    ]
    out = unwrap_into(lines, {})
    assert out[2] == (
        "Dans notre pays, les métiers du nettoyage comptent plus de 200.000 travailleuses et "
        "travailleurs. Il s'agit d'une activité isolée, indique la CSC. Les travailleurs se "
        "rendent souvent seuls chez leurs clients."
    )
    assert out[-2:] == ["  * [Accueil](/)", "  * [Société](/societe)"]


@pytest.mark.parametrize(
    ("line", "shown"),
    [
        ("Des conseils pour**éviter** les pièges", "Des conseils pour éviter les pièges"),
        ("Le film *Wonder Woman*est sorti en 2017.", "Le film Wonder Woman est sorti en 2017."),
        (
            "La version ~~n'est plus~~ n'est pas à installer.",
            "La version n'est plus n'est pas à installer.",
        ),
        ("L'**État** a répondu.", "L'État a répondu."),
        # beside a one-letter French word or a number too
        ("Il s'est rendu à**Marseille** mardi.", "Il s'est rendu à Marseille mardi."),
        ("Il y**a** du monde.", "Il y a du monde."),
        ("Le festival aura lieu le**14 juillet**.", "Le festival aura lieu le 14 juillet."),
        (
            "Il est arrivé en [2024](/annee)dans la capitale.",
            "Il est arrivé en 2024 dans la capitale.",
        ),
        ("**A**lors il part.", "Alors il part."),
    ],
)
def test_a_space_lost_beside_emphasis_or_a_link_is_put_back(stripper, line, shown):
    assert stripper.shown(line)[0] == shown


def test_jina_readers_envelope_goes_to_the_metadata():
    doc = make_doc(
        "Title: Comment installer Python sur Windows",
        "URL Source: https://www.exemple.fr/tutoriels/installer-python",
        "Markdown Content:",
        "Publié par [Claire Martin](https://exemple.fr/auteurs/claire)",
        "    pip install requests",
        "    pip install numpy",
    )
    MarkdownStripper("auto").process(doc)
    assert doc.metadata["title"] == "Comment installer Python sur Windows"
    assert doc.metadata["url"] == "https://www.exemple.fr/tutoriels/installer-python"
    assert [ln.reason for ln in doc.lines[:3]] == [reasons.SOURCE_METADATA] * 3
    assert doc.lines[3].text == "Publié par Claire Martin"
    # an indented code block's lines are not a paragraph to join
    out = unwrap_into([ln.original for ln in doc.lines], {})
    assert out[-2:] == ["    pip install requests", "    pip install numpy"]


def test_a_long_page_is_parsed_in_pieces_with_the_same_joins(monkeypatch):
    from cleaner import markdown

    paragraph = [
        "Les équipes du président élu doivent se rencontrer jeudi dans",
        "l'après-midi pour lancer la transition.",
        "",
    ]
    lines = ["Voir [la suite](https://exemple.fr/suite)", ""] + paragraph * 7
    whole = markdown.paragraph_joins(lines)
    # read by hand: each paragraph's first line (2, 5, 8...) goes on in the next
    assert whole == [2 + 3 * k for k in range(7)]
    monkeypatch.setattr(markdown, "CHUNK_LINES", 4)
    assert markdown.paragraph_joins(lines) == whole


def test_a_page_one_paragraph_a_line_with_links_keeps_its_lines():
    """The pipeline's own format (a paragraph a line, no empty line) holding Markdown links,
    as trafilatura writes with its links: read as Markdown, but no line is joined."""
    lines = [
        "Par [Jean Dupont](https://www.exemple.fr/auteurs/jean-dupont), publié le 12 mars 2024",
        "Le gouvernement a présenté mardi son projet de réforme des retraites, qui prévoit un "
        "report de l'âge légal de départ à 64 ans.",
        "Selon le ministre du Travail, cette mesure doit permettre de rétablir l'équilibre du "
        "système d'ici à 2030.",
        "Lire aussi : [Retraites : ce qui change pour vous](https://www.exemple.fr/retraites)",
        "Voir [notre dossier complet](https://www.exemple.fr/dossier-retraites).",
    ]
    metadata: dict = {}
    assert unwrap_into(lines, metadata) == lines
    assert metadata == {"markdown": True}


def test_a_quotations_marks_go_with_its_joined_lines():
    lines = [
        "Voir [le discours](https://exemple.fr/discours).",
        "",
        "> « Nous irons jusqu'au bout de cette réforme, quoi qu'il en coûte », a",
        "> déclaré la Première ministre devant les députés de la majorité, qui l'ont",
        "> longuement applaudie.",
    ]
    out = unwrap_into(lines, {})
    assert out[2] == (
        "> « Nous irons jusqu'au bout de cette réforme, quoi qu'il en coûte », a déclaré la "
        "Première ministre devant les députés de la majorité, qui l'ont longuement applaudie."
    )


@pytest.mark.parametrize(
    ("line", "shown"),
    [
        ("**L**e président a parlé.", "Le président a parlé."),
        ("Au 2**e** tour, la **C**GT a signé.", "Au 2e tour, la CGT a signé."),
        ("Il faut ré**é**crire le XIX*e* siècle.", "Il faut réécrire le XIXe siècle."),
    ],
)
def test_a_letter_set_in_emphasis_inside_a_word_stays_in_it(stripper, line, shown):
    assert stripper.shown(line)[0] == shown


def test_jina_readers_envelope_on_consecutive_lines_is_not_joined():
    lines = [
        "Title: La grève des cheminots perturbe le trafic dans toute la région ce lundi",
        "URL Source: https://www.exemple.fr/actualites/2024/greve-des-cheminots-trafic",
        "Markdown Content:",
        "Le mouvement a conduit la SNCF à supprimer un train sur trois dans la région.",
    ]
    metadata: dict = {}
    assert unwrap_into(lines, metadata) == lines and metadata == {"markdown": True}
    doc = make_doc(*lines)
    doc.metadata.update(metadata)
    MarkdownStripper("auto").process(doc)
    assert (
        doc.metadata["url"] == "https://www.exemple.fr/actualites/2024/greve-des-cheminots-trafic"
    )
    assert [ln.kept for ln in doc.lines] == [False, False, False, True]


def test_a_description_line_atop_another_markdown_page_is_its_own():
    doc = make_doc(
        "Description: un guide des démarches en ligne",
        "Voir [le site](https://exemple.fr/a), [la FAQ](https://exemple.fr/b) et [le forum](/c).",
    )
    MarkdownStripper("auto").process(doc)
    assert doc.lines[0].kept and doc.lines[0].text == "Description: un guide des démarches en ligne"


def test_a_page_told_markdown_when_read_is_stripped_though_joins_hid_its_links():
    doc = make_doc(
        "Lire [la suite](https://exemple.fr/suite) et tout le reste du texte.",
        "Un.",
        "Deux.",
        "Trois.",
        "Quatre.",
        "Cinq.",
        "Six.",
        "Sept.",
        "Huit.",
        "Neuf.",
        "Dix.",
        "Onze.",
    )
    doc.metadata["markdown"] = True  # as unwrap_into records it
    MarkdownStripper("auto").process(doc)
    assert doc.lines[0].text == "Lire la suite et tout le reste du texte."


def test_html2text_lines_wrapped_with_a_link_are_joined_before_a_capital():
    """html2text wraps at 78 columns counting a link's address: a line of it may show far
    fewer characters and still be a wrapped one."""
    lines = [
        "Voir [le site](https://www.lyon.fr/) et [la carte](https://www.lyon.fr/carte).",
        "",
        "La métropole de Lyon financerait le projet du tramway T10 à hauteur de 200",
        "millions d'euros, selon un communiqué publié dans la soirée, et le texte sera",
        "examiné au [Sénat](https://www.senat.fr/dossiers/pjl-456-tramway.html)",
        "Élus et riverains se sont dits satisfaits de cette décision attendue depuis",
        "2019 par les habitants de Vénissieux et de Saint-Fons, selon la préfecture.",
    ]
    out = unwrap_into(lines, {})
    assert out[2] == (
        "La métropole de Lyon financerait le projet du tramway T10 à hauteur de 200 millions "
        "d'euros, selon un communiqué publié dans la soirée, et le texte sera examiné au "
        "[Sénat](https://www.senat.fr/dossiers/pjl-456-tramway.html) Élus et riverains se sont "
        "dits satisfaits de cette décision attendue depuis 2019 par les habitants de Vénissieux "
        "et de Saint-Fons, selon la préfecture."
    )


def test_a_footnotes_mark_goes_where_the_page_holds_its_note():
    doc = make_doc(
        "Le conseil a [cédé](https://exemple.fr/a) dimanche.",
        "[Accueil](/) [Sport](/sport) [Météo](/meteo)",
        "Le budget est en hausse de 4 %[^1] selon la mairie, le motif [^abc] reste.",
        "[^1]: Chiffres de la préfecture.",
    )
    MarkdownStripper("auto").process(doc)
    # read by hand: note 1 is the page's, so its mark goes; "[^abc]" names no note
    assert (
        doc.lines[2].text
        == "Le budget est en hausse de 4 % selon la mairie, le motif [^abc] reste."
    )
    assert doc.lines[3].text == "Chiffres de la préfecture."


# -- tables' rows in pages that are not Markdown (trafilatura's text) -------------------------


@pytest.mark.parametrize(
    ("line", "shown"),
    [
        # a paragraph laid out in a row of its own, with an empty cell for the other column
        (
            "| Le maire a annoncé la fin des travaux pour juin. |  | ",
            "Le maire a annoncé la fin des travaux pour juin.",
        ),
        ("| Delémont | 2,41 m | ", "Delémont | 2,41 m"),  # a table of results: cells parted
        ("|  | Seul texte de la rangée | ", "Seul texte de la rangée"),
        # a bar of the cell's own text, escaped by trafilatura, is the page's own
        (r"| Accueil \| Région \| Sport |  | ", "Accueil | Région | Sport"),
        ("|---|---|", ""),  # the row under a header shows nothing
        ("| | | ", ""),  # nor does a row of empty cells
        ("Accueil | Région | Sport", None),  # no row: a menu's own bars
        ("| Lire aussi", None),
    ],
)
def test_a_plain_pages_table_row_shows_its_cells(line, shown):
    from cleaner.markdown import plain_row_text

    assert plain_row_text(line) == shown


def test_a_page_that_is_not_markdown_gets_its_table_rows_read_and_nothing_else():
    doc = make_doc(
        "| Sorne : la crue recule à Delémont |  | ",
        "Le **maire** a parlé, et *vite* : 3 * 4 font 12.",
        "|---|---|",
        "| Delémont | 2,41 m | ",
    )
    MarkdownStripper("auto").process(doc)  # no link: no Markdown page, its stars its own
    texts = [(ln.text, ln.kept) for ln in doc.lines]
    assert texts == [
        ("Sorne : la crue recule à Delémont", True),
        ("Le **maire** a parlé, et *vite* : 3 * 4 font 12.", True),
        ("|---|---|", False),
        ("Delémont | 2,41 m", True),
    ]
    assert doc.lines[0].edits == {"markdown": ["table"]}
    assert doc.lines[2].reason == reasons.SCRAPER_LEFTOVER
    # "never" reads no markup at all, tables' rows included
    doc = make_doc("| Sorne : la crue recule à Delémont |  | ")
    MarkdownStripper("never").process(doc)
    assert doc.lines[0].text == "| Sorne : la crue recule à Delémont |  | "
