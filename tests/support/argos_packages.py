"""Build small, exact Argos Translate packages offline, for tests and benchmarks.

Real Argos models cannot be downloaded here, so the tests build their own ``.argosmodel`` files:
a SentencePiece model trained on a few sentences, and a CTranslate2 Transformer written from
numpy (no torch, no network) whose weights are set by hand so that it "translates" by copying
its input piece by piece, replacing the pieces named in a mapping::

    output pieces = [mapping.get(p, p) for p in input pieces]      (then </s>)

It does so exactly, at int8 and float32, greedy and beam search (as long as unknown pieces are
restored with ``replace_unknowns=True``, as Argos does), for inputs up to ``MAX_POSITIONS - 1``
pieces; CTranslate2 itself stops at 256 output tokens unless given ``max_decoding_length``.

Mapping convention
------------------
Keys and values are SentencePiece *pieces*, as ``SentencePieceProcessor.encode(s, out_type=str)``
returns them. Every key, value and the ``target_prefix`` becomes a SentencePiece
``user_defined_symbol``, so it is always one piece: it is cut out of the text wherever it occurs,
even inside a word, longest match first.

* ``"▁"`` (U+2581) at the start of a piece means "a word starts here". Use it on French or
  English keys (``"▁le"`` matches the word "le" but not the "le" in "belle"; it still matches
  the start of "lequel" -> "thequel") and on values that must be preceded by a space when decoded
  (``"▁former"``).
* Chinese has no spaces: use bare keys (``"前"``, ``"首席执行官"``). "前首席执行官" is encoded as
  ``["▁", "前", "首席执行官"]``; with ``{"前": "▁former", "首席执行官": "▁chief"}`` the output
  ``["▁", "▁former", "▁chief"]`` decodes to "former chief". After a space the "▁" piece is
  kept too, so "x 前" comes out as "x  former" (two spaces).
* A value may hold several words joined by ``"▁"`` (``"▁chief▁executive"``): it is still one piece.
* Pieces are matched after SentencePiece's ``nmt_nfkc`` normalisation (as in real Argos models),
  so keys should be NFKC-normal, and copied text comes back NFKC-normalised with runs of spaces
  collapsed. Matching is case-sensitive: map ``"▁Le"`` too if you need it.
* A ``target_prefix`` must not contain ``"_"`` or ``"▁"`` (e.g. ``"<2en>"``): Argos replaces both
  with spaces before it tries to strip the prefix from the decoded text.

How the model copies
--------------------
The residual stream of width ``d_model`` is split into content dimensions, position dimensions
and two "sink" dimensions. Content and positions carry balanced ±1 codes (``w`` entries +1,
``w`` entries -1), so every hidden state has zero mean and a fixed norm and each LayerNorm is a
fixed rescaling. Two different codes overlap by at most ``2w - 1`` against ``2w``, which leaves a
fixed margin in every dot product. All weights are zero except:

* source embedding of piece ``s`` = content code of ``mapping.get(s, s)``; the position tables
  hold the position codes (the decoder's is shifted by one when there is a target prefix);
* the last decoder layer's cross-attention: every head's queries and keys are the position codes,
  so target step ``t`` attends to source position ``t`` (score gap ``ATTENTION_GAP``) and the
  values carry the content code over;
* the output projection: row ``v`` is the content code of ``v`` (logit gap ``LOGIT_GAP``; the
  padding rows are zero).

End of sentence: the config sets ``add_source_eos``, so CTranslate2 appends ``</s>`` to the
source. Its embedding is a huge ±``SINK_NORM`` pair in the sink dimensions, so after LayerNorm
its position code is ~0 and a query bias makes *every* target step score it half a gap below an
exact position match. The step after the last piece therefore copies ``</s>``, and so does any
beam that wandered past the end: all beams finish together, as with a real model. (Without this,
beam search with ``beam_size`` 4 keeps decoding the losing beams up to ``max_decoding_length``,
256 tokens, and ran 6-9x slower in a measurement at the benchmark size.)

Unknown pieces become ``<unk>``, which is copied like any piece; ``replace_unknowns=True`` (as
Argos calls ``translate_batch``) then puts the source piece back, because head 0 of the last
layer (CTranslate2's alignment head) attends exactly to it.

int8: every non-zero weight in a row has the same magnitude, so per-row quantisation is exact,
and no row has two non-zero weights in one aligned column pair (see ``_balanced_codes``).

Random weights
--------------
A copy model's beams all score about 0, so it translates the same whatever the decoding settings:
a test comparing two decoders on it cannot see a difference in length penalty, beam handling,
``replace_unknowns`` or target prefix. ``PackageSpec(random_seed=N)`` builds a Transformer whose
every weight is drawn from a seeded normal distribution instead (same seed, same bytes), with a
bias on the output projection so that hypotheses end after some ten tokens
(``RANDOM_EOS_BIAS``) and ``<unk>`` is produced now and then (``RANDOM_UNK_BIAS``). Its output
is gibberish made of the vocabulary's pieces, but it depends on the input, the beam size, the
length penalty, the target prefix and whether unknown pieces are restored, and its beams differ
in score by whole units (``tests/test_argos_equality.py`` shows each).
"""

