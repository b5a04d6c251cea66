"""Type and range checks of single hyperparameter values, shared by ``[train]`` and ``values``."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from desktop_app.core.errors import SpaceError

if TYPE_CHECKING:
    from desktop_app.core.search.registry import HyperParameter


def as_number(value: Any, integer: bool, what: str, field: str) -> float | int:
    """``value`` as a finite float (or an int when ``integer``; 64.0 is accepted as 64).

    Booleans are refused: ``True`` is not a learning rate. ``what`` names the value in the
    message (e.g. ``"low"``).
    """
    noun = "a whole number" if integer else "a number"
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise SpaceError(field, f"{what} must be {noun} (got {value!r})")
    try:
        number = float(value)
    except OverflowError:
        raise SpaceError(field, f"{what} is too large (got {value!r})") from None
    if not math.isfinite(number):
        raise SpaceError(field, f"{what} must be a finite number (got {value!r})")
    if not integer:
        return number
    if isinstance(value, float) and not value.is_integer():
        raise SpaceError(field, f"{what} must be {noun} (got {value!r})")
    return int(value)


def in_domain(hp: HyperParameter, number: float) -> bool:
    """Whether ``number`` lies in the range the engine accepts for ``hp``."""
    if hp.minimum is not None and (
        number < hp.minimum or (hp.minimum_open and number == hp.minimum)
    ):
        return False
    return hp.maximum is None or not (
        number > hp.maximum or (hp.maximum_open and number == hp.maximum)
    )


def coerce(hp: HyperParameter, value: Any, field: str, what: str = "value") -> Any:
    """``value`` converted to ``hp``'s type and checked against its domain, else SpaceError."""
    if hp.kind == "choice":
        for choice in hp.choices:
            if type(value) is type(choice) and value == choice:
                return choice
        raise SpaceError(field, f"{what} must be {hp.describe_domain()} (got {value!r})")
    number = as_number(value, hp.kind == "int", what, field)
    if not in_domain(hp, number):
        raise SpaceError(field, f"{what} must be {hp.describe_domain()} (got {value!r})")
    return number
