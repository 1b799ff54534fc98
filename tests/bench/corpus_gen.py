"""A deterministic generator of scraped French news pages, of any size, for benchmarks.

The article text comes from the clean pages shipped in ``corpora/truth/**/*.txt``: their
paragraphs and headings are recombined into new pages (20-40 paragraphs each, shuffled) and
mutated word by word (a few words swapped for other words of the corpus, numbers changed), so
that no two pages share article lines and the frequent-line filter sees the article text as
article text. The faults of real scraped pages are mixed in at fixed rates (see the ``*_RATE``
constants and :func:`make_page`):

- a second copy of the article on about half the pages: a title line, ``Source : X`` (or a
  byline ``Par Prénom Nom``), then 60-90 % of the article lines again, in order, a few of them
  with whitespace, punctuation or one-word differences;
- page chrome: a slogan and a navigation line per site (shared by every page of the site, so
  only the cross-document frequency rule can remove them), cookie banners, ``Publicité``,
  ``Lire aussi : …``, ``Voir l'original``, share buttons, disclaimers, copyright lines, app
  banners, and scraper leftovers (``[ad_1]``, ``•``, ``null``, ``qrCode``, ``###``, empty lines);
- about 2 % of article lines turned into mojibake (``s.encode("utf-8").decode("cp1252")``),
  HTML entities, doubled spaces, stray CJK punctuation, Chinese fragments inside French lines,
  whole Chinese lines and a few English lines.

Everything is drawn from one seeded :class:`random.Random`: the same seed and size give the same
pages, byte for byte.

>>> pages, stats = generate_pages(200_000, seed=1)
>>> sum(len(text.encode("utf-8")) for _, text in pages) >= 200_000
True
"""

from __future__ import annotations

import random
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
TRUTH_DIR = REPO_ROOT / "corpora" / "truth"

#: Share of pages that carry a second copy of their article.
SECOND_COPY_RATE = 0.5
#: Share of article lines written as mojibake (UTF-8 read as cp1252).
MOJIBAKE_RATE = 0.02
#: Share of article lines with an HTML entity (``&#39;``, ``&amp;``, ``&quot;``).
ENTITY_RATE = 0.01
#: Share of article lines with a doubled space or a trailing space.
SPACING_RATE = 0.02
#: Share of article lines with a Chinese fragment inside.
CHINESE_FRAGMENT_RATE = 0.005
#: Share of article lines with stray CJK punctuation (``「…」``, ``，``).
CJK_PUNCT_RATE = 0.003
#: Share of article lines replaced by a whole line of Chinese.
CHINESE_LINE_RATE = 0.003
#: Share of article lines replaced by an English line (a quote).
ENGLISH_RATE = 0.003
#: Chance, after each article line, of an inline chrome line (ad label, ``Lire aussi``, ...).
INLINE_CHROME_RATE = 0.08
#: Chance that a body paragraph is followed by a ``### heading``.
HEADING_RATE = 0.08

