"""The shipped font: registered always, made the default only on a host with no usable font.

Each case runs in a fresh interpreter: Qt's font database is process-wide, and the bare host
is simulated with a fontconfig configuration that lists no font directory.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from desktop_app.core.resources import resource_path

PROBE = """
import json
from PySide6.QtGui import QColor, QFontInfo, QImage, QPainter
from PySide6.QtWidgets import QApplication
from desktop_app.gui.style.fonts import register_fonts

def render(text):
    image = QImage(160, 40, QImage.Format.Format_ARGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.setFont(QApplication.font())
    painter.drawText(5, 30, text)
    painter.end()
    return image

app = QApplication([])
before = QApplication.font().family()
boxes_before = render("abc") == render("xyz")
families = register_fonts()
print(json.dumps({
    "before": before,
    "boxes_before": boxes_before,
    "families": families,
    "after": QApplication.font().family(),
    "resolved": QFontInfo(QApplication.font()).family(),
    "boxes_after": render("abc") == render("xyz"),
}))
"""

EMPTY_FONTCONFIG = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig></fontconfig>
"""


def _probe(extra_env: dict[str, str]) -> dict[str, object]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", **extra_env}
    done = subprocess.run(
        [sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_the_font_and_its_licence_are_shipped() -> None:
    fonts = resource_path("fonts")
    assert (fonts / "DejaVuSans.ttf").stat().st_size > 100_000
    assert "Bitstream Vera" in (fonts / "LICENSE.txt").read_text(encoding="utf-8")


def test_bare_host_gets_the_shipped_font_as_default(tmp_path: Path) -> None:
    config = tmp_path / "fonts.conf"
    config.write_text(EMPTY_FONTCONFIG, encoding="utf-8")
    result = _probe({"FONTCONFIG_FILE": str(config)})
    assert result["boxes_before"], "the simulated bare host still found a font"
    assert result["families"] == ["DejaVu Sans"]
    assert result["after"] == result["resolved"] == "DejaVu Sans"
    assert not result["boxes_after"]


def test_host_with_fonts_keeps_its_default() -> None:
    result = _probe({})
    if result["boxes_before"]:
        pytest.skip("this host has no usable font of its own")
    assert result["families"] == ["DejaVu Sans"]
    assert result["after"] == result["before"]
    assert not result["boxes_after"]
