"""Reports on their way from a simulated venue to the strategy, and the venue's id counters.

A report made at venue time ``t`` reaches the strategy at ``max(t + response_latency(t), last)``
where ``last`` is the arrival of the previous report of the same venue: one venue's reports
arrive in the order it sent them, as over one connection, even when a random latency draws a
shorter delay for a later report.
"""

from collections import deque

from libc.stdint cimport INT64_MAX, int64_t

from hftcore.model.identifiers cimport TradeId, VenueOrderId


cdef class ReportQueue:
    """FIFO of ``(local arrival time, order event)`` of one venue.

    Parameters
    ----------
    latency : LatencyModel
        Gives the response delay of each report.
    """

    def __init__(self, LatencyModel latency not None):
        self.latency = latency
        self.next_ns = INT64_MAX
        self.report_count = 0
        self.fill_mids = {}
        self._items = deque()
        self._last_ns = 0

    def __len__(self):
        return len(self._items)

    cdef int64_t report_time(self, int64_t venue_ns) except -1:
        cdef int64_t recv_ns = venue_ns + self.latency.response_ns(venue_ns)
        if recv_ns < self._last_ns:
            recv_ns = self._last_ns
        self._last_ns = recv_ns
        return recv_ns

    cdef int push(self, int64_t recv_ns, object event) except -1:
        if not self._items:
            self.next_ns = recv_ns
        self._items.append((recv_ns, event))
        self.report_count += 1
        return 0

    cdef object pop(self):
        cdef tuple item = self._items.popleft()
        self.next_ns = self._items[0][0] if self._items else INT64_MAX
        return item[1]

    def pop_until(self, int64_t local_ns):
        """Remove and return the reports that have arrived by ``local_ns`` (paper mode, tests).

        Parameters
        ----------
        local_ns : int
            Local time, UNIX ns.

        Returns
        -------
        list
            Order events in arrival order.
        """
        events = []
        while self._items and self.next_ns <= local_ns:
            events.append(self.pop())
        return events


cdef class VenueIds:
    """Issues the venue order ids and trade ids of one simulated venue.

    Parameters
    ----------
    prefix : str
        The venue name, e.g. ``BINANCE``: ids read ``BINANCE-O-1``, ``BINANCE-T-1``.
    """

    def __init__(self, str prefix not None):
        self.prefix = prefix
        self.order_count = 0
        self.trade_count = 0
        # Without whitespace in the prefix every id is valid: skip the identifier check per id.
        self._is_plain_prefix = not any(ch.isspace() for ch in prefix)

    cdef VenueOrderId next_order_id(self):
        self.order_count += 1
        cdef str value = f"{self.prefix}-O-{self.order_count}"
        if not self._is_plain_prefix:
            return VenueOrderId(value)
        cdef VenueOrderId venue_order_id = VenueOrderId.__new__(VenueOrderId)
        venue_order_id.value = value
        venue_order_id._hash = hash(value)
        return venue_order_id

    cdef TradeId next_trade_id(self):
        self.trade_count += 1
        cdef str value = f"{self.prefix}-T-{self.trade_count}"
        if not self._is_plain_prefix:
            return TradeId(value)
        cdef TradeId trade_id = TradeId.__new__(TradeId)
        trade_id.value = value
        trade_id._hash = hash(value)
        return trade_id
