"""The Dask executor's rows of bench_sweep's 1-vs-2-worker comparison (issue 6).

Run alone: ``.venv/bin/python benchmarks/bench_dask.py [--epochs N]`` (same sweep as
``bench_sweep.py`` part (a)), or call :func:`part_dask` from ``bench_sweep.py``. Each run
starts a fresh local Dask cluster on 127.0.0.1 (its start-up counts in the sweep time, as the
process executor's does, and is also printed on its own).
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

from desktop_app.core.config import StudyConfig
from desktop_app.core.events import StudyFinished, TrialFinished
from desktop_app.core.runner import Coordinator
from desktop_app.core.runner.dask_executor import DaskExecutor
from desktop_app.core.study import InMemoryStorage


def time_dask_sweep(config: StudyConfig) -> tuple[float, float, float]:
    """Wall seconds of the sweep on a new local cluster, mean trial seconds, start-up seconds."""
    start = time.perf_counter()
    executor = DaskExecutor(config.study.workers)
    startup = time.perf_counter() - start
    last = None
    trial_seconds = []
    for event in Coordinator(InMemoryStorage(), config, executor=executor).run():
        if isinstance(event, StudyFinished):
            last = event
        elif isinstance(event, TrialFinished):
            trial_seconds.append(event.seconds)
    wall = time.perf_counter() - start
    assert last is not None and last.finished == config.budget(), last
    return wall, sum(trial_seconds) / len(trial_seconds), startup


def part_dask(config_for: Callable[[int], StudyConfig], repeats: int) -> float:
    """Print the dask rows (1 and 2 workers, interleaved, best of ``repeats``); return the
    speed-up with 2 workers. ``config_for(workers)`` is the sweep to time."""
    runs: dict[int, list[tuple[float, float, float]]] = {1: [], 2: []}
    for _ in range(repeats):
        for workers in runs:
            runs[workers].append(time_dask_sweep(config_for(workers)))
    best = {workers: min(times) for workers, times in runs.items()}
    for workers, (wall, per_trial, startup) in best.items():
        print(f"    {'dask':<9} {workers:>7} {wall:>9.2f} {per_trial:>9.2f} "
              f"{best[1][0] / wall:>8.2f}x   (cluster start {startup:.2f} s)")
    return best[1][0] / best[2][0]


def main() -> None:
    from bench_sweep import REPEATS, TRIALS, _load, sweep_config

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=50, help="epochs per trial")
    args = parser.parse_args()
    print(f"{TRIALS}-trial sweep, 2 x 128 network, {args.epochs} epochs, best of {REPEATS}; "
          f"load average {_load()}")
    print(f"    {'executor':<9} {'workers':>7} {'sweep s':>9} {'trial s':>9} {'speed-up':>9}")
    speedup = part_dask(lambda workers: sweep_config("dask", workers, args.epochs), REPEATS)
    print(f"    dask speed-up with 2 workers: {speedup:.2f}x; load average now {_load()}")


if __name__ == "__main__":  # required: the local cluster's workers re-import this module
    main()
