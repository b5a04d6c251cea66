"""The generic worker: a generator runs in its own QThread, its values reach the GUI thread."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QThread

from desktop_app.gui.live.worker import Worker


def _record(worker: Worker) -> list[tuple[str, object]]:
    """Every signal of ``worker`` as (name, value), checking each arrives in the GUI thread."""
    seen: list[tuple[str, object]] = []
    gui = QThread.currentThread()

    def note(name: str):
        def slot(*value: object) -> None:
            assert QThread.currentThread() is gui
            seen.append((name, value[0] if value else None))
        return slot

    for name in ("yielded", "returned", "errored", "finished"):
        getattr(worker, name).connect(note(name))
    return seen


def count(n: int, where: list[object]) -> Iterator[int]:
    where.append(QThread.currentThread())
    yield from range(n)
    return n * 10


def test_values_then_return_then_finished_in_the_gui_thread(qtbot):
    threads: list[object] = []
    worker = Worker(count, 3, threads)
    seen = _record(worker)
    with qtbot.waitSignal(worker.finished, timeout=5_000):
        worker.start("test-worker")
    assert seen == [("yielded", 0), ("yielded", 1), ("yielded", 2), ("returned", 30),
                    ("finished", None)]
    assert threads[0] is not QThread.currentThread()
    assert not worker.is_running()


def test_an_exception_becomes_errored_and_the_thread_ends(qtbot):
    def explode() -> Iterator[int]:
        yield 1
        raise OSError("disk full")

    worker = Worker(explode)
    seen = _record(worker)
    with qtbot.waitSignal(worker.finished, timeout=5_000):
        worker.start()
    assert [name for name, _ in seen] == ["yielded", "errored", "finished"]
    assert isinstance(seen[1][1], OSError) and str(seen[1][1]) == "disk full"


def test_abort_closes_an_endless_generator(qtbot):
    closed = threading.Event()

    def endless() -> Iterator[int]:
        try:
            n = 0
            while True:
                yield n
                n += 1
        finally:
            closed.set()

    worker = Worker(endless)
    seen = _record(worker)
    with qtbot.waitSignal(worker.yielded, timeout=5_000):
        worker.start()
    with qtbot.waitSignal(worker.finished, timeout=5_000):
        worker.abort()
    assert closed.is_set() and worker.abort_requested
    assert seen[-1] == ("finished", None)
    assert all(name == "yielded" for name, _ in seen[:-1])  # no "returned" once aborted


def test_pause_holds_between_two_values_and_resume_goes_on(qtbot):
    gate = threading.Event()

    def two() -> Iterator[int]:
        yield 1
        gate.set()
        yield 2

    worker = Worker(two)
    seen = _record(worker)
    worker.pause()
    assert worker.is_paused
    worker.start()
    qtbot.wait(300)
    assert seen == [] and not gate.is_set()  # held before the first value
    with qtbot.waitSignal(worker.finished, timeout=5_000):
        worker.resume()
    assert [v for name, v in seen if name == "yielded"] == [1, 2]


def test_a_callback_loop_reports_through_emit(qtbot):
    def loop(report) -> str:
        for n in range(3):
            report(n)
        return "done"

    worker = Worker(lambda: loop(worker.emit))
    seen = _record(worker)
    with qtbot.waitSignal(worker.finished, timeout=5_000):
        worker.start()
    assert seen == [("yielded", 0), ("yielded", 1), ("yielded", 2), ("returned", "done"),
                    ("finished", None)]


def test_wait_delivers_every_signal_before_it_returns(qtbot):
    worker = Worker(count, 5, [])
    seen = _record(worker)
    worker.start()
    assert worker.wait(5_000)
    assert [name for name, _ in seen] == ["yielded"] * 5 + ["returned", "finished"]
    with pytest.raises(RuntimeError):
        worker.start()


def test_a_finished_handler_may_drop_the_last_reference(qtbot):
    holder: dict[str, Worker | None] = {"worker": Worker(count, 2, [])}
    ended: list[bool] = []

    def drop() -> None:
        holder["worker"] = None
        gc.collect()
        ended.append(True)

    worker = holder["worker"]
    worker.finished.connect(drop)
    with qtbot.waitSignal(worker.finished, timeout=5_000):
        worker.start()
    del worker
    qtbot.wait(50)  # the worker lets go of itself on the next turn of the event loop
    gc.collect()
    assert ended == [True]
