"""The line model's parts: features, the page walk (Viterbi), the model file."""

import json

import numpy as np
import pytest

from cleaner.errors import ConfigError
from cleaner.linemodel.decode import (
    AFTER,
    ARTICLE,
    BEFORE,
    INSIDE,
    Walk,
    regions_of,
    shift_odds,
    viterbi,
    viterbi_many,
    without_sure_chrome,
)
from cleaner.linemodel.features import (
    FEATURE_NAMES,
    PageLines,
    _Bytes,
    batch_features,
    main_run,
    page_features,
)
from cleaner.linemodel.model import LineModel
from cleaner.linemodel.stoplists import stoplist
from cleaner.linemodel.threads import thread_starts, without_thread
from cleaner.linemodel.title import (
    LEAD_LIKE,
    TITLE_LIKE,
    article_states,
    head_marks,
    starts_at_title,
    title_lines,
    url_title,
    with_record_title,
    with_title,
)
from cleaner.linemodel.train import count_walk


def _walk(stay_before: float = 0.8) -> Walk:
    with np.errstate(divide="ignore"):
        log = np.log
        return Walk(
            log_start=log(np.array([0.5, 0.5, 0.0, 0.0])),
            log_trans=log(
                np.array(
                    [
                        [stay_before, 1 - stay_before, 0.0, 0.0],
                        [0.0, 0.9, 0.05, 0.05],
                        [0.0, 0.5, 0.5, 0.0],
                        [0.0, 0.0, 0.0, 1.0],
                    ]
                )
            ),
            prior=0.5,
        )


def test_regions_of_a_labelled_page():
    labels = [0, 0, 1, 1, 0, 1, 0, 0]
    assert regions_of(np.array(labels)).tolist() == [
        BEFORE, BEFORE, ARTICLE, ARTICLE, INSIDE, ARTICLE, AFTER, AFTER
    ]  # fmt: skip
    assert regions_of(np.array([0, 0])).tolist() == [BEFORE, BEFORE]


def test_the_walk_keeps_a_weak_heading_inside_and_drops_a_teaser_after():
    # worked out by hand with the walk above:
    # - line 0 (0.1) before the article: before->article costs log 0.2 (and staying before
    #   half of log 0.8), less than the emission log(0.1/0.5) of taking it into the article;
    # - line 3 (0.3, a heading) between article lines: staying costs 2 log 0.9 + log(0.3/0.5)
    #   = -0.72, leaving for one line and coming back log 0.05 + log 0.5 + log(0.7/0.5) = -3.35;
    # - lines 7-8 after the article: a teaser (0.6) below a line of chrome (0.1) stays out:
    #   log 0.05 + log(0.9/0.5) + log(0.4/0.5) + log(0.9/0.5) = -2.05 beats coming back into
    #   the article for it (-5.33) or keeping everything (-3.36).
    probs = np.array([0.1, 0.9, 0.9, 0.3, 0.9, 0.9, 0.1, 0.6, 0.1])
    states = viterbi(probs, _walk())
    assert states.tolist() == [BEFORE] + [ARTICLE] * 5 + [AFTER] * 3


def test_a_line_the_model_is_sure_of_leaves_the_article_the_walk_kept_it_in():
    # worked out by hand with the walk above: line 3 (0.04, a photo credit) between article
    # lines: staying costs 2 log 0.9 + log(0.04/0.5) = -2.74, leaving for one line and coming
    # back log 0.05 + log 0.5 + log(0.96/0.5) = -3.04, so the walk keeps it; under
    # SURE_CHROME (0.05) it goes, inside the article
    a = ARTICLE
    probs = np.array([0.1, 0.9, 0.9, 0.04, 0.9, 0.9])
    none = np.zeros(6, dtype=bool)
    walked = viterbi(probs, _walk())
    assert walked.tolist() == [BEFORE, a, a, a, a, a]
    assert without_sure_chrome(walked, walked, probs, none).tolist() == [
        BEFORE, a, a, INSIDE, a, a
    ]  # fmt: skip
    # unless it could be a heading: then the walk's call stands
    heading = none.copy()
    heading[3] = True
    assert without_sure_chrome(walked, walked, probs, heading).tolist() == walked.tolist()
    # at the article's edges such a line takes the region before or after it
    edges = np.array([BEFORE, a, a, a, AFTER])
    edge_probs = np.array([0.1, 0.01, 0.9, 0.02, 0.1])
    assert without_sure_chrome(edges, edges, edge_probs, none[:5]).tolist() == [
        BEFORE, BEFORE, a, AFTER, AFTER
    ]  # fmt: skip
    # a headline the title pass put in is that pass's call, not the walk's
    titled = walked.copy()
    titled[0] = a
    assert without_sure_chrome(titled, walked, np.array([0.01, *probs[1:]]), none)[0] == a
    # a page whose article lines are all under the floor keeps them: never no article
    low = np.array([BEFORE, a, a])
    low_probs = np.array([0.3, 0.01, 0.02])
    assert without_sure_chrome(low, low, low_probs, none[:3]).tolist() == [BEFORE, a, a]
    # nor an article without its only sentence: a heading (0.5) and a sentence (0.03)
    pair = np.array([a, a])
    sentence = np.array([False, True])
    pair_probs = np.array([0.5, 0.03])
    assert without_sure_chrome(pair, pair, pair_probs, none[:2], sentence).tolist() == [a, a]
    assert without_sure_chrome(pair, pair, pair_probs, none[:2]).tolist() == [a, AFTER]


def test_an_article_under_hundreds_of_menu_lines_is_found_at_the_bottom():
    # 600 lines of menus (0.1 each), then the article (0.9 x 3), under a walk that stays
    # before the article with probability 0.98 per line. Worked out by hand (emissions
    # log(p/0.5), chrome log((1-p)/0.5)): taking the first menu line as a one-line article and
    # leaving costs 2.2 (line 0) + 3.0 (log 0.05, leaving) + 6.6 (the 3 article lines as
    # chrome) = 11.8; finding the article at the bottom costs 3.9 (log 0.02, entering) plus
    # staying before it: 600 x 0.0202 = 12.1 at the counted cost (the top wins, wrongly), 6.1
    # at the half the walk pays (the article wins).
    probs = np.array([0.1] * 600 + [0.9] * 3)
    assert viterbi(probs, _walk(stay_before=0.98)).tolist() == [BEFORE] * 600 + [ARTICLE] * 3


def test_photo_credits_are_marked():
    lines = [
        "Le maire, lors du conseil municipal. (Photo : Jean Dupont)",
        "Des pompiers devant l'usine. © Imago/Marius Schwarz",
        "Donna Kelce and Taylor Swift after the game. Perry Knotts/Getty Images",
        "La manifestation a réuni 3 000 personnes, selon l'AFP et Reuters.",
        "Le photographe a exposé ses images à Arles.",
        "AP Photo/Evan Vucci",
    ]
    # an agency named in a sentence, and the word "images" alone, are not credits
    assert _credits(lines) == [1, 1, 1, 0, 0, 1]


def _credits(lines: list[str]) -> list[float]:
    """The ``credit`` feature of each of a French page's lines."""
    rows = page_features(lines, [t.casefold() for t in lines], stoplist("fr"))
    return rows[:, FEATURE_NAMES.index("credit")].tolist()


def test_photo_credits_of_unseen_pages_are_marked():
    # captions of pages a helper read (in no split of the dataset), their credits in forms the
    # first list missed; and what is no credit: a paragraph closed by its agency, a changelog
    # line crediting its author "(sipa)"
    lines = [
        "Des manifestants devant le Capitole, le 3 décembre. (Thomas Peipert/Associated Press)",
        "Le président sud-coréen à Séoul, samedi. (EPA-Yonhap)",
        "Le Premier ministre à Rome, mardi. Vincenzo Circosta / Anadolu Agency via AFP",
        "Un guichet de la préfecture d'Alger. / Par Mouad / AdobeStock",
        "Illustrations : Jean Dupont pour le journal",
        "Le bilan s'élève à 19 morts, selon les autorités locales. (Reuters)",
        "#18023 fix some asmap issues (sipa)",
    ]
    assert _credits(lines) == [1, 1, 1, 1, 1, 0, 0]


def test_every_favor_setting_has_its_move():
    from cleaner.config import MODEL_FAVOR
    from cleaner.linemodel.decode import FAVOR_SHIFTS

    assert tuple(FAVOR_SHIFTS) == MODEL_FAVOR
    assert FAVOR_SHIFTS["balanced"] == 0.0


