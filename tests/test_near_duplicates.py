"""Cross-document near-duplicates: a re-posted article is dropped, naming the original."""

from __future__ import annotations

from cleaner import Config, Document, Pipeline, reasons
from cleaner.config import DedupConfig
from cleaner.stages.near_duplicates import NearDuplicateFilter, find_duplicates, signature

ARTICLE = [
    "La Sorne est sortie de son lit dans la nuit de dimanche à lundi, après quarante-huit heures de pluies continues sur le plateau de Vaudrey.",
    "À Saint-Aubin-sur-Sorne, l’eau a atteint 1,80 mètre dans certaines rues du centre ancien, selon les pompiers du département.",
    "Trois communes restent coupées du monde ce mardi matin et les secours acheminent des vivres par bateau depuis la mairie annexe.",
    "Le préfet a annoncé le déclenchement de la procédure de catastrophe naturelle et une aide d’urgence pour les commerçants sinistrés.",
    "Les élus du canton réclament depuis des années un plan pour les digues, dont l’entretien est partagé entre quatre syndicats.",
]
OTHER = [
    "Le conseil municipal a voté mardi soir le budget de la nouvelle médiathèque, estimé à 4,2 millions d’euros pour toute l’opération.",
    "Les travaux doivent commencer à l’automne et l’ouverture est prévue au printemps, a précisé l’adjointe chargée de la culture.",
    "L’opposition a dénoncé un projet trop coûteux au moment où la commune doit aussi rénover deux écoles et le gymnase du quartier nord.",
]


def doc(id: str, lines: list[str], site: str | None = None) -> Document:
    return Document.from_text("\n".join(lines) + "\n", id=id, site=site)


def run(*docs: Document, config: Config | None = None) -> list[Document]:
    return list(Pipeline(config or Config()).run(docs))


def test_repost_is_dropped_naming_the_original():
    repost = (
        [ARTICLE[0].replace("dimanche", "samedi")] + ARTICLE[1:] + ["Lire aussi sur notre site"]
    )
    out = run(doc("site-a/crue", ARTICLE), doc("other", OTHER), doc("site-b/crue", repost))
    assert all(ln.kept for ln in out[0].lines) and all(ln.kept for ln in out[1].lines)
    dropped = [ln for ln in out[2].lines if ln.reason == reasons.DUPLICATE_DOCUMENT]
    assert len(dropped) == len(ARTICLE)
    assert dropped[0].detail["duplicate_of"] == "site-a/crue"
    assert 0.8 <= dropped[0].detail["similarity"] < 1.0


# two sites' menus and footers, as a scraper keeps them: 48 short lines each
SITE_A = [f"{w} {n}" for w in ("Rubrique", "Dossier", "Vidéo", "Podcast") for n in range(12)]
SITE_B = [f"{w} {n}" for w in ("Accueil", "Région", "Sport", "Agenda") for n in range(12)]


def test_an_article_reposted_under_another_sites_chrome_is_a_copy():
    # read: the same article (one word changed) under two sites' menus. The stage runs before
    # the line model, and compared on all the kept text, the 96 menu lines (192 words against
    # the article's 102) kept the two pages apart; the article's sentences alone are the same
    repost = [ARTICLE[0].replace("dimanche", "samedi"), *ARTICLE[1:]]

    def pages():
        return doc("crue", SITE_A + ARTICLE, "a.example"), doc(
            "reprise", SITE_B + repost, "b.example"
        )

    out = run(*pages())  # by default the long lines that end a sentence are compared
    assert all(ln.reason != reasons.DUPLICATE_DOCUMENT for ln in out[0].lines)
    dropped = {ln.text: ln.detail for ln in out[1].lines if ln.reason == reasons.DUPLICATE_DOCUMENT}
    assert all(dropped[line]["duplicate_of"] == "crue" for line in repost)
    # the menus are dropped as copies too: the whole page repeats an earlier one
    assert all(ln.reason == reasons.DUPLICATE_DOCUMENT for ln in out[1].lines)
    whole_text = Config().replace("dedup", prose_chars=0)
    out = run(*pages(), config=whole_text)
    assert all(ln.reason != reasons.DUPLICATE_DOCUMENT for ln in out[1].lines)


