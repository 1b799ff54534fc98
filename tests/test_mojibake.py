"""Mojibake beyond cp1252: the pre-scan against ftfy, other code pages, ``à`` + space, format
and control characters, and correct text left alone (issue 11)."""

from __future__ import annotations

import json
import subprocess
import sys
import unicodedata
from pathlib import Path

import ftfy
import pytest
from ftfy import chardata
from ftfy.badness import BADNESS_RE
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cleaner import mojibake
from cleaner.document import Line
from cleaner.stages.encoding import EncodingFixer, needs_repair, repair_encoding
from tests.conftest import make_doc

REPO = Path(__file__).resolve().parent.parent
FIXER = EncodingFixer()


def flagged_by_scan(text: str) -> bool:
    """Whether the stage's document scan sends ``text`` to the repair, as the middle line of a
    page whose other lines need nothing."""
    lines = [
        Line(1, "Le conseil a voté le budget.", "Le conseil a voté le budget."),
        Line(2, text, text),
        Line(3, "La séance est levée à 22 h.", "La séance est levée à 22 h."),
    ]
    flagged, _ = EncodingFixer._scan_document(lines)
    return any(line.number == 2 for line in flagged)


# --- 1. à whose no-break space became a plain space -----------------------------------------


@pytest.mark.parametrize(
    "broken, fixed",
    [
        ("Rendez-vous Ã  Paris", "Rendez-vous à Paris"),  # A0 turned into a space, then a space
        ("voilÃ  le travail", "voilà le travail"),
        ("Rendez-vous Ã Paris", "Rendez-vous à Paris"),  # the two spaces already collapsed
        ("Il est dÃ©jÃ  parti.", "Il est déjà parti."),  # with other mojibake in the line
        ("Et voilÃ .", "Et voilà."),  # the space was the A0 byte
        ("c'est-Ã -dire", "c'est-à-dire"),
        ("Ã  Lyon, il pleut.", "à Lyon, il pleut."),
        ("Il est lÃ", "Il est là"),  # the A0 stripped at the end of the line
        # a text browser wrapped the line at the A0 of "à", the word's own line: "à" ends it
        ("Cela apporte une contribution prÃ©cieuse Ã", "Cela apporte une contribution précieuse à"),
    ],
)
def test_a_grave_with_a_plain_space_is_repaired(broken, fixed):
    assert flagged_by_scan(broken)
    assert FIXER.fix(broken) == fixed


@pytest.mark.parametrize(
    "correct",
    ["SÃO PAULO", "NGÃ BA, Hanoï", "Le code ÃŽ-45 est valide.", "À l'inverse, rien.", "Ã"],
)
def test_a_correct_a_tilde_is_left_alone(correct):
    assert FIXER.fix(correct) == correct


# --- 2. mojibake the old pre-scan skipped, and the pre-scan against ftfy --------------------


@pytest.mark.parametrize(
    "broken, fixed",
    [
        ("Ä°stanbul", "İstanbul"),
        ("RÄ«ga", "Rīga"),
        ("âœ” Aucun problème", "✔ Aucun problème"),
        ("Å\x81Ã³dÅº et KrakÃ³w", "Łódź et Kraków"),  # Polish
        ("DvoÅ™Ã¡k Ã  Prague", "Dvořák à Prague"),  # Czech
        ("Ä°zmir et KadÄ±kÃ¶y", "İzmir et Kadıköy"),  # Turkish
        ("Šiauliai et Klaipėda".encode().decode("sloppy-windows-1252"), "Šiauliai et Klaipėda"),
        ("ðŸ™‚ Merci", "🙂 Merci"),  # emoji
        ("â‚¬ 12 et â„¢", "€ 12 et ™"),  # symbols
        ("Je suis allé à RÄ«ga hier.", "Je suis allé à Rīga hier."),  # ftfy leaves this one
        ("Å\xa0iauliai et KlaipÄ—da", "Šiauliai et Klaipėda"),  # and this one
    ],
)
def test_mojibake_beyond_latin1_is_flagged_and_repaired(broken, fixed):
    assert flagged_by_scan(broken)
    assert FIXER.fix(broken) == fixed


# ftfy's code pages, through which the property tests make mojibake.
CODE_PAGES = st.sampled_from(chardata.CHARMAP_ENCODINGS)


