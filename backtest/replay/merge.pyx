# cython: boundscheck=False, wraparound=False
"""K-way merge of catalog event streams by receive time, without a Python object per event.

Each ``EventStream`` (one kind, venue and symbol) is read through a ``StreamCursor`` that holds
the current Arrow batch's columns as typed memoryviews. ``KWayMerge`` keeps a binary heap of the
cursors keyed by ``(ts_recv, stream index)``; stream indices follow the streams' merge keys
``(kind rank, venue, symbol)`` with book < quotes < trades, so rows with equal ``ts_recv`` come
out book first, then quotes, then trades, then by venue and symbol, and rows of one stream keep
their stored order.

Cython consumers loop::

    stream = merge.next_stream()          # -1 at the end
    cursor = merge.cursor_at(stream)
    ... read cursor.price_ticks[cursor.row] etc. ...
    merge.advance(stream)

Only the current batch of each stream is held (plus one batch read ahead by the stream).
"""

from cpython.mem cimport PyMem_Free, PyMem_Malloc
from libc.stdint cimport INT64_MIN, int64_t

import numpy as np
import pyarrow as pa

from hftcore.errors import ConfigError, DecodeError

_KIND_BY_NAME = {"book": StreamKind.BOOK, "quotes": StreamKind.QUOTES, "trades": StreamKind.TRADES}


def _column_view(batch, str name, str where):
    try:
        return batch.column(name).to_numpy(zero_copy_only=True)
    except (KeyError, pa.ArrowInvalid) as exc:
        raise DecodeError(
            f"{where}: column {name}: cannot read as non-null numbers: {exc}"
        ) from exc


# -- CURSOR ------------------------------------------------------------------------------------

