"""The font Caviar ships, so text is readable on hosts that have no fonts of their own.

A bundle started on a bare host (no font packages, or no fontconfig configuration) finds no
font family, and Qt then draws every character as an empty box. ``resources/fonts/`` carries
DejaVu Sans; :func:`register_fonts` adds it to the application's font database and makes it
the default only when the system offers no usable font, so users keep their desktop's font.
"""

from __future__ import annotations

import logging

from PySide6.QtGui import QFontDatabase, QFontInfo, QGuiApplication

from desktop_app.core.resources import resource_path

FONT_SUFFIXES = (".ttf", ".otf")

_log = logging.getLogger(__name__)


def default_font_resolves() -> bool:
    """True when the application's default font maps to a real font file.

    On a bare host the database still lists fontconfig's aliases ("Sans Serif", ...), but the
    default font resolves to no family (an empty name) and every glyph is drawn as a box.
    """
    return bool(QFontInfo(QGuiApplication.font()).family())


def register_fonts() -> list[str]:
    """Add every font file of ``resources/fonts/`` to Qt; return the families they provide.

    Needs a ``QGuiApplication``. When the default font did not resolve to a real font before
    (no usable system font), the first shipped family becomes the application's default.
    """
    app = QGuiApplication.instance()
    if app is None:
        raise RuntimeError("register_fonts() needs a QGuiApplication: create the app first")
    had_font = default_font_resolves()
    families: list[str] = []
    for path in sorted(resource_path("fonts").iterdir()):
        if path.suffix.lower() not in FONT_SUFFIXES:
            continue
        font_id = QFontDatabase.addApplicationFont(str(path))
        if font_id < 0:
            _log.warning("Qt could not load the font file %s", path)
            continue
        for family in QFontDatabase.applicationFontFamilies(font_id):
            if family not in families:
                families.append(family)
    if families and not had_font:
        font = QGuiApplication.font()
        font.setFamily(families[0])
        QGuiApplication.setFont(font)
    return families


__all__ = ["FONT_SUFFIXES", "default_font_resolves", "register_fonts"]
