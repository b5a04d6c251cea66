"""Trainer benchmarks (issue 13): what running the user's own code through Caviar costs.

    .venv/bin/python benchmarks/bench_trainers.py [--part a|b|c|all] [--reports 10000]

(a) Reporting overhead: a function trainer that does nothing but ``trial.report`` 10,000
    epochs, run through the real executors (``ThreadExecutor`` / ``ProcessExecutor`` with
    ``TrialTask`` and ``run_trial``), its events drained with ``poll()`` as the coordinator
    does. Per report: (time of the 10,000-epoch trial - time of a 1-epoch trial) / 9,999, so
    loading the function and handing the trial over do not count; best of ``REPEATS``,
    interleaved. Targets: < 20 us a report in a thread worker, < 200 us in a process worker.
(b) A command trainer's added cost per trial over its program's own start-up: the same
    ``python -c "print('CAVIAR {...}')"`` run directly with ``subprocess`` and through
    ``run_trial`` with a command ``TrainerSpec`` (the same interpreter and arguments); best of
    ``COMMAND_RUNS`` interleaved runs (medians printed too). Target: < 50 ms added.
(c) The built-in network through the trainer path (``run_trial`` with the ``NETWORK`` trainer:
    a ``TrialHandle`` and an ``EpochEnded`` per epoch) against ``trainers.network.fit`` called
    directly with the same hyperparameters, data and seed, one BLAS thread; ``NETWORK_RUNS``
    pairs of runs one after the other (the order alternating), the figure is the median of
    the pairs' time ratios, which a load change on a shared machine hits alike. Target: no
    more than 3 % slower.

Every figure is printed beside its target; the exit status is 1 when one is missed.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPEATS = 3
COMMAND_RUNS = 15
NETWORK_RUNS = 11

TARGET_THREAD_US = 20.0
TARGET_PROCESS_US = 200.0
TARGET_COMMAND_MS = 50.0
TARGET_NETWORK_RATIO = 1.03

REPORT_ONLY = '''
def train(params, trial):
    """Report ``params["epochs"]`` epochs and nothing else."""
    for epoch in range(1, params["epochs"] + 1):
        trial.report(epoch, val_loss=1.0 / epoch)
'''
CAVIAR_LINE = "print('CAVIAR {\"epoch\": 1, \"loss\": 0.5}')"


def _load() -> str:
    """The 1-minute load average (other programs share the cores), or 'n/a'."""
    return f"{os.getloadavg()[0]:.2f}" if hasattr(os, "getloadavg") else "n/a"


def _verdict(met: bool) -> str:
    return "met" if met else "NOT met"


def _task(number: int, trainer: Any, fixed: dict[str, Any], metric: str) -> Any:
    from desktop_app.core.data import DataSpec
    from desktop_app.core.runner.task import TrialTask

    return TrialTask(study="bench", number=number, params={}, fixed=fixed, seed=number,
                     data=DataSpec(), metric=metric, trainer=trainer)


# --- (a) reporting overhead -----------------------------------------------------------------
def _time_trial(executor: Any, task: Any) -> tuple[float, int]:
    """Seconds from submit to its ``TrialFinished`` out of ``poll()``, and epochs received."""
    from desktop_app.core.events import EpochEnded, TrialFinished

    start = time.perf_counter()
    executor.submit(task)
    epochs = 0
    while True:
        for event in executor.poll(0.05):
            if isinstance(event, EpochEnded):
                epochs += 1
            elif isinstance(event, TrialFinished):
                elapsed = time.perf_counter() - start
                assert event.state == "complete", event
                return elapsed, epochs


def report_overhead(kind: str, reports: int, folder: Path) -> float:
    """Microseconds per report in a ``kind`` worker (best of :data:`REPEATS`)."""
    from desktop_app.core.runner import ProcessExecutor, ThreadExecutor
    from desktop_app.core.trainers import parse_trainer

    (folder / "report_only.py").write_text(REPORT_ONLY)
    spec = parse_trainer({"function": "report_only.py:train"}, folder)
    executor = ThreadExecutor(1) if kind == "thread" else ProcessExecutor(1)
    try:
        number = 0
        _time_trial(executor, _task(number, spec, {"epochs": 1}, "val_loss"))  # start, load
        best = float("inf")
        for _ in range(REPEATS):
            short, _ = _time_trial(executor, _task(number := number + 1, spec, {"epochs": 1},
                                                   "val_loss"))
            long, got = _time_trial(executor, _task(number := number + 1, spec,
                                                    {"epochs": reports}, "val_loss"))
            assert got == reports, (got, reports)
            best = min(best, (long - short) / (reports - 1) * 1e6)
        return best
    finally:
        executor.shutdown()


def part_a(reports: int) -> bool:
    print(f"(a) reporting overhead: a function trainer reporting {reports:,} epochs, through "
          f"the real executor, events drained with poll(); best of {REPEATS}; "
          f"load average {_load()}")
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        for kind, target in (("thread", TARGET_THREAD_US), ("process", TARGET_PROCESS_US)):
            us = report_overhead(kind, reports, Path(tmp))
            met = us < target
            ok &= met
            print(f"    {kind:<8} worker: {us:8.1f} us per report   (target < {target:.0f} us: "
                  f"{_verdict(met)})")
    return ok


# --- (b) command trainer's added cost -------------------------------------------------------
def _direct(argv: list[str]) -> float:
    """Seconds to run the program and read its output, as a script would."""
    start = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, text=True, check=True)
    elapsed = time.perf_counter() - start
    assert done.stdout.startswith("CAVIAR {"), done.stdout
    return elapsed


def _through_caviar(spec: Any, number: int) -> float:
    from desktop_app.core.runner.trial import run_trial

    start = time.perf_counter()
    result = run_trial(_task(number, spec, {}, "loss"), lambda event: None, lambda: False)
    elapsed = time.perf_counter() - start
    assert result.state == "complete" and result.value == 0.5, result
    return elapsed


def part_b() -> bool:
    from desktop_app.core.trainers import TRIAL_NUMBER, TrainerSpec

    literal = CAVIAR_LINE.replace("{", "{{").replace("}", "}}")  # braces that are no {name}
    spec = TrainerSpec(command=(sys.executable, "-c", literal), workdir=os.getcwd())
    argv = spec.argv({TRIAL_NUMBER: 0})  # the very program and arguments run_trial runs
    assert argv[2] == CAVIAR_LINE, argv
    _direct(argv), _through_caviar(spec, 0)  # warm-up: the disk cache, first imports
    direct, ours = [], []
    for number in range(1, COMMAND_RUNS + 1):
        direct.append(_direct(argv))
        ours.append(_through_caviar(spec, number))
    d, o = min(direct), min(ours)
    added = (o - d) * 1e3
    met = added < TARGET_COMMAND_MS
    print(f"(b) command trainer: `python -c \"print('CAVIAR {{...}}')\"` ({argv[0]}), "
          f"best of {COMMAND_RUNS} interleaved runs; load average {_load()}")
    print(f"    program alone {d * 1e3:7.1f} ms (median {statistics.median(direct) * 1e3:.1f}), "
          f"through run_trial {o * 1e3:7.1f} ms (median {statistics.median(ours) * 1e3:.1f}): "
          f"added {added:5.1f} ms per trial   (target < {TARGET_COMMAND_MS:.0f} ms: "
          f"{_verdict(met)})")
    return met


# --- (c) the built-in network: trainer path vs fit() ----------------------------------------
NETWORK_CONFIG = {
    "study": {"name": "bench", "metric": "val_accuracy"},
    "data": {"source": "spiral", "samples": 3000, "classes": 3, "noise": 0.2},
    "train": {"epochs": 40, "hidden_units": 64, "hidden_layers": 2, "batch_size": 32,
              "learning_rate": 0.01, "optimizer": "adam"},
}


def part_c() -> bool:
    from threadpoolctl import threadpool_limits

    from desktop_app.core.config import parse_config
    from desktop_app.core.runner.trial import run_trial
    from desktop_app.core.trainers import NETWORK
    from desktop_app.core.trainers.network import fit

    config = parse_config(NETWORK_CONFIG)
    task = _task(0, NETWORK, dict(config.train), "val_accuracy")
    task = type(task)(**{**task.__dict__, "data": config.data})

    def old() -> float:
        start = time.perf_counter()
        result = fit(task.hyperparameters, task.data, task.seed, should_stop=lambda: False)
        elapsed = time.perf_counter() - start
        assert result.status == "complete", result.status
        return elapsed

    def new() -> float:
        start = time.perf_counter()
        result = run_trial(task, lambda event: None, lambda: False)
        elapsed = time.perf_counter() - start
        assert result.state == "complete", result
        return elapsed

    with threadpool_limits(limits=1):
        old(), new()  # warm-up: the data set is made and cached, imports done
        runs: dict[str, list[float]] = {"fit": [], "run_trial": []}
        for i in range(NETWORK_RUNS):
            first, second = (old, new) if i % 2 == 0 else (new, old)  # alternate the order
            for step in (first, second):
                runs["fit" if step is old else "run_trial"].append(step())
    best_old, best_new = min(runs["fit"]), min(runs["run_trial"])
    # each run against its neighbour of the other kind: a load change hits both alike
    ratio = statistics.median(n / o for n, o in zip(runs["run_trial"], runs["fit"], strict=True))
    met = ratio <= TARGET_NETWORK_RATIO
    epochs = NETWORK_CONFIG["train"]["epochs"]
    print(f"(c) built-in network, spiral 3,000 points, 2 x 64, {epochs} epochs, one BLAS "
          f"thread; {NETWORK_RUNS} interleaved pairs of runs; load average {_load()}")
    print(f"    fit() directly {best_old:6.3f} s (median {statistics.median(runs['fit']):.3f}), "
          f"run_trial(NETWORK) {best_new:6.3f} s "
          f"(median {statistics.median(runs['run_trial']):.3f}): "
          f"best/best {best_new / best_old:.3f}; median of the {NETWORK_RUNS} paired ratios "
          f"{ratio:.3f}   (target <= {TARGET_NETWORK_RATIO:.2f}: {_verdict(met)})")
    return met


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--part", choices=("a", "b", "c", "all"), default="all")
    parser.add_argument("--reports", type=int, default=10_000,
                        help="epochs the report-only trainer reports in part (a)")
    args = parser.parse_args()
    print(f"{os.cpu_count()} CPUs, Python {sys.version.split()[0]}")
    ok = True
    if args.part in ("a", "all"):
        ok &= part_a(args.reports)
    if args.part in ("b", "all"):
        ok &= part_b()
    if args.part in ("c", "all"):
        ok &= part_c()
    print("all targets met" if ok else "a target was missed")
    return 0 if ok else 1


if __name__ == "__main__":  # required: the process executor's workers re-import this module
    sys.exit(main())
