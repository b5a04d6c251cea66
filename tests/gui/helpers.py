"""Shared helpers of the GUI tests: small sweep configs, synthetic sweep events, redraw of the
views' coalescing timers, and the probes of the thread-leak guard."""

from __future__ import annotations

import gc
import threading
from typing import TYPE_CHECKING, Any

from desktop_app.core.config import StudyConfig, parse_config
from desktop_app.core.events import EpochEnded, TrialFinished, TrialStarted

if TYPE_CHECKING:
    from desktop_app.gui.views.loss_curves import LossCurves
    from desktop_app.gui.views.sweep_scatter import SweepScatter
    from desktop_app.gui.views.trials_table import TrialsTable


def raw_config(trials: int = 4, epochs: int = 3, workers: int = 2, name: str = "gui-test",
               executor: str = "thread") -> dict[str, Any]:
    """A random search on a small spiral: ``trials`` x ``epochs`` in well under a second each."""
    return {
        "study": {"name": name, "strategy": "random", "trials": trials, "workers": workers,
                  "executor": executor, "seed": 1, "metric": "val_accuracy"},
        "data": {"dataset": "spiral", "samples": 150, "classes": 3},
        "train": {"epochs": epochs, "hidden_units": 16, "hidden_layers": 1},
        "params": {"learning_rate": {"scale": "log", "low": 1e-3, "high": 1e-1},
                   "batch_size": {"scale": "pow2", "low": 16, "high": 64}},
    }


def config(**kwargs: Any) -> StudyConfig:
    """:func:`raw_config` parsed by the core."""
    return parse_config(raw_config(**kwargs))


SPACE = {
    "learning_rate": {"scale": "log", "low": 1e-4, "high": 1.0},
    "beta_2": {"scale": "reverse_log", "low": 0.9, "high": 0.9999},
}
LEARNING_RATES = (3.2e-3, 1e-4, 0.05, 0.3)
BETAS = (0.9, 0.99, 0.999, 0.9999)


def loss(number: int, epoch: int) -> float:
    """Synthetic val/train loss: trial 0 is lowest, every trial falls with the epochs."""
    return 1.0 + number - 0.1 * epoch


def epoch_event(number: int, epoch: int, value: float | None = None) -> EpochEnded:
    """An epoch whose losses are ``loss()`` (or ``value``) and accuracies 1 - loss / 10."""
    v = loss(number, epoch) if value is None else value
    return EpochEnded("s", number, epoch, v, 1 - v / 10, v + 0.5, 1 - (v + 0.5) / 10, 0.01, 0.25)


def sweep_events(
    trials: int = 4, epochs: int = 3, states: tuple[str, ...] = (), metric: str = "val_loss"
) -> list[TrialStarted | EpochEnded | TrialFinished]:
    """``trials`` trials of ``epochs`` epochs; ``states[i]`` ends trial i ("running": no end).

    A finished trial's ``value`` is ``metric`` of its last epoch, as the runner reports it.
    """
    events: list[TrialStarted | EpochEnded | TrialFinished] = []
    for n in range(trials):
        params = {"learning_rate": LEARNING_RATES[n % 4], "beta_2": BETAS[n % 4]}
        events.append(TrialStarted("s", n, params, seed=n))
        events += [epoch_event(n, e) for e in range(1, epochs + 1)]
        state = states[n] if n < len(states) else "complete"
        if state != "running":
            value = getattr(events[-1], metric)
            events.append(TrialFinished("s", n, state, value, epochs, epochs * 0.25))
    return events


STATES = ("complete", "pruned", "complete", "running")


def redraw(table: TrialsTable, curves: LossCurves, scatter: SweepScatter) -> None:
    """Run the views' coalescing timers now."""
    table.source_model().flush()
    curves.flush()
    scatter.flush()


def python_threads() -> set[threading.Thread]:
    """Real Python threads (dummy entries for foreign threads never leave the table)."""
    return {t for t in threading.enumerate() if not isinstance(t, threading._DummyThread)}


def running_qthreads() -> list[object]:
    """Every Python-visible QThread that still runs (the GUI thread itself excluded)."""
    from PySide6.QtCore import QThread

    main = QThread.currentThread()
    found = []
    for obj in gc.get_objects():
        try:
            if isinstance(obj, QThread) and obj is not main and obj.isRunning():
                found.append(obj)
        except RuntimeError:  # wrapper whose C++ object is already gone
            continue
    return found


BIG_TRIALS = 5000
"""Trials of the big study the ``big_file`` fixture (conftest.py) makes: enough for the
big-study paths (bands, blocks, dense scatter), small enough for a test."""
