"""Search-space editor rows, scale previews and the add-parameter menu."""

from __future__ import annotations

import numpy as np

from desktop_app.core.search import MAX_GRID, REGISTRY
from desktop_app.gui.editor.field_marks import problem_of
from desktop_app.gui.editor.space_editor import DEFAULT_SPACE, SpaceEditor


def test_a_new_study_searches_learning_rate_and_batch_size(qtbot):
    editor = SpaceEditor()
    qtbot.addWidget(editor)
    assert editor.to_dict() == DEFAULT_SPACE
    assert editor.is_valid()


def test_log_preview_gives_every_decade_the_same_share(qtbot):
    editor = SpaceEditor()
    qtbot.addWidget(editor)
    xs = editor.rows["learning_rate"].preview.sample_positions()
    assert xs.size == 200
    assert xs.min() >= 1e-4 and xs.max() <= 1e-1
    # log over 3 decades: about a third of the samples per decade, so two thirds lie
    # below 1e-2 of a range up to 1e-1
    assert 0.5 < np.mean(xs < 1e-2) < 0.8
    editor.rows["learning_rate"].set_table({"scale": "log", "low": 1e-4, "high": 1e-1})
    row = editor.add_param("learning_rate", {"values": [0.1, 0.01]})
    assert row.preview.sample_positions().size == 0 and not row.preview.isVisibleTo(row)


def test_reverse_log_preview_samples_0_99_to_0_999_as_often_as_0_9_to_0_99(qtbot):
    editor = SpaceEditor()
    qtbot.addWidget(editor)
    row = editor.add_param("beta_1", {"scale": "reverse_log", "low": 0.9, "high": 0.999})
    xs = row.preview.sample_positions()
    assert 0.35 < np.mean(xs > 0.99) < 0.65  # half the samples in the last 10% of the range


def test_grid_points_show_for_grid_search_only(qtbot):
    editor = SpaceEditor()
    qtbot.addWidget(editor)
    row = editor.rows["learning_rate"]
    assert row.preview.grid_positions().size == 0 and not row.points.isVisibleTo(row)
    editor.set_grid(True)
    assert row.points.isVisibleTo(row)
    np.testing.assert_allclose(row.preview.grid_positions(), [1e-4, 10 ** -2.5, 1e-1])
    assert editor.to_dict()["learning_rate"]["points"] == 3
    assert "Grid: 9 combinations" in editor.grid_label.text()
    assert f"{MAX_GRID:,}" in editor.grid_label.text()


def test_add_menu_groups_by_importance_with_help_and_disables_present_rows(qtbot):
    editor = SpaceEditor()
    qtbot.addWidget(editor)
    editor.menu.popup(editor.add_button.mapToGlobal(editor.add_button.rect().bottomLeft()))
    editor.menu.hide()  # the menu is filled as it opens
    sections = [a.text() for a in editor.menu.actions() if a.isSeparator()]
    assert len(sections) == 4 and sections[0].startswith("Importance 1")
    entries = {a.text(): a for a in editor.menu.actions() if not a.isSeparator()}
    assert set(entries) == set(REGISTRY)
    assert entries["momentum"].toolTip() == REGISTRY["momentum"].help
    assert not entries["learning_rate"].isEnabled() and entries["momentum"].isEnabled()
    entries["momentum"].trigger()
    assert editor.names()[-1] == "momentum"


def test_choice_parameters_get_check_boxes_and_an_empty_choice_is_refused(qtbot):
    editor = SpaceEditor()
    qtbot.addWidget(editor)
    row = editor.add_param("optimizer")
    assert [b.text() for b in row.checks] == list(REGISTRY["optimizer"].choices)
    assert not row.low.isVisibleTo(row) and not row.scale.isVisibleTo(row)
    for box in row.checks[:3]:
        box.setChecked(False)
    assert editor.to_dict()["optimizer"] == {"values": ["adam"]}
    row.checks[3].setChecked(False)
    assert not editor.is_valid()
    assert "values is empty" in problem_of(row.choice_box)


def test_numbers_as_text_and_bad_text(qtbot):
    editor = SpaceEditor()
    qtbot.addWidget(editor)
    row = editor.rows["batch_size"]
    row.scale.setCurrentText("values")
    row.values.setText("16, 32, 64")
    assert editor.to_dict()["batch_size"] == {"values": [16, 32, 64]}
    assert editor.is_valid()
    row.values.setText("16, lots")
    assert not editor.is_valid() and problem_of(row.values)
    row.scale.setCurrentText("pow2")
    row.low.setText("abc")
    assert "low must be a whole number" in problem_of(row.low)


def test_removing_a_row(qtbot):
    editor = SpaceEditor()
    qtbot.addWidget(editor)
    editor.rows["batch_size"].remove_requested.emit("batch_size")
    assert editor.names() == ["learning_rate"]
    editor.remove_param("learning_rate")
    assert editor.to_dict() == {} and editor.empty.isVisibleTo(editor)
