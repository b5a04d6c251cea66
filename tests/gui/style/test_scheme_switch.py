"""Switching between the light and dark colour scheme while the window is open keeps every
axis and text readable."""

from __future__ import annotations

import pyqtgraph as pg
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication, QLabel

from desktop_app.core.search import REGISTRY, build_space
from desktop_app.gui.editor.param_row import ParamRow
from desktop_app.gui.live.study_model import StudyModel
from desktop_app.gui.style.theme import SCHEME_ENV, apply_scheme
from desktop_app.gui.views.sweep_scatter import SweepScatter
from tests.gui.helpers import SPACE
from tests.gui.views.support import finish, tick_labels

LOSSES = (0.12, 0.25, 0.41, 0.58)


@pytest.fixture
def scheme(qapp, monkeypatch):
    """Switch the running application's scheme as the system's change does; restore after."""
    monkeypatch.delenv(SCHEME_ENV, raising=False)
    palette = qapp.palette()
    options = {key: pg.getConfigOption(key) for key in ("background", "foreground")}

    def switch(to: Qt.ColorScheme) -> None:
        apply_scheme(qapp, to)
        QApplication.processEvents()

    yield switch
    qapp.setPalette(palette)
    pg.setConfigOptions(**options)


def _luminance(color: QColor) -> float:
    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    return (0.2126 * linear(color.redF()) + 0.7152 * linear(color.greenF())
            + 0.0722 * linear(color.blueF()))


def _contrast(image: QImage) -> float:
    """WCAG contrast of the text drawn in ``image`` against its background (the most
    common colour): the pixel that stands out most against that background."""
    counts: dict[int, int] = {}
    for y in range(image.height()):
        for x in range(image.width()):
            rgb = image.pixel(x, y)
            counts[rgb] = counts.get(rgb, 0) + 1
    background = _luminance(QColor.fromRgb(max(counts, key=counts.__getitem__)))
    ratios = [(max(lum, background) + 0.05) / (min(lum, background) + 0.05)
              for lum in (_luminance(QColor.fromRgb(rgb)) for rgb in counts)]
    return max(ratios)


def test_scatter_value_axis_keeps_its_units_after_a_scheme_switch(qtbot, scheme):
    model = StudyModel()
    model.set_study(build_space(SPACE), "val_loss", "minimize")
    scatter = SweepScatter(model)
    qtbot.addWidget(scatter)
    scatter.resize(640, 400)
    scatter.show()
    for number, value in enumerate(LOSSES):
        finish(model, number, "complete", [value])
    scatter.flush()
    for to in (Qt.ColorScheme.Dark, Qt.ColorScheme.Light):
        scheme(to)
        scatter.flush()
        labels = [text for _, text in tick_labels(scatter.plot.getPlotItem().getAxis("left"))]
        assert len(labels) >= 2
        assert all(0.0 <= float(text) <= 1.0 for text in labels), (to, labels)


def test_parameter_help_stays_readable_after_a_switch_to_dark(qtbot, scheme):
    row = ParamRow("learning_rate")
    qtbot.addWidget(row)
    row.resize(420, 200)
    row.show()
    scheme(Qt.ColorScheme.Dark)
    help_text = REGISTRY["learning_rate"].help
    label, = [w for w in row.findChildren(QLabel) if w.text() == help_text]
    image = row.grab(label.geometry()).toImage()
    assert _contrast(image) >= 4.5
