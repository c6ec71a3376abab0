"""ParquetCatalog streams: filters, partition and row-group pruning, batches and bad input."""

import datetime as dt
import json

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from backtest.catalog.reader import (
    InMemoryEventStream,
    ParquetCatalog,
    open_source,
    prefetched,
    to_ns,
)
from backtest.catalog.schema import CATALOG_FILE, KINDS, NS_PER_DAY, ROW_GROUP_ROWS
from backtest.catalog.writer import CatalogWriter
from hftcore.errors import ConfigError, DataUnavailableError, DecodeError
from tests.unit.backtest.catalog.tables import DAY_NS, INSTRUMENTS, make_table

BINANCE = INSTRUMENTS[0]["id"]


def rows_of(stream) -> list[dict]:
    return [row for batch in stream.batches() for row in batch.to_pylist()]


def all_rows(catalog: ParquetCatalog, **filters) -> dict[tuple, list[dict]]:
    return {
        (stream.kind, stream.venue, stream.symbol): rows_of(stream)
        for stream in catalog.streams(**filters)
    }


# -- OPENING -----------------------------------------------------------------------------------


def test_a_directory_without_catalog_json_is_reported_with_the_missing_file(tmp_path):
    with pytest.raises(DataUnavailableError, match=rf"{tmp_path}/catalog.json: not found"):
        ParquetCatalog(tmp_path)


def test_malformed_catalog_json_is_a_decode_error_naming_the_file(tmp_path):
    (tmp_path / CATALOG_FILE).write_text("{not json")
    with pytest.raises(DecodeError, match=rf"{tmp_path}/catalog.json: cannot read"):
        ParquetCatalog(tmp_path)


def test_another_format_version_is_refused(tmp_path):
    (tmp_path / CATALOG_FILE).write_text(json.dumps({"format_version": 2, "instruments": []}))
    with pytest.raises(DecodeError, match="format_version: expected 1, got 2"):
        ParquetCatalog(tmp_path)


def test_a_file_with_another_schema_is_a_decode_error_naming_the_file(tmp_path):
    CatalogWriter(tmp_path, INSTRUMENTS).close()
    path = tmp_path / "trades" / "BINANCE" / "BTCUSDT" / "2023-12-09.parquet"
    path.parent.mkdir(parents=True)
    pq.write_table(pa.table({"ts_recv": [DAY_NS], "price": [1.5]}), path)
    (stream,) = ParquetCatalog(tmp_path).streams()
    with pytest.raises(DecodeError, match=rf"{path}: schema mismatch for kind trades"):
        rows_of(stream)


def test_a_file_that_is_not_parquet_is_a_decode_error_naming_the_file(tmp_path):
    CatalogWriter(tmp_path, INSTRUMENTS).close()
    path = tmp_path / "book" / "BINANCE" / "BTCUSDT" / "2023-12-09.parquet"
    path.parent.mkdir(parents=True)
    path.write_bytes(b"not parquet")
    (stream,) = ParquetCatalog(tmp_path).streams()
    with pytest.raises(DecodeError, match=rf"{path}: cannot open as Parquet"):
        rows_of(stream)


def test_a_file_not_named_by_date_is_refused(tmp_path):
    CatalogWriter(tmp_path, INSTRUMENTS).close()
    path = tmp_path / "book" / "BINANCE" / "BTCUSDT" / "latest.parquet"
    path.parent.mkdir(parents=True)
    path.write_bytes(b"")
    with pytest.raises(DecodeError, match=rf"{path}: expected a file named YYYY-MM-DD"):
        ParquetCatalog(tmp_path)


def test_a_file_of_an_instrument_missing_from_catalog_json_is_refused(tmp_path):
    CatalogWriter(tmp_path, INSTRUMENTS).close()
    path = tmp_path / "book" / "BYBIT" / "BTCUSDT" / "2023-12-09.parquet"
    path.parent.mkdir(parents=True)
    path.write_bytes(b"")
    with pytest.raises(DecodeError, match=r"instrument BTCUSDT\.BYBIT is not in"):
        ParquetCatalog(tmp_path)


# -- FILTERS -----------------------------------------------------------------------------------


