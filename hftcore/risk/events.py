"""Events the risk engine publishes: ``TradingStateChanged``."""

from __future__ import annotations

import msgspec

from hftcore.bus.topics import topic_for

TRADING_STATE_TOPIC = topic_for("risk", "engine", "state")
"""Bus topic of every `TradingStateChanged`: ``risk.engine.state``."""


class TradingStateChanged(msgspec.Struct, frozen=True, kw_only=True):
    """The risk engine's trading state changed (ACTIVE, REDUCING or HALTED).

    Attributes
    ----------
    state : str
        The new state: ``"ACTIVE"``, ``"REDUCING"`` or ``"HALTED"``.
    previous : str
        The state before.
    reason : str
        Why, e.g. ``"daily loss 5012.3 USDT >= limit 5000"``.
    source : str
        Who changed it: ``"in-process"``, ``"file"``, ``"socket"``, ``"redis"`` or
        ``"trigger"``.
    canceled_count : int
        Open orders asked to cancel by the change (a halt cancels every open order).
    ts_event : int
        Clock time of the change, UNIX ns.
    ts_recv : int
        Same as ``ts_event`` (the change is local).
    """

    state: str
    previous: str
    reason: str
    source: str
    canceled_count: int
    ts_event: int
    ts_recv: int
