"""Entry script of the frozen (PyInstaller) build of Caviar.

A "spawn" worker process of a frozen app is the app's own executable started again with
multiprocessing's arguments: ``freeze_support()`` must run first, before anything else is
imported or parsed, so that such a worker runs its task and exits instead of opening a window.
"""

import multiprocessing
import sys

if __name__ == "__main__":
    multiprocessing.freeze_support()
    from desktop_app.__main__ import main

    sys.exit(main())
