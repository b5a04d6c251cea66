"""Checks every storage backend applies the same way, so both pass one contract."""

from __future__ import annotations

import math

from desktop_app.core.study.records import (
    FINISHED_STATES,
    METRIC_NAMES,
    EpochRow,
    TrialState,
    nan_if_not_finite,
)

#: States :meth:`Storage.finish_trial` accepts: the finished ones, and interrupted (a stop).
FINAL_STATES = frozenset(FINISHED_STATES | {TrialState.INTERRUPTED})


def nan_metrics() -> dict[str, float]:
    """The metrics of a trial with no epoch yet."""
    return dict.fromkeys(METRIC_NAMES, math.nan)


def final_state(state: TrialState | str) -> TrialState:
    """``state`` as a :class:`TrialState`; ``ValueError`` unless it can end a trial."""
    state = TrialState(state)
    if state not in FINAL_STATES:
        allowed = ", ".join(sorted(s.value for s in FINAL_STATES))
        raise ValueError(f"a trial cannot finish as {state.value!r}; use one of {allowed}")
    return state


def final_metrics(metrics: dict[str, float] | None) -> dict[str, float]:
    """A trainer's final metrics as plain ``{str: float}`` (empty for None), a non-finite own
    metric as NaN (as :meth:`EpochRow.plain` stores it)."""
    return {str(k): float(v) if k in METRIC_NAMES else nan_if_not_finite(v)
            for k, v in (metrics or {}).items()}


def check_can_run(study_id: int, number: int, state: TrialState) -> None:
    """``ValueError`` if the trial is finished or running: no trial runs twice at once."""
    if state in FINISHED_STATES or state is TrialState.RUNNING:
        raise ValueError(
            f"trial {number} of study {study_id} is already {state.value}; "
            "only waiting or interrupted trials can (re)start"
        )


def plain_epoch(row: EpochRow, last_epoch: int) -> EpochRow:
    """``row`` with plain Python numbers; ``ValueError`` unless its epoch follows ``last_epoch``."""
    epoch = int(row.epoch)
    if epoch < 1 or epoch <= last_epoch:
        raise ValueError(
            f"epoch {epoch} of trial {row.number} must be >= 1 and after the last stored "
            f"epoch ({last_epoch}); re-run the trial with set_trial_running to start over"
        )
    return row.plain()
