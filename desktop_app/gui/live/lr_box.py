"""Panda mode's learning-rate box: type any number (``1e-4``, ``3e-3``, ``0.01``), apply it
on purpose.

A spin box applies every keystroke: typing ``1e-4`` passes through 1, and a model training
meanwhile gets learning rate 1 from its next mini-batch. This box only says what is typed;
the rate changes when the user presses Enter or the dialog's Apply button (:meth:`apply`).
"""

from __future__ import annotations

from PySide6.QtCore import QRegularExpression, Signal
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import QLineEdit, QWidget

from desktop_app.core.errors import CaviarError
from desktop_app.core.search.registry import validate_value
from desktop_app.gui.editor.field_marks import mark, set_hint

NUMBER_KEYS = QRegularExpression(r"[0-9]*\.?[0-9]*([eE][-+]?[0-9]*)?")
"""What may be typed at all: digits, one point, one exponent (``1e-4``); the rest is refused."""


def format_rate(rate: float) -> str:
    """A learning rate as the box shows it: ``0.01``, ``0.0005``, ``1e-05``."""
    return f"{rate:.6g}"


class LearningRateBox(QLineEdit):
    """The learning rate in use, and what the user types to replace it.

    ``applied(rate)`` is emitted by :meth:`apply` (Enter, or the dialog's Apply button) with a
    valid typed rate; typing alone changes nothing. :meth:`value` is the last applied rate.
    """

    applied = Signal(float)

    def __init__(self, rate: float, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._value = float(rate)
        self.setValidator(QRegularExpressionValidator(NUMBER_KEYS, self))
        self.setText(format_rate(self._value))
        self.setMaximumWidth(110)
        set_hint(self, "Learning rate, e.g. 0.01, 3e-3 or 1e-4: press Enter or Apply to use "
                 "it from the next mini-batch (try dividing it by 3 when the loss plateaus)")
        self.returnPressed.connect(self.apply)
        self.textEdited.connect(lambda _text: mark(self, None))

    def value(self) -> float:
        """The last applied learning rate."""
        return self._value

    def typed(self) -> float | None:
        """The rate typed in the box, None while it is not a usable learning rate."""
        try:
            return float(validate_value("learning_rate", float(self.text())))
        except (ValueError, CaviarError):
            return None

    def is_pending(self) -> bool:
        """True while the box holds a usable rate that is not applied yet."""
        typed = self.typed()
        return typed is not None and typed != self._value

    def apply(self) -> bool:
        """Use the typed rate (emits ``applied``); mark the box and return False when it is
        not a usable learning rate."""
        typed = self.typed()
        if typed is None:
            mark(self, f"{self.text()!r} is not a learning rate: type a number above 0 such "
                 "as 0.01 or 1e-4")
            return False
        mark(self, None)
        self._value = typed
        self.setText(format_rate(typed))
        self.applied.emit(typed)
        return True
