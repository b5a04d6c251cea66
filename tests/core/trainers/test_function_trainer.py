"""The user's Python function through run_trial: reports, final metrics, stop, every way to
fail (a failed trial never raises, its reason is what the user needs)."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from desktop_app.core.study import TrialState
from desktop_app.core.trainers.function import load_function
from tests.core.trainers.helpers import function_spec, own_task, run

GOOD = """
    def train(params, trial):
        for epoch in range(1, params["epochs"] + 1):
            trial.report(epoch, val_loss=1.0 / epoch, f1=params["width"] * epoch / 10)
            trial.log(f"epoch {epoch} done")
            if trial.should_stop():
                return None
        return {"f1": 0.99, "auc": 0.5}
"""


def test_reports_become_epochs_and_the_result_uses_final_metrics(tmp_path: Path) -> None:
    epochs, result = run(own_task(function_spec(tmp_path, GOOD), width=2))
    assert [(e.epoch, e.val_loss, e.extra) for e in epochs] == [
        (1, 1.0, {"f1": 0.2}), (2, 0.5, {"f1": 0.4}), (3, 1 / 3, {"f1": 0.6})]
    assert all(math.isnan(e.val_accuracy) and e.seconds >= 0 for e in epochs)
    assert (result.state, result.value, result.epochs) == ("complete", 0.99, 3)
    assert result.metrics["auc"] == 0.5 and result.metrics["val_loss"] == 1 / 3
    assert result.log == "epoch 1 done\nepoch 2 done\nepoch 3 done"


def test_a_stop_reaches_the_function_and_ends_the_trial_interrupted(tmp_path: Path) -> None:
    epochs, result = run(own_task(function_spec(tmp_path, GOOD), width=1), stop_after=1)
    assert len(epochs) == 1
    assert (result.state, result.epochs) == ("interrupted", 1)


def test_an_exception_fails_the_trial_with_the_traceback(tmp_path: Path) -> None:
    spec = function_spec(tmp_path, """
        def train(params, trial):
            trial.report(1, f1=0.5)
            raise RuntimeError("out of memory on the GPU")
    """)
    epochs, result = run(own_task(spec))
    assert result.state == "failed" and len(epochs) == 1
    assert "user_code.py" in result.error  # the traceback points into the user's file
    assert result.error.splitlines()[-1] == "RuntimeError: out of memory on the GPU"


@pytest.mark.parametrize(("body", "state", "words"), [
    ("def train(params, trial):\n    trial.report(1, f1=float('nan'))\n", "diverged", ""),
    ("def train(params, trial):\n    trial.report(1, loss=float('inf'))\n", "diverged", ""),
    ("def train(params, trial):\n    return {'f1': float('nan')}\n", "diverged", ""),
    ("def train(params, trial):\n    return None\n", "failed", "without reporting a metric"),
    ("def train(params, trial):\n    return 0.9\n", "failed", "must return None or a dict"),
    ("def train(params, trial):\n    return {'f1': 'high'}\n", "failed", "not a number"),
    ("def train(params, trial):\n    trial.report(0, f1=1)\n", "failed", "epoch 0 must come"),
    ("def train(params, trial):\n    trial.report(1, f1=1)\n    trial.report(1, f1=1)\n",
     "failed", "epoch 1 must come after epoch 1"),
    ("def train(params, trial):\n    trial.report(1)\n", "failed", "at least one metric"),
    ("def train(params, trial):\n    trial.report(1, f1='x')\n", "failed", "f1 must be a number"),
    ("def train(params, trial):\n    trial.report(1.5, f1=1)\n", "failed", "whole number"),
    ("def train(params, trial):\n    trial.report(1, **{'a b': 1})\n", "failed",
     "metric name 'a b'"),
    ("train = 3\n", "failed", "has no function 'train'"),
])
def test_each_way_a_trainer_goes_wrong(tmp_path: Path, body: str, state: str, words: str
                                       ) -> None:
    _, result = run(own_task(function_spec(tmp_path, body)))
    assert result.state == state
    assert words in result.error
    assert TrialState(result.state)


def test_only_final_metrics_are_enough(tmp_path: Path) -> None:
    spec = function_spec(tmp_path, "def train(params, trial):\n    return {'f1': 0.7}\n")
    epochs, result = run(own_task(spec))
    assert (epochs, result.state, result.value, result.epochs) == ([], "complete", 0.7, 0)


def test_the_function_is_loaded_once_per_worker_and_may_import_its_neighbours(
    tmp_path: Path,
) -> None:
    (tmp_path / "helper_mod_for_test.py").write_text("SCALE = 3\n")
    spec = function_spec(tmp_path, """
        from dataclasses import dataclass
        import helper_mod_for_test

        LOADS = []
        LOADS.append(1)

        @dataclass
        class Point:
            x: int

        def train(params, trial):
            trial.report(1, f1=helper_mod_for_test.SCALE * Point(len(LOADS)).x)
    """)
    assert load_function(spec) is load_function(spec)
    _, first = run(own_task(spec))
    _, second = run(own_task(spec, number=1))
    assert first.value == second.value == 3.0  # the module ran once


def test_what_a_function_prints_is_its_trials_log_not_the_terminals(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = function_spec(tmp_path, """
        import sys, threading

        def train(params, trial):
            print("loading data", end="")
            print(" ... done")
            print("a warning", file=sys.stderr)
            seen = []
            other = threading.Thread(target=lambda: print("from another thread"))
            other.start()
            other.join()
            trial.report(1, f1=0.5)
            print("no newline at the end", end="")
    """)
    _, result = run(own_task(spec))
    assert result.log.splitlines() == ["loading data ... done", "a warning",
                                       "no newline at the end"]
    captured = capsys.readouterr()
    assert captured.out == "from another thread\n" and captured.err == ""


def test_a_traceback_starts_in_the_users_code(tmp_path: Path) -> None:
    spec = function_spec(tmp_path, "def train(params, trial):\n    return 1 / 0\n")
    _, result = run(own_task(spec))
    assert "run_trial" not in result.error and "user_code.py" in result.error.splitlines()[1]


def test_a_neighbour_imported_inside_train_is_found(tmp_path: Path) -> None:
    (tmp_path / "late_neighbour_for_test.py").write_text("VALUE = 0.25\n")
    spec = function_spec(tmp_path, """
        def train(params, trial):
            import late_neighbour_for_test
            trial.report(1, f1=late_neighbour_for_test.VALUE)
    """)
    assert run(own_task(spec))[1].value == 0.25
