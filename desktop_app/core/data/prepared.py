"""A user file's Dataset and Split kept as prepared arrays on disk (see :mod:`.store`).

The dataset is stored per label column; the split (stratified, standardised) per label
column, validation fraction, seed and feature dtype, so a trial worker maps the very float32
arrays it trains on and neither parses the file nor copies the set.
"""

from __future__ import annotations

from collections.abc import Callable

from desktop_app.core.data.dataset import Dataset, Split, frozen
from desktop_app.core.data.spec import DataSpec
from desktop_app.core.data.store import Prepared, Stamp, prepared


def shared_dataset(spec: DataSpec, stamp: Stamp, build: Callable[[], Dataset]) -> Dataset:
    """The dataset of file ``spec.source`` (stamped ``stamp``): stored, or ``build()``-t."""

    def prepare() -> Prepared:
        ds = build()
        return {"X": ds.X, "y": ds.y}, {"name": ds.name, "class_names": ds.class_names,
                                        "feature_names": ds.feature_names}

    arrays, note = prepared(stamp, "dataset", {"label_column": spec.label_column}, prepare)
    return Dataset(note["name"], frozen(arrays["X"]), frozen(arrays["y"]),
                   tuple(note["class_names"]), tuple(note["feature_names"]))


def shared_split(spec: DataSpec, stamp: Stamp, dtype: str, build: Callable[[], Split]) -> Split:
    """The split of file ``spec.source`` (stamped ``stamp``) with ``dtype`` features: stored,
    or ``build()``-t."""

    def prepare() -> Prepared:
        split = build()
        arrays = {"X_train": split.X_train, "y_train": split.y_train,
                  "X_val": split.X_val, "y_val": split.y_val}
        return arrays, {"n_features": split.n_features, "n_classes": split.n_classes,
                        "class_names": split.class_names, "name": split.name}

    key = {"label_column": spec.label_column, "validation_fraction": spec.validation_fraction,
           "seed": spec.seed, "dtype": dtype}
    arrays, note = prepared(stamp, "split", key, prepare)
    return Split(
        X_train=frozen(arrays["X_train"]), y_train=frozen(arrays["y_train"]),
        X_val=frozen(arrays["X_val"]), y_val=frozen(arrays["y_val"]),
        n_features=note["n_features"], n_classes=note["n_classes"],
        class_names=tuple(note["class_names"]), name=note["name"],
    )
