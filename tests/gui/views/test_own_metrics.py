"""A trainer of the user's own reports its own metric ("f1"): the views offer what arrived
(not a fixed list), draw it, give it a table column, and show each trial's error and log.
Caviar's network keeps the choices it always had."""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import Qt

from desktop_app.core.config import parse_config
from desktop_app.core.events import METRIC_NAMES, EpochEnded, Notice, TrialFinished, TrialStarted
from desktop_app.core.search import build_space
from desktop_app.core.study import open_storage
from desktop_app.gui.live.study_model import StudyModel
from desktop_app.gui.views.loss_curves import LossCurves
from desktop_app.gui.views.sweep_scatter import SweepScatter
from desktop_app.gui.views.trials_table import TrialsTable
from tests.gui.helpers import SPACE, sweep_events
from tests.gui.views.own_study import F1_EPOCHS, F1_TRIALS, add_f1_study, f1_of


def _views(qtbot, model: StudyModel) -> tuple[LossCurves, SweepScatter, TrialsTable]:
    views = LossCurves(model), SweepScatter(model), TrialsTable(model)
    for view in views:
        qtbot.addWidget(view)
    return views


def _opened(qtbot, tmp_path) -> tuple[StudyModel, tuple[LossCurves, SweepScatter, TrialsTable]]:
    storage = open_storage(None)
    study_id = add_f1_study(storage, tmp_path)
    config = parse_config(storage.get_study("own-f1").config)
    model = StudyModel()
    model.set_study(config.space, config.study.metric, config.study.direction)
    views = _views(qtbot, model)
    model.load(storage, study_id)
    views[0].flush()
    views[1].flush()
    views[2].source_model().flush()
    return model, views


def _headers(table: TrialsTable) -> list[str]:
    source = table.source_model()
    return [source.headerData(c, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole)
            for c in range(source.columnCount())]


def _cell(table: TrialsTable, number: int, key: str, role=Qt.ItemDataRole.DisplayRole):
    source = table.source_model()
    column = source.columns.index(key)
    return source.data(source.index(table.study_model().row_of(number), column), role)


def test_an_opened_study_offers_draws_and_lists_its_own_metric(qtbot, tmp_path) -> None:
    model, (curves, scatter, table) = _opened(qtbot, tmp_path)
    assert model.metric_names() == ["val_loss", "f1"]
    assert curves.series_choices() == ["val_loss", "f1"]
    assert curves.series_key() == "f1"  # the study metric is shown first
    for number in range(F1_TRIALS):
        epochs = 1 if number == 1 else F1_EPOCHS
        drawn = curves.curve_data(number)
        assert np.allclose(drawn, [f1_of(number, e) for e in range(1, epochs + 1)])
    assert scatter.y.choices() == ["f1", "val_loss"] and scatter.y.key == "f1"
    assert scatter.y_values() == {n: f1_of(n, 1 if n == 1 else F1_EPOCHS)
                                  for n in range(F1_TRIALS)}
    assert "f1 (higher is better)" in scatter.plot.getPlotItem().getAxis("left").labelText
    scatter.y.set("val_loss")
    scatter.flush()
    assert scatter.y_values()[4] == 1.0 / (F1_EPOCHS + 4)
    columns = table.source_model().columns
    assert columns[-4:] == ["val_loss", "f1", "epochs", "seconds"]
    assert not set(METRIC_NAMES) - {"val_loss"} & set(columns)  # no empty built-in columns
    assert "f1 \u2605" in _headers(table)
    assert _cell(table, 4, "f1") == f"{f1_of(4, F1_EPOCHS):.3f}"
    assert model.best_number() == 4


def test_a_failed_trials_error_shows_in_its_tooltip_and_output_dialog(qtbot, tmp_path) -> None:
    model, (_, _, table) = _opened(qtbot, tmp_path)
    tip = _cell(table, 1, "state", Qt.ItemDataRole.ToolTipRole)
    assert "ValueError: bad batch" in tip and "Double-click" in tip
    dialog = table.show_output(1)
    qtbot.addWidget(dialog)
    assert dialog.text.isReadOnly() and "ValueError: bad batch" in dialog.text.toPlainText()
    table.read_output = lambda number: ("", f"log of {number} from the file")
    dialog = table.show_output(3)
    qtbot.addWidget(dialog)
    assert "log of 3 from the file" in dialog.text.toPlainText()
    row = table.proxy_model().mapFromSource(table.source_model().index(model.row_of(2), 0)).row()
    menu = table.context_menu(table.visualRect(table.proxy_model().index(row, 0)).center())
    assert menu is not None and "Show output of trial 2" in menu.actions()[0].text()
    menu.actions()[0].trigger()
    assert table.output_dialog.windowTitle() == "Output of trial 2"


def test_a_live_own_metric_arrives_in_every_view(qtbot) -> None:
    model = StudyModel()
    model.set_study(build_space(SPACE), "f1", "maximize")
    curves, scatter, table = _views(qtbot, model)
    assert curves.series_choices() == ["f1"] and table.source_model().columns[-3] == "f1"
    nan = math.nan
    model.apply_many([TrialStarted("s", 0, {"learning_rate": 0.01, "beta_2": 0.9}, seed=0),
                      Notice("s", "trial 0 did not report ..."), object()])  # never a crash
    with qtbot.waitSignal(model.metrics_changed) as arrived:
        model.apply_many([EpochEnded("s", 0, e, nan, nan, 1.0 / e, nan, 0.01, 0.1,
                                     extra={"f1": 0.2 * e, "recall": 0.1}) for e in (1, 2)])
    assert arrived.args[0] == ["val_loss", "f1", "recall"]
    curves.flush()
    assert curves.series_choices() == ["val_loss", "f1", "recall"]  # all an own trainer sent
    assert np.allclose(curves.curve_data(0), [0.2, 0.4])
    model.apply(TrialFinished("s", 0, "complete", 0.4, 2, 0.2, {"f1": 0.4, "recall": 0.1},
                              log="hello from the trainer"))
    curves.flush()
    scatter.flush()
    table.source_model().flush()
    assert scatter.y.choices() == ["f1", "val_loss", "recall"] and scatter.y_values() == {0: 0.4}
    assert table.source_model().columns[-5:-2] == ["val_loss", "f1", "recall"]
    assert _cell(table, 0, "recall") == "0.100"
    dialog = table.show_output(0)
    qtbot.addWidget(dialog)
    assert "hello from the trainer" in dialog.text.toPlainText()


def test_caviars_network_keeps_its_choices(qtbot) -> None:
    model = StudyModel()
    model.set_study(build_space(SPACE), "val_loss", "minimize")
    curves, scatter, table = _views(qtbot, model)
    model.apply_many(sweep_events(trials=3))
    curves.flush()
    assert model.metric_names() == list(METRIC_NAMES)
    assert curves.series_choices() == ["val_loss", "train_loss"]
    assert scatter.y.choices() == ["val_loss", "train_loss", "train_accuracy", "val_accuracy"]
    assert table.source_model().columns[-6:-2] == list(METRIC_NAMES)
