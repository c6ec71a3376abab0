"""Rebalancing signals: notice a venue running low on an asset and suggest a transfer.

`RebalanceMonitor` is called by the portfolio after every balance change. When a venue's free
balance of an asset with a ``min_free`` level falls under it, the monitor emits one
`~hftcore.portfolio.events.RebalanceNeeded` (again only after the balance recovered above the
level) suggesting a transfer from the venue that holds the most of the asset.

Live transfers are opt-in twice: ``[portfolio.rebalance] execute_transfers = true`` and a
`TransferExecutor` given to the portfolio. Without both, no transfer code runs; the signals are
only published.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Protocol, runtime_checkable

from hftcore.errors import ConfigError
from hftcore.portfolio.config import RebalanceConfig
from hftcore.portfolio.events import RebalanceNeeded

log = logging.getLogger(__name__)

_ZERO = Decimal(0)


@runtime_checkable
class TransferExecutor(Protocol):
    """Moves funds between venues (withdraw + deposit, or an internal transfer)."""

    def transfer(self, signal: RebalanceNeeded) -> None:
        """Start the transfer ``signal`` suggests; called on the event-loop thread."""
        ...


class RebalanceMonitor:
    """Watch free balances against ``min_free`` levels and emit `RebalanceNeeded`.

    Parameters
    ----------
    config : RebalanceConfig
        Levels per asset and the transfer opt-in.
    emit : callable
        Called with each `RebalanceNeeded` (the portfolio publishes it on the bus).
    """

    def __init__(self, config: RebalanceConfig, emit: Callable[[RebalanceNeeded], None]) -> None:
        self.config = config
        self.signal_count = 0
        self.transfer_count = 0
        self._emit = emit
        self._executor: TransferExecutor | None = None
        self._low: set[tuple[str, str]] = set()

    def set_transfer_executor(self, executor: TransferExecutor | None) -> None:
        """Hand every future signal to ``executor`` (live transfers); None stops that.

        Parameters
        ----------
        executor : TransferExecutor or None

        Raises
        ------
        ConfigError
            If ``execute_transfers`` is not set in the config (transfers are opt-in).
        TypeError
            If ``executor`` has no ``transfer(signal)`` method.
        """
        if executor is not None and not self.config.execute_transfers:
            raise ConfigError(
                "portfolio.rebalance.execute_transfers: false; set it to true to allow live "
                "transfers before giving a transfer executor"
            )
        if executor is not None and not isinstance(executor, TransferExecutor):
            raise TypeError(f"executor: {type(executor).__name__} has no transfer(signal) method")
        self._executor = executor

    def watches(self, asset: str) -> bool:
        """Return whether ``asset`` has a ``min_free`` level.

        Parameters
        ----------
        asset : str

        Returns
        -------
        bool
        """
        return asset in self.config.min_free

    def on_balance(
        self,
        venue: str,
        asset: str,
        free_by_venue: Iterable[tuple[str, Decimal]],
        ts_event: int,
        ts_recv: int,
    ) -> RebalanceNeeded | None:
        """Check ``venue``'s free ``asset`` after a change; emit a signal on a downward crossing.

        Parameters
        ----------
        venue : str
            The venue whose balance changed.
        asset : str
            The asset that changed.
        free_by_venue : iterable of (str, Decimal)
            Free balance of ``asset`` on every venue the portfolio knows, ``venue`` included.
        ts_event : int
            Time of the change, UNIX ns.
        ts_recv : int
            Local time now, UNIX ns.

        Returns
        -------
        RebalanceNeeded or None
            The signal emitted, if any.
        """
        minimum = self.config.min_free.get(asset)
        if minimum is None:
            return None
        free_by_venue = dict(free_by_venue)
        free = free_by_venue[venue]
        key = (venue, asset)
        if free >= minimum:
            self._low.discard(key)
            return None
        if key in self._low:
            return None
        self._low.add(key)
        target = self.config.target_free.get(asset, minimum * 2)
        donor, spare = None, _ZERO
        for other, other_free in sorted(free_by_venue.items()):
            if other != venue and other_free - minimum > spare:
                donor, spare = other, other_free - minimum
        signal = RebalanceNeeded(
            venue=venue,
            asset=asset,
            free=free,
            min_free=minimum,
            from_venue=donor,
            amount=min(target - free, spare) if donor is not None else _ZERO,
            ts_event=ts_event,
            ts_recv=ts_recv,
        )
        self.signal_count += 1
        log.warning(
            "rebalance needed venue=%s asset=%s free=%s min_free=%s from_venue=%s amount=%s",
            venue,
            asset,
            free,
            minimum,
            donor,
            signal.amount,
        )
        self._emit(signal)
        if self.config.execute_transfers and self._executor is not None and donor is not None:
            self.transfer_count += 1
            self._executor.transfer(signal)
        return signal
