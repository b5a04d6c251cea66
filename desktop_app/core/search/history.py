"""Past trials of a resumed study, turned into Optuna trials so TPE and pruners learn from them.

Optuna sees at most :data:`HISTORY_LIMIT` past trials: the :data:`KEEP_BEST` best complete ones
and the most recent others. TPE's cost per ask and the median pruner's cost per epoch grow with
every trial they see (about 14 us per past trial and ask for TPE: 1.4 s per ask at 100,000), and
adding a trial to Optuna's study costs about 0.1 ms, so a resumed 100,000-trial study would
wait minutes before its first new trial and then run slowly. What they learn hardly changes:
TPE's "good" group is its best 25 trials (kept), its weights already fade the oldest of the
others, and a median over 10,000 curves is as good as over 100,000.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any

import optuna
from optuna.distributions import BaseDistribution

from desktop_app.core.search.optuna_space import to_optuna
from desktop_app.core.search.space import SearchSpace
from desktop_app.core.study.records import Direction, TrialState

HISTORY_LIMIT = 10_000
"""Most past trials Optuna sees (see the module docstring)."""
KEEP_BEST = 25
"""The best complete trials always kept: TPE's "good" group has at most this many."""

PastTrial = tuple[dict[str, Any], TrialState | str, float | None, Mapping[int, float]]
"""``(params, state, value, {epoch: metric})`` of one finished trial."""


def _finite(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return number if math.isfinite(number) else None


def frozen_trial(
    space: SearchSpace, dists: dict[str, BaseDistribution], past: PastTrial
) -> optuna.trial.FrozenTrial | None:
    """The Optuna record of a finished trial (None for a state that is not finished).

    complete -> COMPLETE (FAIL if its value is not finite); pruned -> PRUNED valued by its last
    epoch, as Optuna's own ``tell`` does; diverged/failed -> FAIL. Non-finite epoch values are
    left out of the curve.
    """
    params, state, value, curve = past
    state = TrialState(state)
    steps = {int(e): v for e, raw in dict(curve).items() if (v := _finite(raw)) is not None}
    optuna_state, optuna_value = optuna.trial.TrialState.FAIL, None
    if state is TrialState.COMPLETE and _finite(value) is not None:
        optuna_state, optuna_value = optuna.trial.TrialState.COMPLETE, _finite(value)
    elif state is TrialState.PRUNED:
        optuna_state = optuna.trial.TrialState.PRUNED
        optuna_value = steps[max(steps)] if steps else None
    elif not state.is_finished:
        return None
    values = to_optuna(space, params)
    return optuna.trial.create_trial(
        state=optuna_state,
        value=optuna_value,
        params=values,
        distributions={name: dists[name] for name in values},
        intermediate_values=steps,
    )


def add_history(
    study: optuna.Study,
    space: SearchSpace,
    dists: dict[str, BaseDistribution],
    history: Iterable[PastTrial],
) -> None:
    """Add every finished past trial to ``study``."""
    for past in history:
        trial = frozen_trial(space, dists, past)
        if trial is not None:
            study.add_trial(trial)


def recent_history(
    history: list[PastTrial], direction: Direction | str, limit: int = HISTORY_LIMIT
) -> list[PastTrial]:
    """At most ``limit`` of ``history`` (oldest first), in order: the :data:`KEEP_BEST` best
    complete trials with a finite value and the most recent others."""
    if len(history) <= limit:
        return history
    sign = -1.0 if direction == Direction.MAXIMIZE else 1.0
    scored = [(sign * v, i) for i, (_, state, value, _) in enumerate(history)
              if TrialState(state) is TrialState.COMPLETE and (v := _finite(value)) is not None]
    best = {i for _, i in sorted(scored)[:KEEP_BEST]}
    others = [i for i in range(len(history) - 1, -1, -1) if i not in best]
    return [history[i] for i in sorted(best.union(others[: limit - len(best)]))]
