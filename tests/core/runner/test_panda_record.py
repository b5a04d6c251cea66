"""Keeping a babysat run: where it is saved, how it is marked, what its epochs record (no Qt)."""

from __future__ import annotations

import io
import math

import pytest

from desktop_app.core.config import parse_config
from desktop_app.core.events import EpochEnded, TrialFinished, TrialStarted
from desktop_app.core.export import export_table, write_csv
from desktop_app.core.nn import EpochRecord
from desktop_app.core.runner.panda_record import (
    PANDA_MARK,
    BabysatRun,
    keep_run,
    panda_study_name,
    value_fits,
)
from desktop_app.core.search import Param
from desktop_app.core.study import InMemoryStorage, SQLiteStorage, TrialState
from tests.core.runner.helpers import small_config

RATES = (0.01, 0.01, 1e-4, 1e-4)  # the user divided the rate by 100 before epoch 3


def _run(status: str = "stopped", rate: float = 0.01, epochs: int = 4, error: str = "",
         **hp_changes: object) -> BabysatRun:
    config = small_config()
    hp = {**config.train, "learning_rate": rate, **hp_changes}
    history = tuple(EpochRecord(e, 1.0 / e, 0.5, 1.2 / e, 0.4 + e / 10, RATES[e - 1], 0.25)
                    for e in range(1, epochs + 1))
    return BabysatRun(hp, 7, config.data, history, status, seconds=1.5, error=error)


def _storage_with_sweep() -> InMemoryStorage:
    storage = InMemoryStorage()
    storage.create_study("s", small_config().to_dict())
    return storage


def test_a_fitting_run_becomes_a_trial_of_the_shown_study_with_its_rates_per_epoch() -> None:
    storage = _storage_with_sweep()
    kept = keep_run(storage, "s", small_config(), _run(), sweeping=False)
    assert (kept.study, kept.number) == ("s", 0)
    sid = storage.get_study("s").study_id
    trial = storage.get_trial(sid, 0)
    assert trial.state is TrialState.COMPLETE  # stopped by the user: complete, epochs done
    assert trial.params == {"learning_rate": 0.01, PANDA_MARK: True}
    assert trial.epochs == 4 and trial.seed == 7
    assert trial.seconds == pytest.approx(1.5, abs=0.5)  # the run's training time, not the write's
    assert [row.learning_rate for row in storage.get_epochs(sid, 0)] == list(RATES)
    started, *epochs, finished = kept.events
    assert isinstance(started, TrialStarted) and started.params[PANDA_MARK] is True
    assert [e.learning_rate for e in epochs if isinstance(e, EpochEnded)] == list(RATES)
    assert isinstance(finished, TrialFinished) and finished.state == "complete"
    assert finished.value == pytest.approx(0.4 + 4 / 10)  # the study metric: val_accuracy


def test_the_export_lists_the_babysat_trial_with_the_usual_columns() -> None:
    storage = _storage_with_sweep()
    keep_run(storage, "s", small_config(), _run(), sweeping=False)
    columns, rows = export_table(storage, "s")
    assert columns[:3] == ["number", "state", "learning_rate"] and PANDA_MARK not in columns
    out = io.StringIO()
    write_csv(columns, rows, out)
    assert out.getvalue().splitlines()[1].startswith("0,complete,0.01,")


def test_a_run_outside_the_space_goes_to_a_panda_study_that_never_resumes(tmp_path) -> None:
    with SQLiteStorage(tmp_path / "s.db") as storage:
        storage.create_study("s", small_config().to_dict())
        first = keep_run(storage, "s", small_config(), _run(rate=0.5), sweeping=False)
        second = keep_run(storage, "s", small_config(), _run(rate=0.7), sweeping=False)
        assert (first.study, first.number) == ("s-panda", 0)
        assert (second.study, second.number) == ("s-panda", 1)  # later runs join it
        assert storage.get_trials(storage.get_study("s").study_id) == []
        panda = parse_config(storage.get_study("s-panda").config)
        assert panda.budget() == 1 and panda.space == small_config().space


def test_while_a_sweep_runs_its_study_is_left_alone() -> None:
    storage = _storage_with_sweep()
    kept = keep_run(storage, "s", small_config(), _run(), sweeping=True)
    assert kept.study == "s-panda"
    assert storage.get_trials(storage.get_study("s").study_id) == []


def test_other_fixed_settings_or_data_do_not_fit_the_shown_study() -> None:
    storage = _storage_with_sweep()
    assert keep_run(storage, "s", small_config(), _run(hidden_units=64),
                    sweeping=False).study == "s-panda"


def test_with_no_study_shown_the_config_names_the_panda_study() -> None:
    storage = InMemoryStorage()
    kept = keep_run(storage, None, small_config(name="mine"), _run(), sweeping=False)
    assert kept.study == "mine-panda"


@pytest.mark.parametrize(("status", "state"), [
    ("complete", TrialState.COMPLETE), ("stopped", TrialState.COMPLETE),
    ("diverged", TrialState.DIVERGED), ("failed", TrialState.FAILED)])
def test_how_the_run_ended_decides_the_state(status: str, state: TrialState) -> None:
    storage = _storage_with_sweep()
    error = "DataError: boom" if status == "failed" else ""
    keep_run(storage, "s", small_config(), _run(status, error=error), sweeping=False)
    trial = storage.get_trials(storage.get_study("s").study_id)[0]
    assert trial.state is state and trial.error == error


def test_panda_names_fit_the_longest_study_name() -> None:
    name = panda_study_name("x" * 80)
    assert len(name) == 80 and name.endswith("-panda")


def test_value_fits_ranges_integers_and_choices() -> None:
    rate = Param("learning_rate", 1e-3, 1e-1, "log")
    assert value_fits(rate, 0.01) and not value_fits(rate, 0.5) and not value_fits(rate, True)
    batch = Param("batch_size", 16, 64, "pow2")
    assert value_fits(batch, 32) and not value_fits(batch, 32.5)
    optimizer = Param("optimizer", values=["adam", "sgd"])
    assert value_fits(optimizer, "adam") and not value_fits(optimizer, "rmsprop")
    assert not value_fits(rate, math.nan)


def test_a_shown_study_another_program_runs_sends_the_run_to_its_panda_study() -> None:
    storage = _storage_with_sweep()
    with storage.own("s"):  # e.g. `caviar resume` running the shown study right now
        kept = keep_run(storage, "s", small_config(), _run(), sweeping=False)
    assert kept.study == panda_study_name("s")
    assert storage.get_trials(storage.get_study("s").study_id) == []
