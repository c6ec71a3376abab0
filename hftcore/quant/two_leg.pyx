"""Two-leg cross-venue arbitrage on the hot path: the venues' legs, the scan and the sizing.

What ``strategies/xex_arb.py`` does per book update, in C:

- `ArbLeg`: one venue's book with the constants of its instrument (tick, lot, taker fee, lots
  per tradable unit) and its measured feed latency (EWMAs of ``ts_recv - ts_event`` and of its
  absolute deviation); a strategy subclasses it to add its own state (position, orders).
- `TwoLegCross.scan`: among the fresh legs, the lowest ask after fee and the highest bid after
  fee; the edge required (risk premium plus both legs' latency buffers); a rejection at once
  when even the touch does not pay it (the common case).
- `TwoLegCross.size`: the depth walk of `hftcore.quant.depth_walk.crossed_quantity`, the whole
  units it allows under a cap, each leg's VWAP and IOC limit and the net edge at those VWAPs (as
  ``arb_edge.two_leg_edge``), into fields reused from one sizing to the next.
"""

cimport cython
from libc.math cimport INFINITY, NAN, fabs, isfinite, isnan
from libc.stdint cimport int64_t

from hftcore.book.order_book cimport OrderBook, VwapFill
from hftcore.model.enums cimport Side
from hftcore.model.instrument cimport Instrument
from hftcore.quant.depth_walk cimport crossed_quantity

cdef double _BPS = 1e4
cdef double _NS_PER_MS = 1e6


# -- LEG ---------------------------------------------------------------------------------------

cdef class ArbLeg:
    """One venue's book as a two-leg arbitrage reads it: instrument constants, feed latency.

    Parameters
    ----------
    book : OrderBook
        The venue's book (read in place).
    instrument : Instrument
        Its instrument (tick size, lot size, multiplier).
    fee : float
        Taker fee rate of this leg (in (-1, 1)).
    lots_per_unit : int
        Lots of this instrument in one tradable unit (>= 1).

    Raises
    ------
    ValueError
        If ``fee`` or ``lots_per_unit`` is out of range.
    """

    def __init__(
        self,
        OrderBook book not None,
        Instrument instrument not None,
        double fee,
        int64_t lots_per_unit,
    ):
        if not (isfinite(fee) and -1.0 < fee < 1.0):
            raise ValueError(f"fee: expected a rate in (-1, 1), got {fee!r}")
        if lots_per_unit < 1:
            raise ValueError(f"lots_per_unit: expected >= 1, got {lots_per_unit}")
        self.book = book
        self.tick_size_f = instrument.tick_size_f
        self.lot_size_f = instrument.lot_size_f * instrument.multiplier_f
        self.fee = fee
        self.ask_cost_per_tick = self.tick_size_f * (1.0 + fee)
        self.bid_proceeds_per_tick = self.tick_size_f * (1.0 - fee)
        self.lots_per_unit = lots_per_unit
        self.latency_ns = NAN
        self.jitter_ns = 0.0

    cdef void _observe_latency(self, double alpha) noexcept:
        cdef OrderBook book = self.book
        cdef double lag_ns
        if book.ts_event <= 0 or book.ts_recv < book.ts_event:
            return
        lag_ns = <double>(book.ts_recv - book.ts_event)
        if isnan(self.latency_ns):
            self.latency_ns = lag_ns
            return
        self.jitter_ns += alpha * (fabs(lag_ns - self.latency_ns) - self.jitter_ns)
        self.latency_ns += alpha * (lag_ns - self.latency_ns)

    cdef double _latency_buffer_bps(self, double bps_per_ms, double jitter_multiplier) noexcept:
        if isnan(self.latency_ns):
            return 0.0
        return bps_per_ms * (self.latency_ns + jitter_multiplier * self.jitter_ns) / _NS_PER_MS

    cdef bint _is_fresh(self, int64_t now_ns, int64_t max_age_ns, int64_t max_lag_ns) noexcept:
        cdef OrderBook book = self.book
        return (
            book._has_bid()
            and book._has_ask()
            and book.best_bid_price_ticks < book.best_ask_price_ticks
            and now_ns - book.ts_recv <= max_age_ns
            and book.ts_recv - book.ts_event <= max_lag_ns
        )

    def observe_latency(self, double alpha):
        """Fold the book's last ``ts_recv - ts_event`` into the latency EWMAs.

        Parameters
        ----------
        alpha : float
            Weight of the new sample, in (0, 1]; the first sample is taken as it is.

        Raises
        ------
        ValueError
            If ``alpha`` is out of range.
        """
        if not 0.0 < alpha <= 1.0:
            raise ValueError(f"alpha: expected a number in (0, 1], got {alpha!r}")
        self._observe_latency(alpha)

    def latency_buffer_bps(self, double bps_per_ms, double jitter_multiplier):
        """Return the edge, bps, demanded for this venue's feed latency and jitter.

        Parameters
        ----------
        bps_per_ms : float
            Edge per ms of latency counted, bps/ms.
        jitter_multiplier : float
            The latency counted is ``latency_ns + jitter_multiplier * jitter_ns``.

        Returns
        -------
        float
            0.0 before the first latency sample.
        """
        return self._latency_buffer_bps(bps_per_ms, jitter_multiplier)

    def is_fresh(self, int64_t now_ns, int64_t max_age_ns, int64_t max_lag_ns):
        """Return whether the book is two-sided, uncrossed and recent enough to trade on.

        Parameters
        ----------
        now_ns : int
            Clock time, UNIX ns.
        max_age_ns : int
            Largest ``now_ns - ts_recv``, ns.
        max_lag_ns : int
            Largest ``ts_recv - ts_event`` of the last update, ns.

        Returns
        -------
        bool
        """
        return self._is_fresh(now_ns, max_age_ns, max_lag_ns)


