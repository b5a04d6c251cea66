"""Opening a big study file in the window: the trials arrive in the background, the status
bar counts them, and the loading thread ends; a damaged file is one line naming it."""

from __future__ import annotations

import shutil

from benchmarks.make_big_study import STUDY_NAME
from tests.gui.helpers import BIG_TRIALS


def test_opening_loads_every_trial_in_the_background(window, qtbot, big_file) -> None:
    loader = window.opening.loader
    with qtbot.waitSignal(loader.done, timeout=60_000):
        assert window.open_study(big_file, STUDY_NAME)
        assert loader.is_loading()  # the window is back before the trials are all read
    window.curves.flush()  # what its 30 Hz timer does next
    assert window.table.model().rowCount() == BIG_TRIALS
    assert window.curves.band_trials() == BIG_TRIALS
    assert f"{BIG_TRIALS} trials" in window.statusBar().currentMessage()
    assert window.errors == []


def test_closing_while_loading_stops_the_thread(window, qtbot, big_file) -> None:
    assert window.open_study(big_file, STUDY_NAME)
    window.close()
    assert not window.opening.loader.is_loading()


def test_a_damaged_file_is_one_line_naming_it(window, qtbot, big_file, tmp_path) -> None:
    damaged = tmp_path / "damaged.db"
    shutil.copy(big_file, damaged)
    size = damaged.stat().st_size
    with damaged.open("r+b") as f:
        f.seek(size // 2)
        f.write(b"\xff" * (size // 20))
    window.open_study(damaged, STUDY_NAME)
    qtbot.waitUntil(lambda: not window.opening.loader.is_loading(), timeout=30_000)
    assert len(window.errors) == 1 and str(damaged) in window.errors[0]
    assert "Traceback" not in window.errors[0]
