"""Tests of the two-leg cross-exchange arbitrage driven through a backtest trading node."""

import msgspec
import pytest

from hftcore.model.enums import Side, TimeInForce
from hftcore.portfolio.ledger import Portfolio
from hftcore.strategy.loader import load_strategy_class
from strategies.xex_arb import XexArb, XexArbConfig
from tests.builders.events import TS_EVENT, make_balance_update, make_order_filled
from tests.builders.instruments import make_instrument
from tests.unit.strategies.harness import accept, expire, feed_book, fill, make_node, submitted

BINANCE = "BTCUSDT.BINANCE"
OKX = "BTC-USDT.OKX"
BINANCE_LOTS = 1_000  # 0.01 BTC at lot 0.00001
OKX_LOTS = 1_000_000  # 0.01 BTC at lot 0.00000001
MS = 1_000_000


def instruments(fee="0"):
    return [
        make_instrument("BTCUSDT", "BINANCE", taker_fee=fee, min_notional="0"),
        make_instrument(
            "BTC-USDT",
            "OKX",
            tick_size="0.1",
            lot_size="0.00000001",
            taker_fee=fee,
            min_notional="0",
        ),
    ]


def start(fee="0", **config):
    settings = {
        "risk_premium_bps": 10.0,
        "latency_buffer_bps_per_ms": 0.0,
        "order_size": "0.01",
        "max_position": "1",
        "cooldown_ms": 0.0,
        **config,
    }
    strategy = XexArb(XexArbConfig(**settings))
    node = make_node(instruments(fee), strategy)
    return node, strategy


def books(node, okx_bid_ticks, binance_asks=((100_000, BINANCE_LOTS),), okx_bids=None, **stamps):
    """Binance asks from 1000.00 USDT; OKX bids at ``okx_bid_ticks`` (0.1 USDT ticks)."""
    feed_book(node, BINANCE, [(99_990, BINANCE_LOTS)], list(binance_asks))
    okx_bids = [(okx_bid_ticks, OKX_LOTS)] if okx_bids is None else okx_bids
    feed_book(node, OKX, okx_bids, [(okx_bid_ticks + 1, OKX_LOTS)], **stamps)


def sent(node):
    return submitted(node, "BINANCE") + submitted(node, "OKX")


def test_default_config_trades_the_two_sample_venues():
    assert XexArbConfig().instruments == [BINANCE, OKX]


def test_the_strategy_file_defines_one_loadable_strategy():
    assert load_strategy_class("strategies/xex_arb.py").__name__ == "XexArb"


def test_triggers_just_above_the_required_edge():
    node, strategy = start()
    books(node, 10_011)  # 1001.1 vs 1000.00: 11 bp > 10 bp
    buy, sell = submitted(node, "BINANCE"), submitted(node, "OKX")
    assert [(o.side, o.quantity_lots, o.price_ticks) for o in buy] == [
        (Side.BUY, BINANCE_LOTS, 100_000)
    ]
    assert [(o.side, o.quantity_lots, o.price_ticks) for o in sell] == [
        (Side.SELL, OKX_LOTS, 10_011)
    ]
    assert strategy.arbitrage_count == 1


def test_both_legs_are_ioc():
    node, _ = start()
    books(node, 10_011)
    assert {o.time_in_force for o in sent(node)} == {TimeInForce.IOC}


def test_does_not_trigger_just_below_the_required_edge():
    node, _ = start()
    books(node, 10_009)  # 9 bp < 10 bp
    assert sent(node) == []


def test_taker_fees_count_against_the_edge():
    node, _ = start(fee="0.0005")  # 11 bp gross, about 1 bp after two 5 bp fees
    books(node, 10_011)
    assert sent(node) == []


def test_size_stops_at_the_depth_that_still_pays():
    node, _ = start()
    # 0.003 BTC at 1000.00 pays 11 bp; the next ask, 1000.50, only 6 bp.
    books(node, 10_011, binance_asks=[(100_000, 300), (100_050, 5_000)])
    buy, sell = submitted(node, "BINANCE")[0], submitted(node, "OKX")[0]
    assert (buy.quantity_lots, sell.quantity_lots) == (300, 300_000)
    assert buy.price_ticks == 100_000


def test_size_walks_several_profitable_levels_with_the_deepest_as_limit():
    node, _ = start()
    books(node, 10_015, binance_asks=[(100_000, 300), (100_030, 300), (100_200, 5_000)])
    buy = submitted(node, "BINANCE")[0]
    assert buy.quantity_lots == 600
    assert buy.price_ticks == 100_030


