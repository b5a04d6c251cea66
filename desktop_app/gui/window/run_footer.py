"""The foot of the side panel: Run and Stop buttons and what Run will do, always in view.

The experiment panel scrolls; this footer does not, so the user always sees the button, how
big the sweep is, or the one problem that blocks it.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolButton, QVBoxLayout, QWidget

from desktop_app.core.study import Direction
from desktop_app.gui.editor.experiment_panel import ExperimentPanel


class RunFooter(QWidget):
    """Buttons for the Run/Stop actions and a one-line summary of the sweep to run."""

    def __init__(self, panel: ExperimentPanel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.panel = panel
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        buttons = QHBoxLayout()
        self.run_button = QToolButton()
        self.stop_button = QToolButton()
        for button in (self.run_button, self.stop_button):
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setToolTip("What Run will start, or what to fix first")
        layout.addLayout(buttons)
        layout.addWidget(self.summary)
        panel.changed.connect(self.refresh)
        self.refresh()

    def set_actions(self, run: QAction, stop: QAction) -> None:
        """Show the window's Run and Stop actions as buttons (enabled state follows them)."""
        self.run_button.setDefaultAction(run)
        self.stop_button.setDefaultAction(stop)

    def refresh(self) -> None:
        """Describe the sweep the panel's settings make, or the problem that blocks it."""
        config = self.panel.current
        if config is None:
            self.summary.setStyleSheet("color: #d64541;")
            self.summary.setText(f"Fix first: {self.panel.problem}")
            return
        study = config.study
        strategy = {"grid": "grid search", "random": "random search",
                    "quasi_random": "quasi-random search", "tpe": "TPE (Bayesian) search"}
        what = strategy.get(study.strategy, study.strategy)
        early = "" if study.pruner == "none" else f", early stopping: {study.pruner}"
        self.summary.setStyleSheet("")
        epochs = "" if config.epochs is None else f" × up to {config.epochs} epochs"
        self.summary.setText(
            f"{config.budget()} trials{epochs}, {what} over "
            f"{len(config.space.names)} parameters, {study.workers} {study.executor} "
            f"worker{'s' if study.workers > 1 else ''}{early}; best = "
            f"{'highest' if Direction(study.direction) is Direction.MAXIMIZE else 'lowest'} "
            f"{study.metric}")
