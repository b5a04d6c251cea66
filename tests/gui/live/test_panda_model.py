"""Panda mode shows the model it trains, live: the confusion matrix on the validation set and,
for two-feature data, the decision boundary, drawn from snapshots at most twice a second."""

from __future__ import annotations

import itertools
import time

import pytest

from desktop_app.core.data import load_split
from desktop_app.gui.live.live_model import REDRAW_S
from desktop_app.gui.live.panda import PandaDialog
from tests.gui.helpers import config


def _run_to_end(qtbot, dialog: PandaDialog) -> None:
    dialog.start()
    qtbot.waitUntil(lambda: dialog.start_button.text() == "Start again", timeout=30_000)


def test_a_short_run_ends_with_its_model_drawn(qtbot) -> None:
    cfg = config(epochs=5)
    dialog = PandaDialog(cfg)
    qtbot.addWidget(dialog)
    panel = dialog.live.panel
    assert panel.view is None and "The model, live" in panel.hint.text()
    _run_to_end(qtbot, dialog)
    assert "run complete" in dialog.info.text()
    split = load_split(cfg.data, dtype="float32")
    view = panel.view
    assert view is not None and dialog.live.drawn_epoch == 5
    assert view.confusion.sum() == len(split.y_val)  # every validation sample, once
    assert view.accuracy == pytest.approx(dialog.records[-1].val_accuracy, abs=1e-6)
    assert panel.title.text().startswith("After epoch 5: validation accuracy")
    assert view.boundary is not None  # the spiral has two features
    assert panel.surface.image.shape[2] == 4
    assert len(panel.points.data) == len(split.y_val)
    assert not panel.hint.isVisibleTo(panel)


def test_the_model_is_redrawn_at_most_twice_a_second_and_cleared_by_a_new_run(qtbot) -> None:
    dialog = PandaDialog(config(epochs=5000))
    qtbot.addWidget(dialog)
    panel = dialog.live.panel
    drawn: list[float] = []
    show = panel.show_network

    def counting(*args, **kwargs) -> None:
        drawn.append(time.perf_counter())
        show(*args, **kwargs)

    panel.show_network = counting
    with qtbot.waitSignal(dialog.epoch_shown, timeout=30_000):
        dialog.start()
    qtbot.waitUntil(lambda: len(drawn) >= 3, timeout=10_000)
    assert dialog.stop()
    gaps = [b - a for a, b in itertools.pairwise(drawn[:-1])]  # [-1]: the run's end
    assert gaps and min(gaps) >= REDRAW_S * 0.9
    assert dialog.live.drawn_epoch == dialog.records[-1].epoch  # the model as it stopped
    dialog.start()
    assert panel.view is None and dialog.live.drawn_epoch == 0  # not the last run's model
    assert dialog.stop()
