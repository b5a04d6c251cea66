"""The redraw period shared by the event batcher and the plots: ~30 Hz, never once per event."""

FRAME_MS = 33
