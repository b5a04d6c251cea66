"""Find the files shipped in ``resources/`` (datasets, icons, examples) wherever Caviar runs.

One helper, so the source tree, an installed wheel and a PyInstaller bundle all work:

1. ``<folder holding desktop_app>/resources``: the source tree and editable installs (also a
   PyInstaller bundle, whose modules live under ``sys._MEIPASS``);
2. ``sys._MEIPASS/resources``: a PyInstaller bundle that placed the package elsewhere;
3. ``desktop_app/resources``: a wheel, where the build maps ``resources/`` into the package.

The first place where the requested path exists wins.
"""

from __future__ import annotations

import sys
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parents[1]  # .../desktop_app


def _candidates() -> list[Path]:
    """The resource folders to try, in order."""
    places = [_PACKAGE.parent / "resources"]
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        places.append(Path(bundle) / "resources")
    places.append(_PACKAGE / "resources")
    return places


def resource_path(*parts: str) -> Path:
    """Path of ``resources/<parts...>``; FileNotFoundError (naming the places tried) if absent."""
    tried = [base.joinpath(*parts) for base in _candidates()]
    for path in tried:
        if path.exists():
            return path
    looked = ", ".join(str(p) for p in tried)
    raise FileNotFoundError(f"resource {'/'.join(parts)!r} not found; looked in: {looked}")
