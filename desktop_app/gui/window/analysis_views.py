"""The analysis views in the window: importance, parallel coordinates, the 2-D map, history
and the selected trial's model, as tabs beside the curves and scatter, all on the one study
model (select anywhere, every view follows).

What ties them to the window lives here: a brush (parallel coordinates) or a rectangle (the
map) keeps trials everywhere (``StudyModel.set_kept``: the table shows only them), "Narrow
the search" turns the kept trials into a new study in the panel, "Compare studies…" adds other
studies to the history, the model panel reads kept models from the open study file, and each
view exports as PNG or SVG.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QPoint, QRectF
from PySide6.QtGui import QAction, QPainter
from PySide6.QtWidgets import QFileDialog, QWidget

from desktop_app.core.analysis import narrowed_config, read_series
from desktop_app.core.data import Split, load_split
from desktop_app.core.errors import CaviarError
from desktop_app.core.study import SQLiteStorage, StorageError
from desktop_app.gui.views.history_view import HistoryView
from desktop_app.gui.views.importance_view import ImportanceView
from desktop_app.gui.views.map_view import MapView
from desktop_app.gui.views.model_panel import ModelPanel
from desktop_app.gui.views.parallel_view import ParallelView

if TYPE_CHECKING:
    from desktop_app.gui.window.main_window import MainWindow

CURVES_TAB = "Curves and scatter"
"""The first tab: the loss curves and the sweep scatter."""


class AnalysisViews(QObject):
    """The five analysis views, their tabs' names (``VIEWS``) and their window actions."""

    VIEWS = ("importance", "parallel", "map", "history", "model")

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        model = window.study_model
        self.importance = ImportanceView(model)
        self.parallel = ParallelView(model)
        self.map = MapView(model)
        self.history = HistoryView(model)
        self.model = ModelPanel(model)
        self.model.set_source(self._weights, self._validation)
        self.parallel.brushed.connect(lambda _n: self._keep(self.parallel))
        self.map.brushed.connect(lambda _n: self._keep(self.map))
        model.kept_changed.connect(self._on_kept)
        self.history.compare_button.clicked.connect(self.ask_compare)
        self.narrow = QAction("&Narrow the search to the kept trials", window)
        self.narrow.setToolTip("A new study whose ranges span the trials a brush or a "
                               "rectangle keeps, on each parameter's own scale, ready to Run")
        self.narrow.triggered.connect(self.narrow_search)
        self.narrow.setEnabled(False)
        self.export = QAction("Export the shown view as PNG or SVG…", window)
        self.export.triggered.connect(self.ask_export)

    def tabs(self) -> list[tuple[str, QWidget]]:
        """The analysis tabs, in order."""
        return [("Importance", self.importance), ("Parallel coordinates", self.parallel),
                ("2-D map", self.map), ("History", self.history), ("Model", self.model)]

    def view(self, name: str) -> QWidget:
        """The widget of view ``name`` (one of :data:`VIEWS`, or curves / scatter)."""
        window = self._window
        return {"curves": window.curves, "scatter": window.scatter, "importance": self.importance,
                "parallel": self.parallel, "map": self.map, "history": self.history,
                "model": self.model}[name]

    def shutdown(self) -> None:
        """Wait for a running importance computation (closing the window)."""
        self.importance.shutdown()

    # --- keeping trials -------------------------------------------------------------------
    def _keep(self, source: ParallelView | MapView) -> None:
        """A brush or rectangle changed: its kept trials (None when it has none) count."""
        active = bool(source.brush_ranges()) if source is self.parallel else source.has_rect()
        other = self.map if source is self.parallel else self.parallel
        if active:
            self._window.study_model.set_kept(source.kept_numbers())
        elif not (other.has_rect() if other is self.map else bool(other.brush_ranges())):
            self._window.study_model.set_kept(None)

    def _on_kept(self, kept: frozenset[int] | None) -> None:
        self.narrow.setEnabled(bool(kept))
        if kept is None:  # "Show all" in the table: forget the brushes too
            if self.parallel.brush_ranges():
                self.parallel.clear_brush()
            if self.map.has_rect():
                self.map.clear_rect()

    def narrow_search(self) -> bool:
        """Load a study narrowed to the kept trials into the panel, ready to edit and Run."""
        window = self._window
        kept = window.study_model.kept() or set()
        selected = [window.study_model.trial(n).params for n in sorted(kept)
                    if n in window.study_model]
        try:
            config = narrowed_config(window.checked_config(), selected)
        except CaviarError as exc:
            window.show_error("Cannot narrow the search", str(exc))
            return False
        window.new_study()
        window.panel.set_config(config)
        window.statusBar().showMessage(
            f"Narrowed to {len(selected)} kept trials: '{config.study.name}' is ready; check "
            "the ranges, then Run", 10_000)
        return True

    # --- the model panel's sources ----------------------------------------------------------
    def _weights(self, number: int) -> bytes | None:
        study = self._window.study
        if study.storage is None or not study.name:
            return None
        try:
            return study.storage.get_weights(study.storage.get_study(study.name).study_id,
                                             number)
        except (KeyError, StorageError):
            return None

    def _validation(self) -> Split:
        config = self._window.panel.current
        if config is None or config.trainer.is_own:
            raise CaviarError("trainer", "your own trainer's model is not Caviar's network")
        return load_split(config.data, dtype="float32")  # cached per process, as trials split it

    # --- compare, export ------------------------------------------------------------------
    def ask_compare(self) -> None:
        """Choose a study file; its studies join the history (the one shown is skipped)."""
        path, _ = QFileDialog.getOpenFileName(self._window, "Compare with the studies in",
                                              str(self._window.dialog_folder()),
                                              "Caviar studies (*.db)")
        if path:
            self.compare(Path(path))

    def compare(self, path: Path) -> int:
        """Add every study of ``path`` but the one shown; how many were added."""
        window = self._window
        try:
            with SQLiteStorage(path) as storage:
                added = 0
                for record in storage.list_studies():
                    if window.study.path == path and record.name == window.study.name:
                        continue
                    self.history.add_comparison(
                        read_series(storage, record.name, f"{record.name} ({path.name})"))
                    added += 1
        except StorageError as exc:
            window.show_error("Cannot compare", str(exc))
            return 0
        window.statusBar().showMessage(f"Comparing with {added} studies of {path.name}", 8000)
        return added

    def ask_export(self) -> None:
        """Save the view shown in the tabs as PNG or SVG."""
        path, _ = QFileDialog.getSaveFileName(self._window, "Export the view",
                                              str(self._window.dialog_folder() / "view.png"),
                                              "PNG image (*.png);;SVG drawing (*.svg)")
        if path:
            self.export_view(self._window.view_tabs.currentWidget(), Path(path))

    def export_view(self, widget: QWidget, path: Path) -> bool:
        """Write ``widget`` as it is drawn to ``path`` (.svg: vectors, else PNG)."""
        if path.suffix.lower() == ".svg":
            from PySide6.QtSvg import QSvgGenerator

            generator = QSvgGenerator()
            generator.setFileName(str(path))
            generator.setSize(widget.size())
            generator.setViewBox(QRectF(0, 0, widget.width(), widget.height()))
            generator.setTitle("Caviar")
            painter = QPainter(generator)
            widget.render(painter, QPoint(0, 0))
            ok = painter.end()
        else:
            ok = widget.grab().save(str(path.with_suffix(path.suffix or ".png")))
        if not ok:
            self._window.show_error("Cannot export", f"{path}: cannot be written")
        return bool(ok)
