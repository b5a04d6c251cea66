"""Optuna studies in the window: opened read-only from a file, shown in every view on their
own scales, watched while another process runs ``study.optimize``, exported back."""

from __future__ import annotations

import hashlib
import math
import subprocess
import sys
import textwrap
from pathlib import Path

import optuna
import pytest

from desktop_app.cli import main
from desktop_app.core.optuna_bridge.trial_feed import FIRST_BLOCK
from desktop_app.core.study import TrialState
from desktop_app.gui.views.param_axis import axis_scale
from desktop_app.gui.window.optuna_files import export_to
from tests.gui.window.support import flush

WRITER = textwrap.dedent("""
    import sys, time, optuna
    optuna.logging.set_verbosity(optuna.logging.ERROR)
    study = optuna.load_study(study_name="grow", storage=sys.argv[1])
    def objective(trial):
        x = trial.suggest_float("x", 1e-3, 1.0, log=True)
        for step in range(3):
            time.sleep(0.1)
            trial.report(x * (step + 1), step)
        return x * 3
    study.optimize(objective, n_trials=int(sys.argv[2]))
""")


def _objective(trial: optuna.Trial) -> float:
    x = trial.suggest_float("x", 1e-3, 1.0, log=True)
    n = trial.suggest_int("n", 1, 4)
    c = trial.suggest_categorical("c", ["relu", "tanh"])
    for step in range(3):
        trial.report(x * step + n, step)
        if trial.should_prune():
            raise optuna.TrialPruned()
    return x + n + (c == "tanh")


@pytest.fixture
def optuna_db(tmp_path: Path) -> Path:
    path = tmp_path / "optuna.db"
    optuna.logging.set_verbosity(optuna.logging.ERROR)
    study = optuna.create_study(storage=f"sqlite:///{path}", study_name="mine",
                                pruner=optuna.pruners.MedianPruner(n_startup_trials=2))
    study.optimize(_objective, n_trials=10)
    return path


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_open_shows_every_view_on_its_scales(window, qtbot, optuna_db: Path) -> None:
    before = _digest(optuna_db)
    with qtbot.waitSignal(window.optuna.opened, timeout=20_000):
        assert window.open_path(optuna_db), window.errors
    flush(window)
    model = window.study_model
    assert len(model) == 10 and window.optuna.is_open
    space = model.space
    names = [t.params for t in model.trials()]
    assert axis_scale(space, "x", [p["x"] for p in names]) == "log"
    assert axis_scale(space, "c", [p["c"] for p in names]) == "category"
    assert space["n"].kind == "int" and space["n"].low == 1
    assert window.table.source_model().rowCount() == 10
    assert window.curves.curve_count() == 10
    assert window.scatter.point_count() >= 9
    assert window.table.source_model().columns[2:5] == ["x", "n", "c"]
    assert "read-only" in window.windowTitle()
    window.close()
    assert _digest(optuna_db) == before


def test_a_big_study_streams_in(window, qtbot, tmp_path: Path) -> None:
    path = tmp_path / "big.db"
    study = optuna.create_study(storage=f"sqlite:///{path}", study_name="big")
    dist = {"x": optuna.distributions.FloatDistribution(1e-3, 1.0, log=True)}
    count = FIRST_BLOCK + 30
    study.add_trials([optuna.trial.create_trial(
        params={"x": 0.5}, distributions=dist, value=float(i),
        intermediate_values={0: 2.0 * i, 1: float(i)}) for i in range(count)])
    before = _digest(path)
    seen: list[tuple[str, int]] = []
    window.optuna.first_shown.connect(lambda: seen.append(("first", len(window.study_model))))
    window.optuna.opened.connect(lambda: seen.append(("all", len(window.study_model))))
    with qtbot.waitSignal(window.optuna.opened, timeout=20_000):
        assert window.open_path(path), window.errors
    flush(window)
    assert seen == [("first", FIRST_BLOCK), ("all", count)]
    assert window.table.source_model().rowCount() == count
    assert window.study_model.trial(count - 1).epochs == 2
    assert window.study_model.value(count - 1) == count - 1
    assert f"big: {count} trials" in window.statusBar().currentMessage()
    window.close()
    assert _digest(path) == before


