"""A command-line training program that Caviar can tune without knowing any Python of it.

Logistic regression on polynomial features of two interleaved half-moons, trained with
mini-batch SGD. Run it yourself::

    python train_cli.py --lr 0.1 --epochs 20

Caviar runs it once per trial (see ``command_program.toml``), putting each trial's
hyperparameters into the arguments. The only thing it needs from the program is one line per
epoch on standard output::

    CAVIAR {"epoch": 3, "val_loss": 0.21, "val_accuracy": 0.93}

Every other line is kept as the trial's log. Any language works the same way.
"""

from __future__ import annotations

import argparse
import json
import sys
import time

import numpy as np


def report(epoch: int, **metrics: float) -> None:
    """Tell Caviar about one finished epoch (and keep the line readable for a person)."""
    print("CAVIAR " + json.dumps({"epoch": epoch, **metrics}), flush=True)


def make_moons(samples: int, noise: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaved half circles, labels 0 and 1."""
    rng = np.random.default_rng(seed)
    half = samples // 2
    angle = rng.uniform(0, np.pi, samples)
    X = np.column_stack([np.cos(angle), np.sin(angle)])
    X[half:] = np.column_stack([1 - np.cos(angle[half:]), 0.5 - np.sin(angle[half:])])
    y = np.r_[np.zeros(half), np.ones(samples - half)]
    return X + rng.normal(0, noise, X.shape), y


def polynomial_features(X: np.ndarray, degree: int) -> np.ndarray:
    """Every product x1^i * x2^j with 1 <= i + j <= degree, then a column of ones."""
    columns = [X[:, 0] ** i * X[:, 1] ** (d - i) for d in range(1, degree + 1)
               for i in range(d + 1)]
    return np.column_stack([*columns, np.ones(len(X))])


def log_loss(p: np.ndarray, y: np.ndarray) -> float:
    p = np.clip(p, 1e-12, 1 - 1e-12)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lr", type=float, default=0.1, help="learning rate")
    parser.add_argument("--epochs", type=int, default=20)
    parser.add_argument("--degree", type=int, default=3, help="polynomial degree of features")
    parser.add_argument("--l2", type=float, default=0.0, help="L2 penalty on the weights")
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    if args.lr <= 0 or args.epochs < 1:
        parser.error("--lr must be > 0 and --epochs >= 1")

    X, y = make_moons(600, noise=0.2, seed=0)  # the same data for every run
    features = polynomial_features(X, args.degree)
    features[:, :-1] /= features[:, :-1].std(axis=0)
    n_train = 480
    X_train, y_train = features[:n_train], y[:n_train]
    X_val, y_val = features[n_train:], y[n_train:]
    print(f"{n_train} training and {len(y_val)} validation examples, "
          f"{features.shape[1]} features (degree {args.degree})")

    rng = np.random.default_rng(args.seed)
    w = np.zeros(features.shape[1])
    batches = max(1, n_train // args.batch_size)
    start = time.perf_counter()
    for epoch in range(1, args.epochs + 1):
        for batch in np.array_split(rng.permutation(n_train), batches):
            p = 1 / (1 + np.exp(-np.clip(X_train[batch] @ w, -30, 30)))
            w -= args.lr * (X_train[batch].T @ (p - y_train[batch]) / len(batch) + args.l2 * w)

        p_train = 1 / (1 + np.exp(-np.clip(X_train @ w, -30, 30)))
        p_val = 1 / (1 + np.exp(-np.clip(X_val @ w, -30, 30)))
        val_loss = log_loss(p_val, y_val)
        val_accuracy = float(np.mean((p_val > 0.5) == y_val))
        print(f"epoch {epoch}/{args.epochs}: val_loss {val_loss:.4f}, "
              f"val_accuracy {val_accuracy:.3f} ({time.perf_counter() - start:.2f} s)")
        report(epoch, train_loss=log_loss(p_train, y_train), val_loss=val_loss,
               val_accuracy=val_accuracy, weight_norm=float(np.linalg.norm(w)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
