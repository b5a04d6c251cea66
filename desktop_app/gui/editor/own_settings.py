"""Fixed ``[train]`` values for the user's own trainer: only what the user adds, any name.

Caviar's network gets a value for every registry entry (:class:`FixedSettings`); the user's
code gets exactly the names added here (plus the searched ones). A value is read as a whole
number, a decimal, true/false, or else text; the core judges it (``own_value``, or the
registry's check for a registry name).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCompleter,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.search import REGISTRY
from desktop_app.gui.editor.decimal_input import number_text
from desktop_app.gui.editor.field_marks import mark, set_hint
from desktop_app.gui.style.quiet_text import make_quiet


class OwnSettings(QWidget):
    """Name = value rows the user adds; ``changed`` fires on every edit."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.editors: dict[str, QLineEdit] = {}
        self._rows: dict[str, QWidget] = {}
        self._searched: set[str] = set()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.form = QFormLayout()
        layout.addLayout(self.form)
        self.empty = make_quiet(QLabel("Nothing fixed: your code gets only the searched "
                                       "values. Add a value every trial should get."))
        self.empty.setWordWrap(True)
        layout.addWidget(self.empty)
        self.name = QLineEdit()
        self.name.setPlaceholderText("name, e.g. epochs")
        self.name.setCompleter(QCompleter(list(REGISTRY)))
        set_hint(self.name, "The name your code reads from params[name]")
        self.add_button = QToolButton()
        self.add_button.setText("Add fixed value")
        set_hint(self.add_button, "Give every trial this value (edit it once added)")
        self.add_button.clicked.connect(lambda: self.add(self.name.text()))
        self.name.returnPressed.connect(lambda: self.add(self.name.text()))
        self.name.textChanged.connect(self._name_edited)
        adder = QHBoxLayout()
        adder.addWidget(self.name, 1)
        adder.addWidget(self.add_button)
        layout.addLayout(adder)
        self._name_edited()

    def add(self, name: str, value: Any = "") -> QLineEdit | None:
        """Add (or refill) the value of ``name``; None for an empty or taken new name."""
        name = name.strip()
        if not name:
            return None
        editor = self.editors.get(name)
        if editor is None:
            editor = QLineEdit()
            set_hint(editor, f"The value of {name} in every trial: a number, true/false or "
                     "text" + (f"\n{REGISTRY[name].help}" if name in REGISTRY else ""))
            editor.textChanged.connect(self.changed)
            remove = QToolButton()
            remove.setText("✕")
            remove.setAutoRaise(True)
            remove.setToolTip(f"Do not give {name} to your code")
            remove.clicked.connect(lambda: self.remove(name))
            row = QWidget()
            line = QHBoxLayout(row)
            line.setContentsMargins(0, 0, 0, 0)
            line.addWidget(editor, 1)
            line.addWidget(remove)
            self.form.addRow(name, row)
            self.editors[name] = editor
            self._rows[name] = row
            self.name.clear()
        editor.setText(_text(value))
        self._refresh()
        self.changed.emit()
        return editor

    def remove(self, name: str) -> None:
        """Stop giving ``name`` a fixed value."""
        row = self._rows.pop(name, None)
        self.editors.pop(name, None)
        if row is not None:
            self.form.removeRow(row)
        self._refresh()
        self.changed.emit()

    def values(self, skip: set[str] | frozenset[str] = frozenset()) -> dict[str, Any]:
        """The ``[train]`` table: every value added, except the searched ones in ``skip``."""
        return {n: _value(e.text()) for n, e in self.editors.items() if n not in skip}

    def set_values(self, values: dict[str, Any]) -> None:
        """Show exactly the ``[train]`` table given."""
        self.blockSignals(True)
        for name in list(self.editors):
            self.remove(name)
        for name, value in values.items():
            self.add(name, value)
        self.blockSignals(False)
        self.changed.emit()

    def set_searched(self, names: set[str]) -> None:
        """A searched name's value comes from the search: its fixed value is greyed out."""
        self._searched = set(names)
        self._refresh()

    def show_problem(self, name: str, problem: str | None) -> None:
        """Mark the value of ``name`` with the core's problem (None clears)."""
        if name in self.editors:
            mark(self.editors[name], problem)

    def clear_problems(self) -> None:
        """Remove every mark."""
        for editor in self.editors.values():
            mark(editor, None)

    def _refresh(self) -> None:
        self.empty.setVisible(not self.editors)
        for name, row in self._rows.items():
            searched = name in self._searched
            row.setEnabled(not searched)
            row.setToolTip("Searched: each trial gets the value the search picks"
                           if searched else "")

    def _name_edited(self) -> None:
        name = self.name.text().strip()
        self.add_button.setEnabled(bool(name) and name not in self.editors)


def _text(value: Any) -> str:
    """A value as typed: floats keep their point (0.0 stays a decimal), booleans lower-case."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _value(text: str) -> Any:
    """Typed text as a whole number, a decimal, true/false, or else the text itself."""
    return own_number(text, keep_text=True)


def own_number(text: str, keep_text: bool = True) -> Any:
    """``"3"`` -> 3, ``"0.5"``/``"0,5"`` -> 0.5, ``"true"`` -> True, other text as itself
    (None for nothing typed unless ``keep_text``)."""
    stripped = text.strip()
    if stripped.lower() in ("true", "false"):
        return stripped.lower() == "true"
    number = number_text(stripped)
    for convert in (int, float):
        try:
            return convert(number)
        except ValueError:
            continue
    return stripped if stripped or keep_text else None
