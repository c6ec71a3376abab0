"""Read catalog data from ClickHouse: a server through clickhouse-connect, or embedded chDB.

Both transports run the same SQL against the same tables (``table_ddl``), so the merge and the
replay engine see the same ``EventStream`` interface as with the Parquet reader. A stream reads
its rows in pages (keyset pagination on ``(ts_recv, row_index)``), each page fetched as an
Arrow stream and re-sliced into batches; at most one page per stream is held in memory, and no
two queries are open at the same time (chDB serves one streaming query per session).

``load_catalog_into_clickhouse`` copies a Parquet catalog into those tables; it is idempotent
per date file.
"""

import io
import json
import os
import re
import uuid
from collections.abc import Iterable, Iterator
from types import TracebackType
from urllib.parse import urlsplit

import pyarrow as pa

from backtest.catalog.reader import (
    BATCH_ROWS,
    CatalogFile,
    EventStream,
    ParquetCatalog,
    check_requested,
    normalize_filters,
    open_parquet,
    time_range_ns,
)
from backtest.catalog.schema import KINDS, NS_PER_DAY, ROW_GROUP_ROWS, SCHEMAS
from hftcore.errors import ConfigError, DataUnavailableError, DecodeError

PAGE_ROWS = 262_144
"""Default rows per query page of a ClickHouse stream."""

DEFAULT_DATABASE = "hft"
"""Database holding the market data tables unless told otherwise."""

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_CLICKHOUSE_TYPES = {
    pa.int8(): "Int8",
    pa.uint8(): "UInt8",
    pa.int64(): "Int64",
    pa.uint64(): "UInt64",
    pa.string(): "String",
}
_ARROW_SETTINGS = {"output_format_arrow_string_as_string": 1}


def check_identifier(name: str, field: str) -> str:
    """Return ``name`` if it is a plain SQL identifier (letters, digits, underscores).

    Parameters
    ----------
    name : str
        A database or table name.
    field : str
        The argument name, for the error message.

    Returns
    -------
    str
        The same name.

    Raises
    ------
    ConfigError
        If ``name`` is not a plain identifier.
    """
    if not isinstance(name, str) or not _IDENTIFIER.match(name):
        raise ConfigError(f"{field}: expected a plain SQL identifier, got {name!r}")
    return name


def table_ddl(kind: str, database: str = DEFAULT_DATABASE) -> str:
    """Return the ``CREATE TABLE`` statement of one kind's ClickHouse table.

    Parameters
    ----------
    kind : str
        ``"book"``, ``"trades"`` or ``"quotes"``.
    database : str
        Database name.

    Returns
    -------
    str
        MergeTree DDL: ``venue``, ``symbol``, the kind's catalog columns, ``row_index`` (row
        position in its catalog date file, ordering rows of equal ``ts_recv``), partitioned by
        UTC day of ``ts_recv`` and ordered by ``(venue, symbol, ts_recv, row_index)``.
    """
    columns = ["venue LowCardinality(String)", "symbol LowCardinality(String)"]
    columns += [f"{field.name} {_CLICKHOUSE_TYPES[field.type]}" for field in SCHEMAS[kind]]
    columns.append("row_index UInt64")
    body = ",\n    ".join(columns)
    return (
        f"CREATE TABLE IF NOT EXISTS {check_identifier(database, 'database')}.{kind} (\n"
        f"    {body}\n)\nENGINE = MergeTree\n"
        f"PARTITION BY intDiv(ts_recv, {NS_PER_DAY})\n"
        "ORDER BY (venue, symbol, ts_recv, row_index)"
    )


