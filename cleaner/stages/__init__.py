"""The pipeline's stages, one job each, in the order they run."""

from .base import LineFilter, Stage
from .boilerplate import (
    BoilerplatePatternFilter,
    FrequentLineFilter,
    PatternLibrary,
    ScraperLeftoverFilter,
)
from .encoding import EncodingFixer
from .second_copy import SecondCopyFilter
from .stray_language import StrayLanguageDetector

__all__ = [
    "Stage",
    "LineFilter",
    "EncodingFixer",
    "SecondCopyFilter",
    "BoilerplatePatternFilter",
    "ScraperLeftoverFilter",
    "FrequentLineFilter",
    "PatternLibrary",
    "StrayLanguageDetector",
]
