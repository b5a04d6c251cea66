"""The experiment panel builds a StudyConfig through the core and shows its errors in place."""

from __future__ import annotations

from dataclasses import fields

from desktop_app.core.config import StudySettings, parse_config
from desktop_app.core.data import DataSpec
from desktop_app.gui.editor.data_section import FILE_ITEM
from desktop_app.gui.editor.experiment_panel import ExperimentPanel
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
    assert panel.input("data.dataset").currentText() == "moons"
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
    preview = panel.data_section.preview
    shown = {key: (lambda k=key: panel.input(f"data.{k}").isVisibleTo(panel))
             for key in ("samples", "noise", "classes")}
    assert "spiral" in panel.data_section.about.text()
    assert preview.plot.isVisibleTo(panel)
    panel.set_value("data.dataset", "digits")
    assert "1797 examples, 64 features, 10 classes" in preview.summary.text()
    assert not preview.plot.isVisibleTo(panel)
    assert not shown["samples"]() and not shown["noise"]()
    panel.set_value("data.dataset", "moons")
    assert shown["samples"]() and not shown["classes"]()
    assert panel.config().data.source == "moons"


def test_a_missing_file_disables_run_with_the_data_error(qtbot, tmp_path):
    panel = ExperimentPanel()
    qtbot.addWidget(panel)
    panel.set_data_file(tmp_path / "gone.csv")
    assert panel.input("data.dataset").currentText() == FILE_ITEM
    assert not panel.is_valid()
    assert "gone.csv" in panel.error.text()
    assert panel.input("data.label_column").isVisibleTo(panel)
    assert panel.value("data.dataset") == str(tmp_path / "gone.csv")
    panel.set_value("data.label_column", "7")  # digits: a 0-based index
    assert panel.raw()["data"]["label_column"] == 7
    panel.set_value("data.dataset", "iris")
    assert not panel.input("data.label_column").isVisibleTo(panel)
    assert "label_column" not in panel.raw()["data"]


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
    scheduler = panel.input("study.scheduler")
    assert not scheduler.isVisibleTo(panel)
    panel.set_value("study.executor", "dask")
    assert scheduler.isVisibleTo(panel)
    assert panel.config().study.scheduler == ""  # empty: a local cluster
    panel.set_value("study.scheduler", "tcp://scheduler-host:8786")
    config = panel.config()
    assert (config.study.executor, config.study.scheduler) == ("dask", "tcp://scheduler-host:8786")
    panel.reset()
    assert panel.value("study.executor") == "process" and not panel.value("study.scheduler")
    panel.set_config(config.to_dict())
    assert panel.config() == config


def test_every_study_and_data_key_of_the_core_has_an_input(qtbot):
    panel = ExperimentPanel()
    qtbot.addWidget(panel)
    not_edited = {"study.direction", "data.seed"}  # derived from the metric / from study.seed
    keys = [f"study.{f.name}" for f in fields(StudySettings)]
    keys += [f"data.{f.name}" for f in fields(DataSpec)]
    missing = [key for key in keys if key not in not_edited and panel.input(key) is None]
    assert missing == []
    assert panel.input("data.source") is panel.input("data.dataset")
    assert panel.input("study.nonsense") is None and panel.input("train.epochs") is None


def test_new_panel_shows_the_cores_defaults(qtbot):
    panel = ExperimentPanel()
    qtbot.addWidget(panel)
    config = panel.config()
    settings = StudySettings()
    for key in ("name", "metric", "strategy", "trials", "workers", "executor", "seed",
                "pruner", "scheduler"):
        assert getattr(config.study, key) == getattr(settings, key), key
    assert config.data == DataSpec()


def test_a_table_missing_keys_shows_the_defaults_for_them(qtbot):
    panel = ExperimentPanel()
    qtbot.addWidget(panel)
    panel.set_config(raw_config(trials=7))
    assert panel.value("study.pruner") == "none"  # raw_config has no pruner
    panel.set_value("study.pruner", "asha")
    panel.set_config({"study": {"name": "other"}, "data": {"dataset": "blobs"}})
    assert (panel.value("study.pruner"), panel.value("study.trials")) == ("none", 20)
    assert panel.config().data == DataSpec(source="blobs")


def test_a_core_error_on_a_study_or_data_field_marks_that_input_only(qtbot):
    panel = ExperimentPanel()
    qtbot.addWidget(panel)
    panel.set_value("study.name", "bad/name")
    assert problem_of(panel.input("study.name")).startswith("'bad/name' is not a usable name")
    assert not panel.is_valid() and "study.name" in (panel.problem or "")
    assert problem_of(panel.input("study.trials")) is None
    panel.set_value("study.name", "fine")
    assert problem_of(panel.input("study.name")) is None and panel.is_valid()
    panel.set_value("data.dataset", "spiral")
    panel.set_value("data.samples", 20)  # spiral has 3 classes: needs 30
    assert "at least 30 samples" in problem_of(panel.input("data.samples"))
    assert not panel.is_valid()
