"""Read catalog data from ClickHouse: a server through clickhouse-connect, or embedded chDB.

Both transports run the same SQL against the same tables (``table_ddl``), so the merge and the
replay engine see the same ``EventStream`` interface as with the Parquet reader. A stream reads
its rows in pages (keyset pagination on ``(ts_recv, row_index)``), each page fetched as an
Arrow stream and re-sliced into batches; at most one page per stream is held in memory, and no
two queries are open at the same time (chDB serves one streaming query per session).

The table SQL lives in ``clickhouse_sql``, the transports in ``clickhouse_transport`` and the
loader (``load_catalog_into_clickhouse``, idempotent per date file) in ``clickhouse_load``; their
public names are re-exported here.
"""

import json
import os
import uuid
from collections.abc import Iterable, Iterator
from types import TracebackType

import pyarrow as pa

from backtest.catalog.clickhouse_load import load_catalog_into_clickhouse
from backtest.catalog.clickhouse_sql import (
    DEFAULT_DATABASE,
    check_identifier,
    metadata_ddl,
    table_ddl,
)
from backtest.catalog.clickhouse_transport import (
    ChdbTransport,
    ClickHouseTransport,
    HttpTransport,
    open_transport,
)
from backtest.catalog.filters import check_requested, normalize_filters, time_range_ns
from backtest.catalog.reader import ParquetCatalog
from backtest.catalog.schema import KINDS
from backtest.catalog.stream import BATCH_ROWS, EventStream
from hftcore.errors import ConfigError, DecodeError

__all__ = [
    "DEFAULT_DATABASE",
    "PAGE_ROWS",
    "ChdbTransport",
    "ClickHouseEventStream",
    "ClickHouseSource",
    "ClickHouseTransport",
    "HttpTransport",
    "check_identifier",
    "load_catalog_into_clickhouse",
    "metadata_ddl",
    "open_transport",
    "table_ddl",
]

PAGE_ROWS = 262_144
"""Default rows per query page of a ClickHouse stream."""


class ClickHouseEventStream(EventStream):
    """A stream read from a ClickHouse table, page by page.

    Parameters
    ----------
    kind, venue, symbol, start_ns, end_ns, prefetch
        As for ``EventStream``.
    transport : ClickHouseTransport
        Where to query.
    database : str
        The database holding the tables.
    batch_rows : int
        Maximum rows per yielded batch.
    page_rows : int
        Rows per query.
    """

    def __init__(
        self,
        kind: str,
        venue: str,
        symbol: str,
        start_ns: int,
        end_ns: int,
        prefetch: bool,
        transport: ClickHouseTransport,
        database: str,
        batch_rows: int,
        page_rows: int,
    ) -> None:
        super().__init__(kind, venue, symbol, start_ns, end_ns, prefetch)
        self.transport = transport
        self.database = database
        self.batch_rows = batch_rows
        self.page_rows = page_rows

    def page_sql(self) -> str:
        """Return the SQL of one page: rows after a ``(ts_recv, row_index)`` key.

        Returns
        -------
        str
            A query with parameters ``venue``, ``symbol``, ``start_ns``, ``end_ns``,
            ``after_ts_recv_ns``, ``after_row_index`` and ``page_rows``.
        """
        columns = ", ".join([*self.schema.names, "row_index"])
        return (
            f"SELECT {columns} FROM {self.database}.{self.kind}"
            " WHERE venue = {venue:String} AND symbol = {symbol:String}"
            " AND ts_recv >= {start_ns:Int64} AND ts_recv < {end_ns:Int64}"
            " AND ts_recv >= {after_ts_recv_ns:Int64}"
            " AND (ts_recv, row_index) > ({after_ts_recv_ns:Int64}, {after_row_index:Int64})"
            " ORDER BY ts_recv, row_index LIMIT {page_rows:UInt64}"
        )

    def _read(self) -> Iterator[pa.RecordBatch]:
        sql = self.page_sql()
        parameters = {
            "venue": self.venue,
            "symbol": self.symbol,
            "start_ns": self.start_ns,
            "end_ns": self.end_ns,
            "after_ts_recv_ns": self.start_ns,
            "after_row_index": -1,
            "page_rows": self.page_rows,
        }
        while True:
            # Drain the whole page before yielding: only one query may be open at a time.
            page = list(self.transport.query_batches(sql, parameters))
            rows = sum(batch.num_rows for batch in page)
            if rows == 0:
                return
            table = pa.Table.from_batches(page)
            for batch in table.to_batches(max_chunksize=self.batch_rows):
                yield self._conform(batch)
            if rows < self.page_rows:
                return
            parameters["after_ts_recv_ns"] = table.column("ts_recv")[-1].as_py()
            parameters["after_row_index"] = table.column("row_index")[-1].as_py()

    def _conform(self, batch: pa.RecordBatch) -> pa.RecordBatch:
        columns = []
        for field in self.schema:
            column = batch.column(field.name)
            if column.type != field.type:
                try:
                    column = column.cast(field.type)
                except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as exc:
                    raise DecodeError(
                        f"{self.transport.description}: {self.database}.{self.kind}.{field.name}:"
                        f" expected {field.type}, got {column.type}"
                    ) from exc
            columns.append(column)
        return pa.RecordBatch.from_arrays(columns, schema=self.schema)


