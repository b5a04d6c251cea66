"""Strategies: which trial to run next, and whether a running trial should stop early.

- ``random`` draws each point itself (:mod:`random_draws`: uniform on every parameter's scale,
  a pure function of the seed and the draw's index);
- ``grid`` enumerates :meth:`SearchSpace.grid` itself;
- ``quasi_random`` (scrambled Sobol) and ``tpe`` ask Optuna's sampler through an in-memory
  Optuna study (ask-and-tell).

With a pruner, every trial also goes through that Optuna study (a random or grid point as
fixed params), so the pruners see every trial's curve whatever the strategy. Random or grid
search without a pruner needs no Optuna study at all: that path costs a few microseconds a
trial (Optuna's ask/suggest/tell cost ~0.15 ms, more than the rest of Caviar's per-trial work).

Resume (``history`` = the finished trials of the study, plus :meth:`Strategy.rerun` for the
interrupted ones): past trials are added to the Optuna study when there is one, so TPE and the
pruners learn from them (at most ``HISTORY_LIMIT``, the best and the most recent: see
``history.py``). Grid skips finished (and re-run) points. Random and quasi-random continue
their sequence: a resumed study skips one point per past trial (``len(history)`` plus the
re-runs made so far), so a resumed random search continues the same stream and a Sobol
sequence continues instead of starting over; call ``rerun`` for the interrupted trials first.
Random draws are indexed, so the skip costs nothing; Sobol's skip moves QMCSampler's count of
drawn points, so a 100,000-trial study resumes in seconds. TPE is adaptive, so it is reseeded
from ``(seed, len(history))`` instead of replayed (replay would cost a TPE fit per past trial);
this keeps its random start-up trials from repeating.

Not thread-safe: one thread (the coordinator) calls it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import optuna

from desktop_app.core.errors import ConfigError
from desktop_app.core.search.history import PastTrial, add_history, recent_history
from desktop_app.core.search.optuna_space import distributions, from_optuna, to_optuna
from desktop_app.core.search.random_draws import RandomDraws
from desktop_app.core.search.samplers import make_pruner, make_sampler, sampler_seed
from desktop_app.core.search.space import SearchSpace
from desktop_app.core.study.records import Direction, TrialState

STRATEGIES = ("grid", "random", "quasi_random", "tpe")
PRUNERS = ("none", "median", "asha", "hyperband")
DIRECTIONS = tuple(Direction)

_OptunaState = optuna.trial.TrialState


@dataclass(frozen=True)
class Suggestion:
    """A trial to run: ``key`` identifies it to :class:`Strategy`; ``params`` are user values."""

    key: int
    params: dict[str, Any]


class Strategy:
    """Ask for trials, report their epochs, tell how they ended. Build it with make_strategy."""

    def __init__(
        self,
        space: SearchSpace,
        kind: str,
        study: optuna.Study,
        *,
        seed: int = 0,
        past: int = 0,
        done: Iterable[dict[str, Any]] = (),
    ) -> None:
        self.space = space
        self.kind = kind
        self._study = study
        self._dists = distributions(space)
        self._prunes = not isinstance(study.pruner, optuna.pruners.NopPruner)
        self.uses_optuna = self._prunes or kind in ("quasi_random", "tpe")
        self._live: dict[int, optuna.Trial | None] = {}
        self._next_key = 0  # keys of trials that have no Optuna trial
        self._reported: dict[int, set[int]] = {}
        self._draws = RandomDraws(space, seed) if kind == "random" else None
        self._drawn = past  # random: the index of the next draw
        self._replaying = kind == "quasi_random"
        self._to_replay = past if self._replaying else 0
        self._done = {self._point(params) for params in done}
        self._grid: Iterator[dict[str, Any]] | None = None
        self.budget_hint: int | None = None
        if kind == "grid":
            self.budget_hint = space.check_grid()
            self._grid = (p for p in space.grid() if self._point(p) not in self._done)

    def ask(self) -> Suggestion | None:
        """The next trial; None once a grid is exhausted (samplers never run out)."""
        if self._grid is not None:
            params = next(self._grid, None)
            return None if params is None else self._fixed(params)
        if self._draws is not None:
            self._drawn += 1
            return self._fixed(self._draws.draw(self._drawn - 1))
        self._replay()
        trial = self._study.ask(self._dists)
        return self._start(trial, from_optuna(self.space, trial.params))

    def rerun(self, params: dict[str, Any]) -> Suggestion:
        """An interrupted trial run again with exactly ``params`` (under a new key)."""
        self._done.add(self._point(params))
        self._drawn += 1
        if self._replaying:
            self._to_replay += 1
        return self._fixed(dict(params))

    def report(self, key: int, epoch: int, value: float) -> bool:
        """Record the metric after ``epoch`` (from 1); True when the trial should stop now.

        A NaN or infinite value is recorded as NaN (the median pruner prunes such a trial).
        Reporting the same epoch twice keeps the first value. Without a pruner nothing reads
        the curves of running trials, so nothing is recorded.
        """
        trial = self._live[key]
        if not self._prunes:
            return False
        seen = self._reported.setdefault(key, set())
        if epoch not in seen:
            seen.add(epoch)
            number = float(value)
            trial.report(number if math.isfinite(number) else math.nan, step=int(epoch))
        return bool(trial.should_prune())

    def tell(self, key: int, state: TrialState | str, value: float | None = None) -> None:
        """How a trial ended: complete (with its metric), pruned, diverged/failed, interrupted.

        Interrupted trials are told nothing: they will be re-run with :meth:`rerun`.
        """
        state = TrialState(state)
        if not state.is_finished and state is not TrialState.INTERRUPTED:
            raise ValueError(f"cannot tell a trial that is still {state.value}")
        trial = self._live.pop(key)
        self._reported.pop(key, None)
        if trial is None or state is TrialState.INTERRUPTED:
            return
        finite = value is not None and math.isfinite(float(value))
        if state is TrialState.COMPLETE and finite:
            self._study.tell(trial, float(value))
        elif state is TrialState.PRUNED:
            self._study.tell(trial, state=_OptunaState.PRUNED)
        else:
            self._study.tell(trial, state=_OptunaState.FAIL)

    def _point(self, params: dict[str, Any]) -> tuple[Any, ...]:
        return tuple(params.get(name) for name in self.space.names)

    def _fixed(self, params: dict[str, Any]) -> Suggestion:
        if not self.uses_optuna:
            self._next_key += 1
            self._live[self._next_key] = None
            return Suggestion(self._next_key, params)
        self._study.enqueue_trial(to_optuna(self.space, params))
        return self._start(self._study.ask(self._dists), params)

    def _start(self, trial: optuna.Trial, params: dict[str, Any]) -> Suggestion:
        self._live[trial.number] = trial
        return Suggestion(trial.number, params)

    def _replay(self) -> None:
        """Draw and discard one point per past trial (all asked before any is told, so a Sobol
        sampler counts them as pending points of its sequence)."""
        if not self._replaying:
            return
        self._replaying = False
        sampler = self._study.sampler
        if isinstance(sampler, optuna.samplers.QMCSampler) and self._to_replay > 1:
            self._skip_sobol()
            return
        skipped = [self._study.ask(self._dists) for _ in range(self._to_replay)]
        for trial in skipped:
            self._study.tell(trial, state=_OptunaState.FAIL)

    def _skip_sobol(self) -> None:
        """Sobol replay without a scrambled engine per skipped point: draw the first point,
        then move QMCSampler's counter of drawn points (a study attribute) to the last."""
        skipped = self._study.ask(self._dists)
        storage, study_id = self._study._storage, self._study._study_id
        for key, drawn in storage.get_study_system_attrs(study_id).items():
            if key.startswith("qmc:"):
                storage.set_study_system_attr(study_id, key, drawn + self._to_replay - 1)
        self._study.tell(skipped, state=_OptunaState.FAIL)