def test_shift_odds_moves_the_log_odds():
    # odds 1:1 and 1:4, times 3 (log-odds + ln 3): 3:1 and 3:4
    assert np.allclose(shift_odds(np.array([0.5, 0.2]), np.log(3.0)), [0.75, 3 / 7])
    assert np.allclose(shift_odds(np.array([0.5, 0.2]), -np.log(3.0)), [0.25, 1 / 13])
    probs = np.array([0.3, 0.9])
    assert shift_odds(probs, 0.0) is probs


def test_viterbi_many_decodes_each_page_as_alone():
    rng = np.random.default_rng(0)
    pages = [rng.random(n) for n in (7, 1, 0, 12, 3)]
    together = viterbi_many(pages, _walk())
    assert [s.tolist() for s in together] == [viterbi(p, _walk()).tolist() for p in pages]


def test_the_walk_keeps_a_sentence_when_the_page_has_one():
    # a heading (0.9) over the page's one sentence (0.02), with the walk above. Worked out by
    # hand: keeping the heading alone and leaving costs log 0.5 + log(0.9/0.5) + log 0.05 +
    # log(0.98/0.5) = -2.43, less than keeping both: log 0.5 + log 1.8 + log 0.9 +
    # log(0.02/0.5) = -3.43. But an article is made of sentences: a walk that keeps only the
    # heading has taken it for the article, so the best walk that keeps the sentence is taken.
    probs = np.array([0.9, 0.02])
    assert viterbi(probs, _walk()).tolist() == [ARTICLE, AFTER]
    sentences = np.array([False, True])
    assert viterbi(probs, _walk(), sentences).tolist() == [ARTICLE, ARTICLE]
    # a page with no sentence, or whose walk keeps one anyway, is decoded as without the rule
    assert viterbi(probs, _walk(), np.array([False, False])).tolist() == [ARTICLE, AFTER]
    assert viterbi(probs, _walk(), np.array([True, True])).tolist() == [ARTICLE, AFTER]
    probs = np.array([0.1, 0.9, 0.9, 0.3, 0.9, 0.9, 0.1, 0.6, 0.1])
    sentences = np.array([0, 1, 1, 0, 1, 0, 0, 1, 0], dtype=bool)
    assert viterbi(probs, _walk(), sentences).tolist() == viterbi(probs, _walk()).tolist()


def test_viterbi_many_with_sentences_decodes_each_page_as_alone():
    rng = np.random.default_rng(1)
    pages = [rng.random(n) ** 3 for n in (7, 1, 0, 12, 3, 5)]
    sentences = [rng.random(len(p)) < 0.3 for p in pages]
    together = viterbi_many(pages, _walk(), sentences)
    alone = [viterbi(p, _walk(), s).tolist() for p, s in zip(pages, sentences, strict=True)]
    assert [s.tolist() for s in together] == alone
    # and each of them keeps a sentence, where its page has one
    for states, s in zip(together, sentences, strict=True):
        assert not s.any() or (states[s] == ARTICLE).any()


def test_main_run_is_the_densest_stretch_of_prose():
    prose = np.array([0, 1, 0, 0, 0, 1, 1, 0, 1, 1, 0, 0], dtype=bool)
    weight = np.full(len(prose), 4.0)
    # gains +4 for prose, -2 otherwise: lines 5-9 sum to 4+4-2+4+4 = 14, more than any other
    assert main_run(prose, weight) == (5, 10)
    assert main_run(np.zeros(3, dtype=bool), np.ones(3)) == (0, 0)


def test_a_block_of_teasers_that_end_no_sentence_is_not_the_main_run():
    article = [
        "Le conseil municipal de Vierzon a voté mardi soir le budget de la ville pour l'année "
        "prochaine, après une séance de plus de quatre heures.",
        "Les élus de l'opposition ont dénoncé une hausse des impôts locaux qu'ils jugent injuste "
        "pour les familles les plus modestes de la commune.",
        "Le maire a répondu que cette hausse était la seule manière de financer la rénovation des "
        "écoles et de la piscine municipale, fermée depuis deux ans.",
    ]
    menu = "Partager|Facebook|Imprimer|Publicité|Newsletter|Contact|Météo|Agenda|Sports|Économie"
    # other stories' headlines run into their first words: prose, but no sentence ends
    teasers = [
        "Bourges : le festival de musique annonce sa programmation pour cet été avec plusieurs "
        "artistes de la scène française et des concerts gratuits dans le centre",
        "Châteauroux : un nouvel hôpital de jour ouvrira ses portes à la rentrée pour accueillir "
        "les patients qui ont besoin de soins de courte durée dans la région",
        "Issoudun : les commerçants du marché couvert se mobilisent contre la fermeture de la "
        "halle prévue par la mairie pour des travaux qui doivent durer deux ans",
        "Saint-Amand : la piscine rouvre après six mois de travaux et propose des horaires "
        "élargis le soir pour les familles et les clubs de natation de la ville",
        "Aubigny : le château accueille une exposition consacrée aux Stuart et à leur histoire "
        "avec la ville depuis le quinzième siècle jusqu'à nos jours et au-delà",
    ]
    texts = ["Accueil", "Vierzon : le budget voté dans la douleur", *article]
    texts += [*menu.split("|"), "Lire aussi", *teasers, "Mentions légales"]
    f = page_features(texts, [t.casefold() for t in texts], stoplist("fr"))
    in_run = [_row(f, i)["in_main_run"] for i in range(len(texts))]
    teasers_at = len(texts) - 1 - len(teasers)
    assert all(_row(f, i)["prose"] == 1.0 for i in range(teasers_at, len(texts) - 1))
    assert in_run[2:5] == [1.0, 1.0, 1.0]  # the article's three paragraphs
    assert sum(in_run) == 3  # and nothing else: not the teasers, though there are more of them


def _row(features: np.ndarray, i: int) -> dict[str, float]:
    return dict(zip(FEATURE_NAMES, features[i].tolist(), strict=True))


def _sentence_ends(texts: list[str]) -> list[tuple[float, float]]:
    """Each line's (ends a sentence, ends with a full stop), scored without a stoplist."""
    f = page_features(texts, [t.casefold() for t in texts], None)
    return [(_row(f, i)["end_terminal"], _row(f, i)["end_full_stop"]) for i in range(len(texts))]


def test_chinese_sentence_ends_are_sentence_ends():
    texts = [
        "北京市政府周二宣布了新的交通计划。",  # a sentence: the ideographic full stop
        "他说：「我们明年还会回来。」",  # a quoted sentence: the full stop inside the corner bracket
        "你今天去哪里？",  # a question: a sentence end, not a full stop
        "新闻 › 国际",  # breadcrumbs
        "中国经济增长放缓",  # a headline
    ]
    assert _sentence_ends(texts) == [(1.0, 1.0), (1.0, 1.0), (1.0, 0.0), (0.0, 0.0), (0.0, 0.0)]


def test_the_full_stops_of_other_scripts_are_sentence_ends():
    texts = [
        "दोनों बदमाशों के पास से चोरी के जेवरात बरामद किए गए हैं।",  # Hindi: the danda
        "পুলিশ দুজনকে গ্রেপ্তার করেছে।",  # Bengali: the danda too
        "حکومت نے نئے بجٹ کا اعلان کیا۔",  # Urdu: its own full stop
        "هل ستنخفض الأسعار هذا العام؟",  # Arabic: a question
        "होम | वीडियो | सर्च",  # a menu
    ]
    assert _sentence_ends(texts) == [(1.0, 1.0), (1.0, 1.0), (1.0, 1.0), (1.0, 0.0), (0.0, 0.0)]


def test_a_sentence_end_is_read_past_french_and_german_closing_quotes():
    texts = [
        "« Nous ne céderons pas », a-t-il déclaré. « La réforme passera.\u00a0»",  # no-break space
        "« C’est un scandale ! »",  # an ordinary space before the guillemet
        "„Wir schaffen das“, sagte sie. „Es wird nicht leicht.“",  # German closing quote “
        "Er sagte: ‚Das war’s.‘",  # German single quotes ‚…‘
        "« Un titre entre guillemets »",  # no sentence end inside: a headline
    ]
    assert _sentence_ends(texts) == [(1.0, 1.0), (1.0, 0.0), (1.0, 1.0), (1.0, 1.0), (0.0, 0.0)]


