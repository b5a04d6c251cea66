"""StudyModel: events in, trials/curves/best/selection out; signals batched; stored studies load."""

from __future__ import annotations

import math

import numpy as np
import pytest

from desktop_app.core.errors import ConfigError
from desktop_app.core.events import StudyFinished, TrialFinished, TrialStarted
from desktop_app.core.search import build_space
from desktop_app.core.study import Direction, EpochRow, TrialState, open_storage
from desktop_app.gui.live.study_model import StudyModel
from tests.gui.helpers import LEARNING_RATES, SPACE, epoch_event, loss, sweep_events


@pytest.fixture
def model(qapp: object) -> StudyModel:
    study = StudyModel()
    study.set_study(build_space(SPACE), "val_loss", "minimize")
    return study


def test_four_trials_three_epochs(model: StudyModel) -> None:
    model.apply_many(sweep_events(states=("complete", "pruned", "complete", "running")))
    assert model.numbers() == [0, 1, 2, 3]
    states = [model.trial(n).state for n in model.numbers()]
    assert states == [TrialState.COMPLETE, TrialState.PRUNED, TrialState.COMPLETE,
                      TrialState.RUNNING]
    trial = model.trial(2)
    assert trial.epochs == 3
    np.testing.assert_array_equal(trial.epoch_numbers(), [1.0, 2.0, 3.0])
    np.testing.assert_allclose(trial.series("train_loss"), [2.9, 2.8, 2.7])
    np.testing.assert_allclose(trial.series("val_loss"), [3.4, 3.3, 3.2])
    assert trial.metrics["val_accuracy"] == pytest.approx(1 - 3.2 / 10)
    assert trial.seconds == pytest.approx(0.75)
    assert model.trial(3).seconds == pytest.approx(0.75)  # running: sum of epoch seconds
    assert model.value(3) == pytest.approx(loss(3, 3) + 0.5)  # running: latest epoch
    assert model.best_number() == 0


def test_best_honours_direction_and_skips_nan_and_unfinished(model: StudyModel) -> None:
    model.apply_many(sweep_events(states=("diverged", "complete", "complete", "running")))
    assert model.best_number() == 1  # 0 diverged, 3 (running) not yet eligible
    model.set_study(build_space(SPACE), "val_accuracy", "maximize")
    events = sweep_events(states=("complete", "complete", "pruned", "complete"),
                          metric="val_accuracy")
    model.apply_many(events)
    assert model.best_number() == 0  # highest accuracy; pruned 2 is not a candidate
    model.set_study(build_space(SPACE), "val_loss", "maximize")
    model.apply_many(sweep_events(states=("complete", "complete", "complete", "complete")))
    assert model.best_number() == 3


def test_nan_metric_is_never_best(model: StudyModel) -> None:
    model.apply(TrialStarted("s", 0, {"learning_rate": 1.0}, seed=0))
    model.apply(epoch_event(0, 1, value=math.nan))
    model.apply(TrialFinished("s", 0, "complete", math.nan, 1, 0.1))
    assert model.best_number() is None
    model.apply_many(e for e in sweep_events(trials=2) if e.number == 1)
    assert model.best_number() == 1


def test_best_changed_signal_and_rerun_forgets_best(model: StudyModel, qtbot) -> None:
    with qtbot.waitSignal(model.best_changed) as blocker:
        model.apply_many(sweep_events(trials=2))
    assert blocker.args == [0]
    with qtbot.waitSignal(model.best_changed) as blocker:
        model.apply(TrialStarted("s", 0, {"learning_rate": 0.1}, seed=0))  # re-run
    assert blocker.args == [1]
    assert model.trial(0).epochs == 0


def test_epochs_grow_past_the_buffer(model: StudyModel) -> None:
    model.apply(TrialStarted("s", 7, {}, seed=0))
    model.apply_many(epoch_event(7, e, value=float(e)) for e in range(1, 201))
    trial = model.trial(7)
    np.testing.assert_array_equal(trial.series("train_loss"), np.arange(1.0, 201.0))
    np.testing.assert_array_equal(trial.epoch_numbers(), np.arange(1.0, 201.0))


def test_repeated_epoch_replaces_the_tail(model: StudyModel) -> None:
    model.apply_many([TrialStarted("s", 0, {}, seed=0)] + [epoch_event(0, e) for e in (1, 2, 3)])
    model.apply(epoch_event(0, 2, value=9.0))
    np.testing.assert_allclose(model.trial(0).series("train_loss"), [0.9, 9.0])


