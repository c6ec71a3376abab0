"""Copy a Parquet catalog into the ClickHouse tables, idempotently per date file."""

import json
import os
from collections.abc import Iterable, Iterator

import pyarrow as pa

from backtest.catalog.clickhouse_sql import (
    DEFAULT_DATABASE,
    check_identifier,
    metadata_ddl,
    table_ddl,
)
from backtest.catalog.clickhouse_transport import ClickHouseTransport
from backtest.catalog.reader import CatalogFile, ParquetCatalog, open_parquet
from backtest.catalog.schema import KINDS, NS_PER_DAY, ROW_GROUP_ROWS, SCHEMAS


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
        for row in transport.query_rows(
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
