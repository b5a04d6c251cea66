"""The trials the parallel view and the map draw, cached as numpy rows: each drawn trial's
internal coordinate on every parameter axis, and its metric value in the last column.

Rows are computed column-wise for a batch of trials (the new or changed ones each frame), so
a finishing trial costs its own row, not a pass over every trial.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from desktop_app.gui.live.study_model import StudyModel
from desktop_app.gui.views.parallel_axes import AxisSpec, axis_specs
from desktop_app.gui.views.view_hints import drawable


class TrialRows:
    """Internal coordinates of the drawn trials, one row each (metric value last)."""

    def __init__(self, study: StudyModel) -> None:
        self._study = study
        self.specs: list[AxisSpec] = []
        self._rows: dict[int, np.ndarray] = {}
        self._numbers = np.zeros(0, dtype=int)
        self._internal = np.zeros((0, 1))
        self._fresh = True

    def rebuild(self) -> None:
        """Axes from the study's space (or its trials) and every trial's row anew."""
        study = self._study
        trials = study.trials()
        self.specs = axis_specs(study.space, study.param_names(), trials)
        self._rows = {}
        self._fresh = False
        self.update(t.number for t in trials)

    def update(self, numbers: Iterable[int]) -> bool:
        """Recompute these trials' rows (dropping those no longer drawn); False when a value
        needs an axis the specs lack (a new category): :meth:`rebuild` then."""
        study = self._study
        if study.space is None and len(study.param_names()) != len(self.specs):
            return False  # an opened study's trials name a parameter not seen yet
        numbers = [n for n in numbers if n in study]
        keep = [n for n in numbers if drawable(study, n)]
        for number in numbers:
            self._rows.pop(number, None)
        self._fresh = False
        if not keep:
            return True
        trials = [study.trial(n) for n in keep]
        columns = []
        for spec in self.specs:
            values = [t.params.get(spec.name) for t in trials]
            if not spec.takes(values):
                return False
            columns.append(spec.internal(values))
        columns.append(np.array([study.value(n) for n in keep], dtype=float))
        block = np.column_stack(columns)
        self._rows.update(zip(keep, block, strict=True))
        return True

    def arrays(self) -> tuple[np.ndarray, np.ndarray]:
        """(trial numbers, internal coordinates with the metric last), rows in one order."""
        if not self._fresh:
            self._fresh = True
            width = len(self.specs) + 1
            self._numbers = np.fromiter(self._rows, dtype=int, count=len(self._rows))
            self._internal = (np.vstack(list(self._rows.values())) if self._rows
                              else np.zeros((0, width)))
        return self._numbers, self._internal

    def __len__(self) -> int:
        return len(self._rows)
