"""The trials table: a QAbstractTableModel over StudyModel and the sortable view on it.

Rows are inserted as trials arrive (``beginInsertRows``); value changes are coalesced into
one ``dataChanged`` range every ~100 ms, so a busy sweep never re-sorts per epoch. Sorting
and filtering go through :class:`TrialsProxy` (numpy keys from ``column_values``: numbers,
NaN last, so 10 sorts after 9).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import cache
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    Qt,
    QTimer,
)
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QMenu, QTableView, QWidget

from desktop_app.gui.live.study_model import StudyModel, TrialData
from desktop_app.gui.style.plot_style import state_icon
from desktop_app.gui.views.formatting import format_metric, format_param, format_seconds
from desktop_app.gui.views.metric_choices import table_metrics
from desktop_app.gui.views.table_proxy import TrialsProxy
from desktop_app.gui.views.trial_output import OutputReader, TrialOutputDialog

Index = QModelIndex | QPersistentModelIndex

METRIC_HEADERS = {  # on two lines: the columns are as narrow as their numbers
    "train_loss": "Train\nloss",
    "train_accuracy": "Train\naccuracy",
    "val_loss": "Val\nloss",
    "val_accuracy": "Val\naccuracy",
}
FIXED_HEADERS = {"number": "Trial", "state": "State", "epochs": "Epochs", "seconds": "Seconds"}
HEADER_TIPS = {
    "number": "Trial number, in the order the sweep created them",
    "state": "running, complete, pruned (stopped early by the pruner), diverged (loss "
    "became NaN/inf), failed (error), interrupted (stopped; can be resumed)",
    "train_loss": "Loss on the training set after the last epoch",
    "train_accuracy": "Accuracy on the training set after the last epoch",
    "val_loss": "Loss on the validation set after the last epoch",
    "val_accuracy": "Accuracy on the validation set after the last epoch",
    "epochs": "Epochs trained",
    "seconds": "Wall-clock training time",
}
OWN_METRIC_TIP = "{} as your trainer reported it: after the last epoch, or its final value"
TIP_ERROR_LINES = 12
"""A failed trial's tooltip shows this many lines of its error (the dialog shows it all)."""
FLUSH_MS = 100
FIT_ROWS = 20
FEW_ROWS = 32
_ROLES = frozenset({
    Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.DecorationRole,
    Qt.ItemDataRole.TextAlignmentRole, Qt.ItemDataRole.FontRole, Qt.ItemDataRole.ToolTipRole,
})
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
@cache
def _bold_font() -> QFont:
    font = QFont()
    font.setBold(True)
    return font


