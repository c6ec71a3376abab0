"""The shadow ledger: balances per venue and asset, positions, PnL and fees, fed by fills."""

cimport cython
from libc.stdint cimport int64_t

from hftcore.bus.message_bus cimport MessageBus
from hftcore.cache.cache cimport Cache
from hftcore.clock.clock cimport Clock
from hftcore.model.enums cimport Side
from hftcore.model.identifiers cimport ClientOrderId, InstrumentId, Venue
from hftcore.model.instrument cimport Instrument
from hftcore.model.order cimport Order
from hftcore.model.order_events cimport OrderFilled
from hftcore.portfolio.balance cimport AssetBalance
from hftcore.portfolio.position cimport AssetPosition, Position
from hftcore.portfolio.reservations cimport Reservation


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
    cdef int _precision
    cdef double _market_buffer
    cdef object _rebalancer
    cdef Clock _clock

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
    cdef int _reserve(self, Order order, double price_ticks, Reservation reservation) except -1
    cdef int _refresh_reservation(self, Order order) except -1
    cdef int _release(self, ClientOrderId client_order_id) except -1

    # -- EVENTS --------------------------------------------------------------------------------
    cdef int _on_fill(self, OrderFilled fill) except -1
    cdef int _after_balance_change(
        self, AssetBalance balance, int64_t ts_event, int64_t now_ns
    ) except -1
    cdef int _write_position(self, Position position, int64_t ts_event, int64_t now_ns) except -1
    cdef int _write_balance(self, AssetBalance balance, int64_t ts_event, int64_t now_ns) except -1
    cdef object _money(self, object amount, str currency)
    cdef int64_t _now_ns(self) except? -1
