"""``python -m desktop_app`` and the ``caviar`` console script."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    """Entry point: parse the command line and run the chosen verb."""
    import multiprocessing

    multiprocessing.freeze_support()  # worker processes of a frozen (installer) build
    from desktop_app.cli import main as cli_main

    return cli_main(argv)


if __name__ == "__main__":
    sys.exit(main())