# -- SCAN AND SIZE -----------------------------------------------------------------------------

cdef class TwoLegCross:
    """Find and size a two-leg cross (buy one venue's asks, sell another's bids).

    One object per strategy; `scan` then `size` overwrite its fields, so nothing is allocated
    per book update.

    Parameters
    ----------
    unit_size : float
        Base units of one tradable unit (> 0).
    max_units : int
        Largest trade, units (>= 1).
    max_levels : int
        Levels of each side walked at most (>= 1).
    max_age_ns : int
        Freshness: largest time since a book's ``ts_recv``, ns (>= 0).
    max_lag_ns : int
        Freshness: largest ``ts_recv - ts_event`` of a book's last update, ns (>= 0).
    risk_premium_bps : float
        Edge demanded on top of both taker fees and the latency buffers, bps (>= 0).
    latency_buffer_bps_per_ms : float
        Edge demanded per ms of each venue's latency, bps/ms (>= 0).
    latency_jitter_multiplier : float
        The latency counted is ``latency_ns + multiplier * jitter_ns`` (>= 0).

    Raises
    ------
    ValueError
        If a parameter is out of range.
    """

    def __init__(
        self,
        double unit_size,
        int64_t max_units,
        Py_ssize_t max_levels,
        int64_t max_age_ns,
        int64_t max_lag_ns,
        double risk_premium_bps,
        double latency_buffer_bps_per_ms,
        double latency_jitter_multiplier,
    ):
        if not (isfinite(unit_size) and unit_size > 0.0):
            raise ValueError(f"unit_size: expected a finite number > 0, got {unit_size!r}")
        for field, count in (
            ("max_units", max_units),
            ("max_levels", max_levels),
        ):
            if count < 1:
                raise ValueError(f"{field}: expected >= 1, got {count}")
        for field, count in (("max_age_ns", max_age_ns), ("max_lag_ns", max_lag_ns)):
            if count < 0:
                raise ValueError(f"{field}: expected >= 0, got {count}")
        for field, value in (
            ("risk_premium_bps", risk_premium_bps),
            ("latency_buffer_bps_per_ms", latency_buffer_bps_per_ms),
            ("latency_jitter_multiplier", latency_jitter_multiplier),
        ):
            if not (isfinite(value) and value >= 0.0):
                raise ValueError(f"{field}: expected a finite number >= 0, got {value!r}")
        self.unit_size = unit_size
        self.max_units = max_units
        self.max_levels = max_levels
        self.max_age_ns = max_age_ns
        self.max_lag_ns = max_lag_ns
        self.risk_premium_bps = risk_premium_bps
        self.latency_buffer_bps_per_ms = latency_buffer_bps_per_ms
        self.latency_jitter_multiplier = latency_jitter_multiplier

    cdef bint _scan(self, list legs, int64_t now_ns) except -1:
        cdef ArbLeg leg
        cdef ArbLeg buy = None
        cdef ArbLeg sell = None
        cdef double best_cost = INFINITY
        cdef double best_proceeds = 0.0
        cdef double cost
        cdef double proceeds
        cdef double bps_per_ms = self.latency_buffer_bps_per_ms
        cdef double jitter_multiplier = self.latency_jitter_multiplier
        self.buy = None
        self.sell = None
        for leg in legs:
            if not leg._is_fresh(now_ns, self.max_age_ns, self.max_lag_ns):
                continue
            cost = leg.book.best_ask_price_ticks * leg.ask_cost_per_tick
            if cost < best_cost:
                best_cost = cost
                buy = leg
            proceeds = leg.book.best_bid_price_ticks * leg.bid_proceeds_per_tick
            if proceeds > best_proceeds:
                best_proceeds = proceeds
                sell = leg
        if buy is None or sell is None or buy is sell:
            return False
        self.required_edge_bps = (
            self.risk_premium_bps
            + buy._latency_buffer_bps(bps_per_ms, jitter_multiplier)
            + sell._latency_buffer_bps(bps_per_ms, jitter_multiplier)
        )
        if (best_proceeds / best_cost - 1.0) * _BPS < self.required_edge_bps:
            return False
        self.buy = buy
        self.sell = sell
        return True

    @cython.cdivision(True)  # unit_size > 0 (checked in __init__), VWAPs of filled legs > 0
    cdef bint _size(self, int64_t cap_units) noexcept:
        cdef ArbLeg buy = self.buy
        cdef ArbLeg sell = self.sell
        cdef double quantity
        cdef int64_t units
        cdef VwapFill buy_fill
        cdef VwapFill sell_fill
        self.units = 0
        if buy is None or sell is None:
            return False
        quantity = crossed_quantity(
            buy.book,
            buy.tick_size_f,
            buy.lot_size_f,
            buy.fee,
            sell.book,
            sell.tick_size_f,
            sell.lot_size_f,
            sell.fee,
            self.required_edge_bps,
            self.max_units * self.unit_size,
            self.max_levels,
        )
        units = min(<int64_t>(quantity / self.unit_size + 1e-9), self.max_units, cap_units)
        if units < 1:
            return False
        buy_fill = buy.book._vwap(Side.BUY, units * buy.lots_per_unit)
        if buy_fill.filled_lots < units * buy.lots_per_unit:
            return False
        sell_fill = sell.book._vwap(Side.SELL, units * sell.lots_per_unit)
        if sell_fill.filled_lots < units * sell.lots_per_unit:
            return False
        self.units = units
        self.buy_lots = units * buy.lots_per_unit
        self.sell_lots = units * sell.lots_per_unit
        self.buy_worst_price_ticks = buy_fill.worst_price_ticks
        self.sell_worst_price_ticks = sell_fill.worst_price_ticks
        self.buy_vwap_price = buy_fill.vwap_ticks * buy.tick_size_f
        self.sell_vwap_price = sell_fill.vwap_ticks * sell.tick_size_f
        self.net_edge_bps = (
            self.sell_vwap_price * (1.0 - sell.fee) / (self.buy_vwap_price * (1.0 + buy.fee))
            - 1.0
        ) * _BPS
        return True

    def scan(self, list legs not None, int64_t now_ns):
        """Pick the legs to buy and sell on and check the touch pays the required edge.

        Parameters
        ----------
        legs : list of ArbLeg
            Every venue's leg.
        now_ns : int
            Clock time, UNIX ns (freshness).

        Returns
        -------
        bool
            True when two different fresh legs cross by at least `required_edge_bps` at the
            touch; `buy` and `sell` are then set (None otherwise).

        Raises
        ------
        TypeError
            If an item of ``legs`` is not an `ArbLeg`.
        """
        return self._scan(legs, now_ns)

    def size(self, int64_t cap_units):
        """Size the cross of the last successful `scan` on the depth of both books.

        Walks the asks of `buy` and the bids of `sell` together (as
        `hftcore.quant.profitable_book_quantity`) down to `required_edge_bps` a marginal
        unit, takes the whole units that quantity holds, at most `max_units` and
        ``cap_units``, then prices each leg at its VWAP.

        Parameters
        ----------
        cap_units : int
            A further cap on the units (positions, balances); < 1 means no trade.

        Returns
        -------
        bool
            True when at least one unit fills completely on both books; the fields then
            describe the trade, and `net_edge_bps` holds its edge at the two VWAPs (the
            caller checks it against `required_edge_bps`).
        """
        return self._size(cap_units)
