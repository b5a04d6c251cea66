"""Coordinator: budget, storage before yield, failures, divergence, pruning, stop, resume."""

from __future__ import annotations

import json
import os
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop_app.core.errors import ConfigError
from desktop_app.core.events import EpochEnded, StudyFinished, TrialFinished, TrialStarted
from desktop_app.core.runner import coordinator as coordinator_module
from desktop_app.core.runner.coordinator import Coordinator
from desktop_app.core.runner.process_executor import ProcessExecutor
from desktop_app.core.runner.task import trial_seed
from desktop_app.core.runner.thread_executor import ThreadExecutor
from desktop_app.core.study import (
    FINISHED_STATES,
    EpochRow,
    InMemoryStorage,
    SQLiteStorage,
    Storage,
    StudyBusyError,
    TrialState,
)
from tests.core.runner.helpers import (
    KILL_ONCE_DIR,
    dying_trial,
    failing_trial,
    flaky_trial,
    instant_trial,
    killed_once_trial,
    slow_trial,
    small_config,
    states,
)


@pytest.fixture(params=["memory", "sqlite"])
def storage(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Storage]:
    store = InMemoryStorage() if request.param == "memory" else SQLiteStorage(tmp_path / "s.db")
    yield store
    store.close()


def _of(events: list, kind: type) -> list:
    return [e for e in events if isinstance(e, kind)]


def test_every_epoch_of_every_trial_arrives_and_is_stored(storage: Storage) -> None:
    config = small_config(trials=5, workers=2)
    coordinator = Coordinator(storage, config)
    events = list(coordinator.run())
    sid = coordinator.study_id
    assert isinstance(events[-1], StudyFinished)
    assert len(_of(events, TrialStarted)) == len(_of(events, TrialFinished)) == 5
    epochs = _of(events, EpochEnded)
    assert sorted((e.number, e.epoch) for e in epochs) == [(n, e) for n in range(5)
                                                           for e in (1, 2, 3)]
    stored = storage.get_epochs(sid)
    assert [(r.number, r.epoch, r.val_loss) for r in stored] == sorted(
        (e.number, e.epoch, e.val_loss) for e in epochs)
    trials = storage.get_trials(sid)
    assert [t.number for t in trials] == [0, 1, 2, 3, 4]
    assert all(t.state is TrialState.COMPLETE for t in trials)
    assert [t.seed for t in trials] == [trial_seed(7, n) for n in range(5)]
    assert storage.get_study("s").config == json.loads(json.dumps(config.to_dict()))
    best = max(trials, key=lambda t: t.metrics["val_accuracy"])
    assert (events[-1].finished, events[-1].budget, events[-1].stopped) == (5, 5, False)
    assert events[-1].best_value == best.metrics["val_accuracy"]
    assert coordinator.progress().done == 5
    assert coordinator.progress().running == 0


def test_events_are_stored_before_they_are_yielded_and_workers_bound_the_flight(
    storage: Storage,
) -> None:
    coordinator = Coordinator(storage, small_config(trials=6, workers=2))
    for event in coordinator.run():
        if isinstance(event, StudyFinished):
            continue
        sid = coordinator.study_id
        trial = storage.get_trial(sid, event.number)
        # a poll's events are stored together before the first is yielded: the storage holds
        # at least this event (the trial may have gone further in the same poll)
        if isinstance(event, TrialStarted):
            assert trial.state is TrialState.RUNNING or trial.state in FINISHED_STATES
            assert trial.started is not None
        elif isinstance(event, EpochEnded):
            stored = storage.get_epochs(sid, event.number)
            assert stored[event.epoch - 1].val_loss == pytest.approx(event.val_loss, nan_ok=True)
        else:
            assert trial.state.value == event.state
        assert len(storage.get_trials(sid, [TrialState.RUNNING])) <= 2


def test_finished_events_carry_the_metrics_the_storage_holds(storage: Storage) -> None:
    coordinator = Coordinator(storage, small_config(trials=3, workers=2))
    events = list(coordinator.run())
    for event in _of(events, TrialFinished):
        stored = storage.get_trial(coordinator.study_id, event.number)
        assert event.metrics == stored.metrics
        assert event.value == stored.metrics["val_accuracy"]
        assert event.epochs == stored.epochs == 3


