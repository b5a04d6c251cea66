"""Sweep benchmarks (issue 3, section 7). Run: ``.venv/bin/python benchmarks/bench_sweep.py``.

(a) Executor speed-up: the same 8-trial sweep (spiral, a network big enough that one trial
    takes about a second) with 1 and 2 workers on the thread and the process executor. Target:
    >= 1.7x for ``process`` with 2 workers on 2 cores; threads gain only while numpy releases
    the GIL (inside large matrix products), so little for small networks.
    Times are wall times of the whole sweep, worker start-up included, best of ``REPEATS``.
(a) also times the ``dask`` executor (a local cluster started per sweep, its start-up
    included) when ``distributed`` is installed.
(b) Per-trial overhead of sampling + storage with an instant objective, random and TPE at 100
    and 1,000 trials: Caviar's coordinator + strategy + storage (in memory and SQLite) next to
    Optuna's own ``study.optimize`` (in memory and SQLite). Target: ours no higher than
    Optuna's with the same kind of storage.
"""

from __future__ import annotations

import argparse
import importlib.util
import math
import os
import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from desktop_app.core.config import StudyConfig

# Heavy imports (config, search, Optuna) happen inside the functions: process workers re-import
# this script as their main module, and `caviar` itself keeps its entry module light the same way.

TRIALS = 8
REPEATS = 3


# --- (a) executor speed-up ------------------------------------------------------------------
def sweep_config(executor: str, workers: int, epochs: int = 120) -> StudyConfig:
    """8 random trials of a 2 x 128 network on 2,000 spiral points (about 1 s per trial)."""
    from desktop_app.core.config import parse_config

    return parse_config({
        "study": {"name": "bench", "strategy": "random", "trials": TRIALS, "seed": 0,
                  "executor": executor, "workers": workers},
        "data": {"source": "spiral", "samples": 2000, "classes": 3, "noise": 0.2},
        "train": {"epochs": epochs, "hidden_units": 128, "hidden_layers": 2, "batch_size": 64,
                  "optimizer": "adam"},
        "params": {"learning_rate": {"scale": "log", "low": 1e-3, "high": 1e-1}},
    })


def time_sweep(config: StudyConfig) -> tuple[float, float, float]:
    """Wall seconds of the whole sweep, mean seconds of one trial, and cores used (CPU seconds
    of this process and its finished workers per wall second: near 2 when 2 workers had 2
    cores to themselves, lower when other programs took them)."""
    from desktop_app.core.events import StudyFinished, TrialFinished
    from desktop_app.core.runner import Coordinator
    from desktop_app.core.study import InMemoryStorage

    cpu_before = _cpu_seconds()
    start = time.perf_counter()
    last = None
    trial_seconds = []
    for event in Coordinator(InMemoryStorage(), config).run():
        if isinstance(event, StudyFinished):
            last = event
        elif isinstance(event, TrialFinished):
            trial_seconds.append(event.seconds)
    wall = time.perf_counter() - start
    assert last is not None and last.finished == TRIALS, last
    return wall, sum(trial_seconds) / len(trial_seconds), (_cpu_seconds() - cpu_before) / wall


def _cpu_seconds() -> float:
    """CPU seconds of this process plus its waited-for children (the worker processes)."""
    now = os.times()
    return now.user + now.system + now.children_user + now.children_system


def part_a(epochs: int) -> dict[str, float]:
    """Print the sweep times and speed-ups; return the speed-up of each executor.

    Runs are interleaved (1 worker, 2 workers, 1, 2, ...) so a load change on a shared machine
    hits both; the best run of each counts. The load average and the cores each sweep really
    got are printed for context.
    """
    print(f"(a) {TRIALS}-trial sweep, spiral 2000 points, 2 x 128 network, {epochs} epochs; "
          f"{os.cpu_count()} CPUs; best of {REPEATS}; load average {_load()}")
    print(f"    {'executor':<9} {'workers':>7} {'sweep s':>9} {'trial s':>9} {'cores':>6} "
          f"{'speed-up':>9}")
    speedups = {}
    kinds = ("thread", "process", "dask") if importlib.util.find_spec("distributed") else (
        "thread", "process")
    for kind in kinds:
        runs: dict[int, list[tuple[float, float, float]]] = {1: [], 2: []}
        for _ in range(REPEATS):
            for workers in runs:
                runs[workers].append(time_sweep(sweep_config(kind, workers, epochs)))
        best = {workers: min(times) for workers, times in runs.items()}
        for workers, (wall, per_trial, cores) in best.items():
            print(f"    {kind:<9} {workers:>7} {wall:>9.2f} {per_trial:>9.2f} {cores:>6.2f} "
                  f"{best[1][0] / wall:>8.2f}x")
        speedups[kind] = best[1][0] / best[2][0]
    target = "met" if speedups["process"] >= 1.7 else "NOT met"
    others = "; ".join(f"{k}: {v:.2f}x" for k, v in speedups.items() if k != "process")
    print(f"    process speed-up with 2 workers: {speedups['process']:.2f}x "
          f"(target >= 1.7x: {target}); {others}; load average now {_load()}")
    return speedups


