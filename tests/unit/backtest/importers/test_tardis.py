"""tardis.dev CSV import: real samples from shared/data and hand-written edge cases."""

import gzip
import shutil
from pathlib import Path

import pytest

from backtest.catalog.schema import BOOK_FLAG_LAST, BOOK_FLAG_SNAPSHOT
from backtest.importers import import_file
from hftcore.errors import ConfigError, DecodeError
from hftcore.model.enums import AggressorSide, BookAction

from .catalog_rows import read_kind

L2_HEADER = "exchange,symbol,timestamp,local_timestamp,is_snapshot,side,price,amount\n"


def write_csv(path: Path, text: str) -> Path:
    path.write_text(text)
    return path


def import_l2(path: Path, out: Path, **options):
    options.setdefault("tick_size", "0.5")
    options.setdefault("lot_size", "10")
    return import_file(
        path, out, format_name="tardis", kind="incremental_book_L2", venue="deribit", **options
    )


# -- REAL SAMPLES --


@pytest.fixture
def deribit_l2(shared_data: Path) -> Path:
    return shared_data / "tardis" / "nautilus_deribit_incremental_book_L2_BTC-PERPETUAL.csv"


def test_deribit_l2_sample_becomes_one_snapshot_with_a_clear_row(deribit_l2, tmp_path):
    result = import_l2(deribit_l2, tmp_path)
    book = read_kind(tmp_path, "book").to_pydict()
    assert (result.rows_read, result.rows_written) == (15, 16)
    assert book["action"][0] == BookAction.CLEAR
    assert book["action"][1:] == [BookAction.ADD] * 15
    assert all(flags & BOOK_FLAG_SNAPSHOT for flags in book["flags"])


def test_deribit_l2_sample_sets_the_last_flag_only_on_the_final_row(deribit_l2, tmp_path):
    import_l2(deribit_l2, tmp_path)
    flags = read_kind(tmp_path, "book").column("flags").to_pylist()
    assert [bool(f & BOOK_FLAG_LAST) for f in flags] == [False] * 15 + [True]


def test_deribit_l2_sample_prices_and_sizes_are_exact_ticks_and_lots(deribit_l2, tmp_path):
    import_l2(deribit_l2, tmp_path)
    book = read_kind(tmp_path, "book").to_pydict()
    assert book["price_ticks"][1:4] == [12843, 12844, 12845]  # 6421.5, 6422, 6422.5 / 0.5
    assert book["size_lots"][1:4] == [1864, 119, 108]  # 18640, 1190, 1080 / 10
    assert book["ts_event"][1] == 1585699200245000 * 1000
    assert book["ts_recv"][1] == 1585699200355684 * 1000


def test_bitmex_trades_sample_keeps_ids_aggressor_and_exact_prices(shared_data, tmp_path):
    path = shared_data / "tardis" / "nautilus_bitmex_trades_XBTUSD.csv"
    result = import_file(
        path,
        tmp_path,
        format_name="tardis",
        kind="trades",
        venue="bitmex",
        tick_size="0.5",
        lot_size="1",
    )
    trades = read_kind(tmp_path, "trades").to_pydict()
    assert result.rows_written == 10
    assert trades["trade_id"][0] == "ccc3c1fa-212c-e8b0-1706-9b9c4f3d5ecf"
    assert set(trades["aggressor"]) == {AggressorSide.SELLER}
    assert trades["price_ticks"][0] == 17063  # 8531.5 / 0.5
    assert trades["size_lots"][:2] == [2152, 1]


def test_huobi_quotes_sample_maps_bid_and_ask_columns(shared_data, tmp_path):
    path = shared_data / "tardis" / "nautilus_huobi-dm-swap_quotes_BTC-USD.csv"
    import_file(
        path,
        tmp_path,
        format_name="tardis",
        kind="quotes",
        venue="huobi",
        tick_size="0.1",
        lot_size="1",
    )
    quotes = read_kind(tmp_path, "quotes").to_pydict()
    assert len(quotes["ts_recv"]) == 10
    first = {name: values[0] for name, values in quotes.items()}
    assert first == {
        "ts_recv": 1588291201234268000,
        "ts_event": 1588291201099000000,
        "bid_price_ticks": 86292,
        "bid_size_lots": 806,
        "ask_price_ticks": 86293,
        "ask_size_lots": 5494,
    }


