"""``caviar import`` and ``caviar export --format optuna`` on real Optuna studies: the fixed
command forms, the notes, and one line with exit status 2 for bad input."""

from __future__ import annotations

import sqlite3
import warnings
from pathlib import Path

import optuna
import pytest

from desktop_app.cli import main
from desktop_app.core.study import SQLiteStorage, TrialState


def _objective(trial: optuna.Trial) -> float:
    x = trial.suggest_float("learning_rate", 1e-4, 1e-1, log=True)
    trial.suggest_int("batch_size", 16, 128, log=True)
    for step in range(1, 4):
        trial.report(x * step, step)
        if trial.should_prune():
            raise optuna.TrialPruned()
    return x * 3


@pytest.fixture
def optuna_db(tmp_path: Path) -> Path:
    path = tmp_path / "optuna.db"
    optuna.logging.set_verbosity(optuna.logging.ERROR)
    study = optuna.create_study(storage=f"sqlite:///{path}", study_name="lr",
                                sampler=optuna.samplers.RandomSampler(seed=0),
                                pruner=optuna.pruners.MedianPruner(n_startup_trials=2))
    study.optimize(_objective, n_trials=8)
    optuna.create_study(storage=f"sqlite:///{path}", study_name="other")
    return path


def _error(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    assert main(list(argv)) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    return err.strip()


def test_import_then_resume_with_caviar(optuna_db: Path, tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "study.db"
    assert main(["import", f"sqlite:///{optuna_db}", "--study", "lr", "-o", str(out)]) == 0
    captured = capsys.readouterr()
    assert "8 trials of 'lr' imported" in captured.out
    assert "cannot resume" not in captured.err  # both params are Caviar's
    with SQLiteStorage(out) as storage:
        trials = storage.get_trials(storage.get_study("lr").study_id)
        assert len(trials) == 8 and trials[0].epochs == 3
        assert {t.state for t in trials} <= {TrialState.COMPLETE, TrialState.PRUNED}
    main(["studies", str(out)])
    assert capsys.readouterr().out.startswith("lr: 8 finished of 28, strategy tpe")
    assert main(["resume", str(out), "--executor", "thread"]) == 0  # Caviar's TPE goes on
    with SQLiteStorage(out) as storage:
        trials = storage.get_trials(storage.get_study("lr").study_id)
        assert len(trials) == 28 and trials[27].epochs == 20
        assert set(trials[27].params) == {"learning_rate", "batch_size"}


def test_export_opens_with_load_study(optuna_db: Path, tmp_path: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    caviar = tmp_path / "study.db"
    main(["import", str(optuna_db), "--study", "lr", "-o", str(caviar)])
    for target in (f"sqlite:///{tmp_path / 'out.db'}", str(tmp_path / "out.log")):
        assert main(["export", str(caviar), "--study", "lr", "--format", "optuna",
                     "-o", target]) == 0
        assert "8 trials of 'lr' exported" in capsys.readouterr().out
        storage = target if "://" in target else optuna.storages.JournalStorage(
            optuna.storages.journal.JournalFileBackend(target))
        original = optuna.load_study(study_name="lr", storage=f"sqlite:///{optuna_db}")
        exported = optuna.load_study(study_name="lr", storage=storage)
        for a, b in zip(original.trials, exported.trials, strict=True):
            assert (a.params, a.distributions, a.state, a.value, a.intermediate_values) == (
                b.params, b.distributions, b.state, b.value, b.intermediate_values)


def test_import_notes_what_cannot_resume(tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{tmp_path / 'x.db'}"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        optuna.create_study(storage=url, study_name="xy").optimize(
            lambda t: t.suggest_float("x", -1, 1) ** 2, n_trials=2)
    out = tmp_path / "c.db"
    assert main(["import", url, "-o", str(out)]) == 0
    err = capsys.readouterr().err
    assert err.startswith(f"{out}: study 'xy': viewing and export only")
    assert "unknown hyperparameter 'x'" in err
    assert _error(capsys, "resume", str(out)).startswith(f"{out.name}: study 'xy': params.x:")


def test_import_bad_input_is_one_line(optuna_db: Path, tmp_path: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    out = str(tmp_path / "c.db")
    assert _error(capsys, "import", str(optuna_db), "--study", "nope", "-o", out) == (
        f"{optuna_db}: no study named 'nope'; studies: lr, other")
    assert "holds several studies" in _error(capsys, "import", str(optuna_db), "-o", out)
    assert _error(capsys, "import", str(optuna_db), "--study", "lr", "--objective", "1",
                  "-o", out) == (f"{optuna_db}: study 'lr': has no objective 1 (objectives: "
                                 "objective 0)")
    text = tmp_path / "notes.txt"
    text.write_text("hello\n")
    assert _error(capsys, "import", str(text), "-o", out).startswith(
        f"{text}: is neither an Optuna storage")
    with sqlite3.connect(optuna_db) as conn:
        conn.execute("UPDATE alembic_version SET version_num = 'v9.9.9.a'")
    conn.close()
    assert "newer schema" in _error(capsys, "import", str(optuna_db), "--study", "lr",
                                    "-o", out)
    assert not Path(out).exists()


def test_export_bad_input_is_one_line(optuna_db: Path, tmp_path: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    caviar = tmp_path / "study.db"
    main(["import", str(optuna_db), "--study", "lr", "-o", str(caviar)])
    capsys.readouterr()
    assert _error(capsys, "export", str(caviar), "--format", "optuna").endswith(
        "--format optuna needs -o STORAGE (a .db or .log file, or a URL such as "
        "sqlite:///out.db)")
    before = optuna_db.read_bytes()
    assert _error(capsys, "studies", str(optuna_db)) == (
        f"{optuna_db}: is an Optuna storage, not a Caviar study file: view it with 'caviar gui "
        f"{optuna_db}' or copy a study with 'caviar import {optuna_db} -o study.db'")
    assert optuna_db.read_bytes() == before
    assert "holds a study named 'lr' already" in _error(
        capsys, "export", str(caviar), "--format", "optuna", "-o", str(optuna_db))


def test_import_help_says_what_is_not_carried_over(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["import", "--help"])
    first = capsys.readouterr().out.split("\n\n")[1]
    assert first.startswith("Copy one Optuna study into a Caviar study file")
    assert "Not carried over: your objective function" in first
