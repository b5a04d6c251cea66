"""The window's commands: QActions with shortcuts, icons and tooltips, menus, the tool bar.

Actions that need a file name ask with a QFileDialog here and call the window's plain methods
(``open_study(path)``, ``save_config(path)``, ...), which tests call directly. What they need
to know they ask the window by intention (``dialog_folder()``, ``typed_study_name()``,
``shown_study_name()``, ``checked_config()``), never through the panel's widgets.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QInputDialog,
    QMenu,
    QMenuBar,
    QMessageBox,
    QToolBar,
)

from desktop_app.gui.style.icons import icon
from desktop_app.gui.window import optuna_files, study_files
from desktop_app.gui.window.example_picker import ExamplePicker, shipped_examples

if TYPE_CHECKING:
    from desktop_app.gui.live.panda import PandaDialog
    from desktop_app.gui.window.main_window import MainWindow


TOOL_BAR = (("new", "New"), ("open_study", "Open…"), ("open_example", "Examples…"),
            ("save_config", "Save config…"), (None, ""), ("run", "Run"), ("stop", "Stop"),
            ("resume", "Resume"), (None, ""), ("train_one", "Panda…"), (None, ""),
            ("export_results", "Export CSV…"), ("export_curves", "Export curves…"))
"""The tool bar's actions (None: a separator) and their short button texts."""
PANDA_TIP = "Babysit one model: watch its curves, pause, change the learning rate, continue"
PANDA_OWN_TIP = ("Panda mode babysits Caviar's own network only: it pauses the training and "
                 "changes its learning rate, which Caviar cannot do inside your own trainer")


