"""The analysis views in the window after a real sweep: tabs remembered, a brush keeps trials
in the table, narrowing makes a study that runs, comparing adds studies, the selected trial's
kept model is drawn, every view exports as PNG and SVG."""

from __future__ import annotations

import math

from PySide6.QtCore import QSettings

from desktop_app.core.study import SQLiteStorage
from desktop_app.gui.window.analysis_views import CURVES_TAB
from desktop_app.gui.window.main_window import MainWindow
from tests.gui.window.support import flush, run_to_end


def _tab_names(win: MainWindow) -> list[str]:
    return [win.view_tabs.tabText(i) for i in range(win.view_tabs.count())]


def test_the_views_are_tabs_and_the_tab_shown_is_remembered(qtbot, window, tmp_path) -> None:
    assert _tab_names(window) == [CURVES_TAB, "Importance", "Parallel coordinates", "2-D map",
                                  "History", "Model"]
    window.view_tabs.setCurrentIndex(3)
    window.close()
    again = MainWindow(settings=QSettings(str(tmp_path / "settings.ini"),
                                          QSettings.Format.IniFormat), studies_dir=tmp_path)
    qtbot.addWidget(again)
    assert again.view_tabs.currentIndex() == 3


def test_a_brush_keeps_trials_in_the_table_and_narrowing_makes_a_study_that_runs(
    qtbot, window
) -> None:
    window.panel.set_config(window.panel.config().replace(trials=8))
    run_to_end(qtbot, window)
    views = window.analysis
    views.parallel.flush()
    values = sorted(window.study_model.trial(n).params["learning_rate"]
                    for n in window.study_model.numbers())
    high01 = (math.log10(values[3]) + 3) / 2  # [1e-3, 1e-1] on a log axis: 1e-2 is at 0.5
    views.parallel.set_brush("learning_rate", 0.0, high01)  # keeps the 4 smallest
    kept = views.parallel.kept_numbers()
    assert len(kept) == 4
    assert window.study_model.kept() == frozenset(kept)
    assert window.analysis.narrow.isEnabled()
    rows = window.table.proxy_model().rowCount()
    assert sorted(window.table.number_at(r) for r in range(rows)) == kept
    params = [window.study_model.trial(n).params["learning_rate"] for n in kept]
    assert views.narrow_search()
    narrowed = window.panel.config()
    lr = narrowed.space["learning_rate"]
    assert narrowed.study.name == "gui-test-narrow"
    assert lr.low <= min(params) and lr.high >= max(params) and lr.high < 1e-1 * 1.0001
    finished = run_to_end(qtbot, window)
    assert finished.finished == 8 and not window.errors


def test_show_all_forgets_the_brush(qtbot, window) -> None:
    run_to_end(qtbot, window)
    views = window.analysis
    views.parallel.flush()
    views.parallel.set_brush("learning_rate", 0.0, 0.01)  # keeps fewer than all
    assert window.study_model.kept() is not None and not window.table_filter.show_all.isHidden()
    window.table_filter.show_all.click()
    assert window.study_model.kept() is None and views.parallel.brush_ranges() == {}
    assert window.table.proxy_model().rowCount() == 4


def test_the_selected_trials_kept_model_is_drawn(qtbot, window) -> None:
    run_to_end(qtbot, window)
    best = window.study_model.best_number()
    window.study_model.select(best)
    panel = window.analysis.model
    qtbot.waitUntil(lambda: panel.view is not None, timeout=5000)
    assert panel.view.confusion.sum() == 30  # 150 samples, a fifth validates
    assert panel.view.boundary is not None  # the spiral has two features


def test_compare_adds_the_other_studies_of_a_file(qtbot, window, tmp_path) -> None:
    run_to_end(qtbot, window)
    other = tmp_path / "other.db"
    with SQLiteStorage(other) as storage:
        for name in ("grid", "tpe"):
            storage.create_study(name, {"study": {"metric": "val_accuracy"}})
    assert window.analysis.compare(other) == 2
    assert [s.label for s in window.analysis.history.others] == ["grid (other.db)",
                                                                "tpe (other.db)"]


def test_every_view_exports_png_and_svg(qtbot, window, tmp_path) -> None:
    run_to_end(qtbot, window)
    flush(window)
    for name in ("curves", "scatter", *window.analysis.VIEWS):
        widget = window.analysis.view(name)
        widget.resize(600, 400)
        for suffix in ("png", "svg"):
            path = tmp_path / f"{name}.{suffix}"
            assert window.analysis.export_view(widget, path), name
            assert path.stat().st_size > 1000, name
    assert (tmp_path / "map.svg").read_text().lstrip().startswith("<?xml")
