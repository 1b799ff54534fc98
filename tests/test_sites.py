"""A document's site: the host of its URL, else its input folder (never an absolute path)."""

import json

from cleaner import Config, run
from cleaner.sites import host_of, site_from


def test_host_of_urls():
    assert host_of("https://www.LeMonde.fr/economie/article.html") == "lemonde.fr"
    assert host_of("lemonde.fr/x") == "lemonde.fr"
    assert host_of("not a url") is None
    assert host_of(None) is None


def test_site_from_a_record_url_or_the_folder():
    assert site_from({"url": "https://www.ouest-france.fr/a"}, "in/flux.jsonl", "flux") == (
        "ouest-france.fr"
    )
    assert site_from({"link": "http://example.org/b"}, "in/flux.jsonl", "flux") == "example.org"
    assert site_from(None, "/data/scraped/lemonde/a.txt", "lemonde/a") == "lemonde"
    assert site_from(None, "/data/scraped/a.txt", "a") == "scraped"
    assert site_from(None, "-", "stdin") == "stdin"


def test_sites_in_documents_jsonl(tmp_path):
    src = tmp_path / "scraped"
    (src / "lemonde").mkdir(parents=True)
    (src / "lemonde" / "a.txt").write_text("Le texte de la page.\n", "utf-8")
    (src / "flux.jsonl").write_text(
        json.dumps({"text": "Une dépêche.", "url": "https://www.afp.com/fr/x"})
        + "\n"
        + json.dumps({"text": "Une autre dépêche."})
        + "\n",
        "utf-8",
    )
    run([str(src)], tmp_path / "out", Config(), translate=False)
    docs = [json.loads(x) for x in (tmp_path / "out" / "documents.jsonl").read_text().splitlines()]
    assert sorted(d["site"] for d in docs) == ["afp.com", "lemonde", "scraped"]
