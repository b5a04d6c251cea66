"""Fused, numerically stable softmax + cross-entropy."""

from __future__ import annotations

import numpy as np


def softmax(logits: np.ndarray) -> np.ndarray:
    """Row-wise softmax; subtracting the row max keeps exp() finite for any finite logits."""
    e = logits - np.maximum.reduce(logits, axis=1, keepdims=True)
    np.exp(e, out=e)
    e /= np.add.reduce(e, axis=1, keepdims=True)
    return e


def softmax_cross_entropy(logits: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
    """Mean cross-entropy of softmax(logits) against integer labels ``y``, and its gradient.

    With shifted logits s = z - max(z): loss_i = log(sum(exp(s_i))) - s_i[y_i], which is finite
    for logits of any finite size (e.g. +-1000); d loss / d z = (softmax(z) - onehot(y)) / m.
    """
    m = logits.shape[0]
    rows = np.arange(m)
    s = logits - np.maximum.reduce(logits, axis=1, keepdims=True)
    true_logit = s[rows, y]
    e = np.exp(s, out=s)
    total = np.add.reduce(e, axis=1, keepdims=True)
    loss = (np.add.reduce(np.log(total), axis=None) - np.add.reduce(true_logit)) / m
    np.multiply(total, m, out=total)
    e /= total
    e[rows, y] -= 1.0 / m
    return float(loss), e