def test_book_snapshot_25_sample_becomes_one_full_snapshot_per_row(shared_data, tmp_path):
    path = shared_data / "binance" / "nautilus_tardis_binance-futures_book_snapshot_25_BTCUSDT.csv"
    result = import_file(
        path,
        tmp_path,
        format_name="tardis",
        kind="book_snapshot_25",
        venue="binance",
        tick_size="0.01",
        lot_size="0.001",
    )
    book = read_kind(tmp_path, "book").to_pydict()
    clears = [i for i, action in enumerate(book["action"]) if action == BookAction.CLEAR]
    lasts = [i for i, flags in enumerate(book["flags"]) if flags & BOOK_FLAG_LAST]
    assert result.rows_written == 10 * 51
    assert clears == list(range(0, 510, 51))
    assert lasts == [clear + 50 for clear in clears]
    assert book["price_ticks"][1] == 1165707  # bids[0].price 11657.07
    assert book["price_ticks"][26] == 1165708  # asks[0].price 11657.08


def test_gzip_and_plain_files_import_to_identical_rows(deribit_l2, tmp_path):
    packed = tmp_path / "l2.csv.gz"
    with open(deribit_l2, "rb") as plain, gzip.open(packed, "wb") as compressed:
        shutil.copyfileobj(plain, compressed)
    import_l2(deribit_l2, tmp_path / "plain")
    import_l2(packed, tmp_path / "gzip")
    assert read_kind(tmp_path / "plain", "book").equals(read_kind(tmp_path / "gzip", "book"))


def test_sizes_are_inferred_from_the_finest_decimals_when_not_given(deribit_l2, tmp_path):
    result = import_l2(deribit_l2, tmp_path, tick_size=None, lot_size=None)
    assert (result.instrument["tick_size"], result.instrument["lot_size"]) == ("0.1", "1")


# -- BATCHES AND SNAPSHOTS --


L2_ROWS = (
    "deribit,BTC-PERPETUAL,1000,1100,true,bid,100,10\n"
    "deribit,BTC-PERPETUAL,1000,1100,true,ask,101,20\n"
    "deribit,BTC-PERPETUAL,2000,2100,false,bid,100,0\n"
    "deribit,BTC-PERPETUAL,2000,2100,false,bid,99.5,30\n"
    "deribit,BTC-PERPETUAL,3000,3100,false,ask,101,40\n"
    "deribit,BTC-PERPETUAL,4000,4100,true,bid,98,10\n"
    "deribit,BTC-PERPETUAL,4000,4100,true,ask,102,10\n"
)


@pytest.mark.parametrize("block_size_bytes", [1 << 20, 100])
def test_rows_with_one_timestamp_form_one_batch_across_read_blocks(tmp_path, block_size_bytes):
    path = write_csv(tmp_path / "l2.csv", L2_HEADER + L2_ROWS)
    import_l2(path, tmp_path / "out", block_size_bytes=block_size_bytes)
    book = read_kind(tmp_path / "out", "book").to_pydict()
    actions = [BookAction(a).name for a in book["action"]]
    assert actions == [
        "CLEAR",
        "ADD",
        "ADD",
        "DELETE",
        "UPDATE",
        "UPDATE",
        "CLEAR",
        "ADD",
        "ADD",
    ]
    assert [f & BOOK_FLAG_LAST for f in book["flags"]] == [0, 0, 1, 0, 1, 1, 0, 0, 1]
    assert [bool(f & BOOK_FLAG_SNAPSHOT) for f in book["flags"]] == [True] * 3 + [False] * 3 + [
        True
    ] * 3


