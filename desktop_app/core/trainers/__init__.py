"""Trainers: what trains one trial. Caviar's numpy network is one trainer among others.

Every trainer is a callable ``train(params, trial)`` (the duck-typed contract of
``docs/trainers.md``): ``params`` holds every searched and fixed value, ``trial`` is a
:class:`~desktop_app.core.trainers.handle.TrialHandle` with ``report(epoch, **metrics)`` and
``should_stop()``. :func:`~desktop_app.core.trainers.resolve.trainer_for` turns a
:class:`~desktop_app.core.trainers.spec.TrainerSpec` (the config's ``[trainer]``) into that
callable: the built-in network, the user's Python function or a program it runs.
"""

from desktop_app.core.trainers.handle import LogTail, TrainerFailed, TrialHandle
from desktop_app.core.trainers.spec import NETWORK, TRIAL_NUMBER, TrainerSpec, parse_trainer

__all__ = [
    "NETWORK",
    "TRIAL_NUMBER",
    "LogTail",
    "TrainerFailed",
    "TrainerSpec",
    "TrialHandle",
    "parse_trainer",
]