from __future__ import annotations

import io
import itertools
import json
import math
import shutil
import sys
import tempfile
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import numpy as np
import sentencepiece as spm

__all__ = [
    "MAX_POSITIONS",
    "PackageSpec",
    "build_package",
    "package_name",
]

MAX_POSITIONS = 2048
"""Longest source (pieces, </s> included) and target (tokens, prefix included) supported."""

ATTENTION_GAP = 40.0
"""Cross-attention score gap between the aligned source position and any other one
(the source's </s> gets half of it)."""

SINK_NORM = 1000.0
"""Size of the </s> marker; LayerNorm then shrinks its position code to nothing."""

LOGIT_GAP = 30.0
"""Logit gap between the copied/mapped piece and any other vocabulary entry."""

RANDOM_EOS_BIAS = 3.5
"""Logit bias of </s> in a random-weights model: hypotheses end after a few to some 40 tokens."""

RANDOM_UNK_BIAS = 3.0
"""Logit bias of <unk> in a random-weights model, so that replace_unknowns has work to do."""

RANDOM_LOGIT_SCALE = 3.0
"""Standard deviation of a random-weights model's logits (before the biases)."""

RANDOM_TARGET_EMBEDDING = 0.3
RANDOM_CROSS_ATTENTION = 3.0
"""A random model's target embeddings are weak and its cross-attention output strong (relative
to a variance-preserving scale), so that what it writes depends on the source: with both at 1,
three of seven different sentences came out the same."""

DEFAULT_SENTENCEPIECE_VOCAB = 8000
"""SentencePiece vocabulary size asked for when ``vocab_size`` is not given (a soft limit:
a small corpus yields fewer pieces)."""

ARGOS_VERSION = "1.11.0"
"""Written as ``argos_version`` in metadata.json (the argostranslate version tested against)."""

SPECIAL_PIECES = ("<unk>", "<s>", "</s>")
"""SentencePiece ids 0-2, which are also CTranslate2's default unk/bos/eos tokens."""

LANGUAGE_NAMES = {
    "ar": "Arabic",
    "de": "German",
    "en": "English",
    "es": "Spanish",
    "fr": "French",
    "it": "Italian",
    "ja": "Japanese",
    "ko": "Korean",
    "nl": "Dutch",
    "pt": "Portuguese",
    "ru": "Russian",
    "zh": "Chinese",
    "zt": "Chinese (traditional)",
}