def test_size_is_capped_by_the_order_size():
    node, _ = start(order_size="0.002")
    books(node, 10_011)
    assert [o.quantity_lots for o in sent(node)] == [200, 200_000]


def test_size_is_capped_by_the_position_limit_per_venue():
    node, _ = start(max_position="0.004")
    books(node, 10_011)
    assert [o.quantity_lots for o in sent(node)] == [400, 400_000]


def test_a_stale_book_blocks_a_trade():
    node, _ = start(max_book_age_ms=250.0)
    feed_book(node, OKX, [(10_011, OKX_LOTS)], [(10_012, OKX_LOTS)])
    node.clock.set_time(TS_EVENT + 300 * MS)
    feed_book(node, BINANCE, [(99_990, BINANCE_LOTS)], [(100_000, BINANCE_LOTS)])
    assert sent(node) == []


def test_a_book_lagging_its_venue_blocks_a_trade():
    node, _ = start(max_feed_lag_ms=500.0)
    books(node, 10_011, ts_event=TS_EVENT - 600 * MS)
    assert sent(node) == []


def test_a_fresh_book_within_both_limits_trades():
    node, _ = start(max_book_age_ms=250.0, max_feed_lag_ms=500.0)
    feed_book(node, OKX, [(10_011, OKX_LOTS)], [(10_012, OKX_LOTS)], ts_event=TS_EVENT - 400 * MS)
    node.clock.set_time(TS_EVENT + 200 * MS)
    feed_book(node, BINANCE, [(99_990, BINANCE_LOTS)], [(100_000, BINANCE_LOTS)])
    assert len(sent(node)) == 2


def test_measured_feed_latency_raises_the_required_edge():
    # 200 ms of OKX feed latency at 0.01 bp/ms adds 2 bp: 11 bp no longer pays 10 + 2.
    node, _ = start(latency_buffer_bps_per_ms=0.01)
    books(node, 10_011, ts_event=TS_EVENT - 200 * MS)
    assert sent(node) == []


def test_no_new_arbitrage_while_one_is_in_flight():
    node, _ = start()
    books(node, 10_011)
    books(node, 10_020)
    assert len(sent(node)) == 2


def legs_sent(node):
    buy, sell = submitted(node, "BINANCE")[0], submitted(node, "OKX")[0]
    accept(node, buy)
    accept(node, sell)
    return buy, sell


def test_both_legs_filled_settle_without_repair():
    node, strategy = start()
    books(node, 10_011)
    buy, sell = legs_sent(node)
    fill(node, buy)
    fill(node, sell)
    assert strategy.active is None
    assert strategy.repair_count == 0
    assert [leg.position_lots for leg in strategy.legs] == [BINANCE_LOTS, -OKX_LOTS]


def test_a_one_leg_fill_is_hedged_on_the_venue_that_missed():
    node, strategy = start(leg_policy="hedge", repair_slippage_bps=10.0)
    books(node, 10_011)
    buy, sell = legs_sent(node)
    fill(node, buy)
    expire(node, sell)
    hedge = submitted(node, "OKX")[-1]
    assert (hedge.side, hedge.quantity_lots, hedge.time_in_force) == (
        Side.SELL,
        OKX_LOTS,
        TimeInForce.IOC,
    )
    assert hedge.price_ticks == 10_000  # floor(10_011 * (1 - 10 bp))
    assert strategy.repair_count == 1


def test_a_one_leg_fill_is_unwound_on_the_venue_that_filled():
    node, _ = start(leg_policy="unwind")
    books(node, 10_011)
    buy, sell = legs_sent(node)
    fill(node, buy)
    expire(node, sell)
    unwind = submitted(node, "BINANCE")[-1]
    assert (unwind.side, unwind.quantity_lots) == (Side.SELL, BINANCE_LOTS)


def test_a_partial_fill_hedges_only_the_residual():
    node, _ = start()
    books(node, 10_011)
    buy, sell = legs_sent(node)
    fill(node, buy)
    fill(node, sell, qty_lots=400_000)
    expire(node, sell)
    hedge = submitted(node, "OKX")[-1]
    assert (hedge.side, hedge.quantity_lots) == (Side.SELL, 600_000)


def test_a_sell_leg_without_its_buy_is_hedged_by_buying():
    node, _ = start()
    books(node, 10_011)
    buy, sell = legs_sent(node)
    expire(node, buy)
    fill(node, sell)
    hedge = submitted(node, "BINANCE")[-1]
    assert (hedge.side, hedge.quantity_lots) == (Side.BUY, BINANCE_LOTS)


