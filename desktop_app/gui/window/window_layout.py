"""The main window's central layout: the side panel (scrolling, under the first-run hint and
over its Run footer) on the left; on the right, tabs over the trials table: the loss curves and
sweep scatter side by side, then the analysis views (importance, parallel coordinates, 2-D
map, history, model); in splitters that fit a 1024 x 640 window; and saving and restoring the
window's geometry, state, splitter sizes and the tab shown."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSettings, Qt
from PySide6.QtWidgets import (
    QScrollArea,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop_app.gui.views.table_filter import with_filter_bar
from desktop_app.gui.window.analysis_views import CURVES_TAB

if TYPE_CHECKING:
    from desktop_app.gui.window.main_window import MainWindow

SIDE_MIN_WIDTH = 360
SIDE_WIDTH = 470  # the side panel's first width; it grows and shrinks a fifth as fast as the views
FIRST_SIZE = (1560, 980)  # the window's size before any was saved (at most the screen's)


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
    side_layout.addWidget(window.first_run_hint)
    side_layout.addWidget(scroll, 1)
    side_layout.addWidget(window.footer)
    plots = QSplitter(Qt.Orientation.Horizontal)
    plots.addWidget(window.curves)
    plots.addWidget(window.scatter)
    plots.setSizes([450, 550])  # the scatter's two choosers need more width than the curves'
    tabs = QTabWidget()
    tabs.setDocumentMode(True)
    tabs.addTab(plots, CURVES_TAB)
    for title, view in window.analysis.tabs():
        tabs.addTab(view, title)
    window.view_tabs = tabs
    right = QSplitter(Qt.Orientation.Vertical)
    right.addWidget(tabs)
    table_box, window.table_filter = with_filter_bar(window.table)
    right.addWidget(table_box)
    right.setStretchFactor(0, 3)
    right.setStretchFactor(1, 2)
    right.setSizes([600, 400])  # the table keeps two fifths of the height: 5 rows at 640
    main = QSplitter(Qt.Orientation.Horizontal)
    main.addWidget(side)
    main.addWidget(right)
    main.setStretchFactor(0, 1)
    main.setStretchFactor(1, 5)
    main.setSizes([SIDE_WIDTH, FIRST_SIZE[0] - SIDE_WIDTH])
    for splitter in (plots, right, main):
        splitter.setChildrenCollapsible(False)  # a view dragged too small stays, never vanishes
    window.setCentralWidget(main)
    return {"main": main, "right": right, "plots": plots}


def restore_layout(window: MainWindow, settings: QSettings,
                   splitters: dict[str, QSplitter]) -> None:
    """Window geometry and state and splitter sizes as saved (:data:`FIRST_SIZE` at first)."""
    geometry = settings.value("window/geometry")
    if isinstance(geometry, QByteArray) and not geometry.isEmpty():
        window.restoreGeometry(geometry)
    else:
        screen = window.screen().availableSize()
        window.resize(min(FIRST_SIZE[0], screen.width()), min(FIRST_SIZE[1], screen.height()))
    state = settings.value("window/state")
    if isinstance(state, QByteArray):
        window.restoreState(state)
    for key, splitter in splitters.items():
        sizes = settings.value(f"window/splitter_{key}")
        if isinstance(sizes, QByteArray):
            splitter.restoreState(sizes)
    tab = settings.value("window/view_tab", 0)
    window.view_tabs.setCurrentIndex(int(tab) if str(tab).isdigit() else 0)


def save_layout(window: MainWindow, settings: QSettings,
                splitters: dict[str, QSplitter]) -> None:
    """Save what :func:`restore_layout` restores."""
    settings.setValue("window/geometry", window.saveGeometry())
    settings.setValue("window/state", window.saveState())
    for key, splitter in splitters.items():
        settings.setValue(f"window/splitter_{key}", splitter.saveState())
    settings.setValue("window/view_tab", window.view_tabs.currentIndex())
    settings.sync()
