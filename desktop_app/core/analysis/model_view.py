"""What a trained model does: its confusion matrix on the validation set and, for data with
two features, its decision boundary over the data (as TensorFlow Playground draws it).

Works on a live network (panda mode) or one rebuilt from the ``.npz`` weights a study kept.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import numpy as np

from desktop_app.core.data import Split
from desktop_app.core.nn import Network, load_network

GRID = 120
"""Cells per side of the decision-boundary grid."""


@dataclass(frozen=True)
class Boundary:
    """The predicted class (and its probability) on a grid over the two features."""

    xs: np.ndarray
    ys: np.ndarray
    classes: np.ndarray
    """Shape ``(len(ys), len(xs))``: the predicted class of each cell."""
    confidence: np.ndarray
    """Same shape: the probability of that class (0.5 near the boundary of two classes)."""


@dataclass(frozen=True)
class ModelView:
    """``confusion[i, j]``: validation examples of class ``i`` predicted as ``j``."""

    confusion: np.ndarray
    class_names: tuple[str, ...]
    accuracy: float
    boundary: Boundary | None
    """None unless the data has exactly two features."""


def network_from_weights(data: bytes, what: str = "the kept model") -> Network:
    """The network saved in ``data`` (a kept model's ``.npz`` bytes); ``DataError`` naming
    ``what`` when they are not a network Caviar saved (an own trainer's arrays)."""
    return load_network(io.BytesIO(data), field=what)


def model_view(net: Network, split: Split, grid: int = GRID) -> ModelView:
    """The confusion matrix of ``net`` on ``split``'s validation set, and its decision
    boundary over all the data when it has two features."""
    k = split.n_classes
    predicted = net.predict(split.X_val)
    confusion = np.zeros((k, k), dtype=np.int64)
    np.add.at(confusion, (split.y_val, predicted), 1)
    accuracy = float(np.trace(confusion) / max(confusion.sum(), 1))
    boundary = _boundary(net, split, grid) if split.n_features == 2 else None
    return ModelView(confusion, split.class_names, accuracy, boundary)


def _boundary(net: Network, split: Split, grid: int) -> Boundary:
    points = np.concatenate([split.X_train, split.X_val])
    low, high = points.min(axis=0), points.max(axis=0)
    pad = 0.05 * np.maximum(high - low, 1e-9)
    xs = np.linspace(low[0] - pad[0], high[0] + pad[0], grid)
    ys = np.linspace(low[1] - pad[1], high[1] + pad[1], grid)
    gx, gy = np.meshgrid(xs, ys)
    probs = net.predict_proba(np.column_stack([gx.ravel(), gy.ravel()]))
    return Boundary(xs, ys, probs.argmax(axis=1).reshape(gx.shape),
                    probs.max(axis=1).reshape(gx.shape))
