"""A small neural network in plain numpy, tuned by Caviar as a function trainer.

Caviar calls ``train(params, trial)`` once per trial (see ``numpy_function.toml`` and
``docs/trainers.md``). ``params`` holds every hyperparameter, searched or fixed; ``trial``
is how the code talks back: ``trial.report(epoch, ...)`` after each epoch, and
``trial.should_stop()`` to end early when the trial is pruned, stopped or diverged.

Nothing here imports Caviar: the same function runs on its own, e.g.
``python numpy_mlp.py`` trains once with the defaults at the bottom.
"""

from __future__ import annotations

import numpy as np


def make_spiral(samples: int = 600, classes: int = 3, noise: float = 0.2, seed: int = 0):
    """Points on ``classes`` interleaved spiral arms: (X of shape (samples, 2), labels)."""
    rng = np.random.default_rng(seed)
    per_class = samples // classes
    radius = np.linspace(0.05, 1.0, per_class)
    X, y = [], []
    for k in range(classes):
        angle = np.linspace(4.0 * k, 4.0 * (k + 1), per_class) + rng.normal(0, noise, per_class)
        X.append(np.column_stack([radius * np.sin(angle), radius * np.cos(angle)]))
        y.append(np.full(per_class, k))
    order = rng.permutation(per_class * classes)
    return np.concatenate(X)[order], np.concatenate(y)[order]


def softmax_loss(logits: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
    """Mean cross-entropy and the class probabilities."""
    shifted = logits - logits.max(axis=1, keepdims=True)
    probs = np.exp(shifted)
    probs /= probs.sum(axis=1, keepdims=True)
    loss = -np.log(probs[np.arange(len(y)), y] + 1e-12).mean()
    return float(loss), probs


def macro_f1(y_true: np.ndarray, y_pred: np.ndarray, classes: int) -> float:
    """The F1 score of each class, averaged (every class counts the same)."""
    scores = []
    for k in range(classes):
        tp = np.sum((y_pred == k) & (y_true == k))
        predicted, actual = np.sum(y_pred == k), np.sum(y_true == k)
        scores.append(2 * tp / (predicted + actual) if predicted + actual else 0.0)
    return float(np.mean(scores))


def train(params: dict, trial) -> None:
    """Train a one-hidden-layer ReLU network with mini-batch SGD and momentum."""
    X, y = make_spiral(seed=0)  # the same data for every trial
    n_train = int(0.8 * len(y))
    X_train, y_train, X_val, y_val = X[:n_train], y[:n_train], X[n_train:], y[n_train:]
    n_features, classes = X.shape[1], int(y.max()) + 1

    lr = float(params["learning_rate"])
    hidden = int(params["hidden_units"])
    l2 = float(params["l2"])
    batch_size = int(params["batch_size"])
    momentum = 0.9
    batches = max(1, n_train // batch_size)

    rng = np.random.default_rng(trial.seed)  # each trial its own initial weights and batches
    # weight_scale multiplies He initialisation: 1 is the textbook choice, worth tuning
    W1 = rng.normal(0, params["weight_scale"] * np.sqrt(2 / n_features), (n_features, hidden))
    W2 = rng.normal(0, params["weight_scale"] * np.sqrt(2 / hidden), (hidden, classes))
    b1, b2 = np.zeros(hidden), np.zeros(classes)
    weights = [W1, b1, W2, b2]
    velocity = [np.zeros_like(w) for w in weights]

    def forward(inputs):
        hidden_out = np.maximum(inputs @ W1 + b1, 0)
        return hidden_out, hidden_out @ W2 + b2

    # a learning rate far too large can overflow: the loss becomes NaN, which Caviar records
    # as "diverged" (and trial.should_stop() turns True), so numpy's warnings are not needed
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        for epoch in range(1, int(params["epochs"]) + 1):
            for batch in np.array_split(rng.permutation(n_train), batches):
                xb, yb = X_train[batch], y_train[batch]
                hidden_out, logits = forward(xb)
                _, probs = softmax_loss(logits, yb)
                dlogits = probs
                dlogits[np.arange(len(yb)), yb] -= 1
                dlogits /= len(yb)
                dhidden = (dlogits @ W2.T) * (hidden_out > 0)
                grads = [xb.T @ dhidden + l2 * W1, dhidden.sum(0),
                         hidden_out.T @ dlogits + l2 * W2, dlogits.sum(0)]
                for w, v, g in zip(weights, velocity, grads, strict=True):
                    v *= momentum
                    v -= lr * g
                    w += v  # in place: W1, b1, W2, b2 change with it

            train_loss, _ = softmax_loss(forward(X_train)[1], y_train)
            val_loss, probs = softmax_loss(forward(X_val)[1], y_val)
            predicted = probs.argmax(axis=1)
            trial.report(
                epoch,
                train_loss=train_loss,
                val_loss=val_loss,
                val_accuracy=float(np.mean(predicted == y_val)),
                val_f1=macro_f1(y_val, predicted, classes),  # a metric of our own
            )
            if trial.should_stop():  # pruned, stopped by the user, or diverged
                return


if __name__ == "__main__":  # a quick run without Caviar: print what would be reported
    class PrintingTrial:
        seed = 0

        def report(self, epoch, **metrics):
            print(epoch, {name: round(value, 4) for name, value in metrics.items()})

        def should_stop(self):
            return False

    train({"learning_rate": 0.1, "hidden_units": 64, "weight_scale": 1.0, "l2": 1e-4,
           "batch_size": 32, "epochs": 20}, PrintingTrial())
