"""The pipeline's stages, one job each, in the order they run."""

from .base import LineFilter, Stage
from .boilerplate import (
    BoilerplatePatternFilter,
    PatternLibrary,
    ScraperLeftoverFilter,
)
from .boilerplate_model import BoilerplateModelFilter
from .encoding import EncodingFixer
from .second_copy import SecondCopyFilter
from .site_templates import SiteTemplateFilter
from .stray_language import StrayLanguageDetector

__all__ = [
    "Stage",
    "LineFilter",
    "EncodingFixer",
    "SecondCopyFilter",
    "BoilerplatePatternFilter",
    "ScraperLeftoverFilter",
    "SiteTemplateFilter",
    "BoilerplateModelFilter",
    "PatternLibrary",
    "StrayLanguageDetector",
]
