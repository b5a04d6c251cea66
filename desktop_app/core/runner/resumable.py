"""Whether a config may resume the study of its name already in a file: the same data,
fixed values, search space, trainer and goal, or a ConfigError saying what differs."""

from __future__ import annotations

import json
from typing import Any

from desktop_app.core.config import StudyConfig
from desktop_app.core.errors import ConfigError
from desktop_app.core.study import Storage, StudyRecord

_SAME_ON_RESUME = ("data", "train", "params", "trainer")
_SAME_STUDY_KEYS = ("metric", "direction", "strategy", "seed")


def check_resumable(storage: Storage, config: StudyConfig) -> StudyRecord | None:
    """The stored study of the config's name, if any; it must have the same data, fixed
    values, search space and goal (ConfigError otherwise)."""
    try:
        record = storage.get_study(config.study.name)
    except KeyError:
        return None
    wanted = _plain(config.to_dict())
    stored = _plain(record.config)
    for section in _SAME_ON_RESUME:
        if stored.get(section) != wanted.get(section):
            _refuse(config.study.name, f"[{section}]")
    for key in _SAME_STUDY_KEYS:
        if stored.get("study", {}).get(key) != wanted["study"][key]:
            _refuse(config.study.name, f"study.{key}")
    return record


def _refuse(name: str, what: str) -> None:
    raise ConfigError(
        "study.name",
        f"a study named {name!r} already exists in this file with a different {what}: "
        "resume it unchanged, or give this sweep another name",
    )


def _plain(value: Any) -> Any:
    """JSON round trip, so tuples and lists (and int-valued floats) compare as stored."""
    return json.loads(json.dumps(value))