cdef class StreamCursor:
    """Read position in one ``EventStream``, exposing the current batch as typed columns.

    Parameters
    ----------
    stream : EventStream
        Any object with ``kind``, ``venue``, ``symbol`` and ``batches()`` yielding
        ``pyarrow.RecordBatch`` objects under ``SCHEMAS[kind]`` in ``ts_recv`` order.

    Raises
    ------
    ConfigError
        If ``stream.kind`` is not a catalog kind.
    """

    def __init__(self, stream):
        kind = _KIND_BY_NAME.get(stream.kind)
        if kind is None:
            raise ConfigError(
                f"{stream!r}: kind: expected one of book, quotes, trades, got {stream.kind!r}"
            )
        self.stream = stream
        self.kind = kind
        self.venue = stream.venue
        self.symbol = stream.symbol
        self.batch = None
        self.row = 0
        self.size = 0
        self.batch_count = 0
        self._batches = iter(stream.batches())
        self._last_ts_recv_ns = INT64_MIN

    # -- LOADING -------------------------------------------------------------------------------

    cdef int load_next(self) except -1:
        """Load the next non-empty batch; return 1, or 0 (and drop the batch) at the end."""
        cdef object batch
        while True:
            batch = next(self._batches, None)
            if batch is None:
                self.batch = None
                self.row = 0
                self.size = 0
                self.ts_recv_ptr = NULL
                return 0
            if batch.num_rows:
                self._bind(batch)
                return 1

    cdef int _bind(self, object batch) except -1:
        cdef str where = f"{self.stream!r} batch {self.batch_count}"
        expected = getattr(self.stream, "schema", None)
        if expected is not None and (
            batch.schema.names != expected.names or batch.schema.types != expected.types
        ):
            raise DecodeError(
                f"{where}: schema mismatch: got {batch.schema.names}"
                f" {[str(t) for t in batch.schema.types]}, expected {expected.names}"
                f" {[str(t) for t in expected.types]}"
            )
        self.ts_recv = _column_view(batch, "ts_recv", where)
        self.ts_event = _column_view(batch, "ts_event", where)
        if self.kind == StreamKind.BOOK:
            self.sequence = _column_view(batch, "sequence", where)
            self.side = _column_view(batch, "side", where)
            self.price_ticks = _column_view(batch, "price_ticks", where)
            self.size_lots = _column_view(batch, "size_lots", where)
            self.action = _column_view(batch, "action", where)
            self.flags = _column_view(batch, "flags", where)
        elif self.kind == StreamKind.TRADES:
            self.price_ticks = _column_view(batch, "price_ticks", where)
            self.size_lots = _column_view(batch, "size_lots", where)
            self.aggressor = _column_view(batch, "aggressor", where)
            trade_ids = batch.column("trade_id")
            if trade_ids.null_count:
                raise DecodeError(f"{where}: column trade_id: {trade_ids.null_count} null value(s)")
            _, offsets, data = trade_ids.buffers()
            self.trade_id_offsets = np.frombuffer(offsets, dtype=np.int32)[
                trade_ids.offset:trade_ids.offset + len(trade_ids) + 1
            ]
            self.trade_id_data = (
                np.frombuffer(data, dtype=np.uint8) if data is not None
                else np.zeros(0, dtype=np.uint8)
            )
        else:
            self.bid_price_ticks = _column_view(batch, "bid_price_ticks", where)
            self.bid_size_lots = _column_view(batch, "bid_size_lots", where)
            self.ask_price_ticks = _column_view(batch, "ask_price_ticks", where)
            self.ask_size_lots = _column_view(batch, "ask_size_lots", where)
        self.batch = batch
        self.row = 0
        self.size = batch.num_rows
        self.ts_recv_ptr = &self.ts_recv[0]
        self._check_sorted()
        self.batch_count += 1
        return 0

    cdef int _check_sorted(self) except -1:
        cdef Py_ssize_t row
        cdef int64_t previous_ns = self._last_ts_recv_ns
        for row in range(self.size):
            if self.ts_recv_ptr[row] < previous_ns:
                raise DecodeError(
                    f"{self.stream!r} batch {self.batch_count} row {row}: ts_recv"
                    f" {self.ts_recv_ptr[row]} < previous {previous_ns}; streams must be sorted"
                    " by ts_recv"
                )
            previous_ns = self.ts_recv_ptr[row]
        self._last_ts_recv_ns = previous_ns
        return 0

    # -- ACCESS --------------------------------------------------------------------------------

    cpdef str trade_id_at(self, Py_ssize_t row):
        """Return the trade id of a row of the current trades batch.

        Parameters
        ----------
        row : int
            Row index in the current batch, ``0 <= row < size``.

        Returns
        -------
        str
            The venue's trade id.

        Raises
        ------
        IndexError
            If the cursor is not on a trades batch or ``row`` is out of range.
        """
        if self.kind != StreamKind.TRADES or not 0 <= row < self.size:
            raise IndexError(f"trade_id_at: row {row} outside the current trades batch")
        cdef int32_t start = self.trade_id_offsets[row]
        cdef int32_t end = self.trade_id_offsets[row + 1]
        return bytes(self.trade_id_data[start:end]).decode()

    def current_row(self):
        """Return the current row, read through the typed column views (slow; for tests).

        Returns
        -------
        dict or None
            Column name to value, in schema order; None once the stream is exhausted.
        """
        if self.batch is None:
            return None
        cdef Py_ssize_t row = self.row
        values = {"ts_recv": self.ts_recv[row], "ts_event": self.ts_event[row]}
        if self.kind == StreamKind.BOOK:
            values.update(
                sequence=self.sequence[row],
                side=self.side[row],
                price_ticks=self.price_ticks[row],
                size_lots=self.size_lots[row],
                action=self.action[row],
                flags=self.flags[row],
            )
        elif self.kind == StreamKind.TRADES:
            values.update(
                price_ticks=self.price_ticks[row],
                size_lots=self.size_lots[row],
                aggressor=self.aggressor[row],
                trade_id=self.trade_id_at(row),
            )
        else:
            values.update(
                bid_price_ticks=self.bid_price_ticks[row],
                bid_size_lots=self.bid_size_lots[row],
                ask_price_ticks=self.ask_price_ticks[row],
                ask_size_lots=self.ask_size_lots[row],
            )
        return values

    def __repr__(self):
        return f"StreamCursor({self.stream!r}, row={self.row}, size={self.size})"


# -- MERGE -------------------------------------------------------------------------------------

