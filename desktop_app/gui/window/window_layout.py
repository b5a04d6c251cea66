"""The main window's central layout: the side panel (scrolling, with its Run footer) on the
left, the loss curves and sweep scatter side by side over the trials table on the right; and
saving and restoring the window's geometry, state and splitter sizes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSettings, Qt
from PySide6.QtWidgets import QMainWindow, QScrollArea, QSplitter, QVBoxLayout, QWidget

if TYPE_CHECKING:
    from desktop_app.gui.window.main_window import MainWindow

SIDE_MIN_WIDTH = 440
FIRST_SIZE = (1560, 980)  # the window's size before any was saved


def build_central(window: MainWindow) -> dict[str, QSplitter]:
    """Lay out the window's widgets; return its splitters by name (their sizes are saved)."""
    scroll = QScrollArea()
    scroll.setWidget(window.panel)
    scroll.setWidgetResizable(True)
    scroll.setMinimumWidth(SIDE_MIN_WIDTH)
    scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    side = QWidget()
    side_layout = QVBoxLayout(side)
    side_layout.setContentsMargins(0, 0, 0, 0)
    side_layout.setSpacing(0)
    side_layout.addWidget(scroll, 1)
    side_layout.addWidget(window.footer)
    plots = QSplitter(Qt.Orientation.Horizontal)
    plots.addWidget(window.curves)
    plots.addWidget(window.scatter)
    right = QSplitter(Qt.Orientation.Vertical)
    right.addWidget(plots)
    right.addWidget(window.table)
    right.setStretchFactor(0, 3)
    right.setStretchFactor(1, 2)
    main = QSplitter(Qt.Orientation.Horizontal)
    main.addWidget(side)
    main.addWidget(right)
    main.setStretchFactor(1, 1)
    main.setSizes([470, 1100])
    window.setCentralWidget(main)
    return {"main": main, "right": right, "plots": plots}


def restore_layout(window: QMainWindow, settings: QSettings,
                   splitters: dict[str, QSplitter]) -> None:
    """Window geometry and state and splitter sizes as saved (:data:`FIRST_SIZE` at first)."""
    geometry = settings.value("window/geometry")
    if isinstance(geometry, QByteArray) and not geometry.isEmpty():
        window.restoreGeometry(geometry)
    else:
        window.resize(*FIRST_SIZE)
    state = settings.value("window/state")
    if isinstance(state, QByteArray):
        window.restoreState(state)
    for key, splitter in splitters.items():
        sizes = settings.value(f"window/splitter_{key}")
        if isinstance(sizes, QByteArray):
            splitter.restoreState(sizes)


def save_layout(window: QMainWindow, settings: QSettings,
                splitters: dict[str, QSplitter]) -> None:
    """Save what :func:`restore_layout` restores."""
    settings.setValue("window/geometry", window.saveGeometry())
    settings.setValue("window/state", window.saveState())
    for key, splitter in splitters.items():
        settings.setValue(f"window/splitter_{key}", splitter.saveState())
    settings.sync()
