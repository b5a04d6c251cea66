"""Learning from a sweep (issue 14): hyperparameter importance with Optuna's evaluators,
narrowing the search to a selection, best-so-far history and value distributions, and what a
kept model does (confusion matrix, decision boundary). Numpy + Optuna, no Qt: the window's
analysis views and any script use the same functions."""

from desktop_app.core.analysis.compare import StudySeries, read_series
from desktop_app.core.analysis.history import best_so_far, edf
from desktop_app.core.analysis.importance import MIN_TRIALS, Importance, ImportanceModel
from desktop_app.core.analysis.model_view import (
    Boundary,
    ModelView,
    model_view,
    network_from_weights,
)
from desktop_app.core.analysis.narrow import narrow_space, narrowed_config

__all__ = [
    "MIN_TRIALS",
    "Boundary",
    "Importance",
    "ImportanceModel",
    "ModelView",
    "StudySeries",
    "best_so_far",
    "edf",
    "model_view",
    "narrow_space",
    "narrowed_config",
    "network_from_weights",
    "read_series",
]
