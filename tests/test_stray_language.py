"""Stage 4: CJK spans by script, stray lines by language ID, both backends."""

import pytest

from cleaner import LanguageConfig
from cleaner.langid import UNKNOWN, get_identifier
from cleaner.script import find_cjk_spans
from cleaner.stages.stray_language import StrayLanguageDetector
from tests.conftest import make_doc


def spans(text):
    return [(text[s.start : s.end], s.lang) for s in find_cjk_spans(text)]


@pytest.mark.parametrize(
    "text, expected",
    [
        # the whole of the name-embedded fragment, trailing 。 included
        (
            "Salesforce Inc.前联席首席执行官Bret Taylor。",
            [("Salesforce Inc.前联席首席执行官Bret Taylor。", "zh")],
        ),
        (
            "le groupe Alibaba Cloud前首席技术官Wang Jian。 Il a dit",
            [("Alibaba Cloud前首席技术官Wang Jian。", "zh")],
        ),
        # a space between French and Chinese: French words are not taken in
        ("selon 新华社 l’agence officielle", [("新华社", "zh")]),
        ("Hier Salesforce 前联席", [("前联席", "zh")]),
        # numbers with their unit inside a fragment
        ("投资13 milliards美元", [("投资13 milliards美元", "zh")]),
        # kana: Japanese, not Chinese; Hangul: Korean
        ("Il a dit ありがとうございます à tous", [("ありがとうございます", "ja")]),
        ("東京の会社", [("東京の会社", "ja")]),
        ("서울에서 발표", [("서울에서 발표", "ko")]),
        # a bracket after the run opens what follows (a French title), no name glued to it
        # (a full-width one stays with the run, as typed: the stage below leaves it out)
        ("Le film 《星空》（Au-delà des étoiles） sort", [("《星空》（", "zh")]),
        ("Le film 《星空》(Au-delà des étoiles) sort", [("《星空》", "zh")]),
        # CJK punctuation alone is not a fragment
        ("« Remplacez les membres. 」", []),
        ("Aucun caractère chinois ici.", []),
    ],
)
def test_cjk_spans(text, expected):
    assert spans(text) == expected


@pytest.mark.parametrize("backend", ["fasttext", "langdetect"])
def test_backends_identify_french_and_english(backend):
    ident = get_identifier(backend)
    guesses = ident.detect(
        [
            "Le conseil d’administration a cédé dimanche soir après une longue réunion.",
            "We will not back down, the chief executive told reporters on Sunday.",
            "",
            "12 345 — !!",
        ]
    )
    assert [g.lang for g in guesses[:2]] == ["fr", "en"]
    assert guesses[2] == UNKNOWN and guesses[3] == UNKNOWN
    assert backend in ident.version() or "lid.176" in ident.version()


def test_langdetect_is_deterministic_and_leaves_global_seed_alone():
    from langdetect import DetectorFactory

    before = DetectorFactory.seed
    ident = get_identifier("langdetect")
    line = "Ilya a de bonnes mœurs, ce n’est pas une personne en quête de pouvoir."
    first = [ident.detect([line])[0] for _ in range(5)]
    assert len(set(first)) == 1
    assert DetectorFactory.seed == before


def test_stage_records_spans_and_foreign_lines():
    doc = make_doc(
        "Les nouveaux membres du conseil pourraient inclure :",
        "Salesforce Inc.前联席首席执行官Bret Taylor。",
        '"We will not back down, whatever the board decides," the chief executive told reporters.',
        "Le conseil d’administration était hésitant, mais la décision est désormais prise.",
    )
    StrayLanguageDetector(LanguageConfig()).process(doc)
    zh = doc.lines[1].spans
    assert [(s.start, s.end, s.lang, s.kind) for s in zh] == [(0, 35, "zh", "span")]
    assert doc.lines[1].lang == "zh"
    en = doc.lines[2].spans
    assert [(s.lang, s.kind, s.start, s.end) for s in en] == [
        ("en", "line", 0, len(doc.lines[2].text))
    ]
    assert not doc.lines[3].spans and doc.lines[3].lang == "fr"
    assert doc.metadata["lang"] == "fr"


