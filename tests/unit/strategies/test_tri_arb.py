"""Tests of the negative-cycle arbitrage driven through a backtest trading node."""

import math

import msgspec
import pytest

from hftcore.model.enums import OrderStatus, Side, TimeInForce
from hftcore.strategy.loader import load_strategy_class
from strategies.tri_arb import TriArb, TriArbConfig
from tests.builders.events import TS_EVENT
from tests.builders.instruments import make_instrument
from tests.unit.strategies.harness import accept, expire, feed_book, fill, make_node, submitted

BTCUSDT, ETHUSDT, ETHBTC = "BTCUSDT.BINANCE", "ETHUSDT.BINANCE", "ETHBTC.BINANCE"
DEEP = 10_000_000
"""Level size, lots: deep enough that one level fills every leg."""


def instruments(fee="0", min_notional="0"):
    return [
        make_instrument("BTCUSDT", taker_fee=fee, min_notional=min_notional),
        make_instrument(
            "ETHUSDT",
            lot_size="0.0001",
            min_quantity="0.0001",
            taker_fee=fee,
            min_notional=min_notional,
        ),
        make_instrument(
            "ETHBTC",
            tick_size="0.000001",
            lot_size="0.0001",
            min_quantity="0.0001",
            taker_fee=fee,
            min_notional="0",
        ),
    ]


def start(fee="0", min_notional="0", **config):
    settings = {"trade_notional": "200", "min_profit_bps": 1.0, "cooldown_ms": 0.0, **config}
    strategy = TriArb(TriArbConfig(**settings))
    node = make_node(instruments(fee, min_notional), strategy)
    return node, strategy


def books(node, eth_btc_ask_ticks=50_001, eth_btc_bid_ticks=50_000):
    """BTC 60000.00/60000.01, ETH 3000.00/3000.01 USDT, ETH-BTC around 0.05 (1e-6 ticks)."""
    feed_book(node, BTCUSDT, [(6_000_000, DEEP)], [(6_000_001, DEEP)])
    feed_book(node, ETHUSDT, [(300_000, DEEP)], [(300_001, DEEP)])
    feed_book(node, ETHBTC, [(eth_btc_bid_ticks, DEEP)], [(eth_btc_ask_ticks, DEEP)])


def test_default_config_trades_the_bundled_triangle():
    assert TriArbConfig().instruments == [BTCUSDT, ETHUSDT, ETHBTC]


def test_the_strategy_file_defines_one_loadable_strategy():
    assert load_strategy_class("strategies/tri_arb.py").__name__ == "TriArb"


def test_consistent_prices_send_nothing():
    node, strategy = start()
    books(node)
    assert submitted(node) == []
    assert strategy.cycles_found == 0


def test_a_cheap_cross_starts_the_cycle_through_it():
    # ETH at 0.0498 BTC: USDT -> BTC -> ETH -> USDT returns about 0.4 %.
    node, strategy = start()
    books(node, eth_btc_ask_ticks=49_800, eth_btc_bid_ticks=49_790)
    first = submitted(node)
    assert [(o.instrument_id.value, o.side, o.time_in_force) for o in first] == [
        (BTCUSDT, Side.BUY, TimeInForce.IOC)
    ]
    assert first[0].quantity_lots == 333  # 0.00333 BTC: 200 USDT at 60000.01, lot 0.00001
    assert strategy.execution.assets == ["USDT", "BTC", "ETH", "USDT"]
    assert strategy.execution.expected_return == pytest.approx(
        (1 / 60_000.01) / 0.0498 * 3_000.00 - 1, rel=1e-9
    )


def test_a_rich_cross_trades_the_cycle_the_other_way():
    node, strategy = start()
    books(node, eth_btc_ask_ticks=50_210, eth_btc_bid_ticks=50_200)
    assert strategy.execution.assets == ["USDT", "ETH", "BTC", "USDT"]
    assert (submitted(node)[0].instrument_id.value, submitted(node)[0].side) == (ETHUSDT, Side.BUY)


def test_a_cycle_that_disappears_once_fees_are_counted_is_not_traded():
    # About 0.25 % before fees; three 10 bp taker fees cost 0.3 %.
    node, strategy = start(fee="0.001")
    books(node, eth_btc_ask_ticks=49_875, eth_btc_bid_ticks=49_865)
    assert submitted(node) == []
    assert strategy.cycles_found == 0


