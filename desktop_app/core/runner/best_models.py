"""Keep the trained models of a study's best ``k`` trials, and only those.

A trial's model arrives as the ``.npz`` bytes its trainer saved (``TrialFinished.weights``);
the storage holds at most ``k`` of them per study, so a 100,000-trial sweep does not keep
100,000 networks. The ranking is the study's: :func:`~desktop_app.core.study.is_better` on the
metric, the lower trial number winning a tie (as ``best_trial`` does).
"""

from __future__ import annotations

import math

from desktop_app.core.study import Direction, Storage, TrialRecord


class BestModels:
    """The models kept for one study; ``k == 0`` keeps none."""

    def __init__(self, storage: Storage, study_id: int, k: int, direction: Direction | str,
                 metric: str, trials: list[TrialRecord]) -> None:
        self._storage = storage
        self._study_id = study_id
        self._k = k
        self._sign = -1.0 if direction == Direction.MAXIMIZE else 1.0
        kept = set(storage.weights_numbers(study_id))
        self._kept = {t.number: t.metrics.get(metric, math.nan)
                      for t in trials if t.number in kept}

    @property
    def numbers(self) -> list[int]:
        """The trials whose model is kept, best first."""
        return [n for n, _ in sorted(self._kept.items(), key=self._rank)]

    def offer(self, number: int, value: float, weights: bytes) -> None:
        """Keep trial ``number``'s model if it is among the best ``k`` (dropping the one it
        pushes out); a model without a finite value is never kept."""
        if self._k <= 0 or not weights or not math.isfinite(value):
            return
        ranked = sorted([*self._kept.items(), (number, value)], key=self._rank)
        keep = dict(ranked[: self._k])
        if number in keep:
            self._storage.put_weights(self._study_id, number, weights)
        for dropped in self._kept.keys() - keep.keys():
            self._storage.drop_weights(self._study_id, dropped)
        self._kept = keep

    def _rank(self, item: tuple[int, float]) -> tuple[float, int]:
        number, value = item
        return (self._sign * value if math.isfinite(value) else math.inf, number)
