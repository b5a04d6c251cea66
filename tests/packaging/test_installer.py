"""The installer end to end: build the bundle and the .deb, install it, run the installed copy.

Marked ``packaging`` (``.ci/run`` runs it after the main suite; ``make test`` leaves it out).
The .deb is unpacked into a temporary root with ``dpkg -x``; on CI (root, ``CI=true``) it is
installed for real with ``dpkg -i`` and removed afterwards. The installed copy runs with a
minimal environment from an empty folder, so neither the source tree nor the venv can help it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from importlib.metadata import version
from pathlib import Path

import numpy as np
import pytest

from desktop_app.selftest import EPOCHS, TRIALS

ROOT = Path(__file__).resolve().parents[2]
BUILD_TIMEOUT_S = 1200
RUN_TIMEOUT_S = 300
DEPENDS = ("libgl1", "libegl1", "libfontconfig1", "libxkbcommon0", "libglib2.0-0", "libdbus-1-3")
SHIPPED = (
    "./opt/caviar/caviar",
    "./opt/caviar/_internal/resources/datasets/iris.csv",
    "./opt/caviar/_internal/resources/datasets/digits.npz",
    "./opt/caviar/_internal/resources/examples/spiral_random.toml",
    "./opt/caviar/_internal/resources/icons/caviar.svg",
    "./opt/caviar/_internal/resources/fonts/DejaVuSans.ttf",
    "./opt/caviar/_internal/resources/fonts/LICENSE.txt",
    "./usr/share/applications/caviar.desktop",
    "./usr/share/icons/hicolor/256x256/apps/caviar.png",
    "./usr/share/icons/hicolor/scalable/apps/caviar.svg",
    "./usr/share/doc/caviar/copyright",
)

pytestmark = [
    pytest.mark.packaging,
    pytest.mark.timeout(BUILD_TIMEOUT_S + 3 * RUN_TIMEOUT_S),
    pytest.mark.skipif(sys.platform != "linux" or shutil.which("dpkg-deb") is None,
                       reason="the .deb is built and installed on Debian-like Linux only"),
]


def _system_install() -> bool:
    return os.environ.get("CI") == "true" and os.geteuid() == 0


@pytest.fixture(scope="module")
def deb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the bundle and the .deb with packaging/build.sh (fast xz level for the test)."""
    out = tmp_path_factory.mktemp("installer")
    env = {**os.environ, "PYTHON": sys.executable, "DIST": str(out / "dist"),
           "WORK": str(out / "work"), "DEB_COMPRESSION": "-Zxz -z1"}
    started = time.monotonic()
    done = subprocess.run(["bash", str(ROOT / "packaging" / "build.sh")], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=BUILD_TIMEOUT_S)
    assert done.returncode == 0, done.stderr[-4000:]
    print(f"build.sh: {time.monotonic() - started:.0f} s")
    debs = sorted((out / "dist").glob("caviar_*.deb"))
    assert len(debs) == 1, debs
    return debs[0]


@pytest.fixture(scope="module")
def caviar(deb: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The installed ``caviar`` command (a symlink to /opt/caviar/caviar, as in the .deb)."""
    if _system_install():
        if subprocess.run(["dpkg", "-i", str(deb)], capture_output=True).returncode != 0:
            subprocess.run(["apt-get", "update", "-qq"], check=True)
            subprocess.run(["apt-get", "install", "-f", "-y", "-qq", "--no-install-recommends"],
                           check=True, env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})
        try:
            yield Path("/usr/bin/caviar")
        finally:
            subprocess.run(["dpkg", "-r", "caviar"], check=True, capture_output=True)
        return
    root = tmp_path_factory.mktemp("root")
    subprocess.run(["dpkg", "-x", str(deb), str(root)], check=True)
    assert os.readlink(root / "usr/bin/caviar") == "/opt/caviar/caviar"
    command = tmp_path_factory.mktemp("bin") / "caviar"
    command.symlink_to(root / "opt/caviar/caviar")  # started through a symlink, like /usr/bin
    yield command


def _run(command: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run the installed copy with a minimal environment, offscreen, from ``cwd``."""
    env = {"PATH": "/usr/bin:/bin", "HOME": str(cwd), "LANG": "C.UTF-8",
           "QT_QPA_PLATFORM": "offscreen", "XDG_RUNTIME_DIR": str(cwd)}
    return subprocess.run(command, env=env, cwd=cwd, capture_output=True, text=True,
                          timeout=RUN_TIMEOUT_S)


def test_the_package_holds_the_bundle_menu_entry_and_icons(deb: Path) -> None:
    listing = subprocess.run(["dpkg-deb", "-c", str(deb)], check=True, capture_output=True,
                             text=True).stdout
    paths = {line.split()[5] for line in listing.splitlines()}
    assert set(SHIPPED) <= paths, sorted(set(SHIPPED) - paths)
    assert "./usr/bin/caviar -> /opt/caviar/caviar" in listing
    # no test folder, no tkinter, no PyTorch library (the shipped torch_mlp example is data)
    assert not any(part in path for part in ("/tests/", "tkinter", "/torch/") for path in paths)
    assert any(path.endswith("examples/trainers/torch_mlp.py") for path in paths)
    fields = subprocess.run(["dpkg-deb", "-f", str(deb), "Package", "Version", "Depends"],
                            check=True, capture_output=True, text=True).stdout
    assert f"Version: {version('caviar')}" in fields
    assert all(package in fields for package in DEPENDS), fields


def test_the_desktop_entry_starts_the_window() -> None:
    entry = (ROOT / "packaging" / "caviar.desktop").read_text(encoding="utf-8")
    keys = dict(line.split("=", 1) for line in entry.splitlines() if "=" in line)
    assert keys["Exec"].split()[:2] == ["caviar", "gui"]
    assert keys["Icon"] == "caviar" and keys["Type"] == "Application"
    if shutil.which("desktop-file-validate"):
        subprocess.run(["desktop-file-validate", str(ROOT / "packaging" / "caviar.desktop")],
                       check=True)


def test_installed_version(caviar: Path, tmp_path: Path) -> None:
    done = _run([str(caviar), "--version"], tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"caviar {version('caviar')}"


def test_installed_selftest(caviar: Path, tmp_path: Path) -> None:
    started = time.monotonic()
    done = _run([str(caviar), "--selftest"], tmp_path)
    assert done.returncode == 0, done.stderr[-4000:]
    line = done.stdout.strip()
    assert line.startswith(f"caviar selftest ok: {TRIALS} trials, {EPOCHS} epochs each, "
                           "process executor"), line
    print(f"selftest: {time.monotonic() - started:.1f} s ({line})")


def test_installed_screenshot_is_a_picture_of_the_window(caviar: Path, tmp_path: Path) -> None:
    from PySide6.QtGui import QImage

    started = time.monotonic()
    out = tmp_path / "out.png"
    done = _run([str(caviar), "gui", "--screenshot", str(out)], tmp_path)
    assert done.returncode == 0, done.stderr[-4000:]
    print(f"screenshot: {time.monotonic() - started:.1f} s")
    image = QImage(str(out)).convertToFormat(QImage.Format.Format_RGB32)
    assert not image.isNull()
    assert image.width() >= 1000 and image.height() >= 600, (image.width(), image.height())
    pixels = np.frombuffer(image.constBits(), dtype=np.uint32,
                           count=image.width() * image.height())
    colours, counts = np.unique(pixels, return_counts=True)
    assert colours.size >= 500, f"only {colours.size} colours: not a drawn window"
    assert counts.max() < 0.85 * pixels.size, "one colour covers most of the picture"
