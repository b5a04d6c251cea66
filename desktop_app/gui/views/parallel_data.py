"""The trials the parallel view and the map draw, cached as numpy rows: each drawn trial's
internal coordinate on every parameter axis, and its metric value in the last column.

Rows are computed column-wise for a batch of trials (the new or changed ones each frame), so
a finishing trial costs its own row, not a pass over every trial; they live in one growing
array (a slot per trial), so handing them out is one copy, not a stack of 100,000 rows.
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
        self._slots: dict[int, int] = {}  # trial number -> its row in _block
        self._block = np.zeros((0, 1))
        self._owner = np.zeros(0, dtype=int)  # trial number of each slot, -1 when free
        self._used = 0
        self._numbers = np.zeros(0, dtype=int)
        self._internal = np.zeros((0, 1))
        self._fresh = True

    def rebuild(self) -> None:
        """Axes from the study's space (or its trials) and every trial's row anew."""
        study = self._study
        trials = study.trials()
        self.specs = axis_specs(study.space, study.param_names(), trials)
        self._slots, self._used = {}, 0
        self._block = np.zeros((max(len(trials), 64), len(self.specs) + 1))
        self._owner = np.full(len(self._block), -1, dtype=int)
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
            slot = self._slots.pop(number, None)
            if slot is not None:
                self._owner[slot] = -1
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
        self._store(keep, np.column_stack(columns))
        return True

    def _store(self, numbers: list[int], block: np.ndarray) -> None:
        """Put ``block``'s rows in new slots at the end (growing, or compacting, the array)."""
        if self._used + len(numbers) > len(self._block):
            live = np.flatnonzero(self._owner[:self._used] >= 0)
            size = max(2 * (len(live) + len(numbers)), 64)
            grown = np.zeros((size, self._block.shape[1]))
            grown[:len(live)] = self._block[live]
            owner = np.full(size, -1, dtype=int)
            owner[:len(live)] = self._owner[live]
            self._block, self._owner, self._used = grown, owner, len(live)
            self._slots = {int(n): i for i, n in enumerate(owner[:len(live)])}
        start = self._used
        self._block[start:start + len(numbers)] = block
        self._owner[start:start + len(numbers)] = numbers
        self._slots.update(zip(numbers, range(start, start + len(numbers)), strict=True))
        self._used += len(numbers)

    def arrays(self) -> tuple[np.ndarray, np.ndarray]:
        """(trial numbers, internal coordinates with the metric last), rows in one order."""
        if not self._fresh:
            self._fresh = True
            live = np.flatnonzero(self._owner[:self._used] >= 0)
            self._numbers = self._owner[live]
            self._internal = self._block[live].reshape(len(live), len(self.specs) + 1)
        return self._numbers, self._internal

    def __len__(self) -> int:
        return len(self._slots)
