"""Stage 1: encoding repair, CJK punctuation, whitespace, glued punctuation."""

import pytest

from cleaner import EncodingConfig, reasons
from cleaner.stages.encoding import EncodingFixer, fix_mojibake
from tests.conftest import make_doc

FRENCH = "Le président a déclaré : « c’est l’été », a-t-il dit à 49\u00a0% des élèves."


def mojibake(text: str, times: int = 1, codec: str = "cp1252") -> str:
    for _ in range(times):
        text = text.encode("utf-8").decode(codec, errors="strict")
    return text


@pytest.mark.parametrize("times", [1, 2])
def test_repairs_utf8_read_as_cp1252(times):
    assert fix_mojibake(mojibake(FRENCH, times)) == FRENCH


def test_repairs_utf8_read_as_latin1():
    text = "Les élèves ont réussi leur année scolaire à Orléans."
    assert fix_mojibake(text.encode("utf-8").decode("latin-1")) == text


def test_keeps_french_typography():
    # ftfy's defaults would straighten ’ and make full-width punctuation ASCII.
    fixer = EncodingFixer()
    assert fixer.fix(FRENCH) == FRENCH
    assert fixer.fix("Il a dit « oui »\u202f!") == "Il a dit « oui »\u202f!"


def test_decodes_html_entities_even_double_escaped():
    assert fix_mojibake("Procter &amp; Gamble &quot;cite&quot; l&#39;accord") == (
        'Procter & Gamble "cite" l\'accord'
    )
    assert fix_mojibake("A &amp;amp; B") == "A & B"


def test_entities_off():
    fixer = EncodingFixer(EncodingConfig(fix_html_entities=False))
    assert fixer.fix("A &amp; B") == "A &amp; B"


@pytest.mark.parametrize(
    "raw, fixed",
    [
        ("« Remplacez les membres actuels. 」", "« Remplacez les membres actuels. »"),
        (
            "「Bonjour」dit-il。Ensuite，il part：vite！",
            "« Bonjour » dit-il. Ensuite, il part : vite !",
        ),
        ("Il a dit（en riant）que non；puis？", "Il a dit (en riant) que non ; puis ?"),
        ("Le groupe （filiale） a dit", "Le groupe (filiale) a dit"),
        ("un prix【réduit】，voire（presque）nul", "un prix [réduit], voire (presque) nul"),
        ("（Reuters）Le marché", "(Reuters) Le marché"),
        ("Altman est de retour !Exigeant fortement", "Altman est de retour ! Exigeant fortement"),
        ("Vraiment?Oui, dit-il", "Vraiment? Oui, dit-il"),
        ("  deux   espaces\tet tab  ", "deux espaces et tab"),
        ("zéro\u200blargeur\ufeff", "zérolargeur"),
    ],
)
def test_normalises_punctuation_and_whitespace(raw, fixed):
    assert EncodingFixer().fix(raw) == fixed


def test_cjk_punctuation_inside_chinese_spans_is_left_alone():
    line = "Salesforce Inc.前联席首席执行官Bret Taylor。"
    assert EncodingFixer().fix(line) == line
    mixed = "Il cite 「新华社」报道，puis conclut。"
    # inside the Chinese span the marks stay; the final 。 outside it becomes "."
    assert EncodingFixer().fix(mixed) == "Il cite 「新华社」报道，puis conclut."


def test_urls_keep_their_question_marks():
    assert EncodingFixer().fix("Voir https://exemple.fr/page?id=3 pour plus") == (
        "Voir https://exemple.fr/page?id=3 pour plus"
    )


def test_stage_drops_empty_and_overlong_lines_with_reasons():
    doc = make_doc("Une vraie ligne.", "   \u200b ", "x" * 50)
    EncodingFixer(EncodingConfig(max_line_chars=40)).process(doc)
    assert [ln.reason for ln in doc.lines] == [None, reasons.EMPTY_LINE, reasons.LINE_TOO_LONG]
    assert doc.lines[2].detail == {"chars": 50, "limit": 40}
    # the original text is kept for the rejects file
    assert doc.lines[1].original == "   \u200b "


def test_stage_keeps_original_and_edits_current_text():
    doc = make_doc(mojibake("Le ministère a annoncé une hausse."))
    stage = EncodingFixer()
    stage.process(doc)
    line = doc.lines[0]
    assert line.text == "Le ministère a annoncé une hausse."
    assert line.original != line.text
    assert stage.counts["lines_changed"] == 1


def test_an_apostrophe_a_text_browser_cut_to_a_circumflex_is_restored():
    """lynx kept only the first byte of "’" (E2 80 99), read as cp1252 "â": restored in the
    French lines of a French page whose other mojibake was repaired, never in a word that has
    its "â", nor in another language's page."""
    fixer = EncodingFixer(EncodingConfig())
    doc = make_doc(
        "En procÃ©dant ainsi avec lâimage ci-dessus, nous obtenons les valeurs du code.",
        "Des exemples pour sâentraîner sont aussi proposés dans cette page.",
        "Câest jusquâà aujourdâhui quâil est resté, selon les auteurs du guide.",
        "Il est lâche, pâle, et son château a un câble.",
    )
    fixer.process(doc)
    assert [ln.text for ln in doc.lines] == [
        "En procédant ainsi avec l’image ci-dessus, nous obtenons les valeurs du code.",
        "Des exemples pour s’entraîner sont aussi proposés dans cette page.",
        "C’est jusqu’à aujourd’hui qu’il est resté, selon les auteurs du guide.",
        "Il est lâche, pâle, et son château a un câble.",
    ]
    assert doc.lines[2].edits == {"apostrophes_restored": 4}
    # a short French page: its own lost apostrophes say it is French
    short = make_doc("Quâest-ce quâun code hexadÃ©cimal ?")
    fixer.process(short)
    assert short.lines[0].text == "Qu’est-ce qu’un code hexadécimal ?"
    # a Romanian page whose mojibake was repaired keeps its "â" (mâine, câinii)
    romanian = make_doc("Ne vedem mâine la Cluj, câinii dorm.", "OraÅŸul este frumos.")
    fixer.process(romanian)
    assert romanian.lines[0].text == "Ne vedem mâine la Cluj, câinii dorm."
    # no mojibake repaired anywhere: "â" stays
    alone = make_doc(
        "Des exemples pour sâentraîner sont aussi proposés dans cette page, avec les corrigés."
    )
    fixer.process(alone)
    assert alone.lines[0].text.startswith("Des exemples pour sâentraîner")
