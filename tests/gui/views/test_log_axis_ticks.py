"""A log axis always names at least two values, however narrow the range it shows."""

from __future__ import annotations

import pytest

from desktop_app.core.events import TrialFinished, TrialStarted
from desktop_app.core.search import build_space
from desktop_app.gui.live.study_model import StudyModel
from desktop_app.gui.views.sweep_scatter import SweepScatter
from tests.gui.helpers import epoch_event
from tests.gui.views.support import tick_labels

SWEEPS = {
    "learning_rate": ({"scale": "log", "low": 0.004, "high": 0.006}, (0.0048, 0.005, 0.0052)),
    "batch_size": ({"scale": "pow2", "low": 16, "high": 256}, (32, 32, 32)),
}


@pytest.mark.parametrize("width", [420, 900])
@pytest.mark.parametrize("name", list(SWEEPS))
def test_a_sweep_over_a_narrow_log_range_shows_two_or_more_x_labels(qtbot, name, width):
    table, values = SWEEPS[name]
    model = StudyModel()
    model.set_study(build_space({name: table}), "val_loss", "minimize")
    scatter = SweepScatter(model)
    qtbot.addWidget(scatter)
    scatter.resize(width, 400)
    scatter.show()
    for number, value in enumerate(values):
        model.apply_many([TrialStarted("s", number, {name: value}, seed=number),
                          epoch_event(number, 1),
                          TrialFinished("s", number, "complete", 1.0 + number, 1, 0.1)])
    scatter.flush()
    labels = tick_labels(scatter.plot.getPlotItem().getAxis("bottom"))
    assert len(labels) >= 2, labels
    shown = [float(text) for _, text in labels]
    assert shown == sorted(shown) and len(set(shown)) == len(shown)
    assert all(table["low"] <= v <= table["high"] for v in shown)
