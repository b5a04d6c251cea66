"""The registry of hyperparameters and validation of fixed [train] values."""

from __future__ import annotations

import pytest

from desktop_app.core.errors import SpaceError
from desktop_app.core.search import REGISTRY, validate_value

EXPECTED = {
    "learning_rate": ("float", "log", 0.01, 1),
    "lr_decay": ("float", "linear", 0.0, 3),
    "optimizer": ("choice", None, "adam", 3),
    "momentum": ("float", "reverse_log", 0.9, 2),
    "beta_1": ("float", "reverse_log", 0.9, 4),
    "beta_2": ("float", "reverse_log", 0.999, 4),
    "epsilon": ("float", "log", 1e-8, 4),
    "batch_size": ("int", "pow2", 64, 2),
    "hidden_units": ("int", "pow2", 64, 2),
    "hidden_layers": ("int", "linear", 2, 3),
    "activation": ("choice", None, "relu", 3),
    "batch_norm": ("choice", None, True, 3),
    "dropout": ("float", "linear", 0.0, 3),
    "l2": ("float", "log", 0.0, 3),
    "epochs": ("int", "linear", 20, 4),
}


def test_registry_has_exactly_the_engine_hyperparameters() -> None:
    assert set(REGISTRY) == set(EXPECTED)
    for name, (kind, scale, default, group) in EXPECTED.items():
        hp = REGISTRY[name]
        assert (hp.name, hp.kind, hp.default, hp.group) == (name, kind, default, group)
        assert (hp.scales[0] if hp.scales else None) == scale
        assert hp.help and "\n" not in hp.help
        assert f"group {group}" in hp.help


def test_registry_scales_choices_and_suggested_ranges() -> None:
    assert REGISTRY["batch_size"].scales == ("pow2", "linear", "log")
    assert REGISTRY["l2"].scales == ("log", "linear")
    assert REGISTRY["lr_decay"].scales == ("linear", "log")
    assert REGISTRY["optimizer"].choices == ("sgd", "momentum", "rmsprop", "adam")
    assert REGISTRY["activation"].choices == ("relu", "leaky_relu", "tanh", "sigmoid")
    assert REGISTRY["batch_norm"].choices == (True, False)
    for hp in REGISTRY.values():
        if hp.kind != "choice":
            assert hp.low < hp.high
            assert validate_value(hp.name, hp.low) == hp.low
        assert validate_value(hp.name, hp.default) == hp.default
        assert isinstance(hp.default, hp.value_type)


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [("batch_size", 64.0, 64), ("learning_rate", 1, 1.0), ("optimizer", "sgd", "sgd"),
     ("batch_norm", False, False), ("momentum", 0.0, 0.0), ("l2", 0, 0.0)],
)
def test_validate_value_converts(name: str, value: object, expected: object) -> None:
    got = validate_value(name, value)
    assert got == expected and type(got) is type(expected)


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("batch_size", True, "train.batch_size: value must be a whole number (got True)"),
        ("batch_size", 64.5, "train.batch_size: value must be a whole number (got 64.5)"),
        ("batch_size", 0,
         "train.batch_size: value must be a whole number in [1, 1,000,000] (got 0)"),
        ("learning_rate", 0.0, "train.learning_rate: value must be a number > 0 (got 0.0)"),
        ("learning_rate", "fast", "train.learning_rate: value must be a number (got 'fast')"),
        ("learning_rate", float("nan"), "value must be a finite number (got nan)"),
        ("momentum", 1.0, "train.momentum: value must be a number in [0, 1) (got 1.0)"),
        ("optimizer", "adagrad", "must be one of 'sgd', 'momentum', 'rmsprop', 'adam'"),
        ("batch_norm", 1, "train.batch_norm: value must be one of True, False (got 1)"),
        ("epochs", 10**400, "train.epochs: value is too large"),
        ("learning_rat", 0.1, "train.learning_rat: unknown hyperparameter 'learning_rat'; "
                              "did you mean learning_rate?"),
    ],
)
def test_validate_value_refuses_with_field_and_fix(name: str, value: object, message: str) -> None:
    with pytest.raises(SpaceError) as err:
        validate_value(name, value)
    assert err.value.field == f"train.{name}"
    assert message in str(err.value)


@pytest.mark.parametrize(
    ("name", "number", "inside"),
    [("learning_rate", 0.0, False), ("learning_rate", 1e-12, True), ("learning_rate", 1e9, True),
     ("momentum", 0.0, True), ("momentum", 0.999, True), ("momentum", 1.0, False),
     ("batch_size", 1, True), ("batch_size", 0, False), ("batch_size", 1_000_000, True),
     ("batch_size", 1_000_001, False), ("l2", -1e-9, False), ("l2", 0.0, True)],
)
def test_in_domain_honours_open_and_closed_bounds(name: str, number: float, inside: bool) -> None:
    assert REGISTRY[name].in_domain(number) is inside


def test_coerce_converts_or_names_what_is_wrong() -> None:
    assert REGISTRY["batch_size"].coerce(64.0, "params.batch_size") == 64
    assert REGISTRY["batch_norm"].coerce(False, "params.batch_norm") is False
    with pytest.raises(SpaceError) as err:
        REGISTRY["momentum"].coerce(1.0, "params.momentum", what="value 1.0")
    assert str(err.value) == "params.momentum: value 1.0 must be a number in [0, 1) (got 1.0)"
    with pytest.raises(SpaceError) as err:
        REGISTRY["activation"].coerce("elu", "params.activation", what="value 'elu'")
    assert str(err.value) == ("params.activation: value 'elu' must be one of 'relu', "
                              "'leaky_relu', 'tanh', 'sigmoid' (got 'elu')")
