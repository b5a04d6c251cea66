"""Resuming a study with more finished trials than Optuna is shown (HISTORY_LIMIT)."""

from __future__ import annotations

from desktop_app.core.events import StudyFinished, TrialFinished
from desktop_app.core.runner.coordinator import Coordinator
from desktop_app.core.runner.thread_executor import ThreadExecutor
from desktop_app.core.search.history import HISTORY_LIMIT
from desktop_app.core.study import EpochRow, InMemoryStorage, TrialState
from tests.core.runner.helpers import instant_trial, small_config

PAST = HISTORY_LIMIT + 500


def _past_study(storage: InMemoryStorage, config) -> None:
    sid = storage.create_study(config.study.name, config.to_dict()).study_id
    for n in range(PAST):
        storage.create_trial(sid, {"learning_rate": 10 ** (-1 - (n % 20) / 10)}, seed=n)
        storage.set_trial_running(sid, n)
        for epoch in (1, 2):
            storage.add_epoch(sid, EpochRow(n, epoch, 1.0, (n % 97) / 100, 1.0, 0.5, 0.01))
        storage.finish_trial(sid, n, TrialState.PRUNED if n % 10 == 0 else TrialState.COMPLETE)


def test_a_big_tpe_study_with_a_pruner_resumes_and_finishes_its_budget() -> None:
    storage = InMemoryStorage()
    config = small_config(trials=PAST, workers=1, epochs=2, strategy="tpe", pruner="median")
    _past_study(storage, config)
    resumed = config.replace(trials=PAST + 3)
    events = list(Coordinator(storage, resumed, ThreadExecutor(1, run=instant_trial)).run())
    finished = [e for e in events if isinstance(e, TrialFinished)]
    assert [e.number for e in finished] == [PAST, PAST + 1, PAST + 2]
    last = events[-1]
    assert isinstance(last, StudyFinished) and last.finished == PAST + 3
    sid = storage.get_study(config.study.name).study_id
    assert len(storage.get_trials(sid, [TrialState.COMPLETE, TrialState.PRUNED])) == PAST + 3
