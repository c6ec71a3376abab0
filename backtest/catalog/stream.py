"""The ``EventStream`` interface the merge and the replay engine read, and its in-memory form.

One stream per (kind, venue, symbol) yields ``pyarrow.RecordBatch`` objects under
``SCHEMAS[kind]`` in ``ts_recv`` order, holding at most one batch plus one read-ahead batch in
memory at a time. Sources (``ParquetCatalog``, ``ClickHouseSource``) subclass it for their storage.
"""

from abc import ABC, abstractmethod
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor

import pyarrow as pa

from backtest.catalog.schema import KIND_RANK, SCHEMAS, check_kind
from backtest.catalog.writer import conform_table

BATCH_ROWS = 65_536
"""Default rows per batch yielded by a stream (half a catalog row group)."""

_PREFETCH = ThreadPoolExecutor(max_workers=1, thread_name_prefix="hft-catalog-prefetch")


def prefetched(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    """Yield from ``batches`` while reading the next batch on a background thread.

    Decoding Parquet or Arrow releases the GIL, so reading one batch ahead overlaps I/O with
    the consumer. At most one batch is read ahead.

    Parameters
    ----------
    batches : iterator of pyarrow.RecordBatch
        The source iterator; it is advanced only by the background thread.

    Yields
    ------
    pyarrow.RecordBatch
        The same batches in the same order.
    """
    pending: Future = _PREFETCH.submit(next, batches, None)
    while True:
        batch = pending.result()
        if batch is None:
            return
        pending = _PREFETCH.submit(next, batches, None)
        yield batch


class EventStream(ABC):
    """One (kind, venue, symbol) stream of market data rows in ``ts_recv`` order.

    Subclasses implement ``_read`` for their storage; the merge and the replay engine only use
    the attributes below and ``batches``.

    Parameters
    ----------
    kind : str
        ``"book"``, ``"trades"`` or ``"quotes"``.
    venue : str
        Upper-case venue name.
    symbol : str
        Venue symbol.
    start_ns : int
        First ``ts_recv`` included, UNIX ns.
    end_ns : int
        First ``ts_recv`` excluded, UNIX ns.
    prefetch : bool
        Read one batch ahead on a background thread.

    Attributes
    ----------
    schema : pyarrow.Schema
        ``SCHEMAS[kind]``: the columns of every batch.
    """

    def __init__(
        self, kind: str, venue: str, symbol: str, start_ns: int, end_ns: int, prefetch: bool
    ) -> None:
        self.kind = check_kind(kind)
        self.venue = venue
        self.symbol = symbol
        self.start_ns = start_ns
        self.end_ns = end_ns
        self.prefetch = prefetch
        self.schema = SCHEMAS[kind]

    @property
    def instrument_id(self) -> str:
        """The instrument id, ``SYMBOL.VENUE``."""
        return f"{self.symbol}.{self.venue}"

    @property
    def merge_key(self) -> tuple[int, str, str]:
        """Tie-break rank of the stream among streams: ``(kind rank, venue, symbol)``."""
        return (KIND_RANK[self.kind], self.venue, self.symbol)

    def batches(self) -> Iterator[pa.RecordBatch]:
        """Iterate over the stream's rows in ``ts_recv`` order, batch by batch.

        Yields
        ------
        pyarrow.RecordBatch
            Non-empty batches under ``SCHEMAS[kind]`` whose ``ts_recv`` lie in
            ``[start_ns, end_ns)``.

        Raises
        ------
        DecodeError
            If the underlying data is unreadable or does not match the schema.
        """
        reader = self._read()
        return prefetched(reader) if self.prefetch else reader

    @abstractmethod
    def _read(self) -> Iterator[pa.RecordBatch]:
        """Yield the stream's batches from its storage, unfiltered by ``batches``' prefetch."""

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.kind} {self.instrument_id})"


class InMemoryEventStream(EventStream):
    """A stream over rows already in memory (tests, benchmarks, generated data).

    Parameters
    ----------
    kind : str
        ``"book"``, ``"trades"`` or ``"quotes"``.
    venue : str
        Upper-case venue name.
    symbol : str
        Venue symbol.
    data : pyarrow.Table or pyarrow.RecordBatch
        The rows, sorted by ``ts_recv``, with the kind's columns (integer widths are cast).
    batch_rows : int
        Maximum rows per yielded batch.

    Raises
    ------
    ConfigError
        If ``kind`` is unknown.
    DecodeError
        If ``data`` does not match the kind's schema.
    """

    def __init__(
        self,
        kind: str,
        venue: str,
        symbol: str,
        data: pa.Table | pa.RecordBatch,
        batch_rows: int = BATCH_ROWS,
    ) -> None:
        super().__init__(kind, venue, symbol, -(2**63), 2**63 - 1, prefetch=False)
        self.table = conform_table(kind, data, f"in-memory {kind} {symbol}.{venue}")
        self.batch_rows = batch_rows

    def _read(self) -> Iterator[pa.RecordBatch]:
        yield from self.table.combine_chunks().to_batches(max_chunksize=self.batch_rows)
