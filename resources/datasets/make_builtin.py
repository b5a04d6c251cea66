"""Export the built-in Iris and digits sets from scikit-learn's bundled data files.

Run once by a developer (scikit-learn is needed here only, never at run time):
    .venv/bin/python resources/datasets/make_builtin.py
It writes iris.csv and digits.npz next to this script; both are committed.
See LICENSE.md for where the data come from.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from sklearn.datasets import load_digits, load_iris

HERE = Path(__file__).resolve().parent
IRIS_COLUMNS = ("sepal_length", "sepal_width", "petal_length", "petal_width", "species")


def export_iris(path: Path) -> None:
    """Iris as CSV: four measurements in cm and the species name."""
    iris = load_iris()
    lines = [",".join(IRIS_COLUMNS)]
    for row, label in zip(iris.data, iris.target, strict=True):
        lines.append(",".join([*(repr(float(v)) for v in row), str(iris.target_names[label])]))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def export_digits(path: Path) -> None:
    """Digits as compressed NPZ: X uint8 (1797, 64) grey levels 0-16, y uint8 digits 0-9."""
    digits = load_digits()
    np.savez_compressed(
        path,
        X=digits.data.astype(np.uint8),
        y=digits.target.astype(np.uint8),
        feature_names=np.array([f"pixel_{r}_{c}" for r in range(8) for c in range(8)]),
        class_names=np.array([str(d) for d in digits.target_names]),
    )


if __name__ == "__main__":
    export_iris(HERE / "iris.csv")
    export_digits(HERE / "digits.npz")
