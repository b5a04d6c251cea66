"""The part of the storage contract about trainers of the user's own: any metric names, final
metrics, a trial's log (mixed into ``StorageContract``, so every backend passes it)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from desktop_app.core.study import EpochRow, Storage, TrialState

NAN = math.nan


def own_row(number: int, epoch: int, **extra: float) -> EpochRow:
    """An epoch of a trainer that reports only its own metrics (the built-ins are NaN)."""
    return EpochRow(number, epoch, NAN, NAN, NAN, NAN, NAN, 0.5, extra=extra)


class OwnMetricsContract:
    """Shared tests; not collected on their own."""

    def test_own_metrics_round_trip_with_epochs_and_trials(
        self, storage: Storage, study_id: int
    ) -> None:
        trial = storage.create_trial(study_id, {"width": 3}, seed=1)
        storage.set_trial_running(study_id, trial.number)
        storage.add_epoch(study_id, own_row(trial.number, 1, f1=0.5, loss=2.0))
        storage.add_epoch(study_id, own_row(trial.number, 2, f1=0.75, loss=float("inf")))
        storage.finish_trial(study_id, trial.number, TrialState.DIVERGED)
        rows = storage.get_epochs(study_id, trial.number)
        assert rows[0].extra == {"f1": 0.5, "loss": 2.0}
        assert rows[1].extra["f1"] == 0.75 and math.isnan(rows[1].extra["loss"])  # inf: NaN
        record = storage.get_trial(study_id, trial.number)
        assert record.metrics["f1"] == 0.75 and math.isnan(record.metrics["val_loss"])
        assert record.epochs == 2

    def test_final_metrics_and_log_are_kept(self, storage: Storage, study_id: int) -> None:
        trial = storage.create_trial(study_id, {}, seed=1)
        storage.set_trial_running(study_id, trial.number)
        storage.add_epoch(study_id, own_row(trial.number, 1, f1=0.5))
        storage.finish_trial(study_id, trial.number, TrialState.COMPLETE,
                             metrics={"f1": 0.9, "val_accuracy": 0.8, "auc": 0.7},
                             log="line 1\nline 2")
        record = storage.get_trial(study_id, trial.number)
        assert (record.metrics["f1"], record.metrics["val_accuracy"], record.metrics["auc"]) \
            == (0.9, 0.8, 0.7)
        assert record.log == "line 1\nline 2"
        assert storage.get_epochs(study_id, trial.number)[0].extra == {"f1": 0.5}
        storage.create_trial(study_id, {}, seed=2, state=TrialState.INTERRUPTED)
        storage.set_trial_running(study_id, 1)
        assert storage.get_trial(study_id, 1).log == ""

    def test_a_rerun_clears_own_metrics_and_log(self, storage: Storage, study_id: int) -> None:
        trial = storage.create_trial(study_id, {}, seed=1)
        storage.set_trial_running(study_id, trial.number)
        storage.add_epoch(study_id, own_row(trial.number, 1, f1=0.5))
        storage.finish_trial(study_id, trial.number, TrialState.INTERRUPTED, log="was here")
        storage.set_trial_running(study_id, trial.number)
        record = storage.get_trial(study_id, trial.number)
        assert "f1" not in record.metrics and record.log == "" and record.epochs == 0

    def test_metric_names_and_metric_arrays(self, storage: Storage, study_id: int) -> None:
        assert storage.metric_names(study_id) == []
        for number, extra in enumerate(({"f1": 0.25}, {"f1": 0.5, "auc": 0.75})):
            storage.create_trial(study_id, {}, seed=number)
            storage.set_trial_running(study_id, number)
            storage.add_epoch(study_id, own_row(number, 1, **extra))
            storage.add_epoch(study_id, EpochRow(number, 2, NAN, NAN, 1.5, NAN, NAN, 0.5,
                                                 extra=extra))
        assert storage.metric_names(study_id) == ["val_loss", "auc", "f1"]
        f1 = storage.get_metric_array(study_id, "f1")
        np.testing.assert_array_equal(f1, [[0, 1, 0.25], [0, 2, 0.25], [1, 1, 0.5], [1, 2, 0.5]])
        auc = storage.get_metric_array(study_id, "auc", first=1)
        np.testing.assert_array_equal(auc, [[1, 1, 0.75], [1, 2, 0.75]])
        val_loss = storage.get_metric_array(study_id, "val_loss", 0, 1)
        np.testing.assert_array_equal(val_loss, [[0, 1, NAN], [0, 2, 1.5]])
        assert np.isnan(storage.get_metric_array(study_id, "nothing")[:, 2]).all()

    def test_weights_are_kept_read_and_dropped(self, storage: Storage, study_id: int) -> None:
        for number in range(3):
            storage.create_trial(study_id, {}, seed=number, state=TrialState.COMPLETE)
        assert storage.weights_numbers(study_id) == [] and storage.get_weights(study_id, 0) is None
        storage.put_weights(study_id, 2, b"PK\x03\x04two")
        storage.put_weights(study_id, 0, b"zero")
        storage.put_weights(study_id, 0, b"zero again")
        assert storage.weights_numbers(study_id) == [0, 2]
        assert storage.get_weights(study_id, 0) == b"zero again"
        storage.drop_weights(study_id, 0)
        storage.drop_weights(study_id, 1)  # none kept: nothing happens
        assert storage.weights_numbers(study_id) == [2]
        assert storage.get_weights(study_id, 2) == b"PK\x03\x04two"
        with pytest.raises(KeyError):
            storage.put_weights(study_id, 9, b"x")
