"""Which hyperparameters mattered: Optuna's importance evaluators on a study's trials.

PED-ANOVA (fast, fine live) by default, fANOVA on request where scikit-learn is installed.
:class:`ImportanceModel` keeps one in-memory Optuna study and adds only the trials it has not
seen, so recomputing during a sweep costs the evaluator, not a rebuild. Each result says
plainly when it should not be trusted yet (too few finished trials) and why a parameter is
missing (it never varied).
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import optuna
from optuna.importance import (
    FanovaImportanceEvaluator,
    PedAnovaImportanceEvaluator,
    get_param_importances,
)
from optuna.trial import create_trial

from desktop_app.core.search import SearchSpace
from desktop_app.core.search.optuna_space import distributions, to_optuna
from desktop_app.core.study import Direction, TrialState

# PED-ANOVA warns (as a UserWarning) when its two quantiles pick the same trials; the result
# says so in its note instead of a warning on the terminal.
warnings.filterwarnings("ignore", message="Target and region quantiles", category=UserWarning)

MIN_TRIALS = 20
"""Complete trials below which an importance is shown with a warning."""
METHODS = ("ped_anova", "fanova")


@dataclass(frozen=True)
class Importance:
    """Importances summing to 1, most important first, with each parameter's course group
    (1 matters most ... 4 least; 0: a hyperparameter of the user's own)."""

    method: str
    values: tuple[tuple[str, float], ...] = ()
    groups: dict[str, int] = field(default_factory=dict)
    trials: int = 0
    note: str = ""
    """Why to distrust (or why there is nothing): empty when there is nothing to say."""


class ImportanceModel:
    """The finished trials of one study, ready for Optuna's evaluators."""

    def __init__(self, space: SearchSpace, direction: Direction | str) -> None:
        self.space = space
        self._dists = distributions(space)
        self._study = optuna.create_study(direction=str(direction))
        self._seen: set[int] = set()

    def add(self, trials: Iterable[tuple[int, dict[str, Any], str, float]]) -> int:
        """Add ``(number, params, state, value)`` trials not seen yet; only complete ones
        with a finite value count. Returns how many were added."""
        new = []
        for number, params, state, value in trials:
            if number in self._seen or state != TrialState.COMPLETE or not math.isfinite(value):
                continue
            self._seen.add(number)
            values = to_optuna(self.space, params)
            if len(values) != len(self._dists):
                continue  # a trial of another space (a panda run, an older config)
            new.append(create_trial(params=values, distributions=self._dists, value=value))
        self._study.add_trials(new)
        return len(new)

    @property
    def trials(self) -> int:
        """Complete trials with a value added so far."""
        return len(self._seen)

    def compute(self, method: str = "ped_anova") -> Importance:
        """The importances by ``method`` (one of :data:`METHODS`)."""
        groups = {p.name: p.hyperparameter.group for p in self.space}
        n = len(self._study.get_trials(deepcopy=False))
        varied = [p.name for p in self.space if self._varies(p.name)]
        fixed = [p.name for p in self.space if p.name not in varied]
        if n < 2 or not varied:
            why = (f"{n} complete trial{'s' * (n != 1)}: importance needs at least 2, and a "
                   "parameter that varies" if varied or n < 2 else
                   "no searched parameter took two different values")
            return Importance(method, groups=groups, trials=n, note=why)
        try:
            evaluator = (PedAnovaImportanceEvaluator() if method == "ped_anova"
                         else FanovaImportanceEvaluator(seed=0))
            found = get_param_importances(self._study, evaluator=evaluator, params=varied,
                                          normalize=True)
        except ImportError:
            return Importance(method, groups=groups, trials=n, note=(
                "fANOVA needs scikit-learn: pip install scikit-learn (PED-ANOVA works "
                "without it)"))
        notes = []
        if n < MIN_TRIALS:
            notes.append(f"only {n} complete trials: read this as a hint (at least "
                         f"{MIN_TRIALS} to trust it)")
        if fixed:
            notes.append(f"never varied, so no importance here: {', '.join(fixed)}")
        values = tuple((name, float(v)) for name, v in found.items())
        if len(values) > 1 and len({round(v, 9) for _, v in values}) == 1:
            notes.append("every parameter came out equal: too few distinct values to tell "
                         "them apart yet")
        return Importance(method, values, groups, n, "; ".join(notes))

    def _varies(self, name: str) -> bool:
        seen = {t.params[name] for t in self._study.get_trials(deepcopy=False)}
        return len(seen) > 1
