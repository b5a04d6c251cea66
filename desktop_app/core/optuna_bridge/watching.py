"""Watching an Optuna study grow: what the window shows of it, and the core events between
two reads (so a refresh updates the views like a live sweep, never reloading them). A
:class:`Watcher` translates only the trials that changed since its last read."""

from __future__ import annotations

from typing import Any

from desktop_app.core.config import parse_config
from desktop_app.core.events import EpochEnded, Event, TrialFinished, TrialStarted
from desktop_app.core.optuna_bridge.importing import Imported, OptunaSource, read_study
from desktop_app.core.optuna_bridge.reading import CaviarTrial, StudyPlan, read_plan, translate
from desktop_app.core.optuna_bridge.view_space import SpecSpace
from desktop_app.core.study import TrialState


def view_space(plan: StudyPlan) -> Any:
    """Caviar's own ``SearchSpace`` when the study's parameters are Caviar's (the panel and
    Resume understand it), else a :class:`SpecSpace` of the Optuna distributions."""
    if plan.resume_problem:
        return SpecSpace(plan.specs)
    return parse_config(plan.config).space


def changes(shown: dict[int, CaviarTrial], now: list[CaviarTrial], study: str,
            metric: str) -> list[Event]:
    """The events that turn trials ``shown`` into trials ``now``: a trial that started, the
    epochs a running trial reported since, the end of one that finished. Waiting trials
    (enqueued, not started) are not news; finished trials never change."""
    events: list[Event] = []
    for trial in now:
        old = shown.get(trial.number)
        if trial.state is TrialState.WAITING:
            continue
        if old is None or old.state is TrialState.WAITING:
            events.append(TrialStarted(study, trial.number, dict(trial.params), trial.seed))
            done = 0
        elif old.state is TrialState.RUNNING:
            done = len(old.rows)
        else:
            continue
        events.extend(EpochEnded.from_record(study, trial.number, row)
                      for row in trial.rows[done:])
        if trial.state is not TrialState.RUNNING:
            last = trial.rows[-1] if trial.rows else None
            events.append(TrialFinished.after(study, trial.number, trial.state.value, last,
                                              metric, seconds=0.0, error=trial.error))
    return events


class Watcher:
    """One study watched: :meth:`first` reads it whole, each :meth:`poll` returns the events
    since the read before (call them from one thread at a time)."""

    def __init__(self, source: OptunaSource, objective: int = 0) -> None:
        self.source = source
        self.objective = objective
        self.plan: StudyPlan | None = None
        self._shown: dict[int, CaviarTrial] = {}
        self._keys: dict[int, tuple[object, int]] = {}

    def first(self) -> Imported:
        """The whole study as it is now (running trials stay running)."""
        imported = read_study(self.source, self.objective, live=True)
        self.plan = imported.plan
        self._shown = {t.number: t for t in imported.trials}
        self._keys = {t.number: (t.state, len(t.intermediate_values))
                      for t in self.source.trials()}
        return imported

    def poll(self) -> list[Event]:
        """Re-read the study; the events that bring what was shown up to date."""
        frozen = self.source.trials()
        if len(frozen) != len(self._keys) or self.plan is None:
            self.plan = read_plan(self.source.study, frozen, self.objective)
        changed = []
        for trial in frozen:
            key = (trial.state, len(trial.intermediate_values))
            if self._keys.get(trial.number) != key:
                self._keys[trial.number] = key
                changed.append(translate(trial, self.plan, live=True))
        events = changes(self._shown, changed, self.plan.name, self.plan.metric)
        self._shown.update((t.number, t) for t in changed)
        return events
