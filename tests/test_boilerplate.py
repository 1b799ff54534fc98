"""Stage 3: pattern library, scraper leftovers, site templates."""

import pytest

from cleaner import BoilerplateConfig, Config, Document, Pipeline, reasons
from cleaner.errors import ConfigError
from cleaner.stages.boilerplate import (
    BoilerplatePatternFilter,
    PatternLibrary,
    ScraperLeftoverFilter,
)
from cleaner.stages.site_templates import SiteTemplateFilter
from tests.conftest import make_doc


@pytest.fixture(scope="module")
def library():
    return PatternLibrary.from_config(BoilerplateConfig())


RULE_CASES = [
    (
        "Cette page peut inclure du contenu de tiers fourni à des fins d'information uniquement.",
        "third_party_disclaimer",
    ),
    ("Voir l'original", "view_original"),
    ("Partage", "share_prompt"),
    ("Moyenne des avis sur cet article :  2.17/5   (12 votes)", "rating_widget"),
    ("Average rating 4.6 / 5. Vote count: 4285", "rating_widget"),
    ("J'achète Le numéro !", "buy_prompt"),
    ("Je m'abonne", "subscribe_button"),
    (
        "Vous pouvez vous abonner à ma newsletter pour avoir les informations des nouveaux articles.",
        "subscribe_button",
    ),
    (
        "Ce contenu vous a été utile ? Vous pouvez me le faire savoir en me faisant un don.",
        "feedback_widget",
    ),
    ("Une faute ?", "feedback_widget"),
    ("Avertissement :", "disclaimer_no_advice"),
    (
        "Avertissement : La négociation sur instruments financiers à effet de levier comporte "
        "des risques.",
        "disclaimer_no_advice",
    ),
    (
        "Avertissement. Le contenu diffusé sur ce site Web ne sert qu’à des fins d’information "
        "et ne constitue pas un conseil.",
        "disclaimer_no_advice",
    ),
    ("Ceci ne constitue pas un conseil en investissement.", "disclaimer_no_advice"),
    ("Was this article helpful?", "feedback_widget"),
    ("Vidéo", "media_label"),
    ("Image", "media_label"),
    (
        "Vous avez choisi de refuser nos cookies mais ils contribuent au modèle économique de notre "
        "site. C'est grâce à eux que nous pouvons vous proposer des articles personnalisés et "
        "gratuits. Vous pouvez modifier votre choix en acceptant nos cookies grâce au bouton.",
        "cookie_banner",
    ),
    ("-A +A", "text_size"),
    ("Previous Next", "slider_controls"),
    ("×Close", "slider_controls"),
    ("Envoyez à un ami !", "send_to_friend"),
    ("A lire absolument", "read_also"),
    (
        "Pour consulter cette infographie, vous devez installer le logiciel gratuit Adobe Flash "
        "Player en cliquant sur le lien.",
        "plugin_notice",
    ),
    # page tools and teasers of the eighth French and the first English audit's pages
    # (monbestseller.com, commentcamarche.com, larep.fr, village-justice.com, dexerto.com, bigthink.com)
    ("Imprimer l'article", "print_button"),
    ("Print this article", "print_button"),
    ("Cette vidéo peut vous intéresser", "video_teaser"),
    ("Lectures :13479", "view_counter"),
    ("1 234 vues", "view_counter"),
    ("Affichages : 56", "view_counter"),
    (
        "Explorer : # fin de non-recevoir # juge de la mise en état # procédure civile",
        "hashtag_list",
    ),
    ("#climat #COP28 #énergie", "hashtag_list"),
    ("[ad name=”article1″]", "wordpress_shortcode"),
    ("[/caption]", "wordpress_shortcode"),
    (
        "Share Nerd vs. geek: How an insult became a compliment on Facebook",
        "share_headline",
    ),
    # the same words in an article: a printer, a reading, days ago, a bracketed source, a
    # numbered issue, a tweet's hashtag
    ("Imprimer des billets ne suffira pas, a prévenu la banque centrale.", None),
    ("Les lectures publiques reprendront en mars.", None),
    ("Il y a 5 jours, le ministre annonçait l'inverse.", None),
    # a live blog's entries, a paragraph opening on a date; a sentence, a subheading, a
    # headline on sharing (the day's hunt)
    ("Il y a 5 min Le ministre de l'Intérieur est arrivé à Nice.", None),
    ("Il y a 15 jours Emmanuel Macron recevait déjà les partenaires sociaux.", None),
    ("Share prices tumbled further after the chief executive posted again on X.", None),
    ("Partager ses photos de vacances sur Facebook ?", None),
    ("Share of women in management on LinkedIn", None),
    ("[Engadget]", None),
    ("#17850, #17896 Serialization improvements", None),
    ("Le mot-dièse #MeToo a fait le tour du monde.", None),
    ("Il a promis d'envoyer à un ami le rapport complet dès lundi.", None),
    ("Le flash de l'appareil photo a ébloui le ministre.", None),
    # a subscriber's, an error's, a photo's words in the article are no chrome
    ("Je m'abonne à ce journal depuis vingt ans, dit-elle.", None),
    ("Une faute de frappe a coûté 2 millions d'euros à la banque.", None),
    ("Photo de famille à l'Élysée", None),
    # a wrapped sentence's last word, a law on cookies, a reader's own error
    ("photos.", None),
    ("vidéo ?", None),
    (
        "Selon la délibération, les internautes doivent pouvoir refuser les cookies en un seul "
        "clic, comme ils les acceptent.",
        None,
    ),
    ("Vous avez relevé une erreur sur votre facture ? Voici les recours.", None),
    # a review's own rating and a sharing of wealth are no chrome
    ("Note : 4,5/5", None),
    ("Average Rating: 4.9", None),
    ("Partage des richesses", None),
    ("Acheter le numéro de téléphone d'un voisin est devenu courant en ligne.", None),
    ("Voir l’article original", "view_original"),
    ("Ressources:", "resources_heading"),
    ("Ressources :", "resources_heading"),
    ("Téléchargez l'application Eco Hebdo sur l'App Store et Google Play", "app_download"),
    ("Scannez le QR code pour suivre le direct", "qr_code"),
    ("Partager sur Facebook", "share_prompt"),
    ("Partager cet article", "share_prompt"),
    ("Cliquez pour partager sur Facebook(ouvre dans une nouvelle fenêtre)", "share_buttons"),
    ("Cliquez pour imprimer(ouvre dans une nouvelle fenêtre)", "share_buttons"),
    ("Click to share on X (Opens in new window) X", "share_buttons"),
    ("Klicken, um auf Facebook zu teilen (Wird in neuem Fenster geöffnet)", "share_buttons"),
    ("Suivez-nous sur X et Instagram", "follow_prompt"),
    ("Lire aussi : Le fret ferroviaire en crise", "read_also"),
    ("À lire aussi", "read_also"),
    (">> A lire aussi : Antoine Griezmann fait la une du magazine «Elle»", "read_also"),
    ("Lire l'entretien : Fleur Pellerin : « Il faut renouer les fils du dialogue »", "read_also"),
    ("Lire nos explications : A Radio France, les raisons d’une crise", "read_also"),
    ("| Lire aussi : Nouvel acte d'islamophobie dans une mosquée", "read_also"),
    ("ARTICLE RECOMMANDÉ : Mont-Blanc, le glacier recule encore", "read_also"),
    ("Pour aller plus loin > Les aides à la rénovation en 2024", "read_also"),
    ("Ce site utilise des cookies pour améliorer votre expérience.", "cookie_banner"),
    ("En poursuivant votre navigation, vous acceptez les cookies.", "cookie_banner"),
    ("© 2024 Eco Hebdo. Tous droits réservés.", "copyright"),
    ("Publicité", "advertisement"),
    ("La suite après cette publicité", "ad_continues"),
    ("Story continues below advertisement", "ad_continues"),
    ("Anzeige", "ad_continues"),
    ("Temps de lecture : 4 minutes", "reading_time"),
    ("Publié: 13 septembre 2023 à 22h57 Temps de lecture: 3 min Partage :", "reading_time"),
    ("December 11, 2023 - Words by The Spotter Team - 7 min read", "reading_time"),
    ("06. 01. 2026, 14:59 Uhr Lesedauer: 4 Minuten", "reading_time"),
    ("Publié le 12/03/2024 à 18h05", "publication_date"),
    ("Publié le : 21/11/2022 - 11:01", "publication_date"),
    ("Publié le 9 juin 2019", "publication_date"),
    ("Mise à jour : mardi 9 octobre 2012 06h28", "publication_date"),
    (
        "Par Jeanne Martin • Publié le 3 janvier 2023 à 10h00, mis à jour le 4 janvier 2023 à 8h30",
        "publication_date",
    ),
    ("Le Courrier | 04.05.2015 à 13h36 • Mis à jour le 05.05.2015 à 20h13", "publication_date"),
    ("Rédaction Sports • Publié le 26 déc. 2022 à 17h11", "publication_date"),
    ("Publié par Amandine Bouttier, le 28 novembre 2022 à 18h00", "publication_date"),
    ("Publié par la rédaction le 3 mai 2023", "publication_date"),
    ("Abonnez-vous à notre newsletter", "newsletter_prompt"),
    ("Article réservé à nos abonnés", "paywall"),
    ("Il vous reste 57.09% de cet article à lire. La suite est réservée aux abonnés.", "paywall"),
    ("La suite est réservée aux abonnés. Déjà abonné ? Se connecter", "paywall"),
    ("Déjà abonné? Connectez-vous", "paywall"),
    ("Vous avez lu 1 des 4 articles gratuits", "paywall"),
    ("THIS CONTENT IS RESERVED FOR SUBSCRIBERS ONLY", "paywall"),
    # page tools, from pages of sites the project had never seen (paris.fr, villeurbanne.fr,
    # gouvernement.fr, wojo.com), read by a person
    ("Revenir en haut", "back_to_top"),
    ("↑ Retour en haut de page", "back_to_top"),
    ("Back to top", "back_to_top"),
    ("Augmenter la taille du texte Diminuer la taille du texte", "text_size"),
    ("Change text size: + -", "text_size"),
    ("Cette vidéo est hébergée par youtube.com", "embed_consent"),
    ("En l'affichant, vous acceptez ses conditions d'utilisation", "embed_consent"),
    ("Ecouter", "listen_button"),
    ("Écouter cet article (4 min)", "listen_button"),
    ("This content is also available in English", "other_language_version"),
    ("Tags:", "tags_label"),
    ("Tags : Management, Nouveaux modes de travail, QVT", "tags_label"),
    ("Mots-clés", "tags_label"),
    ("Merci de votre soutien !", "donation_prompt"),
    ("Faites un don", "donation_prompt"),
    ("Soutenez-nous", "donation_prompt"),
    ("Donate to Wikipedia", "donation_prompt"),
    ('Partager la publication "Établissements de santé et Covid-19, le top 2020"', "share_post"),
    ("Tagged with: 30 juin, afroféministe, cancer", "tags_label"),
    # WordPress.com's widgets under a post, from French blogs the project had never seen
    ("Taggué:", "tags_label"),
    ("Tagué", "tags_label"),
    ("WordPress:", "like_widget"),
    ("J'aime chargement…", "like_widget"),
    ("Like Loading...", "like_widget"),
    # a cookie-consent dialog's purposes and labels (WordPress's Complianz plugin)
    (
        "Le stockage ou l’accès technique est strictement nécessaire dans la finalité d’intérêt"
        " légitime de permettre l’utilisation d’un service spécifique explicitement demandé.",
        "consent_dialog",
    ),
    ("Fonctionnel Fonctionnel Toujours activé", "consent_dialog"),
    ("Statistiques Statistiques", "consent_dialog"),
    ("Gérer les options Gérer les services Gérer {vendor_count} fournisseurs", "consent_dialog"),
    ("Gérer le consentement aux cookies", "consent_dialog"),
    (
        "*Votre adresse email sera utilisée par M6 Digital Services pour vous envoyer votre"
        " newsletter contenant des offres commerciales.",
        "newsletter_privacy",
    ),
]


