"""The trainer choice of the experiment panel: Caviar's network or the user's own code."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QFileDialog

from desktop_app.core.config import load_config
from desktop_app.gui.editor import recent_trainers
from desktop_app.gui.editor.experiment_panel import ExperimentPanel
from desktop_app.gui.editor.field_marks import problem_of

MODEL = "def train(params, trial):\n    trial.report(1, f1=0.5)\n"


@pytest.fixture
def panel(qtbot, tmp_path):
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    widget = ExperimentPanel(settings=settings)
    qtbot.addWidget(widget)
    return widget


@pytest.fixture
def model(tmp_path) -> Path:
    path = tmp_path / "my_model.py"
    path.write_text(MODEL, encoding="utf-8")
    return path


def shown(panel: ExperimentPanel, widget) -> bool:
    return widget.isVisibleTo(panel)


def test_switching_trainer_kind_shows_its_fields_and_back_to_the_network(panel):
    trainer = panel.trainer_section
    default = panel.config()
    assert trainer.kind() == "network" and default.trainer.kind == "network"
    assert "Caviar's numpy network" in trainer.about.text()
    assert not shown(panel, trainer.file) and not shown(panel, trainer.command)
    trainer.set_kind("function")
    assert shown(panel, trainer.file) and shown(panel, trainer.function)
    assert not shown(panel, trainer.command)
    assert not shown(panel, panel.data_section)  # the user's code loads its own data
    assert shown(panel, panel.space_editor.own_name) and shown(panel, panel.own_fixed)
    assert not shown(panel, panel.fixed)
    assert panel.study_section.metric_box().isEditable()
    assert shown(panel, panel.input("study.direction"))
    assert not panel.is_valid() and "trainer.function" in panel.problem
    trainer.set_kind("command")
    assert shown(panel, trainer.command) and shown(panel, trainer.workdir)
    assert not shown(panel, trainer.file)
    trainer.set_kind("network")
    assert shown(panel, panel.data_section) and shown(panel, panel.fixed)
    assert not shown(panel, panel.space_editor.own_name)
    assert not panel.study_section.metric_box().isEditable()
    assert not shown(panel, panel.input("study.direction"))
    assert panel.is_valid() and panel.config() == default


def test_picking_a_function_file_says_what_will_run(panel, model, monkeypatch):
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(model), ""))
    panel.trainer_section.set_kind("function")
    panel.trainer_section.browse.click()
    about = panel.trainer_section.about.text()
    assert f"your function train() in {model}" in about
    assert "learning_rate" in about and not panel.trainer_section.about.styleSheet()
    config = panel.config()
    assert config.trainer.kind == "function" and config.trainer.file == str(model)
    assert config.trainer.source == MODEL
    assert config.train == {}  # registry defaults are for the network only


def test_a_bad_function_name_is_shown_in_red_naming_the_field(panel, model):
    trainer = panel.trainer_section
    trainer.set_function_file(model)
    trainer.function.setText("trian")
    assert trainer.about.text().startswith("trainer.function:")
    assert "has no function 'trian'" in trainer.about.text()
    assert "d64541" in trainer.about.styleSheet()
    assert problem_of(trainer.function) and not problem_of(trainer.file)
    assert not panel.is_valid() and panel.problem.startswith("trainer.function")
    trainer.function.setText("train")
    assert panel.is_valid() and not problem_of(trainer.function)
    (model.parent / "broken.py").write_text("def train(:\n", encoding="utf-8")
    trainer.set_function_file(model.parent / "broken.py")
    assert "line 1" in trainer.about.text() and problem_of(trainer.file)


def test_a_command_with_an_unknown_placeholder_names_trainer_command(panel):
    trainer = panel.trainer_section
    trainer.set_kind("command")
    trainer.command.setText("python train.py --lr {learning_rate} --x {nope}")
    assert "trainer.command" in panel.problem and "{nope}" in panel.problem
    assert trainer.about.text().startswith("trainer.command: {nope}")
    assert problem_of(trainer.command)
    trainer.command.setText("python train.py --lr {learning_rate} --n {trial_number}")
    assert panel.is_valid()
    assert "{learning_rate}, {trial_number}" in trainer.about.text()
    assert panel.config().trainer.command == ("python", "train.py", "--lr", "{learning_rate}",
                                              "--n", "{trial_number}")
    trainer.command.setText("python 'train.py")  # an open quote: no traceback, a message
    assert "cannot split" in trainer.about.text() and not panel.is_valid()
    trainer.command.setText("no-such-program-here {learning_rate}")
    assert "not found on PATH" in panel.problem


def test_an_own_hyperparameter_added_by_name_reaches_the_config(panel, model):
    panel.trainer_section.set_function_file(model)
    editor = panel.space_editor
    editor.own_name.setText("temperature")
    editor.own_add.click()
    assert "temperature" in editor.names() and not editor.own_name.text()
    editor.rows["temperature"].set_table({"scale": "log", "low": 0.5, "high": 2.0})
    editor.own_name.setText("style")
    editor.own_add.click()
    editor.rows["style"].values.setText("a, b, true")
    editor.rows["style"].scale.setCurrentText("values")
    panel.own_fixed.name.setText("data_dir")
    panel.own_fixed.add_button.click()
    panel.own_fixed.editors["data_dir"].setText("/data/set")
    config = panel.config()
    temperature = config.space["temperature"]
    assert temperature.is_own and temperature.hyperparameter.kind == "float"
    assert (temperature.scale, temperature.low, temperature.high) == ("log", 0.5, 2.0)
    assert config.space["style"].values == ("a", "b", True)
    assert config.train == {"data_dir": "/data/set"}
    panel.trainer_section.set_kind("network")  # the network has no such hyperparameter
    assert not panel.is_valid() and "params.temperature" in panel.problem


def test_a_metric_of_no_known_direction_needs_the_direction(panel, model):
    panel.trainer_section.set_function_file(model)
    panel.set_value("study.metric", "f1")
    assert panel.is_valid() and panel.config().study.direction == "maximize"
    panel.set_value("study.metric", "score2")
    assert not panel.is_valid() and "study.direction" in panel.problem
    assert problem_of(panel.input("study.direction"))
    panel.set_value("study.direction", "minimize")
    assert panel.is_valid() and panel.config().study.direction == "minimize"


@pytest.mark.parametrize("trainer", [
    'function = "my_model.py:train"',
    'command = ["python", "train.py", "--t", "{temperature}", "--n", "{trial_number}"]',
])
def test_a_config_with_a_trainer_round_trips_through_the_panel(panel, model, tmp_path, trainer):
    path = tmp_path / "sweep.toml"
    path.write_text(f"""
