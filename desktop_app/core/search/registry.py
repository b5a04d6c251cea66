"""The registry of tunable hyperparameters: type, default, sensible scales, help and importance.

Importance groups follow the course: 1 matters most (learning rate), 4 least (Adam's betas and
epsilon, which work well at 0.9, 0.999 and 1e-8). The window shows ``help`` as a tooltip and
uses ``low``/``high`` to prefill a new row; the config loader validates fixed ``[train]`` values
with :func:`validate_value`.
"""

from __future__ import annotations

import difflib
import math
from dataclasses import dataclass
from typing import Any

from desktop_app.core.errors import SpaceError


@dataclass(frozen=True)
class HyperParameter:
    """One tunable hyperparameter.

    ``scales`` lists the allowed scales, the first being the recommended one (empty for choice
    kinds). ``low``/``high`` suggest a range for a new search row. ``minimum``/``maximum`` bound
    every value the engine accepts (``*_open`` excludes the bound itself: momentum must stay
    below 1, a learning rate above 0); ``value_type`` is the Python type of a value.
    """

    name: str
    kind: str
    default: Any
    scales: tuple[str, ...]
    help: str
    group: int
    low: Any = None
    high: Any = None
    choices: tuple[Any, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    minimum_open: bool = False
    maximum_open: bool = False

    @property
    def value_type(self) -> type:
        """``float``, ``int``, ``str`` or ``bool``: the type every value is converted to."""
        if self.kind == "float":
            return float
        if self.kind == "int":
            return int
        return type(self.choices[0]) if self.choices else str

    def in_domain(self, number: float) -> bool:
        """Whether ``number`` lies in the range the engine accepts for this parameter."""
        if self.minimum is not None and (
            number < self.minimum or (self.minimum_open and number == self.minimum)
        ):
            return False
        return self.maximum is None or not (
            number > self.maximum or (self.maximum_open and number == self.maximum)
        )

    def coerce(self, value: Any, field: str, what: str = "value") -> Any:
        """``value`` converted to this parameter's type and checked against its domain.

        Shared by fixed ``[train]`` values and ``values`` lists; ``SpaceError(field)`` whose
        text starts with ``what`` (e.g. ``value 'x' must be one of ...``) otherwise.
        """
        if self.kind == "choice":
            for choice in self.choices:
                if type(value) is type(choice) and value == choice:
                    return choice
            raise SpaceError(field, f"{what} must be {self.describe_domain()} (got {value!r})")
        number = as_number(value, self.kind == "int", what, field)
        if not self.in_domain(number):
            raise SpaceError(field, f"{what} must be {self.describe_domain()} (got {value!r})")
        return number

    def describe_domain(self) -> str:
        """Human text of the allowed values, e.g. ``a number in [0, 1)``."""
        if self.kind == "choice":
            return "one of " + ", ".join(repr(c) for c in self.choices)
        noun = "a whole number" if self.kind == "int" else "a number"
        if self.minimum is None and self.maximum is None:
            return noun
        start = "(" if self.minimum_open else "["
        if self.maximum is not None:
            close = ")" if self.maximum_open else "]"
            return f"{noun} in {start}{_fmt(self.minimum)}, {_fmt(self.maximum)}{close}"
        return f"{noun} {'>' if self.minimum_open else '>='} {_fmt(self.minimum)}"


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


def _fmt(number: float | None) -> str:
    """``1000000`` as ``1,000,000``, other numbers as short as ``g`` makes them."""
    if number is not None and float(number).is_integer():
        return f"{int(number):,}"
    return f"{number:g}"


_F, _I, _C = "float", "int", "choice"
_ENTRIES = (
    HyperParameter("learning_rate", _F, 0.01, ("log",), "Step size of every update; tune it "
                   "first, on a log scale (group 1).", 1, 1e-4, 1.0, minimum=0.0,
                   minimum_open=True),
    HyperParameter("momentum", _F, 0.9, ("reverse_log",), "Weight of the running average of "
                   "gradients for the momentum optimizer (group 2).", 2, 0.8, 0.999,
                   minimum=0.0, maximum=1.0, maximum_open=True),
    HyperParameter("batch_size", _I, 64, ("pow2", "linear", "log"), "Examples per mini-batch "
                   "(group 2).", 2, 16, 512, minimum=1, maximum=1_000_000),
    HyperParameter("hidden_units", _I, 64, ("pow2", "linear", "log"), "Units in every hidden "
                   "layer (group 2).", 2, 16, 256, minimum=1, maximum=100_000),
    HyperParameter("hidden_layers", _I, 2, ("linear",), "Number of hidden layers (group 3).",
                   3, 1, 4, minimum=1, maximum=100),
    HyperParameter("lr_decay", _F, 0.0, ("linear", "log"), "Inverse-time decay rate: "
                   "alpha = alpha0 / (1 + rate * epoch); 0 keeps it constant (group 3).", 3,
                   0.0, 1.0, minimum=0.0),
    HyperParameter("optimizer", _C, "adam", (), "Update rule: sgd, momentum, rmsprop or adam "
                   "(group 3, our choice: it changes which other knobs matter).", 3,
                   choices=("sgd", "momentum", "rmsprop", "adam")),
    HyperParameter("activation", _C, "relu", (), "Activation of the hidden layers (group 3, "
                   "our choice).", 3, choices=("relu", "leaky_relu", "tanh", "sigmoid")),
    HyperParameter("batch_norm", _C, True, (), "Batch normalisation in the hidden layers "
                   "(group 3, our choice).", 3, choices=(True, False)),
    HyperParameter("dropout", _F, 0.0, ("linear",), "Fraction of hidden units dropped while "
                   "training (group 3, our choice).", 3, 0.0, 0.5, minimum=0.0, maximum=1.0,
                   maximum_open=True),
    HyperParameter("l2", _F, 0.0, ("log", "linear"), "L2 weight penalty lambda (group 3, our "
                   "choice).", 3, 1e-5, 1e-1, minimum=0.0),
    HyperParameter("epochs", _I, 20, ("linear",), "Passes over the training set (group 4, our "
                   "choice: usually fixed, with early stopping).", 4, 10, 100, minimum=1,
                   maximum=100_000),
    HyperParameter("beta_1", _F, 0.9, ("reverse_log",), "Adam's first-moment decay; 0.9 works "
                   "well (group 4).", 4, 0.8, 0.99, minimum=0.0, maximum=1.0, maximum_open=True),
    HyperParameter("beta_2", _F, 0.999, ("reverse_log",), "RMSprop/Adam second-moment decay; "
                   "0.999 works well (group 4).", 4, 0.99, 0.9999, minimum=0.0, maximum=1.0,
                   maximum_open=True),
    HyperParameter("epsilon", _F, 1e-8, ("log",), "RMSprop/Adam denominator guard; 1e-8 works "
                   "well (group 4).", 4, 1e-10, 1e-6, minimum=0.0,
                   minimum_open=True),
)

REGISTRY: dict[str, HyperParameter] = {hp.name: hp for hp in _ENTRIES}
"""Every hyperparameter the engine has, by name, most important group first."""


def lookup(name: object, field: str) -> HyperParameter:
    """The registry entry for ``name``; ``SpaceError`` naming close names if there is none."""
    if isinstance(name, str) and name in REGISTRY:
        return REGISTRY[name]
    close = difflib.get_close_matches(str(name), list(REGISTRY), n=3)
    hint = f"did you mean {', '.join(close)}?" if close else "known: " + ", ".join(REGISTRY)
    raise SpaceError(field, f"unknown hyperparameter {name!r}; {hint}")


OWN_GROUP = 0
"""The importance group of a hyperparameter of the user's own (the course gives it none)."""
_OWN_SCALES = ("linear", "log", "reverse_log", "pow2")


def own_hyperparameter(name: str, low: Any, high: Any, values: Any, scale: Any,
                       field: str) -> HyperParameter:
    """A hyperparameter of the user's own trainer, its kind read from the values given.

    ``values`` of numbers: ``int`` when all are whole ints, else ``float``; any other values
    (text, true/false, a mix): a choice among them. A range: ``int`` when ``low`` and ``high``
    are ints or the scale is ``pow2``, else ``float``; any of Caviar's scales is allowed
    (``linear`` by default), the scale itself refusing a range it is not defined on.
    """
    if values is not None:
        if isinstance(values, str | bytes) or not isinstance(values, list | tuple):
            raise SpaceError(field, "values must be a list such as [1, 2, 3] or [\"a\", \"b\"]")
        numbers = [v for v in values if isinstance(v, int | float) and not isinstance(v, bool)]
        if values and len(numbers) == len(values):
            kind = "int" if all(isinstance(v, int) for v in values) else "float"
            return HyperParameter(name, kind, None, _OWN_SCALES, _OWN_HELP, OWN_GROUP)
        return HyperParameter(name, "choice", None, (), _OWN_HELP, OWN_GROUP,
                              choices=tuple(values))
    ints = all(isinstance(v, int) and not isinstance(v, bool) for v in (low, high))
    kind = "int" if ints or scale == "pow2" else "float"
    return HyperParameter(name, kind, None, _OWN_SCALES if kind == "int" else _OWN_SCALES[:3],
                          _OWN_HELP, OWN_GROUP, low, high,
                          minimum=1 if scale == "pow2" else None)


_OWN_HELP = "Your own hyperparameter: your trainer gets it in params[name]."


def own_value(name: str, value: Any) -> Any:
    """A fixed ``[train]`` value of the user's own: a finite number, text or true/false."""
    field = f"train.{name}"
    if isinstance(value, bool | str):
        return value
    if isinstance(value, int | float):
        return as_number(value, isinstance(value, int), "value", field)
    raise SpaceError(field, f"must be a number, text or true/false (got {value!r})")


def validate_value(name: str, value: Any) -> Any:
    """A fixed ``[train]`` value converted to the parameter's type (64.0 -> 64 for ints).

    Raises ``SpaceError(field="train.<name>")`` naming the expected type or range.
    """
    field = f"train.{name}"
    return lookup(name, field).coerce(value, field)
