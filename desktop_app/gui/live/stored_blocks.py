"""A stored study read in blocks of trials, each with its epochs as one float array.

Used by ``StudyModel.load`` (all at once) and ``StudyLoader`` (on a worker thread); no Qt.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import numpy as np

from desktop_app.core.study import METRIC_NAMES, Storage, TrialRecord

BLOCK_TRIALS = 1000
"""Trials per block: small enough that adding one keeps a GUI frame short."""


@dataclass(frozen=True)
class StoredBlock:
    """Trials of a stored study with their epochs (``Storage.get_epoch_array`` rows); for a
    trainer of the user's own also ``own``: each own metric's ``Storage.get_metric_array``
    rows, and ``names``: every metric the study's trials reported."""

    records: list[TrialRecord]
    epochs: np.ndarray
    total: int
    own: dict[str, np.ndarray] = field(default_factory=dict)
    names: tuple[str, ...] = ()


def read_blocks(storage: Storage, study_id: int, total: int = 0,
                block: int = BLOCK_TRIALS) -> Iterator[StoredBlock]:
    """The study's trials in blocks of ``block`` trial numbers (numbers run 0, 1, 2, ...),
    each with the epochs of its trials, until a block is empty. ``total``: the trials the
    caller expects, for progress (0: not known). The built-in metrics come in one bulk read
    per block; each own metric (none for Caviar's network) in one more."""
    names = tuple(storage.metric_names(study_id))
    own = [name for name in names if name not in METRIC_NAMES]
    start = 0
    while True:
        records = storage.get_trial_range(study_id, start, start + block)
        if not records:
            return
        epochs = storage.get_epoch_array(study_id, start, start + block)
        extra = {name: storage.get_metric_array(study_id, name, start, start + block)
                 for name in own}
        yield StoredBlock(records, epochs, max(total, records[-1].number + 1), extra, names)
        start += block


def own_slices(own: dict[str, np.ndarray], keys: np.ndarray
               ) -> Callable[[int], dict[str, np.ndarray] | None]:
    """For the trials numbered ``keys`` (sorted), a function giving the ``i``-th one's own
    metrics per epoch from ``own`` (``get_metric_array`` rows per name); None without any."""
    if not own:
        return lambda _i: None
    bounds = {name: (np.searchsorted(rows[:, 0], keys, "left"),
                     np.searchsorted(rows[:, 0], keys, "right"), rows[:, 2])
              for name, rows in own.items()}

    def pick(i: int) -> dict[str, np.ndarray] | None:
        found = {name: values[starts[i]:ends[i]]
                 for name, (starts, ends, values) in bounds.items() if ends[i] > starts[i]}
        return found or None

    return pick
