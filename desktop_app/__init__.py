"""Caviar: a desktop studio for hyperparameter tuning of small numpy neural networks."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("caviar")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+unknown"

__all__ = ["__version__"]