def test_different_and_short_documents_are_kept():
    short = ["Réactions", "Le maire a salué le travail des secours."]
    out = run(doc("a", ARTICLE), doc("b", OTHER), doc("c", short), doc("d", short))
    assert all(ln.reason != reasons.DUPLICATE_DOCUMENT for d in out for ln in d.lines)


def test_exact_copy_and_switch_off():
    out = run(doc("a", ARTICLE), doc("b", ARTICLE))
    assert out[1].lines[0].detail == {"duplicate_of": "a", "similarity": 1.0}
    off = Config().replace("dedup", documents=False)
    out = run(doc("a", ARTICLE), doc("b", ARTICLE), config=off)
    assert all(ln.reason != reasons.DUPLICATE_DOCUMENT for d in out for ln in d.lines)


def test_decisions_depend_only_on_order_not_on_batches():
    cfg = DedupConfig()
    texts = [ARTICLE, OTHER[:2], OTHER]  # three kinds of document, none like another
    kinds = [1, 0, 0, 2, 1, 2, 0, 1]
    docs = [doc(f"d{i}", texts[k]) for i, k in enumerate(kinds)]
    # each document repeats the first of its kind in input order, never a later repeat
    expected = {2: 1, 4: 0, 5: 3, 6: 1, 7: 0}
    sigs = [signature(d, cfg) for d in docs]
    assert {k: v[0] for k, v in find_duplicates(sigs, cfg).items()} == expected
    # the same documents in reverse order: the first of each kind is another one
    flipped = {k: v[0] for k, v in find_duplicates(sigs[::-1], cfg).items()}
    assert flipped == {3: 0, 4: 2, 5: 1, 6: 1, 7: 0}  # kinds 1, 0, 2, 1, 2, 0, 0, 1
    # the stage, fed the same observations in shards of any size, decides the same
    for size in (1, 3, 8):
        stage = NearDuplicateFilter(cfg)
        for lo in range(0, len(docs), size):
            stage.add_summary(stage.summarize([stage.observation(d) for d in docs[lo : lo + size]]))
        stage.decide()
        assert {k: v[0] for k, v in stage.decisions().items()} == {
            k: f"d{v}" for k, v in expected.items()
        }


def test_shingle_hashes_do_not_depend_on_the_batch():
    from cleaner.stages.near_duplicates import shingle_hashes

    texts = ["le conseil a voté mardi soir le budget", "", "trois mots ici", "été à l'école"]
    together = shingle_hashes(texts, 5)
    alone = [shingle_hashes([t], 5)[0] for t in texts]
    assert [list(a) for a in together] == [list(a) for a in alone]
    assert [len(a) for a in together] == [4, 0, 1, 1]
    # the same words give the same hashes, whatever precedes them
    a, b = shingle_hashes(["x y z a b c d e", "a b c d e"], 5)
    assert a[-1] == b[0]


def test_each_chinese_character_is_a_word_of_its_own():
    from cleaner.stages.near_duplicates import shingle_hashes

    # read: "物价" is two words, "。" one, and a Chinese character between Latin letters
    # splits them, as if spaces stood around each; Latin words stay whole
    texts = ["cpi物价上涨。", "cpi 物 价 上 涨 。", "x中y", "x 中 y", "été à"]
    spaced = shingle_hashes(texts, 1)
    assert list(spaced[0]) == list(spaced[1]) and len(spaced[0]) == 6
    assert list(spaced[2]) == list(spaced[3]) and len(spaced[2]) == 3
    assert len(spaced[4]) == 2  # é and à (U+00E9, U+00E0) are no Chinese characters


