"""pyproject lists every package and resource folder, so wheels and installers carry them."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_every_package_and_resource_folder_is_listed() -> None:
    setup = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    listed = set(setup["packages"])
    found = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for init in (ROOT / "desktop_app").rglob("__init__.py")
    }
    found |= {"desktop_app.resources"} | {
        "desktop_app.resources." + ".".join(d.relative_to(ROOT / "resources").parts)
        for d in (ROOT / "resources").rglob("*")
        if d.is_dir() and "__pycache__" not in d.parts
    }
    assert found - listed == set(), "add these to [tool.setuptools] packages"
    data = setup["package-data"]
    assert {p for p in found if p.startswith("desktop_app.resources")} <= set(data)
