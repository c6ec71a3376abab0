"""The fills of a backtest as the OMS received them, kept as compact columns.

A run keeps every fill until it writes ``fills.parquet``. Holding the ``OrderFilled`` events
would keep four garbage-collected objects per fill (event, trade id, fee, the tuple holding
them) for the collector to walk at every full collection; ``FillLog`` keeps the numbers in one
C array and the texts (shared with the orders' ids, except the trade id) in lists of ``str``.
The backtest engine records into it without a Python call.
"""

from libc.math cimport NAN
from libc.stdint cimport int64_t
from libc.stdlib cimport free, realloc

from hftcore.model.enums cimport LiquiditySide, Side
from hftcore.model.money cimport Money
from hftcore.model.order_events cimport OrderFilled


cdef class FillLog:
    """Columns of the fills of a run, in the order they were recorded.

    Call it as ``log(event, mid_ticks)`` (the backtest engine's ``on_fill`` signature).
    """

    def __cinit__(self):
        self._rows = NULL
        self._capacity = 0
        self.count = 0
        self._client_order_ids = []
        self._venue_order_ids = []
        self._trade_ids = []
        self._strategy_ids = []
        self._instrument_ids = []
        self._fee_currencies = []

    def __dealloc__(self):
        free(self._rows)

    def __len__(self):
        return self.count

    def __call__(self, OrderFilled event not None, mid_ticks=None):
        """Record one fill.

        Parameters
        ----------
        event : OrderFilled
            The fill, as the OMS received it.
        mid_ticks : float or None
            Strategy-side mid (ticks) when the venue filled the order; None when unknown.
        """
        self.record(event, NAN if mid_ticks is None else mid_ticks, mid_ticks is not None)

    cdef int record(self, OrderFilled event, double mid_ticks, bint has_mid) except -1:
        cdef FillRow* row
        cdef int64_t capacity
        cdef FillRow* grown
        if self.count == self._capacity:
            capacity = max(1024, 2 * self._capacity)
            grown = <FillRow*>realloc(self._rows, capacity * sizeof(FillRow))
            if grown == NULL:
                raise MemoryError(f"FillLog: cannot grow to {capacity} fills")
            self._rows = grown
            self._capacity = capacity
        row = &self._rows[self.count]
        row.ts_event = event.ts_event
        row.ts_recv = event.ts_recv
        row.price_ticks = event.last_price_ticks
        row.qty_lots = event.last_qty_lots
        row.fee_raw = event.fee.raw
        row.fee_precision = event.fee.precision
        row.side = event.order_side
        row.liquidity = event.liquidity_side
        row.mid_ticks = mid_ticks
        row.has_mid = has_mid
        self._client_order_ids.append(event.client_order_id.value)
        self._venue_order_ids.append(
            None if event.venue_order_id is None else event.venue_order_id.value
        )
        self._trade_ids.append(event.trade_id.value)
        self._strategy_ids.append(event.strategy_id.value)
        self._instrument_ids.append(event.instrument_id.value)
        self._fee_currencies.append(event.fee.currency)
        self.count += 1
        return 0

    def row(self, int64_t index):
        """Return fill ``index`` (0 = first recorded).

        Parameters
        ----------
        index : int
            0 <= index < ``count``.

        Returns
        -------
        tuple
            ``(ts_event, ts_recv, client_order_id, venue_order_id, trade_id, strategy_id,
            instrument_id, side, price_ticks, qty_lots, liquidity, fee, mid_ticks)``: ids as
            text, ``side`` a ``Side``, ``liquidity`` a ``LiquiditySide``, ``fee`` a ``Money``,
            ``mid_ticks`` a float or None.

        Raises
        ------
        IndexError
            If ``index`` is out of range.
        """
        cdef FillRow* row
        if index < 0 or index >= self.count:
            raise IndexError(f"FillLog.row: index {index} not in 0..{self.count - 1}")
        row = &self._rows[index]
        return (
            row.ts_event,
            row.ts_recv,
            self._client_order_ids[index],
            self._venue_order_ids[index],
            self._trade_ids[index],
            self._strategy_ids[index],
            self._instrument_ids[index],
            <Side>row.side,
            row.price_ticks,
            row.qty_lots,
            <LiquiditySide>row.liquidity,
            Money.from_raw_c(row.fee_raw, row.fee_precision, self._fee_currencies[index]),
            row.mid_ticks if row.has_mid else None,
        )
