"""Binance public-data CSV import (trades, aggTrades, bookTicker), rows from the format README.

Column layouts follow https://github.com/binance/binance-public-data (README): spot files have
no header, futures files have one.
"""

import zipfile
from pathlib import Path

import pytest

from backtest.importers import import_file
from hftcore.errors import ConfigError, DecodeError
from hftcore.model.enums import AggressorSide

from .catalog_rows import read_kind

SPOT_TRADES = (
    "3420129571,61245.63000000,0.00090000,55.12106700,1723161253587,True,True\n"
    "3420129572,61245.62000000,0.01000000,612.45620000,1723161253590,False,True\n"
)
FUTURES_TRADES = (
    "id,price,qty,quote_qty,time,is_buyer_maker\n"
    "5167473791,61230.10,0.002,122.4602,1723161253587,true\n"
)
SPOT_AGG_TRADES = (
    "2911250001,61245.63000000,0.00090000,3420129571,3420129571,1723161253587,True,True\n"
)
BOOK_TICKER = (
    "update_id,best_bid_price,best_bid_qty,best_ask_price,best_ask_qty,transaction_time,event_time\n"
    "5068387281405,61230.10,3.118,61230.20,0.560,1723161253585,1723161253590\n"
)


def import_binance(path: Path, out: Path, kind: str, **options):
    return import_file(path, out, format_name="binance", kind=kind, venue="binance", **options)


def test_spot_trades_without_header_use_the_known_btcusdt_sizes(tmp_path):
    path = tmp_path / "BTCUSDT-trades-2024-08-09.csv"
    path.write_text(SPOT_TRADES)
    result = import_binance(path, tmp_path / "out", "trades")
    trades = read_kind(tmp_path / "out", "trades").to_pydict()
    assert result.instrument["id"] == "BTCUSDT.BINANCE"
    assert trades["price_ticks"] == [6124563, 6124562]
    assert trades["size_lots"] == [90, 1000]
    assert trades["trade_id"] == ["3420129571", "3420129572"]


def test_buyer_maker_trade_has_a_seller_aggressor(tmp_path):
    path = tmp_path / "BTCUSDT-trades-2024-08-09.csv"
    path.write_text(SPOT_TRADES)
    import_binance(path, tmp_path / "out", "trades")
    aggressors = read_kind(tmp_path / "out", "trades").column("aggressor").to_pylist()
    assert aggressors == [AggressorSide.SELLER, AggressorSide.BUYER]


def test_millisecond_times_become_nanoseconds_for_event_and_receive(tmp_path):
    path = tmp_path / "BTCUSDT-trades-2024-08-09.csv"
    path.write_text(SPOT_TRADES)
    import_binance(path, tmp_path / "out", "trades")
    trades = read_kind(tmp_path / "out", "trades").to_pydict()
    assert trades["ts_event"][0] == trades["ts_recv"][0] == 1723161253587 * 1_000_000


def test_microsecond_times_are_detected_from_the_first_row(tmp_path):
    path = tmp_path / "BTCUSDT-trades-2025-01-02.csv"
    path.write_text(
        SPOT_TRADES.replace("1723161253587", "1723161253587123").replace(
            "1723161253590", "1723161253590456"
        )
    )
    import_binance(path, tmp_path / "out", "trades")
    assert read_kind(tmp_path / "out", "trades").column("ts_event")[0].as_py() == (
        1723161253587123 * 1000
    )


def test_futures_trades_with_header_read_columns_by_name(tmp_path):
    path = tmp_path / "BTCUSDT-trades-2024-08-09.csv"
    path.write_text(FUTURES_TRADES)
    import_binance(path, tmp_path / "out", "trades", tick_size="0.1", lot_size="0.001")
    trades = read_kind(tmp_path / "out", "trades").to_pydict()
    assert (trades["price_ticks"], trades["size_lots"]) == ([612301], [2])


def test_agg_trades_use_the_aggregate_id(tmp_path):
    path = tmp_path / "BTCUSDT-aggTrades-2024-08-09.csv"
    path.write_text(SPOT_AGG_TRADES)
    import_binance(path, tmp_path / "out", "aggTrades")
    trades = read_kind(tmp_path / "out", "trades").to_pydict()
    assert (trades["trade_id"], trades["price_ticks"]) == (["2911250001"], [6124563])


def test_book_ticker_becomes_quotes_received_at_the_event_time(tmp_path):
    path = tmp_path / "BTCUSDT-bookTicker-2024-08-09.csv"
    path.write_text(BOOK_TICKER)
    import_binance(path, tmp_path / "out", "bookTicker", tick_size="0.1", lot_size="0.001")
    quotes = read_kind(tmp_path / "out", "quotes").to_pydict()
    assert quotes == {
        "ts_recv": [1723161253590 * 1_000_000],
        "ts_event": [1723161253585 * 1_000_000],
        "bid_price_ticks": [612301],
        "bid_size_lots": [3118],
        "ask_price_ticks": [612302],
        "ask_size_lots": [560],
    }


def test_zip_archive_as_published_imports_like_the_csv(tmp_path):
    plain = tmp_path / "BTCUSDT-trades-2024-08-09.csv"
    plain.write_text(SPOT_TRADES)
    archive = tmp_path / "BTCUSDT-trades-2024-08-09.zip"
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as packed:
        packed.write(plain, plain.name)
    import_binance(plain, tmp_path / "plain", "trades")
    import_binance(archive, tmp_path / "zip", "trades")
    assert read_kind(tmp_path / "plain", "trades").equals(read_kind(tmp_path / "zip", "trades"))


def test_file_with_an_unexpected_column_count_is_rejected(tmp_path):
    path = tmp_path / "BTCUSDT-trades-2024-08-09.csv"
    path.write_text("1,2,3\n")
    with pytest.raises(DecodeError, match="expected 6 or 7 columns, got 3"):
        import_binance(path, tmp_path / "out", "trades")


def test_malformed_boolean_fails_naming_line_and_column(tmp_path):
    path = tmp_path / "BTCUSDT-trades-2024-08-09.csv"
    path.write_text(SPOT_TRADES.replace("False,True", "maybe,True"))
    with pytest.raises(DecodeError, match=r"csv:2: column 'is_buyer_maker': expected one of"):
        import_binance(path, tmp_path / "out", "trades")


def test_symbol_is_required_when_the_file_name_does_not_name_it(tmp_path):
    path = tmp_path / "trades.csv"
    path.write_text(SPOT_TRADES)
    with pytest.raises(ConfigError, match="--symbol"):
        import_binance(path, tmp_path / "out", "trades")
