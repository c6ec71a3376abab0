"""CatalogWriter: layout, exact round trip, date partitioning, row groups and bad input."""

import json

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given
from hypothesis import strategies as st

from backtest.catalog.reader import ParquetCatalog
from backtest.catalog.schema import CATALOG_FILE, NS_PER_DAY, ROW_GROUP_ROWS, SCHEMAS
from backtest.catalog.writer import CatalogWriter
from hftcore.errors import ConfigError, DecodeError, UnknownInstrumentError
from tests.unit.backtest.catalog.tables import DAY_NS, INSTRUMENTS, make_table

BINANCE = INSTRUMENTS[0]["id"]


def read_all(root, kind: str) -> pa.Table:
    (stream,) = ParquetCatalog(root).streams(kinds=[kind], venues=["BINANCE"])
    return pa.Table.from_batches(list(stream.batches()), schema=stream.schema)


@pytest.mark.parametrize("kind", ["book", "trades", "quotes"])
def test_written_rows_read_back_exactly(tmp_path, kind):
    table = make_table(kind, DAY_NS + np.arange(1000) * 1_000_000)
    with CatalogWriter(tmp_path, INSTRUMENTS) as writer:
        writer.write(kind, BINANCE, table)
    assert read_all(tmp_path, kind).equals(table)


def test_write_places_each_row_in_the_file_of_its_utc_date(tmp_path):
    ts = np.array([DAY_NS - 1, DAY_NS, DAY_NS + NS_PER_DAY - 1, DAY_NS + 2 * NS_PER_DAY])
    with CatalogWriter(tmp_path, INSTRUMENTS) as writer:
        writer.write("trades", BINANCE, make_table("trades", ts))
    directory = tmp_path / "trades" / "BINANCE" / "BTCUSDT"
    rows_by_file = {
        path.name: pq.read_table(path).column("ts_recv").to_pylist()
        for path in sorted(directory.iterdir())
    }
    assert rows_by_file == {
        "2023-12-08.parquet": [DAY_NS - 1],
        "2023-12-09.parquet": [DAY_NS, DAY_NS + NS_PER_DAY - 1],
        "2023-12-11.parquet": [DAY_NS + 2 * NS_PER_DAY],
    }


def test_write_buffers_rows_into_row_groups_of_row_group_rows(tmp_path):
    count = 2 * ROW_GROUP_ROWS + 100
    with CatalogWriter(tmp_path, INSTRUMENTS) as writer:
        for start in range(0, count, 50_000):
            ts = DAY_NS + np.arange(start, min(start + 50_000, count))
            writer.write("quotes", BINANCE, make_table("quotes", ts))
    metadata = pq.read_metadata(tmp_path / "quotes" / "BINANCE" / "BTCUSDT" / "2023-12-09.parquet")
    sizes = [metadata.row_group(i).num_rows for i in range(metadata.num_row_groups)]
    assert sizes == [ROW_GROUP_ROWS, ROW_GROUP_ROWS, 100]


def test_writer_creates_catalog_json_with_its_instruments(tmp_path):
    CatalogWriter(tmp_path, INSTRUMENTS).close()
    document = json.loads((tmp_path / CATALOG_FILE).read_text())
    assert document == {
        "format_version": 1,
        "instruments": sorted(INSTRUMENTS, key=lambda i: i["id"]),
    }


def test_writer_adds_new_instruments_to_an_existing_catalog_json(tmp_path):
    CatalogWriter(tmp_path, INSTRUMENTS[:1]).close()
    CatalogWriter(tmp_path, INSTRUMENTS[1:]).close()
    assert ParquetCatalog(tmp_path).instruments == sorted(INSTRUMENTS, key=lambda i: i["id"])


def test_writer_rejects_an_instrument_that_differs_from_catalog_json(tmp_path):
    CatalogWriter(tmp_path, INSTRUMENTS[:1]).close()
    changed = dict(INSTRUMENTS[0], tick_size="0.1")
    with pytest.raises(ConfigError, match=r"BTCUSDT.BINANCE.*catalog.json.*tick_size"):
        CatalogWriter(tmp_path, [changed])


def test_writer_rejects_an_instrument_without_id(tmp_path):
    with pytest.raises(ConfigError, match=r"instruments\[0\]"):
        CatalogWriter(tmp_path, [{"tick_size": "0.01"}])


def test_write_rejects_an_unknown_kind(tmp_path):
    with CatalogWriter(tmp_path, INSTRUMENTS) as writer, pytest.raises(ConfigError, match="bars"):
        writer.write("bars", BINANCE, make_table("trades", [DAY_NS]))


def test_write_rejects_an_instrument_not_given_to_the_writer(tmp_path):
    with (
        CatalogWriter(tmp_path, INSTRUMENTS) as writer,
        pytest.raises(UnknownInstrumentError, match=r"ETHUSDT\.BINANCE"),
    ):
        writer.write("trades", "ETHUSDT.BINANCE", make_table("trades", [DAY_NS]))


def test_write_rejects_a_table_missing_a_column_and_names_it(tmp_path):
    table = make_table("book", [DAY_NS]).drop_columns(["flags"])
    with CatalogWriter(tmp_path, INSTRUMENTS) as writer, pytest.raises(DecodeError, match="flags"):
        writer.write("book", BINANCE, table)


def test_write_rejects_float_prices(tmp_path):
    table = make_table("trades", [DAY_NS])
    table = table.set_column(2, "price_ticks", pa.array([1.5], pa.float64()))
    with (
        CatalogWriter(tmp_path, INSTRUMENTS) as writer,
        pytest.raises(DecodeError, match="price_ticks: expected int64, got double"),
    ):
        writer.write("trades", BINANCE, table)


