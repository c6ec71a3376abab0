"""K-way merge of catalog event streams by receive time, without a Python object per event."""

cimport cython
from libc.stdint cimport int8_t, int32_t, int64_t, uint8_t, uint64_t


cpdef enum StreamKind:
    BOOK = 0
    QUOTES = 1
    TRADES = 2


# -- CURSOR ------------------------------------------------------------------------------------

@cython.final
cdef class StreamCursor:
    cdef readonly object stream
    """The ``EventStream`` read (``kind``, ``venue``, ``symbol``, ``batches()``)."""
    cdef readonly StreamKind kind
    """BOOK, QUOTES or TRADES: which column views below are set."""
    cdef readonly str venue
    """Upper-case venue name."""
    cdef readonly str symbol
    """Venue symbol."""
    cdef readonly object batch
    """The current ``pyarrow.RecordBatch``; None once the stream is exhausted."""
    cdef readonly Py_ssize_t row
    """Index of the current row in ``batch``."""
    cdef readonly Py_ssize_t size
    """Rows in ``batch`` (0 once exhausted)."""
    cdef readonly int64_t batch_count
    """Batches loaded so far."""
    cdef object _batches
    cdef int64_t _last_ts_recv_ns
    cdef const int64_t* ts_recv_ptr
    # Column views of the current batch; only the current kind's are set.
    cdef const int64_t[::1] ts_recv
    cdef const int64_t[::1] ts_event
    cdef const uint64_t[::1] sequence
    cdef const int8_t[::1] side
    cdef const int64_t[::1] price_ticks
    cdef const int64_t[::1] size_lots
    cdef const uint8_t[::1] action
    cdef const uint8_t[::1] flags
    cdef const int8_t[::1] aggressor
    cdef const int32_t[::1] trade_id_offsets
    cdef const uint8_t[::1] trade_id_data
    cdef const int64_t[::1] bid_price_ticks
    cdef const int64_t[::1] bid_size_lots
    cdef const int64_t[::1] ask_price_ticks
    cdef const int64_t[::1] ask_size_lots

    # -- LOADING -------------------------------------------------------------------------------
    cdef int load_next(self) except -1
    cdef int _bind(self, object batch) except -1
    cdef int _check_sorted(self) except -1

    # -- ACCESS --------------------------------------------------------------------------------
    cpdef str trade_id_at(self, Py_ssize_t row)


# -- MERGE -------------------------------------------------------------------------------------

cdef struct HeapEntry:
    int64_t ts_recv_ns  # ts_recv of the stream's current row
    int stream          # index into KWayMerge.cursors; breaks ts_recv ties


@cython.final
cdef class KWayMerge:
    cdef readonly list cursors
    """``StreamCursor`` objects in tie-break order; stream indices refer to this list."""
    cdef readonly int64_t event_count
    """Events consumed (advanced past) so far."""
    cdef int _stream_count
    cdef int _heap_size
    cdef HeapEntry* _heap
    cdef void** _cursor_ptrs

    # -- MERGING -------------------------------------------------------------------------------
    cdef int next_stream(self) except -2
    cdef int advance(self, int stream) except -1
    cdef StreamCursor cursor_at(self, int stream)
    cdef void _sift_down(self, int position) noexcept
    cdef void _sift_up(self, int position) noexcept


cdef inline bint entry_before(HeapEntry a, HeapEntry b) noexcept nogil:
    return a.ts_recv_ns < b.ts_recv_ns or (a.ts_recv_ns == b.ts_recv_ns and a.stream < b.stream)
