"""The desktop window: PySide6 + pyqtgraph over the tuning core (never trains itself)."""
