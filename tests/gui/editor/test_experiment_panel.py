"""The experiment panel builds a StudyConfig through the core and shows its errors in place."""

from __future__ import annotations

from desktop_app.core.config import parse_config
from desktop_app.gui.editor.experiment_panel import FILE_ITEM, ExperimentPanel
from desktop_app.gui.editor.field_marks import problem_of
from tests.gui.helpers import raw_config


def test_defaults_make_a_valid_config(qtbot):
    panel = ExperimentPanel()
    qtbot.addWidget(panel)
    config = panel.config()
    assert config.data.source == "spiral"
    assert list(config.space.names) == ["learning_rate", "batch_size"]
    assert "learning_rate" not in config.train or config.train["learning_rate"] == 0.01
    assert panel.is_valid() and not panel.error.text()


def test_set_config_round_trips(qtbot):
    panel = ExperimentPanel()
    qtbot.addWidget(panel)
    raw = raw_config()
    raw["data"] = {"dataset": "moons", "samples": 300, "noise": 0.1}
    expected = parse_config(raw)
    panel.set_config(expected)
    assert panel.dataset.currentText() == "moons"
    assert panel.config() == expected
    panel.reset()
    panel.set_config(expected.to_dict())  # the stored (TOML-shaped) form
    assert panel.config() == expected
    assert panel.space_editor.names() == ["learning_rate", "batch_size"]
    assert not panel.fixed.editors["learning_rate"].isVisibleTo(panel.fixed)
    assert panel.fixed.editors["epochs"].value() == 3


def test_searched_parameters_leave_train_and_come_back(qtbot):
    panel = ExperimentPanel()
    qtbot.addWidget(panel)
    panel.space_editor.remove_param("batch_size")
    assert panel.raw()["train"]["batch_size"] == 64
    assert panel.fixed.editors["batch_size"].isVisibleTo(panel.fixed)
    panel.space_editor.add_param("hidden_units")
    assert "hidden_units" not in panel.raw()["train"]


def test_fixed_value_problem_marks_its_editor_and_unfolds_more(qtbot):
    panel = ExperimentPanel()
    qtbot.addWidget(panel)
    panel.fixed.editors["momentum"].setText("1.5")
    assert not panel.is_valid()
    assert "train.momentum" in panel.error.text()
    assert problem_of(panel.fixed.editors["momentum"])
    assert panel.fixed.more_button.isChecked()


def test_dataset_choice_shows_description_preview_and_relevant_fields(qtbot):
    panel = ExperimentPanel()
    qtbot.addWidget(panel)
    assert "spiral" in panel.about.text()
    assert panel.preview.plot.isVisibleTo(panel)
    panel.dataset.setCurrentText("digits")
    assert "1797 examples, 64 features, 10 classes" in panel.preview.summary.text()
    assert not panel.preview.plot.isVisibleTo(panel)
    assert not panel.samples.isVisibleTo(panel) and not panel.noise.isVisibleTo(panel)
    panel.dataset.setCurrentText("moons")
    assert panel.samples.isVisibleTo(panel) and not panel.classes.isVisibleTo(panel)
    assert panel.config().data.source == "moons"


def test_a_missing_file_disables_run_with_the_data_error(qtbot, tmp_path):
    panel = ExperimentPanel()
    qtbot.addWidget(panel)
    panel.set_data_file(tmp_path / "gone.csv")
    assert panel.dataset.currentText() == FILE_ITEM
    assert not panel.is_valid()
    assert "gone.csv" in panel.error.text()
    assert panel.label_column.isVisibleTo(panel)


def test_every_input_has_a_tooltip(qtbot):
    from PySide6.QtWidgets import (
        QAbstractButton,
        QAbstractSpinBox,
        QComboBox,
        QLineEdit,
        QWidget,
    )

    panel = ExperimentPanel()
    qtbot.addWidget(panel)
    kinds = (QAbstractButton, QAbstractSpinBox, QComboBox, QLineEdit)
    missing = [w for w in panel.findChildren(QWidget)
               if isinstance(w, kinds) and not w.toolTip()
               and not (w.parent() and isinstance(w.parent(), kinds))]
    assert missing == []


def test_dask_executor_shows_its_scheduler_field_and_round_trips(qtbot):
    panel = ExperimentPanel()
    qtbot.addWidget(panel)
    assert not panel.scheduler.isVisibleTo(panel)
    panel.executor.setCurrentText("dask")
    assert panel.scheduler.isVisibleTo(panel)
    assert panel.config().study.scheduler == ""  # empty: a local cluster
    panel.scheduler.setText("tcp://scheduler-host:8786")
    config = panel.config()
    assert (config.study.executor, config.study.scheduler) == ("dask", "tcp://scheduler-host:8786")
    panel.reset()
    assert panel.executor.currentText() == "process" and not panel.scheduler.text()
    panel.set_config(config.to_dict())
    assert panel.config() == config
