"""ClickHouse source on a real embedded engine (chDB): same rows as the Parquet reader."""

import uuid

import pyarrow as pa
import pytest

from backtest.catalog.clickhouse_source import (
    ChdbTransport,
    ClickHouseSource,
    HttpTransport,
    load_catalog_into_clickhouse,
    open_transport,
)
from backtest.catalog.reader import ParquetCatalog, open_source
from backtest.catalog.writer import CatalogWriter
from backtest.replay import KWayMerge
from hftcore.errors import ConfigError, DataUnavailableError
from tests.unit.backtest.catalog.tables import DAY_NS, INSTRUMENTS, make_table

BINANCE = INSTRUMENTS[0]["id"]


def tables_of(streams) -> dict[tuple, pa.Table]:
    return {
        (s.kind, s.venue, s.symbol): pa.Table.from_batches(list(s.batches()), schema=s.schema)
        for s in streams
    }


def merged_rows(streams) -> list[tuple]:
    merge = KWayMerge(streams)
    return [(merge.cursors[index].venue, row) for index, row in merge.iter_events()]


@pytest.fixture(scope="module")
def chdb_source(sample_catalog):
    with ClickHouseSource.from_catalog(sample_catalog) as source:
        yield source


@pytest.fixture
def transport():
    """A chDB transport; the engine is shared per process, so each test gets a database."""
    chdb = ChdbTransport()
    yield chdb
    chdb.close()


@pytest.fixture
def database(transport):
    name = f"test_{uuid.uuid4().hex[:12]}"
    yield name
    transport.command(f"DROP DATABASE IF EXISTS {name}")


def test_chdb_streams_yield_the_same_rows_as_the_parquet_reader(sample_catalog, chdb_source):
    expected = tables_of(ParquetCatalog(sample_catalog).streams())
    assert tables_of(chdb_source.streams()) == expected


def test_chdb_applies_the_same_filters_as_the_parquet_reader(sample_catalog, chdb_source):
    filters = {
        "venues": ["OKX"],
        "kinds": ["book", "trades"],
        "start": "2023-12-09T06:00:00",
        "end": DAY_NS + 30 * 3600 * 10**9,
    }
    expected = tables_of(ParquetCatalog(sample_catalog).streams(**filters))
    assert tables_of(chdb_source.streams(**filters)) == expected


def test_small_pages_keep_the_stored_order_of_equal_ts_recv(sample_catalog, chdb_source):
    expected = tables_of(ParquetCatalog(sample_catalog).streams(kinds=["book"]))
    assert tables_of(chdb_source.streams(kinds=["book"], page_rows=7)) == expected


def test_batches_hold_at_most_batch_rows(chdb_source):
    for stream in chdb_source.streams(batch_rows=100, page_rows=250):
        assert max(batch.num_rows for batch in stream.batches()) <= 100


def test_merging_chdb_streams_gives_the_parquet_replay(sample_catalog, chdb_source):
    parquet_rows = merged_rows(ParquetCatalog(sample_catalog).streams())
    assert merged_rows(chdb_source.streams(page_rows=500, prefetch=True)) == parquet_rows


def test_tables_are_ordered_by_venue_symbol_ts_recv(chdb_source):
    rows = [
        row
        for batch in chdb_source.transport.query_batches(
            "SELECT name, sorting_key FROM system.tables WHERE database = {db:String}",
            {"db": chdb_source.database},
        )
        for row in batch.to_pylist()
    ]
    keys = {row["name"]: row["sorting_key"] for row in rows}
    assert {keys[kind] for kind in ("book", "quotes", "trades")} == {
        "venue, symbol, ts_recv, row_index"
    }


def test_a_venue_missing_from_the_tables_is_data_unavailable(chdb_source):
    with pytest.raises(
        DataUnavailableError, match=r"\['BYBIT'\] not found \(available: \['BINANCE', 'OKX'\]\)"
    ):
        chdb_source.streams(venues=["BYBIT"])


def test_instruments_are_read_back_from_the_instruments_table(sample_catalog, transport, database):
    load_catalog_into_clickhouse(transport, sample_catalog, database)
    instruments = ClickHouseSource(transport, database).instruments
    assert instruments == sorted(INSTRUMENTS, key=lambda item: item["id"])


def test_loading_a_catalog_twice_inserts_nothing_the_second_time(
    sample_catalog, transport, database
):
    first = load_catalog_into_clickhouse(transport, sample_catalog, database)
    second = load_catalog_into_clickhouse(transport, sample_catalog, database)
    assert (first, second) == (2 * (3000 + 700 + 900), 0)


def test_loading_replaces_a_date_file_that_grew(tmp_path, transport, database):
    with CatalogWriter(tmp_path, INSTRUMENTS) as writer:
        writer.write("trades", BINANCE, make_table("trades", [DAY_NS, DAY_NS + 1], seed=1))
    load_catalog_into_clickhouse(transport, tmp_path, database)
    with CatalogWriter(tmp_path, INSTRUMENTS) as writer:
        writer.write("trades", BINANCE, make_table("trades", [DAY_NS + 2], seed=2))
    load_catalog_into_clickhouse(transport, tmp_path, database)
    got = tables_of(ClickHouseSource(transport, database).streams())
    assert got == tables_of(ParquetCatalog(tmp_path).streams())


def test_closing_a_catalog_source_drops_its_private_database(sample_catalog, transport):
    source = ClickHouseSource.from_catalog(sample_catalog)
    source.streams(kinds=["trades"])
    source.close()
    names = [
        row["name"]
        for batch in transport.query_batches("SELECT name FROM system.databases")
        for row in batch.to_pylist()
    ]
    assert source.database not in names


def test_open_source_clickhouse_without_url_serves_the_catalog_through_chdb(sample_catalog):
    source = open_source("clickhouse", sample_catalog)
    try:
        kinds = [stream.kind for stream in source.streams(venues=["BINANCE"])]
    finally:
        source.close()
    assert kinds == ["book", "quotes", "trades"]


def test_a_url_of_another_scheme_is_a_config_error():
    with pytest.raises(ConfigError, match="clickhouse_url: expected http"):
        open_transport("tcp://localhost:9000")


def test_a_database_name_that_is_not_an_identifier_is_a_config_error(chdb_source):
    with pytest.raises(ConfigError, match="database: expected a plain SQL identifier"):
        ClickHouseSource(chdb_source.transport, database="hft; DROP TABLE x")


def test_an_unreachable_server_is_data_unavailable_without_the_password():
    with pytest.raises(DataUnavailableError, match="cannot connect") as caught:
        HttpTransport("http://default:hunter2@127.0.0.1:9")
    assert "hunter2" not in str(caught.value)
    assert caught.value.__cause__ is None
