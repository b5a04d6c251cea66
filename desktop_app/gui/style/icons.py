"""The hand-drawn SVG icons of ``resources/icons/`` as QIcons."""

from __future__ import annotations

from functools import cache

from PySide6.QtGui import QIcon

from desktop_app.core.resources import resource_path


@cache
def icon(name: str) -> QIcon:
    """``resources/icons/<name>.svg`` (the app icon also has a PNG for platforms without SVG)."""
    result = QIcon(str(resource_path("icons", f"{name}.svg")))
    if name == "caviar":
        result.addFile(str(resource_path("icons", "caviar.png")))
    return result
