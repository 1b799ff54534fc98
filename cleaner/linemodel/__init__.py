"""The boilerplate line model: features of a page's lines, a logistic regression that scores
each line, and the page walk that decides them jointly (see :mod:`cleaner.stages.boilerplate_model`).
"""

from .decode import Walk, viterbi, viterbi_many
from .features import FEATURE_NAMES, page_features
from .model import LineModel

__all__ = ["FEATURE_NAMES", "LineModel", "Walk", "page_features", "viterbi", "viterbi_many"]
