"""Frozen, typed, validated configuration: one dataclass per stage.

A TOML file maps onto it one to one (``[encoding]`` → :class:`EncodingConfig`, ...). Unknown
sections or keys, and values of the wrong type, raise :class:`~cleaner.errors.ConfigError`
before any data is read.

>>> from cleaner.config import Config
>>> Config.from_dict({"boilerplate": {"template_min_documents": 5}}).boilerplate.template_min_documents
5
"""

from __future__ import annotations

import dataclasses
import tomllib
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .document import CONTAINS_TRANSLATION, FOREIGN, ORIGINAL, TRANSLATED
from .errors import ConfigError


@dataclass(frozen=True)
class HtmlConfig:
    """Reading HTML pages (``.html``, ``.htm``, WARC responses): trafilatura's main text."""

    #: ``balanced`` (trafilatura's default), ``precision`` (less chrome, some article lines
    #: lost) or ``recall`` (more of the article, more chrome).
    favor: str = "balanced"
    #: Keep the text of tables (news pages put results, scores and figures in them).
    include_tables: bool = True
    #: Keep readers' comments: off, they are not the article.
    include_comments: bool = False
    #: trafilatura without its fallback extractors: faster, finds less on unusual pages.
    fast: bool = False
    #: Look for the publication date in the whole page, not only in its metadata and URL.
    extensive_date_search: bool = True


@dataclass(frozen=True)
class TextConfig:
    """Reading text (``.txt`` files, standard input, :meth:`Pipeline.clean_text`; for
    ``markdown`` and ``field``, the text of JSON Lines and Parquet records too)."""

    #: Join the lines of hard-wrapped text (the dumps of lynx, w3m, html2text: paragraphs cut
    #: at some 70-80 columns) back into paragraphs; text that is not hard-wrapped is left as
    #: it is (see cleaner/io/unwrap.py).
    unwrap: bool = True
    #: Markdown scrapes (html2text, Firecrawl, crawl4ai, Jina Reader, markdownify) back to the
    #: text they show: a paragraph's lines joined, links to their words, images and rules out
    #: (see cleaner/markdown.py). ``auto``: pages with a link in Markdown (``[mot](https://``);
    #: ``always``; ``never``. Also for the text of JSON Lines and Parquet records.
    markdown: str = "auto"
    #: The field of a JSON Lines record, or the column of a Parquet file, that holds the page's
    #: text (Firecrawl and crawl4ai write ``markdown``); the clean text is written back into it.
    field: str = "text"


MARKDOWN_MODES = ("auto", "always", "never")


@dataclass(frozen=True)
class OutputConfig:
    """Where record-style documents go."""

    #: Write JSONL and WARC records to ``clean.parquet`` instead of ``clean.jsonl`` (Parquet
    #: input always goes to ``clean.parquet``).
    parquet: bool = False


@dataclass(frozen=True)
class EncodingConfig:
    """Stage 1: repair the encoding and normalise punctuation and whitespace."""

    #: Repair mojibake with ftfy (only on lines a cheap check flags).
    fix_mojibake: bool = True
    #: Decode HTML entities (``&amp;`` → ``&``); ftfy's fix_encoding does not.
    fix_html_entities: bool = True
    #: Turn CJK punctuation outside Chinese text into its French form (``」`` → `` »``).
    normalize_cjk_punctuation: bool = True
    #: Add the missing space in ``retour !Exigeant``.
    fix_glued_punctuation: bool = True
    #: Longer lines are dropped (``line_too_long``): they are never prose, and bound the work.
    max_line_chars: int = 100_000


@dataclass(frozen=True)
class SecondCopyConfig:
    """Stage 2: drop a second capture of the article, lift its title and byline into metadata."""

    enabled: bool = True
    #: Similarity at which a line counts as a repeat of an earlier one: its word-set Jaccard
    #: and, for a line of fewer than 20 words, its character similarity (in order, so that the
    #: same words reordered differ) must both reach it.
    similarity: float = 0.8
    #: Repeated lines shorter than this (in characters, after normalisation) are dropped only
    #: inside a block of longer repeats: a short heading used twice in an article stays.
    min_chars: int = 30
    #: Move a title found at the head of the second copy to the top of the clean text.
    extract_title: bool = True
    #: Longest line (in words) that can be taken as a title.
    max_title_words: int = 30
    #: Move ``Source : X`` and byline lines (``Par Jeanne Martin``) into metadata.
    extract_source: bool = True


