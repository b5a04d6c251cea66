"""Editors of the fixed ``[train]`` values, built from the registry.

Every hyperparameter that is not searched keeps one fixed value for all trials; its editor is
hidden while the search-space editor has a row for it. The most used ones come first, the
rarely changed ones (group 4, regularisation) sit under "More settings".
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.search import REGISTRY
from desktop_app.gui.editor.decimal_input import number_text
from desktop_app.gui.editor.field_marks import mark, set_hint

MAIN_ORDER = ("epochs", "learning_rate", "optimizer", "batch_size", "hidden_units",
              "hidden_layers", "activation", "batch_norm")


class FixedSettings(QWidget):
    """One editor per registry entry; ``changed`` fires on every edit."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.editors: dict[str, QWidget] = {}
        self._labels: dict[str, QLabel] = {}
        self._forms: dict[str, QFormLayout] = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        main = QFormLayout()
        more = QFormLayout()
        self._more = QWidget()
        self._more.setLayout(more)
        self._more.setVisible(False)
        self.more_button = QToolButton()
        self.more_button.setText("More settings ▸")
        self.more_button.setCheckable(True)
        self.more_button.setAutoRaise(True)
        self.more_button.setToolTip("Momentum, Adam's betas and epsilon, learning-rate decay, "
                                    "dropout and L2: their defaults usually work")
        self.more_button.toggled.connect(self._toggle_more)
        layout.addLayout(main)
        layout.addWidget(self.more_button)
        layout.addWidget(self._more)
        names = [*MAIN_ORDER, *(n for n in REGISTRY if n not in MAIN_ORDER)]
        for name in names:
            form = main if name in MAIN_ORDER else more
            editor = self._make_editor(name)
            label = QLabel(name)
            label.setToolTip(REGISTRY[name].help)
            form.addRow(label, editor)
            self.editors[name] = editor
            self._labels[name] = label
            self._forms[name] = form
        self.set_values({n: hp.default for n, hp in REGISTRY.items()})

    def values(self, skip: set[str] | frozenset[str] = frozenset()) -> dict[str, Any]:
        """The ``[train]`` table: every value except the searched ones in ``skip``."""
        return {n: self._read(n) for n in self.editors if n not in skip}

    def set_values(self, values: dict[str, Any]) -> None:
        """Fill editors from a ``[train]`` table (unknown names are ignored)."""
        for name, value in values.items():
            editor = self.editors.get(name)
            if editor is None:
                continue
            editor.blockSignals(True)
            if isinstance(editor, QCheckBox):
                editor.setChecked(bool(value))
            elif isinstance(editor, QComboBox):
                editor.setCurrentText(str(value))
            elif isinstance(editor, QSpinBox):
                editor.setValue(int(value))
            else:
                editor.setText(f"{value:g}" if isinstance(value, float) else str(value))
            editor.blockSignals(False)
        self.changed.emit()

    def set_searched(self, names: set[str]) -> None:
        """Hide the editors of searched parameters (their value comes from the search)."""
        for name, editor in self.editors.items():
            self._labels[name].setVisible(name not in names)
            editor.setVisible(name not in names)

    def show_problem(self, name: str, problem: str | None) -> None:
        """Mark the editor of ``name`` with the core's problem text (None clears)."""
        if name not in self.editors:
            return
        mark(self.editors[name], problem)
        if problem and self._forms[name] is self._more.layout():
            self.more_button.setChecked(True)  # a problem must never hide in a folded section

    def clear_problems(self) -> None:
        """Remove every mark."""
        for editor in self.editors.values():
            mark(editor, None)

    # --- internals -----------------------------------------------------------------------
    def _make_editor(self, name: str) -> QWidget:
        hp = REGISTRY[name]
        editor: QWidget
        if hp.kind == "choice" and set(hp.choices) == {True, False}:
            editor = QCheckBox("on")
            editor.toggled.connect(self.changed)
        elif hp.kind == "choice":
            editor = QComboBox()
            editor.addItems([str(c) for c in hp.choices])
            editor.currentTextChanged.connect(self.changed)
        elif hp.kind == "int":
            editor = QSpinBox()
            editor.setRange(int(hp.minimum or 0), int(min(hp.maximum or 1_000_000, 1_000_000)))
            editor.valueChanged.connect(self.changed)
        else:
            editor = QLineEdit()
            editor.textChanged.connect(self.changed)
        set_hint(editor, f"{hp.help}\nUsed by every trial unless searched. "
                 f"Default {hp.default!r}; allowed: {hp.describe_domain()}.")
        return editor

    def _read(self, name: str) -> Any:
        editor = self.editors[name]
        if isinstance(editor, QCheckBox):
            return editor.isChecked()
        if isinstance(editor, QComboBox):
            return editor.currentText()
        if isinstance(editor, QSpinBox):
            return editor.value()
        text = number_text(editor.text())  # 0,1 reads as 0.1
        try:
            return float(text)
        except ValueError:
            return text

    def _toggle_more(self, shown: bool) -> None:
        self._more.setVisible(shown)
        self.more_button.setText("More settings ▾" if shown else "More settings ▸")
