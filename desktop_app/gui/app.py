"""``run_gui``: the QApplication, the window, and the screenshot mode that checks it headless.

``caviar`` and ``caviar gui [FILE] [--screenshot OUT.png]`` end here. With ``screenshot`` the
window runs a short sweep (the given config, or a built-in demo), waits for it to finish,
saves a PNG of the whole window and exits: how the README's pictures are made and how anyone
checks the window without a display. ``caviar report`` (:func:`write_report`) draws every view
of a study the same way into one HTML or PDF file.
"""

from __future__ import annotations

import base64
import html
import os
import signal
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QCoreApplication,
    QEvent,
    QEventLoop,
    QIODevice,
    QSettings,
    Qt,
    QTimer,
)
from PySide6.QtGui import QGuiApplication, QImage, QPageLayout, QPainter, QPdfWriter
from PySide6.QtWidgets import QApplication, QWidget

from desktop_app.core.config import check_data, load_config, parse_config
from desktop_app.core.errors import EXIT_USAGE, CaviarError
from desktop_app.gui.style.fonts import register_fonts
from desktop_app.gui.style.icons import icon
from desktop_app.gui.style.theme import apply_theme

SCREENSHOT_TIMEOUT_S = 300
SCREENSHOT_SIZE = (1600, 1000)

DEMO_CONFIG: dict[str, Any] = {
    "study": {"name": "demo", "strategy": "random", "trials": 8, "workers": 2,
              "executor": "thread", "seed": 3, "metric": "val_accuracy"},
    "data": {"dataset": "spiral", "samples": 600, "classes": 3, "noise": 0.2},
    "train": {"epochs": 15, "hidden_units": 64, "hidden_layers": 2, "optimizer": "adam"},
    "params": {"learning_rate": {"scale": "log", "low": 1e-4, "high": 1e-1},
               "batch_size": {"scale": "pow2", "low": 16, "high": 256},
               "beta_1": {"scale": "reverse_log", "low": 0.8, "high": 0.99}},
}
"""Spiral, random search, 8 trials x 15 epochs over a log, a pow2 and a reverse_log range."""