def test_a_line_other_sites_hold_has_no_site_count():
    # "Réactions" is on 2 pages of this site and on other sites: a heading several sites use,
    # whose count on this site says nothing; the menu line is on 3 pages of this site only
    texts = ["Réactions", "Accueil | Sports | Météo", "Un paragraphe de l'article."]
    f = page_features(
        texts,
        [t.casefold() for t in texts],
        stoplist("fr"),
        run_documents=np.array([5.0, 3.0, 1.0]),
        site_documents=np.array([2.0, 3.0, 1.0]),
        other_sites=np.array([1.0, 0.0, 0.0]),
    )
    heading, menu, prose = (_row(f, i) for i in range(3))
    assert heading["log_site_documents"] == 0.0 and heading["other_sites"] == 1.0
    assert heading["log_run_documents"] == pytest.approx(np.log(5))
    assert menu["log_site_documents"] == pytest.approx(np.log(3)) and menu["other_sites"] == 0.0
    assert prose["log_site_documents"] == 0.0


def test_byte_counts_are_per_line_with_or_without_empty_lines():
    digits = lambda raw: (raw.a >= 48) & (raw.a <= 57)  # noqa: E731
    raw = _Bytes(b"a1\nbb22\nc")
    assert raw.per_line(digits(raw)).tolist() == [1, 2, 0]
    assert raw.per_line(raw.a == 10).tolist() == [0, 0, 0]  # a newline belongs to no line
    raw = _Bytes(b"a1\n\n333\n")  # an empty line inside, and an empty last line
    assert raw.per_line(digits(raw)).tolist() == [1, 0, 3, 0]
    assert raw.per_line(raw.a == 10).tolist() == [0, 0, 0, 0]


def test_prompt_is_read_from_the_line_opening():
    texts = ["Voir", "Partager sur Facebook", "S’abonner", "Se connecter", "Vo", "Le voir"]
    f = page_features(texts, [t.casefold() for t in texts], stoplist("fr"))
    assert [_row(f, i)["prompt"] for i in range(6)] == [1.0, 1.0, 1.0, 1.0, 0.0, 0.0]


def test_line_features_read_the_text_as_a_person_would():
    texts = [
        "Accueil › Actualités › Région",
        "Le conseil municipal a voté mardi soir le budget de la nouvelle médiathèque, "
        "qui doit ouvrir au printemps.",
        "PUBLIÉ LE 12/03/2024 À 10H30",
        "Contact : redaction@exemple.fr ou 01 23 45 67 89",
        "Abonnez-vous à la newsletter",
    ]
    folded = [t.casefold() for t in texts]
    f = page_features(texts, folded, stoplist("fr"))
    crumbs, prose, date, contact, prompt = (_row(f, i) for i in range(5))
    assert crumbs["log_separators"] == pytest.approx(np.log1p(2))
    assert crumbs["log_words"] == pytest.approx(np.log1p(3))
    assert prose["end_terminal"] == 1.0 and crumbs["end_terminal"] == 0.0
    assert prose["log_words"] == pytest.approx(np.log1p(18))
    # jusText's French list holds 9 of its 18 words: le, a, le, de, la, nouvelle, qui, doit, au
    assert prose["stop_density"] == pytest.approx(9 / 18)
    assert crumbs["stop_density"] == pytest.approx(1 / 3)  # "région" is in the list
    assert prose["comma_per_word"] == pytest.approx(1 / 18)
    assert prose["prose"] == 1.0 and crumbs["prose"] == 0.0
    assert date["has_date"] == 1.0 and date["all_caps"] == 1.0
    assert prose["has_date"] == 0.0 and prose["all_caps"] == 0.0
    assert contact["has_email"] == 1.0 and contact["has_phone"] == 1.0
    assert contact["end_colon"] == 0.0 and contact["has_url"] == 1.0  # exemple.fr
    assert prompt["prompt"] == 1.0 and prose["prompt"] == 0.0
    assert crumbs["rel_position"] == 0.0 and prompt["rel_position"] == 1.0
    assert prose["log_chars@-1"] == crumbs["log_chars"]
    assert crumbs["log_chars@-1"] == 0.0  # no line before the first
    assert all(_row(f, i)["has_stoplist"] == 1.0 for i in range(5))


def test_a_language_without_stoplist_has_no_stopword_features():
    assert stoplist("zh") is None
    texts = ["北京时间周二晚，公司董事会宣布首席执行官辞职。", "首页"]
    f = page_features(texts, [t.casefold() for t in texts], None)
    assert f[:, FEATURE_NAMES.index("stop_density")].tolist() == [0.0, 0.0]
    assert f[:, FEATURE_NAMES.index("has_stoplist")].tolist() == [0.0, 0.0]


def test_a_page_ending_in_a_line_of_chrome_ends_after_the_article():
    # worked out by hand with the walk above (emissions log(p/0.5), chrome log((1-p)/0.5)):
    # the last line (0.1) kept in the article scores log 0.9 + log 0.2 = -1.71, leaving for it
    # log 0.05 + log 1.8 = -2.41: without end probabilities it stays. With them (a page ends
    # after 2 % of the lines after an article, after 0.2 % of its lines), staying adds
    # log 0.002 = -6.21 and leaving log 0.02 = -3.91: -7.93 against -6.32, it goes.
    probs = np.array([0.9] * 5 + [0.1])
    assert viterbi(probs, _walk()).tolist() == [ARTICLE] * 6
    walk = _walk()
    with np.errstate(divide="ignore"):
        ends = np.log(np.array([0.0, 0.002, 0.0, 0.02]))
    ending = Walk(walk.log_start, walk.log_trans, walk.prior, walk.weight, ends)
    assert viterbi(probs, ending).tolist() == [ARTICLE] * 5 + [AFTER]


def test_the_end_probabilities_are_counted_from_the_pages():
    # two pages: one ends two lines after its article, one on an article line. Lines per
    # region: article 2 + 2 = 4, after 2. Ends: article 1, after 1; add-one smoothed: article
    # (1 + 1) / (4 + 1) = 0.4, after (1 + 1) / (2 + 1) = 2/3; a page cannot end before the
    # article or inside it.
    walk = count_walk([np.array([0, 1, 1, 0, 0]), np.array([1, 1])], weight=1.0)
    assert walk.log_end is not None
    assert np.exp(walk.log_end) == pytest.approx([0.0, 0.4, 0.0, 2 / 3])
    again = Walk.from_dict(json.loads(json.dumps(walk.to_dict())))
    assert again.log_end is not None
    assert np.exp(again.log_end) == pytest.approx(np.exp(walk.log_end), abs=1e-6)


def test_a_model_for_other_features_is_refused(tmp_path):
    model = LineModel.load()
    data = model.to_dict()
    data["features"] = data["features"][:-1]
    path = tmp_path / "model.json"
    path.write_text(json.dumps(data), "utf-8")
    with pytest.raises(ConfigError, match="retrain"):
        LineModel.load(path)
    path.write_text("{", "utf-8")
    with pytest.raises(ConfigError, match="not valid JSON"):
        LineModel.load(path)
    with pytest.raises(ConfigError, match="cannot read"):
        LineModel.load(tmp_path / "missing.json")


def test_a_model_with_a_zero_scale_is_refused(tmp_path):
    # a feature scaled by 0 would divide every line's value by zero: a one-line error instead
    data = LineModel.load().to_dict()
    data["scale"][3] = 0.0
    path = tmp_path / "model.json"
    path.write_text(json.dumps(data), "utf-8")
    with pytest.raises(ConfigError, match="scale is not > 0"):
        LineModel.load(path)


def test_the_model_file_round_trips(tmp_path):
    model = LineModel.load()
    model.save(tmp_path / "m.json")
    again = LineModel.load(tmp_path / "m.json")
    assert again.to_dict() == model.to_dict()


def test_a_lines_probability_does_not_depend_on_the_rows_around_it():
    # the outputs must be the same whatever the batches (shard sizes, workers): a matrix
    # product gives a row different last bits depending on its neighbours, which a score
    # rounded to 3 decimals in rejects.jsonl can show
    model = LineModel.load()
    rng = np.random.default_rng(0)
    features = rng.normal(size=(3000, len(FEATURE_NAMES))) * model.scale + model.mean
    whole = model.probabilities(features)
    for start in range(0, 3000, 37):
        part = model.probabilities(features[start : start + 61].copy())
        assert np.array_equal(part, whole[start : start + 61])


# a page: a menu, the headline, a byline with a date, three paragraphs, a related headline
_TITLED = [
    "Accueil",
    "Laiterie du Bocage : la coopérative reprend l'usine de Saint-Aubin",
    "Par Jeanne Martin, publié le 14/05/2024",
    "La coopérative laitière du Bocage a annoncé lundi la reprise de l'usine de Saint-Aubin, "
    "fermée depuis l'automne dernier, et promet de rouvrir les lignes avant la fin de l'année.",
    "Le site transformait jusqu'à 300 000 litres de lait par jour avant la faillite de son "
    "ancien propriétaire, qui avait laissé quatre-vingts salariés sans emploi.",
    "Les producteurs s'engagent à livrer leur lait pendant dix ans, en échange d'un prix "
    "garanti supérieur de cinq pour cent au prix du marché.",
    "Le prix du lait repart à la hausse au printemps",
]