def test_write_casts_integer_columns_of_another_width(tmp_path):
    table = make_table("book", [DAY_NS, DAY_NS + 1])
    wide = table.set_column(3, "side", pa.array([1, 2], pa.int64()))
    with CatalogWriter(tmp_path, INSTRUMENTS) as writer:
        writer.write("book", BINANCE, wide)
    assert read_all(tmp_path, "book").equals(table)


def test_write_rejects_an_integer_that_does_not_fit_its_column(tmp_path):
    table = make_table("book", [DAY_NS])
    table = table.set_column(3, "side", pa.array([300], pa.int64()))
    with CatalogWriter(tmp_path, INSTRUMENTS) as writer, pytest.raises(DecodeError, match="side"):
        writer.write("book", BINANCE, table)


def test_write_rejects_null_values(tmp_path):
    table = make_table("quotes", [DAY_NS, DAY_NS])
    table = table.set_column(2, "bid_price_ticks", pa.array([1, None], pa.int64()))
    with (
        CatalogWriter(tmp_path, INSTRUMENTS) as writer,
        pytest.raises(DecodeError, match="bid_price_ticks: 1 null"),
    ):
        writer.write("quotes", BINANCE, table)


def test_write_rejects_rows_whose_ts_recv_goes_backwards(tmp_path):
    table = make_table("trades", [DAY_NS + 5, DAY_NS + 4])
    with (
        CatalogWriter(tmp_path, INSTRUMENTS) as writer,
        pytest.raises(DecodeError, match="backwards at row 1"),
    ):
        writer.write("trades", BINANCE, table)


def test_write_rejects_rows_before_rows_already_written(tmp_path):
    with CatalogWriter(tmp_path, INSTRUMENTS) as writer:
        writer.write("trades", BINANCE, make_table("trades", [DAY_NS + 5]))
        with pytest.raises(DecodeError, match="precedes the last row"):
            writer.write("trades", BINANCE, make_table("trades", [DAY_NS + 4]))


def test_writer_appends_to_a_file_written_by_an_earlier_session(tmp_path):
    first = make_table("trades", [DAY_NS, DAY_NS + 1], seed=1)
    second = make_table("trades", [DAY_NS + 1, DAY_NS + 2], seed=2)
    for table in (first, second):
        with CatalogWriter(tmp_path, INSTRUMENTS) as writer:
            writer.write("trades", BINANCE, table)
    assert read_all(tmp_path, "trades").equals(pa.concat_tables([first, second]))


def test_writer_refuses_to_append_rows_older_than_a_stored_file(tmp_path):
    with CatalogWriter(tmp_path, INSTRUMENTS) as writer:
        writer.write("trades", BINANCE, make_table("trades", [DAY_NS + 10]))
    with (
        pytest.raises(DecodeError, match=r"2023-12-09.parquet: cannot append"),
        CatalogWriter(tmp_path, INSTRUMENTS) as writer,
    ):
        writer.write("trades", BINANCE, make_table("trades", [DAY_NS + 9]))


def test_files_get_their_final_name_only_on_close(tmp_path):
    writer = CatalogWriter(tmp_path, INSTRUMENTS)
    writer.write("trades", BINANCE, make_table("trades", [DAY_NS]))
    directory = tmp_path / "trades" / "BINANCE" / "BTCUSDT"
    assert list(directory.glob("*.parquet")) == []
    writer.close()
    assert [path.name for path in directory.iterdir()] == ["2023-12-09.parquet"]


def test_an_exception_inside_the_with_block_discards_the_unfinished_files(tmp_path):
    with pytest.raises(RuntimeError), CatalogWriter(tmp_path, INSTRUMENTS) as writer:
        writer.write("trades", BINANCE, make_table("trades", [DAY_NS]))
        raise RuntimeError("import failed")
    assert list((tmp_path / "trades" / "BINANCE" / "BTCUSDT").iterdir()) == []


def test_files_record_their_kind_and_instrument_in_parquet_metadata(tmp_path):
    with CatalogWriter(tmp_path, INSTRUMENTS) as writer:
        writer.write("book", BINANCE, make_table("book", [DAY_NS]))
    metadata = pq.read_schema(tmp_path / "book" / "BINANCE" / "BTCUSDT" / "2023-12-09.parquet")
    assert metadata.metadata[b"hftcore.kind"] == b"book"
    assert metadata.metadata[b"hftcore.instrument_id"] == BINANCE.encode()


int64s = st.integers(min_value=-(2**63), max_value=2**63 - 1)


@given(
    ts_offsets_ns=st.lists(st.integers(0, 3 * NS_PER_DAY), min_size=1, max_size=40),
    prices_ticks=st.lists(int64s, min_size=40, max_size=40),
    sizes_lots=st.lists(int64s, min_size=40, max_size=40),
    sequences=st.lists(st.integers(0, 2**64 - 1), min_size=40, max_size=40),
)
def test_any_sorted_book_rows_round_trip_exactly(
    tmp_path_factory, ts_offsets_ns, prices_ticks, sizes_lots, sequences
):
    root = tmp_path_factory.mktemp("round_trip")
    ts = DAY_NS + np.sort(np.array(ts_offsets_ns, dtype=np.int64))
    count = ts.size
    table = make_table("book", ts)
    table = table.set_column(2, "sequence", pa.array(sequences[:count], pa.uint64()))
    table = table.set_column(4, "price_ticks", pa.array(prices_ticks[:count], pa.int64()))
    table = table.set_column(5, "size_lots", pa.array(sizes_lots[:count], pa.int64()))
    with CatalogWriter(root, INSTRUMENTS) as writer:
        writer.write("book", BINANCE, table)
    assert read_all(root, "book").equals(table.cast(SCHEMAS["book"]))