def make_app(argv: list[str] | None = None) -> QApplication:
    """The one QApplication: names for QSettings, app icon, fonts, the system's light/dark."""
    app = QApplication.instance()
    if app is None:
        QGuiApplication.setHighDpiScaleFactorRoundingPolicy(
            Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
        app = QApplication(argv if argv is not None else sys.argv[:1])
    QCoreApplication.setOrganizationName("Caviar")
    QCoreApplication.setApplicationName("Caviar")
    QGuiApplication.setApplicationDisplayName("Caviar")
    app.setWindowIcon(icon("caviar"))
    register_fonts()
    apply_theme(app)
    return app


def run_gui(path: str | None = None, screenshot: str | None = None, view: str = "window"
            ) -> int:
    """Open the window (on ``path``: a study .db or a config .toml); return the exit status.

    With ``screenshot``: run the config (or the demo) to the end, or open the study, and save
    the window (or the one ``view`` of ``SCREENSHOT_VIEWS``) as PNG there, exit 0; a config
    the window would not run (bad settings or data) prints one line ``FILE: field: problem``
    and returns 2; any other failure prints one line and returns 1.
    """
    if screenshot and not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = make_app()
    from desktop_app.gui.window.main_window import MainWindow

    if screenshot:
        return _screenshot(app, path, Path(screenshot), view)
    window = MainWindow()
    window.show()
    if path:  # once the event loop runs: a problem shows in a message box over the window
        QTimer.singleShot(0, lambda: window.open_path(path))
    with close_on_signals(window):
        status = app.exec()
    _dispose(window)
    return status


@contextmanager
def close_on_signals(window: Any) -> Iterator[None]:
    """Meanwhile SIGTERM and SIGHUP (logging out, systemd, the terminal closing) close
    ``window`` as its close button does, without asking: a running sweep stops and its running
    trials are kept interrupted, for resume to re-run. A timer lets Python run its signal
    handlers while Qt waits for events."""

    def handler(signum: int, frame: object) -> None:
        window.confirm_close = lambda: True
        QTimer.singleShot(0, window.close)

    names = ("SIGTERM", "SIGHUP")
    previous = {sig: signal.signal(sig, handler)
                for sig in (getattr(signal, n) for n in names if hasattr(signal, n))}
    timer = QTimer()
    timer.timeout.connect(lambda: None)
    timer.start(200)
    try:
        yield
    finally:
        timer.stop()
        for sig, old in previous.items():
            signal.signal(sig, old)


def _screenshot(app: QApplication, path: str | None, out: Path, view: str = "window") -> int:
    """Run a short sweep into a throw-away study file (or open the study), then grab the
    window or one of its views."""
    from desktop_app.gui.window.main_window import MainWindow
    from desktop_app.gui.window.optuna_watch import is_optuna

    with tempfile.TemporaryDirectory(prefix="caviar-shot-") as tmp:
        settings = QSettings(str(Path(tmp) / "settings.ini"), QSettings.Format.IniFormat)
        window = MainWindow(settings=settings, studies_dir=Path(tmp))
        window.confirm_close = lambda: True
        problems: list[str] = []
        refused: str | None = None
        window.show_error = lambda title, text: problems.append(f"{title}: {text}")
        window.resize(*SCREENSHOT_SIZE)
        if path and Path(path).suffix.lower() == ".db":
            ok = window.open_path(path)  # a Caviar study, or an Optuna storage (.db)
            wait = window.optuna.wait_opened if is_optuna(Path(path)) else \
                window.opening.wait_loaded
            ok = ok and wait(SCREENSHOT_TIMEOUT_S * 1000)
        else:
            if path:
                refused = _refusal(window, Path(path))
            else:
                window.panel.set_config(parse_config(DEMO_CONFIG))
            ok = refused is None and window.run_sweep()
        window.show()
        if ok and window.controller.is_running():
            timer = QTimer()
            timer.setSingleShot(True)
            timer.timeout.connect(lambda: (problems.append("the sweep took too long"),
                                           window.controller.stop()))
            timer.start(SCREENSHOT_TIMEOUT_S * 1000)
            loop = QEventLoop()  # not app.exec()/quit(): Qt 6's quit() closes every window
            window.controller.finished.connect(lambda _finished: loop.quit())
            loop.exec()
            timer.stop()
        _settle(app, window)
        image = (window if view == "window" else _show_view(app, window, view)).grab().toImage()
        window.close()
        _dispose(window)
    if refused:
        print(refused, file=sys.stderr)
        return EXIT_USAGE
    if problems or not ok:
        print(f"caviar: screenshot failed: {'; '.join(problems) or 'see above'}",
              file=sys.stderr)
        return 1
    return _save(image, out)


def _refusal(window: Any, path: Path) -> str | None:
    """Why the config at ``path`` may not run, as one line ``FILE: field: problem`` (None when
    it may): what loading it or its data says, or what the window's own panel says to fix."""
    try:
        check_data(load_config(path))
    except CaviarError as exc:
        return f"{path.name}: {exc}"
    window.open_config(path)
    window.db_path = None  # never write into the user's study file
    if not window.panel.is_valid():
        return f"{path.name}: {window.panel.problem}"
    return None


def _dispose(window: Any) -> None:
    """Delete the window while the application still exists (no crash at interpreter exit)."""
    window.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)


def _settle(app: QApplication, window: Any) -> None:
    """Let the plots' redraw timers run and the selection show the best trial."""
    best = window.study_model.best_number()
    if best is not None:
        window.study_model.select(best)
    for _ in range(3):  # a local loop: app.quit() would close the window (Qt 6), and hidden
        loop = QEventLoop()  # views do not draw
        QTimer.singleShot(60, loop.quit)
        loop.exec()


def _show_view(app: QApplication, window: Any, name: str) -> QWidget:
    """Bring view ``name`` to the front (its tab), let it draw, and return it."""
    widget = window.analysis.view(name)
    tabs = window.view_tabs
    tabs.setCurrentIndex(next((i for i in range(tabs.count())
                               if tabs.widget(i).isAncestorOf(widget) or tabs.widget(i) is widget),
                              0))
    window.analysis.importance.refresh()
    window.analysis.importance.wait(SCREENSHOT_TIMEOUT_S * 1000)
    _settle(app, window)
    return widget