def test_the_same_books_without_fees_are_traded():
    node, _ = start(fee="0")
    books(node, eth_btc_ask_ticks=49_875, eth_btc_bid_ticks=49_865)
    assert len(submitted(node)) == 1


def test_configured_fees_override_the_instruments():
    node, _ = start(fee="0.001", taker_fees={BTCUSDT: "0", ETHUSDT: "0", ETHBTC: "0"})
    books(node, eth_btc_ask_ticks=49_875, eth_btc_bid_ticks=49_865)
    assert len(submitted(node)) == 1


def test_a_cycle_below_the_profit_threshold_is_not_traded():
    node, strategy = start(min_profit_bps=50.0)  # the cycle returns about 40 bp
    books(node, eth_btc_ask_ticks=49_800, eth_btc_bid_ticks=49_790)
    assert submitted(node) == []
    assert strategy.cycles_found >= 1


def run_first_leg(node, strategy):
    books(node, eth_btc_ask_ticks=49_800, eth_btc_bid_ticks=49_790)
    order = submitted(node)[-1]
    accept(node, order)
    return order


def test_each_leg_is_sized_from_what_the_previous_one_delivered():
    node, strategy = start()
    first = run_first_leg(node, strategy)
    fill(node, first, price_ticks=6_000_001)
    second = submitted(node)[-1]
    # 0.00333 BTC buys floor(0.00333 / 0.0498 / 0.0001) = 668 lots of ETH.
    assert (second.instrument_id.value, second.side, second.quantity_lots) == (
        ETHBTC,
        Side.BUY,
        668,
    )
    accept(node, second)
    fill(node, second, price_ticks=49_800)
    third = submitted(node)[-1]
    assert (third.instrument_id.value, third.side, third.quantity_lots) == (ETHUSDT, Side.SELL, 668)


def test_a_completed_cycle_reports_its_realized_return():
    node, strategy = start()
    first = run_first_leg(node, strategy)
    fill(node, first, price_ticks=6_000_001)
    for price_ticks in (49_800, 300_000):
        order = submitted(node)[-1]
        accept(node, order)
        fill(node, order, price_ticks=price_ticks)
    assert strategy.cycles_completed == 1
    assert strategy.execution is None
    spent_usdt = 0.00333 * 60_000.01
    btc_left = 0.00333 - 0.0668 * 0.0498  # the BTC the ETH lot size left unconverted
    out_usdt = 0.0668 * 3_000.00 + btc_left * 60_000.005
    assert strategy.last_cycle_return == pytest.approx(out_usdt / spent_usdt - 1, rel=1e-9)


def test_a_leg_that_fills_nothing_stops_the_cycle():
    node, strategy = start()
    first = run_first_leg(node, strategy)
    fill(node, first, price_ticks=6_000_001)
    second = submitted(node)[-1]
    accept(node, second)
    expire(node, second)
    assert strategy.cycles_stopped == 1
    assert strategy.execution is None
    assert len(submitted(node)) == 2


def test_a_partial_leg_carries_only_what_filled():
    node, strategy = start()
    first = run_first_leg(node, strategy)
    fill(node, first, qty_lots=200, price_ticks=6_000_001)
    expire(node, first)
    second = submitted(node)[-1]
    assert second.quantity_lots == int(0.002 / (0.0498 * 0.0001))


def test_a_leg_below_the_minimum_notional_is_never_sent():
    node, strategy = start(min_notional="500")  # 200 USDT legs on the USDT pairs
    books(node, eth_btc_ask_ticks=49_800, eth_btc_bid_ticks=49_790)
    assert submitted(node) == []
    assert strategy.cycles_started == 0


def test_a_stale_book_blocks_the_cycle():
    node, _ = start(max_book_age_ms=1000.0)
    feed_book(node, BTCUSDT, [(6_000_000, DEEP)], [(6_000_001, DEEP)])
    feed_book(node, ETHUSDT, [(300_000, DEEP)], [(300_001, DEEP)])
    node.clock.advance_time(TS_EVENT + 1_500_000_000)
    feed_book(node, ETHBTC, [(49_790, DEEP)], [(49_800, DEEP)])
    assert submitted(node) == []