_ZIP_DATE = (1980, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class PackageSpec:
    """What to build. Only the language codes are required; the defaults give a tiny package
    (d_model 32, one layer each side) that builds in about a second.

    For benchmarks, a Transformer-base-sized model::

        PackageSpec("fr", "en", d_model=512, encoder_layers=6, decoder_layers=6,
                    ffn=2048, heads=8, vocab_size=32000)
    """

    from_code: str
    to_code: str
    mapping: Mapping[str, str] = field(default_factory=dict)
    """Source piece -> target piece; every other piece is copied unchanged (see module doc)."""
    package_version: str = "1.0"
    d_model: int = 32
    encoder_layers: int = 1
    decoder_layers: int = 1
    ffn: int = 64
    heads: int = 2
    vocab_size: int | None = None
    """Pad the CTranslate2 vocabulary with never-produced dummy tokens up to this size; it is
    also the (soft) SentencePiece vocabulary size asked for. None: no padding, and
    ``DEFAULT_SENTENCEPIECE_VOCAB`` pieces at most."""
    quantization: str = "int8"
    """CTranslate2 weight type: int8, int8_float32, int16, float32, float16, ..."""
    sbd_model: Path | None = None
    """If given, copied into the package as ``minisbd/<from_code>.onnx``."""
    target_prefix: str = ""
    """Written to metadata.json; Argos then forces it as the first target token."""
    random_seed: int | None = None
    """If given, the weights are random (seeded) instead of copying: see "Random weights" in
    the module doc. ``mapping`` must then be empty."""

    def __hash__(self) -> int:  # the mapping is a dict; hash its items so specs can key a cache
        values = (getattr(self, f.name) for f in fields(self))
        return hash(tuple(tuple(v.items()) if isinstance(v, Mapping) else v for v in values))

    @property
    def name(self) -> str:
        """Folder and file name, like real packages: ``translate-zh_en-1_0``."""
        return package_name(self.from_code, self.to_code, self.package_version)


def package_name(from_code: str, to_code: str, package_version: str) -> str:
    """The name Argos' own packages use, e.g. ``translate-en_fr-1_9``."""
    return f"translate-{from_code}_{to_code}-{package_version.replace('.', '_')}"


def build_package(spec: PackageSpec, dest_dir: Path, corpus: Iterable[str]) -> Path:
    """Train a SentencePiece model on `corpus` (plus the mapping's keys/values, forced to be
    single pieces), write a CTranslate2 model whose greedy and beam output, for any tokenized
    input, is the input's pieces with each piece replaced by ``mapping.get(piece, piece)``,
    same length, then ``</s>``; zip it in the ``.argosmodel`` layout and return the path of
    ``dest_dir/<name>.argosmodel``.

    The archive holds one folder ``<name>/`` with metadata.json, README.md, model/ (config.json,
    model.bin, shared_vocabulary.json), sentencepiece.model and, if ``spec.sbd_model`` is set,
    minisbd/<from_code>.onnx. Same spec and corpus give byte-identical archives.
    """
    _check_spec(spec)
    sentences = [line for line in corpus if line.strip()]
    if not sentences:
        raise ValueError("corpus is empty: SentencePiece needs some text to train on")

    sp_model = _train_sentencepiece(spec, sentences)
    pieces = _load_pieces(sp_model)
    missing = [p for p in _forced_pieces(spec) if p not in pieces]
    if missing:  # pragma: no cover - SentencePiece keeps every user-defined symbol
        raise RuntimeError(f"SentencePiece dropped forced pieces: {missing}")

    dest_dir = Path(dest_dir)
    dest_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="argos-package-") as tmp:
        root = Path(tmp) / spec.name
        (root / "model").mkdir(parents=True)
        if spec.random_seed is None:
            _write_ctranslate2_model(spec, pieces, root / "model")
        else:
            _write_random_model(spec, pieces, root / "model")
        (root / "sentencepiece.model").write_bytes(sp_model)
        (root / "metadata.json").write_text(_metadata_json(spec), encoding="utf-8")
        (root / "README.md").write_text(_readme(spec), encoding="utf-8")
        if spec.sbd_model is not None:
            (root / "minisbd").mkdir()
            shutil.copyfile(spec.sbd_model, root / "minisbd" / f"{spec.from_code}.onnx")
        archive = dest_dir / f"{spec.name}.argosmodel"
        _zip_deterministic(root, archive)
    return archive


# --- checks ---------------------------------------------------------------------------------


def _forced_pieces(spec: PackageSpec) -> list[str]:
    """Mapping keys and values and the target prefix, in a stable order, without duplicates."""
    forced = [*spec.mapping.keys(), *spec.mapping.values()]
    if spec.target_prefix:
        forced.append(spec.target_prefix)
    return list(dict.fromkeys(forced))


