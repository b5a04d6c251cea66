"""The main window: its actions and menus, layout, run footer, status bar and study files."""