def make_mojibake(text: str, codec: str, nbsp_to_space: bool, times: int) -> str:
    for _ in range(times):
        text = text.encode("utf-8").decode(codec)
    return text.replace("\u00a0", " ") if nbsp_to_space else text


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    text=st.text(st.characters(codec="utf-8"), min_size=1, max_size=24),
    codec=CODE_PAGES,
    nbsp_to_space=st.booleans(),
    times=st.integers(1, 2),
)
def test_the_scan_flags_every_mojibake_line_ftfy_would_change(text, codec, nbsp_to_space, times):
    """Mojibake of random Unicode text (any script, symbols, emoji) through each of ftfy's code
    pages: wherever ``ftfy.fix_encoding`` would change the line, the stage's scan flags it and
    the repair calls ftfy on it."""
    broken = make_mojibake(text, codec, nbsp_to_space, times)
    if ftfy.fix_encoding(broken) != broken:
        assert mojibake.is_suspect(broken)
        assert mojibake.ftfy_may_change(broken)
        assert needs_repair(broken)
        assert flagged_by_scan(broken)


@settings(max_examples=1500, deadline=None)
@given(st.text(st.characters(codec="utf-8"), min_size=1, max_size=24))
def test_the_scan_flags_every_line_ftfy_would_change(text):
    """The same on random text that is not made as mojibake."""
    if ftfy.fix_encoding(text) != text:
        assert needs_repair(text)
        assert flagged_by_scan(text)


# Words of French news and the names, symbols and emoji it quotes.
WORDS = [
    "Le", "président", "a", "déclaré", "à", "l’été", "«", "oui", "»", "élèves", "cœur",
    "İstanbul", "Łódź", "Kraków", "Dvořák", "Rīga", "Šiauliai", "Kadıköy", "Москва", "Αθήνα",
    "東京", "北京", "✔", "🙂", "€", "12,5", "%", "n°", "–", "…", "Ærø", "Ñandú", "São", "Hà",
    "Nội", "Đà", "Nẵng",
]  # fmt: skip


@settings(max_examples=600, deadline=None)
@given(
    words=st.lists(st.sampled_from(WORDS), min_size=1, max_size=10),
    codec=CODE_PAGES,
    times=st.integers(1, 2),
)
def test_where_ftfy_repairs_the_stage_repairs_the_same(words, codec, times):
    """The stage adds to ftfy and never undoes it: where ftfy alone gives the text back, the
    stage does too."""
    text = " ".join(words)
    try:
        broken = make_mojibake(text, codec, False, times)
    except UnicodeDecodeError:
        return
    if ftfy.fix_encoding(broken) == text:
        assert repair_encoding(broken) == unicodedata.normalize("NFC", text)


def _alternatives() -> list[list[object]]:
    """ftfy's badness regex as a list of alternatives, each a list of positions: the set of
    characters the position can match; ``("not", set)`` for a negated class; None for any
    character (an optional position, ``\\s``, ``\\w``)."""
    import re._parser as sre_parse  # type: ignore[import-not-found]

    def chars(op, av):
        name = str(op)
        if name == "LITERAL":
            return {chr(av)}
        if name != "IN" or any(str(o) == "CATEGORY" for o, _ in av):
            return None
        out = set()
        for o, a in av:
            if str(o) == "LITERAL":
                out.add(chr(a))
            elif str(o) == "RANGE":
                out.update(map(chr, range(a[0], a[1] + 1)))
        return ("not", out) if any(str(o) == "NEGATE" for o, _ in av) else out

    (branch,) = sre_parse.parse(BADNESS_RE.pattern, BADNESS_RE.flags).data
    alternatives = []
    for alt in branch[1][1]:
        positions: list[object] = []
        for op, av in alt.data:
            if str(op) == "AT":
                continue
            if str(op) in ("MAX_REPEAT", "MIN_REPEAT"):
                (sub,) = av[2].data
                positions.append(None if av[0] == 0 else chars(*sub))
            else:
                positions.append(chars(op, av))
        alternatives.append(positions)
    return alternatives


ASCII_LETTERS = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")


