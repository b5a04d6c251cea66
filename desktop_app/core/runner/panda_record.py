"""Keep a babysat run: panda mode's one model saved as a trial of a study (no Qt).

Where it goes (:func:`keep_run`):

- into the **shown study** when there is one, no sweep is running (a sweep numbers its trials
  itself, so nothing else may add one meanwhile) and the run fits it: same data, the study's
  fixed settings, and every searched value inside the study's space. It is then one of the
  study's trials: it counts towards the budget, a resumed TPE learns from it, and it is "best"
  when it really is best;
- else (also when another program owns the shown study: it runs it now) into a **study of
  its own**, ``<name>-panda`` in the same file (created on first use
  from the dialog's config with a budget of 1, so Resume never turns it into a sweep); every
  later babysat run that cannot go to the shown study joins it.

A saved run is marked by ``panda = true`` among its params (export columns stay those of the
study's space). Its state: ``complete`` with the epochs done, also when the user stopped it
(a babysat run ends when its sitter says so); ``diverged`` and ``failed`` as in a sweep. Every
epoch row keeps the learning rate in use, so the user's changes are recorded per epoch. The
run is written in one go when it ends, holding the study's ownership (``storage.own``) while it
writes, so a trial is never half-written into a study a sweep might resume meanwhile.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from desktop_app.core.config import StudyConfig, parse_config
from desktop_app.core.data import DataSpec
from desktop_app.core.events import EpochEnded, EpochValues, Event, TrialFinished, TrialStarted
from desktop_app.core.search import Param
from desktop_app.core.study import EpochRow, Storage, StudyBusyError, TrialState

PANDA_MARK = "panda"
"""The params key (value ``True``) that marks a babysat trial."""

PANDA_SUFFIX = "-panda"
MAX_NAME = 80  # StudySettings' longest study name

_STATES = {
    "complete": TrialState.COMPLETE,
    "early_stopped": TrialState.COMPLETE,
    "stopped": TrialState.COMPLETE,
    "diverged": TrialState.DIVERGED,
}


@dataclass(frozen=True)
class BabysatRun:
    """One ended panda run: its starting hyperparameters, seed, data, epochs and how it ended.

    ``status`` is the :class:`~desktop_app.core.nn.TrainResult` status, or "failed" (then
    ``error`` says why).
    """

    hp: Mapping[str, Any]
    seed: int
    data: DataSpec
    history: Sequence[EpochValues]
    status: str
    seconds: float
    error: str = ""

    @property
    def state(self) -> TrialState:
        """The trial state it is stored with (a user's stop is ``complete``)."""
        return _STATES.get(self.status, TrialState.FAILED)


@dataclass(frozen=True)
class KeptRun:
    """Where :func:`keep_run` saved a run and the events that describe the new trial."""

    study: str
    number: int
    events: tuple[Event, ...]


def value_fits(param: Param, value: Any) -> bool:
    """Whether ``value`` is one the searched ``param`` could have given."""
    if not param.is_ranged:
        return value in param.values
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    if param.is_integer and int(value) != value:
        return False
    return param.low <= value <= param.high


def fits(config: StudyConfig, run: BabysatRun) -> bool:
    """Whether ``run`` could be a trial of the study ``config`` describes."""
    space = config.space
    fixed = {k: v for k, v in config.train.items() if k not in space.names}
    return (run.data == config.data
            and all(run.hp.get(k) == v for k, v in fixed.items())
            and all(value_fits(p, run.hp.get(p.name)) for p in space))


def panda_study_name(name: str) -> str:
    """``<name>-panda``, cut to fit the longest study name."""
    return name[: MAX_NAME - len(PANDA_SUFFIX)] + PANDA_SUFFIX


def keep_run(storage: Storage, shown: str | None, config: StudyConfig, run: BabysatRun, *,
             sweeping: bool) -> KeptRun:
    """Save ``run`` as a new trial: in the shown study when it may go there, else in
    ``<name>-panda`` (see the module doc). ``config`` is the dialog's (the panel's) config."""
    if shown is not None and not sweeping:
        stored = parse_config(storage.get_study(shown).config)
        # Another program running the shown study owns it: the run goes to <name>-panda.
        if fits(stored, run):
            with contextlib.suppress(StudyBusyError), storage.own(shown):
                return _save(storage, stored, run)
    name = panda_study_name(shown or config.study.name)
    try:
        target = parse_config(storage.get_study(name).config)
    except KeyError:
        target = config.replace(name=name, trials=1)
        storage.create_study(name, target.to_dict())
    with storage.own(name):
        return _save(storage, target, run)


def _save(storage: Storage, config: StudyConfig, run: BabysatRun) -> KeptRun:
    """Write ``run`` as the next trial of ``config``'s study (which exists)."""
    name, metric = config.study.name, config.study.metric
    study_id = storage.get_study(name).study_id
    params = {p: run.hp[p] for p in config.space.names} | {PANDA_MARK: True}
    number = storage.create_trial(study_id, params, run.seed).number
    storage.set_trial_running(study_id, number, started=time.time() - run.seconds)
    events: list[Event] = [TrialStarted(name, number, params, run.seed, worker="panda")]
    for record in run.history:
        epoch = EpochEnded.from_record(name, number, record)
        storage.add_epoch(study_id, EpochRow.from_event(epoch))
        events.append(epoch)
    storage.finish_trial(study_id, number, run.state, run.error)
    last = run.history[-1] if run.history else None
    events.append(TrialFinished.after(name, number, run.state.value, last, metric,
                                      seconds=run.seconds, error=run.error))
    return KeptRun(name, number, tuple(events))

