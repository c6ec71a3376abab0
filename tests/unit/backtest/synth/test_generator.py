"""Synthetic catalogs: determinism, book consistency, trades at the touch, profiles."""

import hashlib
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq
import pytest

from backtest.catalog.schema import BOOK_FLAG_LAST
from backtest.synth import SynthConfig, generate
from hftcore.errors import ConfigError

from .replay import DictBook, episode_peaks, triangle_cycle_bp, venue_cross_bp


def digest(root: Path) -> dict[str, str]:
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def read(root: Path, kind: str, venue: str, symbol: str):
    return pq.read_table(sorted((root / kind / venue / symbol).glob("*.parquet")))


def small(out: Path, **options) -> SynthConfig:
    options.setdefault("minutes", 0.5)
    options.setdefault("depth_levels", 60)
    return SynthConfig(out=out, **options)


@pytest.fixture(scope="module")
def multi_venue(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("multi") / "catalog"
    generate(small(out, minutes=2))
    return out


@pytest.fixture(scope="module")
def per_event(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("per_event") / "catalog"
    generate(small(out, venues=("BINANCE",), publish_interval_ms=0, quotes=False))
    return out


def test_same_seed_writes_identical_files(tmp_path):
    generate(small(tmp_path / "a", seed=7))
    generate(small(tmp_path / "b", seed=7))
    assert digest(tmp_path / "a") == digest(tmp_path / "b")


def test_different_seed_writes_different_files(tmp_path):
    generate(small(tmp_path / "a", seed=7))
    generate(small(tmp_path / "b", seed=8))
    first, second = digest(tmp_path / "a"), digest(tmp_path / "b")
    assert first.keys() == second.keys()
    assert (
        first["book/BINANCE/BTCUSDT/2024-08-08.parquet"]
        != (second["book/BINANCE/BTCUSDT/2024-08-08.parquet"])
    )


@pytest.mark.parametrize(("venue", "symbol"), [("BINANCE", "BTCUSDT"), ("OKX", "BTC-USDT")])
def test_applying_the_deltas_row_by_row_never_crosses_the_book(multi_venue, venue, symbol):
    book = DictBook()
    rows = read(multi_venue, "book", venue, symbol).to_pydict()
    crossed = 0
    for side, price, size, action in zip(
        rows["side"], rows["price_ticks"], rows["size_lots"], rows["action"], strict=True
    ):
        book.apply(side, price, size, action)
        crossed += book.is_crossed()
    assert crossed == 0
    assert book.best_bid() is not None and book.best_ask() is not None


def test_book_starts_with_a_snapshot_and_each_message_ends_with_the_last_flag(multi_venue):
    rows = read(multi_venue, "book", "BINANCE", "BTCUSDT").to_pydict()
    assert (rows["action"][0], rows["flags"][0]) == (4, 2)
    sequence, flags = rows["sequence"], rows["flags"]
    ends = [i for i in range(len(flags) - 1) if sequence[i + 1] != sequence[i]]
    assert all(flags[i] & BOOK_FLAG_LAST for i in ends)
    assert sum(1 for f in flags if f & BOOK_FLAG_LAST) == len(ends) + 1


def test_every_trade_happens_at_a_resting_level_starting_from_the_touch(per_event):
    book_rows = read(per_event, "book", "BINANCE", "BTCUSDT").to_pydict()
    trades = read(per_event, "trades", "BINANCE", "BTCUSDT").to_pydict()
    book = DictBook()
    applied = 0
    checked_events = 0
    previous_ts = None
    for ts, price, aggressor in zip(
        trades["ts_event"], trades["price_ticks"], trades["aggressor"], strict=True
    ):
        while applied < len(book_rows["ts_event"]) and book_rows["ts_event"][applied] < ts:
            book.apply(
                book_rows["side"][applied],
                book_rows["price_ticks"][applied],
                book_rows["size_lots"][applied],
                book_rows["action"][applied],
            )
            applied += 1
        passive = book.asks if aggressor == 1 else book.bids
        assert price in passive
        if ts != previous_ts:
            touch = book.best_ask() if aggressor == 1 else book.best_bid()
            assert price == touch
            checked_events += 1
        previous_ts = ts
    assert checked_events > 10


def test_receive_time_trails_event_time_by_each_venues_feed_delay(multi_venue):
    delays = {}
    for venue, symbol in (("BINANCE", "BTCUSDT"), ("OKX", "BTC-USDT")):
        rows = read(multi_venue, "trades", venue, symbol)
        delay_ns = rows.column("ts_recv").to_numpy() - rows.column("ts_event").to_numpy()
        assert delay_ns.min() > 0
        delays[venue] = np.median(delay_ns)
    assert delays["BINANCE"] < 20_000_000 < 100_000_000 < delays["OKX"]


def test_venues_quote_around_one_fundamental_price(multi_venue):
    binance = read(multi_venue, "quotes", "BINANCE", "BTCUSDT").to_pydict()
    okx = read(multi_venue, "quotes", "OKX", "BTC-USDT").to_pydict()
    binance_mid = (binance["bid_price_ticks"][-1] + binance["ask_price_ticks"][-1]) / 2 * 0.01
    okx_mid = (okx["bid_price_ticks"][-1] + okx["ask_price_ticks"][-1]) / 2 * 0.1
    assert abs(binance_mid / okx_mid - 1) < 0.002


def test_triangle_cross_rate_follows_the_two_usdt_pairs(tmp_path):
    out = tmp_path / "triangle"
    result = generate(small(out, profile="triangle", venues=("BINANCE",), minutes=1))
    assert set(result.instrument_ids) == {"BTCUSDT.BINANCE", "ETHUSDT.BINANCE", "ETHBTC.BINANCE"}
    mids = {}
    for symbol, tick in (("BTCUSDT", 0.01), ("ETHUSDT", 0.01), ("ETHBTC", 0.000001)):
        quotes = read(out, "quotes", "BINANCE", symbol).to_pydict()
        mids[symbol] = (quotes["bid_price_ticks"][-1] + quotes["ask_price_ticks"][-1]) / 2 * tick
    implied = mids["ETHUSDT"] / mids["BTCUSDT"]
    assert abs(mids["ETHBTC"] / implied - 1) < 0.005


def test_shocks_cross_the_venues_books_by_more_than_two_taker_fees(tmp_path):
    generate(small(tmp_path / "c", minutes=2, overrides={"shock_rate_per_s": 0.1}))
    assert venue_cross_bp(tmp_path / "c").max() > 25.0


def test_without_shocks_the_venues_books_stay_within_two_taker_fees(tmp_path):
    generate(small(tmp_path / "c", minutes=2, overrides={"shock_rate_per_s": 0.0}))
    assert venue_cross_bp(tmp_path / "c").max() < 20.0


def test_triangle_shocks_open_cycles_both_above_and_below_three_taker_fees(tmp_path):
    out = tmp_path / "triangle"
    generate(
        small(
            out,
            profile="triangle",
            venues=("BINANCE",),
            minutes=2,
            overrides={"shock_rate_per_s": 0.1},
        )
    )
    peaks = episode_peaks(triangle_cycle_bp(out), 10.0)
    assert any(peak > 31.0 for peak in peaks)
    assert any(peak < 30.0 for peak in peaks)


def test_events_budget_stops_at_the_next_slice_end(tmp_path):
    result = generate(SynthConfig(out=tmp_path / "c", events=5_000, depth_levels=60))
    assert result.events >= 5_000
    assert result.simulated_s == 10.0


def test_generating_into_an_existing_catalog_is_refused(tmp_path):
    generate(small(tmp_path / "c", minutes=0.1))
    with pytest.raises(ConfigError, match="already holds a catalog"):
        generate(small(tmp_path / "c", minutes=0.1))


def test_unknown_venue_pair_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError, match="no synthetic model for SOL-USDT on BINANCE"):
        generate(small(tmp_path / "c", pairs=("SOL-USDT",)))


def test_triangle_profile_refuses_two_venues(tmp_path):
    with pytest.raises(ConfigError, match="triangle profile runs on one venue"):
        generate(small(tmp_path / "c", profile="triangle"))