@dataclass(frozen=True)
class BoilerplateConfig:
    """Stage 3: drop disclaimers, site chrome and scraper leftovers."""

    #: Use the shipped pattern library (``cleaner/data/boilerplate.toml``).
    builtin_patterns: bool = True
    #: Extra pattern files in the same format as the shipped library.
    pattern_files: tuple[str, ...] = ()
    #: Names of shipped rules to switch off.
    disabled_rules: tuple[str, ...] = ()
    #: A line found in at least this many pages of one site, and on no other site, is that
    #: site's template (``boilerplate_template``; 0 switches the rule off).
    template_min_documents: int = 2
    #: Lines longer than this are never templates: chrome is short, reposted articles are
    #: not chrome (the near-duplicate stage handles those).
    template_max_chars: int = 200
    #: Find the article with the trained line model and the page walk (``boilerplate_model``).
    model: bool = True
    #: A line model of your own (``cleaner boilerplate train``); "" = the shipped one.
    model_path: str = ""
    #: What the model's walk leans to where a line is in doubt: ``balanced``, ``recall`` (more
    #: of the article kept, more chrome with it) or ``precision`` (less chrome, less article),
    #: or a number: the move of every line's log-odds (``recall`` is 0.8, ``precision`` -0.8),
    #: between -:data:`MAX_FAVOR_SHIFT` and +:data:`MAX_FAVOR_SHIFT`.
    favor: str | float = "balanced"
    #: The record field that names the page's title (JSON Lines, Parquet), which the model
    #: then keeps as the article's headline; without it, the title an HTML or WARC page's
    #: ``<title>`` gives, or the second-copy stage found. "" = titles are not used.
    title_field: str = "title"
    #: A page with no title: the words of its URL (``/greve-des-cheminots-le-trafic-perturbe``)
    #: are read as its title (``[boilerplate] title_field`` first).
    url_title: bool = True
    #: Drop scraper leftovers (lone list markers, ``[ad_1]``, ``null``, empty headings).
    leftovers: bool = True
    #: Strip Markdown heading markers (``### Title`` → ``Title``).
    strip_heading_markers: bool = True


@dataclass(frozen=True)
class LanguageConfig:
    """Stage 4: find stray-language spans and lines."""

    #: The language of the corpus; everything else is a fragment to translate.
    target: str = "fr"
    #: Language-ID backend: ``fasttext`` (lid.176, default: measured more accurate and
    #: 60x faster on French news lines, see README) or ``langdetect``.
    backend: str = "fasttext"
    #: Lines with fewer letters (outside CJK spans) are not language-identified.
    min_letters: int = 40
    #: A line is a foreign-language fragment only above this probability.
    min_confidence: float = 0.8
    #: Lines whose function words of the target language score at least this much are taken
    #: as the target language without language ID (see cleaner/langid/shortcut.py; 0 = off).
    shortcut_min_score: int = 5
    #: Language ID reads at most this many characters of a line (cut at a space): fastText's
    #: cost grows with the length, its answer on a long paragraph does not change.
    sample_chars: int = 160
    #: What happens to a document in another language: ``drop`` (every line rejected,
    #: ``document_language``), ``keep`` (kept as it is: not translated, no sentence pairs) or
    #: ``translate`` (translated into the target; its pairs say their French is machine output).
    other_documents: str = "drop"
    #: A document is in another language when one language other than the target holds at
    #: least this share of its letters (measured: 0.82 or more on pages in other languages,
    #: at most 0.62 on French pages quoting long foreign passages; see README).
    document_min_share: float = 0.75


@dataclass(frozen=True)
class DedupConfig:
    """Cross-document near-duplicates: the same article under two URLs, or re-posted."""

    #: Drop documents that repeat an earlier document of the run.
    documents: bool = True
    #: Estimated Jaccard similarity (of word 5-shingles) at which a document is a repeat.
    similarity: float = 0.8
    #: MinHash permutations, and LSH bands (num_perm must be a multiple of bands).
    num_perm: int = 128
    bands: int = 16
    #: Words per shingle.
    shingle_words: int = 5
    #: Documents with less kept text than this are never compared (too short to judge).
    min_chars: int = 200
    #: Compare only the kept lines of at least this many characters that end a sentence, when
    #: they hold ``min_chars`` (else all the kept text); 0 compares all the kept text. The
    #: stage runs before the line model, so compared whole, a page's menus and footers weigh
    #: as much as its article: an article re-posted under another site's chrome was found 29
    #: times in 805, against 415 with 80 (see the README).
    prose_chars: int = 80


