"""Names a config chooses from that the command line needs before anything heavy loads.

``caviar studies``, ``export`` and ``--help`` build the whole argument parser, whose
``--executor`` choices these are; keeping them in a module without numpy or Optuna keeps those
commands starting in ~0.1 s. :mod:`desktop_app.core.config` re-exports them (the config names
the kinds; the runner's factory builds them).
"""

EXECUTOR_KINDS = ("thread", "process", "dask")
"""Where trials run (``study.executor``)."""

SCREENSHOT_VIEWS = ("window", "curves", "scatter", "importance", "parallel", "map", "history",
                    "model")
"""What ``caviar gui --screenshot OUT.png --view NAME`` captures: the whole window or one view."""
