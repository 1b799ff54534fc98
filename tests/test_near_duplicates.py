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


def doc(id: str, lines: list[str]) -> Document:
    return Document.from_text("\n".join(lines) + "\n", id=id)


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
