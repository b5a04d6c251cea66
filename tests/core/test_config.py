"""The TOML config loader: examples load, errors name the field, anything else is refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop_app.core.config import check_data, dump_config, load_config, parse_config
from desktop_app.core.errors import CaviarError, ConfigError, DataError

EXAMPLES = sorted((Path(__file__).parents[2] / "resources" / "examples").glob("*.toml"))


def minimal(**params: dict) -> dict:
    return {"study": {"name": "t", "trials": 3}, "data": {"dataset": "spiral"},
            "params": params or {"learning_rate": {"scale": "log", "low": 1e-4, "high": 1.0}}}


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_examples_load_and_round_trip(path: Path, tmp_path: Path) -> None:
    config = load_config(path)
    out = tmp_path / "again.toml"
    dump_config(config, out)
    assert load_config(out).to_dict() == config.to_dict()


def test_there_are_examples() -> None:
    assert len(EXAMPLES) >= 3


def test_log_scale_with_zero_low_names_field_and_fix() -> None:
    raw = minimal(learning_rate={"scale": "log", "low": 0, "high": 1})
    with pytest.raises(CaviarError) as info:
        parse_config(raw)
    assert str(info.value) == "params.learning_rate: scale 'log' needs low > 0 (got 0)"


def test_direction_follows_metric() -> None:
    raw = minimal()
    raw["study"]["metric"] = "val_loss"
    assert parse_config(raw).study.direction == "minimize"
    raw["study"]["metric"] = "val_accuracy"
    assert parse_config(raw).study.direction == "maximize"


@pytest.mark.parametrize(
    ("raw_change", "field"),
    [
        ({"study": {"strategy": "annealing"}}, "study.strategy"),
        ({"study": {"trials": 0}}, "study.trials"),
        ({"study": {"workers": "two"}}, "study.workers"),
        ({"study": {"colour": "red"}}, "study.colour"),
        ({"train": {"learning_rate": 0.1}}, "train.learning_rate"),  # also searched
        ({"train": {"optimiser": "adam"}}, "train.optimiser"),
        ({"extra": {}}, "extra"),
    ],
)
def test_bad_values_name_their_field(raw_change: dict, field: str) -> None:
    raw = minimal()
    for section, table in raw_change.items():
        raw.setdefault(section, {}).update(table)
    with pytest.raises(CaviarError) as info:
        parse_config(raw)
    assert info.value.field == field


def test_dataset_path_is_relative_to_the_config(tmp_path: Path) -> None:
    (tmp_path / "sweep.toml").write_text(
        '[data]\ndataset = "mine.csv"\n[params.learning_rate]\nlow = 0.001\nhigh = 0.1\n'
    )
    config = load_config(tmp_path / "sweep.toml")
    assert config.data.source == str(tmp_path / "mine.csv")


def test_not_toml_is_a_config_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.toml"
    path.write_text("[study\nname = 1")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_config(path)


def test_grid_budget_is_the_grid_size() -> None:
    raw = minimal(learning_rate={"scale": "log", "low": 1e-4, "high": 1.0, "points": 5},
                  optimizer={"values": ["adam", "sgd"]})
    raw["study"].update(strategy="grid", trials=1000)
    assert parse_config(raw).budget() == 10


def test_grid_over_the_limit_is_refused_with_its_size() -> None:
    raw = minimal(learning_rate={"scale": "log", "low": 1e-4, "high": 1.0, "points": 400},
                  momentum={"scale": "reverse_log", "low": 0.5, "high": 0.999, "points": 300})
    raw["study"]["strategy"] = "grid"
    with pytest.raises(CaviarError, match="120,000"):
        parse_config(raw)
    raw["study"]["strategy"] = "random"  # the same ranges are fine for random search
    assert parse_config(raw).budget() == 3


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-10**6, 10**6) | st.floats(allow_nan=True)
    | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner,
                                                                 max_size=4),
    max_leaves=12,
)
section_names = st.sampled_from(["study", "data", "train", "params", "other"])
keys = st.sampled_from([
    "name", "metric", "strategy", "trials", "workers", "executor", "seed", "pruner", "dataset",
    "samples", "classes", "noise", "validation_fraction", "label_column", "learning_rate",
    "batch_size", "momentum", "optimizer", "scale", "low", "high", "values", "points", "epochs",
])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(section_names, st.dictionaries(keys, json_values | st.dictionaries(
    keys, json_values, max_size=5), max_size=6), max_size=5))
def test_any_input_builds_or_raises_our_error(raw: dict) -> None:
    try:
        parse_config(raw)
    except CaviarError as exc:
        assert str(exc)


def test_parsing_reads_no_data_and_check_data_loads_it_once(tmp_path: Path) -> None:
    (tmp_path / "mine.csv").write_text("a,b,label\n1,2,x\n3,4\n", encoding="utf-8")
    raw = {**minimal(), "data": {"dataset": "mine.csv"}}
    config = parse_config(raw, base_dir=tmp_path)  # parsing stays pure: no error yet
    with pytest.raises(DataError) as info:
        check_data(config)
    assert str(info.value).startswith("mine.csv: line 3: 2 values")
    check_data(parse_config(minimal()))  # a usable set passes quietly
