"""Panda mode in core: the Babysitter's controls and babysit's training under them (no Qt)."""

from __future__ import annotations

import threading
import time
from types import SimpleNamespace

import pytest

from desktop_app.core.nn import EpochRecord
from desktop_app.core.runner.babysitter import Babysitter, babysit
from desktop_app.core.trainers.network import fit
from tests.core.runner.helpers import task


def _attached(rate: float, lr_decay: float = 0.0) -> tuple[Babysitter, SimpleNamespace]:
    sitter = Babysitter(rate, lr_decay)
    optimizer = SimpleNamespace(learning_rate=rate)
    sitter.attach(optimizer)
    return sitter, optimizer


def test_a_new_rate_reaches_the_optimizer_at_the_next_mini_batch() -> None:
    sitter, optimizer = _attached(0.01)
    assert sitter.should_stop() is False
    sitter.set_learning_rate(0.003)
    assert optimizer.learning_rate == 0.01  # nothing changes between mini-batches
    assert sitter.should_stop() is False
    assert optimizer.learning_rate == 0.003


def test_the_schedule_decays_the_rate_the_user_set() -> None:
    sitter, optimizer = _attached(0.1, lr_decay=1.0)
    assert sitter.schedule(0.5, 0) == 0.1  # the user's rate, not the optimizer's start
    assert sitter.schedule(0.1, 3) == 0.1 / 4
    sitter.set_learning_rate(0.02)
    sitter.should_stop()
    assert optimizer.learning_rate == 0.02 / 4  # mid-epoch 3: decayed like the epoch
    assert sitter.schedule(0.1, 4) == 0.02 / 5


def _should_stop_in_thread(sitter: Babysitter, results: list[bool]) -> threading.Thread:
    worker = threading.Thread(target=lambda: results.append(sitter.should_stop()))
    worker.start()
    return worker


def test_pause_holds_training_until_resume_and_stop_wakes_it() -> None:
    sitter, _ = _attached(0.01)
    results: list[bool] = []
    sitter.pause()
    worker = _should_stop_in_thread(sitter, results)
    time.sleep(0.2)
    assert results == [] and sitter.paused  # blocked between two mini-batches
    sitter.resume()
    worker.join(1.0)
    assert results == [False] and not sitter.paused
    sitter.pause()
    worker = _should_stop_in_thread(sitter, results)
    time.sleep(0.1)
    sitter.stop()
    worker.join(1.0)
    assert not worker.is_alive()
    assert results == [False, True] and sitter.stopped


def _hp(**changes: object) -> dict[str, object]:
    return task(**changes).hyperparameters


def test_babysit_untouched_trains_like_the_shared_path() -> None:
    hp, data = _hp(learning_rate=0.05, lr_decay=0.5), task().data
    sitter = Babysitter(0.05, 0.5)
    seen: list[EpochRecord] = []
    result = babysit(sitter, hp, data, seed=3, on_epoch=seen.append)
    plain = fit(hp, data, seed=3)
    assert result.status == "complete" and list(result.history) == seen
    strip = [(r.epoch, r.train_loss, r.val_loss, r.learning_rate) for r in plain.history]
    assert [(r.epoch, r.train_loss, r.val_loss, r.learning_rate) for r in seen] == strip


def test_a_rate_set_after_epoch_one_decays_from_epoch_two_on() -> None:
    hp = _hp(learning_rate=0.05, lr_decay=1.0, epochs=3)
    sitter = Babysitter(0.05, 1.0)

    def on_epoch(record: EpochRecord) -> None:
        if record.epoch == 1:
            sitter.set_learning_rate(0.02)

    result = babysit(sitter, hp, task().data, seed=3, on_epoch=on_epoch)
    rates = [r.learning_rate for r in result.history]
    assert rates == pytest.approx([0.05, 0.02 / 2, 0.02 / 3], rel=1e-12)