def test_signals_are_batched(model: StudyModel, qtbot) -> None:
    added: list[list[int]] = []
    changed: list[list[int]] = []
    model.trials_added.connect(added.append)
    model.trials_changed.connect(changed.append)
    model.apply_many(sweep_events(trials=3))
    assert added == [[0, 1, 2]]
    assert changed == []  # brand-new trials are reported once, as added
    model.apply_many([epoch_event(1, 4), epoch_event(2, 4), epoch_event(1, 5)])
    assert changed == [[1, 2]]


def test_selection(model: StudyModel, qtbot) -> None:
    model.apply_many(sweep_events())
    with qtbot.waitSignal(model.selection_changed) as blocker:
        model.select(2)
    assert blocker.args == [2]
    assert model.selected() == 2
    with qtbot.assertNotEmitted(model.selection_changed):
        model.select(2)
    model.select(99)  # unknown number clears
    assert model.selected() is None
    model.select(1)
    with qtbot.waitSignal(model.selection_changed) as blocker:
        model.clear()
    assert blocker.args == [None]
    assert len(model) == 0


def test_study_finished_interrupts_leftover_running(model: StudyModel) -> None:
    model.apply_many(sweep_events(states=("complete", "running"), trials=2))
    model.apply(StudyFinished("s", 1, 2, 0, 0.5, stopped=True))
    assert model.trial(1).state is TrialState.INTERRUPTED


def test_a_tie_for_best_goes_to_the_lowest_trial_number(model: StudyModel) -> None:
    for number in (3, 1, 2):  # finishing out of order
        model.apply(TrialStarted("s", number, {}, seed=0))
        model.apply(TrialFinished("s", number, "complete", 0.5, 1, 0.1,
                                  metrics={"val_loss": 0.5}))
    assert model.best_number() == 1


def test_finished_trial_shows_the_metrics_its_event_carries(model: StudyModel) -> None:
    model.apply(TrialStarted("s", 0, {}, seed=0))
    model.apply(epoch_event(0, 1, value=2.0))
    metrics = {"train_loss": 0.1, "train_accuracy": 0.9, "val_loss": 0.2, "val_accuracy": 0.8}
    model.apply(TrialFinished("s", 0, "complete", 0.2, 1, 0.1, metrics=metrics))
    assert model.trial(0).metrics == metrics
    assert model.value(0) == 0.2


def test_direction_is_a_direction(model: StudyModel) -> None:
    assert model.direction is Direction.MINIMIZE
    model.set_study(build_space(SPACE), "val_loss", "maximize")
    assert model.direction is Direction.MAXIMIZE and model.direction == "maximize"


def test_bad_metric_or_direction_names_the_field(model: StudyModel) -> None:
    with pytest.raises(ConfigError, match=r"^direction: .*'minimize' or 'maximize'"):
        model.set_study(None, "val_loss", "down")
    with pytest.raises(ConfigError, match=r"^metric: must be one of"):
        model.set_study(None, "", "minimize")
    model.set_study(None, "f1", "maximize")  # a trainer of the user's own: any name
    assert model.metric == "f1"


def test_load_stored_study(model: StudyModel, qtbot) -> None:
    storage = open_storage(None)
    study = storage.create_study("demo", {})
    for n, state in enumerate((TrialState.COMPLETE, TrialState.PRUNED, TrialState.RUNNING)):
        storage.create_trial(study.study_id, {"learning_rate": LEARNING_RATES[n]}, seed=n)
        storage.set_trial_running(study.study_id, n)
        for epoch in range(1, 4 - n):
            v = loss(n, epoch)
            row = EpochRow(n, epoch, v, 0.5, v + 0.5, 0.4, 0.01, 0.2)
            storage.add_epoch(study.study_id, row)
        if state is not TrialState.RUNNING:
            storage.finish_trial(study.study_id, n, state)
    model.select(None)
    with qtbot.waitSignal(model.reset):
        model.load(storage, study.study_id)
    assert model.numbers() == [0, 1, 2]
    assert [model.trial(n).state for n in (0, 1, 2)] == [
        TrialState.COMPLETE, TrialState.PRUNED, TrialState.RUNNING,
    ]
    assert [model.trial(n).epochs for n in (0, 1, 2)] == [3, 2, 1]
    np.testing.assert_allclose(model.trial(1).series("val_loss"), [2.4, 2.3])
    assert model.trial(0).params == {"learning_rate": LEARNING_RATES[0]}
    assert model.value(0) == pytest.approx(loss(0, 3) + 0.5)
    assert model.best_number() == 0
