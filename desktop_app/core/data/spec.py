"""DataSpec: which dataset to load and how to split it; a frozen, hashable value object."""

from __future__ import annotations

import math
import os
from dataclasses import dataclass
from numbers import Integral, Real

from desktop_app.core.data.catalog import BUILTIN, FIXED_CLASSES, SYNTHETIC
from desktop_app.core.errors import DataError

FILE_SUFFIXES: tuple[str, ...] = (".csv", ".npz")
MIN_PER_CLASS = 10


def _integer(name: str, value: object, low: int) -> int:
    """``value`` as an int >= ``low``, else DataError on ``data.<name>``."""
    if isinstance(value, bool) or not isinstance(value, Integral):
        raise DataError(f"data.{name}", f"must be a whole number (got {value!r})")
    if value < low:
        raise DataError(f"data.{name}", f"must be at least {low} (got {value})")
    return int(value)


def _real(name: str, value: object) -> float:
    """``value`` as a finite float, else DataError on ``data.<name>``."""
    if isinstance(value, bool) or not isinstance(value, Real) or not math.isfinite(value):
        raise DataError(f"data.{name}", f"must be a finite number (got {value!r})")
    return float(value)


@dataclass(frozen=True)
class DataSpec:
    """Which dataset and split: a built-in name from ``BUILTIN`` or a path to a .csv/.npz file.

    ``samples`` (the total, spread evenly over the classes) and ``noise`` apply to the
    synthetic sets only; ``classes`` to spiral and blobs only (moons, circles and xor have 2);
    ``label_column`` (a header name or a 0-based index; default the last column) to CSV files
    only. ``seed`` drives both the generator and the stratified split.
    """

    source: str = "spiral"
    samples: int = 600
    classes: int = 3
    noise: float = 0.2
    validation_fraction: float = 0.2
    label_column: str | int | None = None
    seed: int = 0

    def __post_init__(self) -> None:
        source = os.fspath(self.source) if isinstance(self.source, os.PathLike) else self.source
        if not isinstance(source, str) or not source.strip():
            raise DataError("data.source", f"give a dataset name or a file path (got {source!r})")
        if source.strip().lower() in BUILTIN:
            source = source.strip().lower()
        elif not source.lower().endswith(FILE_SUFFIXES):
            raise DataError("data.source", f"unknown dataset {source!r}; choose one of "
                            f"{', '.join(BUILTIN)}, or a path to a .csv or .npz file")
        object.__setattr__(self, "source", source)
        object.__setattr__(self, "classes", _integer("classes", self.classes, 2))
        object.__setattr__(self, "samples", _integer("samples", self.samples, 1))
        object.__setattr__(self, "seed", _integer("seed", self.seed, 0))
        object.__setattr__(self, "noise", _real("noise", self.noise))
        if self.noise < 0:
            raise DataError("data.noise", f"must be >= 0 (got {self.noise})")
        fraction = _real("validation_fraction", self.validation_fraction)
        if not 0 < fraction <= 0.9:
            raise DataError("data.validation_fraction",
                            f"must be in (0, 0.9], e.g. 0.2 (got {fraction})")
        object.__setattr__(self, "validation_fraction", fraction)
        self._check_samples()
        self._check_label_column()

    @property
    def is_file(self) -> bool:
        """True when ``source`` is a path to a user file rather than a built-in name."""
        return self.source not in BUILTIN

    @property
    def n_classes(self) -> int:
        """The class count a synthetic set will have (``classes`` or the set's fixed count)."""
        return FIXED_CLASSES.get(self.source, self.classes)

    def _check_samples(self) -> None:
        if self.source in SYNTHETIC and self.samples < MIN_PER_CLASS * self.n_classes:
            raise DataError("data.samples", f"{self.source} with {self.n_classes} classes needs "
                            f"at least {MIN_PER_CLASS * self.n_classes} samples "
                            f"({MIN_PER_CLASS} per class; got {self.samples})")

    def _check_label_column(self) -> None:
        column = self.label_column
        if column is None:
            return
        if not self.source.lower().endswith(".csv"):
            raise DataError("data.label_column", "applies to CSV files only; remove it")
        if isinstance(column, bool) or not isinstance(column, str | Integral):
            raise DataError("data.label_column",
                            f"give a column name or a 0-based index (got {column!r})")
        if isinstance(column, Integral):
            object.__setattr__(self, "label_column", _integer("label_column", column, 0))
        elif not column.strip():
            raise DataError("data.label_column", "is empty; give a column name or index")
