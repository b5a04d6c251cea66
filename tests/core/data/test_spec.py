"""DataSpec: a frozen, hashable value object that rejects bad input with data.<field>."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from desktop_app.core.data import BUILTIN, DataSpec, describe
from desktop_app.core.errors import DataError


def test_defaults_match_the_contract() -> None:
    spec = DataSpec()
    assert (spec.source, spec.samples, spec.classes, spec.noise) == ("spiral", 600, 3, 0.2)
    assert (spec.validation_fraction, spec.label_column, spec.seed) == (0.2, None, 0)


def test_frozen_and_hashable() -> None:
    spec = DataSpec("moons", samples=200, seed=3)
    assert hash(spec) == hash(DataSpec("moons", samples=200, seed=3))
    assert spec == DataSpec("moons", samples=200, seed=3)
    assert spec != DataSpec("moons", samples=200, seed=4)
    with pytest.raises(dataclasses.FrozenInstanceError):
        spec.seed = 1  # type: ignore[misc]


def test_builtin_names_are_normalised_and_paths_accepted(tmp_path: Path) -> None:
    assert DataSpec(" Iris ").source == "iris"
    path = tmp_path / "data.csv"
    spec = DataSpec(path)  # type: ignore[arg-type]
    assert spec.source == str(path) and spec.is_file
    assert not DataSpec("digits").is_file


@pytest.mark.parametrize(
    ("kwargs", "field", "fragment"),
    [
        ({"source": "mnist"}, "data.source", "spiral, moons, circles, blobs, xor, iris, digits"),
        ({"source": "data.txt"}, "data.source", ".csv or .npz"),
        ({"source": ""}, "data.source", "file path"),
        ({"validation_fraction": 0.0}, "data.validation_fraction", "(0, 0.9]"),
        ({"validation_fraction": 0.95}, "data.validation_fraction", "(0, 0.9]"),
        ({"validation_fraction": float("nan")}, "data.validation_fraction", "finite"),
        ({"samples": 29, "classes": 3}, "data.samples", "at least 30"),
        ({"source": "moons", "samples": 19}, "data.samples", "at least 20"),
        ({"classes": 1}, "data.classes", "at least 2"),
        ({"classes": 2.5}, "data.classes", "whole number"),
        ({"samples": True}, "data.samples", "whole number"),
        ({"noise": -0.1}, "data.noise", ">= 0"),
        ({"noise": "low"}, "data.noise", "finite number"),
        ({"seed": -1}, "data.seed", "at least 0"),
        ({"label_column": "species"}, "data.label_column", "CSV files only"),
        ({"source": "a.csv", "label_column": 1.5}, "data.label_column", "0-based index"),
        ({"source": "a.csv", "label_column": -1}, "data.label_column", "at least 0"),
        ({"source": "a.csv", "label_column": " "}, "data.label_column", "empty"),
    ],
)
def test_bad_values_name_the_field(kwargs: dict, field: str, fragment: str) -> None:
    with pytest.raises(DataError) as info:
        DataSpec(**kwargs)
    assert info.value.field == field
    assert fragment in str(info.value)


def test_fixed_class_sets_ignore_classes_and_files_ignore_samples() -> None:
    assert DataSpec("moons", classes=5, samples=20).n_classes == 2
    assert DataSpec("a.csv", samples=1).samples == 1  # samples only matters for synthetic sets
    assert DataSpec("a.csv", label_column=0).label_column == 0


def test_every_builtin_has_a_one_line_description() -> None:
    for name in BUILTIN:
        text = describe(name)
        assert text and "\n" not in text
    with pytest.raises(DataError, match="unknown dataset 'mnist'"):
        describe("mnist")
