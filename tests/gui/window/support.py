"""Helpers of the main-window tests: redraw the views now, run a sweep to its end."""

from __future__ import annotations

from desktop_app.gui.window.main_window import MainWindow

SWEEP_TIMEOUT_MS = 60_000


def flush(win: MainWindow) -> None:
    """Run the views' coalescing timers now."""
    win.curves.flush()
    win.scatter.flush()
    win.table.source_model().flush()


def run_to_end(qtbot, win: MainWindow) -> object:
    """Run the panel's sweep, wait for it to finish, redraw; return its ``StudyFinished``."""
    with qtbot.waitSignal(win.controller.finished, timeout=SWEEP_TIMEOUT_MS) as done:
        assert win.run_sweep(), win.errors
    flush(win)
    return done.args[0]
