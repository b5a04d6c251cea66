"""The main window: the experiment side panel, the live plots and table, actions and status.

Layout: left a scrollable side panel (data, search space, strategy, fixed settings); right the
loss curves and the sweep scatter side by side over the trials table. The sweep runs in the
:class:`RunController`'s worker thread; its events reach the :class:`StudyModel` here, in the
GUI thread, and every view redraws from the model.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QWidget

from desktop_app.core.config import StudyConfig, check_data, dump_config, load_config
from desktop_app.core.errors import CaviarError
from desktop_app.core.open_study import OpenStudy, StudyFileError
from desktop_app.core.study import Storage
from desktop_app.gui.editor.experiment_panel import ExperimentPanel
from desktop_app.gui.editor.space_editor import SpaceEditor
from desktop_app.gui.live.event_batcher import EventBatcher
from desktop_app.gui.live.run_controller import RunController
from desktop_app.gui.live.study_model import StudyModel
from desktop_app.gui.views.loss_curves import LossCurves
from desktop_app.gui.views.sweep_scatter import SweepScatter
from desktop_app.gui.views.trials_table import TrialsTable
from desktop_app.gui.window import status_panel, study_files, window_layout
from desktop_app.gui.window.analysis_views import AnalysisViews
from desktop_app.gui.window.file_drops import FileDrops
from desktop_app.gui.window.first_run_hint import FirstRunHint
from desktop_app.gui.window.main_actions import MainActions
from desktop_app.gui.window.notices import NoticeBoard
from desktop_app.gui.window.optuna_watch import OptunaWatch, is_optuna
from desktop_app.gui.window.run_footer import RunFooter
from desktop_app.gui.window.study_opening import StudyOpening

READY = "Choose data and a search space, then Run (Ctrl+R)"


class MainWindow(FileDrops):
    """Caviar's window. ``confirm_close`` decides whether closing may stop a running sweep
    (a message box by default; tests and screenshot mode replace it)."""

    def __init__(self, settings: QSettings | None = None, studies_dir: Path | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings or QSettings()
        self.studies_dir = studies_dir or study_files.default_studies_dir()
        self.confirm_close: Callable[[], bool] = lambda: self.commands.ask_stop()
        self.show_error: Callable[[str, str], None] = \
            lambda title, text: self.commands.error_box(title, text)
        self.study = OpenStudy()  # the study file, its study name, whether Resume may continue
        self.study_model = StudyModel(self)
        self.controller = RunController(self)
        self.space_editor = SpaceEditor()
        self.panel = ExperimentPanel(self.space_editor, settings=self.settings)
        self.curves = LossCurves(self.study_model)
        self.scatter = SweepScatter(self.study_model)
        self.table = TrialsTable(self.study_model)
        self.analysis = AnalysisViews(self)  # importance, parallel, map, history, model
        self.status = status_panel.StatusPanel()
        self.footer = RunFooter(self.panel)
        self.first_run_hint = FirstRunHint(self.settings,
                                           lambda: self.commands.open_example.trigger())
        self.setWindowTitle("Caviar")
        self.setAcceptDrops(True)
        self._build_central()
        self.commands = MainActions(self)
        self.create_actions()
        self.footer.set_actions(self.commands.run, self.commands.stop)
        self.create_menus()
        self.create_tool_bar()
        self.create_status_bar()
        self.batcher = EventBatcher(self.study_model.apply_many, self._show_progress, self)
        self.controller.event.connect(self.batcher.add_event)
        self.controller.progress.connect(self.batcher.add_progress)
        self.controller.finished.connect(self._sweep_finished)
        self.controller.failed.connect(lambda text: self.show_error("Cannot run the sweep", text))
        self.controller.running_changed.connect(self._update_actions)
        self.panel.validity_changed.connect(self._update_actions)
        self.panel.changed.connect(lambda: self.controller.is_running()  # no preview mid-run
                                   or self.study_model.preview(self.panel.current))
        self.study_model.preview(self.panel.current)
        self.opening = StudyOpening(self)  # a stored study's trials load in the background
        self.optuna = OptunaWatch(self)  # an Optuna study shown read-only, watched live
        self.notices = NoticeBoard(self)  # a sweep's notices: status bar and status panel
        self.read_settings()
        self._update_actions()

    # --- construction (the Qt main-window pattern) ----------------------------------------
    def _build_central(self) -> None:
        self._splitters = window_layout.build_central(self)
        self.splitter = self._splitters["main"]

    def create_actions(self) -> None:
        """Every command as a QAction with a shortcut and a tooltip."""
        self.commands.create()

    def create_menus(self) -> None:
        """File, Sweep and Help menus."""
        self.commands.create_menus(self.menuBar())

    def create_tool_bar(self) -> None:
        """The main commands as a tool bar."""
        self.addToolBar(self.commands.create_tool_bar())

    def create_status_bar(self) -> None:
        """Progress of the sweep on the right; transient messages on the left."""
        self.statusBar().addPermanentWidget(self.status)
        self.statusBar().showMessage(READY)

    def read_settings(self) -> None:
        """Window geometry and state, splitter sizes, recent files."""
        window_layout.restore_layout(self, self.settings, self._splitters)
        self.commands.set_recent(self.recent_files())

    def write_settings(self) -> None:
        """Save what :meth:`read_settings` restores."""
        window_layout.save_layout(self, self.settings, self._splitters)

    def recent_files(self) -> list[str]:
        """Recently opened or saved files, most recent first."""
        return study_files.recent_files(self.settings)

    def _remember(self, path: Path) -> None:
        self.commands.set_recent(study_files.remember(self.settings, path))

    # --- the study file, and what the actions ask of the window --------------------------
    @property
    def db_path(self) -> Path | None:
        """The study file: the open one, or the one the next run creates (None: the default).
        Settable (the screenshot mode clears it so a run never writes into the user's file)."""
        return self.study.path

    @db_path.setter
    def db_path(self, path: Path | None) -> None:
        self.study.path = path

    def dialog_folder(self) -> Path:
        """Where file dialogs start: the folder of the last file used, else the home folder."""
        return study_files.last_folder(self.settings)

    def typed_study_name(self) -> str:
        """The study name typed in the panel ("study" while empty); Save config suggests it."""
        return self.panel.value("study.name") or "study"

    def shown_study_name(self) -> str:
        """The name of the study shown ("study" when none); exports are named after it."""
        return self.study.name or "study"

    def checked_config(self) -> StudyConfig:
        """The panel's config, validated: raises :class:`CaviarError` (marked on its field)."""
        return self.panel.config()

    # --- files ----------------------------------------------------------------------------
    def open_path(self, path: str | Path) -> bool:
        """Open a study (.db), a config (.toml) or choose a dataset (.csv/.npz) by suffix."""
        path = Path(path)
        suffix = path.suffix.lower()
        if self.controller.is_running() and suffix not in study_files.DATA_SUFFIXES:
            self.show_error("A sweep is running", f"Stop it before opening {path.name}")
            return False
        if is_optuna(path):
            return self.optuna.open(str(path))
        if suffix == study_files.STUDY_SUFFIX:
            return self.open_study(path)
        if suffix == study_files.CONFIG_SUFFIX:
            return self.open_config(path)
        if suffix in study_files.DATA_SUFFIXES:
            self.panel.set_data_file(path)
            return True
        self.show_error("Cannot open this file", f"{path.name}: Caviar opens .db studies, "
                        ".toml configs and .csv/.npz datasets")
        return False

    def new_study(self) -> None:
        """Forget the open study and start from the default settings."""
        if self.controller.is_running():
            return
        self.study.close()
        self._forget_shown()
        self.panel.reset()
        self.statusBar().showMessage(READY)
        self._set_title()
        self._update_actions()

    def open_config(self, path: str | Path, example: bool = False) -> bool:
        """Load a sweep config into the panel (its study is stored next to it, as .db). An
        ``example`` (shipped with Caviar) is not a recent file, and its study goes to the
        studies folder."""
        path = Path(path)
        try:
            config = load_config(path)
        except CaviarError as exc:
            self.show_error("Cannot open the config", f"{path.name}: {exc}")
            return False
        db = None if example else path.with_suffix(study_files.STUDY_SUFFIX)
        self.study.use_file(db)
        self._forget_shown()
        self.panel.trainer_section.base_dir = path.parent  # a command typed later runs there
        self.panel.set_config(config)
        if not example:
            self._remember(path)
        self._set_title()
        self.statusBar().showMessage(f"Loaded {path.name}; Run stores the study in "
                                     f"{db.name if db else self.studies_dir}", 8000)
        return True

    def open_study(self, path: str | Path, name: str | None = None) -> bool:
        """Show a stored study with every past trial and curve (asks which one if several)."""
        if self.controller.is_running():
            return False
        try:
            stored = self.study.open(path, lambda names: name or self.commands.choose_study(
                Path(path), names))
        except StudyFileError as exc:
            self.show_error("Cannot open the study", str(exc))
            return False
        if stored is None:
            return False
        self.optuna.close()
        config = stored.config
        self.panel.set_config(config)
        self.study_model.set_study(config.space, config.study.metric, config.study.direction)
        if not self.opening.start(stored):  # damaged: said, and closed
            self._forget_shown()
            return False
        self._remember(Path(path))
        self._set_title()
        self._update_actions()
        return True

    def save_config(self, path: str | Path) -> bool:
        """Write the panel's config as TOML."""
        try:
            dump_config(self.checked_config(), path)
        except CaviarError as exc:
            self.show_error("Fix the settings first", str(exc))
            return False
        except OSError as exc:
            self.show_error("Cannot save the config", str(exc))
            return False
        self._remember(Path(path))
        self.statusBar().showMessage(f"Saved {Path(path).name}", 5000)
        return True

    def export_results(self, path: str | Path) -> bool:
        """Write the shown study's trials as CSV (the columns of ``caviar export``)."""
        storage, name = self.study.storage, self.study.name
        if storage is None or name is None:
            self.show_error("Nothing to export", "Run a sweep or open a study first")
            return False
        try:
            rows = study_files.export_results_csv(storage, name, path)
        except (CaviarError, OSError) as exc:
            self.show_error("Cannot export", str(exc))
            return False
        self.statusBar().showMessage(f"Exported {rows} trials to {Path(path).name}", 5000)
        return True

    # --- sweeps ---------------------------------------------------------------------------
    def run_sweep(self) -> bool:
        """Start a new study from the panel's settings (a taken name gets a suffix)."""
        if self.controller.is_running():
            return False
        try:
            config = self.checked_config()
            check_data(config)  # a bad data file stops here, before a study file is made
        except CaviarError as exc:
            self.show_error("Fix the settings first", str(exc))
            return False
        storage = self.storage_for(config)
        if storage is None:
            return False
        name = study_files.free_study_name(storage, config.study.name)
        if name != config.study.name:
            config = config.replace(name=name)
            self.panel.set_value("study.name", name)
        return self._start(config, storage)

    def resume_sweep(self) -> bool:
        """Continue the open study: interrupted trials re-run first, then up to its budget.

        The stored config decides what is searched; only workers and executor come from the
        panel (they may differ between sessions).
        """
        storage = self.study.storage
        if self.controller.is_running() or storage is None or not self.study.has_study:
            return False
        try:
            stored = self.study.stored()
            config = stored.config.replace(workers=self.panel.value("study.workers"),
                                           executor=self.panel.value("study.executor"))
            check_data(config)
        except CaviarError as exc:
            self.show_error("Cannot resume", str(exc))
            return False
        self.study_model.set_study(config.space, config.study.metric, config.study.direction)
        self.study_model.load(storage, stored.study_id)
        return self._start(config, storage, keep_trials=True)

    def stop_sweep(self) -> None:
        """Ask the sweep to stop; running trials end as interrupted (resumable)."""
        if self.controller.is_running():
            self.controller.stop()
            self.statusBar().showMessage("Stopping: running trials will be marked "
                                         "interrupted (Resume continues them)")

    def _start(self, config: StudyConfig, storage: Storage, keep_trials: bool = False) -> bool:
        self.optuna.close()
        if not keep_trials:
            self.study_model.set_study(config.space, config.study.metric,
                                       config.study.direction)
        self.study.started(config.study.name)
        self.first_run_hint.dismiss()  # found the way: a sweep runs
        self._set_title()
        started = self.controller.start(config, storage)
        if started:
            self._show_progress(self.controller.current_progress())
            self.statusBar().showMessage(status_panel.running_message(config))
        return started

    def storage_for(self, config: StudyConfig) -> Storage | None:
        """The open study file, or the one a run of ``config`` creates (None: said why)."""
        if self.study.storage is not None:
            return self.study.storage
        path = self.study.path or study_files.study_file_for(self.studies_dir, config.study.name)
        try:
            storage = self.study.create(path)
        except (CaviarError, OSError) as exc:
            self.show_error("Cannot create the study file", str(exc))
            return None
        self._remember(path)
        return storage

    def shown_study_changed(self) -> None:
        """Title and actions after another study was shown outside a run (a kept panda run)."""
        self._set_title()
        self._update_actions()

    def _show_progress(self, progress: object) -> None:
        self.status.set_progress(progress, self.study_model.metric)

    def _sweep_finished(self, finished: object) -> None:
        self.batcher.flush()
        if finished is None:
            return
        self.study.sweep_ended(finished.finished, finished.budget)
        self.statusBar().showMessage(status_panel.finished_message(finished))
        self._update_actions()

    # --- window events --------------------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:
        """During a sweep, ask; then stop the workers and wait (finished trials are kept)."""
        if self.controller.is_running():
            if not self.confirm_close():
                event.ignore()
                return
            if not self.controller.stop_and_wait():
                self.controller.stop_and_wait(10_000)  # a trial slow to notice: never abandon it
        self.commands.close_panda()
        self.analysis.shutdown()
        self.opening.cancel()
        self.optuna.close()
        self.write_settings()
        self.study.close()
        event.accept()

    # --- helpers --------------------------------------------------------------------------
    def _forget_shown(self) -> None:
        """Show no trial and no progress. Before the panel changes: it previews its space,
        metric and columns only into an empty model."""
        self.optuna.close()
        self.study_model.clear()
        self.status.set_progress(None)

    def _set_title(self) -> None:
        self.setWindowTitle(study_files.window_title(self.study.name, self.study.path))

    def _update_actions(self, *_: object) -> None:
        self.commands.update(running=self.controller.is_running(),
                            valid=self.panel.is_valid(),
                            resumable=self.study.resumable, has_study=self.study.has_study)
