"""Reading inputs (formats, encodings, hostile input) and writing outputs atomically."""

import gzip
import json
import os

import pytest

import cleaner
from cleaner import reasons
from cleaner.errors import CleanerError
from cleaner.io import Quarantined, decode_bytes, expand_inputs, read_documents, safe_id
from cleaner.io.decode import DecodeError
from cleaner.translate.translator import Translated
from tests.support.outputs import snapshot

PAGE = "Le conseil a voté le budget de la médiathèque mardi soir.\nVoir l'original\n"
#: A first paragraph that changes the page (and every output of a run over it).
OTHER_LEAD = (
    "Le maire a présenté mardi soir un nouveau plan de rénovation pour les écoles de la commune.\n"
)


def read(paths, **kw):
    files, _ = expand_inputs([str(p) for p in paths], **kw)
    return list(read_documents(files))


def test_decoding_utf8_cp1252_gb18030_and_bom():
    text = "Les élèves de l’école d’Orléans ont réussi leur année, à 95 % des cas."
    assert decode_bytes(text.encode("utf-8")) == (text, "utf-8")
    assert decode_bytes(b"\xef\xbb\xbf" + text.encode("utf-8")) == (text, "utf-8-sig")
    assert decode_bytes((text * 5).encode("cp1252")) == (text * 5, "cp1252")
    zh = "新华社报道，中国经济增长速度加快。" * 5
    assert decode_bytes(zh.encode("gb18030"))[0] == zh


def test_utf8_whose_characters_a_text_browser_cut_at_line_breaks(tmp_path):
    # lynx hard-wraps at the byte A0 as at a no-break space, also inside "à" (C3 A0): the
    # file holds C3, then the line break and the next line's indent. Read by hand: "visant à"
    # and "voilà" end their lines; the other accents are whole
    data = (
        b"La campagne visant \xc3\n   d\xc3\xa9nigrer les \xc3\xa9l\xc3\xa8ves a \xc3\xa9chou\xc3\xa9,"
        b" voil\xc3\r\n   ce que dit le rapport.\n"
    )
    text, encoding = decode_bytes(data)
    assert text == (
        "La campagne visant à\n   dénigrer les élèves a échoué, voilà\r\n   ce que dit le rapport.\n"
    )
    assert encoding == "utf-8 (2 characters cut by a line break mended)"
    (tmp_path / "p.txt").write_bytes(data)
    (doc,) = read([tmp_path / "p.txt"])
    assert doc.lines[0].text == "La campagne visant à"
    assert doc.metadata["encoding"] == encoding
    # a lone lead byte elsewhere than before a break is no such cut: the file is not UTF-8
    assert decode_bytes(b"caf\xe9 cr\xc3me \xc3\n" * 5)[1] == "cp1252"
    # a cp1252 file whose only bytes beyond ASCII end lines ("CAFÉ", "Gruß") holds no whole
    # UTF-8 character: no cut to mend (it would have read "CAFɠ")
    text, encoding = decode_bytes(b"Menu du jour : steak frites et CAF\xc9\nLe restaurant ouvre.\n")
    assert (text, encoding) == (
        "Menu du jour : steak frites et CAFÉ\nLe restaurant ouvre.\n",
        "cp1252",
    )
    assert decode_bytes(b"Viele Gr\xfc\xdf\ne aus Berlin, sagt er.\n")[0].startswith("Viele Grüß")
    # with a byte-order mark: mended, and the mark gone
    text, encoding = decode_bytes(b"\xef\xbb\xbf" + data)
    assert text.startswith("La campagne visant à\n")
    assert encoding == "utf-8-sig (2 characters cut by a line break mended)"