# Chinese puts no space between words. Five lines of one news story (about 45 characters each)
# and five lines of another, written for these tests.
STORY = [
    "国家统计局周二公布的数据显示，十一月份全国居民消费价格同比上涨百分之二点一，涨幅比上月回落。",
    "其中，食品价格上涨百分之四点八，非食品价格上涨百分之一点五，服务价格上涨百分之一点九。",
    "分析人士认为，猪肉和鲜菜价格回落是涨幅收窄的主要原因，预计年底前物价将保持平稳运行。",
    "统计局城市司首席统计师表示，随着冬季来临，部分地区蔬菜供应偏紧，价格可能出现季节性上涨。",
    "多家机构预测，明年全年居民消费价格涨幅将控制在百分之三左右，货币政策仍有调整空间。",
]
OTHER_STORY = [
    "本市第一条跨江地铁线路周日正式开通运营，全长三十二公里，共设二十四座车站，连接江南江北。",
    "市交通局负责人介绍，新线路开通后，两岸通勤时间将由一个多小时缩短至四十分钟左右。",
    "开通首日，不少市民专程前来体验，车站内秩序井然，工作人员在各个出入口引导乘客进站。",
    "据悉，该线路采用全自动运行系统，最高时速可达一百公里，高峰时段发车间隔约为三分钟。",
    "另外两条在建线路预计明年底前完工，届时全市轨道交通运营里程将突破三百公里。",
]
# pages in Chinese kept as they are (by default a page in another language is dropped)
KEEP_CHINESE = Config().replace("language", other_documents="keep")
# a site's menu: sixty items of two characters, the same on every page of the site
MENU = [a + b for a in "新财体娱科汽房教旅健时军" for b in "闻经育乐技"]


def test_pages_of_one_site_sharing_their_menu_are_not_copies():
    # read: two different stories under the same menu. Read as one word per line (Chinese has
    # no spaces), the menu's 60 lines outweighed the 5 of each story and the second page was
    # dropped as a copy of the first; character by character each story is longer than the menu
    pages = doc("news/prix", MENU + STORY), doc("news/metro", MENU + OTHER_STORY)
    out = run(*pages, config=KEEP_CHINESE)
    assert all(ln.reason != reasons.DUPLICATE_DOCUMENT for d in out for ln in d.lines)


def test_a_chinese_story_reposted_with_one_figure_changed_is_a_copy():
    # read: the same story on another site, "二点一" become "二点三" in its first line: a
    # repost. Read as one word per line, no 5-line shingle was left in common and the copy
    # went unnoticed
    repost = [STORY[0].replace("二点一", "二点三"), *STORY[1:]]
    pages = doc("prix", STORY, "a.example"), doc("prix-repris", repost, "b.example")
    out = run(*pages, config=KEEP_CHINESE)
    assert [ln.reason for ln in out[0].lines] == [None] * len(STORY)  # the original stays
    dropped = [ln for ln in out[1].lines if ln.reason == reasons.DUPLICATE_DOCUMENT]
    assert len(dropped) == len(STORY)
    assert dropped[0].detail["duplicate_of"] == "prix"


def test_hashing_buffers_kept_between_calls_carry_nothing_over():
    from cleaner.stages.near_duplicates import _SCRATCH_KEPT, shingle_hashes

    texts = ["le conseil a cédé dimanche soir après dix heures de débat", "cpi物价上涨。"]
    first = shingle_hashes(texts, 5)
    # a longer batch fills the kept buffers further, a huge one gets buffers of its own
    shingle_hashes(["mot " * 50_000, "中" * 40_000], 5)
    shingle_hashes(["x " * (_SCRATCH_KEPT // 2 + 1)], 5)
    again = shingle_hashes(texts, 5)
    assert [h.tolist() for h in again] == [h.tolist() for h in first]
    assert [len(h) for h in first] == [7, 2]  # 11 words: 7 grams; 6 words: 2