def make_strategy(
    space: SearchSpace,
    kind: str,
    *,
    seed: int,
    direction: str,
    pruner: str = "none",
    max_epochs: int | None,
    history: Iterable[PastTrial] = (),
) -> Strategy:
    """A seeded strategy over ``space``: same space, kind and seed give the same asks.

    ``kind`` in STRATEGIES, ``pruner`` in PRUNERS, ``direction`` "maximize" or "minimize",
    ``max_epochs`` the epochs of a full trial (Hyperband's maximum resource; None: unknown, Optuna
    finds it from the first finished trials). ``history`` holds
    the finished trials of a resumed study as ``(params, state, value, {epoch: value})``.
    A grid above ``MAX_GRID`` raises SpaceError saying its size.
    """
    _check_choice("study.strategy", kind, STRATEGIES)
    _check_choice("study.pruner", pruner, PRUNERS)
    _check_choice("study.direction", direction, DIRECTIONS)
    if max_epochs is not None and (
            isinstance(max_epochs, bool) or not isinstance(max_epochs, int) or max_epochs < 1):
        raise ConfigError("train.epochs", f"must be a whole number >= 1 (got {max_epochs!r})")
    past = list(history)
    resumed = len(past) if kind == "tpe" else 0
    study = optuna.create_study(
        direction=direction,
        sampler=make_sampler(kind, sampler_seed(seed, resumed)),
        pruner=make_pruner(pruner, max_epochs),
    )
    strategy = Strategy(space, kind, study, seed=seed, past=len(past), done=(p[0] for p in past))
    if strategy.uses_optuna:
        add_history(study, space, distributions(space), recent_history(past, direction))
    return strategy


def _check_choice(field: str, value: Any, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        raise ConfigError(field, f"must be one of {', '.join(allowed)} (got {value!r})")
