"""The contract every :class:`Storage` backend passes (after Optuna's storages/_base tests).

Subclasses provide a ``make_storage`` fixture: a callable returning a fresh, empty storage.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Iterator

import numpy as np
import pytest

from desktop_app.core.study import EpochRow, Storage, StudyBusyError, TrialState
from tests.core.study.batch_contract import BatchContract
from tests.core.study.own_metrics_contract import OwnMetricsContract


def _row(number: int, epoch: int, loss: float = 1.0, **values: float) -> EpochRow:
    fields = {
        "train_loss": loss,
        "train_accuracy": 0.5,
        "val_loss": loss * 2,
        "val_accuracy": 0.25,
        "learning_rate": 0.01,
        "seconds": 0.125,
    }
    return EpochRow(number, epoch, **{**fields, **values})


class StorageContract(OwnMetricsContract, BatchContract):
    """Shared tests; not collected on its own (its name does not start with ``Test``)."""

    @pytest.fixture
    def storage(self, make_storage: Callable[[], Storage]) -> Iterator[Storage]:
        with make_storage() as store:
            yield store

    @pytest.fixture
    def study_id(self, storage: Storage) -> int:
        return storage.create_study("s", {"trials": 3}).study_id

    # --- studies ---------------------------------------------------------------------------
    def test_create_get_and_list_studies(self, storage: Storage) -> None:
        first = storage.create_study("first", {"study": {"trials": 10}, "params": {}})
        second = storage.create_study("second", {})
        assert first.name == "first"
        assert first.config == {"study": {"trials": 10}, "params": {}}
        assert first.study_id != second.study_id
        assert first.created <= second.created
        assert storage.get_study("first") == first
        assert storage.list_studies() == [first, second]

    def test_study_errors(self, storage: Storage) -> None:
        storage.create_study("a", {})
        with pytest.raises(ValueError, match="'a' already exists"):
            storage.create_study("a", {"other": 1})
        with pytest.raises(KeyError):
            storage.get_study("missing")
        with pytest.raises(KeyError):
            storage.delete_study("missing")
        with pytest.raises(TypeError, match="study config"):
            storage.create_study("b", {"f": object()})
        assert [s.name for s in storage.list_studies()] == ["a"]

    def test_delete_study_removes_trials_and_epochs(self, storage: Storage) -> None:
        gone = storage.create_study("gone", {}).study_id
        kept = storage.create_study("kept", {}).study_id
        for sid in (gone, kept):
            storage.create_trial(sid, {"lr": 0.1}, seed=1)
            storage.set_trial_running(sid, 0)
            storage.add_epoch(sid, _row(0, 1))
        storage.delete_study("gone")
        assert [s.name for s in storage.list_studies()] == ["kept"]
        with pytest.raises(KeyError):
            storage.get_trials(gone)
        with pytest.raises(KeyError):
            storage.get_epochs(gone)
        assert len(storage.get_epochs(kept)) == 1
        again = storage.create_study("gone", {}).study_id
        assert again not in (gone, kept)  # ids are never reused
        assert storage.get_trials(again) == []
        assert storage.get_epochs(again) == []

    # --- trials ----------------------------------------------------------------------------
    def test_trial_numbers_count_per_study(self, storage: Storage) -> None:
        a = storage.create_study("a", {}).study_id
        b = storage.create_study("b", {}).study_id
        assert [storage.create_trial(a, {"i": i}, seed=i).number for i in range(3)] == [0, 1, 2]
        assert storage.create_trial(b, {}, seed=0).number == 0
        assert [t.params["i"] for t in storage.get_trials(a)] == [0, 1, 2]

    def test_new_trial_record(self, storage: Storage, study_id: int) -> None:
        trial = storage.create_trial(study_id, {"lr": 0.001, "optimizer": "adam"}, seed=42)
        assert trial.study_id == study_id
        assert trial.number == 0
        assert trial.state is TrialState.WAITING
        assert trial.params == {"lr": 0.001, "optimizer": "adam"}
        assert trial.seed == 42
        assert set(trial.metrics) == {"train_loss", "train_accuracy", "val_loss", "val_accuracy"}
        assert all(math.isnan(v) for v in trial.metrics.values())
        assert (trial.epochs, trial.started, trial.finished, trial.error) == (0, None, None, "")
        stored = storage.get_trial(study_id, 0)
        assert (stored.params, stored.state, stored.seed) == (trial.params, trial.state, 42)

    def test_create_trial_running_stamps_start(self, storage: Storage, study_id: int) -> None:
        trial = storage.create_trial(study_id, {}, seed=0, state=TrialState.RUNNING)
        assert trial.state is TrialState.RUNNING
        assert trial.started is not None and trial.finished is None
        assert storage.get_trial(study_id, 0).started == trial.started

    def test_trial_errors(self, storage: Storage, study_id: int) -> None:
        with pytest.raises(KeyError):
            storage.create_trial(study_id + 100, {}, seed=0)
        with pytest.raises(TypeError, match="trial params"):
            storage.create_trial(study_id, {"x": {1, 2}}, seed=0)
        with pytest.raises(ValueError):
            storage.create_trial(study_id, {}, seed=0, state="bogus")  # type: ignore[arg-type]
        assert storage.get_trials(study_id) == []
        for verb in (storage.get_trial, storage.set_trial_running, storage.get_epochs):
            with pytest.raises(KeyError):
                verb(study_id, 0)
        with pytest.raises(KeyError):
            storage.finish_trial(study_id, 0, TrialState.COMPLETE)
        with pytest.raises(KeyError):
            storage.add_epoch(study_id, _row(0, 1))
        with pytest.raises(KeyError):
            storage.interrupt_running(study_id + 100)

    def test_numpy_scalars_become_plain_values(self, storage: Storage, study_id: int) -> None:
        params = {"units": np.int64(64), "lr": np.float32(0.5), "bn": np.bool_(True)}
        storage.create_trial(study_id, params, seed=np.int64(7))  # type: ignore[arg-type]
        trial = storage.get_trial(study_id, 0)
        assert trial.params == {"units": 64, "lr": 0.5, "bn": True}
        assert [type(v) for v in trial.params.values()] == [int, float, bool]
        assert type(trial.seed) is int and trial.seed == 7

    def test_a_run_recorded_afterwards_keeps_its_real_start(
        self, storage: Storage, study_id: int
    ) -> None:
        storage.create_trial(study_id, {"lr": 0.1}, seed=3)
        storage.set_trial_running(study_id, 0, started=time.time() - 90.0)
        storage.finish_trial(study_id, 0, TrialState.COMPLETE)
        assert storage.get_trial(study_id, 0).seconds == pytest.approx(90.0, abs=5.0)

    def test_full_life_cycle(self, storage: Storage, study_id: int) -> None:
        storage.create_trial(study_id, {"lr": 0.1}, seed=3)
        storage.set_trial_running(study_id, 0)
        running = storage.get_trial(study_id, 0)
        assert running.state is TrialState.RUNNING and running.started is not None
        rows = [_row(0, e, loss=1.0 / e, val_accuracy=0.1 * e) for e in (1, 2, 3)]
        for row in rows:
            storage.add_epoch(study_id, row)
        assert storage.get_epochs(study_id, 0) == rows
        trial = storage.get_trial(study_id, 0)
        assert trial.epochs == 3
        assert trial.metrics == {
            "train_loss": 1.0 / 3,
            "train_accuracy": 0.5,
            "val_loss": 2.0 / 3,
            "val_accuracy": 0.1 * 3,
        }
        storage.finish_trial(study_id, 0, TrialState.COMPLETE)
        done = storage.get_trial(study_id, 0)
        assert done.state is TrialState.COMPLETE and done.error == ""
        assert done.finished is not None and done.finished >= done.started
        assert done.seconds == done.finished - done.started
        assert done.metrics == trial.metrics and done.epochs == 3

    def test_finish_states_and_error_text(self, storage: Storage, study_id: int) -> None:
        finals = ["complete", "pruned", "diverged", "failed", "interrupted"]
        for i, state in enumerate(finals):
            storage.create_trial(study_id, {}, seed=i)
            storage.finish_trial(study_id, i, TrialState(state), error=f"e{i}")
        storage.finish_trial(study_id, 0, "pruned")  # type: ignore[arg-type]
        got = storage.get_trials(study_id)
        assert [t.state.value for t in got] == ["pruned", *finals[1:]]
        assert [t.error for t in got] == ["", "e1", "e2", "e3", "e4"]
        storage.create_trial(study_id, {}, seed=9)
        for bad in (TrialState.WAITING, TrialState.RUNNING, "done"):
            with pytest.raises(ValueError):
                storage.finish_trial(study_id, 5, bad)  # type: ignore[arg-type]
        assert storage.get_trial(study_id, 5).state is TrialState.WAITING

    def test_get_trials_filters_by_state_in_number_order(
        self, storage: Storage, study_id: int
    ) -> None:
        states = ["complete", "waiting", "failed", "complete", "running", "pruned"]
        for i, state in enumerate(states):
            storage.create_trial(study_id, {"i": i}, seed=i, state=TrialState(state))
        assert [t.number for t in storage.get_trials(study_id)] == list(range(6))
        done = storage.get_trials(study_id, [TrialState.COMPLETE, TrialState.FAILED])
        assert [t.number for t in done] == [0, 2, 3]
        assert [t.number for t in storage.get_trials(study_id, iter(["pruned"]))] == [5]
        assert storage.get_trials(study_id, []) == []
        assert storage.get_trials(study_id, [TrialState.DIVERGED]) == []

    def test_count_trials_by_state(self, storage: Storage, study_id: int) -> None:
        assert storage.count_trials(study_id) == 0
        for i, state in enumerate(["complete", "waiting", "failed", "complete", "pruned"]):
            storage.create_trial(study_id, {"i": i}, seed=i, state=TrialState(state))
        assert storage.count_trials(study_id) == 5
        assert storage.count_trials(study_id, [TrialState.COMPLETE, TrialState.FAILED]) == 3
        assert storage.count_trials(study_id, iter(["pruned"])) == 1
        assert storage.count_trials(study_id, []) == 0
        with pytest.raises(KeyError):
            storage.count_trials(study_id + 1000)

    def test_epochs_of_all_trials_ordered(self, storage: Storage, study_id: int) -> None:
        for number in (0, 1):
            storage.create_trial(study_id, {}, seed=number)
            storage.set_trial_running(study_id, number)
        storage.add_epoch(study_id, _row(1, 1))
        storage.add_epoch(study_id, _row(0, 1))
        storage.add_epoch(study_id, _row(1, 2))
        storage.add_epoch(study_id, _row(0, 2))
        got = [(r.number, r.epoch) for r in storage.get_epochs(study_id)]
        assert got == [(0, 1), (0, 2), (1, 1), (1, 2)]
        assert [r.epoch for r in storage.get_epochs(study_id, 1)] == [1, 2]

    def test_trial_and_epoch_ranges_of_a_big_study(self, storage: Storage, study_id: int) -> None:
        for number in range(3):
            storage.create_trial(study_id, {}, seed=number, state=TrialState.RUNNING)
            for epoch in (1, 2):
                storage.add_epoch(study_id, _row(number, epoch, loss=number + epoch / 10,
                                                 val_accuracy=math.nan))
        table = storage.get_epoch_array(study_id, 1, 3)
        assert table.shape == (4, 8)
        assert table[:, :2].tolist() == [[1, 1], [1, 2], [2, 1], [2, 2]]
        assert table[:, 2] == pytest.approx([1.1, 1.2, 2.1, 2.2])  # train_loss
        assert np.isnan(table[:, 5]).all()  # val_accuracy: NaN stays NaN
        assert storage.get_epoch_array(study_id).shape == (6, 8)
        assert storage.get_epoch_array(study_id, 5).shape == (0, 8)
        assert [t.number for t in storage.get_trial_range(study_id, 1, 3)] == [1, 2]
        assert storage.get_trial_range(study_id, 3, 10) == []

    def test_epoch_numbers_must_increase(self, storage: Storage, study_id: int) -> None:
        storage.create_trial(study_id, {}, seed=0, state=TrialState.RUNNING)
        storage.add_epoch(study_id, _row(0, 1))
        for bad in (0, 1):
            with pytest.raises(ValueError, match=f"epoch {bad} of trial 0"):
                storage.add_epoch(study_id, _row(0, bad, loss=9.0))
        storage.add_epoch(study_id, _row(0, 2, loss=0.5))  # a failed write left nothing behind
        assert [r.train_loss for r in storage.get_epochs(study_id, 0)] == [1.0, 0.5]
        assert storage.get_trial(study_id, 0).epochs == 2

    def test_nan_and_inf_round_trip(self, storage: Storage) -> None:
        nan, inf = math.nan, math.inf
        sid = storage.create_study("n", {"noise": nan, "high": inf, "low": -inf}).study_id
        config = storage.get_study("n").config
        assert math.isnan(config["noise"]) and config["high"] == inf and config["low"] == -inf
        storage.create_trial(sid, {"l2": nan, "cap": -inf}, seed=0, state=TrialState.RUNNING)
        row = EpochRow(0, 1, inf, nan, nan, -inf, nan, nan)
        storage.add_epoch(sid, row)
        (got,) = storage.get_epochs(sid, 0)
        assert got.train_loss == inf and got.val_accuracy == -inf
        assert all(math.isnan(v) for v in (got.train_accuracy, got.val_loss, got.learning_rate))
        assert math.isnan(got.seconds)
        trial = storage.get_trial(sid, 0)
        assert math.isnan(trial.params["l2"]) and trial.params["cap"] == -inf
        assert trial.metrics["train_loss"] == inf and trial.metrics["val_accuracy"] == -inf
        assert math.isnan(trial.metrics["val_loss"])

    def test_records_are_copies(self, storage: Storage) -> None:
        config = {"params": {"lr": {"low": 1e-4}}, "tags": ["a"]}
        sid = storage.create_study("c", config).study_id
        params = {"hidden": [64, 64]}
        storage.create_trial(sid, params, seed=0)
        config["params"]["lr"]["low"] = 5.0
        config["tags"].append("b")
        params["hidden"].append(1)
        study = storage.get_study("c")
        trial = storage.get_trial(sid, 0)
        assert study.config == {"params": {"lr": {"low": 1e-4}}, "tags": ["a"]}
        assert trial.params == {"hidden": [64, 64]}
        study.config["tags"].clear()
        trial.params["hidden"].clear()
        trial.metrics["val_loss"] = 0.0
        assert storage.get_study("c").config["tags"] == ["a"]
        assert storage.list_studies()[0].config["tags"] == ["a"]
        again = storage.get_trials(sid)[0]
        assert again.params == {"hidden": [64, 64]} and math.isnan(again.metrics["val_loss"])

    def test_rerun_replaces_epochs(self, storage: Storage, study_id: int) -> None:
        storage.create_trial(study_id, {"lr": 0.3}, seed=5)
        storage.set_trial_running(study_id, 0)
        for epoch in (1, 2, 3):
            storage.add_epoch(study_id, _row(0, epoch, loss=10.0 + epoch))
        assert storage.interrupt_running(study_id) == [0]
        storage.set_trial_running(study_id, 0)
        rerun = storage.get_trial(study_id, 0)
        assert rerun.state is TrialState.RUNNING
        assert (rerun.epochs, rerun.finished, rerun.params, rerun.seed) == (0, None, {"lr": 0.3}, 5)
        assert all(math.isnan(v) for v in rerun.metrics.values())
        assert storage.get_epochs(study_id, 0) == []
        storage.add_epoch(study_id, _row(0, 1, loss=0.5))
        assert [r.train_loss for r in storage.get_epochs(study_id)] == [0.5]
        assert storage.get_trial(study_id, 0).metrics["train_loss"] == 0.5

    def test_a_running_trial_does_not_start_again(self, storage: Storage, study_id: int) -> None:
        storage.create_trial(study_id, {}, seed=0)
        storage.set_trial_running(study_id, 0)
        storage.add_epoch(study_id, _row(0, 1))
        with pytest.raises(ValueError, match="already running"):
            storage.set_trial_running(study_id, 0)
        assert [r.epoch for r in storage.get_epochs(study_id, 0)] == [1]  # its epochs stay

    def test_one_owner_per_study(self, storage: Storage, study_id: int) -> None:
        owner = storage.own("s")
        with pytest.raises(StudyBusyError, match="study 's' is"):
            storage.own("s")
        with storage.own("another"):  # other studies are free
            pass
        owner.release()
        owner.release()  # idempotent
        with storage.own("s"):  # free again once released
            pass

    def test_rerun_clears_a_stop(self, storage: Storage, study_id: int) -> None:
        storage.create_trial(study_id, {}, seed=0, state=TrialState.RUNNING)
        storage.finish_trial(study_id, 0, TrialState.INTERRUPTED, error="stopped by user")
        storage.set_trial_running(study_id, 0)
        trial = storage.get_trial(study_id, 0)
        assert (trial.state, trial.error, trial.finished) == (TrialState.RUNNING, "", None)

    def test_finished_trial_never_runs_again(self, storage: Storage, study_id: int) -> None:
        for number, state in enumerate(("complete", "pruned", "diverged", "failed")):
            storage.create_trial(study_id, {}, seed=0, state=TrialState.RUNNING)
            storage.add_epoch(study_id, _row(number, 1))
            storage.finish_trial(study_id, number, TrialState(state))
            with pytest.raises(ValueError, match=f"already {state}"):
                storage.set_trial_running(study_id, number)
            assert storage.get_trial(study_id, number).state.value == state
        assert len(storage.get_epochs(study_id)) == 4

    def test_interrupt_running(self, storage: Storage, study_id: int) -> None:
        states = ["running", "complete", "running", "waiting", "running"]
        for i, state in enumerate(states):
            storage.create_trial(study_id, {}, seed=i, state=TrialState(state))
        other = storage.create_study("other", {}).study_id
        storage.create_trial(other, {}, seed=0, state=TrialState.RUNNING)
        assert storage.interrupt_running(study_id) == [0, 2, 4]
        got = [t.state.value for t in storage.get_trials(study_id)]
        assert got == ["interrupted", "complete", "interrupted", "waiting", "interrupted"]
        assert storage.get_trial(other, 0).state is TrialState.RUNNING
        assert storage.interrupt_running(study_id) == []

    def test_threads_read_while_one_writes(self, storage: Storage, study_id: int) -> None:
        storage.create_trial(study_id, {}, seed=0, state=TrialState.RUNNING)
        errors: list[BaseException] = []

        def write() -> None:
            try:
                for epoch in range(1, 201):
                    storage.add_epoch(study_id, _row(0, epoch))
            except BaseException as exc:  # the main thread reports it
                errors.append(exc)

        writer = threading.Thread(target=write)
        writer.start()
        seen = 0
        while writer.is_alive():
            trial = storage.get_trial(study_id, 0)
            assert trial.epochs >= seen  # never goes backwards
            seen = trial.epochs
            assert len(storage.get_epochs(study_id, 0)) >= seen
        writer.join()
        assert errors == []
        assert storage.get_trial(study_id, 0).epochs == 200
        assert [r.epoch for r in storage.get_epochs(study_id, 0)] == list(range(1, 201))
