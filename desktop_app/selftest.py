"""``caviar --selftest``: prove an installed copy works, end to end, without a display.

It opens the main window offscreen, runs a 2-trial, 2-epoch quasi-random sweep on the
built-in iris set with the process executor into a throw-away SQLite file, then checks what
the window showed and what the file holds. That touches every part an installer can break:
Qt and its plugins, the shipped font and icons, the datasets in ``resources/``, spawned worker
processes of a frozen app, SciPy's Sobol tables (quasi-random) and SQLite. It prints one line
and returns 0, or prints one line saying what failed and returns 1.
"""

from __future__ import annotations

import math
import os
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

TRIALS = 2
EPOCHS = 2
TIMEOUT_S = 180
LR_RANGE = (1e-3, 1e-1)

SELFTEST_CONFIG: dict[str, Any] = {
    "study": {"name": "selftest", "strategy": "quasi_random", "trials": TRIALS, "workers": 2,
              "executor": "process", "seed": 0, "metric": "val_accuracy"},
    "data": {"source": "iris", "validation_fraction": 0.2},
    "train": {"epochs": EPOCHS, "hidden_units": 16, "hidden_layers": 1, "optimizer": "adam"},
    "params": {"learning_rate": {"scale": "log", "low": LR_RANGE[0], "high": LR_RANGE[1]}},
}
"""The sweep: tiny, but through the same window, runner and storage as a real one."""


class SelftestError(Exception):
    """What went wrong, as one line for the user."""


def run_selftest() -> int:
    """Run the check; print one line; return 0 when everything worked, else 1."""
    started = time.perf_counter()
    try:
        with _swallowed_errors() as swallowed, tempfile.TemporaryDirectory(
            prefix="caviar-selftest-"
        ) as tmp:
            db_path = sweep_in_window(Path(tmp))
            check_storage(db_path)
        if swallowed:
            raise SelftestError(f"an error was only logged: {swallowed[0]}")
    except Exception as exc:  # every failure becomes the one-line verdict
        reason = exc if isinstance(exc, SelftestError) else f"{type(exc).__name__}: {exc}"
        print(f"caviar selftest FAILED: {' '.join(str(reason).split())}", file=sys.stderr)
        return 1
    seconds = time.perf_counter() - started
    print(f"caviar selftest ok: {TRIALS} trials, {EPOCHS} epochs each, process executor, "
          f"iris, {seconds:.1f} s")
    return 0


@contextmanager
def _swallowed_errors() -> Iterator[list[str]]:
    """Collect exceptions Python only prints ("Exception ignored in ..."), e.g. from Cython.

    A bundle missing a data file can fail that way while the sweep still "succeeds".
    """
    seen: list[str] = []
    previous = sys.unraisablehook

    def hook(unraisable: Any) -> None:
        seen.append(f"{type(unraisable.exc_value).__name__}: {unraisable.exc_value}")
        previous(unraisable)

    sys.unraisablehook = hook
    try:
        yield seen
    finally:
        sys.unraisablehook = previous


def sweep_in_window(folder: Path) -> Path:
    """Run the sweep from the main window (offscreen); return the study file it wrote."""
    os.environ["QT_QPA_PLATFORM"] = "offscreen"  # before the QApplication exists
    from PySide6.QtCore import QCoreApplication, QEventLoop, QSettings, QTimer

    from desktop_app.core.config import parse_config
    from desktop_app.gui.app import make_app
    from desktop_app.gui.window.main_window import MainWindow

    parse_config(SELFTEST_CONFIG)  # fail here, clearly, if the config itself is wrong
    make_app()
    settings = QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(settings=settings, studies_dir=folder)
    problems: list[str] = []
    window.confirm_close = lambda: True
    window.show_error = lambda title, text: problems.append(f"{title}: {text}")
    window.panel.set_config(SELFTEST_CONFIG)
    window.show()
    loop = QEventLoop()
    finished: list[object] = []
    window.controller.finished.connect(lambda event: (finished.append(event), loop.quit()))
    timer = QTimer()
    timer.setSingleShot(True)
    timer.timeout.connect(loop.quit)
    try:
        if not window.run_sweep():
            raise SelftestError("the window did not start the sweep: "
                                + ("; ".join(problems) or "no reason given"))
        if window.controller.is_running():
            timer.start(TIMEOUT_S * 1000)
            loop.exec()
            timer.stop()
        if window.controller.is_running():
            raise SelftestError(f"the sweep did not finish within {TIMEOUT_S} s")
        if problems:
            raise SelftestError("; ".join(problems))
        _check_window(window, finished)
        db_path = window.db_path
    finally:
        window.close()  # stops a sweep still running, closes the study file
        window.deleteLater()
        QCoreApplication.sendPostedEvents(None, 0)
    if db_path is None:
        raise SelftestError("the window wrote no study file")
    return Path(db_path)


def _check_window(window: Any, finished: list[object]) -> None:
    """The window received every trial and epoch, and draws a real picture."""
    if not finished or finished[-1] is None:
        raise SelftestError("the sweep ended without a result")
    trials = window.study_model.trials()
    epochs = sorted(trial.epochs for trial in trials)
    if epochs != [EPOCHS] * TRIALS:
        raise SelftestError(f"the window shows {len(trials)} trials with {epochs} epochs, "
                            f"expected {TRIALS} with {EPOCHS} each")
    image = window.grab().toImage()
    if image.isNull() or image.width() < 200 or image.height() < 200:
        raise SelftestError("the window drew nothing")
    colours = {image.pixel(x, y) for x in range(0, image.width(), 16)
               for y in range(0, image.height(), 16)}
    if len(colours) < 8:
        raise SelftestError(f"the window drew only {len(colours)} colours")


def check_storage(db_path: Path) -> None:
    """Reopen the study file: two complete trials, two epochs each, sensible values."""
    from desktop_app.core.study import SQLiteStorage, TrialState

    with SQLiteStorage(db_path) as storage:
        studies = storage.list_studies()
        if len(studies) != 1:
            raise SelftestError(f"{db_path.name} holds {len(studies)} studies, expected 1")
        study = studies[0]
        ran = (study.config.get("data", {}).get("dataset"),
               study.config.get("study", {}).get("executor"))
        if ran != ("iris", "process"):
            raise SelftestError(f"the sweep ran (dataset, executor) = {ran}, "
                                "expected ('iris', 'process')")
        trials = storage.get_trials(study.study_id)
        rows = storage.get_epochs(study.study_id)
    states = [str(t.state) for t in trials]
    if states != [TrialState.COMPLETE.value] * TRIALS:
        errors = "; ".join(t.error for t in trials if t.error)
        raise SelftestError(f"stored trial states {states}, expected {TRIALS} complete"
                            + (f" ({errors})" if errors else ""))
    if len(rows) != TRIALS * EPOCHS or any(t.epochs != EPOCHS for t in trials):
        raise SelftestError(f"stored {len(rows)} epoch rows, expected {TRIALS * EPOCHS}")
    if not all(math.isfinite(row.val_loss) for row in rows):
        raise SelftestError("a stored validation loss is not a number")
    rates = [t.params.get("learning_rate") for t in trials]
    low, high = LR_RANGE
    if len(set(rates)) != TRIALS or not all(
        isinstance(r, float) and low <= r <= high for r in rates
    ):
        raise SelftestError(f"sampled learning rates {rates} are not {TRIALS} distinct "
                            f"values in [{low}, {high}]")


__all__ = ["SELFTEST_CONFIG", "SelftestError", "check_storage", "run_selftest", "sweep_in_window"]
