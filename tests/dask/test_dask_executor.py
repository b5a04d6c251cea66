"""The Dask executor on its own: streaming, cancelling, failures, start-up errors, shutdown."""

from __future__ import annotations

import os
import socket
import sys
import time
from typing import Any

import psutil
import pytest

from desktop_app.core.errors import CaviarError
from desktop_app.core.events import EpochEnded, TrialFinished, TrialStarted
from desktop_app.core.runner import dask_executor
from desktop_app.core.runner.dask_executor import DaskExecutor
from tests.core.runner.helpers import probe_trial, slow_trial, task
from tests.dask.helpers import Unloadable, collect, running_trials


def test_every_event_of_every_trial_arrives_in_order(address: str) -> None:
    executor = DaskExecutor(2, address, run=slow_trial)
    try:
        for n in range(3):
            executor.submit(task(number=n, epochs=2))
        assert executor.free_slots() == 0
        events = collect(executor, 3)
    finally:
        executor.shutdown()
    for n in range(3):
        mine = [e for e in events if e.number == n]
        assert [type(e) for e in mine] == [TrialStarted, EpochEnded, EpochEnded, TrialFinished]
        assert [e.epoch for e in mine[1:3]] == [1, 2]
        assert (mine[-1].state, mine[-1].value) == ("complete", n / 100 + 2 / 1000)
        assert mine[0].worker.startswith("dask-127.0.0.1:")
    assert executor.free_slots() == 2


def test_epochs_stream_while_the_trial_runs_and_cancel_stops_it_at_once(address: str) -> None:
    executor = DaskExecutor(1, address, run=slow_trial)
    try:
        executor.submit(task(number=0, epochs=100))  # 10 s if nobody stops it
        events = []
        deadline = time.monotonic() + 20
        while not any(isinstance(e, EpochEnded) for e in events):
            assert time.monotonic() < deadline
            events.extend(executor.poll(0.05))
        start = time.monotonic()
        executor.cancel(0)
        finished = [e for e in collect(executor, 1, timeout=5) if isinstance(e, TrialFinished)]
        latency = time.monotonic() - start
    finally:
        executor.shutdown()
    assert finished[0].state == "interrupted"
    assert finished[0].epochs < 10
    print(f"cancel() -> TrialFinished: {latency * 1000:.0f} ms")
    assert latency < 1.0


def test_cancel_before_start_finishes_the_trial_at_once(address: str) -> None:
    executor = DaskExecutor(2, address, run=slow_trial)
    try:
        executor.submit(task(number=0, epochs=100))
        executor.submit(task(number=1, epochs=1))
        executor.submit(task(number=2, epochs=100))
        executor.cancel(2)  # queued: both workers are busy with trials 0 and 1
        executor.cancel(99)  # unknown: ignored
        first = executor.poll(0.0)
        assert [(type(e), e.number, e.state) for e in first if isinstance(e, TrialFinished)] \
            == [(TrialFinished, 2, "interrupted")]
        executor.cancel(0)
        events = first + collect(executor, 2, timeout=10)
    finally:
        executor.shutdown()
    states = {e.number: e.state for e in events if isinstance(e, TrialFinished)}
    assert states == {0: "interrupted", 1: "complete", 2: "interrupted"}
    assert not [e for e in events if isinstance(e, TrialStarted) and e.number == 2]
    assert len([e for e in events if isinstance(e, TrialFinished)]) == 3


def test_a_task_that_cannot_run_is_a_failed_trial(address: str) -> None:
    executor = DaskExecutor(1, address, run=Unloadable())
    try:
        executor.submit(task(number=4))
        events = collect(executor, 1)
    finally:
        executor.shutdown()
    (finished,) = events
    assert (finished.number, finished.state) == (4, "failed")
    assert finished.error.startswith("the Dask task of this trial failed: RuntimeError")


def test_shutdown_stops_remote_trials_quickly_and_is_idempotent(address: str, client: Any) -> None:
    executor = DaskExecutor(2, address, run=slow_trial)
    executor.submit(task(number=0, epochs=1000))
    executor.submit(task(number=1, epochs=1000))
    collect_started = []
    while len(collect_started) < 2:
        collect_started += [e for e in executor.poll(0.05) if isinstance(e, TrialStarted)]
    start = time.monotonic()
    executor.shutdown()
    executor.shutdown()
    assert time.monotonic() - start < 3
    with pytest.raises(RuntimeError):
        executor.submit(task(number=2))
    deadline = time.monotonic() + 2
    while sum(client.run(running_trials).values()):  # the workers are free again
        assert time.monotonic() < deadline
        time.sleep(0.05)


def test_a_local_cluster_listens_on_loopback_only_and_runs_trials_single_threaded() -> None:
    me = psutil.Process()
    before = {p.pid for p in me.children(recursive=True)}
    executor = DaskExecutor(1, run=probe_trial)
    try:
        ours = [me] + [p for p in me.children(recursive=True) if p.pid not in before
                       and "resource_tracker" not in " ".join(p.cmdline())]  # Python's, stays
        listening = {c.laddr for p in ours for c in p.net_connections() if c.status == "LISTEN"}
        executor.submit(task())
        result = next(e for e in collect(executor, 1) if isinstance(e, TrialFinished))
    finally:
        executor.shutdown()
    assert len(ours) >= 2 and len(listening) >= 3  # scheduler, nanny and worker at least
    assert {addr.ip for addr in listening} == {"127.0.0.1"}
    assert executor.address.startswith("tcp://127.0.0.1:")
    assert result.metrics == {"blas_threads": 1, "nice": min(19, os.nice(0) + 5)}
    assert not [p for p in ours[1:] if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]


def test_without_distributed_the_error_says_how_to_install_it(monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)
    with pytest.raises(CaviarError) as err:
        DaskExecutor(2)
    assert err.value.field == "study.executor"
    assert "pip install caviar[dask]" in str(err.value)


def test_an_address_without_a_scheduler_names_the_field(monkeypatch) -> None:
    monkeypatch.setattr(dask_executor, "CONNECT_SECONDS", 0.5)
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(CaviarError) as err:
        DaskExecutor(1, f"tcp://127.0.0.1:{port}")
    assert err.value.field == "study.scheduler"
    assert f"tcp://127.0.0.1:{port}" in str(err.value)
    assert "dask scheduler" in str(err.value)


def test_a_malformed_address_is_refused_before_connecting() -> None:
    start = time.monotonic()
    for address in ("nonsense", "foo://host:8786"):
        with pytest.raises(CaviarError) as err:
            DaskExecutor(1, address)
        assert err.value.field == "study.scheduler"
        assert str(err.value).startswith(f"study.scheduler: {address!r} is not a scheduler address")
        assert "tcp://host:8786" in str(err.value)
    assert time.monotonic() - start < 1


def test_a_cluster_running_another_caviar_is_refused(address: str, monkeypatch) -> None:
    import distributed.versions

    real = distributed.versions.get_package_info  # the scheduler of this cluster runs in-process

    def package_info(packages: Any) -> dict[str, str | None]:
        found = real(packages)
        if "caviar" in found:
            found["caviar"] = "9.9"
        return found

    monkeypatch.setattr(distributed.versions, "get_package_info", package_info)
    with pytest.raises(CaviarError) as err:
        DaskExecutor(1, address)
    assert err.value.field == "study.scheduler"
    text = str(err.value)
    assert "must run Caviar 9.9 like this machine, but worker tcp://127.0.0.1:" in text
    assert text.count(" has 0") == 2 and "the scheduler has" not in text
    assert "pip install caviar[dask]==9.9" in text