@dataclass(frozen=True)
class TranslateConfig:
    """Stages 5-6: translate fragments into the target language, build the parallel corpus."""

    #: Where the Argos packages are installed ("": $CLEANER_PACKAGES_DIR, else
    #: argostranslate's own packages directory).
    packages_dir: str = ""
    #: Fragment languages whose direction into the target is checked before a run starts;
    #: fragments in other languages are translated when a package happens to serve them.
    fragment_languages: tuple[str, ...] = ("zh", "en")
    #: Build the parallel corpus (target-language sentences and their translation).
    parallel: bool = True
    #: The other side of the parallel corpus.
    parallel_target: str = "en"
    #: Language to pivot through when no direct package exists ("" = never pivot).
    pivot: str = "en"
    #: Beam size (argostranslate's default is 4; 1 is about 3x faster).
    beam_size: int = 4
    #: cpu, cuda or auto (cuda when a GPU is visible).
    device: str = "cpu"
    #: CTranslate2 compute type (auto keeps the model's own, int8 for Argos packages).
    compute_type: str = "auto"
    #: Model replicas translating in parallel (0: one per core on CPU, one on GPU).
    inter_threads: int = 0
    #: Threads inside each replica (0: 1 on CPU).
    intra_threads: int = 0
    #: Sentences per CTranslate2 batch.
    max_batch_size: int = 32
    #: Keep translations in a SQLite cache, so repeated sentences and reruns cost nothing.
    cache: bool = True
    #: The cache file ("": $XDG_CACHE_HOME/cleaner/translations.sqlite).
    cache_path: str = ""
    #: Drop lines holding a fragment that no package can translate (``untranslatable``),
    #: instead of keeping them flagged.
    drop_untranslatable: bool = False


HTML_FAVOR = ("balanced", "precision", "recall")
#: The settings of ``[boilerplate] favor`` (their moves: ``linemodel.decode.FAVOR_SHIFTS``).
MODEL_FAVOR = ("precision", "balanced", "recall")
#: The largest move of the log-odds that ``[boilerplate] favor`` takes as a number (4: a line
#: the model gives 2 % becomes 53 %; beyond, the walk keeps nearly everything or nothing).
MAX_FAVOR_SHIFT = 4.0

#: Where the French side of a sentence pair comes from: written in French on the page, a
#: sentence with a translated fragment spliced in, machine output as a whole, or a sentence
#: holding a foreign fragment that stayed untranslated.
ORIGINS = (ORIGINAL, CONTAINS_TRANSLATION, TRANSLATED, FOREIGN)
OTHER_DOCUMENT_ROUTES = ("drop", "keep", "translate")

PAIR_FILTERS = (
    "empty",
    "untranslated",
    "length_ratio",
    "language",
    "han",
    "numerals",
    "repetition",
    "terminal_punctuation",
    "markup",
)


@dataclass(frozen=True)
class PairsConfig:
    """Filters on the sentence pairs of the parallel corpus, each with its reason."""

    #: Filters to apply, among: empty, untranslated, length_ratio, language, han, numerals,
    #: repetition, terminal_punctuation, markup.
    filters: tuple[str, ...] = PAIR_FILTERS
    #: A pair whose longer side has more than this many times the characters of the shorter
    #: one is an outlier (``pair_length_ratio``)...
    max_length_ratio: float = 3.0
    #: ...when its longer side has at least this many characters.
    ratio_min_chars: int = 20
    #: The translation is language-identified when it has at least this many letters...
    language_min_letters: int = 20
    #: ...and rejected (``pair_wrong_language``) when identified as another language with at
    #: least this probability.
    language_min_confidence: float = 0.5
    #: A translation that repeats a word or a phrase of up to four words this many times in a
    #: row (more often than the source does) is degenerate (``pair_repetition``).
    repetition_min_repeats: int = 3
    #: Pairs whose French side has one of these origins go into the corpus; the others go to
    #: rejects.jsonl (``pair_french_not_original``). ``translated`` French is machine output.
    french_origin: tuple[str, ...] = (ORIGINAL, CONTAINS_TRANSLATION)


