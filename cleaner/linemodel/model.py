"""The line model: a logistic regression over the line features, and the page walk.

Both are stored in one JSON file (the shipped one is ``cleaner/data/boilerplate_model.json``,
written by :mod:`cleaner.linemodel.train`): the feature names it was trained on, the
standardisation, the weights, the learnt weights of the words of short lines (the ``lexical``
feature adds them up, so its own weight is 1), the walk's transitions, and where the training
data came from. Scoring is numpy only: standardise, one dot product, the logistic function.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import ConfigError
from .decode import Walk
from .features import FEATURE_NAMES

FORMAT = "cleaner-line-model/1"
DEFAULT_MODEL = "data/boilerplate_model.json"


@dataclass(frozen=True)
class LineModel:
    """Article probability of a line from its features; the walk that decodes a page."""

    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float
    walk: Walk
    #: Learnt weight of each word of a short line (UTF-8 bytes, case-folded): the ``lexical``
    #: feature of a line is the sum of its words' weights.
    token_weights: dict[bytes, float] = field(default_factory=dict)
    #: Where the training data came from, how it scored: recorded in the manifest.
    about: dict[str, Any] = field(default_factory=dict)

    def probabilities(self, features: np.ndarray) -> np.ndarray:
        """Article probability of each row of ``features`` (columns :data:`FEATURE_NAMES`)."""
        # an elementwise product summed row by row, not a matrix product: BLAS gives a row's dot
        # product different last bits depending on the rows around it, and the outputs must
        # not depend on which documents share a batch (shard sizes, workers)
        scaled = np.subtract(features, self.mean)  # one temporary, worked in place
        scaled /= self.scale
        scaled *= self.coef
        z = scaled.sum(axis=1) + self.intercept
        return 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))

    def contributions(self, features: np.ndarray) -> np.ndarray:
        """What each feature adds to each row's log-odds of being an article line, against an
        average line (negative: towards chrome): the evidence given for a decision."""
        return (features - self.mean) / self.scale * self.coef

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "features": list(FEATURE_NAMES),
            "mean": self.mean.round(6).tolist(),
            "scale": self.scale.round(6).tolist(),
            "coef": self.coef.round(6).tolist(),
            "intercept": round(self.intercept, 6),
            "walk": self.walk.to_dict(),
            "words": {
                t.decode("utf-8"): round(w, 4) for t, w in sorted(self.token_weights.items())
            },
            "about": self.about,
        }

    def save(self, path: str | Path) -> None:
        """Write the model to ``path``: the old file or the new one, never half of one."""
        from ..execute.shards import write_atomic

        text = json.dumps(self.to_dict(), indent=1, ensure_ascii=False, sort_keys=True)
        write_atomic(Path(path), (text + "\n").encode("utf-8"))

    @classmethod
    def from_dict(cls, d: dict[str, Any], origin: str = "model") -> LineModel:
        if d.get("format") != FORMAT:
            raise ConfigError(f"{origin}: not a cleaner line model (format {d.get('format')!r})")
        if d.get("features") != list(FEATURE_NAMES):
            raise ConfigError(
                f"{origin}: trained on other features than this version of cleaner computes; "
                "retrain it (cleaner boilerplate train)"
            )
        try:
            scale = np.asarray(d["scale"], dtype=np.float64)
        except (KeyError, TypeError, ValueError) as e:
            raise ConfigError(f"{origin}: malformed line model: {e}") from None
        if not (scale > 0).all() or not np.isfinite(scale).all():
            raise ConfigError(f"{origin}: malformed line model: a feature's scale is not > 0")
        try:
            return cls(
                mean=np.asarray(d["mean"], dtype=np.float64),
                scale=scale,
                coef=np.asarray(d["coef"], dtype=np.float64),
                intercept=float(d["intercept"]),
                walk=Walk.from_dict(d["walk"]),
                token_weights={t.encode("utf-8"): float(w) for t, w in d.get("words", {}).items()},
                about=dict(d.get("about", {})),
            )
        except (KeyError, TypeError, ValueError) as e:
            raise ConfigError(f"{origin}: malformed line model: {e}") from None

    @classmethod
    def load(cls, path: str | Path | None = None) -> LineModel:
        """The model at ``path``, or the shipped one."""
        if path:
            try:
                text = Path(path).read_text(encoding="utf-8")
            except OSError as e:
                raise ConfigError(f"cannot read line model {path}: {e.strerror or e}") from None
            origin = str(path)
        else:
            text = resources.files("cleaner").joinpath(DEFAULT_MODEL).read_text("utf-8")
            origin = f"cleaner/{DEFAULT_MODEL}"
        try:
            data = json.loads(text)
        except json.JSONDecodeError as e:
            raise ConfigError(f"{origin}: not valid JSON: {e}") from None
        return cls.from_dict(data, origin)
