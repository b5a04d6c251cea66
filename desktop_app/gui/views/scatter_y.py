"""The sweep scatter's y axis: which metric it shows (the study metric by default, or any
other one the trials reported) and the axis label saying which way is better."""

from __future__ import annotations

import math
from collections.abc import Callable

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QComboBox, QWidget

from desktop_app.core.study import Direction
from desktop_app.gui.live.study_model import StudyModel
from desktop_app.gui.views.metric_choices import refill, scatter_metrics

MIN_CHARS = 6
"""The selector shrinks to this many characters in a narrow window, not less."""


class ShrinkingCombo(QComboBox):
    """A combo box as wide as its names where there is room, down to :data:`MIN_CHARS`
    characters (the name cut) in a narrow window."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)

    def minimumSizeHint(self) -> QSize:
        """:data:`MIN_CHARS` characters and the arrow."""
        hint = super().minimumSizeHint()
        return QSize(min(hint.width(),
                         self.fontMetrics().horizontalAdvance("x" * MIN_CHARS) + 32),
                     hint.height())


class ScatterY:
    """The y metric's selector (``box``); ``set_label`` names the axis, ``changed`` runs when
    the user picks another metric."""

    def __init__(self, study: StudyModel, set_label: Callable[[str], None],
                 changed: Callable[[], None]) -> None:
        self._study = study
        self._set_label = set_label
        self._changed = changed
        self.key = study.metric
        self.box = ShrinkingCombo()
        self.box.setToolTip("The metric on the y axis: the study metric, or another one the "
                            "trials reported")
        self.box.currentIndexChanged.connect(self._on_box)
        study.metrics_changed.connect(self.offer)

    def value(self, number: int) -> float:
        """Trial ``number``'s value of the y metric (NaN when it has none)."""
        return float(self._study.trial(number).metrics.get(self.key, math.nan))

    def choices(self) -> list[str]:
        """The metrics offered, in order."""
        return [self.box.itemData(i) for i in range(self.box.count())]

    def set(self, name: str) -> None:
        """Show metric ``name`` (one of :meth:`choices`)."""
        self.box.setCurrentIndex(self.box.findData(name))

    def reset(self) -> None:
        """Another study: offer its metrics, the study metric shown."""
        refill(self.box, scatter_metrics(self._study), self._study.metric, labels=False)
        self._take()

    def offer(self, *_: object) -> None:
        """Metrics arrived: offer them too, keeping the one shown."""
        refill(self.box, scatter_metrics(self._study), self.key, labels=False)

    def _on_box(self, *_: object) -> None:
        self._take()
        self._changed()

    def _take(self) -> None:
        key = self.box.currentData()
        self.key = self._study.metric if key is None else str(key)
        label = self.key
        if label == self._study.metric:
            better = "lower" if self._study.direction is Direction.MINIMIZE else "higher"
            label += f" ({better} is better)"
        self._set_label(label)
