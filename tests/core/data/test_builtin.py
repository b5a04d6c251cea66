"""Iris and digits load from resources/; resource_path finds the folder."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

from desktop_app.core import resources
from desktop_app.core.data import DataSpec, load_dataset, load_split
from desktop_app.core.resources import resource_path


def test_iris_loads_from_resources() -> None:
    ds = load_dataset(DataSpec("iris"))
    assert ds.X.shape == (150, 4) and ds.y.shape == (150,) and ds.name == "iris.csv"
    assert ds.class_names == ("setosa", "versicolor", "virginica")
    assert ds.feature_names == ("sepal_length", "sepal_width", "petal_length", "petal_width")
    assert np.bincount(ds.y).tolist() == [50, 50, 50]
    np.testing.assert_array_equal(ds.X[0], [5.1, 3.5, 1.4, 0.2])  # Fisher's first flower


def test_digits_loads_from_resources() -> None:
    ds = load_dataset(DataSpec("digits"))
    assert ds.X.shape == (1797, 64) and ds.X.dtype == np.float64
    assert ds.class_names == tuple(str(d) for d in range(10))
    assert ds.X.min() == 0 and ds.X.max() == 16
    assert ds.feature_names[9] == "pixel_1_1"
    assert np.bincount(ds.y).tolist() == [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]
    split = load_split(DataSpec("digits"))
    assert (split.n_features, split.n_classes) == (64, 10)
    assert np.isfinite(split.X_train).all()  # pixel 0_0 is constant 0: divided by 1


def test_resource_path_prefers_the_source_tree() -> None:
    path = resource_path("datasets", "iris.csv")
    assert path == Path(resources.__file__).resolve().parents[2] / "resources/datasets/iris.csv"
    with pytest.raises(FileNotFoundError, match="nothing/here"):
        resource_path("nothing", "here")


def test_resource_path_falls_back_to_a_bundle_then_the_package(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = tmp_path / "site" / "desktop_app"
    (package / "resources" / "icons").mkdir(parents=True)
    (package / "resources" / "icons" / "a.svg").touch()
    bundle = tmp_path / "bundle"
    (bundle / "resources" / "icons").mkdir(parents=True)
    (bundle / "resources" / "icons" / "b.svg").touch()
    monkeypatch.setattr(resources, "_PACKAGE", package)
    monkeypatch.setattr(sys, "_MEIPASS", str(bundle), raising=False)
    assert resource_path("icons", "b.svg") == bundle / "resources" / "icons" / "b.svg"
    assert resource_path("icons", "a.svg") == package / "resources" / "icons" / "a.svg"