def test_mostly_utf8_text_is_read_as_utf8_but_for_its_lines_that_are_not(tmp_path):
    # A UTF-8 page with a line pasted in from a Latin-1 one ("«", "»": AB, BB, beside a UTF-8
    # "è"), a cp1252 heading whose last "É" ends the line (C9: no cut character, though it
    # looks like one) and a byte cp1252 leaves undefined (81). It was quarantined whole, or
    # read as cp1252, every "é" of it turned into "Ã©"
    body = "Les élèves de l’école d’Orléans ont réussi leur année. " * 6
    data = body.encode() + (
        b"\nLe maire parle d'un \xabsucc\xc3\xa8s\xbb.\nLES ENJEUX DE LA SOCI\xc9T\xc9\n"
        b"La pr\x81sidente parle de la r\xc3\xa9forme des retraites aujourd'hui.\n"
    )
    text, encoding = decode_bytes(data)
    # read by hand: each line that is not UTF-8 is cp1252, the UTF-8 "è" in it mojibake
    assert text == body + (
        "\nLe maire parle d'un «succÃ¨s».\nLES ENJEUX DE LA SOCIÉTÉ\n"
        "La pr\x81sidente parle de la rÃ©forme des retraites aujourd'hui.\n"
    )
    assert encoding == "utf-8 (3 lines read as cp1252)"
    (tmp_path / "p.txt").write_bytes(data)
    (doc,) = read([tmp_path / "p.txt"])
    assert doc.metadata["encoding"] == encoding
    # the encoding stage repairs the mojibake and records the control it deletes
    from cleaner import Config, Pipeline

    lines = {ln.number: ln for ln in next(iter(Pipeline(Config()).run([doc]))).lines}
    assert lines[2].text == "Le maire parle d'un «succès»."
    assert lines[4].text == "La prsidente parle de la réforme des retraites aujourd'hui."
    assert lines[4].edits["removed"] == ["U+0081"]
    # a cp1252 page with one UTF-8 "é" in it is not mostly UTF-8: detection reads it (the
    # encoding stage mends that one "Ã©" later)
    one = "Les élèves de l’école d’Orléans ont réussi leur année. "
    text, encoding = decode_bytes(one.encode("cp1252") * 2 + "é".encode())
    assert (text, encoding) == (one * 2 + "Ã©", "cp1252")
    # ten UTF-8 characters for each byte that is not, at least: 19 for 2 is not enough
    from cleaner.io.decode import _mostly_utf8

    assert _mostly_utf8("é".encode() * 19 + b"\n\xab \xbb") is None
    assert _mostly_utf8("é".encode() * 20 + b"\n\xab \xbb") == (
        "é" * 20 + "\n« »",
        "utf-8 (1 line read as cp1252)",
    )


def test_a_jsonl_record_no_encoding_fits_is_read_as_cp1252_and_repaired(tmp_path):
    # A record of UTF-8 text with a "«…»" pasted in from a Latin-1 page (AB, BB): too short
    # to be mostly UTF-8 on its own, and no candidate encoding fits it; it was quarantined.
    # Read as cp1252 (its bytes that are not UTF-8 are Western: "«", "»"), its UTF-8 accents
    # are mojibake the encoding stage repairs
    text = "Les élèves de l’école d’Orléans ont réussi. Le maire parle d'un "
    raw = (
        b'{"id": "a", "text": "'
        + text.encode()
        + b'\xabsucc\xc3\xa8s\xbb."}\n{"id": "b", "text": "Une ligne propre \xc3\xa0 Paris."}\n'
    )
    (tmp_path / "p.jsonl").write_bytes(raw)
    first, second = read([tmp_path / "p.jsonl"])
    assert first.metadata["encoding"] == "utf-8 (1 line read as cp1252)"
    assert second.metadata["encoding"] == "utf-8"
    from cleaner import Config, Pipeline

    (out,) = Pipeline(Config()).run([first])
    assert out.lines[0].text == text + "«succès»."


def test_a_cut_is_mended_only_into_a_letter_of_the_texts_scripts():
    # Korean "고" is EA B3 A0: lynx wrapped at its A0, leaving EA B3 before the break (a
    # student's dump of a Korean news page). Read by hand: each line ends with "고". Hangul
    # syllables lie far apart in Unicode: it is mended in text whose other syllables are
    # nowhere near it; a cut "Р" (D0 A0, Cyrillic) is not, in French text that holds a Greek
    # "α"
    korean = "정부는 발표했고\n   시민들은 환영했고\n".encode().replace(
        "고\n".encode(), "고".encode()[:2] + b"\n"
    )
    assert decode_bytes(korean) == (
        "정부는 발표했고\n   시민들은 환영했고\n",
        "utf-8 (2 characters cut by a line break mended)",
    )
    french = "Les élèves ont réussi, voilà tout : α. ".encode() * 3
    assert decode_bytes(french + b"\nslovo \xd0\nSuite.\n")[0].endswith("\nslovo Ð\nSuite.\n")


def test_a_cut_is_mended_only_into_a_character_of_the_text():
    # a cp1252 "É" ending a line (C9) looks like a cut "ɠ" (C9 A0): no French text holds it.
    # A cut "à" (C3 A0) is mended: a Latin-1 letter
    french = "Les élèves ont réussi, voilà tout. ".encode() * 3
    assert decode_bytes(french + b"\nMenu : steak frites et CAF\xc9\nSuite.\n")[0].endswith(
        "\nMenu : steak frites et CAFÉ\nSuite.\n"
    )
    assert decode_bytes(french + b"\nvisant \xc3\nSuite.\n")[0].endswith("\nvisant à\nSuite.\n")
    # "†" (E2 80 A0) is no letter: a line ending in E2 80 is read as cp1252
    assert decode_bytes(french + b"\nUne note \xe2\x80\nSuite.\n")[0].endswith(
        "\nUne note â€\nSuite.\n"
    )