def _check_spec(spec: PackageSpec) -> None:
    for piece in _forced_pieces(spec):
        if not piece or piece in SPECIAL_PIECES or any(c.isspace() for c in piece):
            raise ValueError(
                f"mapping pieces and target_prefix must be non-empty, contain no whitespace "
                f"(use '▁') and not be {SPECIAL_PIECES}: got {piece!r}"
            )
    if spec.target_prefix and ("_" in spec.target_prefix or "▁" in spec.target_prefix):
        raise ValueError(
            f"target_prefix {spec.target_prefix!r} contains '_' or '▁': Argos turns them into "
            "spaces before stripping the prefix, so it would stay in the translation"
        )
    if spec.random_seed is not None and spec.mapping:
        raise ValueError("a random-weights model maps nothing: leave mapping empty")
    if spec.d_model % spec.heads:
        raise ValueError(f"d_model {spec.d_model} is not a multiple of heads {spec.heads}")
    if min(spec.encoder_layers, spec.decoder_layers, spec.ffn, spec.heads) < 1:
        raise ValueError("layers, ffn and heads must be at least 1")
    if spec.sbd_model is not None and not Path(spec.sbd_model).is_file():
        raise ValueError(f"sbd_model {spec.sbd_model} is not a file")


# --- SentencePiece --------------------------------------------------------------------------


def _train_sentencepiece(spec: PackageSpec, sentences: list[str]) -> bytes:
    """A unigram model like Argos' own; one thread so that training is deterministic."""
    model = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(sentences),
        model_writer=model,
        model_type="unigram",
        vocab_size=spec.vocab_size or DEFAULT_SENTENCEPIECE_VOCAB,
        hard_vocab_limit=False,  # a few sentences cannot fill thousands of pieces
        character_coverage=1.0,  # keep every Han character as a piece
        user_defined_symbols=_forced_pieces(spec),
        unk_id=0,
        bos_id=1,
        eos_id=2,
        pad_id=-1,
        num_threads=1,
        minloglevel=2,
    )
    return model.getvalue()


def _load_pieces(sp_model: bytes) -> list[str]:
    processor = spm.SentencePieceProcessor(model_proto=sp_model)
    pieces = [processor.id_to_piece(i) for i in range(processor.get_piece_size())]
    assert tuple(pieces[:3]) == SPECIAL_PIECES, pieces[:3]
    return pieces


# --- CTranslate2 model ----------------------------------------------------------------------


