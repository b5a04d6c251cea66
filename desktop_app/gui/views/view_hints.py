"""What the parallel view and the map say when they have (almost) nothing to draw: why, and
what will make something appear. Never an empty axis without words."""

from __future__ import annotations

import math

from desktop_app.core.study import TrialState
from desktop_app.gui.live.study_model import StudyModel

DRAWN_STATES = (TrialState.COMPLETE, TrialState.PRUNED)
"""Trials drawn by the views (when their metric is a number): those that ran to the end or
were stopped early by the pruner; running, failed, diverged or interrupted ones are not."""
NOT_DRAWN = ("Running, failed, diverged and interrupted trials, and trials without a "
             "metric value, are not drawn.")


def drawable(study: StudyModel, number: int) -> bool:
    """True when trial ``number`` is drawn: finished normally with a finite metric."""
    return (study.trial(number).state in DRAWN_STATES
            and math.isfinite(study.value(number)))


def empty_reason(study: StudyModel, drawn: int, intro: str) -> str | None:
    """Rich text saying why (almost) nothing is drawn when ``drawn`` trials are; None when
    there is enough to see. ``intro`` is the view's own text before any trial."""
    if not study.param_names():
        return ("<b>This study searches no hyperparameter,</b> so there is nothing to compare "
                "here. Add a parameter to the search space and run the sweep.")
    if len(study) == 0:
        return intro
    if drawn >= 2:
        return None
    if drawn == 1:
        return ("<b>Only one finished trial so far.</b> These views compare trials: more "
                "appear as the sweep goes on.")
    states = [t.state for t in study.trials()]
    running = sum(s in (TrialState.RUNNING, TrialState.WAITING) for s in states)
    broken = sum(s in (TrialState.FAILED, TrialState.DIVERGED, TrialState.INTERRUPTED)
                 for s in states)
    if running and not broken:
        return (f"<b>{running} trial{'s' * (running != 1)} running.</b> Each trial appears "
                "here when it finishes.")
    if broken == len(states):
        return (f"<b>Every trial so far failed, diverged or was interrupted</b> ({broken}), "
                "so there is no metric value to draw. The table shows their errors; try a "
                "smaller learning rate or check the trainer.")
    return (f"<b>No finished trial reported {study.metric}.</b> Lines and points are "
            f"coloured and placed by the study metric; check that the trainer reports "
            f"'{study.metric}'. {NOT_DRAWN}")
