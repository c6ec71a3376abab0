"""The in-memory state every component reads: instruments, books, orders, positions, balances."""

from hftcore.model.account_events cimport BalanceUpdate, PositionUpdate
from hftcore.model.identifiers cimport ClientOrderId, InstrumentId, StrategyId, VenueOrderId
from hftcore.model.instrument cimport Instrument
from hftcore.model.order cimport Order


cdef class _OpenCount:
    cdef int count


cdef class Cache:
    cdef dict _instruments
    cdef dict _books
    cdef dict _orders
    cdef dict _orders_by_venue_id
    cdef dict _open_orders
    cdef dict _positions
    cdef dict _balances
    cdef dict _last_trades
    cdef dict _strategy_open_counts
    cdef str _last_count_key
    cdef _OpenCount _last_count

    # -- INSTRUMENTS AND BOOKS -----------------------------------------------------------------
    cpdef void add_instrument(self, Instrument instrument) except *
    cpdef Instrument instrument(self, InstrumentId instrument_id)
    cpdef void add_book(self, object book) except *
    cpdef object book(self, InstrumentId instrument_id)

    # -- ORDERS --------------------------------------------------------------------------------
    cpdef void add_order(self, Order order) except *
    cpdef Order order(self, ClientOrderId client_order_id)
    cpdef Order order_by_venue_id(self, VenueOrderId venue_order_id)
    cpdef void index_venue_order_id(self, Order order) except *
    cpdef void update_order_state(self, Order order) except *
    cpdef list open_orders(self, InstrumentId instrument_id=*)
    cpdef int open_order_count(self, InstrumentId instrument_id=*)

    # -- POSITIONS, BALANCES, TRADES -----------------------------------------------------------
    cpdef void set_position(self, PositionUpdate position) except *
    cpdef object position(self, InstrumentId instrument_id)
    cpdef void set_balance(self, BalanceUpdate balance) except *
    cpdef object balance(self, str venue, str asset)
    cpdef void set_last_trade(self, object trade) except *
    cpdef object last_trade(self, InstrumentId instrument_id)

    # -- OPEN-ORDER INDEX (last: appending keeps the vtable of modules built on the old layout) --
    cdef dict open_order_index(self, InstrumentId instrument_id)
    cdef int strategy_open_order_count(self, StrategyId strategy_id, Order excluded) except -1
    cdef _OpenCount _open_count(self, str strategy_key)