@dataclass(frozen=True)
class Config:
    """The whole pipeline's configuration."""

    html: HtmlConfig = field(default_factory=HtmlConfig)
    text: TextConfig = field(default_factory=TextConfig)
    encoding: EncodingConfig = field(default_factory=EncodingConfig)
    second_copy: SecondCopyConfig = field(default_factory=SecondCopyConfig)
    boilerplate: BoilerplateConfig = field(default_factory=BoilerplateConfig)
    language: LanguageConfig = field(default_factory=LanguageConfig)
    dedup: DedupConfig = field(default_factory=DedupConfig)
    translate: TranslateConfig = field(default_factory=TranslateConfig)
    pairs: PairsConfig = field(default_factory=PairsConfig)
    output: OutputConfig = field(default_factory=OutputConfig)

    def __post_init__(self) -> None:
        _check_values(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any], origin: str = "config") -> Config:
        """Build a config from nested dicts, rejecting unknown sections, keys and bad types."""
        if not isinstance(data, dict):
            raise ConfigError(f"{origin}: expected a table of sections")
        sections = {f.name: f for f in dataclasses.fields(cls)}
        kwargs: dict[str, Any] = {}
        for name, values in data.items():
            if name not in sections:
                raise ConfigError(
                    f"{origin}: unknown section [{name}]; known sections: {', '.join(sections)}"
                )
            section_cls = _section_class(sections[name])
            kwargs[name] = _build_section(section_cls, values, f"{origin} [{name}]")
        return cls(**kwargs)

    @classmethod
    def from_toml(cls, path: str | Path) -> Config:
        path = Path(path)
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ConfigError(f"config file not found: {path}") from None
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
            raise ConfigError(f"{path}: not valid TOML: {e}") from None
        return cls.from_dict(data, origin=str(path))

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    def replace(self, section: str, **changes: Any) -> Config:
        """A copy with some keys of one section changed (validated like a file)."""
        current = dataclasses.asdict(getattr(self, section))
        current.update(changes)
        data = self.to_dict()
        data[section] = current
        return Config.from_dict(data)


def _section_class(f: dataclasses.Field) -> type:
    return f.default_factory  # type: ignore[return-value]


def _build_section(section_cls: type, values: Any, origin: str) -> Any:
    if not isinstance(values, dict):
        raise ConfigError(f"{origin}: expected a table of keys")
    hints = typing.get_type_hints(section_cls)
    known = {f.name for f in dataclasses.fields(section_cls)}
    kwargs = {}
    for key, value in values.items():
        if key not in known:
            raise ConfigError(
                f"{origin}: unknown key {key!r}; known keys: {', '.join(sorted(known))}"
            )
        kwargs[key] = _coerce(value, hints[key], f"{origin} {key}")
    return section_cls(**kwargs)


def _coerce(value: Any, hint: Any, origin: str) -> Any:
    origin_type = typing.get_origin(hint)
    if origin_type is tuple:
        if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{origin}: expected a list of strings, got {value!r}")
        return tuple(value)
    if origin_type in (typing.Union, types.UnionType):
        if set(typing.get_args(hint)) != {str, float}:
            raise ConfigError(f"{origin}: unsupported type")  # pragma: no cover - none defined
        if isinstance(value, str):
            return value
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ConfigError(f"{origin}: expected a string or a number, got {value!r}")
        return float(value)
    if hint is bool:
        if not isinstance(value, bool):
            raise ConfigError(f"{origin}: expected true or false, got {value!r}")
        return value
    if hint is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ConfigError(f"{origin}: expected an integer, got {value!r}")
        return value
    if hint is float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ConfigError(f"{origin}: expected a number, got {value!r}")
        return float(value)
    if hint is str:
        if not isinstance(value, str):
            raise ConfigError(f"{origin}: expected a string, got {value!r}")
        return value
    raise ConfigError(f"{origin}: unsupported type {hint!r}")  # pragma: no cover


def _check_favor(favor: str | float) -> None:
    if isinstance(favor, str):
        if favor not in MODEL_FAVOR:
            raise ConfigError(
                f"[boilerplate] favor must be one of {', '.join(MODEL_FAVOR)} or a number, "
                f"got {favor!r}"
            )
    elif not -MAX_FAVOR_SHIFT <= favor <= MAX_FAVOR_SHIFT:  # NaN fails both
        raise ConfigError(
            f"[boilerplate] favor as a number must be between {-MAX_FAVOR_SHIFT:g} and "
            f"{MAX_FAVOR_SHIFT:g}, got {favor!r}"
        )


