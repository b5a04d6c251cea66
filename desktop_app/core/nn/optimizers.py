"""Optimizers: SGD, Momentum, RMSprop, Adam (course formulas, Keras argument names).

``step(params, grads)`` updates ``params`` in place. When both dicts are the network's intact
:class:`~.params.ParamDict` views, the whole flat buffer is updated in a few vectorised passes;
any other dict is updated entry by entry with per-name state. Both paths run the same arithmetic.
Moments are stored pre-divided by (1 - beta) (e.g. ``M = beta * M + g``), which saves one pass
per moment and is algebraically identical to the textbook ``m = beta * m + (1 - beta) * g``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np

from ..errors import ConfigError
from .params import ParamDict

OPTIMIZERS = ("sgd", "momentum", "rmsprop", "adam")
# Flat buffers longer than this are updated in blocks of this many elements, so the scratch
# array and the passes over one block stay in the L2 cache (about 10% faster on 270k params).
BLOCK = 65536


class _State:
    """Per-array optimizer state: step count, moments, one scratch array."""

    __slots__ = ("m", "t", "tmp", "v")

    def __init__(self, like: np.ndarray, moments: int, tmp: np.ndarray | None = None) -> None:
        self.t = 0
        self.tmp = np.empty_like(like) if tmp is None else tmp
        self.m = np.zeros_like(like) if moments >= 1 else None
        self.v = np.zeros_like(like) if moments >= 2 else None

    def block(self, lo: int, hi: int, tmp: np.ndarray) -> _State:
        """A state over elements lo:hi of this one (views), with its own scratch array."""
        part = _State.__new__(_State)
        part.t, part.tmp = self.t, tmp[: hi - lo]
        part.m = None if self.m is None else self.m[lo:hi]
        part.v = None if self.v is None else self.v[lo:hi]
        return part


def _blocks(flat: np.ndarray, moments: int) -> list[tuple[slice, _State]]:
    """The flat buffer's state, split into BLOCK-sized pieces that share one scratch array."""
    n = flat.size
    whole = _State(flat, moments, tmp=flat[:0])
    tmp = np.empty(min(n, BLOCK), dtype=flat.dtype)
    return [(slice(lo, min(lo + BLOCK, n)), whole.block(lo, min(lo + BLOCK, n), tmp))
            for lo in range(0, n, BLOCK)]


def _check_beta(name: str, value: float, *, zero_ok: bool) -> float:
    if not (0.0 <= value < 1.0 if zero_ok else 0.0 < value < 1.0):
        raise ConfigError(name, f"must be in {'[' if zero_ok else '('}0, 1) (got {value})")
    return float(value)


def _check_epsilon(value: float) -> float:
    if not 0.0 < value < math.inf:
        raise ConfigError("epsilon", f"must be a positive number (got {value})")
    return float(value)


class Optimizer:
    """Base class: keeps the learning rate and the per-array state (one optimizer per network:
    handing it another network's flat buffer starts fresh moments)."""

    moments = 0

    def __init__(self, learning_rate: float) -> None:
        if not learning_rate > 0.0:
            raise ConfigError("learning_rate", f"must be > 0 (got {learning_rate})")
        self.learning_rate = float(learning_rate)
        self._named: dict[str, _State] = {}
        self._flat: np.ndarray | None = None
        self._flat_state: list[tuple[slice, _State]] = []

    def step(self, params: Mapping[str, np.ndarray], grads: Mapping[str, np.ndarray]) -> None:
        """Update ``params`` in place from ``grads`` (same keys)."""
        if type(params) is ParamDict and type(grads) is ParamDict \
                and params.layout is grads.layout:
            p = params.intact_flat()
            g = grads.intact_flat()
            if p is not None and g is not None:
                if p is not self._flat:
                    self._flat, self._flat_state = p, _blocks(p, self.moments)
                if len(self._flat_state) == 1:
                    self._update(self._flat_state[0][1], p, g)
                else:
                    for block, state in self._flat_state:
                        self._update(state, p[block], g[block])
                return
        for name, p in params.items():
            state = self._named.get(name)
            if state is None or state.tmp.shape != p.shape:
                state = self._named[name] = _State(p, self.moments)
            self._update(state, p, grads[name])

    def _update(self, s: _State, p: np.ndarray, g: np.ndarray) -> None:
        raise NotImplementedError


