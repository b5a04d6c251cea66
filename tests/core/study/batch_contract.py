"""The storage contract's tests of writes that wait: a trial's start and ``batch()``."""

from __future__ import annotations

import pytest

from desktop_app.core.study import EpochRow, Storage, TrialState


def _row(number: int, epoch: int) -> EpochRow:
    return EpochRow(number, epoch, 1.0, 0.5, 2.0, 0.25, 0.01, 0.125)


class BatchContract:
    """Mixed into StorageContract (which provides the ``storage`` and ``study_id`` fixtures)."""

    def test_a_trial_pending_as_started_does_not_start_again(
        self, storage: Storage, study_id: int
    ) -> None:
        storage.create_trial(study_id, {}, seed=0)
        storage.set_trial_running(study_id, 0)  # SQLite: not committed yet
        with pytest.raises(ValueError, match="already running"):
            storage.set_trial_running(study_id, 0)
        assert storage.get_trial(study_id, 0).state is TrialState.RUNNING

    def test_a_batch_reads_its_own_writes_and_keeps_them(
        self, storage: Storage, study_id: int
    ) -> None:
        with storage.batch():
            storage.create_trial(study_id, {"a": 1}, seed=0)
            storage.set_trial_running(study_id, 0)
            storage.add_epoch(study_id, _row(0, 1))
            with storage.batch():  # nested: joins the outer one
                storage.finish_trial(study_id, 0, TrialState.COMPLETE)
            assert storage.get_trial(study_id, 0).state is TrialState.COMPLETE
            with pytest.raises(KeyError):  # a failing verb fails alone...
                storage.create_trial(study_id + 99, {}, seed=0)
            storage.create_trial(study_id, {}, seed=1)  # ...and the batch goes on
        trials = storage.get_trials(study_id)
        assert [(t.number, t.state) for t in trials] == [
            (0, TrialState.COMPLETE), (1, TrialState.WAITING)]
        assert storage.get_epochs(study_id, 0) == [_row(0, 1)]