def test_stop_ends_the_run_before_the_next_mini_batch() -> None:
    sitter = Babysitter(0.05)
    seen: list[int] = []

    def on_epoch(record: EpochRecord) -> None:
        seen.append(record.epoch)
        if record.epoch == 2:
            sitter.stop()

    result = babysit(sitter, _hp(epochs=50), task().data, seed=3, on_epoch=on_epoch)
    assert result.status == "stopped"
    assert seen == [1, 2] and len(result.history) == 2


def test_stop_wakes_a_paused_run_in_another_thread() -> None:
    sitter = Babysitter(0.05)
    first = threading.Event()

    def on_epoch(record: EpochRecord) -> None:
        sitter.pause()
        first.set()

    results = []
    worker = threading.Thread(target=lambda: results.append(
        babysit(sitter, _hp(epochs=5000), task().data, seed=3, on_epoch=on_epoch)))
    worker.start()
    assert first.wait(10.0)
    time.sleep(0.2)
    assert worker.is_alive()  # paused, not ended
    sitter.stop()
    worker.join(2.0)
    assert not worker.is_alive()
    assert results[0].status == "stopped" and len(results[0].history) == 1


def test_changes_name_the_epoch_each_new_rate_was_first_used_in() -> None:
    sitter, _ = _attached(0.01)
    sitter.set_learning_rate(0.5)  # before the first epoch
    sitter.schedule(0.01, 0)
    sitter.should_stop()
    sitter.schedule(0.01, 2)
    sitter.set_learning_rate(1e-4)
    assert sitter.changes == [(1, 0.5)]  # not used yet
    sitter.should_stop()
    assert sitter.changes == [(1, 0.5), (3, 1e-4)]
    sitter.set_learning_rate(1e-4)  # the rate in use again: no change
    sitter.should_stop()
    assert sitter.changes == [(1, 0.5), (3, 1e-4)]


@pytest.mark.parametrize("rate", [0.0, -1e-3, float("nan"), float("inf")])
def test_a_rate_that_is_no_learning_rate_is_refused(rate: float) -> None:
    sitter, optimizer = _attached(0.01)
    with pytest.raises(ValueError, match="above 0"):
        sitter.set_learning_rate(rate)
    sitter.should_stop()
    assert optimizer.learning_rate == 0.01 and sitter.changes == []


def test_snapshots_hand_over_the_model_after_the_first_and_the_last_epoch() -> None:
    from desktop_app.core.analysis import model_view, network_from_weights
    from desktop_app.core.data import load_split
    from desktop_app.core.runner.babysitter import Snapshot

    hp, data = _hp(epochs=40), task().data
    records: list[EpochRecord] = []
    snapshots: list[Snapshot] = []
    babysit(Babysitter(0.05), hp, data, seed=3, on_epoch=records.append,
            on_snapshot=snapshots.append)
    epochs = [s.epoch for s in snapshots]
    assert epochs[0] == 1 and epochs[-1] == 40 == records[-1].epoch
    assert len(epochs) < 40 and epochs == sorted(set(epochs))  # a few, not one per epoch
    split = load_split(data, dtype="float32")
    for snap in (snapshots[0], snapshots[-1]):
        view = model_view(network_from_weights(snap.weights), split)
        assert view.accuracy == pytest.approx(records[snap.epoch - 1].val_accuracy, abs=1e-6)


def test_snapshots_follow_every_epoch_when_asked_that_often(monkeypatch) -> None:
    from desktop_app.core.runner import babysitter

    monkeypatch.setattr(babysitter, "SNAPSHOT_EVERY_S", 0.0)
    seen: list[int] = []
    sitter = Babysitter(0.05)

    def on_snapshot(snap: babysitter.Snapshot) -> None:
        seen.append(snap.epoch)
        if snap.epoch == 3:
            sitter.stop()

    babysit(sitter, _hp(epochs=50), task().data, seed=3, on_snapshot=on_snapshot)
    assert seen == [1, 2, 3]  # the stopped run's last epoch is not sent twice
