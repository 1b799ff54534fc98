"""The parallel corpus: sentences of the clean text, their translation, and the pair filters."""

from .filters import PairFilterStage, build_pair_filters
from .pairs import SentencePairer

__all__ = ["SentencePairer", "PairFilterStage", "build_pair_filters"]