def _same_value_trial(t, report, should_stop) -> TrialFinished:
    """Every trial ends complete with the same value; the lower numbers finish later."""
    time.sleep(0.02 * (3 - t.number))
    report(EpochEnded(t.study, t.number, 1, 1.0, 0.5, 1.0, 0.5, 0.01, 0.001))
    return TrialFinished(t.study, t.number, "complete", 0.5, 1, 0.0)


def test_a_tie_for_best_goes_to_the_lowest_trial_number(storage: Storage) -> None:
    coordinator = Coordinator(storage, small_config(trials=4, workers=4),
                              ThreadExecutor(4, run=_same_value_trial))
    events, live_best = [], []
    for event in coordinator.run():
        events.append(event)
        if isinstance(event, TrialFinished):  # trial 0 tends to finish last
            live_best.append(coordinator.progress().best_number)
    assert live_best[-1] == 0
    assert (events[-1].best_number, events[-1].best_value) == (0, 0.5)
    assert (coordinator.progress().best_number, coordinator.progress().best_value) == (0, 0.5)
    resumed = Coordinator(storage, small_config(trials=4, workers=4))  # from the stored trials
    assert (resumed.progress().best_number, resumed.progress().best_value) == (0, 0.5)


def test_crash_inside_a_trial_fails_it_with_its_error_and_the_sweep_goes_on(
    storage: Storage,
) -> None:
    coordinator = Coordinator(storage, small_config(trials=4),
                              ThreadExecutor(2, run=failing_trial))
    events = list(coordinator.run())
    sid = coordinator.study_id
    assert states(storage, sid) == {0: "complete", 1: "failed", 2: "complete", 3: "complete"}
    failed = storage.get_trial(sid, 1)
    assert "ConfigError: activation:" in failed.error
    assert _of(events, TrialFinished)[0].error or failed.error
    assert events[-1].finished == 4


def test_diverging_learning_rates_end_as_diverged_and_are_never_best(storage: Storage) -> None:
    params = {"learning_rate": {"values": [0.05, 1e4]}}
    config = small_config(trials=2, strategy="grid", params=params, train={"optimizer": "sgd"})
    coordinator = Coordinator(storage, config)
    events = list(coordinator.run())
    by_lr = {t.params["learning_rate"]: t for t in storage.get_trials(coordinator.study_id)}
    assert by_lr[1e4].state is TrialState.DIVERGED
    assert by_lr[0.05].state is TrialState.COMPLETE
    assert events[-1].best_number == by_lr[0.05].number
    assert events[-1].finished == 2


@pytest.mark.parametrize("trial", [slow_trial, instant_trial])
def test_prune_decision_cancels_the_trial_and_stores_it_pruned(
    storage: Storage, monkeypatch: pytest.MonkeyPatch, trial
) -> None:
    # slow: the cancel arrives while the trial runs; instant: the trial has finished all its
    # epochs before the decision is made. Both store the same outcome.
    told = []
    real = coordinator_module.make_strategy

    def make_strategy(*args, **kwargs):
        strategy = real(*args, **kwargs)
        asks = []
        ask, report, tell = strategy.ask, strategy.report, strategy.tell

        def ask_and_note():
            suggestion = ask()
            asks.append(suggestion.key)
            return suggestion

        def prune_second(key, epoch, value):
            return report(key, epoch, value) or (asks.index(key) == 1 and epoch == 2)

        def tell_and_note(key, state, value=None):
            told.append((asks.index(key), state, value))
            tell(key, state, value)

        monkeypatch.setattr(strategy, "ask", ask_and_note)
        monkeypatch.setattr(strategy, "report", prune_second)
        monkeypatch.setattr(strategy, "tell", tell_and_note)
        return strategy

    monkeypatch.setattr(coordinator_module, "make_strategy", make_strategy)
    config = small_config(trials=3, workers=1, epochs=6)
    coordinator = Coordinator(storage, config, ThreadExecutor(1, run=trial))
    events = list(coordinator.run())
    sid = coordinator.study_id
    assert states(storage, sid) == {0: "complete", 1: "pruned", 2: "complete"}
    # the worker ran on while the decision travelled: those epochs are not counted
    assert [e.epoch for e in _of(events, EpochEnded) if e.number == 1] == [1, 2]
    assert [r.epoch for r in storage.get_epochs(sid, 1)] == [1, 2]
    pruned = next(e for e in _of(events, TrialFinished) if e.number == 1)
    assert (pruned.state, pruned.epochs, pruned.value) == ("pruned", 2, 0.01 + 0.002)
    assert storage.get_trial(sid, 1).metrics["val_accuracy"] == 0.01 + 0.002
    assert told[1] == (1, TrialState.PRUNED, 0.01 + 0.002)
    assert events[-1].finished == 3


