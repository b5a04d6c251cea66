"""A trial's output for people: its error (a failed trial's reason) and the log its program
printed, in a read-only monospace dialog opened from the trials table."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

OutputReader = Callable[[int], "tuple[str, str] | None"]
"""Reads trial ``number``'s ``(error, log)`` from where the study is stored (None: cannot)."""

NO_OUTPUT = ("This trial printed nothing that Caviar kept.\n\nCaviar's own network prints "
             "nothing;\na trainer of your own shows here what its program printed.")


def output_text(error: str, log: str) -> str:
    """The dialog's text: the error first (when there is one), then the log."""
    parts = []
    if error:
        parts.append(f"Error:\n{error.rstrip()}")
    if log:
        parts.append(f"Output:\n{log.rstrip()}")
    return "\n\n".join(parts) if parts else NO_OUTPUT


class TrialOutputDialog(QDialog):
    """Read-only, monospace, selectable: what trial ``number`` printed and why it failed."""

    def __init__(self, number: int, state: str, error: str, log: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Output of trial {number}")
        self.resize(760, 480)
        heading = QLabel(f"Trial {number} ({state})"
                         + (": it failed, the error comes first" if error else ""))
        self.text = QPlainTextEdit(output_text(error, log))
        self.text.setReadOnly(True)
        self.text.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.text, 1)
        layout.addWidget(buttons)