class SGD(Optimizer):
    """Mini-batch gradient descent: ``p -= learning_rate * g``."""

    def _update(self, s: _State, p: np.ndarray, g: np.ndarray) -> None:
        p -= np.multiply(g, self.learning_rate, out=s.tmp)


class Momentum(Optimizer):
    """Gradient descent with momentum: ``v = beta v + (1 - beta) g; p -= lr * v``."""

    moments = 1

    def __init__(self, learning_rate: float, momentum: float = 0.9) -> None:
        super().__init__(learning_rate)
        self.momentum = _check_beta("momentum", momentum, zero_ok=True)

    def _update(self, s: _State, p: np.ndarray, g: np.ndarray) -> None:
        beta = self.momentum
        s.m *= beta
        s.m += g  # M = v / (1 - beta)
        p -= np.multiply(s.m, self.learning_rate * (1.0 - beta), out=s.tmp)


class RMSprop(Optimizer):
    """RMSprop: ``s = beta_2 s + (1 - beta_2) g^2; p -= lr * g / (sqrt(s) + epsilon)``."""

    moments = 2

    def __init__(self, learning_rate: float, beta_2: float = 0.999,
                 epsilon: float = 1e-8) -> None:
        super().__init__(learning_rate)
        self.beta_2 = _check_beta("beta_2", beta_2, zero_ok=False)
        self.epsilon = _check_epsilon(epsilon)

    def _update(self, s: _State, p: np.ndarray, g: np.ndarray) -> None:
        b2, tmp = self.beta_2, s.tmp
        root = math.sqrt(1.0 - b2)  # sqrt(s) = root * sqrt(V) with V = s / (1 - b2)
        np.multiply(g, g, out=tmp)
        s.v *= b2
        s.v += tmp
        np.sqrt(s.v, out=tmp)
        tmp += self.epsilon / root
        np.divide(g, tmp, out=tmp)
        tmp *= self.learning_rate / root
        p -= tmp


class Adam(Optimizer):
    """Adam with bias correction; epsilon is added after the square root:
    ``p -= lr * m_hat / (sqrt(v_hat) + epsilon)``, ``m_hat = m / (1 - beta_1^t)``,
    ``v_hat = v / (1 - beta_2^t)``."""

    moments = 2

    def __init__(self, learning_rate: float, beta_1: float = 0.9, beta_2: float = 0.999,
                 epsilon: float = 1e-8) -> None:
        super().__init__(learning_rate)
        self.beta_1 = _check_beta("beta_1", beta_1, zero_ok=True)
        self.beta_2 = _check_beta("beta_2", beta_2, zero_ok=False)
        self.epsilon = _check_epsilon(epsilon)

    def _update(self, s: _State, p: np.ndarray, g: np.ndarray) -> None:
        b1, b2, tmp = self.beta_1, self.beta_2, s.tmp
        s.t += 1
        c1, c2 = 1.0 - b1**s.t, 1.0 - b2**s.t
        # M = m / (1 - b1), V = v / (1 - b2): m_hat = M (1-b1)/c1, sqrt(v_hat) = root sqrt(V)
        root = math.sqrt((1.0 - b2) / c2)
        s.m *= b1
        s.m += g
        np.multiply(g, g, out=tmp)
        s.v *= b2
        s.v += tmp
        np.sqrt(s.v, out=tmp)
        tmp += self.epsilon / root
        np.divide(s.m, tmp, out=tmp)
        tmp *= self.learning_rate * (1.0 - b1) / (c1 * root)
        p -= tmp


_CLASSES: dict[str, type[Optimizer]] = {
    "sgd": SGD, "momentum": Momentum, "rmsprop": RMSprop, "adam": Adam,
}


def make_optimizer(name: str, **hparams: float) -> Optimizer:
    """The optimizer called ``name`` (one of OPTIMIZERS) built with ``hparams``."""
    cls = _CLASSES.get(name)
    if cls is None:
        raise ConfigError("optimizer", f"use one of {OPTIMIZERS} (got {name!r})")
    try:
        return cls(**hparams)
    except TypeError as err:
        raise ConfigError("optimizer", f"{name}: {err}") from None