SITES = [
    ("Le Courrier du Matin", "Le Courrier du Matin, l’information qui vous réveille"),
    ("Eco Hebdo", "Eco Hebdo, l’économie qui compte pour vous"),
    ("Tech Actu", "Tech Actu : toute l’actualité du numérique, chaque jour"),
    ("Dépêches Express", "Dépêches Express, l’essentiel de l’actualité en continu"),
    ("La Voix des Vallées", "La Voix des Vallées, au plus près de chez vous"),
    ("Le Journal du Littoral", "Le Journal du Littoral, votre quotidien depuis 1946"),
    ("Sud Matin", "Sud Matin : l’info locale, nationale et internationale"),
    ("L’Écho des Régions", "L’Écho des Régions, la presse qui vous ressemble"),
]
NAV_LINES = [
    "Accueil | Régions | Sports | Météo | Économie",
    "Accueil | Entreprises | Marchés | Emploi | Immobilier",
    "Accueil | Start-up | Télécoms | Cybersécurité | IA",
    "Accueil | France | Monde | Sport | Culture",
]
COOKIE_BANNERS = [
    "Ce site utilise des cookies pour améliorer votre expérience de lecture.",
    "Ce site utilise des cookies. En poursuivant votre navigation, vous acceptez leur utilisation.",
    "Ce site utilise des cookies pour mesurer l'audience et personnaliser les publicités.",
]
DISCLAIMERS = [
    "Cette page peut inclure du contenu de tiers, publié à titre purement informatif. {site} ne "
    "garantit ni son exactitude ni sa fiabilité et ne saurait être tenu responsable des opinions "
    "qui y sont exprimées. Consultez nos conditions d'utilisation pour en savoir plus.",
    "Cette page peut inclure du contenu de tiers fourni à titre informatif. {site} décline toute "
    "responsabilité quant à son contenu.",
    "Cette page peut inclure du contenu de tiers communiqué à des fins d’information uniquement. "
    "{site} n’en garantit pas l’exactitude.",
]
INLINE_CHROME = [
    "Publicité",
    "Publicité",
    "[ad_1]",
    "•",
    "*",
    "-",
    "",
    "",
    "null",
    "###",
    "qrCode",
    "Scannez le QR code pour télécharger l’application",
    "Lire aussi : {headline}",
    "Lire aussi : {headline}",
]
FOOTER_CHROME = [
    "Ressources :",
    "Ressources:",
    "Voir l'original",
    "Voir l'original",
    "Partager sur Facebook",
    "Suivez-nous sur X",
    "Téléchargez l'application {site} sur l'App Store et Google Play",
]
SOURCES = [
    "Agence Rhône-Presse",
    "Agence Centrale de Presse",
    "Nouvelles Numériques",
    "Rédaction du Courrier du Matin",
    "AFP",
    "Reuters",
    "Agence Nord-Info",
]
FIRST_NAMES = ["Jeanne", "Thomas", "Hugo", "Claire", "Marc", "Sophie", "Julien", "Léa", "Karim"]
LAST_NAMES = ["Martin", "Girard", "Lemaire", "Delorme", "Vernier", "Lacombe", "Masson", "Benali"]
CHINESE_FRAGMENTS = [
    "经济参考报",
    "新华社",
    "金穗乳业董事长Zhao Lin。",
    "星海科技前首席技术官Liu Fang。",
    "王丽",
    "中国商务部",
]
CHINESE_SENTENCES = [
    "中国商务部发言人表示，双方将继续保持沟通。",
    "星海科技周二宣布，将在格勒诺布尔设立欧洲研发中心。",
    "金穗乳业表示，收购完成后将保留法国工厂的全部员工。",
    "双方同意在年底前举行新一轮磋商。",
]
ENGLISH_LINES = [
    '"We are not going to back down. Europe needs partners, and so do we," the chief executive '
    "told reporters.",
    '"This is a long-term commitment to the region and to our customers," the company said in a '
    "statement.",
    '"Nobody expected the market to turn so quickly," an analyst at a London bank said on Monday.',
]

_WORD = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿŒœ’'-]{4,}")
_NUMBER = re.compile(r"\b\d+\b")
_ENGLISH_VOCABULARY = sorted({w for s in ENGLISH_LINES for w in _WORD.findall(s) if w.islower()})
_CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")


@dataclass
class Material:
    """What the pages are made of: article paragraphs, headings, and a vocabulary."""

    paragraphs: list[str]
    headings: list[str]
    vocabulary: list[str]


@dataclass
class CorpusStats:
    """What the generator put in, to compare with what the pipeline took out."""

    pages: int = 0
    lines: int = 0
    bytes: int = 0
    faults: Counter[str] = field(default_factory=Counter)