class MainActions:
    """Owns every QAction of a :class:`MainWindow` and keeps their enabled state right."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.panda: PandaDialog | None = None

    def _action(self, text: str, tip: str, slot: object, shortcut: object = None,
                icon_name: str | None = None) -> QAction:
        action = QAction(text, self.window)
        if icon_name:
            action.setIcon(icon(icon_name))
        if shortcut is not None:
            keys = QKeySequence(shortcut)
            action.setShortcut(keys)
            tip = f"{tip} ({keys.toString(QKeySequence.SequenceFormat.NativeText)})"
        action.setToolTip(tip)
        action.setStatusTip(tip)
        action.triggered.connect(slot)
        return action

    def create(self) -> None:
        """Build every action."""
        w = self.window
        std = QKeySequence.StandardKey
        self.new = self._action("&New study", "Start over with the default settings",
                                w.new_study, std.New, "new")
        self.open_study = self._action("&Open study…", "Open a study file (.db): every past "
                                       "trial and curve", self._ask_open_study, std.Open,
                                       "open_study")
        self.open_optuna = self._action("Open O&ptuna storage…", "Show a study of an Optuna "
                                        "storage URL read-only, refreshed while it grows",
                                        lambda: optuna_files.ask_open_url(w), None, "open_study")
        self.export_optuna = self._action("Export to &Optuna…", "Write the study into an "
                                          "Optuna storage (.db or .log) that optuna.load_study "
                                          "and optuna-dashboard read",
                                          lambda: optuna_files.ask_export(w), None, "export_csv")
        self.open_config = self._action("Open &config…", "Load a sweep config (.toml) into "
                                        "the panel", self._ask_open_config, "Ctrl+Shift+O",
                                        "open_config")
        self.open_example = self._action("Open e&xample…", "Load one of the example sweeps "
                                         "that come with Caviar into the panel, ready to Run",
                                         self._ask_open_example, None, "open_config")
        self.save_config = self._action("&Save config…", "Save the panel's settings as a "
                                        ".toml sweep config (runs headless with caviar sweep)",
                                        self._ask_save_config, std.Save, "save")
        self.export_results = self._action("&Export results (CSV)…", "Save every trial of the "
                                           "study as CSV: parameters, metrics, epochs, seconds",
                                           self._ask_export_results, "Ctrl+E", "export_csv")
        self.export_curves = self._action("Export &loss curves…", "Save the loss-curve plot "
                                          "as PNG or SVG",
                                          lambda: self._ask_export_plot(w.curves.plot, "curves"),
                                          "Ctrl+Shift+E", "export_plot")
        self.export_scatter = self._action("Export sweep &scatter…", "Save the sweep scatter "
                                           "plot as PNG or SVG",
                                           lambda: self._ask_export_plot(w.scatter.plot,
                                                                         "scatter"),
                                           None, "export_plot")
        self.quit = self._action("&Quit", "Close Caviar (a running sweep is stopped, "
                                 "resumable)", w.close, std.Quit, "quit")
        self.run = self._action("&Run", "Start the sweep with these settings", w.run_sweep,
                                "Ctrl+R", "run")
        self.stop = self._action("S&top", "Stop the sweep: running trials become interrupted "
                                 "and Resume continues them", w.stop_sweep, "Ctrl+.", "stop")
        self.resume = self._action("Res&ume", "Continue the open study: interrupted trials "
                                   "first, then up to its budget", w.resume_sweep,
                                   "Ctrl+Shift+R", "resume")
        self.train_one = self._action("&Train one model (panda)…", PANDA_TIP,
                                      self._open_panda, "Ctrl+T", "panda")
        w.panel.changed.connect(self.update_panda)  # the trainer may change
        self.about = self._action("&About Caviar", "What Caviar is", self._about)
        self.recent_menu = QMenu("Open &recent")
        self.recent_menu.setToolTipsVisible(True)

    def create_menus(self, bar: QMenuBar) -> None:
        """File, Sweep, Help."""
        files = bar.addMenu("&File")
        files.setToolTipsVisible(True)
        for item in (self.new, self.open_study, self.open_optuna, self.open_config,
                     self.open_example, self.recent_menu, None, self.save_config,
                     self.export_results, self.export_optuna, self.export_curves,
                     self.export_scatter, self.window.analysis.export, None, self.quit):
            if item is None:
                files.addSeparator()
            elif isinstance(item, QMenu):
                files.addMenu(item)
            else:
                files.addAction(item)
        sweep = bar.addMenu("&Sweep")
        sweep.setToolTipsVisible(True)
        for action in (self.run, self.stop, self.resume, self.train_one,
                       self.window.analysis.narrow):
            sweep.addAction(action)
        bar.addMenu("&Help").addAction(self.about)

    def create_tool_bar(self) -> QToolBar:
        """The tool bar (text beside icons: new users read, they do not guess icons; short
        texts, so that every button shows in a 1024 pixel wide window)."""
        bar = QToolBar("Main")
        bar.setObjectName("main_toolbar")
        bar.setIconSize(QSize(20, 20))
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        for item, text in TOOL_BAR:
            if item is None:
                bar.addSeparator()
                continue
            action = getattr(self, item)
            action.setIconText(text)
            bar.addAction(action)
        return bar

    def set_recent(self, files: list[str]) -> None:
        """Refill the recent-files menu."""
        self.recent_menu.clear()
        for path in files:
            action = self.recent_menu.addAction(Path(path).name)
            action.setToolTip(path)
            action.triggered.connect(lambda _=False, p=path: self.window.open_path(p))
        self.recent_menu.setEnabled(bool(files))

    def update(self, running: bool, valid: bool, resumable: bool, has_study: bool) -> None:
        """Enable what makes sense now: Run needs valid settings and no running sweep."""
        self.run.setEnabled(valid and not running)
        self.stop.setEnabled(running)
        self.resume.setEnabled(resumable and not running)
        for action in (self.new, self.open_study, self.open_optuna, self.open_config,
                       self.open_example, self.recent_menu):
            action.setEnabled(not running)
        self.export_optuna.setEnabled(has_study and not running)
        for action in (self.export_results, self.export_curves, self.export_scatter):
            action.setEnabled(has_study)  # an empty plot is nothing to export
        self.update_panda()
        self.run.setToolTip("Start the sweep (Ctrl+R)" if valid else
                            "Fix the fields marked in red first")

    def update_panda(self) -> None:
        """Panda mode needs valid settings and babysits Caviar's own network only, not a
        trainer of the user's own (it changes the learning rate of a running network)."""
        config = self.window.panel.current  # None while the settings are invalid
        own = config is not None and config.trainer.is_own
        self.train_one.setEnabled(config is not None and not own)
        self.train_one.setToolTip(PANDA_OWN_TIP if own else PANDA_TIP)

    def close_panda(self) -> None:
        """Stop and close the babysitting dialog, if open."""
        if self.panda is not None:
            self.panda.close()
            self.panda = None

    # --- dialogs --------------------------------------------------------------------------
    def ask_stop(self) -> bool:
        """Ask whether closing may stop the running sweep."""
        answer = QMessageBox.question(
            self.window, "Stop the sweep?", "A sweep is running. Stop it and close? Finished "
            "trials are kept; running ones are marked interrupted and Resume continues them.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

    def error_box(self, title: str, text: str) -> None:
        """Show a problem in the status bar and a message box."""
        self.window.statusBar().showMessage(f"{title}: {text}", 10000)
        QMessageBox.warning(self.window, title, text)

    def choose_study(self, path: Path, names: list[str]) -> str | None:
        """The study to open: the only one, or the user's pick (None when cancelled)."""
        if len(names) == 1:
            return names[0]
        name, ok = QInputDialog.getItem(self.window, "Open study", f"{path.name} holds several "
                                        "studies; open:", names, len(names) - 1, False)
        return name if ok else None

    def _start_dir(self) -> str:
        return str(self.window.dialog_folder())

    def _ask_open_study(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self.window, "Open study", self._start_dir(),
            "Studies: Caviar, Optuna RDB or journal (*.db *.log);;All files (*)")
        if path:
            self.window.open_path(path)  # an Optuna file is told apart by its contents

    def _ask_open_config(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self.window, "Open config", self._start_dir(),
                                              "Sweep configs (*.toml)")
        if path:
            self.window.open_config(path)

    def _ask_open_example(self) -> None:
        picker = ExamplePicker(shipped_examples(), self.window)
        if picker.exec() and picker.chosen() is not None:
            self.window.open_config(picker.chosen().path, example=True)

    def _ask_save_config(self) -> None:
        name = self.window.typed_study_name()
        start = str(Path(self._start_dir()) / f"{name}{study_files.CONFIG_SUFFIX}")
        path, _ = QFileDialog.getSaveFileName(self.window, "Save config", start,
                                              "Sweep configs (*.toml)")
        if path:
            self.window.save_config(path)

    def _ask_export_results(self) -> None:
        start = str(Path(self._start_dir()) / f"{self.window.shown_study_name()}.csv")
        path, _ = QFileDialog.getSaveFileName(self.window, "Export results", start,
                                              "CSV (*.csv)")
        if path:
            self.window.export_results(path)

    def _ask_export_plot(self, plot: object, what: str) -> None:
        start = str(Path(self._start_dir()) / f"{self.window.shown_study_name()}-{what}.png")
        path, _ = QFileDialog.getSaveFileName(self.window, "Export plot", start,
                                              "PNG image (*.png);;SVG drawing (*.svg)")
        if not path:
            return
        try:
            study_files.export_plot(plot, path)
        except Exception as exc:
            self.window.show_error("Cannot export the plot", f"{type(exc).__name__}: {exc}")
        else:
            self.window.statusBar().showMessage(f"Saved {Path(path).name}", 5000)

    def _open_panda(self) -> None:
        from desktop_app.gui.live.panda import PandaDialog
        from desktop_app.gui.window.panda_keeper import keep_babysat_run

        self.close_panda()
        config = self.window.checked_config()
        self.panda = PandaDialog(config, self.window.study_model, self.window,
                                 keep=lambda run: keep_babysat_run(self.window, config, run))
        self.panda.show()

    def _about(self) -> None:
        QMessageBox.about(self.window, "About Caviar", (
            "<b>Caviar</b>: a studio for hyperparameter tuning of small neural networks.<br>"
            "Choose the data and which hyperparameters to search, on which scale; run many "
            "trials in parallel and watch their curves; babysit one model in panda mode."))
