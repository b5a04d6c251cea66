"""build_model maps registry hyperparameters onto the engine."""

from __future__ import annotations

import pytest

from desktop_app.core.nn import Adam, Momentum, RMSprop, build_model
from desktop_app.core.search import REGISTRY

DEFAULTS = {name: hp.default for name, hp in REGISTRY.items()}


def test_architecture_follows_units_and_layers() -> None:
    hp = {**DEFAULTS, "hidden_units": 16, "hidden_layers": 3, "batch_norm": False}
    net, _ = build_model(hp, n_features=5, n_classes=4, seed=0)
    shapes = {k: v.shape for k, v in net.parameters().items() if k.startswith("W")}
    assert shapes == {"W1": (5, 16), "W2": (16, 16), "W3": (16, 16), "W4": (16, 4)}
    assert "b1" in net.parameters()
    assert net.parameters()["W1"].dtype.name == "float32"


@pytest.mark.parametrize(
    ("name", "cls", "attrs"),
    [
        ("adam", Adam, {"learning_rate": 0.02, "beta_1": 0.8, "beta_2": 0.99, "epsilon": 1e-7}),
        ("momentum", Momentum, {"learning_rate": 0.02, "momentum": 0.95}),
        ("rmsprop", RMSprop, {"learning_rate": 0.02, "beta_2": 0.99, "epsilon": 1e-7}),
    ],
)
def test_each_optimizer_gets_its_own_hyperparameters(name: str, cls: type, attrs: dict) -> None:
    hp = {**DEFAULTS, "optimizer": name, "learning_rate": 0.02, "beta_1": 0.8, "beta_2": 0.99,
          "epsilon": 1e-7, "momentum": 0.95}
    _, optimizer = build_model(hp, n_features=2, n_classes=3, seed=0)
    assert isinstance(optimizer, cls)
    for attr, value in attrs.items():
        assert getattr(optimizer, attr) == pytest.approx(value)