def load_material(truth_dir: Path = TRUTH_DIR) -> Material:
    """Paragraphs and headings of the shipped clean pages, and the words they use."""
    files = sorted(truth_dir.rglob("*.txt"))
    if not files:
        raise SystemExit(f"no clean pages under {truth_dir}")
    paragraphs, headings, words = [], [], set()
    for path in files:
        for line in path.read_text(encoding="utf-8").splitlines():
            line = line.strip()
            if not line:
                continue
            n_words = len(line.split())
            if n_words == 1 and _CJK.search(line):
                continue  # whole Chinese lines are made by _chinese_line, each one different
            if n_words <= 8 and not _CJK.search(line) and not line.endswith((".", "»", "?", "!")):
                if n_words >= 3:  # "Réactions" cannot be mutated: every page would share it
                    headings.append(line)
            else:
                paragraphs.append(line)
            words.update(w for w in _WORD.findall(line) if w.islower())
    words -= set(_ENGLISH_VOCABULARY)  # the truth holds one English quote
    return Material(paragraphs, sorted(set(headings)), sorted(words))


def mutate(rng: random.Random, text: str, vocabulary: list[str], swaps: int) -> str:
    """Swap ``swaps`` lowercase words of ``text`` for words of the vocabulary; change numbers."""
    tokens = text.split(" ")
    slots = [i for i, t in enumerate(tokens) if len(t) >= 4 and t.isalpha() and t.islower()]
    for i in rng.sample(slots, min(swaps, len(slots))):
        tokens[i] = rng.choice(vocabulary)
    text = " ".join(tokens)
    if rng.random() < 0.5:
        text = _NUMBER.sub(lambda m: str(rng.randint(2, 999)), text, count=1)
    return text


def mojibake(text: str) -> str | None:
    """``text`` as UTF-8 bytes read as cp1252, or ``None`` if cp1252 cannot decode them."""
    try:
        bad = text.encode("utf-8").decode("cp1252")
    except UnicodeDecodeError:
        return None
    return bad if bad != text else None


def _title(rng: random.Random, material: Material) -> str:
    words = rng.choice(material.paragraphs).split()
    n = min(len(words), rng.randint(6, 14))
    title = " ".join(words[:n]).strip('.,;:-–—«»"“” ')
    title = mutate(rng, title, material.vocabulary, 2)
    return title[:1].upper() + title[1:]


def _article_line(
    rng: random.Random, material: Material, paragraph: str, stats: CorpusStats
) -> str:
    """One raw article paragraph made from ``paragraph``: mutated, sometimes given a fault."""
    if rng.random() < ENGLISH_RATE:
        stats.faults["english_line"] += 1
        return mutate(rng, rng.choice(ENGLISH_LINES), _ENGLISH_VOCABULARY, 2)
    if rng.random() < CHINESE_LINE_RATE:
        stats.faults["chinese_line"] += 1
        return _chinese_line(rng)
    text = mutate(rng, paragraph, material.vocabulary, rng.randint(2, 4))
    r = rng.random()
    if r < CHINESE_FRAGMENT_RATE and " " in text:
        words = text.split(" ")
        words.insert(rng.randrange(1, len(words)), rng.choice(CHINESE_FRAGMENTS))
        text = " ".join(words)
        stats.faults["chinese_fragment"] += 1
    elif r < CHINESE_FRAGMENT_RATE + CJK_PUNCT_RATE and " " in text:
        text = text.replace(", ", "，", 1) if ", " in text else text.replace(" ", " 「", 1) + "」"
        stats.faults["cjk_punctuation"] += 1
    r = rng.random()
    if r < ENTITY_RATE:
        text = text.replace("'", "&#39;").replace("’", "&#39;").replace('"', "&quot;")
        text = text.replace(" et ", " &amp; ", 1)
        stats.faults["html_entity"] += 1
    elif r < ENTITY_RATE + SPACING_RATE:
        text = text.replace(" ", "  ", 1) if rng.random() < 0.5 else text + " "
        stats.faults["spacing"] += 1
    if rng.random() < MOJIBAKE_RATE:
        bad = mojibake(text)
        if bad is not None:
            text = bad
            stats.faults["mojibake"] += 1
    return text


