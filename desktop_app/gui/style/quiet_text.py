"""Secondary text (a parameter's help line, a caption): smaller and in the muted text colour.

The colour is the palette's placeholder-text role, given to the label as its foreground
role, so it follows a light/dark switch; a style sheet's ``palette(placeholder-text)`` is
fixed when the sheet is set and left the help text nearly invisible after a switch.
"""

from __future__ import annotations

from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QLabel

QUIET_FONT_SCALE = 0.9
"""Font size of quiet text relative to the label's own font."""


def make_quiet(label: QLabel) -> QLabel:
    """Draw ``label`` as secondary text (muted colour of the current palette, smaller font);
    return it."""
    label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
    font = label.font()
    font.setPointSizeF(font.pointSizeF() * QUIET_FONT_SCALE)
    label.setFont(font)
    return label