def metadata_ddl(database: str = DEFAULT_DATABASE) -> list[str]:
    """Return the DDL of the database and its two bookkeeping tables.

    Parameters
    ----------
    database : str
        Database name.

    Returns
    -------
    list of str
        ``CREATE DATABASE``, ``instruments`` (id, JSON definition) and ``catalog_files`` (which
        Parquet date files were loaded, with their row counts).
    """
    database = check_identifier(database, "database")
    return [
        f"CREATE DATABASE IF NOT EXISTS {database}",
        f"CREATE TABLE IF NOT EXISTS {database}.instruments (\n"
        "    id String,\n    definition String\n)\n"
        "ENGINE = ReplacingMergeTree\nORDER BY id",
        f"CREATE TABLE IF NOT EXISTS {database}.catalog_files (\n"
        "    kind LowCardinality(String),\n    venue LowCardinality(String),\n"
        "    symbol LowCardinality(String),\n    date String,\n    row_count UInt64\n)\n"
        "ENGINE = ReplacingMergeTree\nORDER BY (kind, venue, symbol, date)",
    ]


def _ipc_chunks(schema: pa.Schema, batches: Iterable[pa.RecordBatch]) -> Iterator[bytes]:
    sink = io.BytesIO()
    with pa.ipc.new_stream(sink, schema) as writer:
        for batch in batches:
            writer.write_batch(batch)
            yield sink.getvalue()
            sink.seek(0)
            sink.truncate()
    yield sink.getvalue()


class ClickHouseTransport:
    """How SQL reaches ClickHouse; subclasses bind one client library.

    Attributes
    ----------
    description : str
        Where the data lives, for messages (URL without password, or the chDB path).
    """

    description = "clickhouse"

    def command(self, sql: str, parameters: dict | None = None) -> None:
        """Run a statement that returns nothing.

        Parameters
        ----------
        sql : str
            The statement, with ``{name:Type}`` parameters.
        parameters : dict, optional
            Parameter values.
        """
        raise NotImplementedError

    def query_batches(self, sql: str, parameters: dict | None = None) -> Iterator[pa.RecordBatch]:
        """Run a query and stream its result as Arrow record batches.

        Parameters
        ----------
        sql : str
            The query, with ``{name:Type}`` parameters.
        parameters : dict, optional
            Parameter values.

        Yields
        ------
        pyarrow.RecordBatch
            The result; drain it before running another query.
        """
        raise NotImplementedError

    def insert_batches(
        self, table: str, schema: pa.Schema, batches: Iterable[pa.RecordBatch]
    ) -> None:
        """Insert Arrow batches into a table, streamed in Arrow IPC format.

        Parameters
        ----------
        table : str
            ``database.table``.
        schema : pyarrow.Schema
            Schema of the batches; its names are the table columns filled.
        batches : iterable of pyarrow.RecordBatch
            The rows.
        """
        raise NotImplementedError

    def close(self) -> None:
        """Release the connection or the embedded session."""
        raise NotImplementedError


class ChdbTransport(ClickHouseTransport):
    """Embedded ClickHouse (chDB) session, in memory or in a persistent directory.

    chDB runs one engine per process: every session shares its databases, and while one
    session is open no other path can be opened.

    Parameters
    ----------
    path : str or Path, optional
        Directory of a persistent chDB database; the process's in-memory engine when None.

    Raises
    ------
    DataUnavailableError
        If chDB cannot open ``path`` (e.g. another path is open in this process).
    """

    def __init__(self, path: str | os.PathLike | None = None) -> None:
        from chdb import session

        self.description = f"chdb:{path or '(memory)'}"
        try:
            self._session = session.Session(None if path is None else str(path))
        except RuntimeError as exc:
            raise DataUnavailableError(
                f"clickhouse_url: cannot open chDB at {path or ':memory:'}: {exc}"
                " (chDB serves one path per process)"
            ) from exc

    def command(self, sql: str, parameters: dict | None = None) -> None:
        """Run a statement that returns nothing (see ``ClickHouseTransport.command``)."""
        self._session.query(sql, "Null", params=parameters)

    def query_batches(self, sql: str, parameters: dict | None = None) -> Iterator[pa.RecordBatch]:
        """Stream a query's Arrow result (see ``ClickHouseTransport.query_batches``)."""
        result = self._session.send_query(sql, "Arrow", params=parameters)
        yield from result.record_batch(rows_per_batch=ROW_GROUP_ROWS)

    def insert_batches(
        self, table: str, schema: pa.Schema, batches: Iterable[pa.RecordBatch]
    ) -> None:
        """Insert Arrow batches (see ``ClickHouseTransport.insert_batches``)."""
        columns = ", ".join(schema.names)
        inserter = self._session.send_insert(f"INSERT INTO {table} ({columns})", "ArrowStream")
        for chunk in _ipc_chunks(schema, batches):
            inserter.append(chunk)
        inserter.finish()

    def close(self) -> None:
        """Close the chDB session."""
        self._session.close()


