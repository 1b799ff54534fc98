"""The boilerplate line model on whole pages written for the project (tests/fixtures/pages),
whose article lines a person marked in labels.json; training and evaluating on them."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from cleaner import Config, Document, Pipeline, reasons, render_text, run
from cleaner.report.data import explain
from cleaner.stages.boilerplate_model import page_title, title_of

PAGES = Path(__file__).parent / "fixtures" / "pages"
LABELS = json.loads((PAGES / "labels.json").read_text("utf-8"))


def _boilerplate(*args: str) -> subprocess.CompletedProcess:
    """``cleaner boilerplate ARGS`` in a process of its own, as a user runs it."""
    return subprocess.run(
        [sys.executable, "-m", "cleaner", "boilerplate", *args],
        capture_output=True, text=True, check=False,
    )  # fmt: skip


def clean(name: str, config: Config | None = None) -> Document:
    text = (PAGES / name).read_text("utf-8")
    (doc,) = Pipeline(config or Config()).run([Document.from_text(text, id=name)])
    return doc


def kept_numbers(doc: Document) -> list[int]:
    return [ln.number for ln in doc.lines if ln.kept]


def test_a_heading_inside_the_article_stays_and_the_chrome_around_goes():
    doc = clean("heading-inside.txt")
    kept = kept_numbers(doc)
    # the two headings between paragraphs, and every paragraph
    assert {11, 15} <= set(kept)
    assert set(range(8, 19)) <= set(kept)
    # menus, login, date before; share tools, related links and footer after
    assert not set(kept) & ({1, 2, 3, 4, 5, 7} | set(range(19, 31)))
    model_drops = [ln for ln in doc.lines if ln.reason == reasons.BOILERPLATE_MODEL]
    assert {ln.number for ln in model_drops} >= {1, 2, 3, 4, 20, 21, 27, 28, 29}
    # the date line is the pattern library's ("Publié le 14/05/2024 à 08h12"), which runs first
    assert doc.lines[6].reason == reasons.BOILERPLATE_PATTERN
    assert doc.lines[6].detail == {"rule": "publication_date"}
    for line in model_drops:
        assert set(line.detail) == {"score", "region", "article_lines", "features"}
        assert line.detail["article_lines"] == [6, 18]  # from the headline to the last paragraph
        assert 0.0 <= line.detail["score"] < 1.0
        assert line.detail["region"] in {"before", "inside", "after"}
        assert len(line.detail["features"]) == 3
        assert all(value < 0 for value in line.detail["features"].values())  # towards chrome


def test_the_records_title_names_a_headline_far_above_the_article():
    # 22 lines of author box, tools and dates between the headline and the first paragraph:
    # too far for the headline to be found from the lines alone, named by the record's title
    text = (PAGES / "title-far-above.txt").read_text("utf-8")
    doc = Document.from_text(
        text, id="p", title="Une nuit blanche sur les quais | The Conversation"
    )
    (doc,) = Pipeline(Config()).run([doc])
    assert kept_numbers(doc) == LABELS["title-far-above.txt"]


def test_a_parquet_title_column_is_the_pages_title(tmp_path):
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    lines = (PAGES / "title-far-above.txt").read_text("utf-8").splitlines()
    table = pa.table({"id": ["p"], "title": [lines[5]], "text": ["\n".join(lines)]})
    pq.write_table(table, str(tmp_path / "in.parquet"))
    out = tmp_path / "out"
    run([tmp_path / "in.parquet"], out, translate=False)  # a path, as well as a string
    (text,) = pq.read_table(str(out / "clean.parquet")).column("text").to_pylist()
    assert text.splitlines() == [lines[n - 1] for n in LABELS["title-far-above.txt"]]


def test_the_pages_url_names_the_headline_when_no_title_is_given():
    text = (PAGES / "title-far-above.txt").read_text("utf-8")
    url = "https://www.example.org/2022/11/03/une-nuit-blanche-sur-les-quais"
    pipeline = Pipeline(Config())
    (doc,) = pipeline.run([Document.from_text(text, id="p", url=url)])
    assert kept_numbers(doc) == LABELS["title-far-above.txt"]
    assert pipeline.counts()["boilerplate_model"]["url_titles_matched"] == 1


def test_a_jsonl_field_named_by_the_config_is_the_pages_title(tmp_path):
    lines = (PAGES / "title-far-above.txt").read_text("utf-8").splitlines()
    record = {"id": "p", "headline": lines[5], "text": "\n".join(lines)}
    (tmp_path / "in.jsonl").write_text(json.dumps(record, ensure_ascii=False) + "\n", "utf-8")
    (tmp_path / "c.toml").write_text('[boilerplate]\ntitle_field = "headline"\n', "utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "cleaner", "run", "--no-translate", "--config",
         str(tmp_path / "c.toml"), str(tmp_path / "in.jsonl"), "-o", str(tmp_path / "out")],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    (out,) = [json.loads(x) for x in (tmp_path / "out" / "clean.jsonl").read_text().splitlines()]
    assert out["text"].splitlines() == [lines[n - 1] for n in LABELS["title-far-above.txt"]]
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert manifest["counts"]["by_stage"]["boilerplate_model"]["titles_matched"] == 1


def test_labelled_pages_are_scored_with_their_title(tmp_path):
    # the page above as a labelled page: 7 article lines (the headline and six paragraphs)
    lines = (PAGES / "title-far-above.txt").read_text("utf-8").splitlines()
    article = LABELS["title-far-above.txt"]
    labels = [1 if n in article else 0 for n in range(1, len(lines) + 1)]
    record = {"id": "p", "site": "a.example", "lines": lines, "labels": labels}
    pages = tmp_path / "pages.jsonl"
    pages.write_text(json.dumps(record | {"title": lines[5]}, ensure_ascii=False) + "\n", "utf-8")
    done = _boilerplate("eval", str(pages))
    assert done.returncode == 0, done.stderr
    # every article line kept, every other line removed, as in a run given the title
    assert _row(done.stdout, "all") == ["all", "7", "100.0%", "31", "100.0%", "1.000"]


def test_the_pages_title_is_its_records_field_else_the_one_found():
    found = {"title": "Le titre du HTML"}
    doc = Document.from_text("x\n", id="p", fields={"titre": "Le titre du flux"}, **found)
    assert page_title(doc, "titre") == "Le titre du flux"
    assert page_title(doc, "title") == "Le titre du HTML"  # no such field: the one found
    assert page_title(doc, "") == ""  # titles switched off
    doc = Document.from_text("x\n", id="p", fields={"title": 7, "t": "  "})
    assert page_title(doc, "title") == page_title(doc, "t") == ""  # not a title
    # no title: the URL's words, the record's URL field before the one the reader found
    fields = {"link": "https://exemple.fr/la-greve-des-cheminots"}
    doc = Document.from_text("x\n", id="p", fields=fields, url="https://exemple.fr/accueil")
    assert title_of(doc) == ("la greve des cheminots", True)
    assert title_of(doc, "title", from_url=False) == ("", False)
    assert title_of(Document.from_text("x\n", id="p", title="Un titre")) == ("Un titre", False)


def test_the_title_above_a_date_line_stays():
    assert 6 in kept_numbers(clean("heading-inside.txt"))


def test_the_site_name_quoted_in_the_article_is_not_its_headline():
    # the second paragraph quotes the paper ("a confié au Journal du Berry"): the site's name
    # at the top shares all its words with the article, the headline three of its five; the
    # headline is put back, the name is not; and since the date line under the headline is
    # the pattern library's, the walk starts at the headline: the name is then a masthead
    doc = clean("site-name-quoted.txt")
    assert kept_numbers(doc) == LABELS["site-name-quoted.txt"]


def test_a_teaser_block_after_the_article_goes():
    doc = clean("teaser-after.txt")
    assert kept_numbers(doc) == LABELS["teaser-after.txt"]
    teasers = [doc.lines[n - 1] for n in (22, 23, 24)]  # whole sentences about other stories
    assert all(ln.reason == reasons.BOILERPLATE_MODEL for ln in teasers)
    assert all(ln.detail["region"] == "after" for ln in teasers)


def test_a_table_inside_the_article_stays():
    # a price table, one cell per line as a scraper leaves it, between the paragraph that
    # announces it (ending with a colon) and the rest of the article: every cell is article,
    # the menus, the date line, the share tools and the footer are not
    doc = clean("table-inside.txt")
    assert kept_numbers(doc) == LABELS["table-inside.txt"]


def test_the_disclaimer_between_two_copies_and_the_second_copy_go():
    doc = clean("two-copies.txt")
    text = (PAGES / "two-copies.txt").read_text("utf-8").splitlines()
    assert render_text(doc).splitlines() == [text[7]] + text[0:4]
    assert [doc.lines[n - 1].reason for n in (5, 6, 7)] == [reasons.BOILERPLATE_PATTERN] * 3
    assert doc.lines[8].reason == reasons.SOURCE_METADATA
    assert {doc.lines[n - 1].reason for n in (10, 11, 12)} == {reasons.DUPLICATE_COPY}


def favor(setting: str | float) -> Config:
    return Config().replace("boilerplate", favor=setting)


def test_favor_recall_keeps_a_short_last_paragraph():
    # the article ends with a two-word sentence ("Entrée gratuite.") right above the share
    # tools: the balanced walk leaves the article before it (a known loss: leaving for the last
    # line costs less than its doubtful evidence); leaning to recall keeps it, and no chrome
    labels = LABELS["short-ending.txt"]
    assert kept_numbers(clean("short-ending.txt")) == labels[:-1]
    assert kept_numbers(clean("short-ending.txt", favor("recall"))) == labels


def test_favor_precision_drops_a_prompt_under_the_article():
    # "Vous avez aimé cet article ? Partagez-le avec vos amis." between the last paragraph and
    # the share tools: a sentence, and balanced keeps it with the article; leaning to
    # precision drops it, and keeps every article line
    prompt = 16
    assert prompt in kept_numbers(clean("prompt-ending.txt"))
    kept = kept_numbers(clean("prompt-ending.txt", favor("precision")))
    assert kept == LABELS["prompt-ending.txt"]


def test_favor_as_a_number_moves_the_walk_as_the_names_do():
    # the two pages above: a number is the log-odds move itself (recall is +0.8, precision
    # -0.8), so 1.0 keeps the short last paragraph and -1.0 drops the prompt, as the names do
    assert kept_numbers(clean("short-ending.txt", favor(1.0))) == LABELS["short-ending.txt"]
    assert kept_numbers(clean("prompt-ending.txt", favor(-1.0))) == LABELS["prompt-ending.txt"]
    assert 16 in kept_numbers(clean("prompt-ending.txt", favor(0.0)))


def test_a_photo_caption_with_its_credit_under_the_article_goes():
    # "Photo d'illustration : la crypte en 2019, avant les travaux." under the last paragraph:
    # a sentence, but a caption; its credit mark is what gives it away
    doc = clean("caption-ending.txt")
    assert kept_numbers(doc) == LABELS["caption-ending.txt"]
    caption = doc.lines[15]
    assert caption.reason == reasons.BOILERPLATE_MODEL
    assert "credit" in caption.detail["features"]


def test_a_photo_credit_between_two_paragraphs_goes():
    # "(Photo : AFP)" between paragraphs: the walk would keep it (leaving the article for one
    # line costs more than the line's evidence), but the model is sure it is chrome
    paragraphs = [
        "Le conseil municipal a voté mardi soir le budget de la nouvelle médiathèque, qui doit "
        "ouvrir au printemps prochain dans l'ancien quartier de la gare.",
        "Les travaux commenceront en janvier et devraient durer un peu plus de huit mois, selon "
        "le maire, qui a présenté le projet aux habitants la semaine dernière.",
        "(Photo : AFP)",
        "L'opposition a dénoncé un coût trop élevé pour une commune de cette taille, mais a fini "
        "par s'abstenir lors du vote final, tard dans la soirée.",
        "Une réunion publique est prévue le 12 mars à la salle des fêtes pour répondre aux "
        "questions des riverains sur le stationnement pendant le chantier.",
    ]
    (doc,) = Pipeline(Config()).run([Document.from_text("\n".join(paragraphs) + "\n")])
    assert kept_numbers(doc) == [1, 2, 4, 5]
    credit = doc.lines[2]
    assert credit.reason == reasons.BOILERPLATE_MODEL
    assert credit.detail["region"] == "inside"


def test_a_comment_thread_longer_than_the_article_goes():
    # a one-paragraph piece under its headline, then "14 réactions" and readers' comments,
    # one of them eight paragraphs long: more prose than the article, which a walk would take
    # for it; each comment's "X dit :" and "Répondre" lines make it a thread, from its heading
    doc = clean("comment-thread.txt")
    assert kept_numbers(doc) == LABELS["comment-thread.txt"]
    heading, long_comment = doc.lines[9], doc.lines[52]
    assert heading.text == "14 réactions"
    assert long_comment.text.startswith("Ensuite, le tracé retenu")
    for line in (heading, long_comment):
        assert line.reason == reasons.BOILERPLATE_MODEL
        assert line.detail["comment_thread_from_line"] == 10
    # lines above the thread carry no such evidence
    assert "comment_thread_from_line" not in doc.lines[5].detail
    note = explain(long_comment.reason, long_comment.detail)
    assert note.startswith(
        f"line model: score {long_comment.detail['score']}, after the article, "
        "in the comment thread from line 10 ("
    )


def test_nothing_below_a_paywalls_end_of_the_text_is_the_article():
    # read by hand: a headline and three paragraphs, then the paywall's "Il vous reste 57.09%
    # de cet article à lire" (the text stops there), then a newspaper's notice about reading
    # on one device at a time, in prose: no line of the article, whatever the model reads
    page = [
        "Accueil",
        "Politique",
        "La réforme des retraites divise encore la majorité",
        "Les députés de la majorité se sont réunis mardi soir pour tenter de trouver un "
        "compromis sur le texte, sans y parvenir après trois heures de discussion.",
        "Plusieurs élus ont fait savoir qu'ils ne voteraient pas l'article sur l'âge de départ, "
        "ce qui fragilise le gouvernement à quelques jours du scrutin.",
        "Le ministre du travail a reconnu que la partie serait serrée, tout en se disant "
        "confiant dans la capacité de la majorité à se rassembler.",
        "Il vous reste 57.09% de cet article à lire. La suite est réservée aux abonnés.",
        "Lecture du journal en cours sur un autre appareil.",
        "Vous pouvez lire le journal sur un seul appareil à la fois, car une autre personne est "
        "peut-être en train de lire avec votre compte.",
        "Ce message s'affichera sur l'autre appareil, qui restera connecté avec ce compte tant "
        "que vous ne continuez pas à lire ici.",
        "Vous pouvez vous connecter avec votre compte sur autant d'appareils que vous le "
        "souhaitez, mais en les utilisant à des moments différents.",
        "Nous vous conseillons de modifier votre mot de passe si vous ignorez qui est l'autre "
        "personne.",
        "Mentions légales",
    ]
    (doc,) = Pipeline(Config()).run([Document.from_text("\n".join(page), id="p")])
    assert kept_numbers(doc) == [3, 4, 5, 6]
    assert doc.lines[6].reason == reasons.BOILERPLATE_PATTERN
    for line in doc.lines[7:]:
        assert line.reason == reasons.BOILERPLATE_MODEL
        assert line.detail["below_paywall_line"] == 7
    assert "below_paywall_line" not in doc.lines[0].detail
    note = explain(doc.lines[8].reason, doc.lines[8].detail)
    assert ", below the paywall's end of the text at line 7 (" in note


def test_a_page_in_a_language_without_stoplist():
    # Chinese: jusText has no stoplist; the model scores the lines without stopword features
    # (the page is kept as it is, rather than dropped as a page in another language)
    doc = clean("chinese.txt", Config().replace("language", other_documents="keep"))
    assert kept_numbers(doc) == LABELS["chinese.txt"]


def test_the_model_can_be_switched_off():
    doc = clean("teaser-after.txt", Config().replace("boilerplate", model=False))
    assert not any(ln.reason == reasons.BOILERPLATE_MODEL for ln in doc.lines)
    assert 22 in kept_numbers(doc)


def test_site_templates_across_two_sites(tmp_path):
    # two articles on each of two sites (the shipped sample's hand-checked clean pages); site A
    # repeats its menu block on both pages, and every page has the heading "Réactions" after
    # its third paragraph: a heading the two sites share, not a template
    truth = sorted((Path(__file__).parents[1] / "corpora" / "truth").glob("*/*.txt"))[:4]
    menu = ["Le Journal du Bocage", "Accueil | Actualités | Sports | Économie | Culture | Météo"]
    for page, (site, name) in zip(
        truth, [("site-a", "p1"), ("site-a", "p2"), ("site-b", "p1"), ("site-b", "p2")], strict=True
    ):
        body = page.read_text("utf-8").splitlines()
        head = menu if site == "site-a" else []
        lines = head + body[:4] + ["Réactions"] + body[4:]
        (tmp_path / "in" / site).mkdir(parents=True, exist_ok=True)
        (tmp_path / "in" / site / f"{name}.txt").write_text("\n".join(lines) + "\n", "utf-8")
    run([str(tmp_path / "in")], tmp_path / "out", Config(), translate=False)
    rejects = [json.loads(x) for x in (tmp_path / "out" / "rejects.jsonl").read_text().splitlines()]
    templates = [r for r in rejects if r["reason"] == reasons.BOILERPLATE_TEMPLATE]
    assert sorted((r["doc"], r["line"]) for r in templates) == [
        ("site-a/p1", 1), ("site-a/p1", 2), ("site-a/p2", 1), ("site-a/p2", 2)
    ]  # fmt: skip
    assert all(r["detail"] == {"site": "site-a", "documents": 2} for r in templates)
    assert not any(r["text"] == "Réactions" for r in rejects)


def test_a_page_saved_twice_on_its_site_keeps_its_lines():
    # the same article under two URLs of one site: the near-duplicate stage drops the copy; the
    # original is no template of itself (every line recurs on the site's other page)
    text = (PAGES / "heading-inside.txt").read_text("utf-8")
    docs = [Document.from_text(text, id=i, site="bocage") for i in ("a", "b")]
    original, copy = Pipeline(Config()).run(docs)
    assert kept_numbers(original) == kept_numbers(clean("heading-inside.txt"))
    assert {ln.reason for ln in copy.lines} - {reasons.BOILERPLATE_PATTERN} == {
        reasons.DUPLICATE_DOCUMENT
    }


POLICY = [
    "Règles de publication des commentaires",
    "Nous sommes heureux que vous ayez choisi de laisser un commentaire sur notre site.",
    "Pour que la discussion reste agréable pour tous, merci de respecter les règles suivantes.",
    "Un commentaire ne doit pas dépasser 2 000 signes, espaces compris, pour rester lisible.",
    "Les propos injurieux, racistes ou diffamatoires sont interdits et seront supprimés.",
    "La publicité pour des produits, des services ou d'autres sites n'est pas acceptée ici.",
    "La rédaction se réserve le droit de publier certains commentaires dans l'édition papier.",
]
ARTICLES = [
    [
        "Le marché couvert rouvre ses portes à Vire",
        "Après huit mois de travaux, le marché couvert de Vire a rouvert samedi matin.",
        "Les vingt-deux commerçants ont retrouvé leurs étals sous une charpente entièrement "
        "rénovée, et la municipalité promet des nocturnes chaque premier vendredi du mois.",
    ],
    [
        "Une nouvelle ligne de bus entre Flers et Condé",
        "La communauté d'agglomération ouvrira en septembre une ligne directe entre les deux villes.",
        "Six allers-retours par jour sont prévus en semaine, deux le samedi, pour un trajet de "
        "vingt-cinq minutes environ, au prix d'un ticket ordinaire.",
    ],
    [
        "La médiathèque de Tinchebray prolonge ses horaires",
        "Dès le mois prochain, la médiathèque ouvrira aussi le mardi soir jusqu'à 20 heures.",
        "Cette ouverture répond à une demande des lecteurs qui travaillent en journée, explique "
        "la responsable, qui espère attirer un public plus jeune.",
    ],
]


def test_a_comment_policy_under_every_article_of_a_site_is_its_template():
    # three articles of one site, each followed by the same comment policy: seven lines of
    # prose, more than the article has, on every page. The pages are not copies of each other
    # (their articles differ): the policy is the site's template, the articles stay
    docs = [
        Document.from_text("\n".join(["Le Journal du Bocage", *body, *POLICY]) + "\n",
                           id=f"p{i}", site="bocage")
        for i, body in enumerate(ARTICLES)
    ]  # fmt: skip
    for doc, body in zip(Pipeline(Config()).run(docs), ARTICLES, strict=True):
        policy = [ln for ln in doc.lines if ln.text in POLICY]
        assert [ln.reason for ln in policy] == [reasons.BOILERPLATE_TEMPLATE] * len(POLICY)
        assert [ln.text for ln in doc.lines if ln.kept] == body


def test_the_report_explains_the_models_decision():
    doc = clean("teaser-after.txt")
    line = doc.lines[21]
    note = explain(line.reason, line.detail)
    assert note.startswith(f"line model: score {line.detail['score']}, after the article (")
    from cleaner.linemodel.features import describe

    assert all(describe(name) in note for name in line.detail["features"])
    assert describe("log_chars@-1") == "length in characters, the line above"


def _labelled(path: Path) -> Path:
    with open(path, "w", encoding="utf-8") as fh:
        for name, article in LABELS.items():
            if name == "about":
                continue
            lines = (PAGES / name).read_text("utf-8").splitlines()
            labels = [1 if n in article else 0 for n in range(1, len(lines) + 1)]
            record = {"id": name, "site": name, "lines": lines, "labels": labels}
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


def test_train_a_model_of_ones_own_and_use_it(tmp_path):
    pytest.importorskip("sklearn", reason="training needs scikit-learn (the dev extra has it)")
    pages = _labelled(tmp_path / "pages.jsonl")
    for out in ("a.json", "b.json"):
        done = _boilerplate("train", str(pages), "--out", str(tmp_path / out))
        assert done.returncode == 0, done.stderr
        assert "cross-validated F1 (by site, the mean of 3 fold draws)" in done.stderr
    # deterministic: the same pages give the same model, byte for byte
    assert (tmp_path / "a.json").read_bytes() == (tmp_path / "b.json").read_bytes()
    about = json.loads((tmp_path / "a.json").read_text())["about"]
    sites = len(LABELS) - 1  # one site per labelled page ("about" aside)
    assert about["pages"] >= sites and about["sites"] == sites  # the pages, and their crops
    assert about["cv_draws"] == 3
    done = _boilerplate("eval", str(pages), "--model", str(tmp_path / "a.json"))
    assert done.returncode == 0, done.stderr
    table = {row.split()[0]: row.split() for row in done.stdout.splitlines()[1:]}
    assert table["all"][1] == str(sum(len(v) for k, v in LABELS.items() if k != "about"))
    # against the shipped model: both tables, and the difference of their F1 over all pages
    done = _boilerplate(
        "eval", str(pages), "--model", str(tmp_path / "a.json"), "--against", "shipped"
    )
    assert done.returncode == 0, done.stderr
    ours, theirs = done.stdout.split("against shipped:")
    f1 = [float(_row(part, "all")[-1]) for part in (ours, theirs)]
    pooled = done.stdout.split("pooled ")[1].split()[0]
    assert float(pooled) == pytest.approx(f1[0] - f1[1], abs=0.0015)  # both rounded to 0.001
    config = Config().replace("boilerplate", model_path=str(tmp_path / "a.json"))
    assert clean("two-copies.txt", config).lines[4].reason == reasons.BOILERPLATE_PATTERN


def _row(table: str, lang: str) -> list[str]:
    return next(row.split() for row in table.splitlines() if row.startswith(lang + " "))


def test_a_model_against_itself_differs_by_nothing_for_sure(tmp_path):
    pages = _labelled(tmp_path / "pages.jsonl")
    done = _boilerplate("eval", str(pages), "--against", "shipped")
    assert done.returncode == 0, done.stderr
    ours, theirs = done.stdout.split("against shipped:")
    assert _row(ours, "all") == _row(theirs, "all")
    last = done.stdout.strip().splitlines()[-1]
    sites = len(LABELS) - 1  # one site per labelled page
    assert last == (
        "F1 minus shipped's, all pages: pooled +0.000 [+0.000, +0.000], per page +0.000 "
        f"[+0.000, +0.000] (95 % intervals: the {sites} sites resampled 2,000 times)"
    )


def test_against_a_model_missing_or_not_a_model_is_a_one_line_error(tmp_path):
    pages = _labelled(tmp_path / "pages.jsonl")
    (tmp_path / "other.json").write_text('{"format": "something else"}', "utf-8")
    done = _boilerplate("eval", str(pages), "--against", str(tmp_path / "other.json"))
    assert done.returncode == 1 and done.stdout == ""  # not the first model's table alone
    assert "not a cleaner line model" in done.stderr
    done = _boilerplate("eval", str(pages), "--against", str(tmp_path / "absent.json"))
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.strip().count("\n") == 0 and "absent.json" in done.stderr


def test_pages_a_model_cannot_be_fitted_on_are_one_line_errors(tmp_path):
    pytest.importorskip("sklearn", reason="training needs scikit-learn (the dev extra has it)")
    pages = tmp_path / "pages.jsonl"
    page = ["Accueil", "Le conseil municipal a voté le budget de la ville dimanche soir."]
    records = [{"id": f"p{i}", "site": site, "lines": page, "labels": labels}
               for i, (site, labels) in enumerate([("a.fr", [0, 1]), ("b.fr", [0, 1])])]  # fmt: skip
    pages.write_text("".join(json.dumps(r) + "\n" for r in records), "utf-8")
    done = _boilerplate(
        "train", str(pages), "--out", str(tmp_path / "m.json")
    )  # two sites: no three groups of sites to choose settings on
    assert done.returncode == 1 and done.stderr.strip().count("\n") == 0
    assert "training needs pages of 3 sites at least" in done.stderr
    assert "these pages come from 2" in done.stderr
    records = [{"id": s, "site": s, "lines": page, "labels": [1, 1]} for s in ("a", "b", "c")]
    pages.write_text("".join(json.dumps(r) + "\n" for r in records), "utf-8")
    done = _boilerplate(
        "train", str(pages), "--out", str(tmp_path / "m.json")
    )  # every line an article line: nothing to tell apart
    assert done.returncode == 1 and done.stderr.strip().count("\n") == 0
    assert "both article lines (1) and other lines (0)" in done.stderr
    assert not (tmp_path / "m.json").exists()


def test_a_feature_the_same_on_every_page_is_not_scaled_by_zero(tmp_path):
    pytest.importorskip("sklearn", reason="training needs scikit-learn (the dev extra has it)")
    # four sites' copies of one page: several features take one value everywhere, whose
    # spread numpy computes as a rounding error (1e-17), not 0; the model must still load and
    # keep the paragraph and drop the menu and the share button, as its own CV says it does
    page = [
        "Accueil",
        "Le conseil municipal a voté le budget de la ville dimanche soir, après un long débat.",
        "Partager",
    ]
    pages = tmp_path / "pages.jsonl"
    records = [{"id": s, "site": s, "lines": page, "labels": [0, 1, 0]} for s in "abcd"]
    pages.write_text("".join(json.dumps(r) + "\n" for r in records), "utf-8")
    done = _boilerplate("train", str(pages), "--out", str(tmp_path / "m.json"))
    assert done.returncode == 0, done.stderr
    assert min(json.loads((tmp_path / "m.json").read_text())["scale"]) > 0
    done = _boilerplate("eval", str(pages), "--model", str(tmp_path / "m.json"))
    assert done.returncode == 0 and "Warning" not in done.stderr, done.stderr
    assert _row(done.stdout, "all")[1:] == ["4", "100.0%", "8", "100.0%", "1.000"]


def test_a_model_with_no_folder_to_go_to_is_refused_before_training(tmp_path):
    pages = _labelled(tmp_path / "pages.jsonl")
    done = _boilerplate("train", str(pages), "--out", str(tmp_path / "absent" / "m.json"))
    assert done.returncode == 2 and done.stderr.strip().count("\n") == 0
    assert "no folder to write" in done.stderr
    assert "cross-validated" not in done.stderr  # nothing was trained


def test_bad_labelled_pages_are_one_line_errors(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"lines": ["a", "b"], "labels": [1]}\n', "utf-8")
    done = _boilerplate("eval", str(bad))
    assert done.returncode == 1
    assert done.stderr.strip().count("\n") == 0
    assert "'labels' must give 0 or 1 for each line" in done.stderr
    # a line holding a line break would be read as two lines, out of step with the labels
    bad.write_text('{"lines": ["a", "b\\rc"], "labels": [1, 0]}\n', "utf-8")
    done = _boilerplate("eval", str(bad))
    assert done.returncode == 1 and done.stderr.strip().count("\n") == 0
    assert "line 2 holds a line break" in done.stderr
    bad.write_text('{"lines": ["a"], "labels": [1]}\n{"lines": [], "labels": []}\n', "utf-8")
    done = _boilerplate("eval", str(bad))
    assert done.returncode == 1 and done.stderr.strip().count("\n") == 0
    assert f"{bad}:2: a page without lines" in done.stderr
    for content, error in (
        (b'{"lines": ["caf\xe9"], "labels": [1]}\n', f"{bad}:1: not UTF-8 text"),  # Latin-1
        (b'{"lines": ["a"], "labels": [1], "site": 5}\n', f"{bad}:1: 'site' must be a string"),
        (b'{"lines": ["a"], "labels": [1], "title": []}\n', f"{bad}:1: 'title' must be a string"),
        (b"\x1f\x8b\x08\x00\xff\xfe", f"{bad}:1: not UTF-8 text"),  # binary
    ):
        bad.write_bytes(content)
        done = _boilerplate("eval", str(bad))
        assert done.returncode == 1 and done.stderr.strip().count("\n") == 0
        assert error in done.stderr
    gz = tmp_path / "bad.jsonl.gz"
    gz.write_bytes(b"not gzip at all\n")
    done = _boilerplate("eval", str(gz))
    assert done.returncode == 1 and done.stderr.strip().count("\n") == 0
    assert f"{gz}: cannot read it" in done.stderr


def test_labelled_pages_may_start_with_a_byte_order_mark(tmp_path):
    pages = tmp_path / "bom.jsonl"
    record = {
        "lines": ["Le conseil municipal a voté le budget dimanche soir."],
        "labels": [1],
        "url": None,  # null where unknown, as the shipped dataset writes it
    }
    pages.write_bytes(b"\xef\xbb\xbf" + json.dumps(record).encode() + b"\n")  # Notepad's UTF-8
    done = _boilerplate("eval", str(pages))
    assert done.returncode == 0, done.stderr
    assert _row(done.stdout, "all")[1:3] == ["1", "100.0%"]  # its one article line, kept


LABEL_PAGE = """\
Accueil | Région | Sport | Culture
La piscine de Brévannes ne rouvrira pas avant 2026
Publié le 14/03/2024 à 10h30
Le nouveau maire a annoncé mardi soir le report des travaux de la piscine municipale.
Le chantier
Les entreprises retenues attendent encore le permis de construire, selon la mairie.
Sport : les clubs de natation s'entraînent à 40 kilomètres.
Newsletter : recevez l'essentiel de l'actualité
"""
# The same page's article as a person cleaned it: other spacing and case, the byline left out.
LABEL_ARTICLE = """\
La piscine de Brévannes ne rouvrira pas avant 2026

