"""The tooltip of a scatter point: the trial, its parameters and metrics, for people."""

from __future__ import annotations

import math

from desktop_app.gui.live.study_model import StudyModel
from desktop_app.gui.views.formatting import format_metric, format_param, format_seconds


def point_tip(study: StudyModel, number: int) -> str:
    """Trial ``number``'s state, parameters on their scales, metrics, epochs and time."""
    if number not in study:
        return ""
    trial = study.trial(number)
    space = study.space
    lines = [f"trial {number} ({trial.state.value})"]
    for key, value in trial.params.items():
        scale = space[key].scale if space is not None and key in space else None
        lines.append(f"{key} = {format_param(value, scale)}")
    reported = set(study.metric_names()) | {study.metric}
    lines += [f"{k} = {format_metric(k, v)}" for k, v in trial.metrics.items()
              if k in reported or not math.isnan(v)]  # not the built-ins an own trainer lacks
    lines.append(f"epochs = {trial.epochs}, {format_seconds(trial.seconds)} s")
    return "\n".join(lines)
