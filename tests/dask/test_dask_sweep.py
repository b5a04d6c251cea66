"""Whole sweeps through the Coordinator on a real Dask cluster: nothing lost, nothing doubled."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from desktop_app.core.errors import CaviarError
from desktop_app.core.events import EpochEnded, StudyFinished, TrialFinished, TrialStarted
from desktop_app.core.runner import Coordinator
from desktop_app.core.runner.dask_executor import DaskExecutor
from desktop_app.core.study import InMemoryStorage, Storage
from tests.core.runner.helpers import dying_trial, slow_trial, small_config
from tests.dask.helpers import data_copies

REPO = Path(__file__).resolve().parents[2]


def _rows(storage: Storage, study_id: int) -> list[tuple]:
    """Every stored epoch without its timing."""
    return [(r.number, r.epoch, r.train_loss, r.val_loss, r.val_accuracy)
            for r in storage.get_epochs(study_id)]


def _thread_rows(config) -> list[tuple]:
    storage = InMemoryStorage()
    coordinator = Coordinator(storage, config.replace(executor="thread"))
    list(coordinator.run())
    return _rows(storage, coordinator.study_id)


def test_a_sweep_stores_every_trial_and_epoch_as_local_workers_would(address: str) -> None:
    config = small_config(trials=4, epochs=3, workers=2)
    storage = InMemoryStorage()
    coordinator = Coordinator(storage, config, executor=DaskExecutor(2, address))
    events = list(coordinator.run())
    assert isinstance(events[-1], StudyFinished) and events[-1].finished == 4
    for n in range(4):
        mine = [type(e) for e in events if getattr(e, "number", None) == n]
        assert mine == [TrialStarted, EpochEnded, EpochEnded, EpochEnded, TrialFinished]
    trials = storage.get_trials(coordinator.study_id)
    assert [(t.number, t.state.value, t.epochs) for t in trials] == [
        (n, "complete", 3) for n in range(4)]
    assert _rows(storage, coordinator.study_id) == _thread_rows(config)


def test_a_killed_worker_interrupts_its_trial_which_runs_again(address: str, client: Any) -> None:
    config = small_config(trials=4, epochs=10, workers=2)  # 1 s per trial
    storage = InMemoryStorage()
    coordinator = Coordinator(storage, config, executor=DaskExecutor(2, address, run=slow_trial))
    events, killed = [], None
    for event in coordinator.run():
        events.append(event)
        if killed is None and isinstance(event, EpochEnded) and event.epoch == 3:
            started = next(e for e in events if isinstance(e, TrialStarted)
                           and e.number == event.number)
            worker = "tcp://" + started.worker.removeprefix("dask-")
            os.kill(client.run(os.getpid, workers=[worker])[worker], signal.SIGKILL)
            killed = event.number
    assert killed is not None
    first, again = [e for e in events if isinstance(e, TrialFinished) and e.number == killed]
    assert first.state == "interrupted" and 3 <= first.epochs < 10
    assert f"went away while running trial {killed}" in first.error
    assert (again.state, again.epochs) == ("complete", 10)
    starts = [e.worker for e in events if isinstance(e, TrialStarted) and e.number == killed]
    assert len(starts) == 2 and starts[0] != starts[1]
    assert events[-1].finished == 4  # the budget is met with the re-run
    trials = storage.get_trials(coordinator.study_id)
    assert [(t.number, t.state.value, t.epochs) for t in trials] == [
        (n, "complete", 10) for n in range(4)]
    assert [r.epoch for r in storage.get_epochs(coordinator.study_id, killed)] == list(
        range(1, 11))


def test_a_trial_that_kills_its_worker_twice_fails_as_with_process_workers() -> None:
    storage = InMemoryStorage()  # a local cluster: Dask itself never re-runs a trial there
    coordinator = Coordinator(storage, small_config(trials=4, workers=2),
                              executor=DaskExecutor(2, run=dying_trial))
    events: list = []
    run = coordinator.run()
    for event in run:
        events.append(event)
        if sum(isinstance(e, TrialStarted) and e.number == 1 for e in events) > 2:
            coordinator.stop()  # run a third time: the rule did not hold
    run.close()
    ends = [e for e in events if isinstance(e, TrialFinished) and e.number == 1]
    assert [e.state for e in ends] == ["interrupted", "failed"]
    assert "went away" in ends[1].error and "trial 1" in ends[1].error
    assert "lost its worker 2 times" in ends[1].error
    assert events[-1].finished == 4  # the failed trial counts in the budget
    assert [t.state.value for t in storage.get_trials(coordinator.study_id)] == [
        "complete", "failed", "complete", "complete"]


def _write_csv(path: Path) -> None:
    rng = np.random.default_rng(0)
    X = rng.normal(size=(90, 2)) + np.repeat(np.arange(3), 30)[:, None]
    labels = np.repeat(["a", "b", "c"], 30)
    path.write_text("x1,x2,label\n" + "".join(
        f"{x1:.6f},{x2:.6f},{label}\n" for (x1, x2), label in zip(X, labels, strict=True)))


def test_a_user_file_travels_once_per_worker(address: str, client: Any, tmp_path: Path) -> None:
    csv = tmp_path / "points.csv"
    _write_csv(csv)
    config = small_config(trials=6, epochs=2, workers=2)
    config = type(config)(config.study, type(config.data)(source=str(csv)), config.train,
                          config.space)
    expected = _thread_rows(config)
    storage = InMemoryStorage()
    coordinator = Coordinator(storage, config, executor=DaskExecutor(2, address))
    workers, copies, third_start = set(), None, 0
    for event in coordinator.run():
        if isinstance(event, TrialStarted):
            workers.add(event.worker)
            csv.unlink(missing_ok=True)  # from now on only the workers' copies exist
            if event.number == 2:
                third_start = time.time_ns()
        if isinstance(event, StudyFinished):  # the executor is still up
            copies = client.run(data_copies)
    assert storage.get_trials(coordinator.study_id)[-1].state.value == "complete"
    assert _rows(storage, coordinator.study_id) == expected
    assert len(workers) == 2
    assert sorted(len(c) for c in copies.values()) == [1, 1]
    for ((name, written),) in copies.values():  # written once, before the third trial began
        assert name == "points.csv" and written < third_start
    assert client.run(data_copies) == {w: [] for w in copies}  # shutdown removed them


@pytest.fixture
def own_cluster(tmp_path: Path) -> Iterator[tuple[str, subprocess.Popen]]:
    """A scheduler and one worker started as the user would, in processes of their own."""
    dask = [sys.executable, "-m", "distributed.cli.dask_scheduler"]
    file = tmp_path / "scheduler.json"
    scheduler = subprocess.Popen(
        [*dask, "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
         "--scheduler-file", str(file)], stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 20
    while not file.exists() or not file.read_text():
        assert time.monotonic() < deadline and scheduler.poll() is None
        time.sleep(0.05)
    address = json.loads(file.read_text())["address"]
    worker = subprocess.Popen(
        [sys.executable, "-m", "distributed.cli.dask_worker", address, "--nthreads", "1",
         "--host", "127.0.0.1", "--no-dashboard", "--no-nanny"],
        stderr=subprocess.DEVNULL, env={**os.environ, "PYTHONPATH": str(REPO)}, cwd=REPO)
    try:
        yield address, scheduler
    finally:
        for process in (worker, scheduler):
            process.kill()
            process.wait()


def test_a_lost_scheduler_ends_the_sweep_with_a_clear_error(own_cluster) -> None:
    address, scheduler = own_cluster
    config = small_config(trials=6, epochs=4, workers=1)
    storage = InMemoryStorage()
    coordinator = Coordinator(storage, config, executor=DaskExecutor(1, address, run=slow_trial))
    finished = 0
    with pytest.raises(CaviarError) as err:
        for event in coordinator.run():
            if isinstance(event, TrialFinished):
                finished += 1
                if finished == 2:
                    scheduler.kill()
    assert err.value.field == "study.scheduler"
    assert f"lost the connection to the Dask scheduler at {address}" in str(err.value)
    assert "resume the study" in str(err.value)
    trials = storage.get_trials(coordinator.study_id)
    done = [t for t in trials if t.state.value == "complete"]
    assert len(done) >= 2
    assert all(len(storage.get_epochs(coordinator.study_id, t.number)) == 4 for t in done)
    assert {t.state.value for t in trials} <= {"complete", "interrupted"}
