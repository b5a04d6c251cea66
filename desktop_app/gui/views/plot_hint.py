"""A centred hint over an empty plot: what will appear there and how to make it appear.

Before the first sweep the plots would be bare 0..1 axes; a person who has just learned about
hyperparameter tuning should instead read what Run does and what each plot will show.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QGridLayout, QLabel, QWidget

HINT_WIDTH = 340


def with_hint(plot: QWidget, text: str) -> tuple[QWidget, QLabel]:
    """``plot`` in a container with ``text`` centred over it; hide the returned label once
    there is something to see (the label lets mouse events through to the plot)."""
    box = QWidget()
    grid = QGridLayout(box)
    grid.setContentsMargins(0, 0, 0, 0)
    grid.addWidget(plot, 0, 0)
    label = QLabel(text)
    label.setWordWrap(True)
    label.setMaximumWidth(HINT_WIDTH)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setTextFormat(Qt.TextFormat.RichText)
    label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
    label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
    # On the plot's own background, so a small plot's axis labels never show through the text.
    label.setBackgroundRole(QPalette.ColorRole.Base)
    label.setAutoFillBackground(True)
    label.setContentsMargins(8, 6, 8, 6)
    grid.addWidget(label, 0, 0, Qt.AlignmentFlag.AlignCenter)
    return box, label
