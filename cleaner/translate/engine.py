"""CTranslate2 over installed Argos packages, batched across documents.

:class:`PackageModel` follows argostranslate's own ``translate()`` path step for step (the
package's tokenizer class, ``target_prefix``, ``replace_unknowns``, ``length_penalty=0.2``, one
hypothesis, the same decoding and clean-up of the output) so that, for the same package,
sentences and beam size, the output is identical to Argos's (a test asserts it). What differs is
the batching: Argos translates one paragraph at a time, in batches capped at 32 *tokens* (about
one sentence), with CTranslate2 threads that oversubscribe small machines; here every sentence of
many documents goes to CTranslate2 in one call, which sorts them by length and splits them into
batches of ``max_batch_size`` examples spread over ``inter_threads`` model replicas
(FIELD_NOTES: 21 vs 1.7 sentences/s at beam 4 on 2 cores).
"""

from __future__ import annotations

import math
import os
import re
from dataclasses import dataclass
from typing import Any

from ..errors import CleanerError, MissingDependencyError
from .packages import InstalledPackage

#: argostranslate's decoding constants (translate.py, ``apply_packaged_translation``).
ARGOS_LENGTH_PENALTY = 0.2
#: The most tokens of a text translated in one piece: a longer one (a long CJK fragment, a
#: sentence the splitter could not cut) is cut into pieces at its sentence ends, else at
#: spaces, translated, and joined. Argos cuts a text into sentences before translating; a text
#: given whole was cut off at CTranslate2's 256 output tokens (a 600-character Chinese
#: fragment came back as its first 273 characters of French, and nothing said so). 256 output
#: tokens (Argos's, kept: the output stays Argos's) are two for each input token of a piece.
#: Only a text whose translation reached them is translated again in pieces: any other stays
#: Argos's translation.
MAX_PIECE_TOKENS = 128
#: CTranslate2's (and so Argos's) most output tokens.
MAX_DECODING_LENGTH = 256
_SENTENCE_END = re.compile(r"(?<=[。！？；!?;.…])[」』”’）)\]]*\s*")


def available_cores() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


@dataclass(frozen=True)
class EngineSettings:
    """How CTranslate2 runs; everything that can change the output is in :meth:`signature`."""

    beam_size: int = 4
    device: str = "cpu"  # cpu, cuda or auto
    compute_type: str = "auto"
    #: Model replicas translating batches in parallel (0: one per core on CPU, 1 on GPU).
    inter_threads: int = 0
    #: Threads inside each replica (0: 1 on CPU — measured steadier than 2 OpenMP threads).
    intra_threads: int = 0
    max_batch_size: int = 32
    batch_type: str = "examples"

    def resolved(self) -> EngineSettings:
        device = self.device
        if device == "auto":
            device = "cuda" if _cuda_devices() > 0 and _cublas_loads() else "cpu"
        inter, intra = self.inter_threads, self.intra_threads
        if device == "cpu":
            inter = inter or available_cores()
            intra = intra or 1
        else:
            inter = inter or 1
        return EngineSettings(
            self.beam_size,
            device,
            self.compute_type,
            inter,
            intra,
            self.max_batch_size,
            self.batch_type,
        )

    def signature(self) -> str:
        """The settings that decide the output (threads and batching do not)."""
        return (
            f"beam={self.beam_size};lp={ARGOS_LENGTH_PENALTY};device={self.device};"
            f"ct={self.compute_type};pieces={MAX_PIECE_TOKENS}"
        )


def _cuda_devices() -> int:
    try:
        import ctranslate2
    except ImportError:  # pragma: no cover
        return 0
    try:
        return int(ctranslate2.get_cuda_device_count())
    except Exception:  # noqa: BLE001 - no CUDA runtime at all
        return 0


#: The cuBLAS that CTranslate2's PyPI wheels (4.x, built for CUDA 12) load at their first GPU
#: call. Measured on an H200 machine with only CUDA 13 installed: the GPU is visible, the model
#: loads, and the first translation fails with "Library libcublas.so.12 is not found".
CUBLAS = "libcublas.so.12"


def _cublas_loads() -> bool:
    import ctypes

    try:
        ctypes.CDLL(CUBLAS)
        return True
    except OSError:
        return False


def _gpu_error(error: Exception) -> CleanerError:
    return CleanerError(
        f"translation on the GPU failed: {error}. CTranslate2's wheels need CUDA 12's cuBLAS "
        f"({CUBLAS}): install it (`pip install nvidia-cublas-cu12` and add its lib folder to "
        "LD_LIBRARY_PATH), or run with --device cpu (or auto, which uses the GPU only when "
        "cuBLAS loads)"
    )


