"""Events the portfolio emits: ``RebalanceNeeded`` when a venue runs low on an asset."""

from __future__ import annotations

from decimal import Decimal

import msgspec

from hftcore.bus.topics import topic_for

REBALANCE_TOPIC_KIND = "rebalance"
"""First part of the topic of a `RebalanceNeeded`: ``rebalance.<venue>.<asset>``."""


def rebalance_topic(venue: str, asset: str) -> str:
    """Return the bus topic of the rebalancing signals of ``asset`` on ``venue``.

    Parameters
    ----------
    venue : str
        Venue name, e.g. ``"BINANCE"``.
    asset : str
        Asset code, e.g. ``"USDT"``.

    Returns
    -------
    str
        ``"rebalance.<venue>.<asset>"`` in lowercase.
    """
    return topic_for(REBALANCE_TOPIC_KIND, venue, asset)


class RebalanceNeeded(msgspec.Struct, frozen=True, kw_only=True):
    """A venue's free balance of an asset fell under its configured level.

    The suggested transfer moves ``amount`` of ``asset`` from ``from_venue`` (the venue holding
    the most of it) to ``venue``. Nothing is transferred unless transfers were opted into
    (``[portfolio.rebalance] execute_transfers = true`` and a transfer executor).

    Attributes
    ----------
    venue : str
        The venue running low.
    asset : str
        The asset, e.g. ``"USDT"``.
    free : Decimal
        The venue's free balance of ``asset`` now.
    min_free : Decimal
        The configured level it fell under.
    from_venue : str or None
        The venue with the most free ``asset`` above its own level; None when no venue can spare
        any.
    amount : Decimal
        Suggested transfer: enough to refill ``venue`` to the target level, at most what
        ``from_venue`` holds above its own level; 0 when ``from_venue`` is None.
    ts_event : int
        Time of the balance change that crossed the level, UNIX ns.
    ts_recv : int
        Local time the signal was made, UNIX ns.
    """

    venue: str
    asset: str
    free: Decimal
    min_free: Decimal
    from_venue: str | None
    amount: Decimal
    ts_event: int
    ts_recv: int
