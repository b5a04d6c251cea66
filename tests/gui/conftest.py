"""Qt test set-up: an offscreen platform, no test may leave a thread running, and a test's
widgets are garbage-collected when it ends."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before anything imports Qt

import gc
import time

import pytest

from tests.gui.helpers import python_threads, running_qthreads

GRACE_SECONDS = 2.0


@pytest.fixture(autouse=True)
def no_leaked_threads(request: pytest.FixtureRequest):
    """Fail a test that leaves a Python thread or a QThread running after a short grace."""
    before = python_threads()
    yield
    if "qtbot" in request.fixturenames:
        # the test's closed widgets are freed now: left to a collection that happens to run
        # while a later test paints, freeing them crashed Qt's painting (QPainter::restore)
        gc.collect()
    deadline = time.monotonic() + GRACE_SECONDS
    while True:
        if "qtbot" in request.fixturenames or "qapp" in request.fixturenames:
            from PySide6.QtWidgets import QApplication

            QApplication.processEvents()
        leaked = sorted(t.name for t in python_threads() - before if t.is_alive())
        qthreads = running_qthreads()
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
    from desktop_app.gui.live.study_model import StudyModel
    from desktop_app.gui.views.loss_curves import LossCurves
    from desktop_app.gui.views.sweep_scatter import SweepScatter
    from desktop_app.gui.views.trials_table import TrialsTable
    from tests.gui.helpers import SPACE, STATES, redraw, sweep_events

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


@pytest.fixture(scope="session")
def big_file(tmp_path_factory: pytest.TempPathFactory):
    """A study file of BIG_TRIALS finished trials x 10 epochs, made once per test session."""
    from benchmarks.make_big_study import make_big_study
    from tests.gui.helpers import BIG_TRIALS

    path = tmp_path_factory.mktemp("big") / "big.db"
    make_big_study(path, BIG_TRIALS, epochs=10)
    return path
