"""Loading a big stored study in the background: every trial arrives, in blocks, the worker
thread ends (cancelled too), and a file damaged partway keeps what was read and reports one
line naming the file, never a hang."""

from __future__ import annotations

import shutil

from benchmarks.make_big_study import STUDY_NAME
from desktop_app.core.config import parse_config
from desktop_app.core.study import SQLiteStorage
from desktop_app.gui.live.stored_blocks import BLOCK_TRIALS
from desktop_app.gui.live.study_loader import StudyLoader
from desktop_app.gui.live.study_model import StudyModel
from tests.gui.helpers import BIG_TRIALS


def _model(storage: SQLiteStorage) -> tuple[StudyModel, int]:
    record = storage.get_study(STUDY_NAME)
    config = parse_config(record.config)
    model = StudyModel()
    model.set_study(config.space, config.study.metric, config.study.direction)
    return model, record.study_id


def test_background_loading_shows_every_trial_and_ends(qtbot, big_file) -> None:
    with SQLiteStorage(big_file) as storage:
        model, study_id = _model(storage)
        loader = StudyLoader(model)
        progress, added = [], []
        loader.progress.connect(lambda done, total: progress.append((done, total)))
        model.trials_added.connect(lambda numbers: added.append(len(numbers)))
        with qtbot.waitSignal(loader.done, timeout=30_000):
            loader.start(storage, study_id)
        assert not loader.is_loading()
        assert len(model) == BIG_TRIALS and model.numbers() == list(range(BIG_TRIALS))
        assert max(added) <= BLOCK_TRIALS and progress[-1] == (BIG_TRIALS, BIG_TRIALS)
        assert model.trial(42).epochs == len(storage.get_epochs(study_id, 42))
        assert model.best_number() is not None


def test_showing_another_study_stops_the_loading(qtbot, big_file) -> None:
    with SQLiteStorage(big_file) as storage:
        model, study_id = _model(storage)
        loader = StudyLoader(model)
        loader.start(storage, study_id)
        model.clear()  # another study is shown: the loading stops, its thread ends
        assert not loader.is_loading()
        qtbot.wait(50)
        assert len(model) == 0


def test_a_file_damaged_partway_is_one_line_naming_it(qtbot, big_file, tmp_path) -> None:
    damaged = tmp_path / "damaged.db"
    shutil.copy(big_file, damaged)
    with SQLiteStorage(damaged) as storage:
        model, study_id = _model(storage)
        size = damaged.stat().st_size
        with damaged.open("r+b") as f:  # epochs of the later trials: garbage
            f.seek(size * 3 // 4)
            f.write(b"\xff" * (size // 8))
        loader = StudyLoader(model)
        failures: list[str] = []
        loader.failed.connect(failures.append)
        with qtbot.waitSignal(loader.done, timeout=30_000):
            loader.start(storage, study_id)
    assert len(failures) == 1 and str(damaged) in failures[0]
    assert "\n" not in failures[0] and "Traceback" not in failures[0]
    assert len(model) < BIG_TRIALS  # what was read before the damage (here: often nothing)
