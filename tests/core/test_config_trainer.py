"""Configs with a trainer of the user's own: any hyperparameter and metric names, fixed values
as written, each mistake one ConfigError naming the field."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from desktop_app.core.config import direction_for, dump_config, load_config, parse_config
from desktop_app.core.errors import CaviarError
from desktop_app.core.search import REGISTRY
from desktop_app.core.study import Direction


def _raw(tmp_path: Path, **sections: Any) -> dict[str, Any]:
    (tmp_path / "model.py").write_text("def train(params, trial):\n    pass\n")
    raw: dict[str, Any] = {"study": {"metric": "f1"}, "trainer": {"function": "model.py:train"},
                           "params": {"width": {"low": 1, "high": 64, "scale": "pow2"},
                                      "dropout": {"low": 0.0, "high": 0.5},
                                      "lr": {"low": 1e-4, "high": 1e-1, "scale": "log"},
                                      "arch": {"values": ["cnn", "mlp"]},
                                      "learning_rate": {"low": 1e-3, "high": 1.0}},
                           "train": {"epochs": 5, "tag": "run-a", "pretrained": True}}
    raw.update(sections)
    return raw


def test_own_hyperparameters_take_their_kind_from_their_values(tmp_path: Path) -> None:
    config = parse_config(_raw(tmp_path), tmp_path)
    space = config.space
    assert [(p.name, p.hyperparameter.kind, p.scale) for p in space] == [
        ("width", "int", "pow2"), ("dropout", "float", "linear"), ("lr", "float", "log"),
        ("arch", "choice", None), ("learning_rate", "float", "log")]
    assert space["learning_rate"].hyperparameter is REGISTRY["learning_rate"]  # help, group
    assert space["width"].is_own and not space["learning_rate"].is_own
    assert config.train == {"epochs": 5, "tag": "run-a", "pretrained": True}  # as written
    assert config.epochs == 5 and config.study.direction == "maximize"
    assert config.trainer.kind == "function"


def test_a_config_with_a_trainer_round_trips(tmp_path: Path) -> None:
    config = parse_config(_raw(tmp_path), tmp_path)
    (tmp_path / "other").mkdir()
    dump_config(config, tmp_path / "other" / "copy.toml")
    assert load_config(tmp_path / "other" / "copy.toml") == config
    assert parse_config(config.to_dict()) == config  # what the study file stores


@pytest.mark.parametrize(("change", "field", "words"), [
    ({"study": {"metric": "bananas"}}, "study.direction", "does not say which way is better"),
    ({"study": {"metric": "a b"}}, "study.metric", "is not a metric name"),
    ({"params": {"x": {"low": 1e-3, "high": 1.0, "scale": "reverse_log"}}}, "params.x",
     "needs 0 <= low < high < 1"),
    ({"params": {"x": {"low": 0, "high": 1, "scale": "log"}}}, "params.x", "needs low > 0"),
    ({"params": {"x": {"low": 1, "high": 3, "scale": "cubic"}}}, "params.x", "scale must be"),
    ({"params": {"x": {"values": "abc"}}}, "params.x", "values must be a list"),
    ({"params": {"learning_rate": {"low": -1.0, "high": 1.0}}}, "params.learning_rate",
     "needs low > 0"),
    ({"train": {"shape": [1, 2]}}, "train.shape", "must be a number, text or true/false"),
    ({"train": {"momentum": 2.0}}, "train.momentum", "must be a number in [0, 1)"),
])
def test_own_config_mistakes_name_the_field(tmp_path: Path, change: dict, field: str,
                                            words: str) -> None:
    with pytest.raises(CaviarError) as caught:
        parse_config(_raw(tmp_path, **change), tmp_path)
    assert caught.value.field == field
    assert words in str(caught.value)


def test_a_direction_makes_any_metric_usable(tmp_path: Path) -> None:
    raw = _raw(tmp_path, study={"metric": "bananas", "direction": "minimize"})
    assert parse_config(raw, tmp_path).study.direction == "minimize"


def test_command_placeholders_must_be_hyperparameters(tmp_path: Path) -> None:
    raw = _raw(tmp_path, trainer={"command": ["python", "t.py", "{lr}", "{tag}",
                                              "{trial_number}"]})
    assert parse_config(raw, tmp_path).trainer.placeholders() == ["lr", "tag", "trial_number"]
    raw["trainer"]["command"].append("--batch={batch}")
    with pytest.raises(CaviarError) as caught:
        parse_config(raw, tmp_path)
    assert caught.value.field == "trainer.command"
    assert str(caught.value) == (
        "trainer.command: {batch} is not a hyperparameter of this config; add it to [params] or "
        "[train], or use one of: {arch}, {dropout}, {epochs}, {learning_rate}, {lr}, "
        "{pretrained}, {tag}, {width}, {trial_number}")


def test_the_network_keeps_its_registry_and_metrics(tmp_path: Path) -> None:
    with pytest.raises(CaviarError) as metric:
        parse_config({"study": {"metric": "f1"}})
    assert metric.value.field == "study.metric"
    assert "other metrics need a [trainer] of your own" in str(metric.value)
    with pytest.raises(CaviarError) as param:
        parse_config({"params": {"width": {"low": 1, "high": 4}}})
    assert "unknown hyperparameter 'width'" in str(param.value)
    with pytest.raises(CaviarError) as fixed:
        parse_config({"train": {"width": 3}})
    assert "any name works with a [trainer] of your own" in str(fixed.value)
    assert parse_config({}).train["optimizer"] == "adam"  # registry defaults, as before


@pytest.mark.parametrize(("metric", "direction"), [
    ("val_loss", Direction.MINIMIZE), ("top1_acc", Direction.MAXIMIZE), ("f1", Direction.MAXIMIZE),
    ("test.rmse", Direction.MINIMIZE), ("val-accuracy", Direction.MAXIMIZE),
    ("roc_auc", Direction.MAXIMIZE), ("word_error_rate", Direction.MINIMIZE), ("bananas", None),
])
def test_a_metric_name_may_say_its_direction(metric: str, direction: Direction | None) -> None:
    assert direction_for(metric) == direction


def test_no_epochs_means_the_pruner_finds_out(tmp_path: Path) -> None:
    raw = _raw(tmp_path, train={}, study={"metric": "f1", "pruner": "hyperband"})
    assert parse_config(raw, tmp_path).epochs is None
