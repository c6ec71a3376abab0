"""Replay of catalog data: the k-way merge of event streams by receive time."""

from backtest.replay.merge import KWayMerge, StreamCursor, StreamKind

__all__ = ["KWayMerge", "StreamCursor", "StreamKind"]