Le nouveau maire a annoncé mardi soir le report des travaux de la piscine municipale.

LE CHANTIER

Les entreprises retenues attendent encore le permis de construire, selon la mairie.
"""


def test_a_page_is_labelled_from_its_cleaned_article(tmp_path):
    page, article = tmp_path / "brevannes.txt", tmp_path / "brevannes.clean.txt"
    page.write_text(LABEL_PAGE, "utf-8")
    article.write_text(LABEL_ARTICLE, "utf-8")
    done = _boilerplate("label", str(page), str(article), "--site", "courrier.example")
    assert done.returncode == 0, done.stderr
    record = json.loads(done.stdout)
    assert record["id"] == "brevannes.txt" and record["site"] == "courrier.example"
    assert record["lines"] == LABEL_PAGE.splitlines()
    # the headline, the two paragraphs and the short heading between them ("Le chantier", a
    # whole short line inside the article); not the menu, whose "Sport" the article does not
    # hold, nor the byline, the other story about the clubs or the newsletter prompt
    assert record["labels"] == [0, 1, 0, 1, 1, 1, 0, 0]
    assert "4 of 8 lines labelled article" in done.stderr
    # the labelled page is what `train` and `eval` read
    (tmp_path / "mine.jsonl").write_text(done.stdout, "utf-8")
    done = _boilerplate("eval", str(tmp_path / "mine.jsonl"))
    assert done.returncode == 0, done.stderr


def test_an_article_from_another_page_is_refused(tmp_path):
    page, article = tmp_path / "page.txt", tmp_path / "other.txt"
    page.write_text(LABEL_PAGE, "utf-8")
    article.write_text("Le festival de jazz de Marciac affiche complet pour sa 46e édition.\n")
    done = _boilerplate("label", str(page), str(article))
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr.strip().count("\n") == 0
    assert "is it that page's article?" in done.stderr
    article.write_text("\n \n", "utf-8")
    done = _boilerplate("label", str(page), str(article))
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr.strip().endswith("no words to label the page with")


def test_folds_keep_a_site_together_and_each_draw_deals_them_anew():
    from cleaner.linemodel.train import _site_folds

    sites = [f"site{i // 2}.example" for i in range(40)]  # two pages per site, 20 sites
    draws = [_site_folds(sites, seed) for seed in (13, 7, 11)]
    for folds in draws:
        for i in range(0, 40, 2):
            assert folds[i] == folds[i + 1]  # both pages of a site in the same fold
        assert set(folds.tolist()) == {0, 1, 2}
    assert not (draws[0] == draws[1]).all() and not (draws[1] == draws[2]).all()


def test_the_regularisation_is_chosen_on_three_fold_draws(tmp_path, monkeypatch):
    pytest.importorskip("sklearn", reason="training needs scikit-learn (the dev extra has it)")
    from cleaner.linemodel import train

    seeds = []
    real = train._site_folds

    def spy(sites, seed=train.SEED):
        seeds.append(seed)
        return real(sites, seed)

    monkeypatch.setattr(train, "_site_folds", spy)
    pages = list(train.read_labelled([_labelled(tmp_path / "pages.jsonl")]))
    model = train.fit(train.training_rows(pages))
    assert seeds[-3:] == [13, 7, 11]  # after the check that the pages can be folded at all
    assert model.about["cv_draws"] == 3 and model.about["C"] in train.C_GRID


def test_a_keep_rule_wins_over_the_model(tmp_path):
    # the user's corpus keeps the paper's name: the model, which drops it, spares it; every
    # other line is decided as the labels say
    rules = tmp_path / "keep.toml"
    rules.write_text(
        "[[rule]]\nname = 'masthead'\naction = 'keep'\npattern = '''le courrier des alpes$'''\n",
        "utf-8",
    )
    config = Config().replace("boilerplate", pattern_files=(str(rules),))
    text = (PAGES / "teaser-after.txt").read_text("utf-8")
    pipeline = Pipeline(config)
    (doc,) = pipeline.run([Document.from_text(text, id="teaser-after.txt")])
    assert kept_numbers(doc) == [1] + LABELS["teaser-after.txt"]
    assert doc.lines[0].pinned == "masthead"
    assert pipeline.counts()["boilerplate_model"]["pinned_spared"] == 1
