"""Pre-trade risk checks: one component per rule, each enabled and parameterised by config."""

cimport cython
from libc.stdint cimport int64_t

from hftcore.cache.cache cimport Cache
from hftcore.model.identifiers cimport InstrumentId, Venue
from hftcore.model.instrument cimport Instrument
from hftcore.model.order cimport Order
from hftcore.portfolio.ledger cimport AssetPosition, Portfolio, Position


# -- REASONS -----------------------------------------------------------------------------------

cpdef enum DenyReason:
    TRADING_HALTED = 0
    REDUCE_ONLY_STATE = 1
    TICK_SIZE = 2
    LOT_SIZE = 3
    MIN_QUANTITY = 4
    MIN_NOTIONAL = 5
    MAX_ORDER_QUANTITY = 6
    MAX_ORDER_NOTIONAL = 7
    MAX_OPEN_ORDERS = 8
    NO_REFERENCE_PRICE = 9
    PRICE_BAND = 10
    SELF_TRADE = 11
    MAX_POSITION = 12
    INSUFFICIENT_BALANCE = 13
    RATE_LIMIT = 14


cdef enum:
    DENY_REASON_COUNT = 15


# -- STATE -------------------------------------------------------------------------------------

@cython.final
cdef class TokenBucket:
    cdef readonly double capacity
    """Most tokens the bucket holds (the burst)."""
    cdef readonly double tokens_per_ns
    """Refill rate, tokens per ns."""
    cdef readonly double tokens
    """Tokens at ``last_ns``."""
    cdef readonly int64_t last_ns
    """Clock time of the last refill, UNIX ns."""

    cdef double refill(self, int64_t now_ns) noexcept
    cdef void take(self) noexcept


@cython.final
cdef class AssetRisk:
    cdef readonly str asset
    """The base asset, e.g. ``BTC``."""
    cdef readonly double limit_units_f
    """Largest position in the asset summed over instruments and venues; < 0 for none."""
    cdef readonly list instruments
    """The ``InstrumentRisk`` of every instrument of this base asset checked so far."""
    cdef AssetPosition _exposure


@cython.final
cdef class InstrumentRisk:
    cdef readonly Instrument instrument
    """The instrument, as the cache held it when this state was made."""
    cdef readonly InstrumentId instrument_id
    """The instrument id."""
    cdef readonly AssetRisk asset
    """The state of the instrument's base asset."""
    cdef readonly Position position
    """The portfolio's position (None without a portfolio: the cache's is read)."""
    cdef readonly double units_per_lot_f
    """Base-asset units of one lot (lot size times multiplier)."""
    cdef readonly int64_t tick_multiple
    """Prices must be a multiple of this many ticks."""
    cdef readonly int64_t lot_multiple
    """Quantities must be a multiple of this many lots."""
    cdef readonly int64_t max_order_lots
    """Largest order quantity in lots; -1 for none."""
    cdef readonly double max_order_notional_f
    """Largest order notional (quote asset); < 0 for none."""
    cdef readonly int64_t max_position_lots
    """Largest position in lots, long or short; -1 for none."""
    cdef readonly double band_bps
    """Price band in basis points; < 0 for none."""
    cdef readonly TokenBucket venue_bucket
    """The rate bucket of the instrument's venue, or None."""

    cdef int64_t position_lots(self, Cache cache) except? -1


@cython.final
cdef class OrderContext:
    cdef readonly Order order
    """The order checked."""
    cdef readonly InstrumentRisk state
    """Its instrument's state."""
    cdef readonly Cache cache
    """The node cache."""
    cdef readonly int64_t now_ns
    """Clock time of the check, UNIX ns."""
    cdef readonly int sign
    """+1 for a buy, -1 for a sell."""
    cdef readonly int64_t quantity_lots
    """Order quantity checked: the order's, or the new quantity of a modify."""
    cdef readonly int64_t leaves_lots
    """What can still fill: ``quantity_lots`` less what the order has filled."""
    cdef readonly int64_t limit_price_ticks
    """Limit price checked: the order's (0 for a market order), or the new price of a modify."""
    cdef readonly double price_ticks
    """``limit_price_ticks``; for a market order the touch it would take (else the last trade);
    0.0 when a market order has no reference."""
    cdef readonly bint is_modify
    """True when a change of a live order is checked: it is excluded from its own open orders."""
    cdef readonly bint is_cut
    """True for a modify that only lowers the quantity at the same price."""
    cdef readonly double reserved_f
    """What the checked order reserves already (a modify; 0.0 for a new order)."""
    cdef readonly int64_t position_lots
    """Current signed position in the instrument, lots."""
    cdef readonly int64_t bid_ticks
    """Best bid of the book; ``NO_PRICE_TICKS`` when none."""
    cdef readonly int64_t ask_ticks
    """Best ask of the book; ``NO_PRICE_TICKS`` when none."""
    cdef readonly int64_t last_ticks
    """Last trade price, read only when the book lacks a side; ``NO_PRICE_TICKS`` when none."""
    cdef readonly dict open_orders
    """Open orders of the instrument by client order id, the cache's live index: read only (the
    checked order may be among them: skip it)."""
    cdef readonly DenyReason reason
    """Why the order was denied (valid after a check returned 1)."""
    cdef readonly str message
    """Human explanation with the values (valid after a check returned 1)."""

    cdef double reference_ticks(self) noexcept
    cdef int64_t same_side_open_lots(self) except? -1
    cdef int deny(self, DenyReason reason, str message) except -1


# -- CHECKS ------------------------------------------------------------------------------------

cdef class RiskCheck:
    cdef readonly str name
    """The config table of the check, e.g. ``max_position``."""
    cdef readonly bint runs_on_cuts
    """True when a quantity cut can break the rule; exposure checks (False) skip cuts."""

    cdef int setup(self, InstrumentRisk state) except -1
    cdef int check(self, OrderContext ctx) except -1
    cdef int approve(self, OrderContext ctx) except -1


@cython.final
cdef class InstrumentRulesCheck(RiskCheck):
    cdef object _config


@cython.final
cdef class MaxOrderCheck(RiskCheck):
    cdef object _config


@cython.final
cdef class MaxOpenOrdersCheck(RiskCheck):
    cdef int64_t _per_instrument
    cdef int64_t _per_strategy


@cython.final
cdef class PriceBandCheck(RiskCheck):
    cdef object _config
    cdef bint _allow_without_reference


@cython.final
cdef class SelfTradeCheck(RiskCheck):
    cdef bint _same_strategy_only


@cython.final
cdef class MaxPositionCheck(RiskCheck):
    cdef object _config
    cdef Portfolio _portfolio
    cdef dict _assets

    cdef AssetRisk _asset(self, str asset)
    cdef double _asset_units_f(
        self, AssetRisk asset, OrderContext ctx, int64_t own_open_lots
    ) except? -1.0


@cython.final
cdef class BalanceCheck(RiskCheck):
    cdef Portfolio _portfolio


@cython.final
cdef class OrderRateCheck(RiskCheck):
    cdef object _per_strategy
    cdef object _per_venue
    cdef dict _strategy_buckets
    cdef dict _venue_buckets
    cdef TokenBucket _strategy_bucket
    cdef TokenBucket _venue_bucket

    cdef TokenBucket _bucket_for(self, dict buckets, object key, object config)
