"""The hint a new user sees above the side panel until they close it: start from an example."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QPushButton, QToolButton, QWidget

SEEN_KEY = "hints/examples_seen"
TEXT = ("<b>New to Caviar?</b> Start from a ready sweep: <b>Examples…</b> on the tool bar "
        "(File › Open example…) loads one into the panel; then <b>Run</b>.")


class FirstRunHint(QFrame):
    """Shown until closed or used once (remembered in ``settings``)."""

    def __init__(self, settings: QSettings, open_example: Callable[[], object],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.label = QLabel(TEXT)
        self.label.setWordWrap(True)
        self.button = QPushButton("Open an example…")
        self.button.setToolTip("Choose one of the example sweeps that come with Caviar")
        self.button.clicked.connect(lambda: (self.dismiss(), open_example()))
        close = QToolButton()
        close.setText("✕")
        close.setAutoRaise(True)
        close.setToolTip("Hide this hint for good")
        close.clicked.connect(self.dismiss)
        layout = QGridLayout(self)
        layout.setContentsMargins(8, 6, 4, 6)
        layout.addWidget(self.label, 0, 0)
        layout.addWidget(close, 0, 1, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.button, 1, 0, Qt.AlignmentFlag.AlignLeft)
        layout.setColumnStretch(0, 1)
        if settings.value(SEEN_KEY, False, type=bool):
            self.hide()

    def dismiss(self) -> None:
        """Hide the hint, also in later sessions."""
        self.hide()
        self.settings.setValue(SEEN_KEY, True)
