"""The in-memory state every component reads: instruments, books, orders, positions, balances.

One ``Cache`` per node. Writers are the data engine (books, last trades), the execution engine
(orders) and the portfolio (positions, balances); strategies read through ``self.cache``.
"""

cimport cython

from hftcore.errors import UnknownInstrumentError
from hftcore.model.identifiers cimport ClientOrderId, InstrumentId, StrategyId, VenueOrderId
from hftcore.model.instrument cimport Instrument
from hftcore.model.order cimport Order


@cython.final
cdef class _OpenCount:
    # The open orders of one strategy: a C counter, no int object per change.
    pass


cdef class Cache:
    """Instruments, books, orders (by client and venue id), positions and balances."""

    def __cinit__(self):
        self._instruments = {}
        self._books = {}
        self._orders = {}
        self._orders_by_venue_id = {}
        self._open_orders = {}
        self._positions = {}
        self._balances = {}
        self._last_trades = {}
        self._strategy_open_counts = {}

    # -- INSTRUMENTS AND BOOKS -----------------------------------------------------------------

    cpdef void add_instrument(self, Instrument instrument) except *:
        """Add or replace ``instrument`` (keyed by its id)."""
        if instrument is None:
            raise TypeError("instrument: expected Instrument, got None")
        self._instruments[instrument.id] = instrument

    cpdef Instrument instrument(self, InstrumentId instrument_id):
        """Return the instrument ``instrument_id``.

        Raises
        ------
        UnknownInstrumentError
            If the cache holds no such instrument.
        """
        cdef Instrument found = self._instruments.get(instrument_id)
        if found is None:
            raise UnknownInstrumentError(f"instrument_id: {instrument_id} is not in the cache")
        return found

    def instruments(self, str venue=None):
        """Return every instrument, or those of one venue, in insertion order."""
        if venue is None:
            return list(self._instruments.values())
        return [i for i in self._instruments.values() if i.id.venue.value == venue]

    def has_instrument(self, InstrumentId instrument_id):
        """Return whether the cache holds ``instrument_id``."""
        return instrument_id in self._instruments

    cpdef void add_book(self, object book) except *:
        """Add the order book of ``book.instrument_id`` (an ``L2Book`` or ``L1Book``)."""
        self._books[book.instrument_id] = book

    cpdef object book(self, InstrumentId instrument_id):
        """Return the book of ``instrument_id``, or ``None`` when none is kept."""
        return self._books.get(instrument_id)

    def books(self):
        """Return every book, in insertion order."""
        return list(self._books.values())

    # -- ORDERS --------------------------------------------------------------------------------

    cpdef void add_order(self, Order order) except *:
        """Add a new order; its client order id must not be in the cache yet.

        Raises
        ------
        ValueError
            If an order with the same client order id exists.
        """
        cdef Py_ssize_t size = len(self._orders)
        self._orders.setdefault(order.client_order_id, order)
        if len(self._orders) == size:
            raise ValueError(
                f"client_order_id: {order.client_order_id} already exists in the cache"
            )
        if order.venue_order_id is not None:
            self._orders_by_venue_id[order.venue_order_id] = order
        self.update_order_state(order)

    cpdef Order order(self, ClientOrderId client_order_id):
        """Return the order ``client_order_id``, or ``None`` when unknown."""
        return self._orders.get(client_order_id)

    cpdef Order order_by_venue_id(self, VenueOrderId venue_order_id):
        """Return the order the venue knows as ``venue_order_id``, or ``None``."""
        return self._orders_by_venue_id.get(venue_order_id)

    cpdef void index_venue_order_id(self, Order order) except *:
        """Record ``order.venue_order_id`` (after the venue accepted it) for lookups."""
        if order.venue_order_id is not None:
            self._orders_by_venue_id[order.venue_order_id] = order

    cpdef void update_order_state(self, Order order) except *:
        """Move ``order`` in or out of the open-order index after a status change."""
        cdef dict by_instrument = self._open_orders.get(order.instrument_id)
        cdef Py_ssize_t size
        cdef _OpenCount counted
        if order.is_closed_c():
            if (
                by_instrument is not None
                and by_instrument.pop(order.client_order_id, None) is not None
            ):
                counted = self._open_count(order.strategy_id.value)
                counted.count -= 1
            return
        if by_instrument is None:
            by_instrument = {}
            self._open_orders[order.instrument_id] = by_instrument
        size = len(by_instrument)
        by_instrument[order.client_order_id] = order
        if len(by_instrument) != size:
            counted = self._open_count(order.strategy_id.value)
            counted.count += 1

    def orders(self, InstrumentId instrument_id=None):
        """Return every order, or those of one instrument, in submission order."""
        if instrument_id is None:
            return list(self._orders.values())
        return [o for o in self._orders.values() if o.instrument_id == instrument_id]

    cpdef list open_orders(self, InstrumentId instrument_id=None):
        """Return the orders not yet closed (of one instrument, or all), in submission order."""
        cdef dict by_instrument
        if instrument_id is not None:
            by_instrument = self._open_orders.get(instrument_id)
            return [] if by_instrument is None else list(by_instrument.values())
        cdef list result = []
        for by_instrument in self._open_orders.values():
            result.extend(by_instrument.values())
        return result

    cpdef int open_order_count(self, InstrumentId instrument_id=None):
        """Return how many orders are not yet closed (of one instrument, or all)."""
        cdef dict by_instrument
        cdef int count = 0
        if instrument_id is not None:
            by_instrument = self._open_orders.get(instrument_id)
            return 0 if by_instrument is None else len(by_instrument)
        for by_instrument in self._open_orders.values():
            count += len(by_instrument)
        return count

    # -- POSITIONS, BALANCES, TRADES -----------------------------------------------------------

    cpdef void set_position(self, PositionUpdate position) except *:
        """Store the latest position state of ``position.instrument_id``."""
        self._positions[position.instrument_id] = position

    cpdef object position(self, InstrumentId instrument_id):
        """Return the latest position state of ``instrument_id``, or ``None``."""
        return self._positions.get(instrument_id)

    def positions(self):
        """Return the latest state of every position."""
        return list(self._positions.values())

    cpdef void set_balance(self, BalanceUpdate balance) except *:
        """Store the latest balance of ``balance.venue`` / ``balance.asset``."""
        self._balances[(balance.venue.value, balance.asset)] = balance

    cpdef object balance(self, str venue, str asset):
        """Return the latest balance of ``asset`` on ``venue``, or ``None``."""
        return self._balances.get((venue, asset))

    def balances(self, str venue=None):
        """Return every balance, or those of one venue."""
        if venue is None:
            return list(self._balances.values())
        return [b for (v, _), b in self._balances.items() if v == venue]

    cpdef void set_last_trade(self, object trade) except *:
        """Store ``trade`` as the last trade of its instrument."""
        self._last_trades[trade.instrument_id] = trade

    cpdef object last_trade(self, InstrumentId instrument_id):
        """Return the last trade seen for ``instrument_id``, or ``None``."""
        return self._last_trades.get(instrument_id)

    # -- OPEN-ORDER INDEX ----------------------------------------------------------------------

    cdef dict open_order_index(self, InstrumentId instrument_id):
        # The live open orders of the instrument by client order id, None when it never had
        # one: the risk checks read it in place of a copy per order. Callers must not change it.
        return self._open_orders.get(instrument_id)

    cdef int strategy_open_order_count(self, StrategyId strategy_id, Order excluded) except -1:
        # Open orders of the strategy over every instrument, ``excluded`` not counted.
        cdef int count = self._open_count(strategy_id.value).count
        cdef dict by_instrument
        if excluded is not None and excluded.strategy_id.value == strategy_id.value:
            by_instrument = self._open_orders.get(excluded.instrument_id)
            if (
                by_instrument is not None
                and by_instrument.get(excluded.client_order_id) is excluded
            ):
                count -= 1
        return count

    cdef _OpenCount _open_count(self, str strategy_key):
        # The open-order counter of a strategy id, kept in step with the open-order index; the
        # last one is remembered (a strategy's orders share its id string).
        if strategy_key is self._last_count_key:
            return self._last_count
        cdef _OpenCount counted = self._strategy_open_counts.get(strategy_key)
        if counted is None:
            counted = _OpenCount()
            self._strategy_open_counts[strategy_key] = counted
        self._last_count_key = strategy_key
        self._last_count = counted
        return counted
