"""The shadow ledger: balances per venue and asset, positions, PnL and fees, fed by fills."""

cimport cython
from libc.stdint cimport int64_t

from hftcore.bus.message_bus cimport MessageBus
from hftcore.cache.cache cimport Cache
from hftcore.model.enums cimport Side
from hftcore.model.identifiers cimport ClientOrderId, InstrumentId, Venue
from hftcore.model.instrument cimport Instrument
from hftcore.model.order cimport Order
from hftcore.model.order_events cimport OrderFilled


# -- BALANCE -----------------------------------------------------------------------------------

@cython.final
cdef class AssetBalance:
    cdef readonly Venue venue
    """The venue holding the asset."""
    cdef readonly str asset
    """The asset code, e.g. ``USDT``."""
    cdef readonly object total
    """Exact amount held (``Decimal``): free + reserved by orders + position margin."""
    cdef readonly object margin
    """Initial margin of this venue's perpetual and future positions settled in the asset."""
    cdef readonly double locked_f
    """Amount reserved by our open orders (an estimate at their limit price), float."""
    cdef readonly double free_f
    """``total - locked - margin`` as a float: what new orders may still use."""
    cdef readonly bint is_reported
    """True once the venue (or the config's starting balances) reported this balance."""
    cdef readonly int64_t ts_last
    """Time of the last change, UNIX ns."""
    cdef double _total_f
    cdef double _margin_f
    cdef object _quantum
    cdef int _precision
    cdef int64_t _total_raw
    cdef int64_t _margin_raw
    cdef double _scale_f
    cdef bint _is_asset_code
    cdef bint _is_total_exact
    cdef bint _is_margin_exact

    cdef int _set_total(self, object total, int64_t ts_ns) except -1
    cdef int _add_total(self, object delta, int64_t ts_ns) except -1
    cdef int _set_margin(self, object margin) except -1
    cdef void _add_locked(self, double delta_f) noexcept
    cdef void _refresh(self) noexcept
    cdef bint _locked_raw(self, int64_t* locked_raw) noexcept


cdef bint _scaled_exact(object amount, int precision, int64_t* raw_out) except -1
cdef bint _scaled_rounded(object amount, int precision, int64_t* raw_out) except -1


# -- POSITION ----------------------------------------------------------------------------------

@cython.final
cdef class Position:
    cdef readonly Instrument instrument
    """The instrument of the position."""
    cdef readonly InstrumentId instrument_id
    """The instrument id."""
    cdef readonly int64_t quantity_lots
    """Signed net position in lots: > 0 long, < 0 short, 0 flat."""
    cdef readonly object avg_entry_price
    """Average entry price of the open quantity (``Decimal``, 0 when flat)."""
    cdef readonly object realized_pnl
    """PnL realized by reducing fills so far, in the settlement asset (``Decimal``, fees apart)."""
    cdef readonly object fees
    """Fees paid on this instrument's fills, by asset (``dict[str, Decimal]``)."""
    cdef readonly object margin
    """Initial margin of the open quantity (perpetuals and futures; 0 for spot), ``Decimal``."""
    cdef readonly object leverage
    """Leverage of a perpetual or future (``Decimal``); 1 for spot."""
    cdef readonly int64_t fill_count
    """Fills applied."""
    cdef readonly int64_t ts_last
    """Time of the last fill, UNIX ns; 0 before any."""
    cdef readonly AssetBalance base_balance
    """Balance of the base asset on the instrument's venue (spot; None for derivatives)."""
    cdef readonly AssetBalance quote_balance
    """Balance of the quote asset on the instrument's venue."""
    cdef readonly AssetBalance settle_balance
    """Balance of the settlement asset on the instrument's venue (margin, PnL)."""
    cdef readonly bint is_spot
    """True for spot: fills move base and quote balances; else PnL and margin move settle."""
    cdef object _units_per_lot
    cdef double _units_per_lot_f
    cdef double _leverage_f

    cdef object _apply_fill(self, OrderFilled fill, object price)
    cdef object _margin_for(self, int64_t quantity_lots, object avg_entry_price)


# -- EXPOSURE ----------------------------------------------------------------------------------

@cython.final
cdef class AssetPosition:
    cdef readonly str asset
    """The base asset, e.g. ``BTC``."""
    cdef readonly double units_f
    """Net position in the asset summed over every instrument and venue (units, not lots)."""


@cython.final
cdef class _Reservation:
    cdef AssetBalance balance
    cdef double per_lot_f
    cdef int64_t lots_cap
    cdef double reserved_f


# -- PORTFOLIO ---------------------------------------------------------------------------------

@cython.final
cdef class Portfolio:
    cdef readonly object config
    """The ``PortfolioConfig``."""
    cdef readonly Cache cache
    """The node cache: instruments, books and last trades are read from it; positions and
    balances are written to it."""
    cdef readonly MessageBus bus
    """The bus order events come from and updates and signals go to; None until registered."""
    cdef readonly object clock
    """The node clock."""
    cdef readonly int64_t fill_count
    """Fills applied."""
    cdef readonly int64_t balance_update_count
    """Venue balance updates applied."""
    cdef readonly int64_t unknown_instrument_fill_count
    """Fills of instruments the cache does not know (not applied, logged)."""
    cdef dict _positions
    cdef dict _balances
    cdef dict _asset_positions
    cdef dict _reservations
    cdef dict _fees
    cdef int _precision
    cdef double _market_buffer
    cdef object _rebalancer

    # -- LOOKUPS (hot path) --------------------------------------------------------------------
    cdef Position position_c(self, InstrumentId instrument_id)
    cdef AssetBalance balance_c(self, Venue venue, str asset)
    cdef AssetPosition asset_position_c(self, str asset)

    # -- RESERVATIONS (hot path) ---------------------------------------------------------------
    cdef AssetBalance reserve_balance_c(self, Position position, Side side)
    cdef double required_f(
        self,
        Position position,
        Side side,
        int64_t quantity_lots,
        double price_ticks,
        bint is_reduce_only,
    ) noexcept
    cdef double market_price_ticks_f(self, Instrument instrument, Side side) except? -1.0
    cdef int reserve_c(self, Order order, double price_ticks) except -1
    cdef int _refresh_reservation(self, Order order) except -1
    cdef int _release(self, ClientOrderId client_order_id) except -1

    # -- EVENTS --------------------------------------------------------------------------------
    cdef int _on_fill(self, OrderFilled fill) except -1
    cdef int _after_balance_change(self, AssetBalance balance, int64_t ts_event) except -1
    cdef int _write_position(self, Position position, int64_t ts_event) except -1
    cdef int _write_balance(self, AssetBalance balance, int64_t ts_event) except -1
    cdef object _money(self, object amount, str currency)
    cdef int64_t _now_ns(self) except? -1
