"""The user's function on a real Dask cluster: its file's text travels with each trial, so
the workers need no copy of it (here the file is gone before the sweep starts)."""

from __future__ import annotations

from pathlib import Path

from desktop_app.core.config import parse_config
from desktop_app.core.runner import Coordinator
from desktop_app.core.runner.dask_executor import DaskExecutor
from desktop_app.core.study import InMemoryStorage, TrialState

TRAIN = """
def train(params, trial):
    for epoch in range(1, 4):
        trial.report(epoch, f1=params["width"] / epoch)
"""


def test_a_function_trainer_runs_on_dask_without_its_file(tmp_path: Path, address: str) -> None:
    (tmp_path / "dask_user_code.py").write_text(TRAIN)
    config = parse_config({
        "study": {"name": "own", "metric": "f1", "trials": 4, "workers": 2, "strategy": "grid"},
        "trainer": {"function": "dask_user_code.py:train"},
        "params": {"width": {"values": [1, 2, 3, 4]}},
    }, tmp_path)
    (tmp_path / "dask_user_code.py").unlink()
    storage = InMemoryStorage()
    coordinator = Coordinator(storage, config, executor=DaskExecutor(2, address))
    list(coordinator.run())
    trials = storage.get_trials(coordinator.study_id)
    assert [(t.state, t.metrics["f1"]) for t in trials] == [
        (TrialState.COMPLETE, t.params["width"] / 3) for t in trials]