def test_streams_without_filters_cover_every_kind_venue_and_symbol(sample_catalog):
    keys = [s.merge_key for s in ParquetCatalog(sample_catalog).streams()]
    assert keys == [
        (rank, venue, symbol)
        for rank in range(len(KINDS))
        for venue, symbol in (("BINANCE", "BTCUSDT"), ("OKX", "BTC-USDT"))
    ]


def test_venue_filter_is_case_insensitive_and_keeps_only_that_venue(sample_catalog):
    streams = ParquetCatalog(sample_catalog).streams(venues=["okx"])
    assert {(s.venue, s.symbol) for s in streams} == {("OKX", "BTC-USDT")}
    assert len(streams) == 3


def test_symbol_filter_keeps_only_that_symbol(sample_catalog):
    streams = ParquetCatalog(sample_catalog).streams(symbols=["BTCUSDT"])
    assert {s.instrument_id for s in streams} == {"BTCUSDT.BINANCE"}


def test_kind_filter_keeps_only_those_kinds_in_merge_order(sample_catalog):
    streams = ParquetCatalog(sample_catalog).streams(kinds=["trades", "book"])
    assert [s.kind for s in streams] == ["book", "book", "trades", "trades"]


def test_an_unknown_kind_is_a_config_error(sample_catalog):
    with pytest.raises(ConfigError, match="kind: expected one of book, quotes, trades, got 'l3'"):
        ParquetCatalog(sample_catalog).streams(kinds=["l3"])


def test_a_bare_string_filter_is_a_config_error(sample_catalog):
    with pytest.raises(ConfigError, match="venues: expected a list"):
        ParquetCatalog(sample_catalog).streams(venues="OKX")


def test_a_venue_absent_from_the_catalog_is_reported_with_the_available_ones(sample_catalog):
    with pytest.raises(DataUnavailableError, match=r"\['BYBIT'\] not found.*'BINANCE', 'OKX'"):
        ParquetCatalog(sample_catalog).streams(venues=["BYBIT"])


def test_time_filter_keeps_start_and_drops_end(sample_catalog):
    catalog = ParquetCatalog(sample_catalog)
    everything = all_rows(catalog)
    key = ("book", "BINANCE", "BTCUSDT")
    start_ns = everything[key][100]["ts_recv"]
    end_ns = everything[key][2500]["ts_recv"]
    kept = all_rows(catalog, start=start_ns, end=end_ns)
    for stream_key, rows in everything.items():
        expected = [row for row in rows if start_ns <= row["ts_recv"] < end_ns]
        assert kept.get(stream_key, []) == expected


def test_time_filter_accepts_iso_strings(sample_catalog):
    catalog = ParquetCatalog(sample_catalog)
    by_ns = all_rows(catalog, start=DAY_NS + 3600 * 10**9, end=DAY_NS + NS_PER_DAY)
    by_iso = all_rows(catalog, start="2023-12-09T01:00:00Z", end="2023-12-10")
    assert by_iso == by_ns


def test_time_filter_opens_only_the_date_files_in_range(sample_catalog):
    streams = ParquetCatalog(sample_catalog).streams(
        start="2023-12-10T00:00:01", end="2023-12-10T02:00:00"
    )
    assert {path.name for s in streams for path in s.files} == {"2023-12-10.parquet"}


def test_time_filter_reads_only_the_row_groups_in_range(tmp_path, monkeypatch):
    ts = DAY_NS + np.arange(3 * ROW_GROUP_ROWS)
    with CatalogWriter(tmp_path, INSTRUMENTS) as writer:
        writer.write("quotes", BINANCE, make_table("quotes", ts))
    requested = []
    original = pq.ParquetFile.iter_batches

    def recording_iter_batches(self, *args, row_groups=None, **kwargs):
        requested.append(row_groups)
        return original(self, *args, row_groups=row_groups, **kwargs)

    monkeypatch.setattr(pq.ParquetFile, "iter_batches", recording_iter_batches)
    start_ns = int(ts[ROW_GROUP_ROWS + 10])
    (stream,) = ParquetCatalog(tmp_path).streams(start=start_ns, end=start_ns + 5)
    assert [row["ts_recv"] for row in rows_of(stream)] == list(range(start_ns, start_ns + 5))
    assert requested == [[1]]


