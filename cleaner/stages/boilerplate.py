"""Stage 3: drop boilerplate, by pattern, by frequency across the run, and scraper leftovers.

Three filters, each with its own reason, plus the heading-marker clean-up:

- :class:`BoilerplatePatternFilter` (``boilerplate_pattern``): the shipped pattern library
  ``cleaner/data/boilerplate.toml`` plus the user's pattern files.
- :class:`ScraperLeftoverFilter` (``scraper_leftover``): lone list markers, ``[ad_1]``,
  ``null``, ``qrCode``, empty Markdown headings, lines with no letter or digit.
- :class:`FrequentLineFilter` (``boilerplate_frequent``): lines seen in many documents of the
  same run, i.e. site chrome that no pattern names. It needs a first pass over the whole run.
"""

from __future__ import annotations

import tomllib
from collections import Counter
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import regex
import xxhash

from .. import reasons
from ..config import BoilerplateConfig
from ..document import Document, Line
from ..errors import ConfigError
from .base import LineFilter, Stage
from .second_copy import normalize_key


@dataclass(frozen=True)
class PatternRule:
    name: str
    pattern: str
    max_chars: int | None = None
    lang: str = ""
    description: str = ""


class PatternLibrary:
    """A set of named boilerplate rules compiled into one regular expression.

    One alternation with a named group per rule costs one regex search per line, instead of one
    per rule.
    """

    def __init__(self, rules: list[PatternRule]) -> None:
        names = [r.name for r in rules]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise ConfigError(f"boilerplate rules defined twice: {', '.join(dupes)}")
        self.rules = {r.name: r for r in rules}
        self._groups: dict[str, str] = {}
        parts = []
        for i, rule in enumerate(rules):
            group = f"r{i}"
            self._groups[group] = rule.name
            try:
                regex.compile(rule.pattern)
            except regex.error as e:
                raise ConfigError(f"boilerplate rule {rule.name!r}: bad pattern: {e}") from None
            parts.append(f"(?P<{group}>(?:{rule.pattern}))")
        self._regex = regex.compile("|".join(parts), regex.IGNORECASE) if parts else None

    @classmethod
    def from_config(cls, config: BoilerplateConfig) -> PatternLibrary:
        rules: list[PatternRule] = []
        if config.builtin_patterns:
            text = resources.files("cleaner").joinpath("data/boilerplate.toml").read_text("utf-8")
            rules += load_rules(text, "cleaner/data/boilerplate.toml")
        for path in config.pattern_files:
            try:
                text = Path(path).read_text(encoding="utf-8")
            except OSError as e:
                raise ConfigError(f"cannot read pattern file {path}: {e.strerror}") from None
            rules += load_rules(text, path)
        unknown = set(config.disabled_rules) - {r.name for r in rules}
        if unknown:
            raise ConfigError(
                f"[boilerplate] disabled_rules names unknown rules: {sorted(unknown)}"
            )
        rules = [r for r in rules if r.name not in config.disabled_rules]
        return cls(rules)

    def match(self, text: str) -> str | None:
        """Name of the first rule matching ``text`` from its start, or ``None``."""
        if self._regex is None:
            return None
        m = self._regex.match(text)
        if m is None:
            return None
        group = m.lastgroup if m.lastgroup in self._groups else None
        if group is None:  # a rule with named groups of its own: find which rule matched
            group = next(g for g in self._groups if m.group(g) is not None)
        name = self._groups[group]
        limit = self.rules[name].max_chars
        if limit is None or len(text) <= limit:
            return name
        return self._match_slow(text)

    def _match_slow(self, text: str) -> str | None:
        # The first alternative that matched is over its length limit: try the others one by one.
        for rule in self.rules.values():
            if rule.max_chars is not None and len(text) > rule.max_chars:
                continue
            if regex.match(rule.pattern, text, regex.IGNORECASE):
                return rule.name
        return None


_RULE_KEYS = {"name", "pattern", "max_chars", "lang", "description"}


