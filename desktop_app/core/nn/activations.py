"""Element-wise activations as layers: relu, leaky_relu, tanh, sigmoid."""

from __future__ import annotations

import numpy as np

from .layers import Layer

ACTIVATIONS = ("relu", "leaky_relu", "tanh", "sigmoid")
LEAKY_SLOPE = 0.01


class ReLU(Layer):
    """max(x, 0)."""

    def forward(self, x: np.ndarray, training: bool) -> np.ndarray:
        out = np.maximum(x, 0.0)
        if training:
            self._out = out
        return out

    def backward(self, grad: np.ndarray) -> np.ndarray:
        return np.multiply(grad, self._out > 0)


class LeakyReLU(Layer):
    """x for x > 0, LEAKY_SLOPE * x otherwise."""

    def forward(self, x: np.ndarray, training: bool) -> np.ndarray:
        if training:
            self._x = x
        return np.where(x > 0, x, x * LEAKY_SLOPE)

    def backward(self, grad: np.ndarray) -> np.ndarray:
        return np.where(self._x > 0, grad, grad * LEAKY_SLOPE)


class Tanh(Layer):
    """tanh(x); derivative 1 - tanh^2."""

    def forward(self, x: np.ndarray, training: bool) -> np.ndarray:
        out = np.tanh(x)
        if training:
            self._out = out
        return out

    def backward(self, grad: np.ndarray) -> np.ndarray:
        out = self._out
        return grad * (1.0 - out * out)


class Sigmoid(Layer):
    """1 / (1 + exp(-x)), computed as 0.5 * (1 + tanh(x / 2)) so it never overflows."""

    def forward(self, x: np.ndarray, training: bool) -> np.ndarray:
        out = np.tanh(x * 0.5)
        out += 1.0
        out *= 0.5
        if training:
            self._out = out
        return out

    def backward(self, grad: np.ndarray) -> np.ndarray:
        out = self._out
        return grad * (out * (1.0 - out))


_CLASSES = {"relu": ReLU, "leaky_relu": LeakyReLU, "tanh": Tanh, "sigmoid": Sigmoid}


def make_activation(name: str) -> Layer:
    """The activation layer called ``name`` (one of ACTIVATIONS)."""
    return _CLASSES[name]()