def test_median_pruner_prunes_trials_worse_than_the_median(storage: Storage) -> None:
    # slow_trial's value grows with the trial number: minimising it, every trial after the
    # pruner's 4 start-up trials is worse than the median from epoch 1 and is pruned there.
    config = small_config(trials=6, workers=1, epochs=4, pruner="median", direction="minimize")
    coordinator = Coordinator(storage, config, ThreadExecutor(1, run=slow_trial))
    list(coordinator.run())
    sid = coordinator.study_id
    assert states(storage, sid) == {0: "complete", 1: "complete", 2: "complete",
                                    3: "complete", 4: "pruned", 5: "pruned"}
    assert [len(storage.get_epochs(sid, n)) for n in (4, 5)] == [1, 1]


def _run_until_stopped(coordinator: Coordinator, after_epochs: int) -> tuple[list, float]:
    """Run until ``after_epochs`` epochs arrived, then stop() from another thread."""
    events: list = []
    asked = threading.Event()
    stopped_at = 0.0
    for event in coordinator.run():
        events.append(event)
        if len(_of(events, EpochEnded)) == after_epochs and not asked.is_set():
            asked.set()
            stopped_at = time.monotonic()
            threading.Thread(target=coordinator.stop).start()
    return events, time.monotonic() - stopped_at


def test_stop_mid_sweep_ends_quickly_with_running_trials_interrupted(storage: Storage) -> None:
    config = small_config(trials=6, workers=2, epochs=200)  # about 20 s per trial
    coordinator = Coordinator(storage, config, ThreadExecutor(2, run=slow_trial))
    events, took = _run_until_stopped(coordinator, after_epochs=3)
    assert took < 2.0
    last = events[-1]
    assert isinstance(last, StudyFinished) and last.stopped
    assert (last.finished, last.best_number) == (0, None)
    assert states(storage, coordinator.study_id) == {0: "interrupted", 1: "interrupted"}
    assert [e.state for e in _of(events, TrialFinished)] == ["interrupted", "interrupted"]


def test_resume_after_stop_reruns_interrupted_trials_and_meets_the_budget_exactly(
    tmp_path: Path,
) -> None:
    path = tmp_path / "resume.db"
    config = small_config(trials=5, workers=2, epochs=8)
    with SQLiteStorage(path) as storage:
        first = Coordinator(storage, config, ThreadExecutor(2, run=slow_trial))
        events, _ = _run_until_stopped(first, after_epochs=20)  # a few done, two running
        sid = first.study_id
        before = {t.number: t for t in storage.get_trials(sid)}
    interrupted = [n for n, t in before.items() if t.state is TrialState.INTERRUPTED]
    done_before = [n for n, t in before.items() if t.state is TrialState.COMPLETE]
    assert len(interrupted) == 2 and 1 <= len(done_before) <= 3

    with SQLiteStorage(path) as storage:
        second = Coordinator(storage, config, ThreadExecutor(2, run=slow_trial))
        assert second.progress().done == len(done_before)  # counts the earlier session
        resumed = list(second.run())
        assert second.progress().done == 5
        after = storage.get_trials(sid)
        epochs = storage.get_epochs(sid)
    started = {e.number: e for e in _of(resumed, TrialStarted)}
    for n in interrupted:  # same number, same params, same seed
        assert (started[n].params, started[n].seed) == (before[n].params, before[n].seed)
    assert not set(started) & set(done_before)  # a finished trial never runs twice
    assert [t.number for t in after] == [0, 1, 2, 3, 4]
    assert all(t.state is TrialState.COMPLETE for t in after)
    assert resumed[-1].finished == 5 and not resumed[-1].stopped
    assert len(epochs) == 5 * 8  # re-runs started over: no leftover epochs
    finished_events = _of(events, TrialFinished) + _of(resumed, TrialFinished)
    complete = [e.number for e in finished_events if e.state == "complete"]
    assert sorted(complete) == [0, 1, 2, 3, 4]


