"""One searched hyperparameter in the search-space editor: range, scale, values, grid points.

The row validates itself on every edit by building the core :class:`Param`; a ``SpaceError``
marks the field it is about (red border, the core's text as tooltip and as a line under the
row), so the user sees exactly what to fix. A name outside the registry is a hyperparameter of
the user's own trainer: any scale, or values of any kind, its kind read from what is typed.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QToolButton,
    QWidget,
)

from desktop_app.core.errors import SpaceError
from desktop_app.core.search import REGISTRY, SCALES, Param
from desktop_app.gui.editor.decimal_input import number_text
from desktop_app.gui.editor.field_marks import mark, set_hint
from desktop_app.gui.editor.own_settings import own_number
from desktop_app.gui.editor.scale_preview import ScalePreview, preview_caption
from desktop_app.gui.style.quiet_text import make_quiet

VALUES = "values"
VALUES_HELP = "values: try only the listed values"
OWN_DEFAULT: dict[str, Any] = {"scale": "linear", "low": 0.0, "high": 1.0}
OWN_HELP = ("Your own hyperparameter: your code gets it as params[name]. Its kind comes from "
            "what you type: whole numbers, decimals (0.0 to 1.0), or values such as adam, sgd")
KIND_NAMES = {"int": "whole numbers", "float": "decimals", "choice": "values"}


class ParamRow(QFrame):
    """Editor of one ``[params.NAME]`` table; ``changed`` fires on every edit."""

    changed = Signal()
    remove_requested = Signal(str)

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self.own = name not in REGISTRY  # the user's own hyperparameter (own trainer only)
        self.hp = REGISTRY[name] if not self.own else Param(name, **OWN_DEFAULT, own=True
                                                             ).hyperparameter
        self.param: Param | None = None
        self.problem: str | None = None
        self._grid = False
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QGridLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.setHorizontalSpacing(6)
        layout.setVerticalSpacing(3)

        self.title = title = QLabel()
        title.setToolTip(self.hp.help)
        hint = make_quiet(QLabel(OWN_HELP if self.own else self.hp.help))
        hint.setWordWrap(True)
        remove = QToolButton()
        remove.setText("✕")
        remove.setAutoRaise(True)
        remove.setToolTip(f"Stop searching {name}: it goes back to its fixed training value")
        remove.clicked.connect(lambda: self.remove_requested.emit(self.name))
        head = QHBoxLayout()
        head.addWidget(title, 1)
        head.addWidget(remove)
        layout.addLayout(head, 0, 0, 1, 4)
        layout.addWidget(hint, 1, 0, 1, 4)

        self.scale = QComboBox()
        set_hint(self.scale, "How trials spread over the range.\n"
                 + "\n".join([*(SCALES[s].help for s in (SCALES if self.own else
                                                          self.hp.scales)), VALUES_HELP]))
        if self.own:
            self.scale.addItems(list(SCALES))
        elif self.hp.kind != "choice":
            self.scale.addItems(list(self.hp.scales))
        self.scale.addItem(VALUES)
        self.low = QLineEdit()
        self.high = QLineEdit()
        set_hint(self.low, f"Smallest value to try ({self.hp.describe_domain()}); 0.1 or 0,1")
        set_hint(self.high, f"Largest value to try ({self.hp.describe_domain()}); 0.1 or 0,1")
        self.values = QLineEdit()
        set_hint(self.values, "Comma-separated values to try, e.g. "
                 f"{'0.1, 0.2 or adam, sgd' if self.own else _example(self.hp)} "
                 "(decimals with a point)")
        self.points = QSpinBox()
        self.points.setRange(2, 1000)
        self.points.setValue(3)
        self.points.setPrefix("points ")
        set_hint(self.points, "Grid search: how many values of this range, evenly spaced on "
                 "its scale")
        self.checks: list[QCheckBox] = []
        choice_box = QWidget()
        choice_layout = QHBoxLayout(choice_box)
        choice_layout.setContentsMargins(0, 0, 0, 0)
        for choice in self.hp.choices:
            box = QCheckBox(_label(choice))
            box.setChecked(True)
            box.setToolTip(f"Try {name} = {_label(choice)}")
            box.toggled.connect(self._edited)
            choice_layout.addWidget(box)
            self.checks.append(box)
        choice_layout.addStretch(1)
        self.choice_box = choice_box

        fields = QHBoxLayout()
        for label, widget in (("low", self.low), ("high", self.high)):
            caption = QLabel(label)
            caption.setBuddy(widget)
            fields.addWidget(caption)
            widget.setMaximumWidth(80)
            fields.addWidget(widget)
        fields.addWidget(self.values, 1)
        fields.addWidget(self.choice_box, 1)
        fields.addWidget(self.scale)
        fields.addWidget(self.points)
        layout.addLayout(fields, 2, 0, 1, 4)
        self.caption = make_quiet(QLabel())
        self.caption.setWordWrap(True)
        self.preview = ScalePreview()
        self.caption.setToolTip(self.preview.toolTip())
        layout.addWidget(self.caption, 3, 0, 1, 4)
        layout.addWidget(self.preview, 4, 0, 1, 4)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #d64541;")
        self.error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.error, 5, 0, 1, 4)

        for edit in (self.low, self.high, self.values):
            edit.textChanged.connect(self._edited)
        self.scale.currentTextChanged.connect(self._edited)
        self.points.valueChanged.connect(self._edited)
        self.set_table(OWN_DEFAULT if self.own else _default_table(self.hp))

    # --- data ----------------------------------------------------------------------------
    def set_table(self, table: dict[str, Any]) -> None:
        """Fill the editors from a ``[params.NAME]`` table (``scale/low/high`` or ``values``)."""
        for w in (self.low, self.high, self.values, self.scale, self.points, *self.checks):
            w.blockSignals(True)
        if "values" in table:
            self.scale.setCurrentText(VALUES)
            values = list(table["values"])
            self.values.setText(", ".join(self._label(v) for v in values))
            for box, choice in zip(self.checks, self.hp.choices if self.checks else (),
                                   strict=True):
                box.setChecked(any(type(v) is type(choice) and v == choice for v in values))
        else:
            self.scale.setCurrentText(str(table.get("scale") or self.hp.scales[0]))
            self.low.setText(self._label(table.get("low", self.hp.low)))
            self.high.setText(self._label(table.get("high", self.hp.high)))
        self.points.setValue(int(table.get("points", 3)))
        for w in (self.low, self.high, self.values, self.scale, self.points, *self.checks):
            w.blockSignals(False)
        self._edited()

    def table(self) -> dict[str, Any]:
        """The raw ``[params.NAME]`` table as typed (validation is the core's job)."""
        if self.scale.currentText() == VALUES:
            if self._is_choice():
                return {"values": [c for c, box in zip(self.hp.choices, self.checks, strict=True)
                                   if box.isChecked()]}
            return {"values": [self._number(t) for t in self.values.text().split(",")
                               if t.strip()]}
        table: dict[str, Any] = {"scale": self.scale.currentText(),
                                 "low": self._number(self.low.text()),
                                 "high": self._number(self.high.text())}
        if self._grid:
            table["points"] = self.points.value()
        return table

    def set_grid(self, grid: bool) -> None:
        """Show grid points (grid search only)."""
        self._grid = grid
        self._edited()

    def show_problem(self, problem: str | None) -> None:
        """Mark the field(s) ``problem`` is about, or clear every mark."""
        self.problem = problem
        for widget in (self.low, self.high, self.values, self.scale, self.points,
                       self.choice_box):
            mark(widget, None)
        if problem:
            for widget in self._fields_for(problem):
                mark(widget, problem)
        self.error.setText(problem or "")
        self.error.setVisible(bool(problem))

    # --- internals -----------------------------------------------------------------------
    def _edited(self) -> None:
        ranged = self.scale.currentText() != VALUES
        for widget in (self.low, self.high, *self._captions()):
            widget.setVisible(ranged)
        is_choice = self._is_choice()
        self.values.setVisible(not ranged and not is_choice)
        self.choice_box.setVisible(is_choice)
        self.scale.setVisible(not is_choice)
        self.points.setVisible(ranged and self._grid)
        self.preview.setVisible(ranged)
        self.caption.setVisible(ranged)
        try:
            self.param = Param(self.name, **self.table(), own=self.own)
        except SpaceError as exc:
            self.param = None
            self.show_problem(exc.problem)
        else:
            self.show_problem(None)
            self.hp = self.param.hyperparameter
        self.title.setText(f"<b>{self.name}</b>  <small>"
                           + (f"your own, {KIND_NAMES[self.hp.kind]}" if self.own
                              else f"importance {self.hp.group}") + "</small>")
        self.preview.show_param(self.param, grid=self._grid)
        self.caption.setText(preview_caption(self.param, grid=self._grid))
        self.changed.emit()

    def _captions(self) -> list[QLabel]:
        return [c for c in self.findChildren(QLabel) if c.buddy() in (self.low, self.high)]

    def _fields_for(self, problem: str) -> list[QWidget]:
        """Which editors a core problem text is about (its first word names the value)."""
        text = problem.lower()
        if text.startswith(("low must be below", "a range needs", "scale 'reverse_log'",
                            "scale 'pow2'")):
            return [self.low, self.high]
        if text.startswith(("low", "scale 'log'")):
            return [self.low]
        if text.startswith("high"):
            return [self.high]
        if text.startswith("points"):
            return [self.points]
        if text.startswith("scale"):
            return [self.scale]
        return [self.choice_box if self._is_choice() else self.values]

    def _is_choice(self) -> bool:
        """A registry choice: one check box per choice (own values are typed as text)."""
        return self.hp.kind == "choice" and not self.own

    def _number(self, text: str) -> Any:
        return own_number(text, keep_text=False) if self.own else _number(text)

    def _label(self, value: Any) -> str:
        """A value as text; an own float keeps its point (its kind is read from the text)."""
        return repr(value) if self.own and isinstance(value, float) else _label(value)


def _default_table(hp: Any) -> dict[str, Any]:
    if hp.kind == "choice":
        return {"values": list(hp.choices)}
    return {"scale": hp.scales[0], "low": hp.low, "high": hp.high}


def _label(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:g}"
    return "" if value is None else str(value)


def _example(hp: Any) -> str:
    if hp.kind == "choice":
        return ", ".join(_label(c) for c in hp.choices[:2])
    return f"{_label(hp.low)}, {_label(hp.high)}"


def _number(text: str) -> Any:
    """Typed text as an int or float when it is one (a decimal comma read as a point);
    otherwise the text (the core says why)."""
    text = number_text(text)
    if text == "":
        return None
    for convert in (int, float):
        try:
            return convert(text)
        except ValueError:
            continue
    return text
