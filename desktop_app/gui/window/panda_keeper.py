"""Keep what panda mode trained: the window's side of saving a babysat run.

The core decides where the run goes and writes it
(:func:`~desktop_app.core.runner.panda_record.keep_run`); this module hands it the window's
study file (opening the file the next sweep would use when none is open), tells it whether a
sweep is running, and has the window show the new trial.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from desktop_app.core.config import StudyConfig
from desktop_app.core.runner.panda_record import BabysatRun, KeptRun, keep_run

if TYPE_CHECKING:
    from desktop_app.gui.window.main_window import MainWindow


def keep_babysat_run(window: MainWindow, config: StudyConfig, run: BabysatRun) -> str:
    """Save ``run`` (trained from ``config``) as a trial and show it; return a short note
    saying where it went. A failure is shown as an error and said in the note."""
    study = window.study
    storage = window.storage_for(config)
    if storage is None:  # the file could not be created: the window said why
        return "not saved (no study file)"
    try:
        shown = study.name if study.has_study else None
        kept = keep_run(storage, shown, config, run, sweeping=window.controller.is_running())
    except Exception as exc:  # the user's run must not vanish silently, whatever broke
        window.show_error("Cannot keep the babysat run", f"{type(exc).__name__}: {exc}")
        return f"not saved ({type(exc).__name__}: {exc})"
    _show(window, kept)
    where = f" in {study.path.name}" if study.path else ""
    return f"kept as trial {kept.number} of study {kept.study!r}{where}"


def _show(window: MainWindow, kept: KeptRun) -> None:
    """A new trial of the shown study joins its views; when no study was shown, the study
    the run went to is shown."""
    study = window.study
    if kept.study == study.name:
        window.study_model.apply_many(kept.events)
        return
    if study.name is not None:
        return  # it went to a study of its own while another one is shown
    study.started(kept.study)
    stored = study.stored()
    config = stored.config
    window.study_model.set_study(config.space, config.study.metric, config.study.direction)
    window.study_model.load(study.storage, stored.study_id)
    window.shown_study_changed()
