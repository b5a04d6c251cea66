"""Finite-difference check of every parameter gradient (float64, central differences)."""

from __future__ import annotations

import numpy as np
import pytest

from desktop_app.core.nn import Network
from desktop_app.core.nn.activations import ACTIVATIONS


def numeric_gradients(net: Network, X: np.ndarray, y: np.ndarray,
                      h: float = 1e-6) -> dict[str, np.ndarray]:
    out = {}
    for name, p in net.parameters().items():
        g = np.zeros_like(p)
        for i in np.ndindex(p.shape):
            old = p[i]
            p[i] = old + h
            plus, _ = net.loss_and_gradients(X, y)
            p[i] = old - h
            minus, _ = net.loss_and_gradients(X, y)
            p[i] = old
            g[i] = (plus - minus) / (2 * h)
        out[name] = g
    return out


def relative_error(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.linalg.norm(a - b) / max(np.linalg.norm(a) + np.linalg.norm(b), 1e-12))


@pytest.mark.parametrize("activation", ACTIVATIONS)
@pytest.mark.parametrize("batch_norm", [True, False])
@pytest.mark.parametrize("l2", [0.0, 0.1])
def test_gradients_match_finite_differences(activation: str, batch_norm: bool, l2: float) -> None:
    rng = np.random.default_rng(1)
    X = rng.standard_normal((8, 3))
    y = rng.integers(0, 3, 8)
    net = Network(3, [5, 4], 3, batch_norm=batch_norm, activation=activation, l2=l2, seed=2)
    # non-trivial gamma/beta/b so their gradients are exercised away from the init values
    for name, p in net.parameters().items():
        if not name.startswith("W"):
            p += 0.3 * rng.standard_normal(p.shape)
    _, grads = net.loss_and_gradients(X, y)
    analytic = {k: v.copy() for k, v in grads.items()}
    numeric = numeric_gradients(net, X, y)
    assert analytic.keys() == numeric.keys() == net.parameters().keys()
    for name in analytic:
        assert np.abs(analytic[name]).max() > 0, name
        assert relative_error(analytic[name], numeric[name]) < 1e-6, name


def test_parameter_names_follow_layer_order() -> None:
    bn = Network(2, [4, 4], 3, batch_norm=True)
    assert list(bn.parameters()) == ["W1", "gamma1", "beta1", "W2", "gamma2", "beta2", "W3", "b3"]
    plain = Network(2, [4], 3, batch_norm=False)
    assert list(plain.parameters()) == ["W1", "b1", "W2", "b2"]
    assert plain.parameters()["W1"].shape == (2, 4)
