"""The replay engine's two timelines: latency races, report times, feed times, PnL, venues.

Every scenario starts at ``T0`` with the book ``bid 100 x 10 / ask 102 x 10`` (tick 1, lot 1,
maker 1 bp, taker 5 bp) and uses 1 ms order-entry and response latency unless it says so.
Times below are offsets from ``T0`` in ms.
"""

from decimal import Decimal

import pytest

from hftcore.model.enums import AggressorSide, OrderStatus, Side, TimeInForce
from tests.builders.backtest import (
    ScriptedStrategy,
    book_rows,
    make_simple_instrument,
    run_scenario,
    trade_rows,
)

T0 = 1_700_000_000_000_000_000
MS = 1_000_000
IID = "BTCUSDT.BINANCE"
LATENCY_1MS = 'latency = "constant:entry=1ms,response=1ms"\n'


def at(ms: float) -> int:
    return T0 + int(ms * MS)


def opening_book(extra=()):
    """``(ts_recv, ts_event, side, price, size, flags)`` rows: the opening book, then ``extra``."""
    rows = [(at(0), at(0), 1, 100, 10, 0), (at(0), at(0), 2, 102, 10, 1), *extra]
    return book_rows(sorted(rows, key=lambda row: row[0]))


def scenario(tmp_path, script, book_extra=(), trades=(), toml=LATENCY_1MS, quotes=False):
    instrument = make_simple_instrument()
    strategy = ScriptedStrategy([IID], script, subscribe_quotes=quotes)
    # A last row keeps the replay going until every step has run.
    data = {("book", IID): opening_book([*book_extra, (at(50), at(50), 1, 90, 1, 1)])}
    if trades:
        data[("trades", IID)] = trade_rows(trades)
    run = run_scenario(tmp_path, strategy, [instrument], data, toml)
    return strategy, run


def buy_at_100(strategy):
    strategy.orders.append(strategy.limit(IID, Side.BUY, 1, 100))


def cancel_first(strategy):
    strategy.cancel(strategy.orders[0])


# A seller hits 100 for 20 lots at 5 ms (received at 5.5 ms): it eats the 10 lots ahead of our
# bid (placed at 1 ms, at the venue at 2 ms) and fills our 1 lot.
SELL_SWEEP = [(at(5.5), at(5), 100, 20, int(AggressorSide.SELLER))]


# -- LATENCY RACES ---------------------------------------------------------------------------


def test_cancel_that_reaches_the_venue_after_the_fill_loses(tmp_path):
    # Cancel sent at 4.5 ms arrives at 5.5 ms, after the 5 ms trade filled the order.
    strategy, _ = scenario(
        tmp_path, [(at(1), buy_at_100), (at(4.5), cancel_first)], trades=SELL_SWEEP
    )
    assert [e.last_qty_lots for _, e in strategy.seen("OrderFilled")] == [1]
    assert strategy.seen("OrderCanceled") == []
    assert strategy.orders[0].status == OrderStatus.FILLED


def test_cancel_that_reaches_the_venue_before_the_trade_wins(tmp_path):
    # Cancel sent at 3.5 ms arrives at 4.5 ms, before the 5 ms trade.
    strategy, _ = scenario(
        tmp_path, [(at(1), buy_at_100), (at(3.5), cancel_first)], trades=SELL_SWEEP
    )
    assert strategy.seen("OrderFilled") == []
    assert strategy.orders[0].status == OrderStatus.CANCELED


def test_the_venue_sees_data_at_ts_event_before_the_strategy_receives_it(tmp_path):
    # An ask at 101 is published at 3 ms and received at 3.5 ms. An IOC buy at 101 sent at
    # 1 ms with 2.2 ms of entry latency reaches the venue at 3.2 ms: the venue has the ask.
    ask_101 = [(at(3.5), at(3), 2, 101, 5, 1)]

    def ioc_buy(strategy):
        strategy.orders.append(strategy.limit(IID, Side.BUY, 5, 101, TimeInForce.IOC))

    strategy, _ = scenario(
        tmp_path,
        [(at(1), ioc_buy)],
        book_extra=ask_101,
        toml='latency = "constant:entry=2.2ms,response=1ms"\n',
    )
    assert [(e.last_price_ticks, e.last_qty_lots) for _, e in strategy.seen("OrderFilled")] == [
        (101, 5)
    ]


def test_a_command_arriving_before_a_market_event_does_not_see_it(tmp_path):
    ask_101 = [(at(3.5), at(3), 2, 101, 5, 1)]

    def ioc_buy(strategy):
        strategy.orders.append(strategy.limit(IID, Side.BUY, 5, 101, TimeInForce.IOC))

    strategy, _ = scenario(tmp_path, [(at(1), ioc_buy)], book_extra=ask_101)
    assert strategy.seen("OrderFilled") == []
    assert strategy.orders[0].status == OrderStatus.EXPIRED