class ClickHouseSource:
    """Market data tables in ClickHouse, read as ``EventStream`` objects.

    Parameters
    ----------
    transport : ClickHouseTransport
        Server or chDB session; the source closes it.
    database : str
        Database holding the tables.
    catalog : ParquetCatalog, optional
        A catalog loaded on demand into the tables before ``streams`` reads them.
    drop_database_on_close : bool
        Drop ``database`` on ``close`` (for a private database made by ``from_catalog``).

    Examples
    --------
    >>> with ClickHouseSource.from_catalog("data/catalog") as source:  # doctest: +SKIP
    ...     streams = source.streams(venues=["BINANCE"], start="2024-03-01")
    """

    def __init__(
        self,
        transport: ClickHouseTransport,
        database: str = DEFAULT_DATABASE,
        catalog: ParquetCatalog | None = None,
        drop_database_on_close: bool = False,
    ) -> None:
        self.transport = transport
        self.database = check_identifier(database, "database")
        self.catalog = catalog
        self.drop_database_on_close = drop_database_on_close

    @classmethod
    def connect(cls, url: str, database: str = DEFAULT_DATABASE) -> "ClickHouseSource":
        """Open a ClickHouse server (``http(s)://``) or persistent chDB (``chdb://``) URL.

        Parameters
        ----------
        url : str
            The ``--clickhouse-url``.
        database : str
            Database holding the tables.

        Returns
        -------
        ClickHouseSource
            The source.
        """
        return cls(open_transport(url), database)

    @classmethod
    def from_catalog(
        cls, catalog_dir: str | os.PathLike, database: str | None = None
    ) -> "ClickHouseSource":
        """Serve a Parquet catalog through embedded chDB.

        chDB runs one engine per process, shared by every session, so the catalog goes into
        a database of its own, dropped on ``close`` unless named by the caller.

        Parameters
        ----------
        catalog_dir : str or Path
            The catalog; the files ``streams`` needs are loaded when first asked for.
        database : str, optional
            Database name; a fresh ``hft_catalog_<random>`` one when None.

        Returns
        -------
        ClickHouseSource
            The source.
        """
        catalog = ParquetCatalog(catalog_dir)
        private = database is None
        if private:
            database = f"hft_catalog_{uuid.uuid4().hex[:16]}"
        return cls(ChdbTransport(), database, catalog, drop_database_on_close=private)

    @property
    def instruments(self) -> list[dict]:
        """The instrument dicts stored in the ``instruments`` table."""
        if self.catalog is not None:
            return self.catalog.instruments
        rows = self.transport.query_rows(
            f"SELECT definition FROM {self.database}.instruments FINAL ORDER BY id"
        )
        return [json.loads(row["definition"]) for row in rows]

    def streams(
        self,
        venues: Iterable[str] | None = None,
        symbols: Iterable[str] | None = None,
        kinds: Iterable[str] | None = None,
        start: int | str | None = None,
        end: int | str | None = None,
        batch_rows: int = BATCH_ROWS,
        prefetch: bool = False,
        page_rows: int = PAGE_ROWS,
    ) -> list[EventStream]:
        """Return the streams matching the filters, sorted in merge order.

        Parameters
        ----------
        venues, symbols, kinds, start, end, batch_rows
            As for ``ParquetCatalog.streams``.
        prefetch : bool
            Read one batch ahead on the shared background thread.
        page_rows : int
            Rows per query page.

        Returns
        -------
        list of EventStream
            One ``ClickHouseEventStream`` per (kind, venue, symbol) with rows in the range.

        Raises
        ------
        ConfigError
            If a filter is invalid.
        DataUnavailableError
            If a requested venue or symbol is not in the tables.
        """
        venue_set, symbol_set, kind_order = normalize_filters(venues, symbols, kinds)
        start_ns, end_ns = time_range_ns(start, end)
        if batch_rows < 1 or page_rows < 1:
            raise ConfigError(
                f"batch_rows, page_rows: expected positive row counts, got {batch_rows},"
                f" {page_rows}"
            )
        if self.catalog is not None:
            load_catalog_into_clickhouse(
                self.transport, self.catalog, self.database, venues, symbols, kinds, start, end
            )
        found = []
        for kind in KINDS:
            sql = (
                f"SELECT venue, symbol, min(ts_recv) AS first_ns, max(ts_recv) AS last_ns"
                f" FROM {self.database}.{kind} GROUP BY venue, symbol"
            )
            found += [(kind, row) for row in self.transport.query_rows(sql)]
        where = self.transport.description
        check_requested(venue_set, {row["venue"] for _, row in found}, "venues", where)
        check_requested(symbol_set, {row["symbol"] for _, row in found}, "symbols", where)
        streams = [
            ClickHouseEventStream(
                kind,
                row["venue"],
                row["symbol"],
                start_ns,
                end_ns,
                prefetch,
                self.transport,
                self.database,
                batch_rows,
                page_rows,
            )
            for kind, row in found
            if kind in kind_order
            and (venue_set is None or row["venue"] in venue_set)
            and (symbol_set is None or row["symbol"] in symbol_set)
            and row["first_ns"] < end_ns
            and row["last_ns"] >= start_ns
        ]
        return sorted(streams, key=lambda stream: stream.merge_key)

    def close(self) -> None:
        """Drop a private database, then close the transport."""
        try:
            if self.drop_database_on_close:
                self.transport.command(f"DROP DATABASE IF EXISTS {self.database}")
        finally:
            self.transport.close()

    def __enter__(self) -> "ClickHouseSource":
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()
