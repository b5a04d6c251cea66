"""A kept model's confusion matrix and decision boundary: exact counts on a tiny network."""

from __future__ import annotations

import io

import numpy as np

from desktop_app.core.analysis import model_view, network_from_weights
from desktop_app.core.data import Split
from desktop_app.core.nn import Network, save_network


def _split(features: int) -> Split:
    X = np.array([[-2.0] * features, [-1.0] * features, [1.0] * features, [2.0] * features])
    y = np.array([0, 0, 1, 1])
    return Split(X, y, X, y, features, 2, ("left", "right"), "toy")


def _net(features: int) -> Network:
    """Predicts class 1 exactly when the first feature is positive."""
    net = Network(n_inputs=features, hidden=[], n_classes=2, batch_norm=False, seed=0)
    params = net.parameters()
    params["W1"][...] = 0.0
    params["W1"][0] = [-1.0, 1.0]
    params["b1"][...] = 0.0
    return net


def test_the_confusion_matrix_counts_true_rows_and_predicted_columns() -> None:
    split = _split(3)
    net = _net(3)
    net.parameters()["b1"][...] = [0.0, 2.5]  # -1 now reads as class 1 (1 < 1.5), -2 not
    view = model_view(net, split)
    assert view.confusion.tolist() == [[1, 1], [0, 2]]
    assert view.accuracy == 0.75 and view.class_names == ("left", "right")
    assert view.boundary is None  # three features: no picture


def test_a_two_feature_model_has_its_boundary_where_its_classes_switch() -> None:
    view = model_view(_net(2), _split(2), grid=41)
    b = view.boundary
    assert b is not None and b.classes.shape == (41, 41) == b.confidence.shape
    assert b.xs[0] < -2 and b.xs[-1] > 2
    assert (b.classes[:, b.xs < 0] == 0).all() and (b.classes[:, b.xs > 0] == 1).all()
    assert b.confidence.min() >= 0.5 and b.confidence.max() <= 1.0


def test_kept_weights_rebuild_the_same_network() -> None:
    net = _net(2)
    buffer = io.BytesIO()
    save_network(net, buffer)
    again = network_from_weights(buffer.getvalue())
    X = np.random.default_rng(0).normal(size=(5, 2))
    np.testing.assert_array_equal(again.predict_proba(X), net.predict_proba(X))
