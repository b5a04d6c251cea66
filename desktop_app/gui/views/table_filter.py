"""The filter bar above the trials table: one trial state and a range of the study metric.

Both apply at once (empty range ends mean "no bound"; text that is not a number is shown in
red and ignored). The rows to keep are computed in numpy from the table model's column values,
so filtering 100,000 trials stays a fraction of a frame's worth of Python.
"""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.study import TrialState
from desktop_app.gui.editor.decimal_input import number_text
from desktop_app.gui.views.table_proxy import RowFilter
from desktop_app.gui.views.trials_table import TrialsTable, TrialsTableModel

ALL_STATES = "all states"


def row_filter(source: TrialsTableModel, state: TrialState | None, low: float | None,
               high: float | None, metric: str,
               kept: frozenset[int] | None = None) -> RowFilter | None:
    """A filter keeping the rows in ``state`` (None: any) whose ``metric`` lies in
    [low, high] (None: unbounded) and, with ``kept``, whose trial is in it; None when nothing
    is filtered."""
    if state is None and low is None and high is None and kept is None:
        return None
    def keep(rows: np.ndarray) -> np.ndarray:
        columns = source.columns
        mask = np.ones(len(rows), dtype=bool)
        if kept is not None:
            numbers = np.array(source.column_values(columns.index("number"), rows), dtype=int)
            mask &= np.isin(numbers, np.fromiter(kept, dtype=int, count=len(kept)))
        if state is not None:
            states = source.column_values(columns.index("state"), rows)
            mask &= np.array([s is state for s in states], dtype=bool)
        if low is not None or high is not None:
            values = np.array(source.column_values(columns.index(metric), rows), dtype=float)
            with np.errstate(invalid="ignore"):
                mask &= (values >= (-math.inf if low is None else low)) & (
                    values <= (math.inf if high is None else high))
        return mask

    return keep


class TableFilter(QWidget):
    """State choice and a study-metric range; applies them to ``table`` as they change."""

    def __init__(self, table: TrialsTable, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._table = table
        self.state_box = QComboBox()
        self.state_box.addItem(ALL_STATES, None)
        for state in TrialState:
            self.state_box.addItem(state.value, state)
        self.state_box.setToolTip("Show only the trials in this state")
        self.low_edit, self.high_edit = QLineEdit(), QLineEdit()
        for edit, word in ((self.low_edit, "from"), (self.high_edit, "to")):
            edit.setPlaceholderText(word)
            edit.setMaximumWidth(90)
            edit.setClearButtonEnabled(True)
            edit.setToolTip(f"Show only trials whose study metric is at least / at most this; "
                            f"empty: no bound ({word})")
            edit.textChanged.connect(self.apply)
        self.state_box.currentIndexChanged.connect(self.apply)
        self._metric_label = QLabel()
        self.kept_label = QLabel()
        self.show_all = QToolButton()
        self.show_all.setText("Show all")
        self.show_all.setToolTip("Forget the brush: every trial again, here and in the views")
        self.show_all.clicked.connect(lambda: table.study_model().set_kept(None))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel("Show:"))
        layout.addWidget(self.state_box)
        layout.addWidget(self._metric_label)
        layout.addWidget(self.low_edit)
        layout.addWidget(QLabel("–"))
        layout.addWidget(self.high_edit)
        layout.addWidget(self.kept_label)
        layout.addWidget(self.show_all)
        layout.addStretch(1)
        table.study_model().reset.connect(self._on_reset)
        table.study_model().kept_changed.connect(self.apply)
        self._on_reset()

    def set_filter(self, state: TrialState | None = None, low: str = "", high: str = "") -> None:
        """Choose the state and the metric range as a person would type them."""
        for widget in (self.state_box, self.low_edit, self.high_edit):
            widget.blockSignals(True)
        self.state_box.setCurrentIndex(max(self.state_box.findData(state), 0))
        self.low_edit.setText(low)
        self.high_edit.setText(high)
        for widget in (self.state_box, self.low_edit, self.high_edit):
            widget.blockSignals(False)
        self.apply()

    def apply(self, *_: object) -> None:
        """Filter the table by what the bar shows now."""
        bounds = [_number(edit) for edit in (self.low_edit, self.high_edit)]
        model = self._table.study_model()
        state = self.state_box.currentData()  # Qt hands the enum back as its text
        kept = model.kept()
        self.kept_label.setText("" if kept is None else
                                f"· only the {len(kept):,} trials a brush keeps")
        self.kept_label.setVisible(kept is not None)
        self.show_all.setVisible(kept is not None)
        self._table.proxy_model().set_filter(row_filter(
            self._table.source_model(), state and TrialState(state), *bounds, model.metric,
            kept))

    def _on_reset(self) -> None:
        self._metric_label.setText(self._table.study_model().metric.replace("_", " ") + ":")
        self.apply()


def with_filter_bar(table: TrialsTable) -> tuple[QWidget, TableFilter]:
    """``table`` under a new :class:`TableFilter`, in one widget; and the bar."""
    box = QWidget()
    bar = TableFilter(table, box)
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(2)
    layout.addWidget(bar)
    layout.addWidget(table, 1)
    return box, bar


def _number(edit: QLineEdit) -> float | None:
    """The edit's number (a comma decimal works), None when empty or not a number (red)."""
    text = number_text(edit.text())
    try:
        value = float(text) if text else None
    except ValueError:
        value = None
    edit.setStyleSheet("" if value is not None or not text else "color: #c62828")
    return value