def _chinese_line(rng: random.Random) -> str:
    """A whole line of Chinese, as wire copy quotes it: a dateline, then one or two sentences."""
    sentences = rng.sample(CHINESE_SENTENCES, rng.randint(1, 2))
    dateline = f"据新华社{rng.randint(1, 12)}月{rng.randint(1, 28)}日报道，"
    return dateline + "".join(sentences)


def _copy_variant(rng: random.Random, line: str, vocabulary: list[str]) -> str:
    """How a line of the second copy may differ from the first: spacing, punctuation, a word."""
    r = rng.random()
    if r < 0.04:
        return line.replace(" ", "  ", 1)
    if r < 0.08:
        return line.rstrip(".")
    if r < 0.11:
        return line.replace("’", "'")
    if r < 0.14:
        return mutate(rng, line, vocabulary, 1)
    return line


def make_page(
    rng: random.Random, material: Material, stats: CorpusStats, sites: list[str] | None = None
) -> str:
    """One scraped page, one paragraph per line, ending with a newline; its site's name is
    appended to ``sites`` when given."""
    site_index = rng.randrange(len(SITES))
    site, slogan = SITES[site_index]
    if sites is not None:
        sites.append(site)
    out: list[str] = []
    chrome = 0

    def add_chrome(line: str) -> None:
        nonlocal chrome
        out.append(line)
        chrome += 1

    if rng.random() < 0.8:
        add_chrome(slogan)
    if rng.random() < 0.7:
        add_chrome(NAV_LINES[site_index % len(NAV_LINES)])
    if rng.random() < 0.4:
        add_chrome(rng.choice(COOKIE_BANNERS))
    if rng.random() < 0.3:
        add_chrome("")

    article: list[str] = []  # the article lines, in order, for the second copy
    # Distinct source paragraphs in random order: a page repeats itself only in its second copy.
    for paragraph in rng.sample(material.paragraphs, rng.randint(20, 40)):
        line = _article_line(rng, material, paragraph, stats)
        out.append(line)
        article.append(line)
        if rng.random() < HEADING_RATE:
            heading = "### " + mutate(rng, rng.choice(material.headings), material.vocabulary, 1)
            out.append(heading)
            article.append(heading)
        if rng.random() < INLINE_CHROME_RATE:
            add_chrome(rng.choice(INLINE_CHROME).format(headline=_title(rng, material)))

    for line in rng.sample(FOOTER_CHROME, rng.randint(1, 3)):
        add_chrome(line.format(site=site))
    if rng.random() < 0.5:
        add_chrome(rng.choice(DISCLAIMERS).format(site=site))

    if rng.random() < SECOND_COPY_RATE:
        stats.faults["second_copy_pages"] += 1
        out.append(_title(rng, material))
        if rng.random() < 0.8:
            out.append(f"Source : {rng.choice(SOURCES)}")
        else:
            out.append(f"Par {rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}")
        keep = rng.uniform(0.6, 0.9)
        for line in article:
            if rng.random() < keep:
                out.append(_copy_variant(rng, line, material.vocabulary))
                stats.faults["second_copy_lines"] += 1

    if rng.random() < 0.3:
        add_chrome("Partager sur Facebook")
    if rng.random() < 0.7:
        add_chrome(f"© 2024 {site}. Tous droits réservés.")
    stats.faults["chrome_lines"] += chrome
    stats.lines += len(out)
    return "\n".join(out) + "\n"


def generate_pages(
    target_bytes: int,
    seed: int = 20240615,
    truth_dir: Path = TRUTH_DIR,
    sites: list[str] | None = None,
) -> tuple[list[tuple[str, str]], CorpusStats]:
    """Pages as ``(id, text)`` until their UTF-8 size reaches ``target_bytes``, and what they
    hold; each page's site name is appended to ``sites`` when given."""
    rng = random.Random(seed)
    material = load_material(truth_dir)
    stats = CorpusStats()
    pages: list[tuple[str, str]] = []
    while stats.bytes < target_bytes:
        text = make_page(rng, material, stats, sites)
        pages.append((f"page-{len(pages):06d}", text))
        stats.bytes += len(text.encode("utf-8"))
    stats.pages = len(pages)
    return pages, stats
