"""The search-space editor: one :class:`ParamRow` per searched hyperparameter.

Rows are added from the registry through an "Add parameter" menu grouped by importance (the
course's groups 1-4) with each parameter's one-line help; for grid search the total grid size
is shown and refused above the core's ``MAX_GRID``. With a trainer of the user's own, any
name can be added too (:meth:`SpaceEditor.set_own`): a name outside the registry is the user's
own hyperparameter, its kind read from the range or values typed.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCompleter,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.errors import SpaceError
from desktop_app.core.search import MAX_GRID, REGISTRY, build_space
from desktop_app.gui.editor.field_marks import set_hint
from desktop_app.gui.editor.param_row import ParamRow

GROUP_TITLES = {
    1: "Importance 1: tune first",
    2: "Importance 2",
    3: "Importance 3",
    4: "Importance 4: the defaults usually work",
}
DEFAULT_SPACE: dict[str, dict[str, Any]] = {
    "learning_rate": {"scale": "log", "low": 1e-4, "high": 1e-1},
    "batch_size": {"scale": "pow2", "low": 16, "high": 256},
}


class SpaceEditor(QWidget):
    """Edits the ``[params]`` tables; ``changed`` fires on every edit, ``validity_changed``
    when the space turns valid or invalid."""

    changed = Signal()
    validity_changed = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: dict[str, ParamRow] = {}
        self._grid = False
        self._own = False
        self._valid = True
        self.grid_problem: str | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self._rows_layout = QVBoxLayout()
        self._rows_layout.setSpacing(4)
        layout.addLayout(self._rows_layout)
        self.empty = QLabel("Nothing is searched yet: add a parameter (start with the "
                            "learning rate).")
        self.empty.setWordWrap(True)
        layout.addWidget(self.empty)
        self.add_button = QToolButton()
        self.add_button.setText("Add parameter")
        self.add_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.add_button.setToolTip("Search one more hyperparameter; the menu lists them by "
                                   "importance, the most important first")
        self.menu = QMenu(self)
        self.menu.setToolTipsVisible(True)
        self.add_button.setMenu(self.menu)
        self.menu.aboutToShow.connect(self._fill_menu)
        self.grid_label = QLabel()
        self.grid_label.setWordWrap(True)
        self.grid_label.setToolTip("Grid search tries every combination: the product of each "
                                   "parameter's number of values")
        self.own_name = QLineEdit()
        self.own_name.setPlaceholderText("name in params[...]")
        self.own_name.setCompleter(QCompleter(list(REGISTRY)))
        set_hint(self.own_name, "Search a hyperparameter of your own code by its name in "
                 "params[name]; its kind comes from the range or values you type")
        self.own_add = QToolButton()
        self.own_add.setText("Add")
        set_hint(self.own_add, "Search this name (Caviar's own names keep their help)")
        self.own_add.clicked.connect(self._add_own)
        self.own_name.returnPressed.connect(self._add_own)
        self.own_name.textChanged.connect(self._own_name_edited)
        self.own_line = QWidget()
        line = QHBoxLayout(self.own_line)
        line.setContentsMargins(0, 0, 0, 0)
        line.addWidget(self.own_name, 1)
        line.addWidget(self.own_add)
        line.addWidget(self.add_button)
        self.own_line.setVisible(False)
        layout.addWidget(self.own_line)
        self._layout = layout
        self._menu_slot = layout.count()
        layout.addWidget(self.add_button)
        layout.addWidget(self.grid_label)
        self.set_space(DEFAULT_SPACE)

    # --- public --------------------------------------------------------------------------
    def names(self) -> list[str]:
        """The searched parameter names, in row order."""
        return list(self.rows)

    def add_param(self, name: str, table: dict[str, Any] | None = None) -> ParamRow:
        """Add (or refill) the row of ``name``; registry defaults when ``table`` is None."""
        row = self.rows.get(name)
        if row is None:
            row = ParamRow(name)
            row.changed.connect(self._update)
            row.remove_requested.connect(self.remove_param)
            row.set_grid(self._grid)
            self.rows[name] = row
            self._rows_layout.addWidget(row)
        if table is not None:
            row.set_table(table)
        self._update()
        return row

    def remove_param(self, name: str) -> None:
        """Stop searching ``name``."""
        row = self.rows.pop(name, None)
        if row is not None:
            row.setParent(None)
            row.deleteLater()
        self._update()

    def set_space(self, params: dict[str, dict[str, Any]]) -> None:
        """Replace every row with the ``[params]`` tables given."""
        for name in list(self.rows):
            self.remove_param(name)
        for name, table in params.items():
            self.add_param(name, table)
        self._update()

    def to_dict(self) -> dict[str, dict[str, Any]]:
        """The ``[params]`` tables as typed."""
        return {name: row.table() for name, row in self.rows.items()}

    def set_grid(self, grid: bool) -> None:
        """Grid search shows grid points and the total grid size."""
        self._grid = grid
        for row in self.rows.values():
            row.set_grid(grid)
        self._update()

    def set_own(self, own: bool) -> None:
        """A trainer of the user's own: any name can be added (a line edit beside the menu)."""
        if own == self._own:
            return
        self._own = own
        self.own_line.setVisible(own)
        if own:
            self.own_line.layout().addWidget(self.add_button)
        else:
            self._layout.insertWidget(self._menu_slot, self.add_button)
        self.add_button.setText("Caviar's names" if own else "Add parameter")
        self._own_name_edited()
        self._update()

    def is_own(self) -> bool:
        """True while any hyperparameter name may be added."""
        return self._own

    def is_grid(self) -> bool:
        """True while the strategy is grid search."""
        return self._grid

    def is_valid(self) -> bool:
        """True when every row is valid and a grid is within the limit."""
        return self._valid

    def problems(self) -> list[str]:
        """Every problem shown, as ``params.NAME: problem`` lines."""
        found = [f"params.{n}: {r.problem}" for n, r in self.rows.items() if r.problem]
        if self.grid_problem:
            found.append(self.grid_problem)
        return found

    def show_problem(self, name: str, problem: str) -> None:
        """Show a problem the core found while checking the whole config."""
        if name in self.rows:
            self.rows[name].show_problem(problem)

    # --- internals -----------------------------------------------------------------------
    def _fill_menu(self) -> None:
        self.menu.clear()
        for group, title in GROUP_TITLES.items():
            self.menu.addSection(title)
            for hp in REGISTRY.values():
                if hp.group != group:
                    continue
                action = self.menu.addAction(hp.name)
                action.setToolTip(hp.help)
                action.setStatusTip(hp.help)
                action.setEnabled(hp.name not in self.rows)
                action.triggered.connect(lambda _=False, n=hp.name: self.add_param(n))

    def _add_own(self) -> None:
        name = self.own_name.text().strip()
        if name and name not in self.rows:
            self.add_param(name)
            self.own_name.clear()

    def _own_name_edited(self) -> None:
        name = self.own_name.text().strip()
        self.own_add.setEnabled(bool(name) and name not in self.rows)

    def _update(self) -> None:
        self.empty.setVisible(not self.rows)
        rows_ok = all(row.param is not None for row in self.rows.values())
        if not self._own and any(row.own for row in self.rows.values()):
            rows_ok = False  # the core names the own hyperparameter the network cannot take
        self._own_name_edited()
        self.grid_problem = None
        self.grid_label.setVisible(self._grid)
        if self._grid and rows_ok and self.rows:
            try:
                size = build_space(self.to_dict(), own=self._own).check_grid()
            except SpaceError as exc:
                self.grid_problem = str(exc)
                self.grid_label.setText(f"Grid too large: {exc.problem}")
                self.grid_label.setStyleSheet("color: #d64541;")
            else:
                self.grid_label.setText(f"Grid: {size:,} combinations (limit {MAX_GRID:,})")
                self.grid_label.setStyleSheet("")
        elif self._grid:
            self.grid_label.setText("Grid size: fix the marked fields first")
            self.grid_label.setStyleSheet("")
        valid = rows_ok and self.grid_problem is None
        flipped = valid != self._valid
        self._valid = valid
        self.changed.emit()
        if flipped:
            self.validity_changed.emit(valid)
