"""The trials table as a new user reads it: columns sized to their contents, a state dot
that stays visible on a selected row, a row tooltip formatted like the cells."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QIcon

from desktop_app.core.study import TrialState
from desktop_app.gui.style.plot_style import state_icon


def test_table_columns_fit_their_contents(views) -> None:
    _, table, _, _ = views
    table.resize(1400, 300)
    header = table.horizontalHeader()
    assert not header.stretchLastSection()
    seconds = table.source_model().columns.index("seconds")
    assert table.columnWidth(seconds) < 120


def test_state_dot_has_a_ring_on_a_selected_row(qapp) -> None:
    icon = state_icon(TrialState.COMPLETE)
    normal = icon.pixmap(12, 12, QIcon.Mode.Normal).toImage()
    selected = icon.pixmap(12, 12, QIcon.Mode.Selected).toImage()
    assert normal != selected
    top = [selected.pixelColor(selected.width() // 2, y) for y in range(selected.height() // 3)]
    assert max(c.lightness() for c in top if c.alpha() > 200) > 230  # the white ring


def test_row_tooltip_formats_parameters_like_the_cells(views) -> None:
    _, table, _, _ = views
    tip = table.model().index(0, 0).data(Qt.ItemDataRole.ToolTipRole)
    assert tip.splitlines()[:3] == ["trial 0: complete", "learning_rate = 3.2e-03",
                                    "beta_2 = 0.9"]
