"""French sentence splitting: exact cases, and F1 on the gold sets written for the project."""

import pytest

from cleaner.segment import split_sentences
from tests.bench.segment_eval import GOLD, load, score


@pytest.mark.parametrize(
    "paragraph, sentences",
    [
        ("M. Dupont est arrivé. Il a parlé.", ["M. Dupont est arrivé.", "Il a parlé."]),
        ("Le Dr Martin et Mme Roux sont là.", ["Le Dr Martin et Mme Roux sont là."]),
        (
            "Selon l'art. 12 de la loi, c'est interdit.",
            ["Selon l'art. 12 de la loi, c'est interdit."],
        ),
        ("Env. 400 personnes. Elles attendent.", ["Env. 400 personnes.", "Elles attendent."]),
        ("Il cite J.-P. Sartre et Jean A. Dupuis.", ["Il cite J.-P. Sartre et Jean A. Dupuis."]),
        (
            "Microsoft investit 13 milliards. Soit 49 % du capital.",
            ["Microsoft investit 13 milliards.", "Soit 49 % du capital."],
        ),
        ("« Pourquoi ? » demande-t-il.", ["« Pourquoi ? » demande-t-il."]),
        ("« Nous reviendrons. » Il est parti.", ["« Nous reviendrons. »", "Il est parti."]),
        ("Il hésite... puis signe. Tout est fini…", ["Il hésite... puis signe.", "Tout est fini…"]),
        ("Vraiment ? Oui ! C'est fait.", ["Vraiment ?", "Oui !", "C'est fait."]),
        (
            "Rachat par Salesforce Inc. Le prix est secret.",
            ["Rachat par Salesforce Inc.", "Le prix est secret."],
        ),
        ("La S.N.C.F. Connect lance une offre.", ["La S.N.C.F. Connect lance une offre."]),
        (
            "Voir www.exemple.fr. Puis écrire à a@b.fr.",
            ["Voir www.exemple.fr.", "Puis écrire à a@b.fr."],
        ),
        ("", []),
    ],
)
def test_cases(paragraph, sentences):
    assert split_sentences(paragraph) == sentences


def test_sentences_give_the_paragraph_back():
    for sents in load():
        paragraph = " ".join(sents)
        assert " ".join(split_sentences(paragraph)) == paragraph


@pytest.mark.parametrize("name", ["sentences_fr.jsonl", "sentences_fr_heldout.jsonl"])
def test_f1_on_gold_sets(name):
    # sentences_fr.jsonl was used to write the rules; the held-out set was not.
    result = score(split_sentences, load(GOLD.with_name(name)))
    assert result["f1"] >= 0.98, result["errors"][:3]
