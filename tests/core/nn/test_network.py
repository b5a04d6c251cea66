"""Network construction, dtypes, inference outputs and the flat-buffer views."""

from __future__ import annotations

import numpy as np
import pytest

from desktop_app.core.errors import ConfigError
from desktop_app.core.nn import Network


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_everything_stays_in_the_network_dtype(dtype: str) -> None:
    net = Network(3, [5], 4, seed=0, dtype=dtype)
    X = np.random.default_rng(0).standard_normal((6, 3))  # float64 input is converted
    loss, grads = net.loss_and_gradients(X, np.arange(6) % 4)
    assert isinstance(loss, float)
    assert {p.dtype for p in net.parameters().values()} == {np.dtype(dtype)}
    assert {g.dtype for g in grads.values()} == {np.dtype(dtype)}
    probs = net.predict_proba(X)
    assert probs.dtype == np.dtype(dtype) and probs.shape == (6, 4)
    np.testing.assert_allclose(probs.sum(axis=1), 1.0, rtol=1e-6)
    np.testing.assert_array_equal(net.predict(X), probs.argmax(axis=1))


def test_parameters_and_gradients_are_views_of_flat_buffers() -> None:
    net = Network(2, [3, 3], 2)
    params = net.parameters()
    params["W1"][0, 0] = 5.0  # writes go to the network
    assert net.parameters()["W1"][0, 0] == 5.0
    _, first = net.loss_and_gradients(np.eye(2), np.array([0, 1]))
    kept = first["W1"].copy()
    _, second = net.loss_and_gradients(np.ones((2, 2)), np.array([1, 1]))
    assert second["W1"] is first["W1"]  # the gradient buffer is reused by the next call
    assert not np.array_equal(kept, second["W1"])


def test_initialisation_is_seeded_and_biases_start_at_zero() -> None:
    a, b, c = Network(4, [8], 3, seed=1), Network(4, [8], 3, seed=1), Network(4, [8], 3, seed=2)
    np.testing.assert_array_equal(a.parameters()["W1"], b.parameters()["W1"])
    assert not np.array_equal(a.parameters()["W1"], c.parameters()["W1"])
    assert np.all(a.parameters()["gamma1"] == 1.0) and np.all(a.parameters()["beta1"] == 0.0)
    assert np.all(a.parameters()["b2"] == 0.0)


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"n_inputs": 0}, "n_inputs"),
    ({"n_classes": 1}, "n_classes"),
    ({"hidden": [4, 0]}, "hidden"),
    ({"dropout": 1.0}, "dropout"),
    ({"l2": -1.0}, "l2"),
    ({"dtype": "float16"}, "dtype"),
    ({"bn_momentum": 1.0}, "bn_momentum"),
    ({"bn_epsilon": 0.0}, "bn_epsilon"),
])
def test_bad_configuration_names_the_field(kwargs: dict, field: str) -> None:
    args = {"n_inputs": 2, "hidden": [4], "n_classes": 3, **kwargs}
    with pytest.raises(ConfigError) as err:
        Network(**args)
    assert err.value.field == field
