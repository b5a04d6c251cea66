"""Training and validation together: the loss curves draw a trial's training series dashed
beside its validation series, for the best, the selected and the running trials, in the
same colour; three items in all, whatever the number of trials."""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox

from desktop_app.core.events import EpochEnded, TrialFinished, TrialStarted
from desktop_app.core.search import build_space
from desktop_app.gui.live.study_model import StudyModel
from desktop_app.gui.style.plot_style import BEST_COLOR, SELECTED_COLOR
from desktop_app.gui.views.curve_train import train_partner
from desktop_app.gui.views.loss_curves import LossCurves
from tests.gui.helpers import SPACE
from tests.gui.views.support import view_range, visible_texts


def dashed_items(curves: LossCurves) -> list[pg.PlotDataItem]:
    """Every item of the plot drawn with a custom dash (the training curves' pen)."""
    return [item for item in curves.plot.getPlotItem().listDataItems()
            if item.opts["pen"] is not None
            and pg.mkPen(item.opts["pen"]).style() == Qt.PenStyle.CustomDashLine]


def finite_pairs(item: pg.PlotDataItem) -> list[tuple[float, float]]:
    x, y = item.getOriginalDataset()
    return [(float(a), float(b)) for a, b in zip(x, y, strict=True) if math.isfinite(b)]


def test_the_training_curve_is_dashed_beside_the_validation_one(views) -> None:
    model, _, curves, _ = views
    before = len(curves.plot.getPlotItem().listDataItems())
    assert curves.train_lines() == {} and dashed_items(curves) == []
    model.select(2)
    curves.set_train_shown(True)
    curves.flush()
    lines = curves.train_lines()
    assert len(curves.plot.getPlotItem().listDataItems()) == before + 3  # never one per trial
    assert set(map(id, dashed_items(curves))) == {id(item) for item in lines.values()}
    for role, number, color in (("best", model.best_number(), BEST_COLOR),
                                ("selected", 2, SELECTED_COLOR)):
        trial = model.trial(number)
        x, y = lines[role].getOriginalDataset()
        assert np.array_equal(x, trial.epoch_numbers())
        assert np.array_equal(y, trial.series("train_loss"))
        assert pg.mkPen(lines[role].opts["pen"]).color().name() == color
    running = model.trial(3)  # the fixture's one running trial
    assert finite_pairs(lines["running"]) == list(zip(
        running.epoch_numbers().tolist(), running.series("train_loss").tolist(), strict=True))
    legend = " ".join(visible_texts(curves))
    assert "validation" in legend and "training" in legend
    curves.set_train_shown(False)
    curves.flush()
    assert curves.train_lines() == {} and dashed_items(curves) == []
    assert len(curves.plot.getPlotItem().listDataItems()) == before
    assert "training (best" not in " ".join(visible_texts(curves))


def test_the_view_takes_in_the_training_curves_below_the_validation_ones(views) -> None:
    model, _, curves, _ = views
    curves.flush()
    _, (low, _) = view_range(curves.plot)
    lowest_train = float(model.trial(model.best_number()).series("train_loss").min())
    assert low > lowest_train  # train loss is below every validation loss here
    curves.set_train_shown(True)
    curves.flush()
    _, (low, _) = view_range(curves.plot)
    assert low <= lowest_train


def test_the_option_follows_the_series_and_the_log_axis(views) -> None:
    model, _, curves, _ = views
    curves.set_train_shown(True)
    curves.set_series("train_loss")  # no validation series shown: nothing to pair
    curves.flush()
    box = next(b for b in curves.findChildren(QCheckBox) if "dashed" in b.text())
    assert not box.isEnabled() and curves.train_lines() == {}
    curves.set_series("val_loss")
    curves.set_log_y(True)
    curves.flush()
    assert box.isEnabled()
    best = curves.train_lines()["best"]
    _, y = best.getOriginalDataset()
    assert np.array_equal(y, model.trial(model.best_number()).series("train_loss"))
    assert best.opts["logMode"][1]  # pyqtgraph draws log10 of it on the log axis


def test_own_val_and_train_metrics_pair_up_once_both_arrived(qtbot) -> None:
    assert train_partner("val_loss", ["val_loss", "train_loss"]) == "train_loss"
    assert train_partner("val_f1", ["val_f1"]) is None
    assert train_partner("f1", ["f1", "train_f1"]) is None
    model = StudyModel()
    model.set_study(build_space(SPACE), "val_f1", "maximize")
    curves = LossCurves(model)
    qtbot.addWidget(curves)
    nan = math.nan
    for number in (0, 1):
        model.apply(TrialStarted("s", number, {"learning_rate": 0.01, "beta_2": 0.9}, seed=0))
        model.apply_many([EpochEnded("s", number, e, nan, nan, nan, nan, 0.01, 0.1,
                                     {"val_f1": 0.1 * e + number, "train_f1": 0.2 * e + number})
                          for e in (1, 2, 3)])
        model.apply(TrialFinished("s", number, "complete", 0.3 + number, 3, 0.3))
    curves.set_series("val_f1")
    curves.set_train_shown(True)
    curves.flush()
    best = curves.train_lines()["best"]
    assert model.best_number() == 1
    assert best.getOriginalDataset()[1].tolist() == model.trial(1).series("train_f1").tolist()