@pytest.mark.parametrize("line, rule", RULE_CASES)
def test_pattern_library_names_the_rule(library, line, rule):
    assert library.match(line) == rule


@pytest.mark.parametrize(
    "line",
    [
        "Le ministre a partagé sur Facebook une vidéo de la crue, vue 40 000 fois en une heure.",
        "Les ressources de la commune ne suffiront pas à financer la digue, selon le maire.",
        "Les cookies de Noël de la boulangerie Martin ont remporté le concours régional cette année, "
        "devant une trentaine de concurrents venus de toute la région, qui utilisent tous du beurre.",
        "La publicité pour les jeux d’argent sera encadrée dès janvier.",
        "La suite de la saison sera réservée aux abonnés du stade, a annoncé le club mardi.",
        "Il vous reste trois jours pour vous inscrire sur les listes électorales.",
        "Lire le livre de Camus aujourd'hui : une expérience que recommande le professeur.",
        "La suite après cette publicité de la marque a choqué les consommateurs.",
        "Il lui a fallu 5 minutes pour lire la lettre, puis 10 min de lecture pour le rapport.",
        "Le rapport, publié le 5 mars 2019 à 10h, montre une hausse de 12 % des accidents.",
        "Un décret publié le 3 mai 2023 au Journal officiel",
        "Un décret publié par le ministère le 3 mai 2023 au Journal officiel",
        "Le calendrier, mis à jour le 2 février 2024 par la mairie",
        "Pour aller plus loin, la commune devra emprunter 2 millions d'euros.",
        "Article 12 : les députés ont adopté l'amendement dans la nuit.",
        "Les articles recommandés par la rédaction sont les plus lus.",
        "J'aime : la mer, le vent et les romans de Giono.",
        "WordPress : le logiciel libre équipe 40 % des sites web.",
        "Tagué par la police, le militant a porté plainte.",
        "Revenir en haut de l'affiche est l'objectif du club cette saison.",
        "Écouter les habitants, c'est notre première promesse, a dit la maire.",
        "Cette vidéo est devenue virale en quelques heures sur les réseaux sociaux.",
        "Étiquettes : les nouvelles règles entrent en vigueur le 1er janvier",
        "Ce contenu est disponible en anglais depuis 2019, précise la chaîne dans un communiqué.",
        "Merci pour votre soutien, a lancé le candidat devant ses militants.",
        "Soutenir la pêche artisanale ;",
        "Statistiques",
        "Préférences alimentaires des Français",
        "Le stockage de l’énergie reste le défi du réseau, selon RTE.",
        "Votre adresse, votre âge et votre métier comptent dans le calcul de la prime.",
        # a story that opens with a warning of its own (a student's dump of a travel page)
        "Avertissement : si vous vous promenez dans Tallinn par une froide nuit d’automne après "
        "la tombée de la nuit et qu’un vieil homme étrange s’approche de vous, méfiez-vous.",
        # article sentences that start like the page tools' rules (a helper's hostile hunt)
        "Faire un don à une association permet de bénéficier d'une réduction d'impôt de 66 %.",
        "Faites un don de sang : les réserves sont au plus bas, alerte l'EFS.",
        "Soutenez le commerce local, a lancé le maire.",
        "Ce contenu est hébergé sur des serveurs américains, ce qui inquiète la CNIL.",
        "Cette vidéo est hébergée par YouTube mais a été retirée.",
        "Il faut augmenter la taille des caractères des notices, réclame l'association.",
        "Mots-clés : les députés ont adopté le texte",
        "Ce contenu est disponible en replay.",
        "Gérer le consentement des patients est un défi pour les hôpitaux.",
        "En vous inscrivant, vous acceptez de partager vos données, prévient la CNIL.",
        "Votre adresse e-mail est utilisée par les escrocs pour vous piéger.",
    ],
)
def test_pattern_library_leaves_article_lines_alone(library, line):
    assert library.match(line) is None


