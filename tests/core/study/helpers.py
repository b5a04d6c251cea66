"""Shared helpers of the study-file tests: damaging a study file the ways users' files break."""

from __future__ import annotations

import sqlite3
from pathlib import Path

DAMAGES = {
    "truncated": "",  # cut short, as by an interrupted copy
    "config": "UPDATE studies SET config = '{oops'",
    "params": "UPDATE trials SET params = '[1,' WHERE number = 1",
    "table": "DROP TABLE epochs",
}


def damage(path: Path, how: str) -> None:
    """Damage the study file at ``path`` the way ``how`` (a key of :data:`DAMAGES`) says."""
    sql = DAMAGES[how]
    if not sql:
        path.write_bytes(path.read_bytes()[:8192])
        return
    with sqlite3.connect(path) as conn:
        conn.execute(sql)
    conn.close()