def _features(lines):
    folded = [t.casefold() for t in lines]
    return head_marks(page_features(lines, folded, stoplist("fr"))), folded


def test_the_headline_above_a_byline_is_put_back_in_the_article():
    # read by hand: the headline's words of 4 bytes or more are laiterie, bocage, coopérative,
    # reprend, l'usine, saint-aubin; the paragraphs hold bocage, coopérative, l'usine and
    # saint-aubin (their first five letters; not "laiterie" in "laitière", nor "reprend" in
    # "reprise"): 4 of 6, counted over 6 + 1, above the 0.25 needed; the byline holds a date
    walk = np.array([BEFORE, BEFORE, BEFORE, ARTICLE, ARTICLE, ARTICLE, AFTER])
    out = with_title(walk, *_features(_TITLED))
    # the headline joins the article, the byline between stays out as chrome inside it
    assert out.tolist() == [BEFORE, ARTICLE, INSIDE, ARTICLE, ARTICLE, ARTICLE, AFTER]
    assert walk[1] == BEFORE  # the walk given is left as it was


def test_a_headline_that_asks_a_question_is_put_back_too():
    # the same page under a headline ending with "?": a headline may ask (or exclaim); only a
    # full stop makes a sentence of it
    asked = _TITLED.copy()
    asked[1] = "Laiterie du Bocage : la coopérative va-t-elle sauver l'usine de Saint-Aubin ?"
    # read by hand: its words of 4 bytes or more are laiterie, bocage, coopérative,
    # va-t-elle, sauver, l'usine, saint-aubin; the paragraphs hold bocage, coopérative,
    # l'usine and saint-aubin: 4 of 7, counted over 7 + 1, above the 0.25 needed
    walk = np.array([BEFORE, BEFORE, BEFORE, ARTICLE, ARTICLE, ARTICLE, AFTER])
    out = with_title(walk, *_features(asked))
    assert out.tolist() == [BEFORE, ARTICLE, INSIDE, ARTICLE, ARTICLE, ARTICLE, AFTER]


def test_a_headline_is_found_through_other_forms_of_its_words():
    # read by hand: none of the headline's words comes back as it is in the paragraphs, each
    # comes back in another form: "féminisme" as "féministes", "militantes" as "militante",
    # "divisées" as "division", "parité" as "paritaires"; the byline holds a date
    lines = [
        "Accueil",
        "Féminisme : les militantes divisées sur la parité",
        "Par Jeanne Martin, publié le 14/05/2024",
        "Les associations féministes de la ville se sont réunies samedi pour préparer les "
        "élections municipales du printemps prochain.",
        "Une militante de longue date regrette la division du mouvement sur la question des "
        "listes paritaires, imposées par la loi depuis vingt ans.",
        "D'autres jugent au contraire que le débat est sain et qu'il fera venir de nouvelles "
        "candidates, surtout dans les quartiers du nord.",
    ]
    walk = np.array([BEFORE, BEFORE, BEFORE, ARTICLE, ARTICLE, ARTICLE])
    out = with_title(walk, *_features(lines))
    assert out.tolist() == [BEFORE, ARTICLE, INSIDE, ARTICLE, ARTICLE, ARTICLE]


def test_a_chinese_headline_is_found_by_its_pairs_of_characters():
    # read by hand: Chinese is written without spaces, so the headline is one "word" that no
    # paragraph repeats; its pairs of characters 苹果, 法国, 普罗, 罗旺, 旺斯, 零售, 售店
    # and 透明 are in the paragraphs; the line under it is a date and a source
    lines = [
        "首页",
        "苹果将在法国普罗旺斯建设全透明零售店",
        "2012年01月17日 10:05 来源：中新网",
        "据法国媒体报道，苹果公司计划在普罗旺斯地区的一个购物中心开设一家新的零售店。",
        "这家零售店的外墙将全部采用透明玻璃，与苹果在纽约和上海的门店风格相同。",
        "当地官员表示，新店预计将在明年春天开业，并为当地提供约一百个工作岗位。",
    ]
    folded = [t.casefold() for t in lines]
    marks = head_marks(page_features(lines, folded, stoplist("zh")))
    walk = np.array([BEFORE, BEFORE, BEFORE, ARTICLE, ARTICLE, ARTICLE])
    out = with_title(walk, marks, folded)
    assert out.tolist() == [BEFORE, ARTICLE, INSIDE, ARTICLE, ARTICLE, ARTICLE]


def test_the_site_name_on_top_is_a_masthead_when_the_walk_starts_at_the_headline():
    # read by hand: the first line is the paper's name, which the second paragraph quotes
    # ("au Journal du Bocage": journal and bocage, 2 of its 2 words of 4 bytes or more); the
    # walk starts the article at the headline, which shares 4 words (bocage, coopérative,
    # l'usine, saint-aubin) with the paragraphs: the name is no headline
    lines = [
        "Le Journal du Bocage",
        "Accueil",
        _TITLED[1],
        _TITLED[3],
        "« C'est une bouffée d'oxygène », a confié au Journal du Bocage le maire de Saint-Aubin, "
        "qui avait multiplié les rendez-vous pour trouver un repreneur.",
        _TITLED[5],
    ]
    walk = np.array([BEFORE, BEFORE, ARTICLE, ARTICLE, ARTICLE, ARTICLE])
    assert with_title(walk, *_features(lines)).tolist() == walk.tolist()
    # the same name above a walk that starts at the first paragraph: the headline is the line
    # sharing most words, and it is put back; the name stays out
    walk = np.array([BEFORE, BEFORE, BEFORE, ARTICLE, ARTICLE, ARTICLE])
    out = with_title(walk, *_features(lines))
    assert out.tolist() == [BEFORE, BEFORE, ARTICLE, ARTICLE, ARTICLE, ARTICLE]


def test_a_headline_above_a_long_block_of_tools_is_still_found():
    # read by hand: between the headline and the first paragraph, a byline with a date and
    # sixteen share and tool links (18 lines above the paragraph): the headline is found
    # past them, and the links stay out, inside the article
    tools = [f"Partager sur le réseau {n}" for n in "ABCDEFGHIJKLMNOP"]
    lines = ["Accueil", _TITLED[1], _TITLED[2], *tools, *_TITLED[3:6]]
    walk = np.array([BEFORE] * (3 + len(tools)) + [ARTICLE] * 3)
    out = with_title(walk, *_features(lines))
    assert out.tolist() == [BEFORE, ARTICLE] + [INSIDE] * (1 + len(tools)) + [ARTICLE] * 3


def test_no_headline_is_made_up_from_a_menu_a_date_or_another_story():
    other = "Sécheresse : les éleveurs de la Manche inquiets pour leurs fourrages"
    lines = [other, "Accueil", "Publié le 14/05/2024 à 08h12", *_TITLED[3:6]]
    walk = np.array([BEFORE, BEFORE, BEFORE, ARTICLE, ARTICLE, ARTICLE])
    assert with_title(walk, *_features(lines)).tolist() == walk.tolist()
    # the same page with its headline: found two lines above the article, past the date
    lines[1] = _TITLED[1]
    out = with_title(walk, *_features(lines))
    assert out.tolist() == [BEFORE, ARTICLE, INSIDE, ARTICLE, ARTICLE, ARTICLE]


def test_the_standfirst_between_the_headline_and_the_body_joins_the_article():
    # read by hand: under the headline, a byline with a date, the standfirst (one sentence of
    # 22 words, no date), a photo credit of 4 words, then the body; the walk started the
    # article at the body
    lines = [
        "Accueil",
        _TITLED[1],
        _TITLED[2],
        "Après un an d'arrêt, les lignes de Saint-Aubin doivent repartir avant l'hiver, "
        "avec quarante salariés repris par la coopérative.",
        "Photo Ouest-Presse / Archives",
        *_TITLED[3:6],
    ]
    walk = np.array([BEFORE, BEFORE, BEFORE, BEFORE, BEFORE, ARTICLE, ARTICLE, ARTICLE])
    out = with_title(walk, *_features(lines))
    # headline and standfirst in; the byline and the credit stay out, inside the article
    assert out.tolist() == [BEFORE, ARTICLE, INSIDE, ARTICLE, INSIDE, ARTICLE, ARTICLE, ARTICLE]