def _balanced_codes(dims: int, count: int) -> tuple[np.ndarray, int]:
    """`count` distinct vectors in `dims` dimensions, each with `w` entries +1, `w` entries -1
    and zeros elsewhere, for the smallest `w` that gives enough of them. Distinct codes have a
    dot product of at most ``2w - 1`` against ``2w`` with themselves.

    No code uses both dimensions of an aligned pair (2k, 2k+1): int8 GEMM on CPUs without VNNI
    (AVX2 ``vpmaddubsw``) adds u8*s8 products pairwise into a saturating int16, so two full-scale
    weights side by side in one row overflow and the projection picks the wrong token.
    """
    slots = dims // 2
    for weight in range(1, slots // 2 + 1):
        capacity = math.comb(slots, weight) * math.comb(slots - weight, weight) * 4**weight
        if capacity < count:
            continue
        codes = np.zeros((count, dims), dtype=np.float32)
        rows = itertools.islice(_slot_codes(slots, weight), count)
        for row, (plus, minus) in enumerate(rows):
            codes[row, plus] = 1.0
            codes[row, minus] = -1.0
        return codes, weight
    raise ValueError(f"cannot fit {count} distinct codes in {dims} dimensions")


def _slot_codes(slots: int, weight: int) -> Iterable[tuple[list[int], list[int]]]:
    """(plus dims, minus dims): `weight` slots of each sign, one dimension of each slot."""
    for plus in itertools.combinations(range(slots), weight):
        rest = [s for s in range(slots) if s not in plus]
        for minus in itertools.combinations(rest, weight):
            chosen = plus + minus
            for halves in itertools.product((0, 1), repeat=2 * weight):
                dims = [2 * slot + half for slot, half in zip(chosen, halves, strict=True)]
                yield dims[:weight], dims[weight:]


def _import_specs() -> Any:
    """Import ``ctranslate2.specs`` without letting it import torch (it does when torch is
    installed, which costs ~3 s and is never needed for numpy weights)."""
    if "ctranslate2.specs" in sys.modules or "torch" in sys.modules:
        import ctranslate2.specs

        return ctranslate2.specs
    sys.modules["torch"] = None  # type: ignore[assignment]  # makes `import torch` fail
    try:
        import ctranslate2.specs
    finally:
        del sys.modules["torch"]
    return ctranslate2.specs


def _write_ctranslate2_model(spec: PackageSpec, pieces: list[str], out_dir: Path) -> None:
    specs = _import_specs()
    d_model, head_dim = spec.d_model, spec.d_model // spec.heads
    index = {piece: i for i, piece in enumerate(pieces)}

    # Residual stream: [content | positions | sink+ sink-]. One head's query/key slice holds the
    # position code plus one sink dimension.
    pos_dims = min(head_dim - 1, (d_model - 2) // 2)
    content_dims = d_model - pos_dims - 2
    if pos_dims < 4 or content_dims < 4:
        raise ValueError(f"d_model {d_model} with {spec.heads} heads is too small")
    try:
        content, content_w = _balanced_codes(content_dims, len(pieces))
    except ValueError:
        raise ValueError(
            f"{len(pieces)} SentencePiece pieces do not fit in a d_model {d_model} model: "
            "use a larger d_model (64 holds millions) or a smaller vocab_size"
        ) from None
    positions, pos_w = _balanced_codes(pos_dims, MAX_POSITIONS)
    content_slice = slice(0, content_dims)
    pos_slice = slice(content_dims, content_dims + pos_dims)
    sink = content_dims + pos_dims  # +SINK_NORM here and -SINK_NORM at sink + 1, on </s> only
    eos = index["</s>"]

    padding = [f"<unused{i:05d}>" for i in range(max(0, (spec.vocab_size or 0) - len(pieces)))]
    vocabulary = pieces + padding
    vocab_size = len(vocabulary)

    # Hidden states have mean 0 and a fixed norm, so LayerNorm(x) = x / std.
    std_memory = math.sqrt((2 * content_w + 2 * pos_w) / d_model)  # pieces; also decoder output
    std_query = math.sqrt(2 * pos_w / d_model)  # decoder input: position code only
    std_eos = math.sqrt((2 * pos_w + 2 * SINK_NORM**2) / d_model)
    eos_sink = SINK_NORM / std_eos  # the </s> memory's sink value (its position part is ~0)

    def zeros(*shape: int) -> np.ndarray:
        return np.zeros(shape, dtype=np.float32)

    def layer_norm(ln: Any, gamma: np.ndarray | None = None) -> None:
        ln.gamma = np.ones(d_model, dtype=np.float32) if gamma is None else gamma
        ln.beta = zeros(d_model)

    def position_table(shift: int) -> np.ndarray:
        table = zeros(MAX_POSITIONS, d_model)
        table[:, pos_slice] = positions[np.maximum(np.arange(MAX_POSITIONS) - shift, 0)]
        return table

    model = specs.TransformerSpec.from_config(
        (spec.encoder_layers, spec.decoder_layers), spec.heads
    )
    model.config.add_source_eos = True  # the source's </s> is what the last step copies

    encoder, decoder = model.encoder, model.decoder
    source = zeros(vocab_size, d_model)
    source[: len(pieces), content_slice] = content[[index[spec.mapping.get(p, p)] for p in pieces]]
    source[eos] = 0.0
    source[eos, sink], source[eos, sink + 1] = SINK_NORM, -SINK_NORM
    encoder.embeddings[0].weight = source / math.sqrt(d_model)  # CTranslate2 scales by sqrt(d)
    encoder.position_encodings.encodings = position_table(0)
    for layer in encoder.layer:
        _set_zero_attention(layer.self_attention, d_model, layer_norm)
        _set_zero_ffn(layer.ffn, d_model, spec.ffn, layer_norm)
    layer_norm(encoder.layer_norm)

    decoder.embeddings.weight = zeros(vocab_size, d_model)
    decoder.position_encodings.encodings = position_table(1 if spec.target_prefix else 0)
    for layer in decoder.layer:
        _set_zero_attention(layer.self_attention, d_model, layer_norm)
        _set_zero_ffn(layer.ffn, d_model, spec.ffn, layer_norm)
        layer_norm(layer.attention.layer_norm)
        layer.attention.linear[0].weight = zeros(d_model, d_model)
        layer.attention.linear[1].weight = zeros(2 * d_model, d_model)
        layer.attention.linear[2].weight = zeros(d_model, d_model)

    # The last layer's cross-attention does the copying (CTranslate2 also reads its first head
    # for replace_unknowns). Scores are (q . k) / sqrt(head_dim): each unit of position-code
    # overlap is worth ATTENTION_GAP, and </s> scores half a unit below an exact match for every
    # query, so steps past the end of the source read </s> too and every beam ends there.
    attention = decoder.layer[-1].attention
    query, query_bias = zeros(d_model, d_model), zeros(d_model)
    key_value, output = zeros(2 * d_model, d_model), zeros(d_model, d_model)
    query_scale = ATTENTION_GAP * math.sqrt(head_dim) * std_memory * std_query
    sink_bias = ATTENTION_GAP * (2 * pos_w - 0.5) * math.sqrt(head_dim) / eos_sink
    for head in range(spec.heads):
        base = head * head_dim
        for i in range(pos_dims):
            query[base + i, content_dims + i] = query_scale
            key_value[base + i, content_dims + i] = 1.0
        query_bias[base + pos_dims] = sink_bias
        key_value[base + pos_dims, sink] = 1.0
    # the </s> value column sits alone in its (2k, 2k+1) column pair, see _balanced_codes
    sink_value = content_dims + content_dims % 2
    for j in range(content_dims):
        key_value[d_model + j, j] = std_memory  # value = content code
    key_value[d_model + sink_value, sink] = 1.0 / eos_sink  # value = 1 on </s>
    output[content_slice, content_slice] = np.eye(content_dims, dtype=np.float32)
    output[content_slice, sink_value] = content[eos]
    attention.linear[0].weight, attention.linear[0].bias = query, query_bias
    attention.linear[1].weight = key_value
    attention.linear[2].weight = output

    # The final norm sees [content code | position code]; keep only the content.
    final_gamma = zeros(d_model)
    final_gamma[content_slice] = 1.0
    layer_norm(decoder.layer_norm, final_gamma)
    projection = zeros(vocab_size, d_model)
    projection[: len(pieces), content_slice] = content * (LOGIT_GAP * std_memory)
    decoder.projection.weight = projection

    model.register_source_vocabulary(vocabulary)
    model.register_target_vocabulary(vocabulary)
    model.validate()
    # optimize() = _alias_variables() + _quantize(). Aliasing would make all the identical zero
    # matrices one shared variable, which no real model has: the benchmark-size model.bin would
    # shrink from 102 MB (like a real Transformer-base int8 model) to 58 MB, and memory use and
    # cache behaviour measured on it would flatter. (Speed measured the same within noise.)
    if hasattr(model, "_quantize"):
        model._quantize(spec.quantization)
    else:  # pragma: no cover - a CTranslate2 that renamed its private helper
        model.optimize(quantization=spec.quantization)
    model.save(str(out_dir))


def _write_random_model(spec: PackageSpec, pieces: list[str], out_dir: Path) -> None:
    """A Transformer with seeded normal weights (variance-preserving scales), and biases on the
    output projection for </s> and <unk> (see the module doc)."""
    specs = _import_specs()
    rng = np.random.default_rng(spec.random_seed)
    d_model, ffn = spec.d_model, spec.ffn
    padding = [f"<unused{i:05d}>" for i in range(max(0, (spec.vocab_size or 0) - len(pieces)))]
    vocabulary = pieces + padding
    if spec.target_prefix and spec.target_prefix not in vocabulary:  # pragma: no cover
        raise RuntimeError("the target prefix is a forced piece: it must be in the vocabulary")
    vocab_size = len(vocabulary)

    def normal(rows: int, cols: int, std: float) -> np.ndarray:
        return (rng.standard_normal((rows, cols)) * std).astype(np.float32)

    def layer_norm(ln: Any) -> None:
        ln.gamma = np.ones(d_model, dtype=np.float32)
        ln.beta = np.zeros(d_model, dtype=np.float32)

    def self_attention_and_ffn(layer: Any) -> None:
        layer_norm(layer.self_attention.layer_norm)
        layer.self_attention.linear[0].weight = normal(3 * d_model, d_model, d_model**-0.5)
        layer.self_attention.linear[1].weight = normal(d_model, d_model, d_model**-0.5)
        layer_norm(layer.ffn.layer_norm)
        layer.ffn.linear_0.weight = normal(ffn, d_model, d_model**-0.5)
        layer.ffn.linear_1.weight = normal(d_model, ffn, ffn**-0.5)

    model = specs.TransformerSpec.from_config(
        (spec.encoder_layers, spec.decoder_layers), spec.heads
    )
    encoder, decoder = model.encoder, model.decoder
    encoder.embeddings[0].weight = normal(vocab_size, d_model, 1.0)
    encoder.position_encodings.encodings = normal(MAX_POSITIONS, d_model, 0.5)
    for layer in encoder.layer:
        self_attention_and_ffn(layer)
    layer_norm(encoder.layer_norm)
    decoder.embeddings.weight = normal(vocab_size, d_model, RANDOM_TARGET_EMBEDDING)
    decoder.position_encodings.encodings = normal(MAX_POSITIONS, d_model, 0.5)
    for layer in decoder.layer:
        self_attention_and_ffn(layer)
        layer_norm(layer.attention.layer_norm)
        layer.attention.linear[0].weight = normal(d_model, d_model, d_model**-0.5)
        layer.attention.linear[1].weight = normal(2 * d_model, d_model, d_model**-0.5)
        layer.attention.linear[2].weight = normal(
            d_model, d_model, RANDOM_CROSS_ATTENTION * d_model**-0.5
        )
    layer_norm(decoder.layer_norm)
    decoder.projection.weight = normal(vocab_size, d_model, RANDOM_LOGIT_SCALE * d_model**-0.5)
    bias = np.zeros(vocab_size, dtype=np.float32)
    bias[SPECIAL_PIECES.index("</s>")] = RANDOM_EOS_BIAS
    bias[SPECIAL_PIECES.index("<unk>")] = RANDOM_UNK_BIAS
    bias[len(pieces) :] = -1e4  # the padding is never produced
    decoder.projection.bias = bias

    model.register_source_vocabulary(vocabulary)
    model.register_target_vocabulary(vocabulary)
    model.validate()
    if hasattr(model, "_quantize"):  # see _write_ctranslate2_model
        model._quantize(spec.quantization)
    else:  # pragma: no cover
        model.optimize(quantization=spec.quantization)
    model.save(str(out_dir))


def _set_zero_attention(attention: Any, d_model: int, layer_norm: Any) -> None:
    layer_norm(attention.layer_norm)
    attention.linear[0].weight = np.zeros((3 * d_model, d_model), dtype=np.float32)
    attention.linear[1].weight = np.zeros((d_model, d_model), dtype=np.float32)


def _set_zero_ffn(ffn: Any, d_model: int, hidden: int, layer_norm: Any) -> None:
    layer_norm(ffn.layer_norm)
    ffn.linear_0.weight = np.zeros((hidden, d_model), dtype=np.float32)
    ffn.linear_1.weight = np.zeros((d_model, hidden), dtype=np.float32)


# --- package files --------------------------------------------------------------------------


def _metadata_json(spec: PackageSpec) -> str:
    metadata: dict[str, Any] = {
        "package_version": spec.package_version,
        "argos_version": ARGOS_VERSION,
        "type": "translate",
        "from_code": spec.from_code,
        "from_name": LANGUAGE_NAMES.get(spec.from_code, spec.from_code),
        "to_code": spec.to_code,
        "to_name": LANGUAGE_NAMES.get(spec.to_code, spec.to_code),
        "links": [],
    }
    if spec.target_prefix:
        metadata["target_prefix"] = spec.target_prefix
    return json.dumps(metadata, indent=2, ensure_ascii=False) + "\n"


def _readme(spec: PackageSpec) -> str:
    shape = (
        f"d_model {spec.d_model}, {spec.encoder_layers}+{spec.decoder_layers} layers, "
        f"ffn {spec.ffn}, {spec.heads} heads, {spec.quantization}"
    )
    what = (
        f"Its weights are random (seed {spec.random_seed})"
        if spec.random_seed is not None
        else f"It copies its input piece by piece and replaces {len(spec.mapping)} mapped pieces"
    )
    return (
        f"# {spec.name}\n\nSynthetic test package built by tests/support/argos_packages.py "
        f"({shape}). {what}; it is not a translation model.\n"
    )


def _zip_deterministic(root: Path, archive: Path) -> None:
    """Zip `root` as one top folder, sorted, with fixed dates and modes."""
    files = sorted(p for p in root.rglob("*") if p.is_file())
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for path in files:
            info = zipfile.ZipInfo(f"{root.name}/{path.relative_to(root).as_posix()}", _ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, path.read_bytes(), compresslevel=6)
