"""Layers: ``forward(x, training)`` returns the output, ``backward(grad)`` the input gradient.

Parameters and their gradients are named ("W1", "gamma1", ...). A layer declares their shapes
(:meth:`Layer.param_shapes`); the network allocates them as views into its flat buffers and hands
them back with :meth:`Layer.bind`. ``backward`` writes parameter gradients into those views in
place (``out=``), so the network never copies gradients. Rows of ``x`` are examples.
"""

from __future__ import annotations

import numpy as np


class Layer:
    """Base layer: no parameters, identity."""

    def param_shapes(self) -> dict[str, tuple[int, ...]]:
        """Names and shapes of the learnable parameters."""
        return {}

    def bind(self, params: dict[str, np.ndarray], grads: dict[str, np.ndarray]) -> None:
        """Receive the (flat-buffer) arrays that hold this layer's parameters and gradients."""

    def init_params(self, rng: np.random.Generator) -> None:
        """Write initial values into the bound parameter arrays."""

    def forward(self, x: np.ndarray, training: bool) -> np.ndarray:
        """Output for input ``x``; training mode caches what ``backward`` needs."""
        return x

    def backward(self, grad: np.ndarray) -> np.ndarray | None:
        """Gradient of the loss with respect to the input of the last training forward."""
        return grad


class Dense(Layer):
    """Affine layer ``x @ W + b`` with W of shape (n_in, n_out).

    ``init`` is "he" (std sqrt(2/n_in), for the ReLU family) or "xavier" (std sqrt(1/n_in), for
    tanh/sigmoid). Without ``bias`` (followed by batch norm) beta plays the role of b.
    ``input_grad=False`` (the first layer) skips computing the unused input gradient.
    """

    def __init__(
        self, n_in: int, n_out: int, index: int, *, bias: bool = True, init: str = "he",
        input_grad: bool = True,
    ) -> None:
        self.n_in, self.n_out, self.index = n_in, n_out, index
        self.has_bias, self.init, self.input_grad = bias, init, input_grad
        self.W_name, self.b_name = f"W{index}", f"b{index}"
        self.b = self.db = None
        self._x: np.ndarray | None = None

    def param_shapes(self) -> dict[str, tuple[int, ...]]:
        shapes = {self.W_name: (self.n_in, self.n_out)}
        if self.has_bias:
            shapes[self.b_name] = (self.n_out,)
        return shapes

    def bind(self, params: dict[str, np.ndarray], grads: dict[str, np.ndarray]) -> None:
        self.W, self.dW = params[self.W_name], grads[self.W_name]
        if self.has_bias:
            self.b, self.db = params[self.b_name], grads[self.b_name]

    def init_params(self, rng: np.random.Generator) -> None:
        scale = np.sqrt((2.0 if self.init == "he" else 1.0) / self.n_in)
        self.W[...] = rng.standard_normal(self.W.shape) * scale
        if self.b is not None:
            self.b[...] = 0.0

    def forward(self, x: np.ndarray, training: bool) -> np.ndarray:
        if training:
            self._x = x
        out = x @ self.W
        if self.b is not None:
            out += self.b
        return out

    def backward(self, grad: np.ndarray) -> np.ndarray | None:
        np.matmul(self._x.T, grad, out=self.dW)
        if self.db is not None:
            np.add.reduce(grad, axis=0, out=self.db)
        return grad @ self.W.T if self.input_grad else None