class HttpTransport(ClickHouseTransport):
    """ClickHouse server reached with clickhouse-connect over HTTP(S).

    Parameters
    ----------
    url : str
        ``http://user:password@host:8123`` (``https://`` for TLS).

    Raises
    ------
    DataUnavailableError
        If the server cannot be reached.
    """

    def __init__(self, url: str) -> None:
        import clickhouse_connect
        from clickhouse_connect.driver.exceptions import ClickHouseError

        parts = urlsplit(url)
        self.description = f"{parts.scheme}://{parts.hostname}:{parts.port}"
        try:
            self._client = clickhouse_connect.get_client(dsn=url, settings=_ARROW_SETTINGS)
        except ClickHouseError as exc:
            # The URL may carry a password: keep it out of the message and the chain.
            reason = str(exc).replace(parts.password, "***") if parts.password else str(exc)
            raise DataUnavailableError(
                f"clickhouse_url: cannot connect to {self.description}: {reason}"
            ) from None

    def command(self, sql: str, parameters: dict | None = None) -> None:
        """Run a statement that returns nothing (see ``ClickHouseTransport.command``)."""
        self._client.command(sql, parameters=parameters)

    def query_batches(self, sql: str, parameters: dict | None = None) -> Iterator[pa.RecordBatch]:
        """Stream a query's Arrow result (see ``ClickHouseTransport.query_batches``)."""
        with self._client.query_arrow_stream(sql, parameters=parameters) as stream:
            yield from stream

    def insert_batches(
        self, table: str, schema: pa.Schema, batches: Iterable[pa.RecordBatch]
    ) -> None:
        """Insert Arrow batches (see ``ClickHouseTransport.insert_batches``)."""
        self._client.raw_insert(
            table, schema.names, insert_block=_ipc_chunks(schema, batches), fmt="ArrowStream"
        )

    def close(self) -> None:
        """Close the HTTP connection pool."""
        self._client.close()


def open_transport(url: str | None) -> ClickHouseTransport:
    """Open the transport a ``--clickhouse-url`` names.

    Parameters
    ----------
    url : str or None
        ``http(s)://...`` for a server; ``chdb:///path`` for a persistent chDB directory; None
        for chDB in memory.

    Returns
    -------
    ClickHouseTransport
        The open transport.

    Raises
    ------
    ConfigError
        If the URL scheme is not ``http``, ``https`` or ``chdb``.
    DataUnavailableError
        If a server cannot be reached or chDB cannot open the path.
    """
    if url is None:
        return ChdbTransport()
    scheme = urlsplit(url).scheme
    if scheme == "chdb":
        return ChdbTransport(urlsplit(url).path)
    if scheme in ("http", "https"):
        return HttpTransport(url)
    raise ConfigError(f"clickhouse_url: expected http://, https:// or chdb:// URL, got {url!r}")


def _query_rows(transport: ClickHouseTransport, sql: str, parameters: dict | None = None):
    rows = []
    for batch in transport.query_batches(sql, parameters):
        rows.extend(batch.to_pylist())
    return rows


def _load_schema(kind: str) -> pa.Schema:
    location = [pa.field("venue", pa.string(), False), pa.field("symbol", pa.string(), False)]
    return pa.schema([*location, *SCHEMAS[kind], pa.field("row_index", pa.uint64(), False)])


