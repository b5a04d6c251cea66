"""Optimizer steps against hand-computed values; fast (flat) path equals the per-name path;
learning-rate schedules."""

from __future__ import annotations

import math

import numpy as np
import pytest

from desktop_app.core.errors import ConfigError
from desktop_app.core.nn import (
    OPTIMIZERS,
    SGD,
    Adam,
    ConstantLR,
    ExponentialDecay,
    InverseTimeDecay,
    Momentum,
    Network,
    RMSprop,
    StepDecay,
    make_optimizer,
    optimizers,
)


def run(opt, grads_seq, start=1.0):
    p = {"w": np.array([start])}
    for g in grads_seq:
        opt.step(p, {"w": np.array([g])})
    return float(p["w"][0])


def test_sgd_step() -> None:
    assert run(SGD(0.1), [0.5]) == pytest.approx(1.0 - 0.05, abs=1e-15)


def test_momentum_steps() -> None:
    # v1 = 0.1 * 0.5 = 0.05; w = 1 - 0.1 * 0.05; v2 = 0.9 * 0.05 + 0.1 * (-0.2) = 0.025
    assert run(Momentum(0.1, momentum=0.9), [0.5, -0.2]) == pytest.approx(
        1.0 - 0.1 * 0.05 - 0.1 * 0.025, abs=1e-15)


def test_rmsprop_steps() -> None:
    s1 = 0.001 * 0.25
    w1 = 1.0 - 0.1 * 0.5 / (math.sqrt(s1) + 0.01)
    s2 = 0.999 * s1 + 0.001 * 0.04
    w2 = w1 - 0.1 * -0.2 / (math.sqrt(s2) + 0.01)
    opt = RMSprop(0.1, beta_2=0.999, epsilon=0.01)
    assert run(opt, [0.5, -0.2]) == pytest.approx(w2, abs=1e-14)


def test_adam_bias_correction_and_epsilon_after_sqrt() -> None:
    lr, b1, b2, eps = 0.1, 0.9, 0.999, 0.1  # large epsilon so its placement shows
    # step 1: m_hat = g, v_hat = g^2 -> update = lr * 0.5 / (0.5 + eps)
    assert run(Adam(lr, epsilon=eps), [0.5]) == pytest.approx(1.0 - lr * 0.5 / 0.6, abs=1e-15)
    m = v = 0.0
    w = 1.0
    for t, g in enumerate([0.5, -0.2, 0.3], start=1):
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        w -= lr * (m / (1 - b1**t)) / (math.sqrt(v / (1 - b2**t)) + eps)
    assert run(Adam(lr, b1, b2, eps), [0.5, -0.2, 0.3]) == pytest.approx(w, abs=1e-14)


def test_learning_rate_is_a_plain_attribute() -> None:
    opt = SGD(0.1)
    opt.learning_rate = 0.2
    assert run(opt, [1.0]) == pytest.approx(0.8)


@pytest.mark.parametrize("name", OPTIMIZERS)
@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("block", [65536, 48])  # one block; many blocks (the large-net path)
def test_flat_fast_path_equals_per_name_path(name: str, dtype: str, block: int,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(optimizers, "BLOCK", block)
    rng = np.random.default_rng(0)
    X, y = rng.standard_normal((32, 4)), rng.integers(0, 3, 32)
    fast_net = Network(4, [6, 5], 3, seed=1, dtype=dtype)
    slow_net = Network(4, [6, 5], 3, seed=1, dtype=dtype)
    fast_opt = make_optimizer(name, learning_rate=0.01)
    slow_opt = make_optimizer(name, learning_rate=0.01)
    fast_params = fast_net.parameters()
    slow_params = dict(slow_net.parameters())  # a plain dict: per-name path
    for _ in range(3):
        _, g = fast_net.loss_and_gradients(X, y)
        assert fast_params.intact_flat() is not None and g.intact_flat() is not None
        fast_opt.step(fast_params, g)
        _, g = slow_net.loss_and_gradients(X, y)
        slow_opt.step(slow_params, dict(g))
    assert fast_params.flat.size > 3 * 48  # the small block splits the buffer
    for key, value in fast_net.parameters().items():
        np.testing.assert_array_equal(value, slow_params[key], err_msg=key)


@pytest.mark.parametrize("block", [65536, 48])
def test_the_flat_path_starts_fresh_moments_for_another_network(
    block: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The fast path is taken: its moments belong to one flat buffer (one optimizer per
    network), where the per-name path would carry momentum over from the first network."""
    monkeypatch.setattr(optimizers, "BLOCK", block)
    rng = np.random.default_rng(0)
    X, y = rng.standard_normal((32, 4)), rng.integers(0, 3, 32)

    def second_network_after(opt: Momentum | None) -> np.ndarray:
        if opt is not None:  # first a step of another network
            first = Network(4, [6, 5], 3, seed=1)
            opt.step(first.parameters(), first.loss_and_gradients(X, y)[1])
        net = Network(4, [6, 5], 3, seed=2)
        (opt or Momentum(0.1)).step(net.parameters(), net.loss_and_gradients(X, y)[1])
        return net.parameters().flat.copy()

    np.testing.assert_array_equal(second_network_after(Momentum(0.1)),
                                  second_network_after(None))


def test_replaced_entry_turns_the_fast_path_off() -> None:
    net = Network(2, [3], 2, batch_norm=False)
    params = net.parameters()
    _, grads = net.loss_and_gradients(np.ones((4, 2)), np.array([0, 1, 0, 1]))
    grads["W1"] = np.zeros_like(grads["W1"])  # e.g. a user freezing W1
    w1, w2, g2 = params["W1"].copy(), params["W2"].copy(), grads["W2"].copy()
    SGD(0.5).step(params, grads)
    np.testing.assert_array_equal(params["W1"], w1)
    np.testing.assert_allclose(params["W2"], w2 - 0.5 * g2, rtol=1e-15)


def test_make_optimizer_and_bad_values() -> None:
    assert isinstance(make_optimizer("adam", learning_rate=0.1, beta_1=0.8), Adam)
    with pytest.raises(ConfigError, match="optimizer"):
        make_optimizer("adagrad", learning_rate=0.1)
    with pytest.raises(ConfigError, match="learning_rate"):
        SGD(0.0)
    with pytest.raises(ConfigError, match="beta_2"):
        Adam(0.1, beta_2=1.0)
    with pytest.raises(ConfigError, match="optimizer"):
        make_optimizer("sgd", learning_rate=0.1, beta_1=0.9)


def test_schedules_exact_values() -> None:
    assert ConstantLR()(0.1, 7) == 0.1
    assert InverseTimeDecay(0.5)(0.1, 0) == 0.1
    assert InverseTimeDecay(0.5)(0.1, 4) == pytest.approx(0.1 / 3)
    assert ExponentialDecay(0.5)(0.2, 3) == pytest.approx(0.025)
    step = StepDecay(drop=0.5, every=10)
    assert [step(1.0, e) for e in (0, 9, 10, 19, 20)] == [1.0, 1.0, 0.5, 0.5, 0.25]
    with pytest.raises(ConfigError, match="every"):
        StepDecay(0.5, 0)
