"""Datasets: synthetic 2-D sets, the built-in Iris and digits, user CSV/NPZ files, and the
seeded stratified split standardised on its training part. See docs/architecture.md."""

from desktop_app.core.data.catalog import BUILTIN, describe
from desktop_app.core.data.dataset import Dataset, Split
from desktop_app.core.data.loading import load_dataset, load_split
from desktop_app.core.data.spec import DataSpec

__all__ = ["BUILTIN", "DataSpec", "Dataset", "Split", "describe", "load_dataset", "load_split"]
