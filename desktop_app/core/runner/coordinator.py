"""The coordinator: asks the strategy for trials, runs them on an executor, stores and yields
every event.

One study, one generator: :meth:`Coordinator.run` creates the study (or resumes it) and yields
:class:`TrialStarted`, :class:`EpochEnded`, :class:`TrialFinished` and, last,
:class:`StudyFinished`. Every event is in the storage before it is yielded: a *round* (the
events the executor has, the trials launched into the slots they free, and more of the same
while events keep coming within 2 ms, for at most 20 ms) is stored in one ``Storage.batch``
(one commit), which ends before any of its events is yielded. So a finished trial the driver
(command line, window) shows is already durable; ``kill -9`` loses at most the last round's
trials, which no one was told had finished and which a resume runs again. For thousands of
instant trials this is one commit per ~20 ms instead of one per trial.
:meth:`Coordinator.stop` may be called from any thread or a signal handler.

Ownership: a coordinator owns its study (``Storage.own``) from construction to the end of
:meth:`Coordinator.run`, so a second program that tries to run the same study is refused at
once; trials it finds still running belonged to a dead owner and are interrupted, then re-run.

Lost trials: a trial that ends ``interrupted`` although nobody stopped or pruned it lost its
worker (a process killed or out of memory, a Dask worker gone). Whatever the executor, it runs
again under the same number, parameters and seed, once: losing its worker a second time in
this run makes it ``failed`` with the executor's reason, counted in the budget.
"""

from __future__ import annotations

import contextlib
import math
import time
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

from desktop_app.core.config import StudyConfig
from desktop_app.core.events import (
    EpochEnded,
    Event,
    Notice,
    StudyFinished,
    TrialFinished,
    TrialStarted,
    epoch_metrics,
)
from desktop_app.core.runner.best_models import BestModels
from desktop_app.core.runner.executor import Executor
from desktop_app.core.runner.factory import make_executor
from desktop_app.core.runner.progress import Progress, ProgressTracker
from desktop_app.core.runner.resumable import check_resumable, strategy_history
from desktop_app.core.runner.task import TrialTask, trial_seed
from desktop_app.core.search import Strategy, make_strategy
from desktop_app.core.study import (
    FINISHED_STATES,
    Direction,
    EpochRow,
    Storage,
    StudyRecord,
    TrialRecord,
    TrialState,
    best_trial,
)

POLL_SECONDS = 0.05
GROUP_WAIT_S = 0.002  # a round of events takes the next ones that come within this...
GROUP_SECONDS = 0.02  # ...for at most this long: one commit for many short trials
STOP_SECONDS = 30.0
LOST_RUNS = 2  # a trial that loses its worker this many times in one run is failed
_UNFINISHED = (TrialState.WAITING, TrialState.INTERRUPTED)


@dataclass
class _Flight:
    """A trial handed to the executor and not finished yet."""

    key: Any
    pruned: bool = False
    last: EpochEnded | None = None


