"""A growing Optuna study read twice: the events between the reads, and the space shown."""

from __future__ import annotations

from pathlib import Path

import optuna
import pytest

from desktop_app.core.events import EpochEnded, TrialFinished, TrialStarted
from desktop_app.core.optuna_bridge import (
    STUDY_ID,
    Snapshot,
    Watcher,
    open_source,
    read_study,
    view_space,
)
from desktop_app.core.search import SearchSpace
from desktop_app.core.study import TrialState


def test_events_between_two_reads(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'w.db'}"
    study = optuna.create_study(storage=url, study_name="grow")
    study.optimize(lambda t: t.suggest_float("x", 0, 1), n_trials=1)
    running = study.ask()
    running.suggest_float("x", 0, 1)
    running.report(0.5, 0)
    study.enqueue_trial({"x": 0.25})
    watcher = Watcher(open_source(url, "grow"))
    first = watcher.first()
    assert [t.state for t in first.trials] == [TrialState.COMPLETE, TrialState.RUNNING,
                                              TrialState.WAITING]
    running.report(0.4, 1)
    study.tell(running, 0.4)
    waiting = study.ask()  # the enqueued trial starts
    waiting.suggest_float("x", 0, 1)
    waiting.report(0.3, 0)
    events = watcher.poll()
    assert [(type(e).__name__, e.number) for e in events] == [
        ("EpochEnded", 1), ("TrialFinished", 1), ("TrialStarted", 2), ("EpochEnded", 2)]
    assert isinstance(events[0], EpochEnded) and events[0].epoch == 2
    assert isinstance(events[1], TrialFinished) and events[1].value == 0.4
    assert isinstance(events[2], TrialStarted) and events[2].params == {"x": 0.25}
    assert watcher.poll() == []
    watcher.source.close()


def test_a_snapshot_serves_the_trials_and_refuses_writes(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'p.db'}"
    optuna.create_study(storage=url, study_name="p").optimize(
        lambda t: t.suggest_float("x", 0, 1), n_trials=3)
    source = open_source(url, "p")
    snapshot = Snapshot(read_study(source))
    source.close()
    assert [s.name for s in snapshot.list_studies()] == ["p"]
    trials = snapshot.get_trials(STUDY_ID)
    assert [t.metrics["val_loss"] for t in trials] == [
        t.value for t in optuna.load_study(study_name="p", storage=url).trials]
    assert len(snapshot.get_epochs(STUDY_ID)) == 3 and snapshot.get_trial(STUDY_ID, 2).epochs == 1
    with pytest.raises(PermissionError):
        snapshot.create_trial(STUDY_ID, {}, 0)


def test_the_space_shown(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 's.db'}"
    study = optuna.create_study(storage=url, study_name="s")
    study.optimize(lambda t: t.suggest_float("learning_rate", 1e-4, 1, log=True), n_trials=1)
    other = optuna.create_study(storage=url, study_name="o")
    other.optimize(lambda t: t.suggest_float("lr", 1e-4, 1, log=True)
                   + len(t.suggest_categorical("act", ["relu", "tanh"])), n_trials=1)
    source, foreign = open_source(url, "s"), open_source(url, "o")
    caviar_space = view_space(read_study(source).plan)
    space = view_space(read_study(foreign).plan)
    source.close()
    foreign.close()
    assert isinstance(caviar_space, SearchSpace)
    assert caviar_space["learning_rate"].scale == "log"
    assert space.names == ("lr", "act") and "lr" in space and len(space) == 2
    assert (space["lr"].scale, space["lr"].is_ranged, space["lr"].low) == ("log", True, 1e-4)
    assert space["act"].values == ("relu", "tanh") and space["act"].hyperparameter.kind == "choice"
