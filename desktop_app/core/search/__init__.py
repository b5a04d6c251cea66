"""Search spaces and strategies: the registry of hyperparameters, scales, spaces, samplers."""

from desktop_app.core.search.param import Param
from desktop_app.core.search.registry import (
    REGISTRY,
    HyperParameter,
    own_value,
    validate_value,
)
from desktop_app.core.search.scales import SCALES, Scale, scale_named
from desktop_app.core.search.space import MAX_GRID, SearchSpace, build_space
from desktop_app.core.search.strategy import (
    PRUNERS,
    STRATEGIES,
    Strategy,
    Suggestion,
    make_strategy,
)

__all__ = [
    "MAX_GRID",
    "PRUNERS",
    "REGISTRY",
    "SCALES",
    "STRATEGIES",
    "HyperParameter",
    "Param",
    "Scale",
    "SearchSpace",
    "Strategy",
    "Suggestion",
    "build_space",
    "make_strategy",
    "own_value",
    "scale_named",
    "validate_value",
]
