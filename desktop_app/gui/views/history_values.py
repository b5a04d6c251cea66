"""The complete trials' values by trial number, as the history view draws them, kept up to
date trial by trial: a frame of a sweep costs the trials that changed, not a pass over all
100,000 of them (which took ~65 ms in Python)."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from desktop_app.core.study import TrialState
from desktop_app.gui.live.study_model import StudyModel


class CompleteValues:
    """Trial number -> the study metric of each complete trial (NaN when it has none)."""

    def __init__(self, study: StudyModel) -> None:
        self._study = study
        self._values: dict[int, float] = {}
        self._arrays: tuple[np.ndarray, np.ndarray] | None = None

    def rebuild(self) -> None:
        """Every trial anew (a new study)."""
        study = self._study
        self._values = {t.number: study.value(t.number) for t in study.trials()
                        if t.state is TrialState.COMPLETE}
        self._arrays = None

    def update(self, numbers: Iterable[int]) -> tuple[list[int], list[int]]:
        """These trials anew: (those with a new or changed finite value, those whose point
        went: no longer complete, or no finite value any more)."""
        study, values = self._study, self._values
        numbers = sorted(numbers)
        if any(n in values for n in numbers):
            self._arrays = None  # a complete trial changed: the arrays anew when asked for
        added: list[int] = []
        changed: list[int] = []
        gone: list[int] = []
        for number in numbers:
            old = values.pop(number, None)
            if number in study and study.trial(number).state is TrialState.COMPLETE:
                value = values[number] = study.value(number)
                added.append(number)
                if np.isfinite(value):
                    if value != old:
                        changed.append(number)
                    continue
            if old is not None and np.isfinite(old):
                gone.append(number)
        if self._arrays is not None and added:  # only new complete trials: put them in place
            more = np.array([values[n] for n in added], dtype=float)
            more[~np.isfinite(more)] = np.nan
            at = np.searchsorted(self._arrays[0], added)
            self._arrays = (np.insert(self._arrays[0], at, added),
                            np.insert(self._arrays[1], at, more))
        return changed, gone

    def arrays(self) -> tuple[np.ndarray, np.ndarray]:
        """(trial numbers as floats, their values) in trial-number order; NaN where a value
        is not finite."""
        if self._arrays is None:
            count = len(self._values)
            numbers = np.fromiter(self._values.keys(), dtype=float, count=count)
            values = np.fromiter(self._values.values(), dtype=float, count=count)
            order = np.argsort(numbers, kind="stable")
            numbers, values = numbers[order], values[order]
            values[~np.isfinite(values)] = np.nan
            self._arrays = numbers, values
        return self._arrays

    def value(self, number: int) -> float | None:
        """Trial ``number``'s value if it is complete, else None."""
        return self._values.get(number)
