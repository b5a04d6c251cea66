"""Your own code run from the window: the shipped numpy-function and command examples sweep
to the end with live curves of their own metric, a Stop interrupts a program trial at once,
and Resume finishes it."""

from __future__ import annotations

import shutil
from pathlib import Path

from desktop_app.core.resources import resource_path
from desktop_app.core.study import TrialState
from tests.gui.window.support import flush, run_to_end


def _example(tmp_path: Path, name: str) -> Path:
    folder = tmp_path / "examples"
    shutil.copytree(resource_path("examples"), folder)
    return folder / name


def test_the_numpy_function_example_runs_from_the_window(qtbot, window, tmp_path) -> None:
    assert window.open_config(_example(tmp_path, "numpy_function.toml"))
    window.panel.set_config(window.panel.config().replace(trials=4, workers=2,
                                                          executor="thread"))
    finished = run_to_end(qtbot, window)
    assert finished.finished == 4 and not window.errors
    flush(window)
    model = window.study_model
    assert model.metric == "val_f1" and "val_f1" in model.metric_names()
    assert all(t.state in (TrialState.COMPLETE, TrialState.PRUNED) for t in model.trials())
    assert window.study_model.best_number() is not None


def test_a_program_trial_stops_with_the_sweep_and_resume_finishes_it(qtbot, window,
                                                                     tmp_path) -> None:
    (tmp_path / "slow.py").write_text(
        "import json, sys, time\n"
        "for epoch in range(1, 40):\n"
        "    time.sleep(0.05)\n"
        "    print('CAVIAR ' + json.dumps({'epoch': epoch, 'f1': float(sys.argv[1])}))\n")
    config = tmp_path / "slow.toml"
    config.write_text('[study]\nname = "slow"\nmetric = "f1"\ntrials = 2\nworkers = 1\n'
                      'executor = "thread"\n[trainer]\ncommand = ["python", "slow.py", "{w}"]\n'
                      '[params.w]\nvalues = [0.5, 0.7]\n')
    assert window.open_config(config)
    assert window.run_sweep(), window.errors
    qtbot.waitUntil(lambda: any(t.epochs >= 2 for t in window.study_model.trials()),
                    timeout=30_000)
    with qtbot.waitSignal(window.controller.finished, timeout=30_000):
        window.stop_sweep()
    states = [t.state for t in window.study_model.trials()]
    assert TrialState.INTERRUPTED in states
    with qtbot.waitSignal(window.controller.finished, timeout=60_000):
        assert window.resume_sweep(), window.errors
    flush(window)
    assert [t.state for t in window.study_model.trials()] == [TrialState.COMPLETE] * 2
