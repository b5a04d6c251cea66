"""An exported plot image carries a title and the legend the window shows beside the plot."""

from __future__ import annotations

from PySide6.QtGui import QColor, QImage

from desktop_app.core.study import TrialState
from desktop_app.gui.style.plot_style import STATE_COLORS
from desktop_app.gui.window.study_files import export_plot

BAND = 0.07
"""Top and bottom share of the image where the title and the legend go."""


def _band_has(image: QImage, rows: range, columns: range, color: QColor,
              tolerance: int = 40) -> bool:
    """True when some pixel of ``rows`` x ``columns`` is near ``color``."""
    for y in rows:
        for x in columns:
            pixel = image.pixelColor(x, y)
            if max(abs(pixel.red() - color.red()), abs(pixel.green() - color.green()),
                   abs(pixel.blue() - color.blue())) <= tolerance:
                return True
    return False


def test_exported_svg_names_the_plot_and_its_legend(views, tmp_path):
    _, _, curves, scatter = views
    for plot, title in ((curves.plot, "Validation loss per epoch"),
                        (scatter.plot, "val_loss against learning_rate")):
        export_plot(plot, tmp_path / "plot.svg")
        svg = (tmp_path / "plot.svg").read_text(encoding="utf-8")
        assert title in svg
        assert "best" in svg and "selected" in svg


def test_exported_png_has_a_title_on_top_and_the_legend_below(views, tmp_path):
    _, _, curves, _ = views
    export_plot(curves.plot, tmp_path / "curves.png")
    image = QImage(str(tmp_path / "curves.png"))
    band = int(image.height() * BAND)
    text = curves.plot.palette().color(curves.plot.palette().ColorRole.Text)
    middle = range(image.width() // 4, 3 * image.width() // 4)  # clear of the tick labels
    assert _band_has(image, range(band), middle, text)
    legend_rows = range(image.height() - band, image.height())
    assert _band_has(image, legend_rows, range(image.width()),
                     QColor(STATE_COLORS[TrialState.RUNNING]))
    # the window's own plot is unchanged afterwards: no title, no legend inside it
    assert not curves.plot.getPlotItem().titleLabel.isVisible()