def test_no_other_headline_is_looked_for_above_a_walk_that_starts_at_the_pages_title():
    # read by hand: a department's site; its menu holds "Le Conseil départemental", whose two
    # words of 4 bytes or more (conseil, départemental) the article's paragraphs hold too
    # ("le conseil", "le Département"); the walk starts the article at the headline, which
    # the page's URL names: the menu line is no headline, it stays out
    lines = [
        "Accueil",
        "Le Conseil départemental",
        "Offres d'emploi",
        "Jeux olympiques 2024 : faire vivre les Jeux auprès des jeunes Vendéens",
        "Le Département présente un kit pédagogique pour faire vivre les Jeux olympiques dans "
        "les écoles, avec des fiches, des vidéos et des rencontres avec des athlètes.",
        "Le conseil a voté mardi un budget de deux cent mille euros pour ces rencontres, qui "
        "commenceront dans les collèges de la Roche-sur-Yon dès le mois de janvier.",
        "Les enseignants pourront réserver les séances sur le site du Département jusqu'en mars.",
    ]
    marks, folded = _features(lines)
    url = (
        "https://www.vendee.fr/actualites/"
        "jeux-olympiques-2024-faire-vivre-les-jeux-aupres-des-jeunes-vendeens"
    )
    titles = title_lines(url_title(url), folded, from_url=True)
    assert titles == [3]
    walk = np.array([BEFORE, BEFORE, BEFORE, ARTICLE, ARTICLE, ARTICLE, ARTICLE])
    probs = np.array([0.1, 0.3, 0.1, 0.9, 0.95, 0.95, 0.9])
    sentences = np.array([False, False, False, False, True, True, True])
    # the headline pass alone would take the menu line for the headline, above the walk's
    assert with_title(walk, marks, folded)[1] == ARTICLE
    out = article_states(walk, marks, folded, probs, sentences, titles)
    assert out.tolist() == walk.tolist()


def test_a_sentence_above_the_article_without_a_headline_stays_out():
    # another story's teaser sentence above the article, and no headline of this one: the
    # teaser is not a standfirst (a standfirst is read only under the article's headline)
    lines = [
        "Accueil",
        "Les éleveurs de la Manche craignent de manquer de fourrage après trois mois sans pluie "
        "sur tout le département.",
        _TITLED[2],
        *_TITLED[3:6],
    ]
    walk = np.array([BEFORE, BEFORE, BEFORE, ARTICLE, ARTICLE, ARTICLE])
    assert with_title(walk, *_features(lines)).tolist() == walk.tolist()


def test_the_main_run_is_made_of_paragraphs_not_of_a_block_of_other_headlines():
    # read by hand: five other stories' headlines of 11-13 words, a menu word, then the
    # article: three paragraphs of 20+ words and a last short one of 14 words, then a footer
    teasers = [
        "Les élus de la métropole votent enfin le budget des transports pour la rentrée",
        "Le tribunal de la ville rejette le recours des riverains contre le nouveau parking",
        "Un incendie dans une usine de la zone industrielle mobilise les pompiers toute la nuit",
        "La préfecture annonce des restrictions d'eau dans tout le département dès la semaine",
        "Les commerçants du centre se mobilisent contre la fermeture de la rue aux voitures",
    ]
    article = [
        _TITLED[3],
        _TITLED[4],
        _TITLED[5],
        "La première collecte est prévue le 2 septembre, et la coopérative promet des nouvelles.",
    ]
    lines = [*teasers, "Économie", *article, "Mentions légales"]
    features = page_features(lines, [t.casefold() for t in lines], stoplist("fr"))
    in_run = features[:, FEATURE_NAMES.index("in_main_run")].tolist()
    # the three paragraphs and, right after them, the short last one; no headline of the block
    assert in_run == [0.0] * 6 + [1.0] * 4 + [0.0]


def test_a_line_of_chinese_is_as_long_as_its_characters_say():
    # Chinese has no spaces: thirty Han characters are one run, which counted as one word
    # would look like a menu item. Counted at 0.8 of a word each (a Han character says what
    # about 4.8 French characters say), they make 24 words: a line of prose. A French-Chinese
    # line of 3 Latin words (Salesforce, Inc, Taylor) and 8 Han characters around "Bret" (one
    # run, one word) holds 3 + 8 x 0.8 = 9.4 words.
    texts = ["中" * 30, "Salesforce Inc.前联席首席执行官Bret Taylor。", "Accueil | Sport"]
    x = page_features(texts, [t.casefold() for t in texts], None)
    words = np.expm1(x[:, FEATURE_NAMES.index("log_words")])
    assert words == pytest.approx([24.0, 9.4, 2.0])
    assert x[:, FEATURE_NAMES.index("prose")].tolist() == [1.0, 0.0, 0.0]


_COMMENTED = [
    "Commentaires",  # a menu link above the article: it opens no comment section
    "Le conseil municipal a voté mardi soir le budget de la nouvelle médiathèque, qui doit "
    "ouvrir ses portes au printemps prochain dans le quartier de la gare.",
    "Les travaux commenceront dès le mois de janvier et dureront un peu plus de huit mois, "
    "selon le maire, qui a présenté le projet aux habitants la semaine dernière.",
    "La ville espère accueillir plus de mille lecteurs par semaine dans ce nouveau bâtiment, "
    "où une salle sera aussi réservée aux expositions des écoles de la commune.",
    "Le préfet annonce une réforme des transports scolaires dans tout le département…",
    "12 réactions",
    "Soumis par Paul, le lundi 29 octobre 2012 à 15h46",
    "Je trouve que la ville a bien raison de construire cette médiathèque, mais le quartier "
    "de la gare manque surtout de places pour se garer le samedi.",
]


def test_a_teaser_cut_by_an_ellipsis_and_the_comment_section_are_marked():
    f = page_features(_COMMENTED, [t.casefold() for t in _COMMENTED], stoplist("fr"))
    # read by hand: the teaser (line 4) is the only line cut by an ellipsis; the comment
    # section opens at "12 réactions" (line 5) and runs to the page's end; the menu link
    # "Commentaires" above the article opens nothing
    assert f[:, FEATURE_NAMES.index("end_ellipsis")].tolist() == [0, 0, 0, 0, 1, 0, 0, 0]
    assert f[:, FEATURE_NAMES.index("below_comments")].tolist() == [0, 0, 0, 0, 0, 1, 1, 1]


_BLOG = [
    "Pourquoi la médiathèque de la gare ouvrira plus tard que prévu",
    "Le conseil municipal a voté mardi soir le budget de la nouvelle médiathèque, qui doit "
    "ouvrir ses portes au printemps prochain dans le quartier de la gare.",
    "Trois commentaires sur le projet ont été déposés en mairie par des riverains, qui "
    "craignent surtout le manque de places pour se garer le samedi.",
    "La ville espère accueillir plus de mille lecteurs par semaine dans ce nouveau bâtiment, "
    "où une salle sera aussi réservée aux expositions des écoles de la commune.",
    "21 commentaires sur « Pourquoi la médiathèque de la gare ouvrira plus tard que prévu »",
    "Paul dit :",
    "Je trouve que la ville a bien raison de construire cette médiathèque, mais le quartier "
    "de la gare manque surtout de places pour se garer le samedi.",
]


def test_a_blog_comment_heading_quoting_the_title_opens_the_comment_section():
    assert len(_BLOG[4]) > 80  # longer than the other headings looked for
    f = page_features(_BLOG, [t.casefold() for t in _BLOG], stoplist("fr"))
    # read by hand: the comments open at "21 commentaires sur « … »" (line 4), the heading
    # blog software writes with the post's title in quotes; the article's sentence about
    # three comments (line 2) opens nothing
    assert f[:, FEATURE_NAMES.index("below_comments")].tolist() == [0, 0, 0, 0, 1, 1, 1]


def test_a_bare_reactions_heading_is_the_articles_a_counted_one_opens_the_comments():
    from cleaner.linemodel.features import PageLines, batch_features

    def below_comments(heading):
        texts = [*_COMMENTED[1:4], heading, "Le maire s'est dit satisfait de ce budget voté."]
        page = PageLines(texts, [t.casefold() for t in texts], stoplist("fr"))
        return batch_features([page])[:, FEATURE_NAMES.index("below_comments")].tolist()

    # read by hand: "Réactions" alone heads the officials' reactions inside an article; the
    # comment section counts them or speaks to the reader
    assert below_comments("Réactions") == [0, 0, 0, 0, 0]
    for heading in ("12 réactions", "Réactions (12)", "Vos réactions", "Commentaires"):
        assert below_comments(heading) == [0, 0, 0, 1, 1], heading


