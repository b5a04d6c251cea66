"""Every runner test must leave no worker thread or process behind."""

import multiprocessing as mp
import threading

import pytest


@pytest.fixture(autouse=True)
def _no_leftover_workers():
    before = set(threading.enumerate())
    yield
    assert mp.active_children() == []
    assert set(threading.enumerate()) <= before
