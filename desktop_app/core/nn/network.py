"""The fully connected classifier: dense layers, optional batch norm, activation, dropout,
softmax + cross-entropy output; all parameters live in one flat buffer (see params.py)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..errors import ConfigError
from .activations import ACTIVATIONS, make_activation
from .layers import BatchNorm, Dense, Dropout, Layer
from .loss import softmax, softmax_cross_entropy
from .params import FlatLayout, ParamDict

DTYPES = ("float32", "float64")


def _check(ok: bool, field: str, problem: str) -> None:
    if not ok:
        raise ConfigError(field, problem)


class Network:
    """A classifier ``n_inputs -> hidden... -> n_classes``.

    Each hidden block is Dense -> [BatchNorm] -> activation -> [Dropout]; the output is Dense
    followed by softmax. L2 (``l2``) adds ``l2/2 * sum(W**2)`` over every W (never b, gamma,
    beta) to the loss and ``l2 * W`` to the W gradients. ``seed`` fixes the initial weights and
    the dropout masks.
    """

    def __init__(
        self,
        n_inputs: int,
        hidden: Sequence[int] = (64, 64),
        n_classes: int = 2,
        batch_norm: bool = True,
        activation: str = "relu",
        dropout: float = 0.0,
        l2: float = 0.0,
        seed: int = 0,
        dtype: str = "float64",
        bn_momentum: float = 0.9,
        bn_epsilon: float = 1e-5,
    ) -> None:
        hidden = tuple(int(h) for h in hidden)
        _check(int(n_inputs) >= 1, "n_inputs", f"must be at least 1 (got {n_inputs})")
        _check(int(n_classes) >= 2, "n_classes", f"must be at least 2 (got {n_classes})")
        _check(all(h >= 1 for h in hidden), "hidden", f"every layer needs >= 1 unit (got {hidden})")
        _check(activation in ACTIVATIONS, "activation",
               f"use one of {ACTIVATIONS} (got {activation!r})")
        _check(0.0 <= dropout < 1.0, "dropout", f"must be in [0, 1) (got {dropout})")
        _check(l2 >= 0.0, "l2", f"must be >= 0 (got {l2})")
        _check(dtype in DTYPES, "dtype", f"use one of {DTYPES} (got {dtype!r})")
        _check(0.0 <= bn_momentum < 1.0, "bn_momentum", f"must be in [0, 1) (got {bn_momentum})")
        _check(bn_epsilon > 0.0, "bn_epsilon", f"must be > 0 (got {bn_epsilon})")
        self.config = {
            "n_inputs": int(n_inputs), "hidden": list(hidden), "n_classes": int(n_classes),
            "batch_norm": bool(batch_norm), "activation": activation, "dropout": float(dropout),
            "l2": float(l2), "seed": int(seed), "dtype": dtype,
            "bn_momentum": float(bn_momentum), "bn_epsilon": float(bn_epsilon),
        }
        self.dtype = np.dtype(dtype)
        self.l2 = float(l2)
        self.n_inputs, self.n_classes = int(n_inputs), int(n_classes)
        rng = np.random.default_rng(seed)
        self.layers = self._build(hidden, batch_norm, activation, dropout, bn_momentum,
                                  bn_epsilon, rng)
        shapes: dict[str, tuple[int, ...]] = {}
        for layer in self.layers:
            shapes.update(layer.param_shapes())
        w_names = tuple(n for n in shapes if n.startswith("W"))
        self._layout = FlatLayout(shapes, first=w_names)
        self._flat = self._layout.allocate(self.dtype)
        self._gflat = self._layout.allocate(self.dtype)
        self._params = self._layout.views(self._flat)
        self._grads = self._layout.views(self._gflat)
        for layer in self.layers:
            layer.bind(self._params, self._grads)
            layer.init_params(rng)
        self._w_flat = self._flat[: self._layout.first_end]
        self._w_grad = self._gflat[: self._layout.first_end]

    def _build(self, hidden: tuple[int, ...], batch_norm: bool, activation: str, dropout: float,
               bn_momentum: float, bn_epsilon: float, rng: np.random.Generator) -> list[Layer]:
        init = "he" if activation in ("relu", "leaky_relu") else "xavier"
        layers: list[Layer] = []
        sizes = (self.n_inputs, *hidden)
        for i, (n_in, n_out) in enumerate(zip(sizes, hidden, strict=False), start=1):
            layers.append(Dense(n_in, n_out, i, bias=not batch_norm, init=init, input_grad=i > 1))
            if batch_norm:
                layers.append(BatchNorm(n_out, i, momentum=bn_momentum, epsilon=bn_epsilon,
                                        dtype=self.dtype.name))
            layers.append(make_activation(activation))
            if dropout > 0.0:
                layers.append(Dropout(dropout, rng))
        last = len(hidden) + 1
        layers.append(Dense(sizes[-1], self.n_classes, last, bias=True, init=init,
                            input_grad=last > 1))
        return layers

    # -- parameters -------------------------------------------------------------------------
    def parameters(self) -> ParamDict:
        """The live parameter arrays by name, in layer order (W1, b1 or gamma1/beta1, ...)."""
        return self._params.fresh()

    def gradients(self) -> ParamDict:
        """The live gradient arrays by name (same keys as parameters()), filled by each
        training step; the optimizer's fast path needs exactly these arrays."""
        return self._grads.fresh()

    def batch_norm_layers(self) -> list[BatchNorm]:
        """The batch-norm layers in order (their ``running`` arrays are saved with the net)."""
        return [layer for layer in self.layers if isinstance(layer, BatchNorm)]

    # -- training and inference -------------------------------------------------------------
    def loss_and_gradients(self, X: np.ndarray, y: np.ndarray) -> tuple[float, ParamDict]:
        """Training-mode loss (with L2) on (X, y) and its gradients, keyed like parameters().

        The gradient arrays are the network's gradient buffer, overwritten by the next call.
        """
        loss, _ = self.forward_backward(X, y, accuracy=False)
        return loss, self._grads.fresh()

    def forward_backward(self, X: np.ndarray, y: np.ndarray, *,
                         accuracy: bool = True) -> tuple[float, float]:
        """Fill the gradient buffer for (X, y); return (loss, training-mode accuracy or NaN)."""
        a = np.asarray(X, dtype=self.dtype)
        for layer in self.layers:
            a = layer.forward(a, True)
        loss, grad, pred = softmax_cross_entropy(a, y)
        acc = np.count_nonzero(pred == y) / len(pred) if accuracy else float("nan")
        for layer in reversed(self.layers):
            grad = layer.backward(grad)
        if self.l2:
            w = self._w_flat
            loss += 0.5 * self.l2 * float(w @ w)
            self._w_grad += self.l2 * w
        return loss, acc

    def logits(self, X: np.ndarray) -> np.ndarray:
        """Inference-mode output before the softmax."""
        a = np.asarray(X, dtype=self.dtype)
        for layer in self.layers:
            a = layer.forward(a, False)
        return a

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        """Inference-mode class probabilities, shape (m, n_classes); rows sum to 1."""
        return softmax(self.logits(X))

    def predict(self, X: np.ndarray) -> np.ndarray:
        """Inference-mode predicted labels (argmax of the probabilities)."""
        return self.logits(X).argmax(axis=1)

    def evaluate(self, X: np.ndarray, y: np.ndarray) -> tuple[float, float]:
        """Inference-mode (loss with L2, accuracy) on (X, y)."""
        z = self.logits(X)
        loss, _, pred = softmax_cross_entropy(z, y)
        if self.l2:
            loss += 0.5 * self.l2 * float(self._w_flat @ self._w_flat)
        return loss, np.count_nonzero(pred == y) / len(pred)
