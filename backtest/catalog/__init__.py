"""Parquet data catalog: schemas, writer, streaming reader, ClickHouse source and summary.

``docs/data-format.md`` documents the layout. The ClickHouse source lives in
``backtest.catalog.clickhouse_source`` (optional dependencies ``chdb`` and
``clickhouse-connect``) and is imported only when used.
"""

from backtest.catalog.info import format_info, info
from backtest.catalog.reader import (
    EventStream,
    InMemoryEventStream,
    ParquetCatalog,
    open_source,
    to_ns,
)
from backtest.catalog.schema import (
    BOOK_SCHEMA,
    KINDS,
    QUOTES_SCHEMA,
    SCHEMAS,
    TRADES_SCHEMA,
)
from backtest.catalog.writer import CatalogWriter

__all__ = [
    "BOOK_SCHEMA",
    "KINDS",
    "QUOTES_SCHEMA",
    "SCHEMAS",
    "TRADES_SCHEMA",
    "CatalogWriter",
    "EventStream",
    "InMemoryEventStream",
    "ParquetCatalog",
    "format_info",
    "info",
    "open_source",
    "to_ns",
]