REPORT_VIEWS = (("curves", "Loss curves"), ("scatter", "Sweep scatter"),
                ("importance", "Importance"), ("parallel", "Parallel coordinates"),
                ("map", "2-D map"), ("history", "History"), ("model", "The best trial's model"))
"""The views of a report, in order, with their titles."""
PDF_DPI = 150


def write_report(study_path: str, name: str, out: Path) -> int:
    """Draw each of :data:`REPORT_VIEWS` of study ``name`` offscreen and write them to ``out``
    (``.pdf``: a page per view; else HTML with the pictures inside). One line and status 1
    when the study cannot be shown or the file written."""
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = make_app()
    from desktop_app.gui.window.main_window import MainWindow

    with tempfile.TemporaryDirectory(prefix="caviar-report-") as tmp:
        settings = QSettings(str(Path(tmp) / "settings.ini"), QSettings.Format.IniFormat)
        window = MainWindow(settings=settings, studies_dir=Path(tmp))
        problems: list[str] = []
        window.show_error = lambda title, text: problems.append(f"{title}: {text}")
        window.resize(*SCREENSHOT_SIZE)
        ok = window.open_study(study_path, name) and \
            window.opening.wait_loaded(SCREENSHOT_TIMEOUT_S * 1000)
        window.show()
        _settle(app, window)
        model = window.study_model
        best = model.best_number()
        summary = (f"Study {name!r} in {Path(study_path).name}: {len(model)} trials; "
                   + ("no complete trial" if best is None else
                      f"best trial {best}, {model.metric} = {model.value(best):.4g}"))
        images = [(title, _show_view(app, window, key).grab().toImage())
                  for key, title in REPORT_VIEWS] if ok else []
        window.close()
        _dispose(window)
    if not ok or problems:
        print(f"caviar: report failed: {'; '.join(problems) or 'the study did not open'}",
              file=sys.stderr)
        return 1
    writer = _write_pdf if out.suffix.lower() == ".pdf" else _write_html
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        writer(out, summary, images)
    except OSError as exc:
        print(f"caviar: {out}: cannot write it ({exc.strerror or exc})", file=sys.stderr)
        return 1
    print(f"saved {out} ({len(images)} views)")
    return 0


def _write_html(out: Path, summary: str, images: list[tuple[str, QImage]]) -> None:
    parts = [f"<!doctype html><meta charset='utf-8'><title>Caviar report</title>"
             f"<h1>Caviar report</h1><p>{html.escape(summary)}</p>"]
    for title, image in images:
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        image.save(buffer, "PNG")
        encoded = base64.b64encode(bytes(data)).decode()
        parts.append(f"<h2>{html.escape(title)}</h2>"
                     f"<img alt='{html.escape(title)}' src='data:image/png;base64,{encoded}'>")
    out.write_text("\n".join(parts) + "\n", encoding="utf-8")


def _write_pdf(out: Path, summary: str, images: list[tuple[str, QImage]]) -> None:
    writer = QPdfWriter(str(out))
    writer.setResolution(PDF_DPI)  # the pictures at about their own size, not 1200 dpi
    writer.setPageOrientation(QPageLayout.Orientation.Landscape)
    writer.setTitle("Caviar report")
    painter = QPainter()
    if not painter.begin(writer):
        raise OSError(f"cannot open {out} for writing")
    page = painter.viewport()
    for index, (title, image) in enumerate(images):
        if index:
            writer.newPage()
        line = painter.fontMetrics().height()
        painter.drawText(0, line, title if index else f"{title}. {summary}")
        scaled = image.scaled(page.width(), page.height() - 2 * line,
                              Qt.AspectRatioMode.KeepAspectRatio,
                              Qt.TransformationMode.SmoothTransformation)
        painter.drawImage(0, 2 * line, scaled)
    painter.end()


def _save(image: QImage, out: Path) -> int:
    if image.isNull() or image.width() == 0:
        print("caviar: screenshot failed: the window drew nothing", file=sys.stderr)
        return 1
    out.parent.mkdir(parents=True, exist_ok=True)
    if not image.save(str(out), "PNG"):
        print(f"caviar: cannot write {out}", file=sys.stderr)
        return 1
    print(f"saved {out} ({image.width()}x{image.height()})")
    return 0
