"""Thread and process executors: streaming, cancelling, dying workers, clean shutdown."""

from __future__ import annotations

import multiprocessing as mp
import os
import signal
import time

import pytest

from desktop_app.core.errors import CaviarError
from desktop_app.core.events import EpochEnded, TrialFinished, TrialStarted
from desktop_app.core.runner.executor import Executor
from desktop_app.core.runner.factory import make_executor
from desktop_app.core.runner.process_executor import ProcessExecutor
from desktop_app.core.runner.thread_executor import ThreadExecutor
from tests.core.runner.helpers import dying_trial, probe_trial, slow_trial, task

KINDS = ["thread", "process"]


def _executor(kind: str, workers: int, run=slow_trial) -> Executor:
    return ThreadExecutor(workers, run=run) if kind == "thread" else ProcessExecutor(workers, run)


def _collect(executor: Executor, count: int, timeout: float = 30.0) -> list:
    """Poll until ``count`` trials finished."""
    events: list = []
    deadline = time.monotonic() + timeout
    while sum(isinstance(e, TrialFinished) for e in events) < count:
        assert time.monotonic() < deadline, events
        events.extend(executor.poll(0.05))
    return events


@pytest.mark.parametrize("kind", KINDS)
def test_every_event_of_every_trial_arrives_in_order(kind: str) -> None:
    executor = _executor(kind, 2)
    try:
        for n in range(3):
            executor.submit(task(number=n, epochs=2))
        assert executor.free_slots() == 0
        events = _collect(executor, 3)
    finally:
        executor.shutdown()
    for n in range(3):
        mine = [e for e in events if e.number == n]
        assert [type(e) for e in mine] == [TrialStarted, EpochEnded, EpochEnded, TrialFinished]
        assert [e.epoch for e in mine[1:3]] == [1, 2]
        assert mine[-1].state == "complete"
        assert mine[0].worker.startswith(kind)
    assert executor.free_slots() == 2


@pytest.mark.parametrize("kind", KINDS)
def test_epochs_stream_back_while_the_trial_runs(kind: str) -> None:
    executor = _executor(kind, 1)
    try:
        executor.submit(task(number=0, epochs=40))  # about 4 s in all
        deadline = time.monotonic() + 20
        first_epoch = None
        while first_epoch is None and time.monotonic() < deadline:
            first_epoch = next((e for e in executor.poll(0.05) if isinstance(e, EpochEnded)), None)
        assert first_epoch is not None and first_epoch.epoch == 1
        executor.cancel(0)
        finished = [e for e in _collect(executor, 1, timeout=5) if isinstance(e, TrialFinished)]
        assert finished[0].state == "interrupted"
        assert finished[0].epochs < 40
    finally:
        executor.shutdown()


@pytest.mark.parametrize("kind", KINDS)
def test_cancel_stops_one_trial_and_queued_ones_finish_interrupted(kind: str) -> None:
    executor = _executor(kind, 1)
    try:
        executor.submit(task(number=0, epochs=100))
        executor.submit(task(number=1, epochs=1))
        executor.submit(task(number=2, epochs=100))
        executor.cancel(2)  # still queued behind trial 0
        executor.cancel(99)  # unknown: ignored
        _collect(executor, 0)
        time.sleep(0.3)
        start = time.monotonic()
        executor.cancel(0)
        events = _collect(executor, 3, timeout=10)
        states = {e.number: e.state for e in events if isinstance(e, TrialFinished)}
        assert states == {0: "interrupted", 1: "complete", 2: "interrupted"}
        assert time.monotonic() - start < 3
    finally:
        executor.shutdown()


@pytest.mark.parametrize("kind", KINDS)
def test_shutdown_stops_running_trials_quickly_and_is_idempotent(kind: str) -> None:
    executor = _executor(kind, 2)
    executor.submit(task(number=0, epochs=1000))
    executor.submit(task(number=1, epochs=1000))
    executor.poll(0.5)
    start = time.monotonic()
    executor.shutdown()
    executor.shutdown()
    assert time.monotonic() - start < 3
    with pytest.raises(RuntimeError):
        executor.submit(task(number=2))


