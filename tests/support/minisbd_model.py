"""A tiny, hand-weighted MiniSBD sentence-boundary model, built offline.

argostranslate 1.11 splits sentences with MiniSBD. ``MiniSBDSentencizer`` uses the
first ``*.onnx`` file in ``<package_path>/minisbd/`` and otherwise *downloads* a
model, so an offline fake Argos package must ship such a file. This module writes
one from code, with the ``onnx`` helper API (``onnx`` is a build-time/test-time
dependency only; onnxruntime alone runs the result).

What minisbd feeds and reads (``minisbd.modules.inference.onnx_predict``):

* input ``units``    int64   ``[batch, seq]``    vocab id of each character
  (whitespace already mapped to ``" "``, runs of spaces collapsed, ``<PAD>`` = 0
  after the end of each paragraph; every row ends with at least one ``<PAD>``);
* input ``features`` float32 ``[batch, seq, n_feat]`` -- here ``n_feat`` = 0
  because the embedded config has ``feat_funcs: []``; the graph declares the input
  and ignores it;
* output 0 (named ``logits``) float32 ``[batch, seq, 5]``; minisbd takes the
  argmax per character: 0 = inside a token, 1 = token ends here, 2 = token and
  sentence end here, 3/4 = the same for multi-word tokens (never produced here).

Metadata (``custom_metadata_map``, read by ``minisbd.inference.create_session``):
``lang_code``, ``config`` (JSON), ``vocab`` (JSON state dict of
``minisbd.modules.vocab.Vocab``), ``lexicon`` (``null``) and ``rule`` (prose).

The rule the graph implements, per character ``c`` with next character ``n``
(``n`` is ``<PAD>`` past the end of the paragraph):

* class 2 (sentence end) when ``c`` is one of ``. ! ? …`` and ``n`` is a space or
  ``<PAD>``, or when ``c`` is one of the CJK full stops ``。 ！ ？`` (whatever ``n``);
* else class 1 (token end) when ``c`` is not a space and ``n`` is a space or ``<PAD>``;
* else class 0.

minisbd itself adds two things on top: a paragraph (text between blank lines)
always ends a sentence (it forces class 2 on the paragraph's last character),
and URLs/e-mail addresses are kept as single tokens (class 2 inside them is reset
to 0 by its regex pass, so ``www.example.com. Next`` still splits after ``.com.``).
So "Il est 3.5 fois plus grand." is one sentence, "Quoi ?! Non." is two,
"M. Dupont arrive." is two (no abbreviation list), and a ``.`` followed by a
closing quote (``« Oui. » Puis``) does not end the sentence at the quote but at
the ``.``, leaving ``»`` at the start of the next sentence.

The graph: Gather(embedding, units) and Gather(embedding, next_units) where
next_units = Pad(Slice(units, 1:), end=1, value=<PAD>); Concat -> [B, T, 8];
MatMul+Add -> Relu (3 hidden units: sentence-end AND gate, CJK stop, token-end
gate) -> MatMul+Add -> 5 logits. All weights are hand-set, integers.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

PAD = "<PAD>"
UNK = "<UNK>"

#: Characters that end a sentence when followed by whitespace or the end of text.
SENTENCE_END = (".", "!", "?", "…")
#: CJK full stops, which end a sentence whatever follows.
CJK_SENTENCE_END = ("。", "！", "？")

#: minisbd chunks paragraphs longer than max(1000, max_seqlen) characters and the
#: chunk end would look like the end of text to this model; the graph is cheap,
#: so make chunking practically never happen.
MAX_SEQLEN = 1_000_000

OPSET = 17
IR_VERSION = 8  # loadable by onnxruntime >= 1.14, not only by the newest

RULE = (
    "class 2 (sentence end) if the char is one of . ! ? \u2026 and the next char is a "
    "space or end of paragraph, or if the char is one of \u3002 \uff01 \uff1f; "
    "else class 1 (token end) if the char is not a space and the next char is a space "
    "or end of paragraph; else class 0. Classes 3/4 (MWT) are never produced."
)


def _vocab_units() -> list[str]:
    """Character units: PAD, UNK, then a fixed, ordered, duplicate-free list."""
    chars: list[str] = [" "]
    ranges = [
        (0x21, 0x7E),  # printable ASCII
        (0xA1, 0xFF),  # Latin-1 supplement (0xA0 NBSP is whitespace -> " ")
        (0x100, 0x17F),  # Latin Extended-A: œ Œ Ÿ and names (ł, š, č...)
        (0x2010, 0x2027),  # dashes, quotes ’ ‘ “ ”, bullet, …
        (0x2030, 0x203A),  # ‰ ′ ″ ‹ ›
    ]
    for lo, hi in ranges:
        chars.extend(chr(c) for c in range(lo, hi + 1))
    chars.extend(
        [
            "€",
            "№",
            "™",
            "ẞ",
            # CJK punctuation
            "。",
            "！",
            "？",
            "、",
            "，",
            "：",
            "；",
            "「",
            "」",
            "『",
            "』",
            "（",
            "）",
            "《",
            "》",
            "〈",
            "〉",
            "・",
        ]
    )
    seen: set[str] = set()
    units = [PAD, UNK]
    for ch in chars:
        # whitespace never reaches the vocab (minisbd maps it to " " first)
        if ch in seen or (ch != " " and ch.isspace()):
            continue
        seen.add(ch)
        units.append(ch)
    for ch in SENTENCE_END + CJK_SENTENCE_END:
        assert ch in seen, ch
    return units


def _config() -> dict:
    return {
        "skip_newline": False,
        "max_seqlen": MAX_SEQLEN,
        "no_ssplit": False,
        "batch_size": 32,
        "feat_funcs": [],
        "use_dictionary": False,
        "num_dict_feat": 0,
    }


def _weights(units: list[str]) -> dict[str, np.ndarray]:
    # Embedding columns: 0 sentence-end char, 1 CJK stop, 2 space, 3 <PAD>.
    emb = np.zeros((len(units), 4), dtype=np.float32)
    for i, u in enumerate(units):
        emb[i, 0] = u in SENTENCE_END
        emb[i, 1] = u in CJK_SENTENCE_END
        emb[i, 2] = u == " "
        emb[i, 3] = u == PAD
    # x = [cur(4), next(4)]; hidden = relu(x @ w1 + b1):
    #   h0 sentence end = relu(cur.end + next.space + next.pad - 1)   (AND)
    #   h1 CJK stop     = relu(cur.cjk)
    #   h2 token end    = relu(next.space + next.pad - cur.space - cur.pad)
    w1 = np.zeros((8, 3), dtype=np.float32)
    w1[0, 0] = w1[6, 0] = w1[7, 0] = 1.0
    w1[1, 1] = 1.0
    w1[6, 2] = w1[7, 2] = 1.0
    w1[2, 2] = w1[3, 2] = -1.0
    b1 = np.array([-1.0, 0.0, 0.0], dtype=np.float32)
    # logits = hidden @ w2 + b2: class 0 wins by default (0.5), a token end
    # scores 1, a sentence end 2 (beats the token end that comes with it).
    w2 = np.zeros((3, 5), dtype=np.float32)
    w2[0, 2] = 2.0
    w2[1, 2] = 2.0
    w2[2, 1] = 1.0
    b2 = np.array([0.5, 0.0, 0.0, -1.0, -1.0], dtype=np.float32)
    return {"embedding": emb, "w1": w1, "b1": b1, "w2": w2, "b2": b2}


def build_minisbd_model(path: Path, lang_code: str = "fr") -> Path:
    """Write a tiny MiniSBD ONNX sentence-boundary model to `path` and return it.

    The output is deterministic (same bytes for the same `lang_code`). See the
    module docstring for the exact splitting rule. Needs the ``onnx`` package.
    """
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    path = Path(path)
    units = _vocab_units()
    weights = _weights(units)
    int64_consts = {
        "one": np.array([1], dtype=np.int64),
        "big": np.array([np.iinfo(np.int64).max], dtype=np.int64),
        "pads": np.array([0, 0, 0, 1], dtype=np.int64),  # [b0, t0, b1, t1]
        "pad_id": np.array(units.index(PAD), dtype=np.int64),
    }
    initializers = [numpy_helper.from_array(v, name=k) for k, v in weights.items()]
    initializers += [numpy_helper.from_array(v, name=k) for k, v in int64_consts.items()]

    nodes = [
        # next_units[b, t] = units[b, t + 1], <PAD> past the end
        helper.make_node("Slice", ["units", "one", "big", "one"], ["units_tail"]),
        helper.make_node("Pad", ["units_tail", "pads", "pad_id"], ["next_units"]),
        helper.make_node("Gather", ["embedding", "units"], ["cur"], axis=0),
        helper.make_node("Gather", ["embedding", "next_units"], ["nxt"], axis=0),
        helper.make_node("Concat", ["cur", "nxt"], ["x"], axis=2),
        helper.make_node("MatMul", ["x", "w1"], ["h_pre"]),
        helper.make_node("Add", ["h_pre", "b1"], ["h_lin"]),
        helper.make_node("Relu", ["h_lin"], ["h"]),
        helper.make_node("MatMul", ["h", "w2"], ["out_pre"]),
        helper.make_node("Add", ["out_pre", "b2"], ["logits"]),
    ]
    graph = helper.make_graph(
        nodes,
        "minisbd_rule",
        inputs=[
            helper.make_tensor_value_info("units", TensorProto.INT64, ["batch", "seq"]),
            helper.make_tensor_value_info(
                "features", TensorProto.FLOAT, ["batch", "seq", "n_feat"]
            ),
        ],
        outputs=[helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["batch", "seq", 5])],
        initializer=initializers,
    )
    model = helper.make_model(
        graph,
        producer_name="cleaner-tests",
        opset_imports=[helper.make_opsetid("", OPSET)],
    )
    model.ir_version = IR_VERSION
    vocab_state = {
        "lang": lang_code,
        "idx": 0,
        "cutoff": 0,
        "lower": False,
        "_unit2id": {u: i for i, u in enumerate(units)},
        "_id2unit": units,
    }
    helper.set_model_props(
        model,
        {
            "lang_code": lang_code,
            "config": json.dumps(_config()),
            "vocab": json.dumps(vocab_state, ensure_ascii=False),
            "lexicon": "null",
            "rule": RULE,
        },
    )
    onnx.checker.check_model(model, full_check=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(model.SerializeToString())
    return path