def _check_values(cfg: Config) -> None:
    from .langid import BACKENDS

    if cfg.html.favor not in HTML_FAVOR:
        raise ConfigError(
            f"[html] favor must be one of {', '.join(HTML_FAVOR)}, got {cfg.html.favor!r}"
        )
    if not cfg.text.field.strip():
        raise ConfigError("[text] field must name a record's field, got an empty name")
    if cfg.text.markdown not in MARKDOWN_MODES:
        raise ConfigError(
            f"[text] markdown must be one of {', '.join(MARKDOWN_MODES)}, got {cfg.text.markdown!r}"
        )
    sc, bp, lg, enc = cfg.second_copy, cfg.boilerplate, cfg.language, cfg.encoding
    if not 0.0 < sc.similarity <= 1.0:
        raise ConfigError(f"[second_copy] similarity must be in (0, 1], got {sc.similarity}")
    if sc.min_chars < 0 or sc.max_title_words < 1:
        raise ConfigError("[second_copy] min_chars must be >= 0 and max_title_words >= 1")
    if bp.template_min_documents < 0 or bp.template_max_chars < 1:
        raise ConfigError(
            "[boilerplate] template_min_documents must be >= 0 and template_max_chars >= 1"
        )
    if bp.template_min_documents == 1:
        raise ConfigError(
            "[boilerplate] template_min_documents = 1 would drop every line; use 0 to switch "
            "site templates off, or 2 or more"
        )
    _check_favor(bp.favor)
    if lg.backend not in BACKENDS:
        raise ConfigError(
            f"[language] backend must be one of {', '.join(sorted(BACKENDS))}, got {lg.backend!r}"
        )
    if not 0.0 <= lg.min_confidence <= 1.0:
        raise ConfigError(f"[language] min_confidence must be in [0, 1], got {lg.min_confidence}")
    if lg.sample_chars < 20:
        raise ConfigError("[language] sample_chars must be >= 20")
    if lg.shortcut_min_score < 0:
        raise ConfigError("[language] shortcut_min_score must be >= 0")
    if lg.min_letters < 1:
        raise ConfigError("[language] min_letters must be >= 1")
    if lg.other_documents not in OTHER_DOCUMENT_ROUTES:
        raise ConfigError(
            f"[language] other_documents must be one of {', '.join(OTHER_DOCUMENT_ROUTES)}, "
            f"got {lg.other_documents!r}"
        )
    if not 0.5 < lg.document_min_share <= 1.0:
        # at or below one half, two languages could each hold the share
        raise ConfigError(
            f"[language] document_min_share must be in (0.5, 1], got {lg.document_min_share}"
        )
    if enc.max_line_chars < 1:
        raise ConfigError("[encoding] max_line_chars must be >= 1")
    dd = cfg.dedup
    if not 0.0 < dd.similarity <= 1.0:
        raise ConfigError(f"[dedup] similarity must be in (0, 1], got {dd.similarity}")
    if dd.num_perm < 8 or dd.bands < 1 or dd.num_perm % dd.bands:
        raise ConfigError("[dedup] num_perm must be >= 8 and a multiple of bands")
    if dd.shingle_words < 1 or dd.min_chars < 0 or dd.prose_chars < 0:
        raise ConfigError("[dedup] shingle_words must be >= 1, min_chars and prose_chars >= 0")
    tr, pr = cfg.translate, cfg.pairs
    if tr.device not in ("cpu", "cuda", "auto"):
        raise ConfigError(f"[translate] device must be cpu, cuda or auto, got {tr.device!r}")
    if tr.beam_size < 1 or tr.max_batch_size < 1:
        raise ConfigError("[translate] beam_size and max_batch_size must be >= 1")
    if tr.inter_threads < 0 or tr.intra_threads < 0:
        raise ConfigError("[translate] inter_threads and intra_threads must be >= 0")
    codes = (*tr.fragment_languages, tr.parallel_target) + ((tr.pivot,) if tr.pivot else ())
    for code in codes:
        if not (2 <= len(code) <= 8 and code.replace("_", "").replace("-", "").isalpha()):
            raise ConfigError(f"[translate] {code!r} is not a language code")
    unknown = sorted(set(pr.filters) - set(PAIR_FILTERS))
    if unknown:
        raise ConfigError(
            f"[pairs] unknown filter(s) {', '.join(unknown)}; known: {', '.join(PAIR_FILTERS)}"
        )
    if pr.max_length_ratio < 1.0:
        raise ConfigError("[pairs] max_length_ratio must be >= 1")
    if pr.ratio_min_chars < 0 or pr.language_min_letters < 0:
        raise ConfigError("[pairs] ratio_min_chars and language_min_letters must be >= 0")
    if not 0.0 <= pr.language_min_confidence <= 1.0:
        raise ConfigError("[pairs] language_min_confidence must be in [0, 1]")
    if pr.repetition_min_repeats < 2:
        raise ConfigError("[pairs] repetition_min_repeats must be >= 2")
    unknown = sorted(set(pr.french_origin) - set(ORIGINS))
    if unknown or not pr.french_origin:
        raise ConfigError(
            f"[pairs] french_origin must list some of {', '.join(ORIGINS)}"
            + (
                f"; unknown: {', '.join(unknown)}"
                if unknown
                else " (to build no corpus, set [translate] parallel = false)"
            )
        )