def _not_stopping(positions: list[object]) -> list[object]:
    """For each position of a badness alternative, the characters on which the scan would not
    stop there: not suspect; not a neighboured character (É, €, œ…) next to a position whose
    characters are all among the neighbours the scan looks for; not œ before a position that
    is never an ASCII letter."""

    def at(k: int) -> object:
        return positions[k] if 0 <= k < len(positions) else None

    def all_neighbours(k: int) -> bool:
        p = at(k)
        return isinstance(p, set) and p <= mojibake.NEIGHBOURS

    def never_ascii_letter(k: int) -> bool:
        p = at(k)
        if isinstance(p, tuple):
            return ASCII_LETTERS <= p[1]
        return isinstance(p, set) and not (p & ASCII_LETTERS)

    def stops(k: int, c: str) -> bool:
        if c in mojibake.SUSPECT_CHARS:
            return True
        if c in mojibake.NEIGHBOURED and (all_neighbours(k - 1) or all_neighbours(k + 1)):
            return True
        return c in "Œœ" and never_ascii_letter(k + 1)

    return [
        p if not isinstance(p, set) else {c for c in p if not stops(k, c)}
        for k, p in enumerate(positions)
    ]


def test_every_badness_pattern_of_ftfy_needs_what_the_scan_stops_on():
    """In every match of ftfy's badness regex (without one, fix_encoding changes nothing) the
    scan stops somewhere: on a suspect character; on a neighboured character (É, €, œ…) next
    to a position made only of the scan's neighbours; on œ before a position that is never an
    ASCII letter;
    or, for the three patterns made only of common French characters, on a quote in context.
    Checked on the regex of the installed ftfy, so that a new ftfy cannot slip past."""
    quote_patterns = []
    for positions in _alternatives():
        left = _not_stopping(positions)
        if any(isinstance(p, set) and not p for p in left):
            continue  # some position always stops the scan
        quotes = [p & set(mojibake.QUOTES) for p in left if isinstance(p, set)]
        assert any(quotes), positions
        quote_patterns.append(left)
    # »é, é»« and é»a (and the like, with ” “ ‘ «): SCAN_CONTEXT's three quote contexts
    assert len(quote_patterns) == 3


def test_common_french_lines_do_not_stop_the_scan():
    # (the scan's speed rests on it: these are the lines of most pages)
    for line in [
        "L’État a promis « une aide rapide » aux élèves, à 15\u00a0h.",
        "À l’inverse, l’Élysée a cédé : 12,5\u00a0% des voix… et un cœur brisé — dit-il.",
        "© 2024 Le Courrier • Tous droits réservés",
    ]:
        assert not mojibake.is_suspect(line) or not needs_repair(line)
        assert not flagged_by_scan(line)


def test_the_scan_searches_a_line_once_however_many_marks_it_holds(monkeypatch):
    # a line of 100,000 "!" was searched again at every mark (quadratic: 352 s for 1 MB)
    from cleaner.stages import encoding

    calls = []

    class Counting:
        def __init__(self, pattern):
            self.pattern = pattern

        def search(self, text):
            calls.append(self.pattern)
            return self.pattern.search(text)

    monkeypatch.setattr(encoding, "_GLUED", Counting(encoding._GLUED))
    monkeypatch.setattr(encoding, "HTML_ENTITY", Counting(encoding.HTML_ENTITY))
    assert not flagged_by_scan(("Wow! " * 200 + "? & " * 200).strip())
    assert len(calls) == 2  # once for "!" and "?", once for "&"
    # and a line that needs the work is still found
    assert flagged_by_scan("Quel retour !Exigeant et" + " juste !" * 50)
    assert flagged_by_scan("Tom &amp; Jerry !" * 50)


def test_a_glued_mark_is_found_after_a_long_run_of_marks():
    assert (
        FIXER.fix_and_explain("Fin" + "!" * 5000 + "Exigeant")[0]
        == "Fin" + "!" * 5000 + " Exigeant"
    )


# --- 3. UTF-8 read through other code pages -------------------------------------------------

FRENCH = "Les élèves ont reçu leur diplôme à Orléans."


