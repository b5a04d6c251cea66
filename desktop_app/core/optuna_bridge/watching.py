"""Watching an Optuna study grow: what the window shows of it, and the core events between
two reads (so a refresh updates the views like a live sweep, never reloading them). A
:class:`Watcher` reads the study in blocks the first time (the window shows the first block
at once), then reads and translates only the trials that can have changed."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from optuna.trial import FrozenTrial

from desktop_app.core.config import parse_config
from desktop_app.core.events import EpochEnded, Event, TrialFinished, TrialStarted
from desktop_app.core.optuna_bridge.importing import Imported, OptunaSource, study_plan
from desktop_app.core.optuna_bridge.reading import (
    CaviarTrial,
    PlanTrial,
    StudyPlan,
    translate,
    trial_extras,
)
from desktop_app.core.optuna_bridge.trial_feed import spans
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
    """One study watched: :meth:`blocks` (or :meth:`first`) reads it whole, once; each
    :meth:`poll` returns the events since the read before (call them from one thread at a
    time)."""

    def __init__(self, source: OptunaSource, objective: int = 0) -> None:
        self.source = source
        self.objective = objective
        self.plan: StudyPlan | None = None
        self.total = 0
        """How many trials the first read holds (known before its first block)."""
        self._shown: dict[int, CaviarTrial] = {}
        self._keys: dict[int, tuple[object, int]] = {}

    def blocks(self) -> Iterator[Imported]:
        """The whole study as it is now (running trials stay running) in blocks of trials
        (:func:`~.trial_feed.spans`), each with the plan. The plan comes from a quick
        outline of every trial when the storage allows it, else from every trial read first."""
        source = self.source
        outline: Sequence[PlanTrial] | None = source.outline()
        parts: Iterator[list[FrozenTrial]] = source.changed()
        if outline is None:
            frozen = [t for part in parts for t in part]
            outline = frozen
            parts = (frozen[span] for span in spans(len(frozen)))
        self.total = len(outline)
        self.plan = study_plan(source, outline, self.objective)
        self._shown.clear()
        self._keys.clear()
        sent = False
        for part in parts:
            sent = True
            trials = self._take(part)
            self._shown.update((t.number, t) for t in trials)
            yield Imported(self.plan, trials,
                           {str(t.number): e for t in part if (e := trial_extras(t))})
        if not sent:
            yield Imported(self.plan, [], {})

    def first(self) -> Imported:
        """The whole study as it is now, in one piece (:meth:`blocks` joined)."""
        parts = list(self.blocks())
        return Imported(parts[0].plan, [t for p in parts for t in p.trials],
                        {k: v for p in parts for k, v in p.extras.items()})

    def poll(self) -> list[Event]:
        """Re-read what can have changed; the events that bring what was shown up to date."""
        frozen = [t for part in self.source.changed() for t in part]
        if self.plan is None:  # no first read: every trial is news
            self.plan = study_plan(self.source, self.source.feed.trials(), self.objective)
        changed = [t for t in frozen
                   if self._keys.get(t.number) != (t.state, len(t.intermediate_values))]
        now = self._take(changed)
        events = changes(self._shown, now, self.plan.name, self.plan.metric)
        self._shown.update((t.number, t) for t in now)
        return events

    def _take(self, frozen: list[FrozenTrial]) -> list[CaviarTrial]:
        """``frozen`` translated (running trials stay running), remembering what each was."""
        assert self.plan is not None
        trials = [translate(t, self.plan, live=True) for t in frozen]
        self._keys.update((t.number, (t.state, len(t.intermediate_values))) for t in frozen)
        return trials