def test_only_the_changed_books_edges_are_updated():
    node, strategy = start()
    books(node)
    btc_edge = strategy.graph.weight(strategy.assets.index("USDT"), strategy.assets.index("BTC"))
    passes = strategy.graph.full_pass_count
    feed_book(node, ETHUSDT, [(300_100, DEEP)], [(300_101, DEEP)])
    usdt, eth = strategy.assets.index("USDT"), strategy.assets.index("ETH")
    assert strategy.graph.weight(usdt, strategy.assets.index("BTC")) == btc_edge
    assert strategy.graph.weight(eth, usdt) == pytest.approx(-math.log(3001.00))
    assert strategy.graph.full_pass_count == passes


def test_edges_use_the_vwap_of_the_trade_size():
    node, strategy = start(trade_notional="200")
    feed_book(node, BTCUSDT, [(6_000_000, DEEP)], [(6_000_001, 100), (6_001_001, DEEP)])
    feed_book(node, ETHUSDT, [(300_000, DEEP)], [(300_001, DEEP)])
    feed_book(node, ETHBTC, [(50_000, DEEP)], [(50_001, DEEP)])
    strategy.revalue()
    feed_book(node, BTCUSDT, [(6_000_000, DEEP)], [(6_000_001, 100), (6_001_001, DEEP)])
    lots = strategy._markets[strategy.instrument_ids[0]].vwap_lots
    vwap_price = (100 * 60_000.01 + (lots - 100) * 60_010.01) / lots
    usdt, btc = strategy.assets.index("USDT"), strategy.assets.index("BTC")
    assert strategy.graph.weight(usdt, btc) == pytest.approx(math.log(vwap_price))


def test_the_cheaper_of_two_venues_supplies_the_edge():
    okx = make_instrument(
        "BTC-USDT", "OKX", tick_size="0.1", lot_size="0.00000001", taker_fee="0", min_notional="0"
    )
    strategy = TriArb(
        TriArbConfig(instruments=[BTCUSDT, ETHUSDT, ETHBTC, "BTC-USDT.OKX"], cooldown_ms=0.0)
    )
    node = make_node([*instruments(), okx], strategy)
    feed_book(node, "BTC-USDT.OKX", [(599_000, DEEP * 1000)], [(599_001, DEEP * 1000)])
    books(node, eth_btc_ask_ticks=49_900, eth_btc_bid_ticks=49_890)
    assert [(o.instrument_id.value, o.side) for o in submitted(node, "OKX")] == [
        ("BTC-USDT.OKX", Side.BUY)
    ]


def test_a_denied_first_leg_stops_the_cycle():
    class DenyAll:
        def check_order(self, order):
            from hftcore.model.order_events import OrderDenied

            return OrderDenied(
                order.strategy_id, order.instrument_id, order.client_order_id, "TEST", "no"
            )

    node, strategy = start()
    node.set_risk_engine(DenyAll())
    books(node, eth_btc_ask_ticks=49_800, eth_btc_bid_ticks=49_790)
    assert strategy.cycles_stopped == 1
    assert strategy.execution is None
    assert node.exec_engine.denied_count == 1
    assert node.cache.orders()[0].status == OrderStatus.DENIED


def test_config_with_a_non_positive_notional_names_the_field():
    with pytest.raises(msgspec.ValidationError, match=r"\$\.trade_notional"):
        TriArbConfig(trade_notional="0")


def test_a_start_asset_outside_the_graph_is_refused_at_start():
    with pytest.raises(ValueError, match="start_asset"):
        start(start_asset="EUR")


def test_books_within_the_age_limit_trade():
    node, _ = start(max_book_age_ms=2000.0)
    feed_book(node, BTCUSDT, [(6_000_000, DEEP)], [(6_000_001, DEEP)])
    feed_book(node, ETHUSDT, [(300_000, DEEP)], [(300_001, DEEP)])
    node.clock.advance_time(TS_EVENT + 1_500_000_000)
    feed_book(node, ETHBTC, [(49_790, DEEP)], [(49_800, DEEP)])
    assert len(submitted(node)) == 1
