"""Light and dark palettes that follow the system colour scheme (Qt 6.5+), for widgets and plots.

Fusion draws the same on every platform and honours a full palette, so the dark palette here
looks alike on Linux, Windows and macOS. pyqtgraph's defaults follow the palette too; plots
that exist already restyle themselves on the palette-change event they receive. The
environment variable ``CAVIAR_COLOR_SCHEME=dark`` (or ``light``) overrides the system's scheme,
e.g. for ``caviar gui --screenshot`` on a headless host, which reports no scheme.
"""

from __future__ import annotations

import os

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

SCHEME_ENV = "CAVIAR_COLOR_SCHEME"
"""Set to "dark" or "light" to use that scheme whatever the system says."""
_FORCED = {"dark": Qt.ColorScheme.Dark, "light": Qt.ColorScheme.Light}

_DARK = {
    QPalette.ColorRole.Window: "#2b2d30",
    QPalette.ColorRole.WindowText: "#e6e6e6",
    QPalette.ColorRole.Base: "#1e1f22",
    QPalette.ColorRole.AlternateBase: "#26282b",
    QPalette.ColorRole.ToolTipBase: "#3c3f41",
    QPalette.ColorRole.ToolTipText: "#f0f0f0",
    QPalette.ColorRole.PlaceholderText: "#9a9a9a",
    QPalette.ColorRole.Text: "#e6e6e6",
    QPalette.ColorRole.Button: "#393b40",
    QPalette.ColorRole.ButtonText: "#e6e6e6",
    QPalette.ColorRole.BrightText: "#ff6b6b",
    QPalette.ColorRole.Link: "#6aa9ff",
    QPalette.ColorRole.Highlight: "#3574f0",
    QPalette.ColorRole.HighlightedText: "#ffffff",
    QPalette.ColorRole.Mid: "#4e5157",
    QPalette.ColorRole.Dark: "#1b1c1f",
    QPalette.ColorRole.Light: "#4a4d52",
}
_DISABLED_TEXT = "#7a7a7a"


def chosen_scheme(system: Qt.ColorScheme) -> Qt.ColorScheme:
    """The scheme Caviar uses: ``CAVIAR_COLOR_SCHEME`` when set, else the ``system``'s."""
    return _FORCED.get(os.environ.get(SCHEME_ENV, "").strip().lower(), system)


def dark_palette() -> QPalette:
    """Caviar's dark palette (readable text, visible disabled state)."""
    palette = QPalette()
    for role, color in _DARK.items():
        palette.setColor(role, QColor(color))
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText,
                 QPalette.ColorRole.WindowText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor(_DISABLED_TEXT))
    return palette


def apply_theme(app: QApplication) -> None:
    """Fusion with the light or dark palette of the system scheme; follow later changes."""
    app.setStyle("Fusion")
    hints = app.styleHints()
    apply_scheme(app, hints.colorScheme())
    hints.colorSchemeChanged.connect(lambda scheme: apply_scheme(app, scheme))


def apply_scheme(app: QApplication, scheme: Qt.ColorScheme) -> None:
    """Switch every widget and plot to the palette of ``scheme`` (see :func:`chosen_scheme`)
    now: the system's scheme changes arrive here."""
    dark = chosen_scheme(scheme) == Qt.ColorScheme.Dark
    palette = dark_palette() if dark else app.style().standardPalette()
    app.setPalette(palette)
    pg.setConfigOptions(background=palette.color(QPalette.ColorRole.Base),
                        foreground=palette.color(QPalette.ColorRole.Text))
