"""A scatter of more points than one chunk holds: hovering a point of any chunk names its
trial (one chunk without a point under the mouse must not blank the tip another set)."""

from __future__ import annotations

import numpy as np
from PySide6.QtWidgets import QApplication

from desktop_app.gui.views.point_chunks import CHUNK
from desktop_app.gui.views.sweep_scatter import SweepScatter
from tests.gui.views.support import hover
from tests.gui.views.tuning_study import random_trials, tuning_model


def test_hovering_points_of_every_chunk_names_their_trials(qtbot) -> None:
    model = tuning_model()
    count = CHUNK + 40
    random_trials(model, count)
    scatter = SweepScatter(model)
    qtbot.addWidget(scatter)
    scatter.resize(900, 600)
    scatter.show()
    qtbot.waitExposed(scatter)
    scatter.flush()
    QApplication.processEvents()
    where = scatter.x_values()
    first, later = range(0, 400, 10), range(CHUNK, count)
    numbers = [n for pair in zip(first, later, strict=True) for n in pair]  # chunk to chunk
    tips = [hover(scatter.plot, where[n], model.value(n)) for n in numbers
            if np.isfinite(model.value(n))]
    # crowded points overlap: a tip may name a neighbour, but it is never blank
    assert all(tip.startswith("trial ") for tip in tips), tips.count("")