class Coordinator:
    """Runs ``config``'s sweep into ``storage`` on ``executor`` (default: the config's)."""

    def __init__(
        self, storage: Storage, config: StudyConfig, executor: Executor | None = None
    ) -> None:
        self.storage = storage
        self.config = config
        existing = check_resumable(storage, config)  # before an executor holds resources
        self._ownership = storage.own(config.study.name)  # StudyBusyError: someone runs it
        try:
            self._executor = executor or make_executor(
                config.study.executor, config.study.workers, config.study.scheduler
            )
        except BaseException:
            self._ownership.release()
            raise
        self._stop_requested = False
        self._study_id: int | None = None
        self._flights: dict[int, _Flight] = {}
        self._reruns: deque[TrialRecord] = deque()
        self._lost: dict[int, int] = {}  # trial number -> times it lost its worker
        self._finished = 0
        self._next_number = 0
        self._exhausted = False
        self._notices: list[Notice] = []
        self._metric_checked = False
        # read once (100,000 trials take a second); nobody else changes them while we own it
        self._stored = storage.get_trials(existing.study_id) if existing else []
        self._tracker = self._new_tracker(
            [t for t in self._stored if t.state in FINISHED_STATES]
        )

    @property
    def study_id(self) -> int:
        """The storage id of the study (known once :meth:`run` has started)."""
        if self._study_id is None:
            raise RuntimeError("the study is opened when run() starts")
        return self._study_id

    def progress(self) -> Progress:
        """Trials done/total (counting a resumed study's earlier trials), running, best, ETA."""
        return self._tracker.progress()

    def stop(self) -> None:
        """Ask the sweep to stop: running trials end within a mini-batch as interrupted.

        Only sets a flag (safe from any thread and from a signal handler); :meth:`run` notices
        it within a poll interval, then yields the last events and ``StudyFinished(stopped)``.
        """
        self._stop_requested = True

    def run(self) -> Iterator[Event]:
        """Run the sweep until its budget of finished trials is met or :meth:`stop` is called.

        The study's ownership is released when this generator ends, however it ends.
        """
        try:
            strategy = self._open()
            events: list[Event] = []
            while True:
                for event in self._round(strategy, events):
                    yield from self._emit(event)
                if self._stop_requested or not self._flights:
                    break
                events = self._executor.poll(POLL_SECONDS)
            if self._stop_requested:
                yield from self._wind_down(strategy)
            last = self._study_finished()
            self._tracker.update(last)
            yield last
        finally:
            try:
                self._executor.shutdown(wait=True)
                for number in list(self._flights):  # closed early or an error: stay resumable
                    with contextlib.suppress(KeyError):  # gone with a batch an error rolled back
                        self.storage.finish_trial(self.study_id, number, TrialState.INTERRUPTED)
                self._flights.clear()
            finally:
                self._ownership.release()

    # --- opening ----------------------------------------------------------------------------
    def _open(self) -> Strategy:
        """Create the study or resume it; return a strategy that knows its finished trials."""
        config = self.config
        try:
            record: StudyRecord = self.storage.get_study(config.study.name)
        except KeyError:
            record = self.storage.create_study(config.study.name, config.to_dict())
        sid = self._study_id = record.study_id
        # we own it: a running trial's owner is dead
        interrupted = set(self.storage.interrupt_running(sid))
        trials = [replace(t, state=TrialState.INTERRUPTED) if t.number in interrupted else t
                  for t in self._stored]
        self._stored = []
        finished = [t for t in trials if t.state in FINISHED_STATES]
        self._finished = len(finished)
        self._next_number = max((t.number for t in trials), default=-1) + 1
        wanted = max(0, config.budget() - self._finished)
        self._reruns = deque([t for t in trials if t.state in _UNFINISHED][:wanted])
        self._tracker = self._new_tracker(finished)
        self._models = BestModels(self.storage, sid, config.study.keep_weights,
                                  config.study.direction, config.study.metric, finished)
        return make_strategy(
            config.space, config.study.strategy,
            seed=config.study.seed, direction=config.study.direction,
            pruner=config.study.pruner, max_epochs=config.epochs,
            history=strategy_history(self.storage, sid, config, finished),
        )

    def _new_tracker(self, finished: list[TrialRecord]) -> ProgressTracker:
        """A progress tracker that starts from the study's finished trials."""
        study = self.config.study
        return ProgressTracker(
            self.config.budget(), study.direction, epochs=self.config.epochs,
            done=len(finished), **_best(finished, study.metric, study.direction),
        )

    def _round(self, strategy: Strategy, events: list[Event]) -> list[Event | None]:
        """Store ``events`` and launch trials into the free slots; while the executor has more
        events within :data:`GROUP_WAIT_S`, take those too, for up to :data:`GROUP_SECONDS`.
        All in one ``Storage.batch``: one commit, before the caller yields any of it."""
        handled: list[Event | None] = []
        deadline = time.monotonic() + GROUP_SECONDS
        with self.storage.batch():
            while True:
                handled.extend(self._handle(event, strategy) for event in events)
                if self._stop_requested:
                    break
                self._launch(strategy)
                if not self._flights or time.monotonic() >= deadline:
                    break
                events = self._executor.poll(GROUP_WAIT_S)
                if not events:
                    break
        return handled

    # --- launching --------------------------------------------------------------------------
    def _wanted(self) -> int:
        """Trials still to start so the finished ones reach the budget."""
        if self._exhausted and not self._reruns:
            return 0
        return self.config.budget() - self._finished - len(self._flights)

    def _launch(self, strategy: Strategy) -> None:
        """Fill the executor's free slots: interrupted trials first, then new ones."""
        study = self.config.study
        while self._executor.free_slots() > 0 and self._wanted() > 0:
            if self._reruns:
                trial = self._reruns.popleft()
                key = strategy.rerun(trial.params).key
                number, params, seed = trial.number, trial.params, trial.seed
            else:
                suggestion = strategy.ask()
                if suggestion is None:
                    self._exhausted = True
                    return
                number, key, params = self._next_number, suggestion.key, suggestion.params
                seed = trial_seed(study.seed, number)
                created = self.storage.create_trial(self.study_id, params, seed)
                if created.number != number:
                    raise RuntimeError(
                        f"study {study.name!r} was changed by another program while it ran "
                        f"(expected trial {number}, got {created.number})"
                    )
                self._next_number += 1
            self._flights[number] = _Flight(key)
            self._executor.submit(TrialTask(
                study=study.name, number=number, params=dict(params),
                fixed=dict(self.config.train), seed=seed, data=self.config.data,
                metric=study.metric, trainer=self.config.trainer,
            ))

    # --- events -----------------------------------------------------------------------------
    def _handle(self, event: Event, strategy: Strategy) -> Event | None:
        """Store one executor event and tell the strategy; return what to yield (or None)."""
        flight = self._flights.get(getattr(event, "number", -1))
        if flight is None:
            return None  # not ours (or late news of a trial already settled)
        if isinstance(event, TrialStarted):
            self.storage.set_trial_running(self.study_id, event.number)
            return event
        if isinstance(event, EpochEnded):
            return self._epoch(flight, event, strategy)
        if isinstance(event, TrialFinished):
            return self._trial_finished(flight, event, strategy)
        return None

    def _epoch(self, flight: _Flight, event: EpochEnded, strategy: Strategy) -> Event | None:
        if flight.pruned:
            return None  # the worker ran on while the prune decision travelled: not counted
        self.storage.add_epoch(self.study_id, EpochRow.from_event(event))
        flight.last = event
        value = event.metric(self.config.study.metric)
        if not self._stop_requested and strategy.report(flight.key, event.epoch, value):
            flight.pruned = True
            self._executor.cancel(event.number)
        return event

    def _trial_finished(
        self, flight: _Flight, event: TrialFinished, strategy: Strategy
    ) -> TrialFinished:
        """Store how a trial ended. The event's metrics and value are the worker's, except for
        a pruned trial or when the epochs counted here differ from the worker's (epochs run
        after a prune decision are not counted; a worker that died reported none): the result
        is then as of the last counted epoch, which is also what the storage holds."""
        del self._flights[event.number]
        state = TrialState(event.state)
        last = flight.last
        if flight.pruned or event.epochs != (last.epoch if last else 0):
            event = event.at_epoch(last, self.config.study.metric)
        if flight.pruned and state in (TrialState.INTERRUPTED, TrialState.COMPLETE):
            state = TrialState.PRUNED
        lost = state is TrialState.INTERRUPTED and not self._stop_requested
        if lost:  # nobody asked: its worker was lost
            self._lost[event.number] = self._lost.get(event.number, 0) + 1
            if self._lost[event.number] >= LOST_RUNS:
                state, lost = TrialState.FAILED, False
                event = replace(event, error=f"{event.error or 'its worker was lost'} (it lost "
                                             f"its worker {LOST_RUNS} times: not run again)")
        if event.state != state.value:
            event = replace(event, state=state.value)
        self.storage.finish_trial(self.study_id, event.number, state, event.error,
                                  metrics=_final_only(event.metrics, last), log=event.log)
        self._check_metric(event)
        if state is TrialState.COMPLETE:
            self._models.offer(event.number, event.value, event.weights)
        strategy.tell(flight.key, state, event.value)
        if state in FINISHED_STATES:
            self._finished += 1
        elif lost:
            self._reruns.append(self.storage.get_trial(self.study_id, event.number))
        return event

    def _check_metric(self, event: TrialFinished) -> None:
        """After the first trial that reported anything: say once if the study metric was not
        among what it reported (the sweep goes on; its trials cannot be ranked)."""
        if self._metric_checked:
            return
        reported = sorted(k for k, v in event.metrics.items() if not math.isnan(v))
        if not reported:
            return
        self._metric_checked = True
        metric = self.config.study.metric
        if metric not in reported:
            self._notices.append(Notice(self.config.study.name, (
                f"trial {event.number} did not report the study metric {metric!r} (it "
                f"reported {', '.join(reported)}): set [study] metric to one of those, or "
                f"report {metric} from your trainer; until then no trial can be ranked")))

    def _emit(self, event: Event | None) -> Iterator[Event]:
        if event is not None:
            self._tracker.update(event)
            yield event
        while self._notices:
            yield self._notices.pop(0)

    # --- ending -----------------------------------------------------------------------------
    def _wind_down(self, strategy: Strategy) -> Iterator[Event]:
        """Cancel the running trials and report how they end (within one mini-batch)."""
        for number in self._flights:
            self._executor.cancel(number)
        deadline = time.monotonic() + STOP_SECONDS
        while self._flights and time.monotonic() < deadline:
            events = self._executor.poll(POLL_SECONDS)
            with self.storage.batch():
                handled = [self._handle(event, strategy) for event in events]
            for event in handled:
                yield from self._emit(event)

    def _study_finished(self) -> StudyFinished:
        """The closing event; a stop that came once the budget was met stopped nothing. The
        count and the best are the tracker's (it started from the stored trials and saw every
        event since): reading 100,000 trials back would take a second."""
        config, finished = self.config, self._finished
        stopped = self._stop_requested and finished < config.budget()
        message = ""
        if self._exhausted and finished < config.budget():
            message = (f"the {config.study.strategy} strategy has no more trials to suggest: "
                       f"{finished} of {config.budget()} ran")
        return StudyFinished(
            study=config.study.name, finished=finished, budget=config.budget(),
            best_number=self._tracker.best_number, best_value=self._tracker.best_value,
            stopped=stopped, message=message,
        )


def _final_only(metrics: dict[str, float], last: EpochEnded | None) -> dict[str, float]:
    """The metrics of a finished trial that its last stored epoch does not already hold (the
    final metrics its trainer returned): only those need writing."""
    stored = {} if last is None else epoch_metrics(last)
    return {k: v for k, v in metrics.items()
            if k not in stored or not (v == stored[k] or (math.isnan(v) and math.isnan(stored[k])))}


def _best(trials: list[TrialRecord], metric: str, direction: Direction | str) -> dict[str, Any]:
    """The best trial by :func:`best_trial`, as ProgressTracker keyword arguments."""
    best = best_trial(
        ((t.number, t.state, t.metrics.get(metric, math.nan)) for t in trials), direction)
    number, value = best if best is not None else (None, None)
    return {"best_number": number, "best_value": value}