[trainer]
{trainer}

[study]
name = "own"
metric = "f1"
trials = 5

[params.temperature]
scale = "log"
low = 0.5
high = 2.0

[params.style]
values = ["a", "b"]

[params.learning_rate]
scale = "log"
low = 0.001
high = 0.1

[train]
epochs = 4
data_dir = "/data/set"
ratio = 0.0
""", encoding="utf-8")
    loaded = load_config(path)
    panel.set_config(loaded)
    assert panel.trainer_section.kind() == loaded.trainer.kind
    assert "'" not in panel.trainer_section.command.text()  # {name} needs no shell quotes
    assert panel.config() == loaded
    panel.reset()
    assert panel.trainer_section.kind() == "network" and panel.is_valid()
    panel.set_config(loaded.to_dict())
    assert panel.config() == loaded
    assert set(panel.own_fixed.editors) == {"epochs", "data_dir", "ratio"}


def test_recent_trainers_are_remembered_and_offered(panel, model, tmp_path, qtbot):
    panel.trainer_section.set_function_file(model)
    panel.config()  # what Run and Save ask for
    panel.trainer_section.set_kind("command")
    panel.trainer_section.command.setText("python train.py")
    panel.config()
    stored = recent_trainers.recent(panel.trainer_section.settings)
    assert [list(t) for t in stored] == [["command", "workdir"], ["function"]]
    other = ExperimentPanel(settings=panel.trainer_section.settings)
    qtbot.addWidget(other)
    menu = other.trainer_section.recent_menu
    menu.fill()
    labels = [a.text() for a in menu.actions()]
    assert labels == ["python train.py", "train() in my_model.py"]
    menu.actions()[1].trigger()
    assert other.trainer_section.kind() == "function"
    assert other.trainer_section.file.text() == str(model) and other.is_valid()
    for number in range(12):
        panel.trainer_section.command.setText(f"python train.py {number}")
        panel.config()
    assert len(recent_trainers.recent(panel.trainer_section.settings)) == \
        recent_trainers.MAX_RECENT