class TrialsTableModel(QAbstractTableModel):
    """Columns: number, state, each searched parameter, the metrics (the four built-in ones,
    then any a trainer of the user's own reported), epochs, seconds."""

    def __init__(self, study_model: StudyModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._study = study_model
        self._count = len(study_model)
        self._columns = self._make_columns()
        self._pending: set[int] = set()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(FLUSH_MS)
        self._timer.timeout.connect(self.flush)
        study_model.reset.connect(self._on_reset)
        study_model.trials_added.connect(self._on_added)
        study_model.trials_changed.connect(self._on_changed)
        study_model.best_changed.connect(self._on_best)
        study_model.metrics_changed.connect(self._on_metrics)
        self._best = study_model.best_number()

    def _make_columns(self) -> list[str]:
        self._metrics = frozenset(metrics := table_metrics(self._study))
        return ["number", "state", *self._study.param_names(), *metrics, "epochs", "seconds"]

    def _on_metrics(self, _names: list[str]) -> None:
        """New metrics arrived: a column for each (a reset, once per new name)."""
        if table_metrics(self._study) != [c for c in self._columns if c in self._metrics]:
            self._on_reset()

    @property
    def columns(self) -> list[str]:
        """Column keys in order (parameter names between state and the metrics)."""
        return list(self._columns)

    def number_at(self, row: int) -> int:
        """Trial number of a source row."""
        return self._study.number_at(row)

    # --- StudyModel signals ----------------------------------------------------------------
    def _on_reset(self) -> None:
        self.beginResetModel()
        self._count = len(self._study)
        self._columns = self._make_columns()
        self._pending.clear()
        self._best = self._study.best_number()
        self.endResetModel()

    def _on_added(self, numbers: list[int]) -> None:
        if set(self._study.param_names()) - set(self._columns):
            self._on_reset()  # trials arrived before the space was known
            return
        self.beginInsertRows(QModelIndex(), self._count, self._count + len(numbers) - 1)
        self._count += len(numbers)
        self.endInsertRows()

    def _on_changed(self, numbers: list[int]) -> None:
        self._pending.update(self._study.row_of(n) for n in numbers if n in self._study)
        if not self._timer.isActive():
            self._timer.start()

    def _on_best(self, number: int | None) -> None:
        self._on_changed([n for n in (self._best, number) if n is not None])
        self._best = number

    def flush(self) -> None:
        """Emit the pending value changes now as one ``dataChanged`` range."""
        self._timer.stop()
        rows = sorted(r for r in self._pending if r < self._count)
        self._pending.clear()
        last = self.columnCount() - 1
        # a few rows (the running trials, the best) one by one: a range from the best at
        # row 5 to a running trial at row 100,000 would make the sorter re-read every row
        for first, end in [(r, r) for r in rows] if len(rows) <= FEW_ROWS else (
                [(rows[0], rows[-1])] if rows else []):
            self.dataChanged.emit(self.index(first, 0), self.index(end, last))

    # --- QAbstractTableModel ---------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else self._count

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(self._columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self._columns):
            return None
        key = self._columns[section]
        if role == Qt.ItemDataRole.DisplayRole:
            if key in self._metrics:
                star = " \u2605" if key == self._study.metric else ""
                return METRIC_HEADERS.get(key, key) + star
            return FIXED_HEADERS.get(key, key)
        if role == Qt.ItemDataRole.ToolTipRole:
            tip = HEADER_TIPS.get(key, OWN_METRIC_TIP.format(key) if key in self._metrics
                                  else f"Searched hyperparameter {key}")
            if key == self._study.metric:
                tip += f" (the study metric, {self._study.direction}d)"
            return tip
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # The view asks ~8 roles per painted cell: answer the unused ones before any lookup.
        if role not in _ROLES or not index.isValid() or index.row() >= self._count:
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return None if index.column() == 1 else _RIGHT
        number = self._study.number_at(index.row())
        if role == Qt.ItemDataRole.FontRole:
            return _bold_font() if number == self._best else None
        trial = self._study.trial(number)
        key = self._columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(trial, key)
        if role == Qt.ItemDataRole.DecorationRole:
            return state_icon(trial.state) if key == "state" else None
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(trial)
        return None

    def column_values(self, column: int, rows: Sequence[int]) -> list[Any]:
        """The raw values of ``column`` in source ``rows`` (what the proxy sorts by, before NaN
        and None become +inf): one list comprehension, no call per row."""
        key, study = self._columns[column], self._study
        if len(rows) < len(study) // 16:  # a few changed rows: no list of every trial
            picked = [study.trial(study.number_at(r)) for r in rows]
        else:
            trials = study.trials()
            picked = [trials[r] for r in rows] if len(rows) < len(trials) else trials
        if key in self._metrics:
            return [t.metrics.get(key, math.nan) for t in picked]
        if key == "state":
            return [t.state for t in picked]  # a StrEnum: sorts and compares as its text
        if key in FIXED_HEADERS:
            return [self._raw(t, key) for t in picked]
        return [t.params.get(key) for t in picked]

    def _raw(self, trial: TrialData, key: str) -> Any:
        """A fixed column's value: number, state, epochs or seconds."""
        if key == "number":
            return trial.number
        if key == "state":
            return trial.state.value
        if key == "epochs":
            return trial.epochs
        return trial.seconds

    def _display(self, trial: TrialData, key: str) -> str:
        if key in ("number", "state", "epochs"):
            return str(self._raw(trial, key))
        if key == "seconds":
            return format_seconds(trial.seconds)
        if key in self._metrics:
            return format_metric(key, trial.metrics.get(key, math.nan))
        space = self._study.space
        scale = space[key].scale if space is not None and key in space.names else None
        return format_param(trial.params.get(key), scale)

    def _tooltip(self, trial: TrialData) -> str:
        lines = [f"trial {trial.number}: {trial.state.value}"]
        space = self._study.space
        for key, value in trial.params.items():
            scale = space[key].scale if space is not None and key in space else None
            lines.append(f"{key} = {format_param(value, scale)}")
        if trial.number == self._best:
            lines.append(f"best {self._study.metric} so far")
        if trial.error:
            error = trial.error.rstrip().splitlines()
            if len(error) > TIP_ERROR_LINES:  # a traceback's last lines say the most
                error = ["\u2026", *error[-TIP_ERROR_LINES:]]
            lines += ["", *error]
        if trial.error or trial.log or trial.state.is_finished:
            lines.append("Double-click for the trial's output (error and log)")
        return "\n".join(lines)


class TrialsTable(QTableView):
    """The sortable trials table; its selection follows and drives ``StudyModel.select``."""

    def __init__(self, study_model: StudyModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._study = study_model
        self._source = TrialsTableModel(study_model, self)
        self._proxy = TrialsProxy(self)
        self._proxy.setSourceModel(self._source)
        self.setModel(self._proxy)
        self.setSortingEnabled(True)
        self.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.verticalHeader().hide()
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.horizontalHeader().setStretchLastSection(False)  # columns fit their contents
        # fitted to the rows shown and FIT_ROWS more, not Qt's default 1,000 rows per column:
        # that took 1.2 s on the first block of a big study (11 columns)
        self.horizontalHeader().setResizeContentsPrecision(FIT_ROWS)
        self.setToolTip("Every trial of the study; click a header to sort, a row to select "
                        "it; double-click a row (or right-click it) for the trial's output")
        self.read_output: OutputReader | None = None
        self.output_dialog: TrialOutputDialog | None = None
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._on_context_menu)
        self.doubleClicked.connect(lambda index: self.show_output(self.number_at(index.row())))
        self.selectionModel().selectionChanged.connect(self._on_view_selection)
        study_model.selection_changed.connect(self._on_model_selection)
        study_model.reset.connect(self.fit_columns)
        study_model.trials_added.connect(self._on_added)
        study_model.metrics_changed.connect(self._on_metrics)
        self.fit_columns()

    def _on_metrics(self, _names: list[str]) -> None:
        """Columns may have been added (the source model reset itself): fit them and show
        the selected trial again."""
        self.fit_columns()
        self._on_model_selection(self._study.selected())

    def show_output(self, number: int) -> TrialOutputDialog:
        """Open the dialog with trial ``number``'s error and log (the log a live sweep
        delivered, else what :attr:`read_output` reads from the study file)."""
        trial = self._study.trial(number)
        error, log = trial.error, trial.log
        stored = self.read_output(number) if self.read_output and not log else None
        if stored is not None:
            error, log = stored[0] or error, stored[1]
        if self.output_dialog is not None:
            self.output_dialog.close()
        dialog = self.output_dialog = TrialOutputDialog(number, trial.state.value, error, log,
                                                        self)
        dialog.show()
        return dialog

    def context_menu(self, pos: QPoint) -> QMenu | None:
        """The menu of the row at ``pos`` (viewport coordinates); None off the rows."""
        index = self.indexAt(pos)
        if not index.isValid():
            return None
        number = self.number_at(index.row())
        menu = QMenu(self)
        menu.addAction(f"Show output of trial {number}\u2026",
                       lambda: self.show_output(number))
        return menu

    def _on_context_menu(self, pos: QPoint) -> None:
        menu = self.context_menu(pos)
        if menu is not None:
            menu.exec(self.viewport().mapToGlobal(pos))

    def fit_columns(self) -> None:
        """Size columns to their contents; the state column always fits 'interrupted'."""
        self._source.flush()
        self.resizeColumnsToContents()
        metrics = self.fontMetrics()
        state = metrics.horizontalAdvance("interrupted") + self.iconSize().width() + 32
        column = self._source.columns.index("state")
        self.setColumnWidth(column, max(self.columnWidth(column), state))

    def _on_added(self, _numbers: list[int]) -> None:
        if self._proxy.rowCount() <= FIT_ROWS:  # cheap while small; later rows look alike
            self.fit_columns()

    def study_model(self) -> StudyModel:
        """The study the table shows."""
        return self._study

    def source_model(self) -> TrialsTableModel:
        """The unsorted table model (row i is ``StudyModel.numbers()[i]``)."""
        return self._source

    def proxy_model(self) -> TrialsProxy:
        """The sorting and filtering proxy the view shows."""
        return self._proxy

    def number_at(self, view_row: int) -> int:
        """The trial number shown in a (sorted) view row."""
        return self._source.number_at(self._proxy.mapToSource(self._proxy.index(view_row, 0)).row())

    def _on_view_selection(self, *_: QItemSelection) -> None:
        rows = self.selectionModel().selectedRows()
        self._study.select(self.number_at(rows[0].row()) if rows else None)

    def _on_model_selection(self, number: int | None) -> None:
        selection = self.selectionModel()
        if number is None:
            selection.clearSelection()
            return
        self._source.flush()
        source = self._source.index(self._study.row_of(number), 0)
        index = self._proxy.mapFromSource(source)
        if selection.isRowSelected(index.row(), QModelIndex()):
            return
        flags = (
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows
        )
        selection.setCurrentIndex(index, flags)
        self.scrollTo(index)