def _load_file(transport: ClickHouseTransport, database: str, entry: CatalogFile) -> int:
    parquet = open_parquet(entry.path, entry.kind)
    schema = _load_schema(entry.kind)

    def batches() -> Iterator[pa.RecordBatch]:
        first_row = 0
        for batch in parquet.iter_batches(batch_size=ROW_GROUP_ROWS):
            size = batch.num_rows
            columns = [
                pa.array([entry.venue] * size, pa.string()),
                pa.array([entry.symbol] * size, pa.string()),
                *batch.columns,
                pa.array(range(first_row, first_row + size), pa.uint64()),
            ]
            yield pa.RecordBatch.from_arrays(columns, schema=schema)
            first_row += size

    transport.insert_batches(f"{database}.{entry.kind}", schema, batches())
    return parquet.metadata.num_rows


def load_catalog_into_clickhouse(
    transport: ClickHouseTransport,
    catalog: ParquetCatalog | str | os.PathLike,
    database: str = DEFAULT_DATABASE,
    venues: Iterable[str] | None = None,
    symbols: Iterable[str] | None = None,
    kinds: Iterable[str] | None = None,
    start: int | str | None = None,
    end: int | str | None = None,
) -> int:
    """Create the ClickHouse tables and copy a Parquet catalog (or part of it) into them.

    Date files already loaded with the same row count are skipped; a file whose row count
    changed has its day's rows deleted and loaded again.

    Parameters
    ----------
    transport : ClickHouseTransport
        Target server or chDB session.
    catalog : ParquetCatalog or str or Path
        The source catalog.
    database : str
        Target database, created if missing.
    venues, symbols, kinds, start, end
        Filters as for ``ParquetCatalog.streams``; whole date files are loaded.

    Returns
    -------
    int
        Rows inserted.

    Raises
    ------
    ConfigError
        If a filter or the database name is invalid.
    DataUnavailableError
        If the catalog does not exist or lacks a requested venue or symbol.
    DecodeError
        If a catalog file is malformed.
    """
    database = check_identifier(database, "database")
    if not isinstance(catalog, ParquetCatalog):
        catalog = ParquetCatalog(catalog)
    for statement in metadata_ddl(database):
        transport.command(statement)
    for kind in KINDS:
        transport.command(table_ddl(kind, database))
    instruments = pa.table(
        {
            "id": [item["id"] for item in catalog.instruments],
            "definition": [json.dumps(item, sort_keys=True) for item in catalog.instruments],
        }
    )
    transport.insert_batches(
        f"{database}.instruments", instruments.schema, instruments.to_batches()
    )
    loaded = {
        (row["kind"], row["venue"], row["symbol"], row["date"]): row["row_count"]
        for row in _query_rows(
            transport,
            f"SELECT kind, venue, symbol, date, row_count FROM {database}.catalog_files FINAL",
        )
    }
    streams = catalog.streams(venues, symbols, kinds, start, end, prefetch=False)
    wanted = {path for stream in streams for path in stream.files}
    inserted = 0
    for entry in catalog.files:
        if entry.path not in wanted:
            continue
        key = (entry.kind, entry.venue, entry.symbol, entry.date)
        stored_rows = loaded.get(key)
        file_rows = open_parquet(entry.path, entry.kind).metadata.num_rows
        if stored_rows == file_rows:
            continue
        if stored_rows is not None:
            transport.command(
                f"ALTER TABLE {database}.{entry.kind} DELETE WHERE venue = {{venue:String}}"
                f" AND symbol = {{symbol:String}} AND intDiv(ts_recv, {NS_PER_DAY}) = {{day:Int64}}"
                " SETTINGS mutations_sync = 1",
                {"venue": entry.venue, "symbol": entry.symbol, "day": entry.day_index},
            )
        inserted += _load_file(transport, database, entry)
        record = pa.table(
            {
                "kind": [entry.kind],
                "venue": [entry.venue],
                "symbol": [entry.symbol],
                "date": [entry.date],
                "row_count": pa.array([file_rows], pa.uint64()),
            }
        )
        transport.insert_batches(f"{database}.catalog_files", record.schema, record.to_batches())
    return inserted


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
        rows = _query_rows(
            self.transport, f"SELECT definition FROM {self.database}.instruments FINAL ORDER BY id"
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
            found += [(kind, row) for row in _query_rows(self.transport, sql)]
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