@pytest.mark.parametrize(
    "codec",
    ["cp1251", "koi8_r", "cp874", "mac_roman", "cp437", "cp850", "cp1250", "iso8859_2"],
)
def test_utf8_read_through_other_code_pages_is_repaired_with_its_code_page(codec):
    broken = FRENCH.encode("utf-8").decode(codec)
    assert flagged_by_scan(broken)
    fixed, edits = FIXER.fix_and_explain(broken)
    assert fixed == FRENCH
    assert edits["mojibake"] in (codec, "ftfy")  # ftfy repairs some of them on its own


@pytest.mark.parametrize("codec", ["cp1251", "koi8_r", "cp874"])
def test_the_code_pages_ftfy_leaves_are_recorded_as_evidence(codec):
    broken = FRENCH.encode("utf-8").decode(codec)
    assert ftfy.fix_encoding(broken) == broken  # ftfy alone leaves it broken
    doc = make_doc("Une ligne correcte.", broken)
    stage = EncodingFixer()
    stage.process(doc)
    assert doc.lines[1].text == FRENCH
    assert doc.lines[1].edits == {"mojibake": codec}
    assert doc.lines[0].edits is None
    assert stage.counts[f"mojibake_{codec}"] == 1


def test_gbk_and_shift_jis_read_as_cp1252_are_repaired():
    gbk = "Selon le 人民日报, l’économie a progressé."
    broken = gbk.encode("gbk").decode("sloppy-windows-1252")
    assert FIXER.fix_and_explain(broken) == (gbk, {"mojibake": "gbk"})
    sjis = "Le groupe Toyota (トヨタ自動車) a vendu 10 millions de voitures."
    broken = sjis.encode("shift_jis").decode("sloppy-windows-1252")
    assert FIXER.fix_and_explain(broken) == (sjis, {"mojibake": "shift_jis"})


def test_a_narrow_no_break_space_whose_middle_byte_was_dropped():
    # read by hand: U+202F (E2 80 AF) read as cp1252 is "â€¯"; a text browser that drops C1
    # bytes leaves "â¯" before French high punctuation and inside guillemets (themselves read
    # as cp1252: "Â«", "Â»"): each stands for the narrow no-break space
    for broken, fixed in [
        ("Pourriez-vous en dire un motâ¯?", "Pourriez-vous en dire un mot\u202f?"),
        ("le 12 décembre 2023â¯: la suite", "le 12 décembre 2023\u202f: la suite"),
        (
            "appeler des Â«â¯bricolages organisationnelsâ¯Â» dans",
            "appeler des «\u202fbricolages organisationnels\u202f» dans",
        ),
        # read through GBK, "â¯Â»" would have given two rare hanzi, 獐禄
        ("le matin ! â¯Â» en procédant", "le matin ! \u202f» en procédant"),
    ]:
        assert FIXER.fix_and_explain(broken) == (fixed, {"mojibake": "nnbsp"}), broken


def test_latin1_signs_are_not_read_as_gbk_or_shift_jis():
    # read by hand: signs a French page holds (doubled, or beside the remains of a no-break
    # space whose middle byte a text browser dropped), each a pair of bytes that GBK or
    # Shift-JIS would read as a rare hanzi, Cyrillic, kana or half-width katakana: none of
    # them is Chinese or Japanese, and each line stays as it is
    for line in [
        "Méditation (§§ 1–8). La troisième partie reprend le doute.",  # GBK: Ё
        "La femme sans ombre ©© Georges Peignard, à l'Opéra de Lyon.",  # Shift-JIS: ｩｩ
        "Les Restos du Coeur ¤ ont ouvert leur campagne d'hiver.",  # Shift-JIS: ､
        "Langues : English [29]¥¬ [30]Português",  # GBK: ガ
        "Un seul signe ¾³ ne fait pas un mot chinois.",  # GBK: one hanzi, 境
    ]:
        assert FIXER.fix_and_explain(line) == (line, {}), line
    # a common two-character word is Chinese, read back through GBK
    line = "Selon le 中国 de Pékin, l'économie a progressé."
    broken = line.encode("gbk").decode("sloppy-windows-1252")
    assert FIXER.fix_and_explain(broken) == (line, {"mojibake": "gbk"})