def _load() -> str:
    """The 1-minute load average (other programs share the cores), or 'n/a'."""
    return f"{os.getloadavg()[0]:.2f}" if hasattr(os, "getloadavg") else "n/a"


# --- (b) per-trial overhead vs Optuna -------------------------------------------------------
OVERHEAD_SPACE = {  # five parameters on every kind of scale
    "learning_rate": {"scale": "log", "low": 1e-4, "high": 1.0},
    "momentum": {"scale": "reverse_log", "low": 0.8, "high": 0.999},
    "batch_size": {"scale": "pow2", "low": 16, "high": 256},
    "dropout": {"scale": "linear", "low": 0.0, "high": 0.5},
    "activation": {"values": ["relu", "tanh"]},
}


def _instant_trial(task, report, should_stop):  # the RunTrial signature
    """An objective that costs nothing: one epoch whose metric is a function of the params."""
    from desktop_app.core.events import EpochEnded, TrialFinished

    value = abs(math.log10(task.params["learning_rate"]) + 2.0) + task.params["dropout"]
    report(EpochEnded(task.study, task.number, 1, value, 0.5, value, 0.5, 0.01, 0.0))
    return TrialFinished(task.study, task.number, "complete", value, 1, 0.0,
                         {"train_loss": value, "train_accuracy": 0.5, "val_loss": value,
                          "val_accuracy": 0.5})


def ours_per_trial(strategy: str, trials: int, sqlite_path: str | None) -> float:
    """Milliseconds per trial of Caviar's coordinator + strategy + storage, objective free."""
    from desktop_app.core.config import parse_config
    from desktop_app.core.runner import Coordinator
    from desktop_app.core.runner.thread_executor import ThreadExecutor
    from desktop_app.core.study import open_storage

    config = parse_config({
        "study": {"name": "overhead", "strategy": strategy, "trials": trials, "seed": 0,
                  "executor": "thread", "workers": 1, "metric": "val_loss"},
        "train": {"epochs": 1}, "params": OVERHEAD_SPACE,
    })
    with open_storage(sqlite_path) as storage:
        start = time.perf_counter()
        for _ in Coordinator(storage, config, ThreadExecutor(1, run=_instant_trial)).run():
            pass
        return (time.perf_counter() - start) / trials * 1e3


def optuna_per_trial(strategy: str, trials: int, sqlite_path: str | None) -> float:
    """Milliseconds per trial of Optuna's own ``study.optimize`` on the same space."""
    import optuna

    optuna.logging.set_verbosity(optuna.logging.ERROR)

    def objective(trial: optuna.Trial) -> float:
        lr = trial.suggest_float("learning_rate", 1e-4, 1.0, log=True)
        trial.suggest_float("one_minus_momentum", 1e-3, 0.2, log=True)
        trial.suggest_int("log2_batch_size", 4, 8)
        dropout = trial.suggest_float("dropout", 0.0, 0.5)
        trial.suggest_categorical("activation", ["relu", "tanh"])
        value = abs(math.log10(lr) + 2.0) + dropout
        trial.report(value, 1)
        return value

    sampler = (optuna.samplers.TPESampler(seed=0) if strategy == "tpe"
               else optuna.samplers.RandomSampler(seed=0))
    storage = f"sqlite:///{sqlite_path}" if sqlite_path else None
    study = optuna.create_study(storage=storage, sampler=sampler, direction="minimize")
    start = time.perf_counter()
    study.optimize(objective, n_trials=trials)
    return (time.perf_counter() - start) / trials * 1e3


def part_b(sizes: tuple[int, ...]) -> None:
    """Print the per-trial overhead table: ours vs Optuna, in memory and in SQLite."""
    import tempfile

    print(f"(b) overhead per trial (ms), instant objective, 5 parameters, one report per trial; "
          f"load average {_load()}")
    print(f"    {'strategy':<8} {'trials':>6} {'ours mem':>9} {'ours sqlite':>12} "
          f"{'optuna mem':>11} {'optuna sqlite':>14} {'ours/optuna sqlite':>19}")
    for strategy in ("random", "tpe"):  # warm-up: imports and first-call costs don't count
        ours_per_trial(strategy, 5, None)
        optuna_per_trial(strategy, 5, None)
    for strategy in ("random", "tpe"):
        for trials in sizes:
            with tempfile.TemporaryDirectory() as tmp:
                row = [ours_per_trial(strategy, trials, None),
                       ours_per_trial(strategy, trials, f"{tmp}/ours.db"),
                       optuna_per_trial(strategy, trials, None),
                       optuna_per_trial(strategy, trials, f"{tmp}/optuna.db")]
            print(f"    {strategy:<8} {trials:>6} {row[0]:>9.2f} {row[1]:>12.2f} {row[2]:>11.2f} "
                  f"{row[3]:>14.2f} {row[1] / row[3]:>18.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=120, help="epochs per trial in part (a)")
    parser.add_argument("--part", choices=("a", "b", "all"), default="all")
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000],
                        help="numbers of trials in part (b)")
    args = parser.parse_args()
    if args.part in ("a", "all"):
        part_a(args.epochs)
    if args.part in ("b", "all"):
        part_b(tuple(args.sizes))


if __name__ == "__main__":  # required: the process executor's workers re-import this module
    main()
