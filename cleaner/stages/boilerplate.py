"""Stage 3: drop boilerplate by explicit rules: the pattern library and scraper leftovers.

Two filters, each with its own reason, plus the heading-marker clean-up:

- :class:`BoilerplatePatternFilter` (``boilerplate_pattern``): the shipped pattern library
  ``cleaner/data/boilerplate.toml`` plus the user's pattern files.
- :class:`ScraperLeftoverFilter` (``scraper_leftover``): lone list markers, ``[ad_1]``,
  ``null``, ``qrCode``, empty Markdown headings, lines with no letter or digit.

Rules run before the site templates (:mod:`cleaner.stages.site_templates`) and the line model
(:mod:`cleaner.stages.boilerplate_model`), so an explicit rule always wins over the model.
"""

from __future__ import annotations

import bisect
import string
import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import regex

from .. import reasons
from ..config import BoilerplateConfig
from ..document import Document, Line, folded_texts, line_starts
from ..errors import ConfigError
from .base import LineFilter


@dataclass(frozen=True)
class PatternRule:
    name: str
    pattern: str
    max_chars: int | None = None
    lang: str = ""
    description: str = ""
    #: If given, the rule is tried only on lines starting with one of these (case-folded).
    prefixes: tuple[str, ...] = ()
    #: If given, the rule is tried only on lines containing one of these (case-folded): for
    #: rules that scan the whole line (``.*cookies``), which cost 10-16 µs a line otherwise.
    keywords: tuple[str, ...] = ()
    #: A keep rule (``action = "keep"``) pins the lines it matches (:attr:`Line.pinned`):
    #: no drop rule, site template or line model drops them.
    keep: bool = False


class PatternLibrary:
    """A set of named boilerplate rules.

    A rule is tried on a line only if the line passes its cheap test, when it has one: starts
    with one of its ``prefixes`` (one ``str.startswith`` per line for all such rules), or holds
    one of its ``keywords`` (searched once in the whole document). Rules with neither are
    compiled into one alternation, one regex match per line. A line matching several rules is
    reported under one of them.
    """

    def __init__(self, rules: list[PatternRule]) -> None:
        _check_unique([r.name for r in rules])
        self.rules = {r.name: r for r in rules}
        self._groups: dict[str, str] = {}
        self._prefixed: list[tuple[PatternRule, regex.Pattern]] = []
        self._gated: list[tuple[PatternRule, regex.Pattern]] = []
        parts = []
        for i, rule in enumerate(rules):
            try:
                compiled = regex.compile(rule.pattern, regex.IGNORECASE)
            except regex.error as e:
                raise ConfigError(f"boilerplate rule {rule.name!r}: bad pattern: {e}") from None
            if rule.prefixes:
                self._prefixed.append((rule, compiled))
            elif rule.keywords:
                self._gated.append((rule, compiled))
            else:
                group = f"r{i}"
                self._groups[group] = rule.name
                parts.append(f"(?P<{group}>(?:{rule.pattern}))")
        self._regex = regex.compile("|".join(parts), regex.IGNORECASE) if parts else None
        # Every prefix, by its first character: a line is looked up by its own first character
        # and compared with those few prefixes only, rather than with all of them.
        by_first: dict[str, set[str]] = {}
        for rule, _ in self._prefixed:
            for prefix in rule.prefixes:
                by_first.setdefault(prefix[0], set()).add(prefix)
        self._prefixes_by_first = {c: tuple(sorted(ps)) for c, ps in by_first.items()}
        # The prefixed rules, in order, by the first characters of their prefixes: match()
        # tries only the rules that can start like the line.
        self._prefixed_by_first: dict[str, list[tuple[PatternRule, regex.Pattern]]] = {
            c: [(r, p) for r, p in self._prefixed if any(x[0] == c for x in r.prefixes)]
            for c in by_first
        }
        # A keyword that holds another one finds no line the other does not: only the others
        # are searched (a line's own keywords are checked again, rule by rule, in match()).
        keywords = {k for rule, _ in self._gated for k in rule.keywords}
        self._keyword_list = sorted(
            k for k in keywords if not any(other != k and other in k for other in keywords)
        )

    @classmethod
    def from_config(cls, config: BoilerplateConfig, keep: bool = False) -> PatternLibrary:
        """The drop rules (``keep=True``: the keep rules) of the shipped library and the
        user's pattern files, less the disabled ones."""
        return libraries(config)[keep]

    def match(
        self, text: str, folded: str | None = None, may_have_keywords: bool = True
    ) -> str | None:
        """Name of a rule matching ``text`` from its start, or ``None``.

        ``folded`` is ``text.casefold()`` if the caller has it; ``may_have_keywords=False``
        (the caller knows the line holds no keyword) skips the keyword-gated rules.
        """
        if self._regex is not None:
            m = self._regex.match(text)
            if m is not None:
                group = m.lastgroup if m.lastgroup in self._groups else None
                if group is None:  # a rule with named groups of its own: find which matched
                    group = next(g for g in self._groups if m.group(g) is not None)
                name = self._groups[group]
                limit = self.rules[name].max_chars
                if limit is None or len(text) <= limit:
                    return name
                other = self._match_one_by_one(text)
                if other is not None:
                    return other
        if folded is None:
            folded = text.casefold()
        for rule, compiled in self._prefixed_by_first.get(folded[:1], ()):
            if rule.max_chars is not None and len(text) > rule.max_chars:
                continue
            if folded.startswith(rule.prefixes) and compiled.match(text):
                return rule.name
        if self._gated and may_have_keywords:
            for rule, compiled in self._gated:
                if rule.max_chars is not None and len(text) > rule.max_chars:
                    continue
                if any(k in folded for k in rule.keywords) and compiled.match(text):
                    return rule.name
        return None

    def lines_to_match(self, folded_texts: list[str]) -> tuple[list[int], set[int]]:
        """Indexes of the case-folded texts that some rule can match (the others need no call
        to :meth:`match`), and the subset of those holding a keyword of a gated rule."""
        with_keywords = self.lines_with_keywords(folded_texts)
        if self._regex is not None:  # rules with neither prefixes nor keywords: every line
            return list(range(len(folded_texts))), with_keywords
        by_first = self._prefixes_by_first  # whether the line starts like some rule
        candidates = [
            i
            for i, f in enumerate(folded_texts)
            if i in with_keywords or f.startswith(by_first.get(f[:1], ()))
        ]
        return candidates, with_keywords

    def lines_with_keywords(self, folded_texts: list[str]) -> set[int]:
        """Indexes of the case-folded texts holding a keyword of a gated rule, found by
        searching the keywords in all of them joined, rather than in each text."""
        if not self._keyword_list:
            return set()
        folded = "\n".join(folded_texts)
        hits = []
        for keyword in self._keyword_list:
            at = folded.find(keyword)
            while at >= 0:
                hits.append(at)
                at = folded.find(keyword, at + 1)
        if not hits:
            return set()
        starts = line_starts(folded_texts)
        return {bisect.bisect_right(starts, h) - 1 for h in hits}

    def _match_one_by_one(self, text: str) -> str | None:
        # The alternative that matched first is over its length limit: try the others.
        for rule in self.rules.values():
            gated = rule.keywords or rule.prefixes
            if gated or (rule.max_chars is not None and len(text) > rule.max_chars):
                continue
            if regex.match(rule.pattern, text, regex.IGNORECASE):
                return rule.name
        return None


