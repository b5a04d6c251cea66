"""File chores of the window that need no widgets: where studies go, names, CSV and plot export."""

from __future__ import annotations

import re
from contextlib import nullcontext
from pathlib import Path

import pyqtgraph as pg
import pyqtgraph.exporters as pg_exporters
from PySide6.QtCore import QSettings, QStandardPaths

from desktop_app.core.export import export_table, save_export, write_csv
from desktop_app.core.study import Storage
from desktop_app.gui.views.plot_caption import CaptionedPlot

STUDY_SUFFIX = ".db"
CONFIG_SUFFIX = ".toml"
DATA_SUFFIXES = (".csv", ".npz")
MAX_RECENT = 8


def default_studies_dir() -> Path:
    """Where a new study is stored when the user has not chosen a file (created on demand)."""
    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    return Path(base or Path.home() / ".caviar") / "studies"


def study_file_for(folder: Path, name: str) -> Path:
    """``folder/<name as a file name>.db``."""
    slug = re.sub(r"[^A-Za-z0-9_.-]+", "-", name).strip("-.") or "study"
    return folder / f"{slug}{STUDY_SUFFIX}"


def window_title(study_name: str | None, path: Path | None) -> str:
    """``Caviar — study name — study file``, leaving out what is not known."""
    return " — ".join(["Caviar", *(str(part) for part in (study_name, path) if part)])


def free_study_name(storage: Storage, name: str) -> str:
    """``name``, or ``name-2``, ``name-3``, ... when the file already holds a study so named."""
    taken = {s.name for s in storage.list_studies()}
    if name not in taken:
        return name
    stem = re.sub(r"-\d+$", "", name)
    n = 2
    while f"{stem}-{n}" in taken:
        n += 1
    return f"{stem}-{n}"


def export_results_csv(storage: Storage, study_name: str, path: str | Path) -> int:
    """Write the study's trials as ``caviar export`` does; return the number of rows.
    :class:`~desktop_app.core.export.ExportError` (one line) when the file cannot be written."""
    columns, rows = export_table(storage, study_name)
    return save_export(write_csv, columns, rows, Path(path))


def export_plot(plot: pg.PlotWidget, path: str | Path) -> None:
    """Save ``plot`` as SVG (by suffix) or PNG at twice its on-screen size; a
    :class:`CaptionedPlot` (the loss curves, the scatter) with its title and legend."""
    path = str(path)
    item = plot.getPlotItem()
    with plot.captioned() if isinstance(plot, CaptionedPlot) else nullcontext():
        if path.lower().endswith(".svg"):
            pg_exporters.SVGExporter(item).export(path)
            return
        exporter = pg_exporters.ImageExporter(item)
        exporter.parameters()["width"] = max(800, int(item.width() * 2))
        exporter.export(path)


def recent_files(settings: QSettings) -> list[str]:
    """Recently used files, most recent first; files that vanished are dropped."""
    value = settings.value("recent_files") or []
    files = [value] if isinstance(value, str) else list(value)
    return [f for f in files if Path(f).exists()][:MAX_RECENT]


def last_folder(settings: QSettings) -> Path:
    """The folder of the most recently used file that still exists, else the home folder."""
    files = recent_files(settings)
    return Path(files[0]).parent if files else Path.home()


def remember(settings: QSettings, path: str | Path) -> list[str]:
    """Put ``path`` first in the recent files; return the new list."""
    files = [str(path), *(f for f in recent_files(settings) if f != str(path))][:MAX_RECENT]
    settings.setValue("recent_files", files)
    return files
