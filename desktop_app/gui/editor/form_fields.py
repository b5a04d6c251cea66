"""One row of a settings form: a config key, its label, and a widget that reads and writes it.

A section of the experiment panel is a table of :class:`Field` rows; building the form,
showing a config, reading it back and marking a problem all walk that one table. The widget
kinds (:func:`text`, :func:`choice`, :func:`optional_choice`, :func:`whole`, :func:`real`,
:func:`column`) know how to read, write and signal their value; the default shown comes from the
core's own type.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt, SignalInstance
from PySide6.QtWidgets import QComboBox, QDoubleSpinBox, QLineEdit, QSpinBox, QWidget

from desktop_app.gui.editor.decimal_input import DecimalSpinBox
from desktop_app.gui.editor.field_marks import set_hint

Values = Mapping[str, Any]


def always(_values: Values) -> bool:
    """A field that applies whatever else is chosen."""
    return True


@dataclass(frozen=True)
class Field:
    """A config key shown as one form row.

    ``make`` builds the widget; ``applies`` (given the section's values) says whether the row
    is shown and sent to the core; ``omit_empty`` leaves an empty text out of the config.
    """

    key: str
    label: str
    make: Callable[[], QWidget]
    applies: Callable[[Values], bool] = always
    omit_empty: bool = False


def defaults_of(cls: type) -> dict[str, Any]:
    """The default of every field of the core's dataclass ``cls`` (factories called)."""
    found: dict[str, Any] = {}
    for f in dataclasses.fields(cls):
        if f.default is not dataclasses.MISSING:
            found[f.name] = f.default
        elif f.default_factory is not dataclasses.MISSING:
            found[f.name] = f.default_factory()
    return found


# --- widget kinds ----------------------------------------------------------------------------
class _Column(QLineEdit):
    """A CSV label column: a header name, or digits read as a 0-based index."""


class OptionalChoice(QComboBox):
    """A choice whose first item means "not given" (read as "")."""


def text(hint: str, placeholder: str = "") -> Callable[[], QWidget]:
    """A line of text (read stripped)."""
    def make() -> QWidget:
        line = QLineEdit()
        line.setPlaceholderText(placeholder)
        set_hint(line, hint)
        return line
    return make


def column(hint: str, placeholder: str = "") -> Callable[[], QWidget]:
    """A CSV label column: a name, or a 0-based index when only digits are typed."""
    def make() -> QWidget:
        line = _Column()
        line.setPlaceholderText(placeholder)
        set_hint(line, hint)
        return line
    return make


def choice(items: tuple[str, ...], help_text: Mapping[str, str]) -> Callable[[], QWidget]:
    """One of ``items``; each item's help is its tooltip, all of them the box's."""
    def make() -> QWidget:
        return _filled(QComboBox(), items, help_text)
    return make


def optional_choice(empty: str, items: tuple[str, ...],
                    help_text: Mapping[str, str]) -> Callable[[], QWidget]:
    """One of ``items``, or the first item ``empty`` (its text may change) meaning none."""
    def make() -> QWidget:
        combo = OptionalChoice()
        combo.addItem(empty)
        return _filled(combo, items, help_text)
    return make


def _filled(combo: QComboBox, items: tuple[str, ...], help_text: Mapping[str, str]
            ) -> QComboBox:
    """``combo`` with ``items`` added, each with its help as tooltip, and the hint set."""
    for item in items:
        combo.addItem(item)
        combo.setItemData(combo.count() - 1, help_text.get(item, item),
                          Qt.ItemDataRole.ToolTipRole)
    set_hint(combo, "\n".join(help_text[i] for i in items if i in help_text))
    return combo


def whole(low: int, high: int, hint: str) -> Callable[[], QWidget]:
    """A whole number from ``low`` to ``high``."""
    def make() -> QWidget:
        spin = QSpinBox()
        spin.setRange(low, high)
        set_hint(spin, hint)
        return spin
    return make


def real(low: float, high: float, step: float, hint: str) -> Callable[[], QWidget]:
    """A number from ``low`` to ``high`` in steps of ``step`` (read to 4 decimals)."""
    def make() -> QWidget:
        spin = DecimalSpinBox()  # takes 0,2 as 0.2 too
        spin.setRange(low, high)
        spin.setSingleStep(step)
        set_hint(spin, hint)
        return spin
    return make


def read(widget: QWidget) -> Any:
    """The value ``widget`` shows, as the config holds it."""
    if isinstance(widget, _Column):
        label = widget.text().strip()
        return int(label) if label.isdigit() else label
    if isinstance(widget, QLineEdit):
        return widget.text().strip()
    if isinstance(widget, OptionalChoice):
        return "" if widget.currentIndex() <= 0 else widget.currentText()
    if isinstance(widget, QComboBox):
        return widget.currentText()
    if isinstance(widget, QDoubleSpinBox):
        return round(widget.value(), 4)
    if isinstance(widget, QSpinBox):
        return widget.value()
    raise TypeError(f"no field kind for {type(widget).__name__}")


def write(widget: QWidget, value: Any) -> None:
    """Show ``value`` (None: empty) in ``widget``; a choice it lacks is added."""
    if isinstance(widget, QLineEdit):
        widget.setText("" if value is None else str(value))
    elif isinstance(widget, OptionalChoice) and value in ("", None):
        widget.setCurrentIndex(0)
    elif isinstance(widget, QComboBox):
        if widget.findText(str(value)) < 0:
            widget.addItem(str(value))
        widget.setCurrentText(str(value))
    elif isinstance(widget, QDoubleSpinBox):
        widget.setValue(float(value))
    elif isinstance(widget, QSpinBox):
        widget.setValue(int(value))
    else:
        raise TypeError(f"no field kind for {type(widget).__name__}")


def edited(widget: QWidget) -> SignalInstance:
    """The signal ``widget`` emits when the user changes its value."""
    if isinstance(widget, QLineEdit):
        return widget.textChanged
    if isinstance(widget, QComboBox):
        return widget.currentTextChanged
    if isinstance(widget, QSpinBox | QDoubleSpinBox):
        return widget.valueChanged
    raise TypeError(f"no field kind for {type(widget).__name__}")