def test_chinese_in_a_url_is_no_fragment():
    # the domain and path were translated in place: "https://例子. zh4e2d zh56fd/新闻"
    doc = make_doc(
        "Le communiqué est en ligne sur https://例子.中国/新闻 depuis mardi, et 商务部 y répond.",
    )
    StrayLanguageDetector(LanguageConfig()).process(doc)
    line = doc.lines[0]
    assert [s.text for s in line.spans] == ["商务部"]
    # a path segment in Chinese is part of the address; Chinese glued to a URL's Latin
    # letters is a fragment (it stayed untranslated)
    for text, fragment in [
        ("Voir https://zh.wikipedia.org/wiki/北京市 et 商务部 le confirme.", "商务部"),
        ("Voir https://exemple.cn/新闻.html?q=北京&p=2 et 商务部 le confirme.", "商务部"),
        ("Voir (https://exemple.cn/新闻) et 商务部 le confirme.", "商务部"),
        ("Voir https://exemple.cn/a#北京 et 商务部 le confirme.", "商务部"),
        # a long run of Chinese after the "/" is prose glued to the address, not a name
        ("Selon https://weibo.com/u/新闻前首席执行官表示他将辞职", "新闻前首席执行官表示他将辞职"),
        (
            "Selon la source https://exemple.cn/news前首席执行官 le départ est confirmé.",
            "前首席执行官",
        ),
        ("Selon la source https://exemple.cn前首席执行官 le départ est confirmé.", "前首席执行官"),
        (
            "Selon https://exemple.cn/前首席执行官Bret Taylor le départ est confirmé.",
            "前首席执行官Bret Taylor",
        ),
        ("Selon www.例子.中国，前首席执行官说 le départ est confirmé.", "，前首席执行官说"),
    ]:
        doc = make_doc(text)
        StrayLanguageDetector(LanguageConfig()).process(doc)
        assert [s.text for s in doc.lines[0].spans] == [fragment]


def test_short_lines_are_not_identified():
    doc = make_doc("Breaking news")
    StrayLanguageDetector(LanguageConfig()).process(doc)
    assert not doc.lines[0].spans and doc.lines[0].lang is None


def test_unknown_backend_is_a_config_error():
    from cleaner.errors import ConfigError

    with pytest.raises(ConfigError, match="backend"):
        get_identifier("nope")


def test_function_word_shortcut_never_takes_foreign_lines_as_french():
    """The README's measurement: on the labelled lines, no line in another language passes
    the shortcut, and most long French lines do."""
    from pathlib import Path

    from cleaner.langid.shortcut import looks_like

    path = Path(__file__).parent / "data" / "langid_lines.tsv"
    rows = [line.split("\t", 1) for line in path.read_text("utf-8").splitlines()]
    foreign = [text for lang, text in rows if lang != "fr"]
    french = [text for lang, text in rows if lang == "fr" and sum(map(str.isalpha, text)) >= 40]
    assert not [text for text in foreign if looks_like(text, "fr")]
    assert sum(looks_like(text, "fr") for text in french) >= 0.9 * len(french)
    assert not looks_like("Le conseil a voté dans la soirée.", "xx")  # no word list: never


def test_shortcut_scores_distinct_function_words():
    from cleaner.langid.shortcut import looks_like

    # weak words (shared with neighbours) score 1, strong (French only) 2, each counted once
    assert looks_like("de la le les et", "fr")  # five weak: 5
    assert not looks_like("de la le les", "fr")  # four weak: 4
    assert not looks_like("de de de la la le les", "fr")  # repeats count once: 4
    assert not looks_like("dans avec", "fr")  # two strong: 4
    assert looks_like("dans avec le", "fr")  # two strong, one weak: 5
    assert looks_like("Dans l'avion, avec le", "fr")  # "l'" and "avion," miss; "le" is weak: 5
    # "dans" 2, "l" (from "l'") 1, "les" 1; "avec," glued to its comma is missed: 4
    assert not looks_like("Dans l'avion avec, les enfants", "fr")


def test_lone_surrogate_with_repairs_off_does_not_crash():
    from cleaner import Config, Document, Pipeline

    config = Config().replace("encoding", fix_mojibake=False)
    text = "Le conseil municipal a voté mardi soir le budget de la médiathèque \ud800 enfin."
    (doc,) = Pipeline(config).run([Document.from_text(text)])
    assert doc.lines[0].kept and doc.lines[0].lang == "fr"


def test_a_fragment_leaves_out_the_bracket_it_ends_with():
    # it took in "（Au-delà": translated, the clean text read "« … »(Au-delà des étoiles）"
    doc = make_doc("Le film 《星空之外》（Au-delà des étoiles） sort en salles mercredi prochain.")
    StrayLanguageDetector(LanguageConfig()).process(doc)
    assert [s.text for s in doc.lines[0].spans] == ["《星空之外》"]


def test_a_translation_spliced_before_a_bracket_is_spaced_from_it():
    from cleaner.document import Line, Span
    from cleaner.render import splice_line

    text = "《星空》(Au-delà des étoiles) sort mercredi."
    line = Line(1, text, text)
    line.spans = [Span(0, 4, "《星空》", "zh", translation="« Ciel étoilé »")]
    # it read "« Ciel étoilé »(Au-delà des étoiles)"
    assert splice_line(line)[0] == "« Ciel étoilé » (Au-delà des étoiles) sort mercredi."
    # and a translation that ends the line gets no space after it
    line = Line(1, "Il a dit 星空", "Il a dit 星空")
    line.spans = [Span(9, 11, "星空", "zh", translation="ciel étoilé")]
    assert splice_line(line)[0] == "Il a dit ciel étoilé"