class PackageModel:
    """One installed Argos package, loaded once, translating lists of sentences."""

    def __init__(self, package: InstalledPackage, settings: EngineSettings) -> None:
        try:
            import ctranslate2
            from argostranslate.tokenizer import BPETokenizer, SentencePieceTokenizer
        except ImportError as e:  # pragma: no cover - both are dependencies
            raise MissingDependencyError(
                f"translation needs ctranslate2 and argostranslate ({e}); "
                "install them with `pip install argostranslate`"
            ) from None
        self.package = package
        self.settings = settings.resolved()
        s = self.settings
        self.tokenizer: Any
        if package.tokenizer_path.name == "bpe.model":
            self.tokenizer = BPETokenizer(
                package.tokenizer_path, package.from_code, package.to_code
            )
        else:
            self.tokenizer = SentencePieceTokenizer(package.tokenizer_path)
        try:
            self.translator = ctranslate2.Translator(
                str(package.path / "model"),
                device=s.device,
                compute_type=s.compute_type,
                inter_threads=s.inter_threads,
                intra_threads=s.intra_threads,
            )
        except (RuntimeError, ValueError) as e:
            if s.device == "cuda":
                raise _gpu_error(e) from None
            raise CleanerError(f"cannot load the model of package {package.name}: {e}") from None
        self.namespace = cache_namespace(package, self.settings)

    def translate(self, sentences: list[str]) -> list[str]:
        """Translate each sentence (already split; empty ones stay empty). One whose
        translation reached CTranslate2's 256 output tokens, and that holds more than
        :data:`MAX_PIECE_TOKENS` tokens, was cut off: it is translated again in pieces,
        joined by a space."""
        out, cut = self._translate(sentences)
        long = [i for i in cut if len(self._encode(sentences[i])) > MAX_PIECE_TOKENS]
        if not long:
            return out
        pieces: list[str] = []
        owner: list[int] = []
        for i in long:
            for piece in self._pieces(sentences[i]):
                pieces.append(piece)
                owner.append(i)
        parts: dict[int, list[str]] = {i: [] for i in long}
        for i, text in zip(owner, self._translate(pieces)[0], strict=True):
            if text:
                parts[i].append(text)
        for i in long:
            out[i] = " ".join(parts[i])
        return out

    def _pieces(self, text: str) -> list[str]:
        """``text`` in pieces of :data:`MAX_PIECE_TOKENS` tokens at the most: cut at its
        sentence ends, else at spaces, else anywhere (a long run of Chinese characters)."""
        out: list[str] = []
        current = ""
        for sentence in _sentences(text):
            joined = current + sentence
            if current and len(self._encode(joined)) > MAX_PIECE_TOKENS:
                out.append(current)
                joined = sentence
            current = joined
        out.append(current)
        return [p for piece in out for p in self._cut(piece)]

    def _cut(self, piece: str, depth: int = 0) -> list[str]:
        """A piece still too long (no sentence end in it) cut into equal stretches, at a space
        where there is one near; a stretch still too long (its tokens denser than the
        piece's) cut again."""
        n = math.ceil(len(self._encode(piece)) / MAX_PIECE_TOKENS)
        if n <= 1 or len(piece) < 2 or depth > 8:
            return [piece]
        size = math.ceil(len(piece) / n)
        out = []
        start = 0
        while start < len(piece):
            end = min(len(piece), start + size)
            space = piece.rfind(" ", start + size // 2, end) if end < len(piece) else -1
            end = space + 1 if space > 0 else end
            out.append(piece[start:end])
            start = end
        return [p for stretch in out for p in self._cut(stretch, depth + 1)]

    def _translate(self, sentences: list[str]) -> tuple[list[str], list[int]]:
        """The translations, and which of them reached :data:`MAX_DECODING_LENGTH` tokens."""
        todo = [i for i, s in enumerate(sentences) if s.strip()]
        out = [""] * len(sentences)
        cut: list[int] = []
        if not todo:
            return out, cut
        tokens = [self._encode(sentences[i]) for i in todo]
        prefix = self.package.target_prefix
        s = self.settings
        try:
            results = self.translator.translate_batch(
                tokens,
                target_prefix=[[prefix]] * len(tokens) if prefix else None,
                replace_unknowns=True,
                max_batch_size=s.max_batch_size,
                batch_type=s.batch_type,
                beam_size=s.beam_size,
                num_hypotheses=1,
                length_penalty=ARGOS_LENGTH_PENALTY,
            )
        except (RuntimeError, ValueError) as e:
            if s.device == "cuda":
                raise _gpu_error(e) from None
            raise CleanerError(
                f"the model of package {self.package.name} cannot translate: {e} "
                "(a damaged package? install it again)"
            ) from None
        for i, result in zip(todo, results, strict=True):
            out[i] = self.decode(result.hypotheses[0])
            if len(result.hypotheses[0]) >= MAX_DECODING_LENGTH - 1:
                cut.append(i)
        return out, cut

    def _encode(self, text: str) -> list[str]:
        """The tokenizer's pieces of ``text``; a tokenizer that cannot load (a damaged
        sentencepiece.model) is a one-line error naming the package."""
        try:
            return self.tokenizer.encode(text)
        except (RuntimeError, ValueError, OSError) as e:
            raise CleanerError(
                f"cannot load the tokenizer of package {self.package.name}: {e} "
                "(a damaged package? install it again)"
            ) from None

    def decode(self, pieces: list[str]) -> str:
        """argostranslate's clean-up of a hypothesis, to the letter."""
        value = self.tokenizer.decode(pieces)
        prefix = self.package.target_prefix
        if prefix and value.startswith(prefix):
            value = value[len(prefix) :]
        if value[:1] == " ":
            value = value[1:]
        return value


def _sentences(text: str) -> list[str]:
    """``text`` cut after each sentence end (its closing marks and spaces kept with it)."""
    out = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        if m.end() > start:
            out.append(text[start : m.end()])
            start = m.end()
    if start < len(text):
        out.append(text[start:])
    return out


def cache_namespace(package: InstalledPackage, settings: EngineSettings) -> str:
    """The cache namespace: the model file's identity and the output-deciding settings."""
    try:
        st = (package.path / "model" / "model.bin").stat()
        stamp = f"{st.st_size}:{st.st_mtime_ns}"
    except OSError:
        stamp = "?"
    return f"{package.id}|{stamp}|{settings.signature()}"