def test_post_only_that_would_cross_is_rejected_and_the_strategy_hears_it_after_latency(
    tmp_path,
):
    def post_at_the_ask(strategy):
        strategy.orders.append(strategy.post_only(IID, Side.BUY, 1, 102))

    strategy, _ = scenario(tmp_path, [(at(1), post_at_the_ask)])
    ((seen_ns, rejected),) = strategy.seen("OrderRejected")
    assert (rejected.ts_event, rejected.ts_recv, seen_ns) == (at(2), at(3), at(3))
    assert strategy.orders[0].status == OrderStatus.REJECTED


# -- REPORT AND FEED TIMES -------------------------------------------------------------------


def test_reports_reach_the_strategy_at_venue_time_plus_response_latency(tmp_path):
    strategy, _ = scenario(
        tmp_path,
        [(at(1), buy_at_100)],
        toml='latency = "constant:entry=2ms,response=3ms"\n',
    )
    ((seen_ns, accepted),) = strategy.seen("OrderAccepted")
    assert (accepted.ts_event, accepted.ts_recv, seen_ns) == (at(3), at(6), at(6))


def test_strategy_sees_book_changes_at_ts_recv_by_default(tmp_path):
    ask_101 = [(at(3.5), at(3), 2, 101, 5, 1)]
    strategy, _ = scenario(tmp_path, [], book_extra=ask_101, quotes=True)
    assert [ts for ts, q in strategy.quotes if q.ask_price_ticks == 101] == [at(3.5)]


def test_event_delay_feed_shows_book_changes_at_ts_event_plus_the_delay(tmp_path):
    ask_101 = [(at(3.5), at(3), 2, 101, 5, 1)]
    strategy, _ = scenario(
        tmp_path,
        [],
        book_extra=ask_101,
        quotes=True,
        toml=LATENCY_1MS + 'feed_latency = "event+200us"\n',
    )
    assert [ts for ts, q in strategy.quotes if q.ask_price_ticks == 101] == [at(3.2)]


# -- ACCOUNTING ------------------------------------------------------------------------------


def test_strategy_that_never_trades_ends_with_zero_pnl_and_unchanged_balances(tmp_path):
    moves = [(at(10), at(10), 1, 100, 0, 0), (at(10), at(10), 1, 120, 3, 1)]
    _, run = scenario(tmp_path, [], book_extra=moves)
    equity = run.recorder.equity_table().to_pylist()
    assert {row["pnl_f64"] for row in equity} == {0.0}
    account = run.venues[0].account
    assert {asset: account.total(asset) for asset in ("USDT", "BTC")} == {
        asset: Decimal(amount) for asset, amount in account.initial_balances.items()
    }


def test_buy_then_sell_round_trip_pnl_is_the_price_difference_minus_exact_fees(tmp_path):
    def buy(strategy):
        strategy.market(IID, Side.BUY, 10)

    def sell(strategy):
        strategy.market(IID, Side.SELL, 10)

    # The bid rises to 110 x 10 at 10 ms; we buy 10 @ 102 at 1 ms and sell 10 @ 110 at 20 ms.
    rise = [(at(10), at(10), 1, 110, 10, 1)]
    _, run = scenario(tmp_path, [(at(1), buy), (at(20), sell)], book_extra=rise)
    fees = Decimal("102") * 10 * Decimal("0.0005") + Decimal("110") * 10 * Decimal("0.0005")
    pnl = (Decimal(110) - Decimal(102)) * 10 - fees
    account = run.venues[0].account
    assert account.total("USDT") - account.initial_balances["USDT"] == pnl
    assert account.total("BTC") == account.initial_balances["BTC"]
    assert run.recorder.equity_table().column("pnl_f64")[-1].as_py() == pytest.approx(float(pnl))


def test_equity_samples_every_second_of_data_time_and_at_the_end(tmp_path):
    late = [(at(2500), at(2500), 1, 100, 11, 1)]
    _, run = scenario(tmp_path, [], book_extra=late)
    samples = sorted(set(run.recorder.equity_table().column("ts").to_pylist()))
    assert samples[:3] == [at(0), at(1000), at(2000)]
    assert samples[-1] == at(2500)


def test_orders_left_open_at_the_end_are_canceled(tmp_path):
    strategy, _ = scenario(tmp_path, [(at(1), buy_at_100)])
    assert strategy.orders[0].status == OrderStatus.CANCELED


def test_a_resting_order_fills_at_its_price_as_maker_when_the_queue_ahead_is_eaten(tmp_path):
    strategy, run = scenario(tmp_path, [(at(1), buy_at_100)], trades=SELL_SWEEP)
    ((seen_ns, fill),) = strategy.seen("OrderFilled")
    assert (fill.last_price_ticks, fill.ts_event, seen_ns) == (100, at(5), at(6))
    fills = run.recorder.fills_table().to_pylist()
    assert (fills[0]["liquidity"], fills[0]["fee"], fills[0]["mid_at_fill_f64"]) == (
        "MAKER",
        "0.01",
        101.0,
    )
