"""The window on small screens: at 1024 x 640 every tool-bar action, the scatter's x-axis
choice and five table rows show, at 1400 x 900 every table column; a data set's description
never loses a line."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QToolBar

from desktop_app.core.data import BUILTIN
from tests.gui.helpers import raw_config
from tests.gui.window.support import run_to_end


def test_the_dataset_description_keeps_every_line_at_every_width(qtbot, window):
    window.resize(1024, 640)
    window.show()
    section = window.panel.data_section
    about = section.about
    cut = []
    for side in range(486, 501):  # a two-line description once got one line's height here
        window.splitter.setSizes([side, 1024 - side])
        for name in BUILTIN:
            for shown in ("iris", name):  # from a one-line description to this one
                section.set_value("dataset", shown)
                qtbot.wait(10)
            if about.height() < about.heightForWidth(about.width()):
                cut.append((side, name))
    assert not cut


def _shown_at(qtbot, window, width: int, height: int) -> None:
    window.resize(width, height)
    window.show()
    qtbot.waitExposed(window)
    qtbot.wait(20)


def test_at_1024_by_640_every_tool_button_the_x_axis_choice_and_five_rows_show(qtbot, window):
    _shown_at(qtbot, window, 1024, 640)
    bar = window.findChild(QToolBar)
    buttons = [bar.widgetForAction(a) for a in bar.actions() if not a.isSeparator()]
    assert len(buttons) == 10
    assert all(button.isVisible() for button in buttons)
    x_axis = window.scatter.findChildren(QComboBox)[1]  # y, x, colour by
    assert x_axis.currentText() == "learning_rate"
    assert x_axis.width() >= x_axis.sizeHint().width()  # the whole name, never "learning_"
    table = window.table
    assert table.viewport().height() >= 5 * table.verticalHeader().defaultSectionSize()


def test_at_1400_by_900_every_column_of_the_table_shows(qtbot, window):
    raw = raw_config()
    raw["params"]["beta_1"] = {"scale": "reverse_log", "low": 0.8, "high": 0.99}
    window.panel.set_config(raw)  # three searched parameters, as in the demo sweep
    _shown_at(qtbot, window, 1400, 900)
    run_to_end(qtbot, window)
    window.table.fit_columns()
    header = window.table.horizontalHeader()
    assert header.length() <= window.table.viewport().width()  # Seconds is not cut off