def load_rules(toml_text: str, origin: str) -> list[PatternRule]:
    try:
        data = tomllib.loads(toml_text)
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(f"{origin}: not valid TOML: {e}") from None
    extra = set(data) - {"rule"}
    if extra:
        raise ConfigError(f"{origin}: unknown top-level keys {sorted(extra)}; use [[rule]] tables")
    out = []
    for i, item in enumerate(data.get("rule", []), 1):
        unknown = set(item) - _RULE_KEYS
        if unknown:
            raise ConfigError(f"{origin}: rule {i}: unknown keys {sorted(unknown)}")
        if not isinstance(item.get("name"), str) or not isinstance(item.get("pattern"), str):
            raise ConfigError(f"{origin}: rule {i}: needs a string 'name' and 'pattern'")
        max_chars = item.get("max_chars")
        if max_chars is not None and (not isinstance(max_chars, int) or max_chars < 1):
            raise ConfigError(
                f"{origin}: rule {item['name']!r}: max_chars must be a positive integer"
            )
        out.append(
            PatternRule(
                name=item["name"],
                pattern=item["pattern"],
                max_chars=max_chars,
                lang=str(item.get("lang", "")),
                description=str(item.get("description", "")),
            )
        )
    return out


class BoilerplatePatternFilter(LineFilter):
    name = "boilerplate_pattern"

    def __init__(self, library: PatternLibrary) -> None:
        super().__init__()
        self.library = library

    def check(self, line: Line) -> tuple[str, dict] | None:
        rule = self.library.match(line.text)
        if rule is not None:
            return reasons.BOILERPLATE_PATTERN, {"rule": rule}
        return None


_HEADING = regex.compile(r"^#{1,6}[ \t]+(?=\S)")
_LEFTOVERS = [
    ("no_letters", regex.compile(r"^[^\p{L}\p{N}]+$")),
    ("ad_marker", regex.compile(r"^\[\s*ad[_ -]?\d*\s*\]$", regex.IGNORECASE)),
    ("null_value", regex.compile(r"^(null|none|undefined|nan|nil|\[object object\])$", regex.I)),
    ("qr_code_label", regex.compile(r"^qr[ _-]?code$", regex.IGNORECASE)),
    ("template_tag", regex.compile(r"^(\{\{.*\}\}|\{%.*%\}|<[^<>]+>)$")),
    ("empty_heading", regex.compile(r"^#{1,6}\s*\S{0,1}$")),
]


class ScraperLeftoverFilter(LineFilter):
    """Drop scraper leftovers; strip Markdown heading markers from real headings."""

    name = "scraper_leftover"

    def __init__(self, config: BoilerplateConfig | None = None) -> None:
        super().__init__()
        self.config = config or BoilerplateConfig()

    def check(self, line: Line) -> tuple[str, dict] | None:
        text = line.text
        if self.config.leftovers and len(text) < 64:
            for rule, pattern in _LEFTOVERS:
                if pattern.match(text):
                    return reasons.SCRAPER_LEFTOVER, {"rule": rule}
        if self.config.strip_heading_markers and text.startswith("#"):
            stripped = _HEADING.sub("", text)
            if stripped != text:
                line.text = stripped
                self.counts["heading_markers_stripped"] += 1
        return None


class FrequentLineFilter(Stage):
    """Drop lines that occur in at least ``frequent_min_documents`` documents of the run.

    The first pass counts, per line, the number of distinct documents holding it, keyed by a
    64-bit xxh3 hash of the normalised line (8 bytes per distinct line, not the text).
    """

    name = "boilerplate_frequent"
    needs_corpus_pass = True

    def __init__(self, config: BoilerplateConfig | None = None) -> None:
        super().__init__()
        self.config = config or BoilerplateConfig()
        self.doc_counts: Counter[int] = Counter()

    def _keys(self, doc: Document) -> dict[int, list[Line]]:
        out: dict[int, list[Line]] = {}
        max_chars = self.config.frequent_max_chars
        for line in doc.lines:
            if line.kept and len(line.text) <= max_chars:
                key = normalize_key(line.text)
                if key:
                    out.setdefault(xxhash.xxh3_64_intdigest(key.encode("utf-8")), []).append(line)
        return out

    def begin_observing(self) -> None:
        self.doc_counts = Counter()

    def observe(self, doc: Document) -> None:
        self.doc_counts.update(self._keys(doc).keys())

    def process(self, doc: Document) -> None:
        threshold = self.config.frequent_min_documents
        if threshold < 2:
            return
        for key, lines in self._keys(doc).items():
            n = self.doc_counts.get(key, 0)
            if n >= threshold:
                for line in lines:
                    line.drop(reasons.BOILERPLATE_FREQUENT, documents=n)
                    self.counts[reasons.BOILERPLATE_FREQUENT] += 1
