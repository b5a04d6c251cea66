"""Numbers typed with a decimal comma: ``0,1`` reads as ``0.1`` in every editor field that
holds one number.

Config files stay TOML, with points. A field that holds a single number (a range's low and
high, the form's decimal fields) has no use for a comma other than as a decimal sign, so
both signs are taken, whatever the locale. A list of values is split at its commas, so there
decimals take a point (the field's hint says so).
"""

from __future__ import annotations

from PySide6.QtGui import QValidator
from PySide6.QtWidgets import QDoubleSpinBox


def number_text(text: str) -> str:
    """``text`` stripped, with a single decimal comma as a point: "0,1" -> "0.1"."""
    text = text.strip()
    if text.count(",") == 1 and "." not in text:
        return text.replace(",", ".")
    return text


class DecimalSpinBox(QDoubleSpinBox):
    """A ``QDoubleSpinBox`` that takes "0.2" and "0,2" alike: the sign the locale does not
    use for decimals becomes the one it does (a plain spin box drops it and reads 0)."""

    def validate(self, text: str, pos: int) -> tuple[QValidator.State, str, int]:
        """Validate ``text`` with either decimal sign, showing the locale's."""
        return super().validate(self._localised(text), pos)

    def valueFromText(self, text: str) -> float:
        """The value of ``text`` with either decimal sign."""
        return super().valueFromText(self._localised(text))

    def _localised(self, text: str) -> str:
        point = self.locale().decimalPoint()
        return text.replace("," if point == "." else ".", point)
