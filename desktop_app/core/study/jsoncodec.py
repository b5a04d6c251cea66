"""The one JSON encoding both storage backends use for params and configs (never pickle).

Python's ``json`` writes NaN and ±Infinity as bare ``NaN``/``Infinity`` tokens. That is not
strict JSON, but only this module reads the text back, and it lets a NaN parameter or config
value round-trip. Numpy scalars (``np.int64`` from a sampler, say) are stored as plain Python
numbers, so every backend hands back the same plain data it would after a round trip.
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np


def _plain(value: object) -> object:
    """Numpy scalars become Python numbers; anything else is not plain JSON data."""
    if isinstance(value, np.generic):
        return value.item()
    raise TypeError(f"{type(value).__name__} is not plain JSON data")


def dump_json(value: Any, what: str) -> str:
    """Encode ``value``; ``TypeError`` naming ``what`` if it is not plain JSON data."""
    try:
        return json.dumps(value, allow_nan=True, separators=(",", ":"), default=_plain)
    except (TypeError, ValueError) as exc:
        raise TypeError(
            f"{what} must be plain JSON data (dict, list, str, number, bool, None): {exc}"
        ) from exc


class DamagedRecord(ValueError):
    """Stored text that is not the JSON :func:`dump_json` wrote (a damaged study file)."""


def load_json(text: str, what: str = "a stored value") -> Any:
    """Decode text written by :func:`dump_json`; :class:`DamagedRecord` naming ``what`` when
    it is not valid JSON (the file was edited or damaged outside Caviar)."""
    try:
        return json.loads(text)
    except (TypeError, ValueError) as exc:
        raise DamagedRecord(f"{what} is not valid JSON ({exc})") from None