def test_max_chars_keeps_long_lines(library):
    long_line = "Partager sur Facebook " + "x" * 100
    assert library.match(long_line) is None


def test_user_pattern_file_and_disabled_rules(tmp_path):
    rules = tmp_path / "site.toml"
    rules.write_text("[[rule]]\nname = \"slogan\"\npattern = '''le journal qui .*'''\n", "utf-8")
    lib = PatternLibrary.from_config(
        BoilerplateConfig(pattern_files=(str(rules),), disabled_rules=("advertisement",))
    )
    assert lib.match("Le Journal qui vous informe") == "slogan"
    assert lib.match("Publicité") is None


def test_bad_pattern_files_fail_up_front(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('[[rule]]\nname = "x"\npattern = "("\n', "utf-8")
    with pytest.raises(ConfigError, match="bad pattern"):
        PatternLibrary.from_config(BoilerplateConfig(pattern_files=(str(bad),)))
    with pytest.raises(ConfigError, match="unknown rules"):
        PatternLibrary.from_config(BoilerplateConfig(disabled_rules=("nope",)))
    with pytest.raises(ConfigError, match="cannot read"):
        PatternLibrary.from_config(BoilerplateConfig(pattern_files=(str(tmp_path / "none"),)))


def test_pattern_filter_records_rule(library):
    doc = make_doc("Un paragraphe d’article qui reste.", "Voir l'original")
    BoilerplatePatternFilter(library).process(doc)
    assert doc.lines[1].reason == reasons.BOILERPLATE_PATTERN
    assert doc.lines[1].detail == {"rule": "view_original"}
    assert doc.lines[0].kept


@pytest.mark.parametrize(
    "line, rule",
    [
        ("-", "no_letters"),
        ("•", "no_letters"),
        ("###", "no_letters"),
        ("[ad_1]", "ad_marker"),
        ("null", "null_value"),
        ("qrCode", "qr_code_label"),
        ("{{ widget }}", "template_tag"),
    ],
)
def test_scraper_leftovers(line, rule):
    doc = make_doc(line)
    ScraperLeftoverFilter().process(doc)
    assert (doc.lines[0].reason, doc.lines[0].detail) == (reasons.SCRAPER_LEFTOVER, {"rule": rule})


def test_heading_marker_is_stripped_and_heading_kept():
    doc = make_doc("### Les employés ont exprimé leur attitude", "#hashtag reste tel quel")
    stage = ScraperLeftoverFilter()
    stage.process(doc)
    assert [ln.text for ln in doc.lines] == [
        "Les employés ont exprimé leur attitude",
        "#hashtag reste tel quel",
    ]
    assert all(ln.kept for ln in doc.lines)
    assert stage.counts["heading_markers_stripped"] == 1


MENU = (
    "Accueil | Régions | Sports | Météo",
    "Le Courrier du Matin, l’information qui vous réveille",
)


def _docs(n, shared=MENU, site="courrier.example", start=0):
    docs = [
        make_doc(f"Article {i} avec une phrase qui lui est propre.", *shared, id=f"d{i}")
        for i in range(start, start + n)
    ]
    for d in docs:
        d.metadata["site"] = site
    return docs


def _templates(docs, threshold: int = 2):
    stage = SiteTemplateFilter(BoilerplateConfig(template_min_documents=threshold))
    stage.begin_observing()
    stage.add_summary(stage.summarize([stage.observation(d) for d in docs]))
    stage.decide()
    for d in docs:
        stage.process(d)
    return docs


def test_a_block_in_two_pages_of_a_site_is_its_template():
    for d in _templates(_docs(2)):
        assert d.lines[0].kept
        for line in d.lines[1:]:
            assert (line.reason, line.detail) == (
                reasons.BOILERPLATE_TEMPLATE,
                {"site": "courrier.example", "documents": 2},
            )
    assert all(ln.kept for d in _templates(_docs(1)) for ln in d.lines)
    assert all(ln.kept for d in _templates(_docs(2), threshold=3) for ln in d.lines)


def test_templates_are_per_site():
    docs = _templates(_docs(1, site="a.example") + _docs(1, site="b.example", start=1))
    assert all(ln.kept for d in docs for ln in d.lines)


def test_a_line_that_recurs_alone_is_no_template():
    # an article's title, shown again in the "related" box of another page of the same site
    title = "Crue de la Sorne : les habitants évacués regagnent leurs maisons"
    article = make_doc(title, "Les eaux ont baissé dans la nuit de mardi à mercredi.", id="a")
    other = make_doc("Un autre article du site.", "À lire aussi", title, "Météo", id="b")
    for d in (article, other):
        d.metadata["site"] = "courrier.example"
    _templates([article, other])
    assert all(ln.kept for d in (article, other) for ln in d.lines)


def test_a_generic_heading_shared_by_two_sites_is_no_template():
    # "Réactions" then "Commentaires" on pages of two sites: headings sites share, not one
    # site's chrome; the menu block of site A is A's template
    shared = ("Réactions", "Commentaires")
    docs = _docs(2, shared, "a.example") + _docs(2, shared, "b.example", start=2)
    docs += _docs(2, MENU, "a.example", start=4)
    _templates(docs)
    assert all(ln.kept for d in docs[:4] for ln in d.lines)
    assert [ln.reason for d in docs[4:] for ln in d.lines[1:]] == [reasons.BOILERPLATE_TEMPLATE] * 4


def test_templates_count_documents_not_occurrences():
    doc = make_doc("Accueil | Sports", "Météo", "Accueil | Sports", "Météo")
    _templates([doc])
    assert all(ln.kept for ln in doc.lines)


def test_site_templates_through_the_pipeline_stream_one_shot_iterators():
    cfg = Config().replace("boilerplate", model=False)
    out = list(Pipeline(cfg).run(iter(_docs(4))))
    assert [d.id for d in out] == ["d0", "d1", "d2", "d3"]
    assert all(ln.reason == reasons.BOILERPLATE_TEMPLATE for d in out for ln in d.lines[1:])


def test_site_templates_off():
    cfg = Config().replace("boilerplate", template_min_documents=0, model=False)
    out = list(Pipeline(cfg).run(_docs(4)))
    assert all(ln.kept for d in out for ln in d.lines)
    assert not any(s.name == "site_templates" for s in Pipeline(cfg).stages)
    off = cfg.replace("dedup", documents=False)
    assert not Pipeline(off).two_pass


def test_document_roundtrip_through_spool_keeps_everything():
    doc = make_doc("Une ligne.", "Voir l'original")
    assert Document.from_dict(doc.to_dict()) == doc


def test_spool_to_disk_gives_the_same_result_as_in_memory():
    docs = _docs(5, "Accueil | Régions | Sports | Météo")
    small = Pipeline(Config(), spool_memory_bytes=1)  # everything goes through the file
    big = Pipeline(Config())
    a = [d.to_dict() for d in small.run(iter(docs))]
    b = [d.to_dict() for d in big.run(_docs(5, "Accueil | Régions | Sports | Météo"))]
    assert a == b
    assert [d["id"] for d in a] == ["d0", "d1", "d2", "d3", "d4"]


def test_keywords_never_change_a_verdict(library, repo):
    """Each shipped rule's prefixes and keywords are necessary: gating changes no decision."""
    import dataclasses

    ungated = PatternLibrary(
        [dataclasses.replace(r, keywords=(), prefixes=()) for r in library.rules.values()]
    )
    lines = []
    for path in [*(repo / "corpora").rglob("*.txt"), *(repo / "tests" / "fixtures").rglob("*.txt")]:
        lines += path.read_text("utf-8", errors="replace").splitlines()
    lines += [line for line, _ in RULE_CASES]
    assert len(lines) > 500
    for line in lines:
        assert library.match(line) == ungated.match(line), line
        has_keyword = 0 in library.lines_with_keywords([line.casefold()])
        assert library.match(line, line.casefold(), has_keyword) == ungated.match(line), line


KEEP_RULES = """
[[rule]]
name = "our_follow_line"
action = "keep"
description = "This corpus keeps its papers' follow line"
pattern = '''suivez-nous sur'''
prefixes = ["suivez-nous"]

[[rule]]
name = "our_signature"
action = "keep"
pattern = '''rédaction : marie dupont$'''
"""


def _keep_config(tmp_path, **more):
    rules = tmp_path / "keep.toml"
    rules.write_text(KEEP_RULES, "utf-8")
    return BoilerplateConfig(pattern_files=(str(rules),), **more)


def test_keep_rules_load_apart_from_the_drop_rules(tmp_path):
    config = _keep_config(tmp_path)
    keep = PatternLibrary.from_config(config, keep=True)
    drop = PatternLibrary.from_config(config)
    assert sorted(keep.rules) == ["our_follow_line", "our_signature"]
    assert keep.match("Suivez-nous sur Facebook") == "our_follow_line"
    assert drop.match("Suivez-nous sur Facebook") == "follow_prompt"  # the shipped rule
    assert "our_signature" not in drop.rules and "follow_prompt" not in keep.rules
    off = PatternLibrary.from_config(
        _keep_config(tmp_path, disabled_rules=("our_signature",)), True
    )
    assert sorted(off.rules) == ["our_follow_line"]


@pytest.mark.parametrize(
    "toml, message",
    [
        ("[[rule]]\nname = 'x'\naction = 'protect'\npattern = 'a'\n", 'action must be "drop" or'),
        ("[[rule]]\nname = 'x'\naction = 1\npattern = 'a'\n", 'action must be "drop" or'),
        (
            "[[rule]]\nname = 'x'\npattern = 'a'\n[[rule]]\nname = 'x'\naction = 'keep'\n"
            "pattern = 'b'\n",
            "defined twice: x",
        ),
    ],
)
def test_bad_keep_rules_fail_up_front(tmp_path, toml, message):
    path = tmp_path / "bad.toml"
    path.write_text(toml, "utf-8")
    config = BoilerplateConfig(pattern_files=(str(path),))
    for keep in (False, True):
        with pytest.raises(ConfigError, match=message):
            PatternLibrary.from_config(config, keep=keep)


def test_a_keep_rule_wins_over_a_drop_rule(tmp_path, library):
    config = _keep_config(tmp_path)
    doc = make_doc("Un paragraphe d’article qui reste.", "Suivez-nous sur Facebook", "Publicité")
    stage = BoilerplatePatternFilter(library, PatternLibrary.from_config(config, keep=True))
    stage.process(doc)
    assert [ln.kept for ln in doc.lines] == [True, True, False]
    assert doc.lines[1].pinned == "our_follow_line"
    assert (doc.lines[2].reason, doc.lines[2].detail) == (
        reasons.BOILERPLATE_PATTERN,
        {"rule": "advertisement"},
    )
    assert stage.counts == {"pinned": 1, "pinned_spared": 1, reasons.BOILERPLATE_PATTERN: 1}
    alone = make_doc("Suivez-nous sur Facebook")
    assert stage.check(alone.lines[0]) is None  # line by line too
    assert BoilerplatePatternFilter(library).check(alone.lines[0]) is not None


def test_a_keep_rule_wins_over_the_site_templates(tmp_path):
    # two pages of one site end with the same signature and menu: the site's template, but
    # the signature is pinned
    block = ("Rédaction : Marie Dupont", "Accueil | Régions | Sports | Météo")
    docs = _docs(2, block)
    keep = PatternLibrary.from_config(_keep_config(tmp_path), keep=True)
    stage = BoilerplatePatternFilter(PatternLibrary([]), keep)
    for doc in docs:
        stage.process(doc)
    _templates(docs)
    assert [[ln.kept for ln in d.lines] for d in docs] == [[True, True, False]] * 2
    assert [d.lines[1].pinned for d in docs] == ["our_signature"] * 2
    dropped = _templates(_docs(2, block))
    assert [ln.reason for d in dropped for ln in d.lines[1:]] == [reasons.BOILERPLATE_TEMPLATE] * 4


def test_a_pinned_line_stays_pinned_through_the_spool():
    doc = make_doc("Une ligne.", "Suivez-nous sur Facebook")
    doc.lines[1].pinned = "our_follow_line"
    assert Document.from_dict(doc.to_dict()).lines[1].pinned == "our_follow_line"
    import pickle

    assert pickle.loads(pickle.dumps(doc)).lines[1].pinned == "our_follow_line"
