"""``caviar gui --screenshot``: a real sweep, a real PNG of the whole window, exit status 0."""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
from PySide6.QtGui import QImage

from tests.gui.helpers import raw_config


def _pixels(path) -> np.ndarray:
    image = QImage(str(path)).convertToFormat(QImage.Format.Format_RGB32)
    assert not image.isNull()
    data = np.frombuffer(image.constBits(), dtype=np.uint8)
    return data.reshape(image.height(), image.bytesPerLine() // 4, 4)[:, : image.width(), :3].copy()


def _shoot(args: list[str], tmp_path) -> subprocess.CompletedProcess:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "HOME": str(tmp_path),
           "XDG_CONFIG_HOME": str(tmp_path / "config"), "XDG_DATA_HOME": str(tmp_path / "data")}
    return subprocess.run([sys.executable, "-m", "desktop_app", "gui", *args],
                          capture_output=True, text=True, timeout=240, env=env, check=False)


def test_screenshot_of_the_demo_sweep_is_a_real_png(tmp_path, qapp):
    out = tmp_path / "shot.png"
    result = _shoot(["--screenshot", str(out)], tmp_path)
    assert result.returncode == 0, result.stderr
    assert out.stat().st_size > 10_000
    pixels = _pixels(out)
    assert pixels.shape[0] >= 900 and pixels.shape[1] >= 1500
    colours = np.unique(pixels[::4, ::4].reshape(-1, 3), axis=0)
    assert len(colours) > 200  # text, plots, icons: not a blank or single-colour frame
    assert pixels.std() > 20


def test_screenshot_of_a_config_file(tmp_path, qapp):
    import tomli_w

    config = tmp_path / "tiny.toml"
    config.write_text(tomli_w.dumps(raw_config(trials=2, epochs=2)), encoding="utf-8")
    out = tmp_path / "tiny.png"
    result = _shoot([str(config), "--screenshot", str(out)], tmp_path)
    assert result.returncode == 0, result.stderr
    assert out.stat().st_size > 10_000
    assert not (tmp_path / "tiny.db").exists()  # screenshot runs never touch the user's files


def test_screenshot_of_a_bad_config_fails_with_a_message(tmp_path, qapp):
    config = tmp_path / "bad.toml"
    config.write_text('[params.learning_rate]\nscale = "log"\nlow = 0\nhigh = 1\n',
                      encoding="utf-8")
    result = _shoot([str(config), "--screenshot", str(tmp_path / "bad.png")], tmp_path)
    assert result.returncode != 0
    assert "needs low > 0" in result.stderr
    assert not (tmp_path / "bad.png").exists()


_OPEN_AND_CLOSE = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
import desktop_app.gui.app as app_module

def report_and_close():
    window = [w for w in QApplication.topLevelWidgets() if hasattr(w, "panel")][0]
    print("TITLE", window.windowTitle(), "NAME", window.panel.value("study.name"), flush=True)
    window.close()

make_app = app_module.make_app
def make_app_then_close(argv=None):
    app = make_app(argv)
    QTimer.singleShot(1500, report_and_close)
    return app
app_module.make_app = make_app_then_close
sys.exit(app_module.run_gui(sys.argv[1]))
"""


def test_run_gui_opens_a_config_and_exits_cleanly_when_closed(tmp_path, qapp):
    import tomli_w

    config = tmp_path / "mine.toml"
    config.write_text(tomli_w.dumps(raw_config(name="mine")), encoding="utf-8")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "HOME": str(tmp_path),
           "XDG_CONFIG_HOME": str(tmp_path / "config")}
    result = subprocess.run([sys.executable, "-c", _OPEN_AND_CLOSE, str(config)],
                            capture_output=True, text=True, timeout=120, env=env, check=False)
    assert result.returncode == 0, result.stderr
    assert "NAME mine" in result.stdout and "mine.db" in result.stdout


def test_screenshot_of_one_view_of_a_study_file(tmp_path, qapp):
    from desktop_app.cli import main
    from tests.cli.helpers import write_config

    config = write_config(tmp_path, trials=4, epochs=2)
    assert main(["sweep", str(config)]) == 0
    db = tmp_path / "sweep.db"
    sizes = {}
    for view in ("parallel", "model", "history"):
        out = tmp_path / f"{view}.png"
        result = _shoot(["--screenshot", str(out), "--view", view, str(db)], tmp_path)
        assert result.returncode == 0, result.stderr
        pixels = _pixels(out)
        sizes[view] = pixels.shape
        assert pixels.shape[1] < 1500  # the view, not the whole window
        assert len(np.unique(pixels[::2, ::2].reshape(-1, 3), axis=0)) > 20
    # the history drew its trials (a view waits while hidden: the window must stay shown while
    # it settles): its best-so-far line crosses the plot, far more green than the legend's
    green = np.abs(_pixels(tmp_path / "history.png").astype(int) - (0x54, 0xA2, 0x4B)).sum(axis=2)
    assert (green < 40).sum() > 400
    result = _shoot(["--screenshot", str(tmp_path / "x.png"), "--view", "nothing"], tmp_path)
    assert result.returncode == 2 and "invalid choice: 'nothing'" in result.stderr


def test_a_report_holds_every_view_as_html_or_pdf(tmp_path, qapp):
    from desktop_app.cli import main
    from tests.cli.helpers import write_config

    config = write_config(tmp_path, trials=3, epochs=2)
    assert main(["sweep", str(config)]) == 0
    db = tmp_path / "sweep.db"
    env_args = ["report", str(db), "-o"]
    for name in ("report.html", "report.pdf"):
        out = tmp_path / name
        result = subprocess.run([sys.executable, "-m", "desktop_app", *env_args, str(out)],
                                capture_output=True, text=True, timeout=240,
                                env={**os.environ, "QT_QPA_PLATFORM": "offscreen",
                                     "HOME": str(tmp_path)}, check=False)
        assert result.returncode == 0, result.stderr
        assert "saved" in result.stdout and "7 views" in result.stdout
    page = (tmp_path / "report.html").read_text()
    assert page.count("src='data:image/png;base64,") == 7
    assert "<h2>Parallel coordinates</h2>" in page and "Study &#x27;small&#x27;" in page
    assert (tmp_path / "report.pdf").read_bytes().startswith(b"%PDF")
    missing = subprocess.run([sys.executable, "-m", "desktop_app", "report",
                              str(tmp_path / "none.db"), "-o", str(tmp_path / "x.html")],
                             capture_output=True, text=True, timeout=60, check=False)
    assert missing.returncode == 2 and len(missing.stderr.strip().splitlines()) == 1