def test_start_after_end_is_a_config_error(sample_catalog):
    with pytest.raises(ConfigError, match=r"start: .* is after end"):
        ParquetCatalog(sample_catalog).streams(start=DAY_NS + 1, end=DAY_NS)


# -- BATCHES -----------------------------------------------------------------------------------


def test_streams_read_a_file_in_batches_of_at_most_batch_rows(tmp_path):
    count = 2 * ROW_GROUP_ROWS + 7
    with CatalogWriter(tmp_path, INSTRUMENTS) as writer:
        writer.write("book", BINANCE, make_table("book", DAY_NS + np.arange(count)))
    (stream,) = ParquetCatalog(tmp_path).streams(batch_rows=50_000)
    sizes = [batch.num_rows for batch in stream.batches()]
    assert max(sizes) <= 50_000
    assert sum(sizes) == count
    assert len(sizes) >= count // 50_000 + 1


def test_batches_have_the_kind_schema_without_file_metadata(sample_catalog):
    for stream in ParquetCatalog(sample_catalog).streams():
        batch = next(stream.batches())
        assert batch.schema.equals(stream.schema, check_metadata=True)


def test_prefetched_batches_equal_direct_batches(sample_catalog):
    catalog = ParquetCatalog(sample_catalog)
    direct = [rows_of(s) for s in catalog.streams(prefetch=False, batch_rows=100)]
    ahead = [rows_of(s) for s in catalog.streams(prefetch=True, batch_rows=100)]
    assert ahead == direct


def test_prefetched_reads_at_most_one_item_ahead():
    pulled = []

    def source():
        for item in range(5):
            pulled.append(item)
            yield item

    iterator = prefetched(source())
    assert next(iterator) == 0
    next(iterator)
    assert len(pulled) <= 3


def test_a_batch_size_below_one_is_a_config_error(sample_catalog):
    with pytest.raises(ConfigError, match="batch_rows"):
        ParquetCatalog(sample_catalog).streams(batch_rows=0)


def test_an_in_memory_stream_yields_its_table_in_batches():
    table = make_table("trades", DAY_NS + np.arange(10))
    stream = InMemoryEventStream("trades", "BINANCE", "BTCUSDT", table, batch_rows=4)
    assert [batch.num_rows for batch in stream.batches()] == [4, 4, 2]
    assert pa.Table.from_batches(list(stream.batches())).equals(table)


def test_an_in_memory_stream_checks_its_schema():
    with pytest.raises(DecodeError, match="trade_id"):
        InMemoryEventStream("trades", "BINANCE", "BTCUSDT", make_table("quotes", [DAY_NS]))


# -- TIMES AND SOURCES -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected_ns"),
    [
        ("2023-12-09", DAY_NS),
        ("2023-12-09T00:00:00Z", DAY_NS),
        ("2023-12-09T01:00:00+01:00", DAY_NS),
        ("2023-12-09 00:00:00.000000123", DAY_NS + 123),
        ("2023-12-09T00:00:01.123456789Z", DAY_NS + 1_123_456_789),
        ("2023-12-09T00:00:00.5", DAY_NS + 500_000_000),
    ],
)
def test_to_ns_parses_iso_times_as_utc_with_nanoseconds(text, expected_ns):
    assert to_ns(text, "start") == expected_ns


def test_to_ns_keeps_integers_and_converts_datetimes():
    assert to_ns(DAY_NS + 1, "start") == DAY_NS + 1
    assert to_ns(np.int64(5), "start") == 5
    assert to_ns(dt.datetime(2023, 12, 9, tzinfo=dt.UTC), "start") == DAY_NS


@pytest.mark.parametrize("value", ["yesterday", "2023-13-01", 1.5, True])
def test_to_ns_rejects_anything_else_naming_the_field(value):
    with pytest.raises(ConfigError, match="end: expected UNIX ns or an ISO 8601 time"):
        to_ns(value, "end")


def test_open_source_parquet_opens_the_catalog(sample_catalog):
    assert len(open_source("parquet", sample_catalog).streams()) == 6


def test_open_source_rejects_an_unknown_source(sample_catalog):
    with pytest.raises(ConfigError, match="source: expected 'parquet' or 'clickhouse'"):
        open_source("duckdb", sample_catalog)