class BatchNorm(Layer):
    """Batch normalization of Z before the activation.

    Training: mu and biased var over the batch, ``xhat = (z - mu) / sqrt(var + eps)``,
    ``out = gamma * xhat + beta``; running averages ``r = momentum * r + (1 - momentum) * batch``.
    Inference uses the running averages. ``running`` holds the running mean (row 0) and
    variance (row 1).
    """

    def __init__(self, n: int, index: int, *, momentum: float = 0.9, epsilon: float = 1e-5,
                 dtype: str = "float64") -> None:
        self.n, self.index, self.momentum, self.epsilon = n, index, momentum, epsilon
        self.g_name, self.b_name = f"gamma{index}", f"beta{index}"
        self.running = np.zeros((2, n), dtype=dtype)
        self.running[1] = 1.0
        self._stats = np.empty((2, n), dtype=dtype)  # batch mean and variance
        self._mu, self._var = self._stats
        self._tmp = np.empty((2, n), dtype=dtype)
        self._tmp0, self._tmp1 = self._tmp
        self._istd = np.empty(n, dtype=dtype)

    def param_shapes(self) -> dict[str, tuple[int, ...]]:
        return {self.g_name: (self.n,), self.b_name: (self.n,)}

    def bind(self, params: dict[str, np.ndarray], grads: dict[str, np.ndarray]) -> None:
        self.gamma, self.dgamma = params[self.g_name], grads[self.g_name]
        self.beta, self.dbeta = params[self.b_name], grads[self.b_name]

    def init_params(self, rng: np.random.Generator) -> None:
        self.gamma[...] = 1.0
        self.beta[...] = 0.0

    def forward(self, x: np.ndarray, training: bool) -> np.ndarray:
        if not training:
            scale = self.gamma / np.sqrt(self.running[1] + self.epsilon)
            out = x * scale
            out += self.beta - self.running[0] * scale
            return out
        stats, istd, mu, var = self._stats, self._istd, self._mu, self._var
        inv_m = 1.0 / x.shape[0]
        np.add.reduce(x, axis=0, out=mu)
        mu *= inv_m
        xhat = x - mu
        sq = np.multiply(xhat, xhat)
        np.add.reduce(sq, axis=0, out=var)
        var *= inv_m
        np.add(var, self.epsilon, out=istd)
        np.sqrt(istd, out=istd)
        np.divide(1.0, istd, out=istd)
        xhat *= istd
        self._xhat = xhat
        # running = running + (1 - momentum) * (batch - running), both rows at once
        tmp = np.subtract(stats, self.running, out=self._tmp)
        tmp *= 1.0 - self.momentum
        self.running += tmp
        out = np.multiply(xhat, self.gamma, out=sq)
        out += self.beta
        return out

    def backward(self, grad: np.ndarray) -> np.ndarray:
        # fused: dz = gamma * istd * (dy - mean(dy) - xhat * mean(dy * xhat))
        xhat = self._xhat
        inv_m = 1.0 / grad.shape[0]
        dbeta, dgamma = self.dbeta, self.dgamma
        np.add.reduce(grad, axis=0, out=dbeta)
        prod = np.multiply(grad, xhat)
        np.add.reduce(prod, axis=0, out=dgamma)
        mean_dy, mean_dyx = self._tmp0, self._tmp1
        np.multiply(dbeta, inv_m, out=mean_dy)
        np.multiply(dgamma, inv_m, out=mean_dyx)
        dz = np.multiply(xhat, mean_dyx, out=prod)
        dz += mean_dy
        np.subtract(grad, dz, out=dz)
        dz *= np.multiply(self.gamma, self._istd, out=mean_dy)
        return dz


class Dropout(Layer):
    """Inverted dropout: in training, zero each unit with probability ``rate`` and scale the
    rest by 1/(1 - rate) so inference needs no change."""

    def __init__(self, rate: float, rng: np.random.Generator) -> None:
        self.rate, self.rng = rate, rng
        self._mask: np.ndarray | None = None

    def forward(self, x: np.ndarray, training: bool) -> np.ndarray:
        if not training or self.rate == 0.0:
            self._mask = None
            return x
        keep = self.rng.random(x.shape, dtype=x.dtype) >= self.rate
        self._mask = keep * x.dtype.type(1.0 / (1.0 - self.rate))
        return x * self._mask

    def backward(self, grad: np.ndarray) -> np.ndarray:
        return grad if self._mask is None else grad * self._mask