def test_clear_row_of_a_snapshot_takes_the_snapshot_times(tmp_path):
    path = write_csv(tmp_path / "l2.csv", L2_HEADER + L2_ROWS)
    import_l2(path, tmp_path / "out")
    book = read_kind(tmp_path / "out", "book").to_pydict()
    assert (book["ts_event"][6], book["ts_recv"][6], book["side"][6]) == (4_000_000, 4_100_000, 0)


# -- MALFORMED ROWS --


def test_price_off_the_tick_fails_naming_file_line_and_column(tmp_path):
    bad = L2_ROWS.replace("99.5,30", "99.7,30")
    path = write_csv(tmp_path / "l2.csv", L2_HEADER + bad)
    with pytest.raises(DecodeError, match=r"l2\.csv:5: column 'price': not a multiple of 0\.5"):
        import_l2(path, tmp_path / "out")


def test_row_with_missing_columns_fails_naming_its_line(tmp_path):
    lines = (L2_HEADER + L2_ROWS).splitlines(keepends=True)
    lines[3] = "deribit,BTC-PERPETUAL,2000,2100,false\n"
    path = write_csv(tmp_path / "l2.csv", "".join(lines))
    with pytest.raises(DecodeError, match=r"l2\.csv:4: column 'side': expected 8 columns, got 5"):
        import_l2(path, tmp_path / "out")


def test_unknown_side_fails_naming_the_value(tmp_path):
    path = write_csv(tmp_path / "l2.csv", L2_HEADER + L2_ROWS.replace("ask,101,40", "buy,101,40"))
    with pytest.raises(DecodeError, match=r"l2\.csv:6: column 'side': expected one of bid/ask"):
        import_l2(path, tmp_path / "out")


def test_receive_time_going_backwards_fails_naming_the_line(tmp_path):
    path = write_csv(tmp_path / "l2.csv", L2_HEADER + L2_ROWS.replace("3000,3100", "3000,1000"))
    with pytest.raises(DecodeError, match=r"l2\.csv:6: column 'local_timestamp': goes back"):
        import_l2(path, tmp_path / "out")


def test_row_of_another_symbol_fails(tmp_path):
    path = write_csv(
        tmp_path / "l2.csv", L2_HEADER + L2_ROWS.replace("BTC-PERPETUAL,3000", "ETH,3000")
    )
    with pytest.raises(DecodeError, match=r"l2\.csv:6: column 'symbol': expected 'BTC-PERPETUAL'"):
        import_l2(path, tmp_path / "out")


def test_failed_import_leaves_no_catalog_file(tmp_path):
    path = write_csv(tmp_path / "l2.csv", L2_HEADER + L2_ROWS.replace("99.5,30", "oops,30"))
    with pytest.raises(DecodeError):
        import_l2(path, tmp_path / "out")
    assert not list((tmp_path / "out").rglob("*.parquet"))


def test_skip_bad_drops_malformed_rows_and_lists_them_in_the_rejects_file(tmp_path):
    lines = (L2_HEADER + L2_ROWS).splitlines(keepends=True)
    lines[3] = "deribit,BTC-PERPETUAL,2000,2100,false\n"
    lines[5] = lines[5].replace("101,40", "101.3,40")
    path = write_csv(tmp_path / "l2.csv", "".join(lines))
    result = import_l2(path, tmp_path / "out", skip_bad=True)
    rejects = result.rejects_path.read_text().splitlines()
    assert (result.rows_read, result.rows_rejected, result.rows_written) == (7, 2, 7)
    assert [row.split(",")[1:3] for row in rejects[1:]] == [["4", "side"], ["6", "price"]]


def test_unknown_kind_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError, match="--kind: expected one of"):
        import_file(
            tmp_path / "x.csv",
            tmp_path,
            format_name="tardis",
            kind="derivative_ticker",
            venue="deribit",
        )


def test_file_missing_a_required_column_is_rejected_at_the_header(tmp_path):
    path = write_csv(tmp_path / "l2.csv", L2_HEADER.replace(",amount", "") + "x\n")
    with pytest.raises(DecodeError, match=r"l2\.csv:1: not a tardis incremental_book_L2 file"):
        import_l2(path, tmp_path / "out")
