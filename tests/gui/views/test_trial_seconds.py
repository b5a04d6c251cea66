"""The table's Seconds column shows each trial's total training time, however short."""

from __future__ import annotations

import pytest

from desktop_app.core.events import TrialFinished, TrialStarted
from desktop_app.core.search import build_space
from desktop_app.gui.live.study_model import StudyModel
from desktop_app.gui.views.trials_table import TrialsTable
from tests.gui.helpers import SPACE, epoch_event


@pytest.mark.parametrize("seconds", [0.044, 0.31, 12.3])
def test_a_finished_trials_seconds_cell_is_its_streamed_total(qtbot, seconds):
    model = StudyModel()
    model.set_study(build_space(SPACE), "val_loss", "minimize")
    table = TrialsTable(model)
    qtbot.addWidget(table)
    model.apply_many([TrialStarted("s", 0, {"learning_rate": 0.01, "beta_2": 0.9}, seed=0),
                      epoch_event(0, 1), epoch_event(0, 2),
                      TrialFinished("s", 0, "complete", 0.5, 2, seconds)])
    source = table.source_model()
    source.flush()
    cell = source.index(0, source.columns.index("seconds")).data()
    assert float(cell) == pytest.approx(seconds, rel=0.02)