def test_resume_after_a_crash_reruns_trials_left_running(storage: Storage) -> None:
    config = small_config(trials=3, workers=1)
    record = storage.create_study("s", config.to_dict())
    sid = record.study_id
    crashed = storage.create_trial(sid, {"learning_rate": 0.02}, seed=99)
    storage.set_trial_running(sid, crashed.number)
    storage.add_epoch(sid, EpochRow(crashed.number, 1, 1.0, 0.3, 1.0, 0.3, 0.02))
    waiting = storage.create_trial(sid, {"learning_rate": 0.03}, seed=98)
    events = list(Coordinator(storage, config).run())
    started = [(e.number, e.params, e.seed) for e in _of(events, TrialStarted)]
    assert started[:2] == [(0, {"learning_rate": 0.02}, 99), (1, {"learning_rate": 0.03}, 98)]
    assert started[2][0] == 2 and started[2][2] == trial_seed(7, 2)
    assert waiting.number == 1
    assert states(storage, sid) == {0: "complete", 1: "complete", 2: "complete"}
    assert [r.epoch for r in storage.get_epochs(sid, 0)] == [1, 2, 3]


def test_resume_of_a_finished_study_runs_nothing(storage: Storage) -> None:
    config = small_config(trials=2)
    list(Coordinator(storage, config).run())
    events = list(Coordinator(storage, config).run())
    assert len(events) == 1 and events[0].finished == 2 and not events[0].stopped


def test_a_smaller_budget_on_resume_reruns_only_what_it_needs(storage: Storage) -> None:
    config = small_config(trials=3)
    sid = storage.create_study("s", config.to_dict()).study_id
    for n in range(3):
        storage.create_trial(sid, {"learning_rate": 0.01 * (n + 1)}, seed=n,
                             state=TrialState.INTERRUPTED)
    events = list(Coordinator(storage, config.replace(trials=2)).run())
    assert [e.number for e in _of(events, TrialStarted)] == [0, 1]
    assert states(storage, sid) == {0: "complete", 1: "complete", 2: "interrupted"}


def test_closing_the_generator_early_leaves_a_resumable_study(storage: Storage) -> None:
    coordinator = Coordinator(storage, small_config(trials=4, epochs=200),
                              ThreadExecutor(2, run=slow_trial))
    run = coordinator.run()
    for event in run:
        if isinstance(event, EpochEnded):
            break
    run.close()
    assert set(states(storage, coordinator.study_id).values()) == {"interrupted"}


def test_a_study_runs_in_one_coordinator_at_a_time(storage: Storage) -> None:
    config = small_config(trials=2, epochs=200)
    first = Coordinator(storage, config, ThreadExecutor(1, run=slow_trial))
    run = first.run()
    assert isinstance(next(run), TrialStarted)
    try:
        with pytest.raises(StudyBusyError, match="study 's' is"):
            Coordinator(storage, config, ThreadExecutor(1, run=instant_trial))
        assert states(storage, first.study_id) == {0: "running"}  # not taken over
    finally:
        first.stop()
        list(run)
    second = Coordinator(storage, config, ThreadExecutor(1, run=instant_trial))
    assert list(second.run())[-1].finished == 2  # the study was released when the run ended


def test_a_second_connection_to_the_file_cannot_run_a_study_being_run(tmp_path: Path) -> None:
    with SQLiteStorage(tmp_path / "s.db") as one, SQLiteStorage(tmp_path / "s.db") as two:
        config = small_config(trials=1, epochs=200)
        run = Coordinator(one, config, ThreadExecutor(1, run=slow_trial)).run()
        next(run)
        try:
            with pytest.raises(StudyBusyError) as err:
                Coordinator(two, config)
            assert str(err.value).startswith(f"{tmp_path / 's.db'}: study 's' is being run by "
                                             f"process {os.getpid()} on ")
            assert two.get_trials(two.get_study("s").study_id)  # readers read on
        finally:
            run.close()


