"""``caviar --selftest`` from the source tree, and the checks it makes (which must be able to fail).

The frozen bundle runs the same selftest in ``test_installer.py`` (marked ``packaging``).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from desktop_app import selftest
from desktop_app.core.study import EpochRow, SQLiteStorage, TrialState
from desktop_app.selftest import EPOCHS, TRIALS, SelftestError

OK_LINE = re.compile(
    rf"^caviar selftest ok: {TRIALS} trials, {EPOCHS} epochs each, process executor, iris, "
    r"\d+\.\d s$"
)
CONFIG = {"study": {"executor": "process"}, "data": {"dataset": "iris"}}


def test_selftest_passes_from_source() -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, "-m", "desktop_app", "--selftest"], env=env,
                          capture_output=True, text=True, timeout=240)
    assert done.returncode == 0, done.stderr
    assert OK_LINE.match(done.stdout.strip()), done.stdout
    assert len(done.stdout.strip().splitlines()) == 1


def _study_file(path: Path, states: list[TrialState], rates: list[float],
                config: dict[str, object] = CONFIG) -> Path:
    """A study file shaped like the selftest's, with the given trial states."""
    with SQLiteStorage(path) as storage:
        study = storage.create_study("selftest", config)
        for state, rate in zip(states, rates, strict=True):
            trial = storage.create_trial(study.study_id, {"learning_rate": rate}, seed=0)
            storage.set_trial_running(study.study_id, trial.number)
            for epoch in range(1, EPOCHS + 1):
                storage.add_epoch(study.study_id, EpochRow(trial.number, epoch, 1.0, 0.5, 1.1,
                                                           0.4, rate, 0.01))
            storage.finish_trial(study.study_id, trial.number, state)
    return path


def test_storage_check_accepts_a_good_study(tmp_path: Path) -> None:
    path = _study_file(tmp_path / "s.db", [TrialState.COMPLETE] * 2, [0.01, 0.02])
    selftest.check_storage(path)


@pytest.mark.parametrize(
    ("states", "rates", "config", "message"),
    [
        ([TrialState.COMPLETE, TrialState.FAILED], [0.01, 0.02], CONFIG, "expected 2 complete"),
        ([TrialState.COMPLETE], [0.01], CONFIG, "expected 2 complete"),
        ([TrialState.COMPLETE] * 2, [0.01, 0.01], CONFIG, "not 2 distinct"),
        ([TrialState.COMPLETE] * 2, [0.01, 0.5], CONFIG, "not 2 distinct"),
        ([TrialState.COMPLETE] * 2, [0.01, 0.02],
         {"study": {"executor": "thread"}, "data": {"dataset": "iris"}}, "executor"),
    ],
)
def test_storage_check_refuses_a_wrong_study(
    tmp_path: Path, states: list[TrialState], rates: list[float],
    config: dict[str, object], message: str,
) -> None:
    path = _study_file(tmp_path / "s.db", states, rates, config)
    with pytest.raises(SelftestError, match=message):
        selftest.check_storage(path)


def test_a_failure_is_one_line_and_status_1(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(folder: Path) -> Path:
        raise RuntimeError("the platform plugin\ncould not be loaded")

    monkeypatch.setattr(selftest, "sweep_in_window", broken)
    assert selftest.run_selftest() == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err == ("caviar selftest FAILED: RuntimeError: the platform plugin could not be "
                   "loaded\n")


def test_an_error_python_only_printed_fails_the_selftest(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    class Leaky:
        def __del__(self) -> None:
            raise FileNotFoundError("_sobol_direction_numbers.npz")

    def sweep(folder: Path) -> Path:
        Leaky()  # dropped at once: its error goes to sys.unraisablehook, nothing raises
        return folder / "s.db"

    monkeypatch.setattr(selftest, "sweep_in_window", sweep)
    monkeypatch.setattr(selftest, "check_storage", lambda path: None)
    monkeypatch.setattr(sys, "unraisablehook", lambda unraisable: None)  # not pytest's
    assert selftest.run_selftest() == 1
    err = capsys.readouterr().err
    assert err.startswith("caviar selftest FAILED: an error was only logged: FileNotFoundError")
