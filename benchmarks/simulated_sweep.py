"""A simulated live sweep for the big-study benchmark: the events of running trials at a
realistic rate, in time order, for the benchmark to apply in ~30 Hz batches as the run
controller does.

``workers`` trials run at once, each ``epochs`` epochs at ``epochs_per_second``; a worker
starts its next trial when one finishes, the workers offset so that finishes are spread
evenly (2 workers x 20 epochs/s x 20 epochs: a trial finishes every 0.5 s).
"""

from __future__ import annotations

import heapq
import itertools
import math
import random
from collections.abc import Iterator
from typing import Any

from desktop_app.core.events import EpochEnded, TrialFinished, TrialStarted


def sweep_events(study: str, first: int, params: dict[str, Any], workers: int = 2,
                 epochs: int = 20, epochs_per_second: float = 20.0) -> Iterator[tuple[float, Any]]:
    """(due time in seconds from the start, event), in time order, without end."""
    numbers = itertools.count(first)

    def worker(index: int) -> Iterator[tuple[float, Any]]:
        rng = random.Random(index)
        trial_seconds = epochs / epochs_per_second
        t0 = index * trial_seconds / workers
        while True:
            number, lr = next(numbers), 10 ** rng.uniform(-4, 0)
            yield t0, TrialStarted(study, number, {**params, "learning_rate": lr}, seed=number)
            floor = rng.uniform(0.05, 0.8)
            last = None
            for epoch in range(1, epochs + 1):
                loss = floor + math.exp(-epoch / 5) * rng.uniform(0.5, 1.5)
                last = EpochEnded(study, number, epoch, loss, 0.8, loss * 1.1, 0.8, lr,
                                  1 / epochs_per_second)
                yield t0 + epoch / epochs_per_second, last
            t0 += trial_seconds
            yield t0, TrialFinished.after(study, number, "complete", last, "val_loss",
                                          seconds=trial_seconds)

    return heapq.merge(*(worker(i) for i in range(workers)), key=lambda pair: pair[0])
