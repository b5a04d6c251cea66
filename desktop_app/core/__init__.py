"""The tuning core: numpy, the standard library and Optuna only. Never imports Qt."""
