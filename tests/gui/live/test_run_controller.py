"""The run controller drives the real coordinator off the GUI thread and relays its events."""

from __future__ import annotations

import time

from desktop_app.core.events import EpochEnded, Notice, StudyFinished, TrialFinished, TrialStarted
from desktop_app.core.study import StorageError, TrialState
from desktop_app.core.study.memory import InMemoryStorage
from desktop_app.gui.live.run_controller import RunController
from tests.gui.helpers import config


def _collect(controller: RunController) -> list[object]:
    events: list[object] = []
    controller.event.connect(events.append)
    return events


def test_sweep_events_arrive_in_gui_thread_in_order(qtbot):
    controller = RunController()
    events = _collect(controller)
    running: list[bool] = []
    controller.running_changed.connect(running.append)
    storage = InMemoryStorage()
    with qtbot.waitSignal(controller.finished, timeout=60_000) as done:
        assert controller.start(config(trials=4, epochs=3), storage)
    assert running == [True, False]
    assert isinstance(done.args[0], StudyFinished) and not done.args[0].stopped
    assert sum(isinstance(e, TrialStarted) for e in events) == 4
    assert sum(isinstance(e, EpochEnded) for e in events) == 4 * 3
    assert sum(isinstance(e, TrialFinished) for e in events) == 4
    assert isinstance(events[-1], StudyFinished)
    assert controller.current_progress().done == 4
    assert not controller.is_running()


def test_stop_mid_sweep_ends_within_two_seconds_and_interrupts(qtbot):
    controller = RunController()
    events = _collect(controller)
    storage = InMemoryStorage()
    with qtbot.waitSignal(controller.event, timeout=60_000,
                          check_params_cb=lambda e: isinstance(e, EpochEnded)):
        controller.start(config(trials=6, epochs=5000, workers=2), storage)
    asked = time.monotonic()
    with qtbot.waitSignal(controller.finished, timeout=5_000) as done:
        controller.stop()
        assert time.monotonic() - asked < 0.1  # stop() returns at once
    assert time.monotonic() - asked < 2.0
    assert done.args[0].stopped
    study = storage.get_study("gui-test")
    states = [t.state for t in storage.get_trials(study.study_id)]
    assert TrialState.INTERRUPTED in states
    assert TrialState.RUNNING not in states
    assert isinstance(events[-1], StudyFinished)


def test_stop_and_wait_blocks_until_the_thread_ended(qtbot):
    controller = RunController()
    finished: list[object] = []
    controller.finished.connect(finished.append)
    with qtbot.waitSignal(controller.event, timeout=60_000,
                          check_params_cb=lambda e: isinstance(e, EpochEnded)):
        controller.start(config(trials=4, epochs=5000), InMemoryStorage())
    asked = time.monotonic()
    assert controller.stop_and_wait()
    assert time.monotonic() - asked < 2.0
    assert not controller.is_running()
    assert finished and finished[0].stopped


class _Exploding:
    error: Exception = OSError("disk full")

    def run(self):
        yield TrialStarted("s", 0, {}, 0)
        raise self.error

    def progress(self):
        return None

    def stop(self) -> None:
        pass


def test_a_crash_in_the_sweep_becomes_failed_and_the_thread_ends(qtbot):
    controller = RunController(coordinator_factory=lambda storage, cfg: _Exploding())
    failures: list[str] = []
    controller.failed.connect(failures.append)
    with qtbot.waitSignal(controller.finished, timeout=5_000) as done:
        controller.start(config(), InMemoryStorage())
    assert failures == ["OSError: disk full"]
    assert done.args[0] is None


def test_a_study_file_problem_mid_sweep_is_the_core_line_without_a_type_name(qtbot):
    exploding = _Exploding()
    exploding.error = StorageError("runs.db", "the disk is full: free some space, then resume")
    controller = RunController(coordinator_factory=lambda storage, cfg: exploding)
    with qtbot.waitSignal(controller.failed, timeout=5_000) as failed:
        controller.start(config(), InMemoryStorage())
    assert failed.args == ["runs.db: the disk is full: free some space, then resume"]
    assert controller.stop_and_wait()


def test_a_refused_config_fails_without_a_thread(qtbot):
    def refuse(storage, cfg):
        raise ValueError("study.name: exists already")

    controller = RunController(coordinator_factory=refuse)
    with qtbot.waitSignal(controller.failed) as failed:
        assert not controller.start(config(), InMemoryStorage())
    assert failed.args == ["study.name: exists already"]
    assert not controller.is_running()


def test_a_second_start_while_running_is_refused(qtbot):
    controller = RunController()
    storage = InMemoryStorage()
    controller.start(config(trials=2, epochs=5000), storage)
    with qtbot.waitSignal(controller.failed):
        assert not controller.start(config(trials=2, epochs=5000), storage)
    controller.stop_and_wait()


class _NoticingCoordinator:
    """A sweep that only tells the user something, then ends."""

    def __init__(self, *_: object) -> None:
        pass

    def run(self):
        yield Notice("s", "trial 0 did not report the study metric 'f1'")
        yield StudyFinished("s", 0, 1, None, None, stopped=False)

    def progress(self) -> None:
        return None

    def stop(self) -> None:
        pass


def test_a_notice_is_relayed_as_its_text(qtbot):
    controller = RunController(coordinator_factory=_NoticingCoordinator)
    events = _collect(controller)
    notices: list[str] = []
    controller.notice.connect(notices.append)
    with qtbot.waitSignal(controller.finished, timeout=10_000):
        assert controller.start(config(trials=1, epochs=1), InMemoryStorage())
    assert notices == ["trial 0 did not report the study metric 'f1'"]
    assert isinstance(events[0], Notice) and isinstance(events[-1], StudyFinished)
