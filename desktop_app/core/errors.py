"""Errors the core raises for bad user input. Each names the field and says the fix."""

from __future__ import annotations

EXIT_USAGE = 2
"""Exit status of a command refused for bad input (the CLI and ``caviar gui --screenshot``)."""


class CaviarError(ValueError):
    """Bad input from the user: ``field`` says where, ``problem`` what is wrong and the fix.

    ``str(err)`` is ``"field: problem"``, e.g.
    ``params.learning_rate: scale 'log' needs low > 0 (got 0)``.
    """

    def __init__(self, field: str, problem: str) -> None:
        self.field = field
        self.problem = problem
        super().__init__(f"{field}: {problem}" if field else problem)


class SpaceError(CaviarError):
    """A search-space parameter is invalid."""


class ConfigError(CaviarError):
    """A sweep config (TOML) is invalid."""


class DataError(CaviarError):
    """A dataset or data file is invalid. ``field`` names the file (and row/column)."""
