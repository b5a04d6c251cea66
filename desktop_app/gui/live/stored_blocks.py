"""A stored study read in blocks of trials, each with its epochs as one float array.

Used by ``StudyModel.load`` (all at once) and ``StudyLoader`` (on a worker thread); no Qt.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from desktop_app.core.study import Storage, TrialRecord

BLOCK_TRIALS = 1000
"""Trials per block: small enough that adding one keeps a GUI frame short."""


@dataclass(frozen=True)
class StoredBlock:
    """Trials of a stored study with their epochs (``Storage.get_epoch_array`` rows)."""

    records: list[TrialRecord]
    epochs: np.ndarray
    total: int


def read_blocks(storage: Storage, study_id: int, total: int = 0,
                block: int = BLOCK_TRIALS) -> Iterator[StoredBlock]:
    """The study's trials in blocks of ``block`` trial numbers (numbers run 0, 1, 2, ...),
    each with the epochs of its trials, until a block is empty. ``total``: the trials the
    caller expects, for progress (0: not known)."""
    start = 0
    while True:
        records = storage.get_trial_range(study_id, start, start + block)
        if not records:
            return
        epochs = storage.get_epoch_array(study_id, start, start + block)
        yield StoredBlock(records, epochs, max(total, records[-1].number + 1))
        start += block
