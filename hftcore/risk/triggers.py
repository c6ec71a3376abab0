"""Automatic kill-switch triggers: daily loss, drawdown and repeated venue rejects.

Each trigger is told what happened (an equity value, a reject) and answers with the reason to
halt, or None. The risk engine asks `LossTriggers` on its monitor timer and `RejectTrigger` on
every ``OrderRejected``; the venue-disconnect trigger lives in
``RiskEngine.on_venue_disconnected``.
"""

from __future__ import annotations

from collections import deque
from decimal import Decimal

NS_PER_DAY = 86_400_000_000_000
"""Nanoseconds in a UTC day (UNIX time has no leap seconds)."""


class LossTriggers:
    """Daily loss limit and maximum drawdown of portfolio equity.

    Parameters
    ----------
    daily_loss_limit : Decimal or None
        Halt when equity is this much below its value at the first check of the UTC day.
    max_drawdown : Decimal or None
        Halt when equity is this much below its highest value seen.
    currency : str
        Currency of the amounts, for the messages.
    """

    def __init__(
        self, daily_loss_limit: Decimal | None, max_drawdown: Decimal | None, currency: str
    ) -> None:
        self.daily_loss_limit = daily_loss_limit
        self.max_drawdown = max_drawdown
        self.currency = currency
        self.day_start_equity: Decimal | None = None
        self.peak_equity: Decimal | None = None
        self._day: int | None = None

    @property
    def is_enabled(self) -> bool:
        """bool: Whether any loss limit is set."""
        return self.daily_loss_limit is not None or self.max_drawdown is not None

    def evaluate(self, equity: Decimal, now_ns: int) -> str | None:
        """Record ``equity`` at ``now_ns`` and return why to halt, or None.

        Parameters
        ----------
        equity : Decimal
            Portfolio equity in ``currency``.
        now_ns : int
            Clock time, UNIX ns; a new UTC day resets the daily baseline.

        Returns
        -------
        str or None
        """
        day = now_ns // NS_PER_DAY
        if day != self._day:
            self._day = day
            self.day_start_equity = equity
        if self.peak_equity is None or equity > self.peak_equity:
            self.peak_equity = equity
        if self.daily_loss_limit is not None:
            loss = self.day_start_equity - equity
            if loss >= self.daily_loss_limit:
                return (
                    f"daily loss {loss} {self.currency} >= limit {self.daily_loss_limit} "
                    f"(equity {equity}, day start {self.day_start_equity})"
                )
        if self.max_drawdown is not None:
            drawdown = self.peak_equity - equity
            if drawdown >= self.max_drawdown:
                return (
                    f"drawdown {drawdown} {self.currency} >= limit {self.max_drawdown} "
                    f"(equity {equity}, peak {self.peak_equity})"
                )
        return None


class RejectTrigger:
    """Too many venue rejects within a time window.

    Parameters
    ----------
    max_rejects : int
        Halt at this many rejects within the window.
    window_ns : int
        Length of the window, ns.
    """

    def __init__(self, max_rejects: int, window_ns: int) -> None:
        self.max_rejects = max_rejects
        self.window_ns = window_ns
        self._times_ns: deque[int] = deque()

    def on_reject(self, now_ns: int) -> str | None:
        """Record a reject at ``now_ns`` and return why to halt, or None.

        Parameters
        ----------
        now_ns : int
            Clock time of the reject, UNIX ns.

        Returns
        -------
        str or None
        """
        self._times_ns.append(now_ns)
        while self._times_ns and self._times_ns[0] <= now_ns - self.window_ns:
            self._times_ns.popleft()
        if len(self._times_ns) >= self.max_rejects:
            return (
                f"{len(self._times_ns)} venue rejects within {self.window_ns // 1_000_000} ms "
                f"(limit {self.max_rejects})"
            )
        return None
