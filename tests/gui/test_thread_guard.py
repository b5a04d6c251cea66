"""The leak guard of conftest.py sees the threads it is meant to catch."""

from __future__ import annotations

import threading

from PySide6.QtCore import QThread

from tests.gui.helpers import python_threads, running_qthreads


def test_guard_sees_a_running_python_thread():
    release = threading.Event()
    thread = threading.Thread(target=release.wait, name="guard-probe")
    thread.start()
    try:
        assert thread in python_threads()
    finally:
        release.set()
        thread.join()
    assert thread not in python_threads()


def test_guard_sees_a_running_qthread(qapp):
    thread = QThread()
    thread.start()
    try:
        assert thread in running_qthreads()
    finally:
        thread.quit()
        thread.wait()
    assert thread not in running_qthreads()
