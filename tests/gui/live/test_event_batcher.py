"""Events reach the model in order, in batches, and flush() empties the queue at once."""

from __future__ import annotations

from desktop_app.gui.frame import FRAME_MS
from desktop_app.gui.live.event_batcher import EventBatcher


def test_events_are_applied_in_order_once_per_frame(qtbot):
    batches: list[list[int]] = []
    shown: list[str] = []
    batcher = EventBatcher(batches.append, shown.append)
    for n in range(5):
        batcher.add_event(n)
        batcher.add_progress(f"p{n}")
    assert batches == [] and batcher.pending() == 5
    qtbot.waitUntil(lambda: batches == [[0, 1, 2, 3, 4]], timeout=10 * FRAME_MS)
    assert shown == ["p4"]  # only the newest progress is drawn
    batcher.add_event(5)
    batcher.flush()
    assert batches[-1] == [5] and batcher.pending() == 0
    batcher.flush()
    assert len(batches) == 2 and shown == ["p4"]  # nothing pending: nothing applied