cdef class KWayMerge:
    """Merge event streams into one sequence ordered by ``(ts_recv, stream order, row)``.

    Parameters
    ----------
    streams : iterable of EventStream
        The streams; each must have a distinct ``(kind, venue, symbol)``. They are sorted by
        ``(kind rank, venue, symbol)`` (book < quotes < trades), which is the tie-break order
        at equal ``ts_recv`` and the order of ``cursors``.

    Raises
    ------
    ConfigError
        If a kind is unknown or two streams share a ``(kind, venue, symbol)``.
    DecodeError
        If a first batch does not match its schema or is not sorted.
    """

    def __cinit__(self):
        self._heap = NULL
        self._cursor_ptrs = NULL

    def __init__(self, streams):
        cursors = sorted(
            (StreamCursor(stream) for stream in streams),
            key=lambda cursor: (int(cursor.kind), cursor.venue, cursor.symbol),
        )
        for previous, current in zip(cursors, cursors[1:]):
            if (previous.kind, previous.venue, previous.symbol) == (
                current.kind, current.venue, current.symbol
            ):
                raise ConfigError(f"streams: {current.stream!r} is given twice")
        self.cursors = cursors
        self._stream_count = len(cursors)
        self._heap_size = 0
        self.event_count = 0
        cdef Py_ssize_t count = max(self._stream_count, 1)
        self._heap = <HeapEntry*>PyMem_Malloc(count * sizeof(HeapEntry))
        self._cursor_ptrs = <void**>PyMem_Malloc(count * sizeof(void*))
        if self._heap == NULL or self._cursor_ptrs == NULL:
            raise MemoryError()
        cdef int stream
        cdef StreamCursor cursor
        for stream in range(self._stream_count):
            cursor = cursors[stream]
            self._cursor_ptrs[stream] = <void*>cursor
            if cursor.load_next():
                self._heap[self._heap_size].ts_recv_ns = cursor.ts_recv_ptr[0]
                self._heap[self._heap_size].stream = stream
                self._heap_size += 1
                self._sift_up(self._heap_size - 1)

    def __dealloc__(self):
        PyMem_Free(self._heap)
        PyMem_Free(self._cursor_ptrs)

    # -- MERGING -------------------------------------------------------------------------------

    cdef int next_stream(self) except -2:
        """Return the index of the stream whose current row is next, or -1 at the end."""
        if self._heap_size == 0:
            return -1
        return self._heap[0].stream

    cdef int advance(self, int stream) except -1:
        """Move past the current row of ``stream``, which must be the one ``next_stream`` gave."""
        if self._heap_size == 0 or stream != self._heap[0].stream:
            raise ValueError(f"advance: stream {stream} is not the next stream")
        cdef StreamCursor cursor = <StreamCursor>self._cursor_ptrs[stream]
        self.event_count += 1
        cursor.row += 1
        if cursor.row < cursor.size:
            self._heap[0].ts_recv_ns = cursor.ts_recv_ptr[cursor.row]
        elif cursor.load_next():
            self._heap[0].ts_recv_ns = cursor.ts_recv_ptr[0]
        else:
            self._heap_size -= 1
            self._heap[0] = self._heap[self._heap_size]
        if self._heap_size > 1:
            self._sift_down(0)
        return 0

    cdef StreamCursor cursor_at(self, int stream):
        """Return the cursor of ``stream`` (an index from ``next_stream``), without a check."""
        return <StreamCursor>self._cursor_ptrs[stream]

    cdef void _sift_down(self, int position) noexcept:
        cdef int size = self._heap_size
        cdef HeapEntry item = self._heap[position]
        cdef int child
        while True:
            child = 2 * position + 1
            if child >= size:
                break
            if child + 1 < size and entry_before(self._heap[child + 1], self._heap[child]):
                child += 1
            if not entry_before(self._heap[child], item):
                break
            self._heap[position] = self._heap[child]
            position = child
        self._heap[position] = item

    cdef void _sift_up(self, int position) noexcept:
        cdef HeapEntry item = self._heap[position]
        cdef int parent
        while position > 0:
            parent = (position - 1) >> 1
            if not entry_before(item, self._heap[parent]):
                break
            self._heap[position] = self._heap[parent]
            position = parent
        self._heap[position] = item

    # -- PYTHON ACCESS -------------------------------------------------------------------------

    def drain(self):
        """Consume every remaining event without reading it.

        Returns
        -------
        int
            Number of events consumed.

        Raises
        ------
        DecodeError
            If a later batch does not match its schema or is out of order.
        """
        cdef int64_t start_count = self.event_count
        cdef int stream = self.next_stream()
        while stream >= 0:
            self.advance(stream)
            stream = self.next_stream()
        return self.event_count - start_count

    def iter_events(self):
        """Iterate over the remaining events as ``(stream index, row dict)`` (slow; for tests).

        Yields
        ------
        tuple
            The index into ``cursors`` and the row as a dict of column name to value.
        """
        cdef int stream = self.next_stream()
        while stream >= 0:
            yield stream, self.cursor_at(stream).current_row()
            self.advance(stream)
            stream = self.next_stream()