def test_a_filled_hedge_completes_the_arbitrage():
    node, strategy = start()
    books(node, 10_011)
    buy, sell = legs_sent(node)
    fill(node, buy)
    expire(node, sell)
    hedge = submitted(node, "OKX")[-1]
    accept(node, hedge)
    fill(node, hedge)
    assert strategy.active is None
    assert not strategy.is_halted


def test_repairs_that_keep_failing_halt_the_strategy():
    node, strategy = start(max_repair_attempts=2)
    books(node, 10_011)
    buy, sell = legs_sent(node)
    fill(node, buy)
    expire(node, sell)
    for _ in range(2):
        hedge = submitted(node, "OKX")[-1]
        accept(node, hedge)
        expire(node, hedge)
    assert strategy.is_halted
    assert strategy.active is None
    books(node, 10_020)
    assert len(submitted(node, "BINANCE")) == 1


def test_a_residual_below_one_lot_is_left_unmatched():
    node, strategy = start()
    books(node, 10_011)
    buy, sell = legs_sent(node)
    fill(node, buy)
    fill(node, sell, qty_lots=OKX_LOTS - 5)  # 5e-8 BTC short of the buy
    expire(node, sell)
    assert strategy.active is None
    assert str(strategy.unmatched_base) == "5E-8"


def test_the_reverse_direction_trades_too():
    node, _ = start()
    feed_book(node, BINANCE, [(100_200, BINANCE_LOTS)], [(100_210, BINANCE_LOTS)])
    feed_book(node, OKX, [(9_999, OKX_LOTS)], [(10_000, OKX_LOTS)])
    assert {(o.instrument_id.value, o.side) for o in sent(node)} == {
        (OKX, Side.BUY),
        (BINANCE, Side.SELL),
    }


def test_config_with_one_instrument_names_the_field():
    with pytest.raises(msgspec.ValidationError, match=r"\$\.instruments"):
        XexArbConfig(instruments=[BINANCE])


def test_config_with_a_bad_alpha_names_the_field():
    with pytest.raises(msgspec.ValidationError, match=r"\$\.latency_ewma_alpha"):
        XexArbConfig(latency_ewma_alpha=0.0)


def test_configured_taker_fees_override_the_instruments():
    node, _ = start(
        fee="0.0005", taker_fees={BINANCE: "0", OKX: "0"}
    )  # the instruments' 5 bp would block 11 bp; the VIP override of 0 does not
    books(node, 10_011)
    assert len(sent(node)) == 2


def test_config_with_a_fee_for_an_unknown_instrument_names_the_field():
    with pytest.raises(msgspec.ValidationError, match=r"\$\.taker_fees"):
        XexArbConfig(taker_fees={"ETHUSDT.BINANCE": "0.0002"})


def start_with_balances(balances):
    portfolio = Portfolio()
    strategy = XexArb(
        XexArbConfig(
            risk_premium_bps=10.0,
            latency_buffer_bps_per_ms=0.0,
            order_size="0.01",
            max_position="1",
            cooldown_ms=0.0,
        )
    )
    node = make_node(instruments(), strategy, portfolio=portfolio)
    for venue, asset, free in balances:
        portfolio.on_balance_update(make_balance_update(venue, asset, free))
    return node, strategy


def test_the_buy_venues_quote_balance_caps_the_size():
    node, _ = start_with_balances([("BINANCE", "USDT", "5.0"), ("OKX", "BTC", "1")])
    books(node, 10_011)  # 5 USDT buys 0.005 BTC at 1000.00
    assert [o.quantity_lots for o in sent(node)] == [500, 500_000]


def test_the_sell_venues_base_balance_caps_the_size():
    node, _ = start_with_balances([("BINANCE", "USDT", "100000"), ("OKX", "BTC", "0.003")])
    books(node, 10_011)
    assert [o.quantity_lots for o in sent(node)] == [300, 300_000]


def test_no_balance_on_the_portfolio_means_no_trade():
    node, _ = start_with_balances([])
    books(node, 10_011)
    assert sent(node) == []


def test_positions_start_from_the_portfolio():
    portfolio = Portfolio()
    node = make_node(instruments(), XexArb(XexArbConfig(strategy_id="OTHER")), portfolio=portfolio)
    portfolio.on_order_event(make_order_filled(instrument_id=BINANCE, last_qty_lots=300))
    strategy = XexArb()
    node.add_strategy(strategy)
    strategy.on_start()
    assert [leg.position_lots for leg in strategy.legs] == [300, 0]