def test_a_comment_section_ends_with_its_page():
    from cleaner.linemodel.features import PageLines, batch_features

    def page(texts):
        return PageLines(texts, [t.casefold() for t in texts], stoplist("fr"))

    plain = ["Accueil", *_COMMENTED[1:4], "Mentions légales"]
    both = batch_features([page(_COMMENTED), page(plain)])
    below = both[:, FEATURE_NAMES.index("below_comments")].tolist()
    # the second page has no comment section: the first one's stops at its last line
    assert below == [0, 0, 0, 0, 0, 1, 1, 1] + [0] * 5


def test_a_block_of_other_stories_is_marked_from_its_heading_down():
    texts = [
        "À la une",  # a menu item above the article: it opens nothing
        *_COMMENTED[1:4],
        "Sur le même sujet",
        "Médiathèque : le chantier prend du retard",
        "La piscine municipale rouvrira en septembre",
    ]
    f = page_features(texts, [t.casefold() for t in texts], stoplist("fr"))
    # read by hand: the related block opens at "Sur le même sujet" (line 4); no comment section
    assert f[:, FEATURE_NAMES.index("below_related")].tolist() == [0, 0, 0, 0, 1, 1, 1]
    assert f[:, FEATURE_NAMES.index("below_comments")].tolist() == [0] * 7


_TABLE = [
    "Selon les notaires, le prix moyen du mètre carré a baissé dans toutes les grandes villes :",
    "Paris",
    "9 450 €",
    "-3,2 %",
    "Lyon",
    "4 820 €",
    "-4,1 %",
    "La baisse touche désormais toutes les villes, y compris celles qui avaient mieux résisté.",
    "Mentions légales",
]


def test_french_headings_of_other_stories_are_marked_from_their_heading_down():
    article = [
        "Le conseil municipal a voté mardi soir le budget de la future médiathèque, qui doit "
        "ouvrir ses portes au printemps prochain dans le quartier de la gare.",
        "Les travaux commenceront en janvier et dureront un peu plus de huit mois, a précisé le "
        "maire devant les riverains réunis la semaine dernière.",
    ]
    teaser = "La piscine municipale rouvrira en septembre"
    headings = (
        "Plus d'articles sur le même thème",
        "Sur le même thème",
        "Articles recommandés pour vous",
        "À découvrir également",
        "Articles de la catégorie Féminisme",
        "Autres articles de la rubrique Numérique",
        "A lire également sur reinformation.tv :",
        "Lire aussi sur lemonde.fr",
    )
    for heading in headings:
        texts = [*article, heading, teaser]
        f = page_features(texts, [t.casefold() for t in texts], stoplist("fr"))
        # read by hand: the block of other stories opens at the heading (line 2)
        assert f[:, FEATURE_NAMES.index("below_related")].tolist() == [0, 0, 1, 1], heading
    for subheading in (
        "Un thème qui revient dans tous les débats",
        "Dans la même catégorie, un autre Français sur le podium",
        "A lire également. Le maire a répondu aux riverains",
    ):
        texts = [*article, subheading, article[0]]
        f = page_features(texts, [t.casefold() for t in texts], stoplist("fr"))
        # a subheading of the article itself opens nothing
        assert f[:, FEATURE_NAMES.index("below_related")].tolist() == [0, 0, 0, 0], subheading


def test_german_blocks_of_other_stories_are_marked_from_their_heading_down():
    article = [
        "Der Gemeinderat hat am Dienstagabend den Haushalt für die neue Bibliothek beschlossen, "
        "die im kommenden Frühjahr im Bahnhofsviertel ihre Türen öffnen soll.",
        "Die Bauarbeiten beginnen im Januar und sollen nach Angaben des Bürgermeisters etwas "
        "mehr als acht Monate dauern, wie er den Anwohnern in der vergangenen Woche erklärte.",
    ]
    teaser = "Schwimmbad öffnet im September wieder"
    for heading in ("Auch interessant", "Die Sportredaktion empfiehlt", "Neueste Artikel"):
        texts = [*article, heading, teaser]
        f = page_features(texts, [t.casefold() for t in texts], stoplist("de"))
        # read by hand: the block of other stories opens at the heading (line 2)
        assert f[:, FEATURE_NAMES.index("below_related")].tolist() == [0, 0, 1, 1], heading
    for subheading in ("Empfehlungen der Kommission", "Neueste Entwicklungen"):
        texts = [*article, subheading, article[0]]
        f = page_features(texts, [t.casefold() for t in texts], stoplist("de"))
        # a subheading of the article itself opens nothing
        assert f[:, FEATURE_NAMES.index("below_related")].tolist() == [0, 0, 0, 0], subheading


def test_a_block_of_other_stories_inside_the_article_ends_where_its_sentences_resume():
    # the eighth audit's larvf.com page: a "Lire aussi" box with two headlines set between
    # two paragraphs; the article goes on below it, and a list of dates ends it
    article = [
        "Le conseil municipal a voté mardi soir le budget de la future médiathèque, qui doit "
        "ouvrir ses portes au printemps prochain dans le quartier de la gare.",
        "Les travaux commenceront en janvier et dureront un peu plus de huit mois, a précisé le "
        "maire devant les riverains réunis la semaine dernière.",
        "Le projet a été présenté aux habitants lors d'une réunion publique qui a réuni plus de "
        "deux cents personnes jeudi soir à la salle des fêtes.",
    ]
    more = [
        "Les élus de l'opposition ont voté contre, estimant que le coût du chantier était bien "
        "trop élevé pour une commune de cette taille.",
        "Le maire a répondu que l'État et la région financeraient plus de la moitié des "
        "travaux, comme le prévoit la convention signée en juin.",
    ]
    box = ["Lire aussi", "La piscine municipale rouvrira en septembre", "Le marché de Noël"]
    texts = [*article, *box, *more, "Calendrier des travaux", "Sur le même sujet", "Le stade"]
    f = page_features(texts, [t.casefold() for t in texts], stoplist("fr"))
    # read by hand: the box is lines 3-5; two sentences in a row (6, 7) close it; the block
    # below the article opens at "Sur le même sujet" (9)
    below = [0, 0, 0, 1, 1, 1, 0, 0, 0, 1, 1]
    assert f[:, FEATURE_NAMES.index("below_related")].tolist() == below
    # one sentence under the box does not close it
    texts = [*article, *box, more[0], "Calendrier des travaux"]
    f = page_features(texts, [t.casefold() for t in texts], stoplist("fr"))
    assert f[:, FEATURE_NAMES.index("below_related")].tolist() == [0, 0, 0, 1, 1, 1, 1, 1]


def test_english_blocks_of_other_stories_are_marked_from_their_heading_down():
    article = [
        "The city council approved the budget for the new library on Tuesday evening, and it "
        "should open its doors next spring in the station district.",
        "Work will begin in January and last a little more than eight months, the mayor told "
        "residents at a meeting last week.",
    ]
    teaser = "Swimming pool to reopen in September"
    # headings of the first English audit's pages (morningstar.co.uk, menshealth.com,
    # responsiblestatecraft.org) and of the dataset's train pages
    for heading in (
        "Others liked",
        "What to read next",
        "From Your Site Articles",
        "You might also like",
        "Don't miss:",
        "Editors' Picks",
        "Trending now",
    ):
        texts = [*article, heading, teaser]
        f = page_features(texts, [t.casefold() for t in texts], stoplist("en"))
        # read by hand: the block of other stories opens at the heading (line 2)
        assert f[:, FEATURE_NAMES.index("below_related")].tolist() == [0, 0, 1, 1], heading
    subheading = "You might also like the idea that the library will open on Sundays."
    texts = [*article, subheading, article[0]]
    f = page_features(texts, [t.casefold() for t in texts], stoplist("en"))
    # a sentence of the article opens nothing
    assert f[:, FEATURE_NAMES.index("below_related")].tolist() == [0, 0, 0, 0]


def test_a_table_and_the_list_a_colon_announces_are_marked():
    f = page_features(_TABLE, [t.casefold() for t in _TABLE], stoplist("fr"))
    # read by hand: the numbers are the prices and the changes (lines 2, 3, 5, 6: short, and
    # mostly digits); each line's window is the 3 lines either side of it, cut at the page's
    # edges (line 0: lines 0-3, two numbers in four lines; line 3: lines 0-6, all four in 7)
    window = f[:, FEATURE_NAMES.index("number_window")]
    assert window == pytest.approx([2 / 4, 2 / 5, 3 / 6, 4 / 7, 4 / 7, 4 / 7, 3 / 6, 2 / 5, 2 / 4])
    # the cells under the sentence that ends with a colon follow it; the footer below the
    # next paragraph (which ends with a full stop) does not, nor do the paragraphs themselves
    after_colon = f[:, FEATURE_NAMES.index("after_colon")]
    assert after_colon.tolist() == [0, 1, 1, 1, 1, 1, 1, 0, 0]