def test_code_pages_do_not_touch_correct_foreign_words():
    for line in [
        "Le Kremlin (Кремль) a répondu.",
        "La ville de Chiang Mai (เชียงใหม่) attire les touristes.",
        "Le mot « Łódź » se prononce « woudj ».",
        "5 µg/l de plomb, H₂O et 3 m² : rien à signaler.",
    ]:
        assert FIXER.fix(line) == line


# --- 4. invisible and format characters, and controls that separate words ------------------


@pytest.mark.parametrize(
    "raw, clean, removed",
    [
        ("porte\u00admanteau", "portemanteau", ["U+00AD"]),
        ("mot\u200bcoupé", "motcoupé", ["U+200B"]),
        ("ef\u200cfet et ef\u200dfet", "effet et effet", ["U+200C", "U+200D"]),
        ("mot\u2060joint", "motjoint", ["U+2060"]),
        ("Une\ufeff ligne", "Une ligne", ["U+FEFF"]),
        ("Il a dit \u202bشكرا\u202c et \u2067merci\u2069.", "Il a dit شكرا et merci.",
         ["U+202B", "U+202C", "U+2067", "U+2069"]),
        ("le \u200eprix\u200f", "le prix", ["U+200E", "U+200F"]),
    ],
)  # fmt: skip
def test_format_characters_are_removed_and_recorded(raw, clean, removed):
    doc = make_doc(raw)
    EncodingFixer().process(doc)
    assert doc.lines[0].text == clean
    assert doc.lines[0].edits == {"removed": removed}


@pytest.mark.parametrize(
    "text",
    [
        "ภาษา\u200bไทย",  # Thai marks word breaks with ZWSP
        "می\u200cخواهم",  # Persian needs the non-joiner
        "क्\u200dष",  # Devanagari, the joiner
        "👩\u200d💻 et 👨\u200d👩\u200d👧",  # emoji sequences
    ],
)
def test_zero_width_characters_stay_where_a_script_needs_them(text):
    assert FIXER.fix(text) == text


def test_separators_between_words_become_spaces_and_other_controls_go():
    assert FIXER.fix("page\fici tabulation\vverticale") == "page ici tabulation verticale"
    assert FIXER.fix("un\x1cdeux\x1dtrois\x1equatre\x1fcinq") == "un deux trois quatre cinq"
    assert FIXER.fix("sans\x00nul\x07cloche\x1bfin\x7f") == "sansnulclochefin"


def test_cli_clean_turns_page_and_tab_separators_into_spaces():
    proc = subprocess.run(
        [sys.executable, "-m", "cleaner", "clean"],
        input=b"page\fici tabulation\vverticale\n",
        capture_output=True,
        cwd=REPO,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr.decode()
    assert proc.stdout.decode("utf-8") == "page ici tabulation verticale\n"


def test_edits_reach_documents_jsonl(tmp_path):
    import cleaner

    src = tmp_path / "in"
    src.mkdir()
    broken = FRENCH.encode("utf-8").decode("cp874")
    (src / "a.txt").write_text(f"Titre\nporte\u00admanteau\n{broken}\n", encoding="utf-8")
    cleaner.run([str(src)], tmp_path / "out", translate=False)
    (record,) = [
        json.loads(x) for x in (tmp_path / "out" / "documents.jsonl").read_text().splitlines()
    ]
    assert record["edits"] == {"2": {"removed": ["U+00AD"]}, "3": {"mojibake": "cp874"}}


# --- 5. correct text stays correct ------------------------------------------------------------

CORRECT = REPO / "tests" / "data" / "ud" / "correct_text.jsonl"


def test_correct_french_english_and_german_text_is_left_alone():
    """Sentences of three UD treebanks (see tests/data/ud/README.md), none written here: the stage
    changes none of them, and its scan sends next to none of them to the repair."""
    records = [json.loads(x) for x in CORRECT.read_text(encoding="utf-8").splitlines()]
    assert {r["lang"] for r in records} == {"fr", "en", "de"}
    changed = [
        (r["text"], FIXER.fix(r["text"])) for r in records if FIXER.fix(r["text"]) != r["text"]
    ]
    assert changed == []
    doc = make_doc(*[r["text"] for r in records])
    stage = EncodingFixer()
    stage.process(doc)
    assert stage.counts["lines_changed"] == 0
    assert [ln.text for ln in doc.lines] == [r["text"] for r in records]
