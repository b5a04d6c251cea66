"""Sweep benchmarks (issue 3, section 7). Run: ``.venv/bin/python benchmarks/bench_sweep.py``.

(a) Executor speed-up: the same 8-trial sweep (spiral, a network big enough that one trial
    takes about a second) with 1 and 2 workers on the thread and the process executor. Target:
    >= 1.7x for ``process`` with 2 workers on 2 cores; threads gain only while numpy releases
    the GIL (inside large matrix products), so little for small networks.
    Times are wall times of the whole sweep, worker start-up included, best of ``REPEATS``.
(b) Per-trial overhead of sampling + storage against Optuna's own ``study.optimize``.
"""

from __future__ import annotations

import argparse
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
def sweep_config(executor: str, workers: int, epochs: int = 80) -> StudyConfig:
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
    for kind in ("thread", "process"):
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
    print(f"    process speed-up with 2 workers: {speedups['process']:.2f}x "
          f"(target >= 1.7x: {target}); thread: {speedups['thread']:.2f}x; "
          f"load average now {_load()}")
    return speedups


def _load() -> str:
    """The 1-minute load average (other programs share the cores), or 'n/a'."""
    return f"{os.getloadavg()[0]:.2f}" if hasattr(os, "getloadavg") else "n/a"


# --- (b) per-trial overhead vs Optuna -------------------------------------------------------
# >>> The lead adds part (b) here: overhead per trial of sampling + storage with an instant
# >>> objective, random and TPE at 100 and 1,000 trials, next to Optuna's study.optimize with
# >>> in-memory and SQLite storage. Call it from main() below.
# --------------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=80, help="epochs per trial in part (a)")
    args = parser.parse_args()
    part_a(args.epochs)


if __name__ == "__main__":  # required: the process executor's workers re-import this module
    main()