def test_multi_objective_shows_the_chosen_one(window, qtbot, tmp_path: Path) -> None:
    path = tmp_path / "mo.log"
    storage = optuna.storages.JournalStorage(
        optuna.storages.journal.JournalFileBackend(str(path)))
    study = optuna.create_study(storage=storage, study_name="mo",
                                directions=["minimize", "maximize"])
    study.optimize(lambda t: (t.suggest_float("lr", 1e-4, 1, log=True), 2.0), n_trials=3)
    assert window.optuna.open(str(path), objective=2)  # there is none: one line, later
    qtbot.waitUntil(lambda: len(window.errors) == 1)
    assert window.errors[0] == (f"Cannot open the Optuna study: {path}: study 'mo': has no "
                                "objective 2 (objectives: objective 0, objective 1)")
    with qtbot.waitSignal(window.optuna.opened, timeout=20_000):
        assert window.optuna.open(str(path), objective=1), window.errors
    assert window.study_model.metric == "val_accuracy"
    assert [window.study_model.value(n) for n in range(3)] == [2.0, 2.0, 2.0]
    assert "2 objectives" in window.statusBar().currentMessage()


def test_watch_a_running_optimize(window, qtbot, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'grow.db'}"
    optuna.create_study(storage=url, study_name="grow")
    with qtbot.waitSignal(window.optuna.opened, timeout=20_000):
        assert window.optuna.open(url, "grow"), window.errors
    assert len(window.study_model) == 0
    writer = subprocess.Popen([sys.executable, "-c", WRITER, url, "12"],
                              stderr=subprocess.PIPE, text=True)
    try:
        qtbot.waitUntil(lambda: any(t.state is TrialState.RUNNING
                                    for t in window.study_model.trials()), timeout=20_000)
        assert writer.wait(60) == 0, writer.stderr.read()  # never locked out
        qtbot.waitUntil(lambda: len(window.study_model) == 12 and all(
            t.state is TrialState.COMPLETE for t in window.study_model.trials()), timeout=10_000)
    finally:
        writer.kill()
        writer.wait()
    trial = window.study_model.trial(0)
    assert trial.epochs == 3 and math.isclose(trial.series("val_loss")[-1],
                                              window.study_model.value(0))


def test_bad_files_are_one_line(window, tmp_path: Path, optuna_db: Path) -> None:
    junk = tmp_path / "notes.log"
    junk.write_text("not a journal\n")
    assert not window.optuna.open(str(junk))
    assert window.errors[-1] == (f"Cannot open the Optuna study: {junk}: is neither an Optuna "
                                 "storage (an RDB .db or a journal file) nor a Caviar study file")
    assert not window.optuna.open(str(optuna_db), "nope")
    assert window.errors[-1].endswith("no study named 'nope'; studies: mine")
    assert not window.optuna.is_open


def test_showing_a_caviar_study_stops_the_watch_and_exports(window, qtbot, tmp_path: Path,
                                                           optuna_db: Path) -> None:
    url = f"sqlite:///{tmp_path / 'lr.db'}"
    optuna.create_study(storage=url, study_name="lr").optimize(
        lambda t: t.suggest_float("learning_rate", 1e-4, 1e-1, log=True)
        * t.suggest_int("batch_size", 16, 64, log=True), n_trials=4)
    caviar = tmp_path / "study.db"
    assert main(["import", url, "-o", str(caviar)]) == 0
    with qtbot.waitSignal(window.optuna.opened, timeout=20_000):
        assert window.optuna.open(str(optuna_db))
    assert window.open_study(caviar), window.errors
    assert not window.optuna.is_open
    out = tmp_path / "out.log"
    assert export_to(window, str(out)), window.errors
    storage = optuna.storages.JournalStorage(
        optuna.storages.journal.JournalFileBackend(str(out)))
    exported = optuna.load_study(study_name="lr", storage=storage)
    original = optuna.load_study(study_name="lr", storage=url)
    assert [(t.params, t.distributions, t.state, t.value) for t in exported.trials] == [
        (t.params, t.distributions, t.state, t.value) for t in original.trials]
