"""info() and format_info(): a catalog's contents from Parquet metadata."""

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from backtest.catalog.info import format_info, format_ns, info
from backtest.catalog.reader import ParquetCatalog
from backtest.catalog.writer import CatalogWriter
from hftcore.errors import DataUnavailableError
from tests.unit.backtest.catalog.tables import DAY_NS, INSTRUMENTS


def scanned_summary(root) -> dict:
    """The per-stream facts ``info`` reports, computed by reading every row."""
    summary = {}
    for stream in ParquetCatalog(root).streams():
        ts = pa.concat_arrays([batch.column(0) for batch in stream.batches()]).to_pylist()
        summary[(stream.kind, stream.venue, stream.symbol)] = (len(ts), ts[0], ts[-1])
    return summary


def test_info_reports_row_counts_and_ts_recv_range_of_each_stream(sample_catalog):
    reported = {
        (s["kind"], s["venue"], s["symbol"]): (
            s["row_count"],
            s["first_ts_recv_ns"],
            s["last_ts_recv_ns"],
        )
        for s in info(sample_catalog)["streams"]
    }
    assert reported == scanned_summary(sample_catalog)


def test_info_reports_catalog_totals(sample_catalog):
    summary = info(sample_catalog)
    assert summary["venues"] == ["BINANCE", "OKX"]
    assert summary["symbols"] == ["BTC-USDT", "BTCUSDT"]
    assert summary["kinds"] == ["book", "quotes", "trades"]
    assert summary["instruments"] == ["BTC-USDT.OKX", "BTCUSDT.BINANCE"]
    assert summary["row_count"] == 2 * (3000 + 700 + 900)
    assert summary["file_count"] == sum(s["file_count"] for s in summary["streams"])
    assert summary["first_ts_recv_ns"] == min(s["first_ts_recv_ns"] for s in summary["streams"])


def test_info_reads_no_row_data(sample_catalog, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("info read row data")

    monkeypatch.setattr(pq.ParquetFile, "iter_batches", refuse)
    monkeypatch.setattr(pq.ParquetFile, "read", refuse)
    monkeypatch.setattr(pq.ParquetFile, "read_row_group", refuse)
    assert info(sample_catalog)["row_count"] > 0


def test_info_of_a_catalog_without_data_has_no_streams(tmp_path):
    CatalogWriter(tmp_path, INSTRUMENTS).close()
    summary = info(tmp_path)
    assert (summary["streams"], summary["row_count"], summary["first_ts_recv_ns"]) == ([], 0, None)


def test_info_of_a_directory_that_is_not_a_catalog_names_the_missing_file(tmp_path):
    with pytest.raises(DataUnavailableError, match=r"catalog\.json: not found"):
        info(tmp_path)


def test_format_info_shows_one_line_per_stream_and_the_totals(sample_catalog):
    text = format_info(info(sample_catalog))
    assert text.count("BTC-USDT ") == 3
    assert "9,200 rows" in text
    assert format_ns(DAY_NS)[:10] in text


def test_format_ns_writes_utc_with_nine_fractional_digits():
    assert format_ns(DAY_NS + 1_000_000_007) == "2023-12-09T00:00:01.000000007Z"
    assert format_ns(None) == "-"