_RULE_KEYS = {
    "name",
    "pattern",
    "max_chars",
    "lang",
    "description",
    "keywords",
    "prefixes",
    "action",
}


def config_rules(config: BoilerplateConfig) -> list[PatternRule]:
    """Every rule, drop and keep, of the shipped library (unless ``builtin_patterns`` is off)
    and of the user's ``pattern_files``, less ``disabled_rules``; a name used twice, or a
    disabled rule that no file defines, is a :class:`ConfigError`."""
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
    names = [r.name for r in rules]
    _check_unique(names)
    unknown = set(config.disabled_rules) - set(names)
    if unknown:
        raise ConfigError(f"[boilerplate] disabled_rules names unknown rules: {sorted(unknown)}")
    return [r for r in rules if r.name not in config.disabled_rules]


def libraries(config: BoilerplateConfig) -> tuple[PatternLibrary, PatternLibrary]:
    """The drop rules and the keep rules of :func:`config_rules`, each compiled into a
    library: the files are read once."""
    rules = config_rules(config)
    return (
        PatternLibrary([r for r in rules if not r.keep]),
        PatternLibrary([r for r in rules if r.keep]),
    )


def _check_unique(names: list[str]) -> None:
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise ConfigError(f"boilerplate rules defined twice: {', '.join(dupes)}")


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
        gates = {}
        for key in ("keywords", "prefixes"):
            values = item.get(key, [])
            if not isinstance(values, list) or not all(isinstance(v, str) and v for v in values):
                raise ConfigError(
                    f"{origin}: rule {item['name']!r}: {key} must be a list of strings"
                )
            gates[key] = tuple(v.casefold() for v in values)
        action = item.get("action", "drop")
        if action not in ("drop", "keep"):
            raise ConfigError(f'{origin}: rule {item["name"]!r}: action must be "drop" or "keep"')
        out.append(
            PatternRule(
                keywords=gates["keywords"],
                prefixes=gates["prefixes"],
                name=item["name"],
                pattern=item["pattern"],
                max_chars=max_chars,
                lang=str(item.get("lang", "")),
                description=str(item.get("description", "")),
                keep=action == "keep",
            )
        )
    return out


