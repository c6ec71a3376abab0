"""Reports on their way from a simulated venue to the strategy, and the venue's id counters.

A report made at venue time ``t`` reaches the strategy at ``max(t + response_latency(t), last)``
where ``last`` is the arrival of the previous report of the same venue: one venue's reports
arrive in the order it sent them, as over one connection, even when a random latency draws a
shorter delay for a later report.
"""

from libc.math cimport NAN
from libc.stdint cimport INT64_MAX, int64_t
from libc.stdlib cimport free, realloc
from libc.string cimport memmove

from hftcore.model.identifiers cimport TradeId, VenueOrderId

# Popped slots kept at the front of the queue before they are dropped (a queue that never
# empties would otherwise grow with every report).
cdef Py_ssize_t COMPACT_AFTER = 1024


cdef class ReportQueue:
    """FIFO of order events of one venue with the local time each reaches the strategy.

    Parameters
    ----------
    latency : LatencyModel
        Gives the response delay of each report.
    """

    def __cinit__(self):
        self._slots = NULL
        self._capacity = 0

    def __init__(self, LatencyModel latency not None):
        self.latency = latency
        self.next_ns = INT64_MAX
        self.report_count = 0
        self._events = []
        self._head = 0
        self._last_ns = 0
        self.popped_mid_ticks = NAN
        self.popped_has_mid = False

    def __dealloc__(self):
        free(self._slots)

    def __len__(self):
        return len(self._events) - self._head

    cdef int64_t report_time(self, int64_t venue_ns) except -1:
        cdef int64_t recv_ns = venue_ns + self.latency.response_ns(venue_ns)
        if recv_ns < self._last_ns:
            recv_ns = self._last_ns
        self._last_ns = recv_ns
        return recv_ns

    cdef int push(self, int64_t recv_ns, object event) except -1:
        self._append(recv_ns, event)
        self._slots[len(self._events) - 1].has_mid = False
        return 0

    cdef int push_fill(self, int64_t recv_ns, object event, double mid_ticks) except -1:
        # A fill with the strategy-side mid when it happened (``pop`` sets ``popped_mid_ticks``).
        cdef ReportSlot* slot
        self._append(recv_ns, event)
        slot = &self._slots[len(self._events) - 1]
        slot.mid_ticks = mid_ticks
        slot.has_mid = True
        return 0

    cdef int _append(self, int64_t recv_ns, object event) except -1:
        cdef Py_ssize_t count = len(self._events)
        cdef Py_ssize_t capacity
        cdef ReportSlot* grown
        if count == self._capacity:
            capacity = max(16, 2 * self._capacity)
            grown = <ReportSlot*>realloc(self._slots, capacity * sizeof(ReportSlot))
            if grown == NULL:
                raise MemoryError(f"ReportQueue: cannot grow to {capacity} reports")
            self._slots = grown
            self._capacity = capacity
        if count == self._head:
            self.next_ns = recv_ns
        self._slots[count].recv_ns = recv_ns
        self._events.append(event)
        self.report_count += 1
        return 0

    cdef object pop(self):
        cdef Py_ssize_t head = self._head
        cdef Py_ssize_t count = len(self._events)
        cdef object event = self._events[head]
        self.popped_mid_ticks = self._slots[head].mid_ticks
        self.popped_has_mid = self._slots[head].has_mid
        head += 1
        if head == count:
            del self._events[:]
            head = 0
            self.next_ns = INT64_MAX
        else:
            self._events[head - 1] = None
            if head >= COMPACT_AFTER and 2 * head >= count:
                del self._events[:head]
                memmove(&self._slots[0], &self._slots[head], (count - head) * sizeof(ReportSlot))
                head = 0
            self.next_ns = self._slots[head].recv_ns
        self._head = head
        return event

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
        while len(self._events) > self._head and self.next_ns <= local_ns:
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