def test_a_calendar_and_a_pager_count_a_table_does_not():
    from cleaner.linemodel.features import PageLines, batch_features

    calendar = ["Décembre 2026", "lu", "ma", "30", "1", "2", "3", "Archives", "2025", "2024"]
    table = ["Classement", "1", "Vire", "42", "2", "Flers", "40", "12", "3"]
    pager = ["4", "5", "Page suivante"]
    # read by hand: December's days 1, 2, 3 count on (30 is November's last, 1 does not
    # follow it); the years count down, not on. In the table, each rank is followed by a name
    # and the points by a rank; "12" above "3" is no count. The pager counts on ("4", "5"),
    # but its "4" does not follow the table's "3": that is another page
    pages = [
        PageLines(p, [t.casefold() for t in p], stoplist("fr")) for p in (calendar, table, pager)
    ]
    counting = batch_features(pages)[:, FEATURE_NAMES.index("counting")].tolist()
    assert counting == [0, 0, 0, 0, 1, 1, 1, 0, 0, 0] + [0] * 9 + [1, 1, 0]


def test_a_heading_an_earlier_stage_dropped_still_opens_its_section():
    from cleaner.linemodel.features import PageLines, batch_features

    # the pattern library dropped "Lire aussi" (between the last paragraph and the first
    # teaser) and "12 commentaires" (above the article: a menu link); the page's kept lines
    texts = [
        "Accueil",
        *_COMMENTED[1:4],
        "Médiathèque : le chantier prend du retard",
        "La piscine municipale rouvrira en septembre",
    ]
    dropped = [(1, "12 commentaires"), (4, "lire aussi"), (4, "partager")]
    page = PageLines(texts, [t.casefold() for t in texts], stoplist("fr"), dropped_headings=dropped)
    f = batch_features([page])
    # read by hand: the block of other stories opens at the line after "Lire aussi" (line 4);
    # "12 commentaires" stands above the main run and opens nothing; "partager" is no heading
    assert f[:, FEATURE_NAMES.index("below_related")].tolist() == [0, 0, 0, 0, 1, 1]
    assert f[:, FEATURE_NAMES.index("below_comments")].tolist() == [0] * 6


def test_the_dropped_headings_of_a_document_are_found_where_they_stood():
    from cleaner import Document, reasons
    from cleaner.stages.boilerplate_model import dropped_headings

    doc = Document.from_text("Un\nLire aussi\nDeux\nTrois\nÀ la une\nQuatre\n", id="d")
    doc.lines[1].drop(reasons.BOILERPLATE_PATTERN)
    doc.lines[3].drop(reasons.DUPLICATE_COPY)  # not a heading's drop
    doc.lines[4].drop(reasons.BOILERPLATE_TEMPLATE)
    # kept: Un (0), Deux (1), Quatre (2); "Lire aussi" stood before Deux, "À la une" before
    # Quatre
    assert dropped_headings(doc) == [(1, "lire aussi"), (2, "à la une")]


def test_a_page_without_a_main_run_has_no_comment_section():
    texts = [
        "Réactions",  # a heading of the article's own: no article above it to comment on
        "Les habitants saluent une décision attendue depuis longtemps par tout le quartier.",
        "Réactions",
        "Les commerçants, eux, craignent une baisse de la fréquentation pendant les travaux.",
    ]
    f = page_features(texts, [t.casefold() for t in texts], stoplist("fr"))
    # read by hand: no paragraph has the 20 words of a main run of prose, so there is no
    # article for a comment section to follow
    assert f[:, FEATURE_NAMES.index("below_comments")].tolist() == [0, 0, 0, 0]


def _thread_start(texts: list[str]) -> int | None:
    """Where :func:`thread_starts` puts the comment thread of a French page of ``texts``."""
    folded = [t.casefold() for t in texts]
    (start,) = thread_starts([folded], page_features(texts, folded, stoplist("fr")))
    return start


def _thread_page(marks: list[str]) -> list[str]:
    """A page of one paragraph under a menu, then a comment heading and a comment under each
    mark line given."""
    comment = "Un commentaire assez long pour être lu comme un paragraphe de prose ordinaire."
    texts = ["Accueil", "Le paragraphe de l'article, une phrase longue comme il se doit ici.",
             "Partager", "2 commentaires"]  # fmt: skip
    for mark in marks:
        texts += [mark, comment]
    return texts


@pytest.mark.parametrize(
    "marks",
    [
        ["Marie dit :", "Paul dit :"],  # WordPress, French
        ["Scott Fadick says:", "Reply"],
        ["Alex on September 17, 2018 at 6:34 am said:", "Jo on September 18, 2018 said:"],
        ["Répondre à ce message", "Le 3 juillet à 16:55, par Voltaire en réponse à : Le titre"],
        ["Soumis par marie, le lundi 29 octobre 2012 à 15h46", "Répondre ↓"],
        ["Paul a répondu le mardi 30 octobre 2012 à 11h45", "Antworten"],
    ],
)
def test_a_comment_thread_starts_at_its_heading(marks):
    assert _thread_start(_thread_page(marks)) == 3  # "2 commentaires", above the first mark


@pytest.mark.parametrize("space", ["\u00a0", "\u202f"])
def test_a_signature_with_a_no_break_space_before_its_colon_is_a_mark(space):
    # French typography: "Marie dit :" as WordPress writes it in French, with a no-break space
    texts = _thread_page([f"Marie dit{space}:", f"Paul dit{space}:"])
    del texts[3]
    assert _thread_start(texts) == 3  # "Marie dit :"


def test_vos_commentaires_heads_a_comment_thread():
    texts = _thread_page(["Marie dit :", "Paul dit :"])
    texts[3] = "VOS COMMENTAIRES"
    assert _thread_start(texts) == 3


def test_a_thread_without_heading_starts_at_its_first_mark():
    texts = _thread_page(["Marie dit :", "Paul dit :"])
    del texts[3]
    assert _thread_start(texts) == 3  # "Marie dit :"


def test_a_paragraph_asking_for_comments_is_no_thread_heading():
    # the article's last paragraph invites comments, a few lines above the thread: it is prose,
    # longer than a heading, and stays above the thread with the rest of the article
    texts = _thread_page(["Marie dit :", "Paul dit :"])
    texts[3] = (
        "Il reste quelques jours avant la version finale, alors si vous voyez une erreur, "
        "n'hésitez pas à laisser un commentaire ou à m'écrire. Merci d'avance !"
    )
    texts.insert(4, "2 commentaires")
    assert _thread_start(texts) == 4  # the heading under the paragraph, not the paragraph


@pytest.mark.parametrize(
    "marks",
    [
        ["Marie dit :"],  # one mark is no thread
        ["Permalink", "Report"],  # blog posts carry these above their own text
        ["Posted by Ann at 12:06 PM", "Posted by Bob at 1:10 PM"],
        ["greendude wrote:", "Paul a écrit :"],  # forum quotes, inside the posts that are content
        ["Marie dit : je ne suis pas d'accord avec vous", "Répondre à tous"],  # not the whole line
    ],
)
def test_lines_that_are_not_comment_marks_make_no_thread(marks):
    assert _thread_start(_thread_page(marks)) is None


def test_comments_above_any_prose_are_left_to_the_walk():
    # a page laid out comments first: cutting from the thread would leave no article
    texts = _thread_page(["Marie dit :", "Paul dit :"])
    texts[1] = "Le titre de l'article"
    texts.append("L'article, enfin, sous les commentaires, long comme un paragraphe de prose.")
    assert _thread_start(texts) is None


def test_an_article_byline_and_a_teaser_byline_make_no_thread():
    # a Drupal article's byline under its standfirst, twelve paragraphs, then another story's
    # teaser with its own byline: two marks, but far apart; no comment thread
    body = [
        f"Le paragraphe numéro {i} de l'article raconte la suite des événements de la semaine."
        for i in range(1, 13)
    ]
    texts = [
        "Accueil",
        "Le conseil vote le budget de la médiathèque",
        "Le conseil municipal a voté mardi soir le budget de la médiathèque, après un long débat.",
        "Soumis par Marie, le lundi 29 octobre 2012 à 15h46",
        *body,
        "À lire aussi",
        "La piscine municipale rouvre ses portes",
        "Soumis par Paul, le mardi 30 octobre 2012 à 10h12",
    ]
    assert _thread_start(texts) is None
    # the same bylines under two comments, close together, are a thread
    comments = ["Soumis par Paul, le mardi 30 octobre 2012 à 10h12", body[0]] * 2
    assert _thread_start(texts[:-1] + comments) == len(texts) - 1