def test_a_study_of_the_same_name_with_another_space_is_refused(storage: Storage) -> None:
    list(Coordinator(storage, small_config(trials=1)).run())
    other = small_config(trials=1, params={"learning_rate": {"scale": "log", "low": 1e-4,
                                                             "high": 1e-1}})
    with pytest.raises(ConfigError) as err:
        Coordinator(storage, other)
    assert str(err.value).startswith(
        "study.name: a study named 's' already exists in this file with a different [params]")
    Coordinator(storage, small_config(trials=3, workers=1))  # budget and workers may change


def test_a_trial_that_kills_its_worker_twice_fails_and_the_sweep_goes_on(
    storage: Storage,
) -> None:
    coordinator = Coordinator(storage, small_config(trials=4),
                              ProcessExecutor(2, run=dying_trial))
    events = list(coordinator.run())
    sid = coordinator.study_id
    assert states(storage, sid) == {0: "complete", 1: "failed", 2: "complete", 3: "complete"}
    error = storage.get_trial(sid, 1).error
    assert "died (exit code 3)" in error and "lost its worker 2 times" in error
    ends = [(e.state, e.error) for e in _of(events, TrialFinished) if e.number == 1]
    assert [state for state, _ in ends] == ["interrupted", "failed"]  # run again once only
    assert "died (exit code 3)" in ends[0][1]
    assert len(_of(events, TrialStarted)) == 5
    assert [r.epoch for r in storage.get_epochs(sid, 1)] == [1]
    assert events[-1].finished == 4


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="POSIX kill -9")
def test_a_worker_killed_9_mid_trial_is_replaced_and_its_trial_runs_again(
    storage: Storage, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(KILL_ONCE_DIR, str(tmp_path))  # the workers inherit it
    coordinator = Coordinator(storage, small_config(trials=4, epochs=3),
                              ProcessExecutor(2, run=killed_once_trial))
    events = list(coordinator.run())
    sid = coordinator.study_id
    assert set(states(storage, sid).values()) == {"complete"}
    assert events[-1].finished == 4 and len(storage.get_trials(sid)) == 4
    first = next(e for e in _of(events, TrialFinished) if e.number == 1)
    assert first.state == "interrupted"
    assert f"died (exit code {-signal.SIGKILL})" in first.error
    runs = [e.worker for e in _of(events, TrialStarted) if e.number == 1]
    assert len(runs) == 2 and runs[0] != runs[1]  # a new worker took the dead one's place
    assert [r.epoch for r in storage.get_epochs(sid, 1)] == [1, 2, 3]
    assert storage.get_trial(sid, 1).error == ""


def test_process_executor_sweep_matches_thread_executor_sweep(tmp_path: Path) -> None:
    results = []
    for kind in ("thread", "process"):
        with SQLiteStorage(tmp_path / f"{kind}.db") as storage:
            coordinator = Coordinator(storage, small_config(trials=3, executor=kind))
            list(coordinator.run())
            results.append([(t.number, t.params, t.seed, t.metrics)
                            for t in storage.get_trials(coordinator.study_id)])
    assert results[0] == results[1]


def test_a_stop_that_comes_after_the_last_trial_stops_nothing(storage: Storage) -> None:
    coordinator = Coordinator(storage, small_config(trials=2, workers=1))
    events = []
    for event in coordinator.run():
        events.append(event)
        if len(_of(events, TrialFinished)) == 2:
            coordinator.stop()
    assert (events[-1].finished, events[-1].stopped) == (2, False)


def test_a_trial_interrupted_without_a_stop_is_run_again_in_the_same_sweep() -> None:
    storage = InMemoryStorage()
    coordinator = Coordinator(storage, small_config(trials=3, workers=1),
                              ThreadExecutor(1, run=flaky_trial))
    events = list(coordinator.run())
    starts = [(e.number, e.params, e.seed) for e in _of(events, TrialStarted)]
    assert [n for n, _, _ in starts] == [0, 1, 1, 2]
    assert starts[1] == starts[2]  # same params, same seed
    assert states(storage, coordinator.study_id) == {0: "complete", 1: "complete", 2: "complete"}
    assert [r.epoch for r in storage.get_epochs(coordinator.study_id, 1)] == [1, 2, 3]
    assert events[-1].finished == 3 and not events[-1].stopped
