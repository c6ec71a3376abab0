"""SQL of the ClickHouse market data tables: identifiers, table and bookkeeping DDL.

Every kind's table holds the catalog's columns plus ``venue``, ``symbol`` and ``row_index``
(``docs/data-format.md``); the loader and the source build their SQL on these names.
"""

import re

import pyarrow as pa

from backtest.catalog.schema import NS_PER_DAY, SCHEMAS
from hftcore.errors import ConfigError

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
