"""Two-leg cross-venue arbitrage on the hot path: the venues' legs, the scan and the sizing."""

cimport cython
from libc.stdint cimport int64_t

from hftcore.book.order_book cimport OrderBook


# -- LEG ---------------------------------------------------------------------------------------

cdef class ArbLeg:
    cdef readonly OrderBook book
    """The venue's book, read in place."""
    cdef readonly double tick_size_f
    """Price of one tick, price units."""
    cdef readonly double lot_size_f
    """Base units of one lot (lot size times multiplier)."""
    cdef readonly double fee
    """Taker fee rate of this leg."""
    cdef readonly double ask_cost_per_tick
    """Cost of buying one base unit per tick of ask, fee included, price units."""
    cdef readonly double bid_proceeds_per_tick
    """Proceeds of selling one base unit per tick of bid, fee deducted, price units."""
    cdef readonly int64_t lots_per_unit
    """Lots of this instrument in one tradable unit of the cross."""
    cdef readonly double latency_ns
    """EWMA of the feed latency ``ts_recv - ts_event``, ns; NaN before the first sample."""
    cdef readonly double jitter_ns
    """EWMA of the absolute deviation of the latency from ``latency_ns``, ns."""

    cdef void _observe_latency(self, double alpha) noexcept
    cdef double _latency_buffer_bps(self, double bps_per_ms, double jitter_multiplier) noexcept
    cdef bint _is_fresh(self, int64_t now_ns, int64_t max_age_ns, int64_t max_lag_ns) noexcept


# -- SCAN AND SIZE -----------------------------------------------------------------------------

@cython.final
cdef class TwoLegCross:
    cdef readonly double unit_size
    """Base units of one tradable unit (a whole number of every leg's lots)."""
    cdef readonly int64_t max_units
    """Largest trade, units."""
    cdef readonly Py_ssize_t max_levels
    """Levels of each side walked at most."""
    cdef readonly int64_t max_age_ns
    """A book not updated for longer than this is stale, ns."""
    cdef readonly int64_t max_lag_ns
    """A book whose last update lagged the venue by more than this is stale, ns."""
    cdef readonly double risk_premium_bps
    """Edge demanded on top of both taker fees and the latency buffers, bps."""
    cdef readonly double latency_buffer_bps_per_ms
    """Edge demanded per ms of each venue's feed latency, bps/ms."""
    cdef readonly double latency_jitter_multiplier
    """Weight of the jitter in the latency counted."""
    cdef readonly ArbLeg buy
    """Leg bought by the last scan; None when it found no cross."""
    cdef readonly ArbLeg sell
    """Leg sold by the last scan; None when it found no cross."""
    cdef readonly double required_edge_bps
    """Edge after fees the last scan's cross must earn, bps."""
    cdef readonly int64_t units
    """Units of the last sizing; 0 when it found no trade."""
    cdef readonly int64_t buy_lots
    """Buy leg of the last sizing, lots of the buy instrument."""
    cdef readonly int64_t sell_lots
    """Sell leg of the last sizing, lots of the sell instrument."""
    cdef readonly int64_t buy_worst_price_ticks
    """Deepest ask the buy leg reaches (its IOC limit), ticks."""
    cdef readonly int64_t sell_worst_price_ticks
    """Deepest bid the sell leg reaches (its IOC limit), ticks."""
    cdef readonly double buy_vwap_price
    """Average price of the buy leg, price units."""
    cdef readonly double sell_vwap_price
    """Average price of the sell leg, price units."""
    cdef readonly double net_edge_bps
    """Round-trip return of the last sizing after both taker fees, bps."""

    cdef bint _scan(self, list legs, int64_t now_ns) except -1
    cdef bint _size(self, int64_t cap_units) noexcept
