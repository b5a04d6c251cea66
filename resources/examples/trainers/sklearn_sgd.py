"""A scikit-learn model tuned by Caviar: SGDClassifier trained one epoch at a time.

``partial_fit`` makes one pass over the data, so each epoch gets its own report and
Caviar's pruner can stop a poor trial early. Needs scikit-learn
(``pip install scikit-learn`` or ``pip install caviar[sklearn]``); the digits data ships
with it. See ``sklearn_sgd.toml`` and ``docs/trainers.md``.
"""

from __future__ import annotations

import functools

import numpy as np
from sklearn.datasets import load_digits
from sklearn.linear_model import SGDClassifier
from sklearn.metrics import f1_score, log_loss
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler


@functools.cache  # once per worker: every trial a worker runs reuses the split
def digits_split():
    """The 8x8 digits, standardised, split 75/25 (stratified, the same for every trial)."""
    X, y = load_digits(return_X_y=True)
    X_train, X_val, y_train, y_val = train_test_split(X, y, test_size=0.25, stratify=y,
                                                      random_state=0)
    scaler = StandardScaler().fit(X_train)
    return scaler.transform(X_train), scaler.transform(X_val), y_train, y_val


def train(params: dict, trial) -> None:
    X_train, X_val, y_train, y_val = digits_split()
    classes = np.unique(y_train)
    model = SGDClassifier(
        loss="log_loss",                  # logistic regression: predict_proba for val_loss
        penalty=params["penalty"],
        alpha=params["alpha"],
        learning_rate="constant",
        eta0=params["learning_rate"],
        random_state=trial.seed,
    )
    rng = np.random.default_rng(trial.seed)
    for epoch in range(1, int(params["epochs"]) + 1):
        order = rng.permutation(len(y_train))  # partial_fit does not shuffle by itself
        for start in range(0, len(order), int(params["batch_size"])):
            batch = order[start:start + int(params["batch_size"])]
            model.partial_fit(X_train[batch], y_train[batch], classes=classes)

        if not np.all(np.isfinite(model.coef_)):  # the learning rate was too large
            trial.report(epoch, val_loss=float("nan"))  # Caviar marks the trial diverged
            return
        predicted = model.predict(X_val)
        trial.report(
            epoch,
            train_loss=log_loss(y_train, model.predict_proba(X_train), labels=classes),
            val_loss=log_loss(y_val, model.predict_proba(X_val), labels=classes),
            val_accuracy=float(np.mean(predicted == y_val)),
            val_f1=f1_score(y_val, predicted, average="macro"),
        )
        if trial.should_stop():
            return
