"""Write a synthetic Caviar study file: N finished trials x E epochs over 6 parameters.

    .venv/bin/python benchmarks/make_big_study.py big.db --trials 100000 --epochs 50

The study row goes through ``SQLiteStorage.create_study`` (a real, parseable config); the
trials and epochs are written in one transaction with ``executemany`` on the connection of
``core/study/schema.connect`` and the column names of that schema, so the file is exactly what
a sweep would have written (100,000 x 50 in well under a minute instead of hours of per-row
commits). Losses follow a noisy decay per trial; about 2 % of trials diverge (NaN from some
epoch on, state ``diverged``) and 10 % are pruned after a few epochs.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np

from desktop_app.core.config import parse_config
from desktop_app.core.study import METRIC_NAMES, SQLiteStorage, TrialState
from desktop_app.core.study.schema import connect

STUDY_NAME = "big"
CONFIG = {
    "study": {"name": STUDY_NAME, "metric": "val_loss", "strategy": "random", "trials": 10},
    "data": {"dataset": "spiral", "samples": 300},
    "train": {"epochs": 50},
    "params": {
        "learning_rate": {"scale": "log", "low": 1e-4, "high": 1.0},
        "momentum": {"scale": "reverse_log", "low": 0.8, "high": 0.999},
        "batch_size": {"scale": "pow2", "low": 16, "high": 512},
        "hidden_units": {"scale": "pow2", "low": 16, "high": 256},
        "lr_decay": {"scale": "linear", "low": 0.0, "high": 1.0},
        "optimizer": {"values": ["sgd", "momentum", "rmsprop", "adam"]},
    },
}
CHUNK = 5000


def make_big_study(path: str | Path, trials: int, epochs: int = 50, seed: int = 0) -> None:
    """Create ``path`` holding study ``big`` with ``trials`` finished trials of ``epochs``."""
    config = json.loads(json.dumps(CONFIG))
    config["study"]["trials"] = trials
    config["train"]["epochs"] = epochs
    stored = parse_config(config).to_dict()  # as `caviar sweep` stores it, so resume accepts it
    with SQLiteStorage(path) as storage:
        study_id = storage.create_study(STUDY_NAME, stored).study_id
    rng = np.random.default_rng(seed)
    conn = connect(Path(path))
    metrics = ", ".join(METRIC_NAMES)
    trial_sql = (f"INSERT INTO trials (study_id, number, state, params, seed, {metrics}, "
                 "epochs, started, finished, error) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
    epoch_sql = (f"INSERT INTO epochs (study_id, number, epoch, {metrics}, learning_rate, "
                 "seconds) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
    try:
        conn.execute("BEGIN IMMEDIATE")
        for first in range(0, trials, CHUNK):
            count = min(CHUNK, trials - first)
            trial_rows, epoch_rows = _chunk(rng, study_id, first, count, epochs)
            conn.executemany(trial_sql, trial_rows)
            conn.executemany(epoch_sql, epoch_rows)
        conn.execute("COMMIT")
    finally:
        conn.close()


def _chunk(rng: np.random.Generator, study_id: int, first: int, count: int,
           epochs: int) -> tuple[list[tuple], list[tuple]]:
    """Trial and epoch rows for trials ``first .. first + count - 1``."""
    lr = 10 ** rng.uniform(-4, 0, count)
    params = np.column_stack([lr, 1 - 10 ** rng.uniform(-3, np.log10(0.2), count)])
    batch = 2 ** rng.integers(4, 10, count)
    hidden = 2 ** rng.integers(4, 9, count)
    decay = rng.uniform(0, 1, count)
    optimizer = rng.choice(["sgd", "momentum", "rmsprop", "adam"], count)
    # loss(e) = floor + (start - floor) * exp(-rate * e) + noise
    good = np.exp(-((np.log10(lr) + 2) ** 2))  # best near lr = 1e-2
    floor = 0.15 + 0.6 * (1 - good) + rng.uniform(0, 0.1, count)
    start = rng.uniform(1.0, 1.3, count)
    rate = 0.05 + 0.25 * good
    e = np.arange(1, epochs + 1)
    loss = floor[:, None] + (start - floor)[:, None] * np.exp(-rate[:, None] * e)
    loss *= 1 + 0.03 * rng.standard_normal(loss.shape)
    train = loss * 0.9
    done = np.full(count, epochs)
    states = np.full(count, TrialState.COMPLETE.value, dtype=object)
    pruned = rng.random(count) < 0.10
    done[pruned] = rng.integers(1, max(epochs // 3, 2), pruned.sum())
    states[pruned] = TrialState.PRUNED.value
    diverged = ~pruned & (rng.random(count) < 0.02)
    done[diverged] = rng.integers(1, epochs + 1, diverged.sum())
    states[diverged] = TrialState.DIVERGED.value
    loss[np.flatnonzero(diverged), done[diverged] - 1] = np.nan
    trial_rows, epoch_rows = [], []
    now = time.time()
    for i in range(count):
        n, last = first + i, int(done[i]) - 1
        p = {"learning_rate": float(params[i, 0]), "momentum": float(params[i, 1]),
             "batch_size": int(batch[i]), "hidden_units": int(hidden[i]),
             "lr_decay": float(decay[i]), "optimizer": str(optimizer[i])}
        vl, tl = loss[i, : last + 1], train[i, : last + 1]
        va, ta = 1 - vl / 2, 1 - tl / 2
        trial_rows.append((study_id, n, states[i], json.dumps(p), n,
                           _f(tl[last]), _f(ta[last]), _f(vl[last]), _f(va[last]),
                           last + 1, now, now + 1.0, ""))
        epoch_rows.extend(
            (study_id, n, k + 1, _f(tl[k]), _f(ta[k]), _f(vl[k]), _f(va[k]), float(lr[i]), 0.02)
            for k in range(last + 1)
        )
    return trial_rows, epoch_rows


def _f(value: float) -> float | None:
    """NaN as NULL, as SQLite stores it."""
    return None if value != value else float(value)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path")
    parser.add_argument("--trials", type=int, default=10_000)
    parser.add_argument("--epochs", type=int, default=50)
    args = parser.parse_args()
    Path(args.path).unlink(missing_ok=True)
    start = time.perf_counter()
    make_big_study(args.path, args.trials, args.epochs)
    size = Path(args.path).stat().st_size / 1e6
    print(f"{args.path}: {args.trials} trials x {args.epochs} epochs, {size:.0f} MB, "
          f"{time.perf_counter() - start:.1f} s")


if __name__ == "__main__":
    main()
