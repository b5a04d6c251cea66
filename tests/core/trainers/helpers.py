"""Trials of a trainer of the user's own, written to a temporary file and run by run_trial."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

from desktop_app.core.data import DataSpec
from desktop_app.core.events import EpochEnded, TrialFinished
from desktop_app.core.runner.task import TrialTask
from desktop_app.core.runner.trial import run_trial
from desktop_app.core.trainers import TrainerSpec, parse_trainer


def function_spec(folder: Path, body: str, name: str = "train") -> TrainerSpec:
    """A function trainer from ``body`` (dedented Python) saved as ``folder/user_code.py``."""
    (folder / "user_code.py").write_text(textwrap.dedent(body))
    return parse_trainer({"function": f"user_code.py:{name}"}, folder)


def own_task(spec: TrainerSpec, number: int = 0, metric: str = "f1", **params: Any
             ) -> TrialTask:
    """A trial of ``spec`` with ``params`` searched and ``epochs = 3`` fixed."""
    return TrialTask(study="own", number=number, params=params, fixed={"epochs": 3}, seed=11,
                     data=DataSpec(), metric=metric, trainer=spec)


def run(task: TrialTask, stop_after: int | None = None) -> tuple[list[EpochEnded], TrialFinished]:
    """Run ``task`` in this thread; ``stop_after``: ask it to stop once that many epochs came."""
    epochs: list[EpochEnded] = []
    result = run_trial(task, epochs.append,
                       lambda: stop_after is not None and len(epochs) >= stop_after)
    return epochs, result