def test_killed_worker_interrupts_its_trial_and_the_pool_goes_on() -> None:
    executor = ProcessExecutor(1, run=dying_trial)
    try:
        for n in range(3):
            executor.submit(task(number=n))
        events = _collect(executor, 3)
    finally:
        executor.shutdown()
    finished = {e.number: e for e in events if isinstance(e, TrialFinished)}
    assert {n: e.state for n, e in finished.items()} == {
        0: "complete", 1: "interrupted", 2: "complete"}
    assert "died (exit code 3)" in finished[1].error
    assert "trial 1" in finished[1].error
    workers = {e.number: e.worker for e in events if isinstance(e, TrialStarted)}
    assert workers[0] == workers[1] != workers[2]  # the dead worker was replaced
    assert [e.epoch for e in events if isinstance(e, EpochEnded) and e.number == 1] == [1]


def test_process_and_thread_executors_give_identical_results() -> None:
    results = {}
    for kind in KINDS:
        executor = make_executor(kind, 2)
        try:
            for n in range(2):
                executor.submit(task(number=n, seed=100 + n, learning_rate=0.05))
            events = _collect(executor, 2)
        finally:
            executor.shutdown()
        results[kind] = sorted(
            (e.number, e.epoch, e.train_loss, e.val_loss, e.val_accuracy)
            for e in events if isinstance(e, EpochEnded)
        )
    assert len(results["thread"]) == 6
    assert results["thread"] == results["process"]


def test_make_executor_names_the_field_for_bad_choices() -> None:
    with pytest.raises(CaviarError) as dask:
        make_executor("dask", 2, "nonsense")  # checked before connecting: needs no cluster
    assert dask.value.field == "study.scheduler"
    with pytest.raises(CaviarError) as gpu:
        make_executor("gpu", 2)
    assert str(gpu.value) == "study.executor: 'gpu' is not one of: thread, process, dask"
    with pytest.raises(CaviarError) as zero:
        make_executor("thread", 0)
    assert str(zero.value) == "study.workers: must be a whole number >= 1 (got 0)"
    assert isinstance(make_executor("process", 3), ProcessExecutor)
    thread = make_executor("thread", 3)
    assert (thread.workers, thread.free_slots()) == (3, 3)
    thread.shutdown()


@pytest.mark.parametrize(("kind", "nicer"), [("thread", 0), ("process", 5)])
def test_workers_use_one_blas_thread_and_processes_lower_their_priority(
    kind: str, nicer: int
) -> None:
    executor = _executor(kind, 1, run=probe_trial)
    try:
        executor.submit(task())
        result = next(e for e in _collect(executor, 1) if isinstance(e, TrialFinished))
    finally:
        executor.shutdown()
    assert result.metrics == {"blas_threads": 1, "nice": min(19, os.nice(0) + nicer)}


def test_thread_executor_restores_the_blas_threads_when_it_shuts_down() -> None:
    from threadpoolctl import threadpool_info

    def blas() -> int:
        return max(info["num_threads"] for info in threadpool_info())

    before = blas()
    executor = ThreadExecutor(1, run=probe_trial)
    assert blas() == before  # nothing is limited until a worker starts
    executor.submit(task())
    _collect(executor, 1)
    assert blas() == 1
    executor.shutdown()
    assert blas() == before


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="POSIX kill -9")
def test_worker_killed_from_outside_interrupts_its_trial_and_a_new_worker_takes_over() -> None:
    executor = ProcessExecutor(1, run=slow_trial)
    try:
        executor.submit(task(number=0, epochs=1000))
        events = []
        while not any(isinstance(e, EpochEnded) for e in events):
            events.extend(executor.poll(0.05))
        (worker,) = mp.active_children()
        os.kill(worker.pid, signal.SIGKILL)
        executor.submit(task(number=1, epochs=1))
        events = _collect(executor, 2)
    finally:
        executor.shutdown()
    finished = {e.number: e for e in events if isinstance(e, TrialFinished)}
    assert finished[0].state == "interrupted"
    assert f"died (exit code {-signal.SIGKILL})" in finished[0].error
    assert finished[1].state == "complete"
