"""The trials table's sorting and filtering, done in numpy instead of per-row Python calls.

``QSortFilterProxyModel`` compares rows through ``data()`` -- a Python call per comparison:
sorting 10,000 trials took 2 s and inserting a block of 2,000 while a study loads 0.2 s
(measured). This proxy keeps one float key per source row for the sort column (text columns
get the rank of their text among the column's distinct texts; NaN sorts last), a filter mask,
and ``order`` (view row -> source row) from a stable ``argsort``. New source rows are appended
(their keys read alone), then the order is rebuilt in numpy; changed rows are re-read on the
next event-loop turn, coalesced.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractProxyModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
)

Index = QModelIndex | QPersistentModelIndex
RowFilter = Callable[[np.ndarray], np.ndarray]
"""Given source row numbers, which of them to show (a boolean array)."""


class TrialsProxy(QAbstractProxyModel):
    """Sorted, filtered rows over a source whose ``column_values(column, rows)`` gives the raw
    values of a column for some source rows (numbers, or text for categorical columns)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._column, self._descending = 0, False
        self._keys = np.empty(0)
        self._texts: list[str] = []
        self._filter: RowFilter | None = None
        self._shown = np.empty(0, dtype=bool)  # the filter's verdict per source row
        self._order = np.empty(0, dtype=np.int64)
        self._rank = np.empty(0, dtype=np.int64)
        self._stale: set[int] = set()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._refresh_stale)

    def setSourceModel(self, source: QAbstractItemModel) -> None:
        super().setSourceModel(source)
        source.modelReset.connect(self._on_reset)
        source.rowsInserted.connect(self._on_inserted)
        source.dataChanged.connect(self._on_changed)
        source.headerDataChanged.connect(self.headerDataChanged)
        self._on_reset()

    # --- public ---------------------------------------------------------------------------
    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort by ``column`` (the header's click); stable, NaN last when ascending."""
        self._column = max(column, 0)
        self._descending = order == Qt.SortOrder.DescendingOrder
        self._read_keys()
        self._relayout()

    def set_filter(self, keep: RowFilter | None) -> None:
        """Show only the source rows ``keep`` accepts (None: every row)."""
        self._filter = keep
        self._shown = np.empty(0, dtype=bool)
        self.beginResetModel()
        self._order = self._sorted(self._visible(np.arange(self._source_rows())))
        self._ranks()
        self.endResetModel()

    # --- QAbstractProxyModel --------------------------------------------------------------
    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if parent.isValid() or not (0 <= row < len(self._order)) or column < 0:
            return QModelIndex()
        return self.createIndex(row, column)

    def parent(self, _index: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        return QModelIndex()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._order)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        source = self.sourceModel()
        return 0 if parent.isValid() or source is None else source.columnCount()

    def mapToSource(self, index: Index) -> QModelIndex:
        if not index.isValid() or index.row() >= len(self._order):
            return QModelIndex()
        return self.sourceModel().index(int(self._order[index.row()]), index.column())

    def mapFromSource(self, index: Index) -> QModelIndex:
        if not index.isValid() or index.row() >= len(self._rank):
            return QModelIndex()
        row = int(self._rank[index.row()])
        return QModelIndex() if row < 0 else self.createIndex(row, index.column())

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        return self.sourceModel().headerData(section, orientation, role)

    # --- source signals -------------------------------------------------------------------
    def _on_reset(self) -> None:
        self.beginResetModel()
        self._stale.clear()
        self._keys, self._texts = np.empty(0), []
        self._read_keys()
        self._order = self._sorted(self._visible(np.arange(self._source_rows())))
        self._ranks()
        self.endResetModel()

    def _on_inserted(self, _parent: QModelIndex, first: int, last: int) -> None:
        rows = np.arange(first, last + 1)
        if not self._append_keys(rows):
            self._read_keys()
        shown = self._visible(rows)
        if len(shown):
            end = len(self._order)
            self.beginInsertRows(QModelIndex(), end, end + len(shown) - 1)
            self._order = np.concatenate((self._order, shown))
            self._ranks()
            self.endInsertRows()
        else:
            self._ranks()
        in_place = self._column == 0 and not self._descending and bool(
            np.all(np.diff(self._keys[max(first - 1, 0):]) >= 0))
        if len(shown) and not in_place:
            self._relayout()  # by trial number ascending, appended rows are in place

    def _on_changed(self, top: QModelIndex, bottom: QModelIndex, *_: object) -> None:
        self._stale.update(range(top.row(), bottom.row() + 1))
        if not self._timer.isActive():
            self._timer.start()
        first, last = self.mapFromSource(top), self.mapFromSource(bottom)
        if first.isValid() and last.isValid() and first.row() == last.row():
            self.dataChanged.emit(self.index(first.row(), 0),
                                  self.index(first.row(), self.columnCount() - 1))
        else:
            self.dataChanged.emit(self.index(0, 0), self.index(self.rowCount() - 1,
                                                               self.columnCount() - 1))

    def _refresh_stale(self) -> None:
        rows = np.array(sorted(r for r in self._stale if r < len(self._keys)), dtype=np.int64)
        self._stale.clear()
        if not len(rows):
            return
        before = self._keys[rows].copy()
        if not self._append_keys(rows, replace=True):
            self._read_keys()
        if self._filter is not None and len(self._shown) == len(self._keys):
            self._shown[rows] = self._filter(rows)  # a changed row may pass or fail now
        if self._filter is not None or not np.array_equal(before, self._keys[rows]):
            self._relayout()  # a new trial number or epoch count re-sorts nothing

    # --- helpers --------------------------------------------------------------------------
    def _source_rows(self) -> int:
        source = self.sourceModel()
        return 0 if source is None else source.rowCount()

    def _read_keys(self) -> None:
        """Every source row's key of the sort column."""
        self._keys, self._texts = np.empty(0), []
        self._append_keys(np.arange(self._source_rows()))

    def _append_keys(self, rows: np.ndarray, replace: bool = False) -> bool:
        """Read the keys of ``rows`` (new rows at the end, or changed ones); False when a new
        text appeared and every key must be read again."""
        source = self.sourceModel()
        if source is None or source.columnCount() == 0:
            self._keys = np.zeros(self._source_rows())
            return True
        values = source.column_values(self._column, rows)
        try:
            keys = np.array(values, dtype=float)  # None -> NaN; fails on text
        except (TypeError, ValueError):
            keys = None
        if keys is None or any(isinstance(v, str | bool) for v in values[:1]):
            texts = {str(v) for v in values if v is not None}
            known = set(self._texts)
            if not texts <= known:
                self._texts = sorted(known | texts)
                if len(self._keys) and (replace or len(rows) < self._source_rows()):
                    return False
            rank = {t: i for i, t in enumerate(self._texts)}
            keys = np.array([math.inf if v is None else rank[str(v)] for v in values], float)
        keys[np.isnan(keys)] = math.inf
        if replace and np.array_equal(self._keys[rows], keys):
            return True
        if replace:
            self._keys[rows] = keys
        else:
            self._keys = np.concatenate((self._keys[: rows[0]] if len(rows) else self._keys,
                                         keys))
        return True

    def _visible(self, rows: np.ndarray) -> np.ndarray:
        """The ``rows`` the filter keeps; its verdicts are kept per source row, so re-sorting
        or adding rows asks it only about rows it has not seen."""
        if self._filter is None or not len(rows):
            return rows
        known = len(self._shown)
        if rows[-1] >= known:
            new = np.arange(known, rows[-1] + 1)
            self._shown = np.concatenate((self._shown, self._filter(new)))
        return rows[self._shown[rows]]

    def _sorted(self, rows: np.ndarray) -> np.ndarray:
        keys = self._keys[rows]
        return rows[np.argsort(-keys if self._descending else keys, kind="stable")]

    def _ranks(self) -> None:
        self._rank = np.full(self._source_rows(), -1, dtype=np.int64)
        self._rank[self._order] = np.arange(len(self._order))

    def _relayout(self) -> None:
        """Re-sort the shown rows, keeping selected and current rows on their trials."""
        self.layoutAboutToBeChanged.emit()
        old = self.persistentIndexList()
        sources = [int(self._order[i.row()]) if i.row() < len(self._order) else -1 for i in old]
        self._order = self._sorted(self._visible(np.arange(self._source_rows())))
        self._ranks()
        new = [self.createIndex(int(self._rank[s]), i.column())
               if 0 <= s < len(self._rank) and self._rank[s] >= 0 else QModelIndex()
               for s, i in zip(sources, old, strict=True)]
        self.changePersistentIndexList(old, new)
        self.layoutChanged.emit()
