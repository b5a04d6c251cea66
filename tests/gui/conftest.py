"""Qt test set-up: an offscreen platform, and no test may leave a thread running."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before anything imports Qt

import gc
import threading
import time

import pytest

GRACE_SECONDS = 2.0


def _python_threads() -> set[threading.Thread]:
    """Real Python threads (dummy entries for foreign threads never leave the table)."""
    return {t for t in threading.enumerate() if not isinstance(t, threading._DummyThread)}


def _running_qthreads() -> list[object]:
    """Every Python-visible QThread that still runs (the GUI thread itself excluded)."""
    from PySide6.QtCore import QThread

    main = QThread.currentThread()
    found = []
    for obj in gc.get_objects():
        try:
            if isinstance(obj, QThread) and obj is not main and obj.isRunning():
                found.append(obj)
        except RuntimeError:  # wrapper whose C++ object is already gone
            continue
    return found


@pytest.fixture(autouse=True)
def no_leaked_threads(request: pytest.FixtureRequest):
    """Fail a test that leaves a Python thread or a QThread running after a short grace."""
    before = _python_threads()
    yield
    deadline = time.monotonic() + GRACE_SECONDS
    while True:
        if "qtbot" in request.fixturenames or "qapp" in request.fixturenames:
            from PySide6.QtWidgets import QApplication

            QApplication.processEvents()
        leaked = sorted(t.name for t in _python_threads() - before if t.is_alive())
        qthreads = _running_qthreads()
        if not leaked and not qthreads:
            return
        if time.monotonic() > deadline:
            break
        time.sleep(0.05)
    pytest.fail(f"test left threads running: python={leaked}, qthreads={len(qthreads)}")


@pytest.fixture
def views(qtbot):
    """A model with 4 trials x 3 epochs (complete, pruned, complete, running) and the
    table, loss curves and sweep scatter on it, redrawn."""
    from desktop_app.core.search import build_space
    from desktop_app.gui.loss_curves import LossCurves
    from desktop_app.gui.study_model import StudyModel
    from desktop_app.gui.sweep_scatter import SweepScatter
    from desktop_app.gui.trials_table import TrialsTable
    from tests.gui.test_study_model import SPACE, sweep_events
    from tests.gui.test_views import STATES, redraw

    model = StudyModel()
    model.set_study(build_space(SPACE), "val_loss", "minimize")
    table, curves, scatter = TrialsTable(model), LossCurves(model), SweepScatter(model)
    for widget in (table, curves, scatter):
        qtbot.addWidget(widget)
        widget.resize(640, 400)
        widget.show()
    model.apply_many(sweep_events(states=STATES))
    redraw(table, curves, scatter)
    return model, table, curves, scatter