class BoilerplatePatternFilter(LineFilter):
    """Pin the lines a keep rule matches (``keep``, counted ``pinned``), then drop those a drop
    rule of ``library`` matches, but the pinned ones (counted ``pinned_spared``)."""

    name = "boilerplate_pattern"

    def __init__(self, library: PatternLibrary, keep: PatternLibrary | None = None) -> None:
        super().__init__()
        self.library = library
        self.keep = keep if keep is not None and keep.rules else None

    def process(self, doc: Document) -> None:
        lines = [line for line in doc.lines if line.kept]
        folded = folded_texts(lines)
        if self.keep is not None:
            self._pin(lines, folded, self.keep)
        candidates, with_keywords = self.library.lines_to_match(folded)
        for i in candidates:
            line = lines[i]
            rule = self.library.match(line.text, folded[i], i in with_keywords)
            if rule is None:
                continue
            if line.pinned is not None:
                self.counts["pinned_spared"] += 1
                continue
            line.drop(reasons.BOILERPLATE_PATTERN, rule=rule)
            self.counts[reasons.BOILERPLATE_PATTERN] += 1

    def _pin(self, lines: list[Line], folded: list[str], keep: PatternLibrary) -> None:
        candidates, with_keywords = keep.lines_to_match(folded)
        for i in candidates:
            rule = keep.match(lines[i].text, folded[i], i in with_keywords)
            if rule is not None:
                lines[i].pinned = rule
                self.counts["pinned"] += 1

    def check(self, line: Line) -> tuple[str, dict] | None:
        rule = self.library.match(line.text)
        if rule is None or line.pinned is not None:
            return None
        if self.keep is not None and self.keep.match(line.text) is not None:
            return None
        return reasons.BOILERPLATE_PATTERN, {"rule": rule}


_HEADING = regex.compile(r"^#{1,6}[ \t]+(?=\S)")
_LEFTOVER_RULES = {
    "no_letters": r"[^\p{L}\p{N}]+",
    "ad_marker": r"\[\s*ad[_ -]?\d*\s*\]",
    "null_value": r"(?i:null|none|undefined|nan|nil|\[object object\])",
    "qr_code_label": r"(?i:qr[ _-]?code)",
    "template_tag": r"\{\{.*\}\}|\{%.*%\}|<[^<>]+>",
    "empty_heading": r"#{1,6}\s*\S?",
}
# One anchored alternation, a named group per rule: one regex call per short line.
_LEFTOVERS = regex.compile(
    "|".join(f"(?P<{name}>(?:{pattern})$)" for name, pattern in _LEFTOVER_RULES.items())
)
# A leftover starts with a character that is neither a letter nor a digit, or with n, u or q
# (null, undefined, qrCode; any case), and a heading with "#": a line starting with another
# ASCII letter or a digit is neither (most short lines: headings, chrome), and is not tried.
_NOT_LEFTOVER_START = frozenset(string.ascii_letters + string.digits) - frozenset("nNuUqQ")


class ScraperLeftoverFilter(LineFilter):
    """Drop scraper leftovers; strip Markdown heading markers from real headings."""

    name = "scraper_leftover"

    def __init__(self, config: BoilerplateConfig | None = None) -> None:
        super().__init__()
        self.config = config or BoilerplateConfig()

    def process(self, doc: Document) -> None:
        # Only short lines and "#" headings can be concerned: test that before calling check.
        strip = self.config.strip_heading_markers
        for line in doc.lines:
            if not line.kept or line.text[:1] in _NOT_LEFTOVER_START:
                continue
            if len(line.text) < 64 or (strip and line.text[:1] == "#"):
                verdict = self.check(line)
                if verdict is not None:
                    reason, detail = verdict
                    line.drop(reason, **detail)
                    self.counts[reason] += 1

    def check(self, line: Line) -> tuple[str, dict] | None:
        text = line.text
        if self.config.leftovers and len(text) < 64:
            m = _LEFTOVERS.match(text)
            if m is not None:
                return reasons.SCRAPER_LEFTOVER, {"rule": m.lastgroup}
        if self.config.strip_heading_markers and text.startswith("#"):
            stripped = _HEADING.sub("", text)
            if stripped != text:
                line.text = stripped
                self.counts["heading_markers_stripped"] += 1
        return None