def test_control_bytes_make_binary_but_a_few_do_not():
    from cleaner.io.decode import looks_binary

    text = ("Une ligne de texte ordinaire.\t\f\r\n" * 40).encode()
    assert not looks_binary(text)
    assert not looks_binary(b"\x1b[1m" * 4 + text)  # four escapes: a terminal colour, not binary
    assert looks_binary(b"\x01" * (len(text) // 50 + 1) + text)
    assert looks_binary(text + b"\x00")


def test_documents_from_the_reader_travel_as_paragraphs(tmp_path):
    """A fresh document holds its paragraphs until a stage reads its lines; pickled (to a
    worker, into the spool) it comes back the same, and an annotated one keeps its
    annotations."""
    import pickle

    from cleaner.document import Document, lines_from_text

    (tmp_path / "p.txt").write_text(PAGE + "\r\nfin", encoding="utf-8")
    (doc,) = read([tmp_path / "p.txt"])
    assert doc._lines is None  # nothing built yet
    expected = lines_from_text(PAGE + "\nfin")
    assert doc.input_chars() == sum(len(ln.original) + 1 for ln in expected)
    copy = pickle.loads(pickle.dumps(doc))
    assert copy._lines is None and copy == doc
    assert doc.lines == expected and doc._paragraphs is None
    assert doc.input_chars() == copy.input_chars()
    doc.lines[1].drop("boilerplate_pattern", rule="voir_original")
    back = pickle.loads(pickle.dumps(doc))
    assert back.lines[1].reason == "boilerplate_pattern" and not back.lines[1].kept
    assert back == doc != copy
    assert Document.from_paragraphs("x", ["a", "b"]).lines == lines_from_text("a\nb")


def test_binary_is_quarantined_not_decoded(tmp_path):
    png = tmp_path / "image.txt"
    png.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    (item,) = read([png])
    assert isinstance(item, Quarantined) and item.reason == reasons.BINARY_CONTENT


def test_txt_gz_jsonl_and_jsonl_gz(tmp_path):
    (tmp_path / "a.txt").write_text(PAGE, encoding="utf-8")
    with gzip.open(tmp_path / "b.txt.gz", "wt", encoding="utf-8") as fh:
        fh.write(PAGE)
    rec = {"id": "x1", "url": "https://exemple.fr/1", "section": "eco", "text": PAGE}
    (tmp_path / "c.jsonl").write_text(json.dumps(rec) + "\n", encoding="utf-8")
    with gzip.open(tmp_path / "d.jsonl.gz", "wt", encoding="utf-8") as fh:
        fh.write(json.dumps({"text": PAGE}) + "\n")
    docs = read([tmp_path])
    assert [d.id for d in docs] == ["a", "b", "x1", "d-1"]
    assert docs[2].metadata["fields"] == {
        "id": "x1",
        "url": "https://exemple.fr/1",
        "section": "eco",
    }
    assert all(len(d.lines) == 2 for d in docs)


def test_malformed_jsonl_lines_are_quarantined_with_line_numbers(tmp_path):
    path = tmp_path / "feed.jsonl"
    path.write_bytes(
        b'{"id": "ok", "text": "Une ligne."}\n'
        b"{not json\n"
        b"[1, 2]\n"
        b'{"id": "no-text"}\n'
        b'{"text": 42}\n' + b"[" * 100000 + b"\n" + b'{"id": "ok2", "text": "Encore une."}\n'
    )
    items = read([path])
    got = [(i.line, i.reason) if isinstance(i, Quarantined) else i.id for i in items]
    assert got == [
        "ok",
        (2, reasons.MALFORMED_JSON),
        (3, reasons.MALFORMED_JSON),
        (4, reasons.MISSING_TEXT),
        (5, reasons.MISSING_TEXT),
        (6, reasons.MALFORMED_JSON),
        "ok2",
    ]


def test_numbers_no_float_holds_are_quarantined_not_written_as_infinity(tmp_path):
    # 1e400 is valid JSON that Python reads as inf: it was written back as the bare token
    # Infinity, which strict JSON readers refuse; NaN and Infinity are no JSON at all
    path = tmp_path / "feed.jsonl"
    path.write_bytes(
        b'{"id": "a", "text": "Une ligne.", "big": 1e400}\n'
        b'{"id": "b", "text": "Une ligne.", "x": NaN}\n'
        b'{"id": "c", "text": "Une ligne.", "y": -Infinity}\n'
        b'{"id": "d", "text": "Une ligne.", "z": 1.5e300}\n'
    )
    items = read([path])
    assert [i.message if isinstance(i, Quarantined) else i.id for i in items] == [
        "not readable JSON: the number 1e400 is beyond a float's range",
        "not readable JSON: NaN is no JSON value",
        "not readable JSON: -Infinity is no JSON value",
        "d",
    ]


def test_truncated_gzip_is_quarantined(tmp_path):
    data = gzip.compress((PAGE * 2000).encode("utf-8"))
    (tmp_path / "cut.txt.gz").write_bytes(data[: len(data) // 2])
    feed = "".join(
        json.dumps({"id": i, "text": f"Dépêche numéro {i * 7919}."}) + "\n" for i in range(5000)
    )
    data = gzip.compress(feed.encode("utf-8"))
    (tmp_path / "cut.jsonl.gz").write_bytes(data[: len(data) // 2])
    items = read([tmp_path])
    assert [i.reason for i in items if isinstance(i, Quarantined)] == [
        reasons.CORRUPT_ARCHIVE,
        reasons.CORRUPT_ARCHIVE,
    ]


def test_empty_file_is_counted(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (item,) = read([tmp_path / "empty.txt"])
    assert item.reason == reasons.EMPTY_DOCUMENT


@pytest.mark.parametrize(
    "raw, safe",
    [
        ("../../x", "x"),
        ("/etc/passwd", "etc/passwd"),
        ("a\x00b", "a_b"),
        ("..", "doc"),
        ("site/page 1", "site/page_1"),
        ("C:\\Windows\\x", "C/Windows/x"),
    ],
)
def test_hostile_ids_stay_inside_the_output(raw, safe):
    assert safe_id(raw) == safe


def test_very_long_ids_are_shortened_with_a_hash():
    out = safe_id("a" * 5000)
    assert len(out) <= 120 and out != safe_id("a" * 4999)


def test_duplicate_ids_are_made_unique(tmp_path):
    lines = [json.dumps({"id": "same", "text": f"Texte {i}."}) for i in range(3)]
    (tmp_path / "f.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert [d.id for d in read([tmp_path / "f.jsonl"])] == ["same", "same~2", "same~3"]


def test_globs_and_missing_inputs(tmp_path):
    (tmp_path / "a.txt").write_text(PAGE, encoding="utf-8")
    (tmp_path / "notes.pdf").write_text("x", encoding="utf-8")
    files, skipped = expand_inputs([str(tmp_path / "*.txt")])
    assert [f.id_base for f in files] == ["a"]
    files, skipped = expand_inputs([str(tmp_path)])
    assert skipped == [str(tmp_path / "notes.pdf")]
    with pytest.raises(CleanerError, match="input not found"):
        expand_inputs([str(tmp_path / "nope.txt")])
    with pytest.raises(CleanerError, match="no input file matches"):
        expand_inputs([str(tmp_path / "*.jsonl")])


def test_a_glob_reads_its_matches_as_a_shell_would(tmp_path):
    """A folder a glob matches is searched, as when the shell expands the glob; a file it
    matches is read whatever its name, as a file named on the command line is."""
    (tmp_path / "in" / "sub").mkdir(parents=True)
    (tmp_path / "in" / "s.jsonl").write_text('{"id": "r1", "text": "x"}\n', encoding="utf-8")
    (tmp_path / "in" / "sub" / "a.txt").write_text(PAGE, encoding="utf-8")
    (tmp_path / "in" / "sub" / "notes.pdf").write_text("x", encoding="utf-8")
    files, skipped = expand_inputs([str(tmp_path / "in" / "*")])
    assert [(os.path.basename(f.path), f.format) for f in files] == [
        ("s.jsonl", "jsonl"),
        ("a.txt", "txt"),
    ]
    assert skipped == [str(tmp_path / "in" / "sub" / "notes.pdf")]
    os.mkfifo(tmp_path / "pipe")
    with pytest.raises(CleanerError, match="neither a file nor a folder"):
        expand_inputs([str(tmp_path / "pipe")])
    # in a folder, a pipe and a link to a device are listed as skipped, never read (a pipe
    # would wait for a writer forever, /dev/zero never ends)
    os.mkfifo(tmp_path / "in" / "p.txt")
    os.symlink("/dev/zero", tmp_path / "in" / "z.txt")
    files, skipped = expand_inputs([str(tmp_path / "in")])
    assert [os.path.basename(f.path) for f in files] == ["s.jsonl", "a.txt"]
    assert sorted(os.path.basename(s) for s in skipped) == ["notes.pdf", "p.txt", "z.txt"]


def test_run_writes_every_output_and_never_into_the_input(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "p.txt").write_text(PAGE, encoding="utf-8")
    out = tmp_path / "out"
    result = cleaner.run([str(src)], out, translate=False)
    assert sorted(n for n in os.listdir(out) if not n.startswith(".cleaner-")) == [
        "clean",
        "documents.jsonl",
        "fragments.jsonl",
        "manifest.json",
        "quarantine.jsonl",
        "rejects.jsonl",
        "report",
        "report.html",
    ]
    assert (out / "clean" / "p.txt").read_text("utf-8") == PAGE.splitlines()[0] + "\n"
    assert result.counts["by_reason"] == {"boilerplate_pattern": 1}
    with pytest.raises(CleanerError, match="holds the input"):
        cleaner.run([str(src)], src, translate=False)
    with pytest.raises(CleanerError, match="holds the input"):
        cleaner.run([str(src / "p.txt")], src, translate=False)


def test_run_takes_paths_and_a_single_input(tmp_path):
    (tmp_path / "p.txt").write_text(PAGE, encoding="utf-8")
    # a list of paths, a single path and a single string: the same run, the same clean text
    for inputs in ([tmp_path / "p.txt"], tmp_path / "p.txt", str(tmp_path / "p.txt")):
        out = tmp_path / "out"
        result = cleaner.run(inputs, out, translate=False, fresh=True)
        assert result.counts["inputs"] == 1
        assert (out / "clean" / "p.txt").read_text("utf-8") == PAGE.splitlines()[0] + "\n"


def test_an_output_directory_never_holds_an_input(tmp_path):
    src = tmp_path / "in"
    (src / "data" / "clean").mkdir(parents=True)
    (src / "p.txt").write_text(PAGE, encoding="utf-8")
    (src / "data" / "feed.jsonl").write_text('{"text": "Bonjour."}\n', encoding="utf-8")
    (src / "data" / "clean" / "story.txt").write_text("Une histoire.\n", encoding="utf-8")
    before = snapshot(src)
    # a folder of the input that holds other files than a run's: they would go unread, and
    # the run would replace its clean/ folder
    with pytest.raises(CleanerError, match="inside the input folder .* no cleaner run's"):
        cleaner.run(src, src / "data", translate=False)
    # a glob whose matches lie in the output directory
    cleaner.run(src / "p.txt", tmp_path / "out", translate=False)
    with pytest.raises(CleanerError, match="holds the input .*p.txt"):
        cleaner.run(str(tmp_path / "out" / "clean" / "*.txt"), tmp_path / "out", translate=False)
    assert snapshot(src) == before
    # a run's own output directory inside the input folder, run again: allowed, not read
    for _ in range(2):
        result = cleaner.run(src, src / "out", translate=False)
        assert result.counts["inputs"] == 3


def test_html_pages_extracted_in_processes_come_out_in_order(tmp_path, monkeypatch):
    """With extract_workers > 1 the HTML files' main text is extracted in a pool of processes,
    read ahead; the items are the same, in the same order, whatever comes between them."""
    from tests.support.formats import page_html
    from tests.support.pools import read_items, record_pools

    src = tmp_path / "in"
    src.mkdir()
    for i in range(12):  # more than the read-ahead of two processes (8 files)
        paragraph = f"Le conseil municipal a voté le budget numéro {i} mardi soir, après débat."
        (src / f"p{i:02d}.html").write_text(page_html([paragraph], title=f"Budget {i}"), "utf-8")
    (src / "p05b.txt").write_text(PAGE, encoding="utf-8")  # another format between two pages
    (src / "p07b.html").write_bytes(b"\x00\x01" * 200)  # a binary page: quarantined in place
    (src / "p09b.html").write_text("<html><body></body></html>", "utf-8")  # no main text
    files, _ = expand_inputs([str(src)])
    one = read_items(files, 1)
    pools = record_pools(monkeypatch)
    assert read_items(files, 2) == one and len(pools) == 1  # the pool was used: the same items
    assert [x[0] for x in one][:8] == [
        "p00", "p01", "p02", "p03", "p04", "p05", "p05b", "p06"
    ]  # fmt: skip
    assert ("quarantined", str(src / "p07b.html"), "binary_content") in one
    assert ("quarantined", str(src / "p09b.html"), "no_extracted_text") in one
    for doc_id, lines, _ in (x for x in one if x[0].startswith("p") and "b" not in x[0]):
        assert f"budget numéro {int(doc_id[1:])} mardi" in " ".join(lines), doc_id  # its own page


class _OwnTranslator:
    """A translator of one's own: ``route``, ``translate`` and ``describe``, the last without
    the Argos translator's ``settings``; it knows one sentence."""

    known = {
        "Le conseil a voté le budget de la médiathèque mardi soir.": (
            "The council voted the budget of the media library on Tuesday evening."
        )
    }

    def route(self, source, target):
        raise AssertionError("a French page with no fragment needs no route")

    def translate(self, texts, source, target):
        assert (source, target) == ("fr", "en")
        return [Translated(self.known[t], ("in-house",), None) for t in texts]

    def describe(self):
        return {"engine": "in-house", "version": "3"}


def test_run_with_a_translator_of_ones_own(tmp_path):
    (tmp_path / "p.txt").write_text(PAGE, encoding="utf-8")
    result = cleaner.run(tmp_path / "p.txt", tmp_path / "out", translator=_OwnTranslator())
    assert result.counts["lines_kept"] == 1
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text("utf-8"))
    assert manifest["translation"] == {"engine": "in-house", "version": "3"}
    english = (tmp_path / "out" / "parallel" / "corpus.en").read_text("utf-8")
    assert english == "The council voted the budget of the media library on Tuesday evening.\n"


def _run_then_change(tmp_path):
    """A run over PAGE into out/, then the page changed (every output of a run would change):
    the page, the output folder and the first run's outputs."""
    src = tmp_path / "p.txt"
    src.write_text(PAGE, encoding="utf-8")
    out = tmp_path / "out"
    cleaner.run([str(src)], out, translate=False)
    before = snapshot(out)
    src.write_text(OTHER_LEAD + PAGE, encoding="utf-8")
    return src, out, before


def _no_space(self, *args):
    raise OSError(28, "No space left on device")


def test_failed_run_leaves_previous_outputs_untouched(tmp_path, monkeypatch):
    src, out, before = _run_then_change(tmp_path)
    assert {"clean/p.txt", "report.html", "report/part-000000.html"} <= set(before)

    from cleaner.io import writers

    # a run over the changed page that fails while assembling
    monkeypatch.setattr(writers.OutputWriter, "append_shard", _no_space)
    with pytest.raises(OSError):
        cleaner.run([str(src)], out, translate=False)
    assert snapshot(out) == before  # clean/ and report.html included
    assert not [p for p in out.iterdir() if p.name.startswith(".cleaner-staging")]
    monkeypatch.undo()
    cleaner.run([str(src)], out, translate=False)  # the same run, working: it would change them
    assert snapshot(out)["clean/p.txt"] != before["clean/p.txt"]


def _fail_at_documents(real_replace, action, out):
    """os.replace that calls ``action`` when a run moves its documents.jsonl into place in
    ``out`` (after clean/, rejects.jsonl and fragments.jsonl, before the rest)."""

    def replace(src, dst, *args, **kwargs):
        staged = os.path.basename(os.path.dirname(os.fspath(src))).startswith(".cleaner-staging")
        if staged and os.fspath(dst) == os.path.join(out, "documents.jsonl"):
            action()
        return real_replace(src, dst, *args, **kwargs)

    return replace


def test_an_error_while_moving_outputs_into_place_puts_the_earlier_ones_back(tmp_path, monkeypatch):
    src, out, before = _run_then_change(tmp_path)

    def fail():
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, "replace", _fail_at_documents(os.replace, fail, str(out)))
    with pytest.raises(OSError):
        cleaner.run([str(src)], out, translate=False)
    monkeypatch.undo()
    # clean/p.txt and rejects.jsonl had been replaced when documents.jsonl failed: all back
    assert snapshot(out) == before
    assert not [p for p in out.iterdir() if p.name.startswith(".cleaner-staging")]


def test_a_run_interrupted_while_moving_outputs_finishes_the_move(tmp_path, monkeypatch):
    from tests.support.outputs import without_timings

    src, out, _ = _run_then_change(tmp_path)
    reference = tmp_path / "reference"
    cleaner.run([str(src)], reference, translate=False)  # what the interrupted run makes
    interrupts = []

    def interrupt():  # Ctrl-C, once, when documents.jsonl is about to move
        if not interrupts:
            interrupts.append(1)
            raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", _fail_at_documents(os.replace, interrupt, str(out)))
    with pytest.raises(KeyboardInterrupt):
        cleaner.run([str(src)], out, translate=False)
    monkeypatch.undo()
    # the run was whole: its outputs are all in place (its report, built after, never was)
    expected = without_timings(snapshot(reference))
    assert without_timings(snapshot(out)) == {
        k: v for k, v in expected.items() if not k.startswith("report")
    }
    assert not [p for p in out.iterdir() if p.name.startswith(".cleaner-staging")]


_KILLED_RUN = """
import os, sys
sys.path.insert(0, sys.argv[3])
import cleaner
from tests.test_io import _fail_at_documents
os.replace = _fail_at_documents(os.replace, lambda: os._exit(9), sys.argv[2])
cleaner.run([sys.argv[1]], sys.argv[2], translate=False)
"""


def test_a_run_killed_while_moving_outputs_is_finished_by_the_next_run(tmp_path, monkeypatch):
    import subprocess
    import sys

    from tests.support.outputs import without_timings

    src, out, _ = _run_then_change(tmp_path)
    reference = tmp_path / "reference"
    cleaner.run([str(src)], reference, translate=False)  # what the killed run would have made
    expected = without_timings(snapshot(reference))
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    killed = subprocess.run(
        [sys.executable, "-c", _KILLED_RUN, str(src), str(out), root], capture_output=True
    )
    assert killed.returncode == 9, killed.stderr.decode()
    # killed midway: the new clean text is in place, documents.jsonl is not
    assert not (out / "documents.jsonl").exists()

    # the next run on the folder fails before its own commit, but first finishes the move
    from cleaner.io import writers

    monkeypatch.setattr(writers.OutputWriter, "append_shard", _no_space)
    with pytest.raises(OSError):
        cleaner.run([str(src)], out, translate=False)
    found = without_timings(snapshot(out))
    # the killed run's outputs, whole (its report was never built: the earlier one is gone)
    assert found == {k: v for k, v in expected.items() if not k.startswith("report")}


# Root ignores permission bits through three capabilities; a child process that has dropped
# them from its bounding set (prctl PR_CAPBSET_DROP, so they do not come back at exec) is held
# to the bits like any user, and the directory's owner bits say "no writing".
_PR_CAPBSET_DROP = 24
_DAC_CAPS = (1, 2, 3)  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER


def _without_dac_override() -> None:
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    for cap in _DAC_CAPS:
        if libc.prctl(_PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def test_read_only_output_directory_is_a_clear_error(tmp_path):
    """A real read-only folder, as root too (CI runs as root): a separate `cleaner run` process
    that cannot override permission bits."""
    import subprocess
    import sys

    src = tmp_path / "p.txt"
    src.write_text(PAGE, encoding="utf-8")
    out = tmp_path / "ro"
    out.mkdir()
    out.chmod(0o555)
    exe = os.path.join(os.path.dirname(sys.executable), "cleaner")
    cmd = [exe, "run", str(src), "--out", str(out), "--no-translate"]
    as_root = os.geteuid() == 0
    try:
        proc = subprocess.run(
            cmd,
            capture_output=True,
            text=True,
            preexec_fn=_without_dac_override if as_root else None,
        )
    except subprocess.SubprocessError as e:  # pragma: no cover - a container without SETPCAP
        pytest.skip(f"root here cannot drop CAP_DAC_OVERRIDE for a child process ({e})")
    finally:
        out.chmod(0o755)
    assert proc.returncode == 1, proc.stderr
    assert proc.stderr == (
        f"cleaner: error: cannot write to output directory {out}: Permission denied\n"
    )
    assert list(out.iterdir()) == []
    # a file where the folder should be fails the same way, in the library
    blocked = tmp_path / "file"
    blocked.write_text("not a directory")
    with pytest.raises(CleanerError, match="cannot write to output directory"):
        cleaner.run([str(src)], blocked, translate=False)


def test_a_character_split_by_a_byte_width_wrap_is_put_back_together(tmp_path):
    # `fold -w 21` cuts UTF-8 bytes, not characters: "é" (C3 A9) of "République" ends up C3
    # at one line's end and A9 at the next line's start. It was taken for a text browser's
    # cut, mended into "à", and the next line read as cp1252 ("©publique"), then dropped by
    # the copyright rule
    data = b"Le pr\xc3\xa9sident de la R\xc3\n\xa9publique a d\xc3\xa9clar\xc3\xa9 hier.\n"
    text, encoding = decode_bytes(data)
    assert text == "Le président de la Ré\npublique a déclaré hier.\n"
    assert encoding == "utf-8 (1 character split by a line break joined)"
    # a cp1252 line ending in "É" above one starting with "•" (C9, a break, 95) is no split
    # character: it read "CAFɕ"; nor in a UTF-8 page, a cp1252 "SOCIÉTÉ" above "— Le
    # ministre", which read "SOCIÉTÉ—"
    assert decode_bytes(b"NOTRE CAF\xc9\n\x95 Ouvert tous les jours.\n") == (
        "NOTRE CAFÉ\n• Ouvert tous les jours.\n",
        "cp1252",
    )
    page = "Les élèves de l’école d’Orléans ont réussi leur année. ".encode() * 3
    assert decode_bytes(page + b"\nLA SOCI\xc9T\xc9\n\x97 Le ministre a parl\xe9.\n") == (
        page.decode() + "\nLA SOCIÉTÉ\n— Le ministre a parlé.\n",
        "utf-8 (2 lines read as cp1252)",
    )
    # nor "AU CAFÉ" above "» dit-il" there (C9 BB would be "ɻ", a letter of no script of it)
    assert decode_bytes(page + b"\nAU CAF\xc9\n\xbb dit-il.\n")[0].endswith("CAFÉ\n» dit-il.\n")
    # a lead byte before a break whose next line starts with no continuation byte is no split
    # (a text browser's cut: mended as before)
    assert decode_bytes(b"Il est all\xc3\xa9 voil\xc3\n   ce qu'il dit.\n")[0].startswith(
        "Il est allé voilà\n"
    )


def test_short_cp1252_text_is_not_read_as_rare_chinese(tmp_path):
    # charset detection guessed GB18030 for these: "Le pr閏閐ent", "M鑢e No雔" (each accented
    # letter and the letter after it one rare Chinese character), and the second record was
    # then dropped as a page in Chinese
    assert decode_bytes("Le précédent de 2009".encode("cp1252")) == (
        "Le précédent de 2009",
        "cp1252 (GB18030 guessed, but its Chinese characters are rare ones)",
    )
    (tmp_path / "p.jsonl").write_bytes(
        '{"id": "a", "text": "Mère Noël"}\n{"id": "b", "text": "été\\"Léa"}\n'.encode("cp1252")
    )
    first, second = read([tmp_path / "p.jsonl"])
    assert first.lines[0].text == "Mère Noël"
    # its escaped quote read right (GB18030 took the backslash into a character: not JSON)
    assert second.lines[0].text == 'été"Léa'
    # Chinese text in GB18030 is still read as such, with its rare characters too (a name,
    # a traditional form: in runs of Chinese, not inside Latin words)
    for zh in [
        "新华社报道，中国经济增长速度加快。",
        "李赟说",
        "之秋見",
        "Article : 繼訪文 (Taipei).",
    ]:
        assert decode_bytes(zh.encode("gb18030")) == (zh, "gb18030")


def test_text_no_encoding_fits_is_read_by_line_where_its_other_bytes_are_western(tmp_path):
    # a UTF-8 text too short to count as mostly UTF-8, with a line pasted from a Latin-1 page:
    # it was quarantined whole; read line by line, as a JSONL record of the same bytes is
    data = (
        b"Le pr\xc3\xa9sident a d\xc3\xa9clar\xc3\xa9 \xc3\xa0 la presse.\nIl a dit \xabnon\xbb.\n"
    )
    assert decode_bytes(data) == (
        "Le président a déclaré à la presse.\nIl a dit «non».\n",
        "utf-8 (1 line read as cp1252)",
    )
    # French in Mac Roman read as cp1252 would be "qualitŽ et sŽcuritŽ du r™le", Greek or
    # Russian in their code pages "Ï ðñùèõðïõñãüò": no such reading is made, the file is
    # quarantined
    for data in [
        "qualité et sécurité du rôle".encode("mac_roman"),
        "Η πρωθυπουργός είπε ότι η κυβέρνηση θα στηρίξει τους αγρότες.".encode("cp1253"),
        "Президент заявил, что правительство поддержит фермеров.".encode("koi8_r"),
        # a file of one single-byte code page that detection finds nothing for stays out,
        # as before (Hungarian in Latin-2 read as cp1252: "Árvíztûrõ")
        "Árvíztűrő tükörfúrógép".encode("iso8859_2"),
    ]:
        with pytest.raises(DecodeError) as e:
            decode_bytes(data)
        assert e.value.reason == "undecodable"


def test_wide_encodings_by_their_byte_order_marks():
    text = "Le président a déclaré à la presse.\n" * 3
    assert decode_bytes(text.encode("utf-32")) == (text, "utf-32")  # it was read as UTF-16
    # cut short by a byte: it was called binary content
    with pytest.raises(DecodeError) as e:
        decode_bytes(text.encode("utf-16")[:-1])
    assert (e.value.reason, str(e.value)) == (
        "undecodable",
        "starts with a UTF-16 byte-order mark but is not valid UTF-16 (cut short?)",
    )
    # without a mark it stays binary, and the message says what it may be
    with pytest.raises(DecodeError) as e:
        decode_bytes(text.encode("utf-16-le"))
    assert e.value.reason == "binary_content"
    assert "UTF-16 without a byte-order mark?" in str(e.value)
