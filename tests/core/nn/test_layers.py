"""Batch norm, dropout, activations and the softmax + cross-entropy output."""

from __future__ import annotations

import numpy as np
import pytest

from desktop_app.core.nn.activations import ACTIVATIONS, make_activation
from desktop_app.core.nn.layers import BatchNorm, Dense, Dropout
from desktop_app.core.nn.loss import softmax, softmax_cross_entropy
from desktop_app.core.nn.params import FlatLayout


def bound(layer, dtype="float64"):
    """Bind a layer to fresh flat buffers, as the network does."""
    layout = FlatLayout(layer.param_shapes())
    params, grads = layout.views(layout.allocate(dtype)), layout.views(layout.allocate(dtype))
    layer.bind(params, grads)
    layer.init_params(np.random.default_rng(0))
    return params, grads


def test_batch_norm_normalises_in_training_mode() -> None:
    bn = BatchNorm(4, 1, momentum=0.9, epsilon=1e-5)
    params, _ = bound(bn)
    params["gamma1"][...] = [2.0, 0.5, 1.0, 3.0]
    params["beta1"][...] = [1.0, -1.0, 0.0, 5.0]
    z = np.random.default_rng(3).normal(7.0, 4.0, (256, 4))
    out = bn.forward(z, training=True)
    xhat = (out - params["beta1"]) / params["gamma1"]
    np.testing.assert_allclose(xhat.mean(axis=0), 0.0, atol=1e-12)
    var = z.var(axis=0)
    np.testing.assert_allclose(xhat.var(axis=0), var / (var + 1e-5), rtol=1e-12)


def test_batch_norm_running_average_update_and_inference() -> None:
    bn = BatchNorm(3, 1, momentum=0.9, epsilon=1e-5)
    params, _ = bound(bn)
    z1 = np.array([[1.0, 2.0, 3.0], [3.0, 6.0, 3.0]])
    bn.forward(z1, training=True)
    # running starts at mean 0, var 1; batch mean (2, 4, 3), biased var (1, 4, 0)
    np.testing.assert_allclose(bn.running[0], [0.2, 0.4, 0.3])
    np.testing.assert_allclose(bn.running[1], [0.9 + 0.1, 0.9 + 0.4, 0.9])
    z2 = np.array([[0.0, 0.0, 0.0], [2.0, 2.0, 2.0]])
    bn.forward(z2, training=True)
    np.testing.assert_allclose(bn.running[0], [0.9 * 0.2 + 0.1, 0.9 * 0.4 + 0.1, 0.9 * 0.3 + 0.1])
    np.testing.assert_allclose(bn.running[1], [0.9 * 1.0 + 0.1, 0.9 * 1.3 + 0.1, 0.9 * 0.9 + 0.1])
    params["gamma1"][...] = 2.0
    params["beta1"][...] = 0.5
    before = bn.running.copy()
    x = np.array([[1.0, -1.0, 4.0]])
    out = bn.forward(x, training=False)
    expected = 2.0 * (x - before[0]) / np.sqrt(before[1] + 1e-5) + 0.5
    np.testing.assert_allclose(out, expected, rtol=1e-12)
    np.testing.assert_array_equal(bn.running, before)  # inference never updates


def test_dense_without_bias_has_only_w_and_he_or_xavier_scale() -> None:
    layer = Dense(400, 300, 1, bias=False, init="he")
    params, _ = bound(layer)
    assert list(params) == ["W1"]
    assert params["W1"].std() == pytest.approx(np.sqrt(2 / 400), rel=0.02)
    xavier = Dense(400, 300, 2, init="xavier")
    params, _ = bound(xavier)
    assert params["W2"].std() == pytest.approx(np.sqrt(1 / 400), rel=0.02)
    np.testing.assert_array_equal(params["b2"], 0.0)


def test_dropout_is_inverted_and_scales_kept_units() -> None:
    layer = Dropout(0.25, np.random.default_rng(0))
    x = np.ones((400, 50))
    out = layer.forward(x, training=True)
    kept = out != 0
    np.testing.assert_allclose(out[kept], 1 / 0.75)
    assert abs(kept.mean() - 0.75) < 0.01
    grad = layer.backward(np.full_like(x, 2.0))
    np.testing.assert_allclose(grad[kept], 2 / 0.75)
    np.testing.assert_array_equal(grad[~kept], 0.0)
    np.testing.assert_array_equal(layer.forward(x, training=False), x)


@pytest.mark.parametrize("name", ACTIVATIONS)
def test_activation_values_and_derivatives(name: str) -> None:
    x = np.array([[-3.0, -0.5, 0.2, 4.0]])
    expected = {
        "relu": np.maximum(x, 0),
        "leaky_relu": np.where(x > 0, x, 0.01 * x),
        "tanh": np.tanh(x),
        "sigmoid": 1 / (1 + np.exp(-x)),
    }[name]
    layer = make_activation(name)
    np.testing.assert_allclose(layer.forward(x, training=True), expected, rtol=1e-12)
    h = 1e-6
    plus, minus = make_activation(name), make_activation(name)
    numeric = (plus.forward(x + h, True) - minus.forward(x - h, True)) / (2 * h)
    np.testing.assert_allclose(layer.backward(np.ones_like(x)), numeric, rtol=1e-6)


def test_sigmoid_never_overflows() -> None:
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        out = make_activation("sigmoid").forward(np.array([[-1000.0, 1000.0]]), training=False)
    np.testing.assert_allclose(out, [[0.0, 1.0]])


def test_softmax_cross_entropy_at_extreme_logits() -> None:
    logits = np.array([[1000.0, -1000.0, 0.0], [-1000.0, -1000.0, 1000.0]])
    y = np.array([0, 0])
    with np.errstate(over="raise", invalid="raise", divide="raise"):  # underflow to 0 is fine
        loss, grad, pred = softmax_cross_entropy(logits, y)
    # row 0 is right with certainty (loss 0); row 1 puts the true class 2000 below the max
    assert loss == pytest.approx(2000.0 / 2)
    np.testing.assert_array_equal(pred, [0, 2])
    np.testing.assert_allclose(grad, [[0.0, 0.0, 0.0], [-0.5, 0.0, 0.5]], atol=1e-300)
    np.testing.assert_allclose(softmax(logits).sum(axis=1), 1.0)


def test_softmax_cross_entropy_gradient_by_finite_differences() -> None:
    rng = np.random.default_rng(0)
    z = 3 * rng.standard_normal((5, 4))
    y = rng.integers(0, 4, 5)
    loss, grad, _ = softmax_cross_entropy(z.copy(), y)
    p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    assert loss == pytest.approx(-np.log(p[np.arange(5), y]).mean(), rel=1e-12)
    numeric = np.zeros_like(z)
    for i in np.ndindex(z.shape):
        d = np.zeros_like(z)
        d[i] = 1e-6
        up, down = softmax_cross_entropy(z + d, y)[0], softmax_cross_entropy(z - d, y)[0]
        numeric[i] = (up - down) / 2e-6
    np.testing.assert_allclose(grad, numeric, rtol=1e-6, atol=1e-9)