def test_threads_are_found_page_by_page_in_a_batch():
    pages = [_thread_page(["Marie dit :"]), _thread_page(["Marie dit :", "Paul dit :"])]
    pages[1].insert(0, "Actualités")  # its heading one line further down
    folded = [[t.casefold() for t in texts] for texts in pages]
    lines = [PageLines(t, f, stoplist("fr")) for t, f in zip(pages, folded, strict=True)]
    features = batch_features(lines)
    assert thread_starts(folded, features) == [None, 4]


def test_a_thread_is_given_no_chance_of_being_the_article():
    probs = np.array([0.9, 0.8, 0.7, 0.95])
    assert without_thread(probs, 2).tolist() == [0.9, 0.8, 0.0, 0.0]
    assert without_thread(probs, None) is probs


def test_the_records_title_is_found_among_the_lines():
    lines = [
        "Accueil",
        "Le Journal",
        "Grève des cheminots : le trafic perturbé jusqu'à jeudi",
        "Par Paul Durand",
        "La grève des cheminots perturbera le trafic des trains jusqu'à jeudi au moins, a "
        "annoncé la direction mardi soir.",
        "Lire aussi : le trafic reprend sur la ligne B",
        "Grève des cheminots : le trafic perturbé jusqu'à jeudi",
    ]
    title = "Grève des cheminots : le trafic perturbé jusqu'à jeudi - Le Journal"
    # read by hand: the headline (line 2) and its repeat in a share box (line 6) are the
    # title but for the site's name; the site's name alone (line 1) is too small a part of
    # the title, the paragraph (4) and the teaser (5) hold words the title does not
    assert title_lines(title, [t.casefold() for t in lines]) == [2, 6]
    # a title of one word names no line; nor does a title on a page of long lines only
    assert title_lines("Accueil", [t.casefold() for t in lines]) == []
    assert title_lines("Grève des cheminots", [lines[4].casefold()]) == []
    assert title_lines("", ["accueil"]) == []


def test_the_records_title_above_the_article_starts_it():
    # a menu, the title, a standfirst, a byline, three paragraphs the walk kept, a footer
    states = np.array([BEFORE, BEFORE, BEFORE, BEFORE, ARTICLE, ARTICLE, ARTICLE, AFTER])
    marks = np.array([0, TITLE_LIKE, LEAD_LIKE, 0, LEAD_LIKE, LEAD_LIKE, LEAD_LIKE, 0])
    want = [BEFORE, ARTICLE, ARTICLE, INSIDE, ARTICLE, ARTICLE, ARTICLE, AFTER]
    assert with_record_title(states, marks, [1]).tolist() == want
    # of several title lines above the article (a breadcrumb, then the headline), the last
    assert with_record_title(states, marks, [0, 1]).tolist() == want
    # a title line below the article (a "read next" link) changes nothing; nor does no title
    assert with_record_title(states, marks, [7]).tolist() == states.tolist()
    assert with_record_title(states, marks, []).tolist() == states.tolist()
    assert states[1] == BEFORE  # the states given are left as they were


def test_the_records_title_inside_the_article_is_kept():
    # the walk starts the article on a standfirst above the headline and leaves the headline
    # out as chrome inside it: the headline goes back in, nothing else moves
    states = np.array([BEFORE, ARTICLE, INSIDE, ARTICLE, AFTER])
    marks = np.array([0, LEAD_LIKE, TITLE_LIKE, LEAD_LIKE, 0])
    assert with_record_title(states, marks, [2]).tolist() == [
        BEFORE, ARTICLE, ARTICLE, ARTICLE, AFTER,
    ]  # fmt: skip


def test_the_walk_starting_just_above_the_records_title_starts_at_the_title():
    # the eighth audit's larep.fr page: the walk starts on a glued menu line, takes a
    # breadcrumb, then the headline (the record's title) and the paragraphs; the menu and the
    # breadcrumb are chrome inside the article, a standfirst set above the headline is not
    states = np.array([BEFORE, ARTICLE, ARTICLE, ARTICLE, ARTICLE, ARTICLE, AFTER])
    marks = np.array([0, 0, LEAD_LIKE, TITLE_LIKE, LEAD_LIKE, LEAD_LIKE, 0])
    want = [BEFORE, INSIDE, ARTICLE, ARTICLE, ARTICLE, ARTICLE, AFTER]
    assert with_record_title(states, marks, [3]).tolist() == want
    assert starts_at_title(states, [3])  # no other headline is looked for above
    # where a line above the walk is the title too, nothing is cut, and the headline step
    # still looks above the walk, as before (a heading of the article repeats the title near
    # its top: the first English audit's adf.org page)
    above = np.array([BEFORE, BEFORE, BEFORE, ARTICLE, ARTICLE, ARTICLE, AFTER])
    marks = np.array([0, TITLE_LIKE, LEAD_LIKE, LEAD_LIKE, 0, TITLE_LIKE, 0])
    assert with_record_title(above, marks, [1, 5]).tolist() == [
        BEFORE, BEFORE, BEFORE, ARTICLE, ARTICLE, ARTICLE, AFTER,
    ]  # fmt: skip
    assert not starts_at_title(above, [1, 5])
    # the walk starting on a title line (a caption repeats the headline two lines below):
    # nothing is cut; a short sentence above the title stays (the day's hunt)
    walk = np.array([ARTICLE, ARTICLE, ARTICLE, ARTICLE, AFTER])
    marks = np.array([TITLE_LIKE, LEAD_LIKE, TITLE_LIKE, LEAD_LIKE, 0])
    assert with_record_title(walk, marks, [0, 2]).tolist() == walk.tolist()
    short = np.array([0, 0, TITLE_LIKE, LEAD_LIKE, 0])  # line 1: a sentence of 9 words
    ends = np.array([False, True, False, True, False])
    assert with_record_title(walk, short, [2], ends).tolist() == [
        INSIDE, ARTICLE, ARTICLE, ARTICLE, AFTER,
    ]  # fmt: skip
    # a title far down the article (a heading quoting it) moves nothing
    long = np.array([BEFORE] + [ARTICLE] * 8 + [AFTER])
    marks = np.array([0, 0] + [LEAD_LIKE] * 5 + [TITLE_LIKE, 0, 0])
    assert with_record_title(long, marks, [7]).tolist() == long.tolist()
    assert not starts_at_title(long, [7])


def test_a_urls_words_may_spell_its_pages_title():
    url = (
        "https://www.exemple.fr/societe/2024/05/14/"
        "greve-des-cheminots-le-trafic-perturbe-jusqu-a-jeudi_6123456_3224.html"
    )
    # read by hand: the segment of most words, without its extension and its numbers
    assert url_title(url) == "greve des cheminots le trafic perturbe jusqu a jeudi"
    assert url_title("https://www.exemple.fr/gr%C3%A8ve-des-cheminots-en-col%C3%A8re/") == (
        "grève des cheminots en colère"
    )
    # fewer than three words: no title
    for url in ("https://exemple.fr/article/12345", "https://exemple.fr/?p=123", "", "x y z"):
        assert url_title(url) == ""


def test_a_urls_words_name_the_headline_without_its_accents():
    lines = [
        "Accueil",
        "Grève des cheminots : le trafic perturbé jusqu'à jeudi",
        "Par Paul Durand",
        "La grève des cheminots perturbera le trafic des trains jusqu'à jeudi au moins, a "
        "annoncé la direction mardi soir.",
    ]
    words = "greve des cheminots le trafic perturbe jusqu a jeudi"
    # read by hand, words of 3 letters or more, without accents, by their first 5: the
    # headline's 7 are the URL's 7; the paragraph holds 7 of the URL's among its 13 (under
    # 60 %); "Accueil" is one word
    assert title_lines(words, [t.casefold() for t in lines], from_url=True) == [1]
    # accents: a line whose words nearly all carry one
    lines = ["Été brûlant à Genève : les pompiers épuisés", "Météo"]
    words = "ete brulant a geneve les pompiers epuises"
    assert title_lines(words, [t.casefold() for t in lines], from_url=True) == [0]
    # read as a record's title, with its accents, only "les" and "pompi" are the line's
    assert title_lines(words, [t.casefold() for t in lines]) == []
