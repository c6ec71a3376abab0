"""Benchmarks of the shadow ledger: ``Portfolio.on_order_event`` on fills and order events.

Run: ``python -m pytest tests/benchmarks/test_portfolio.py --benchmark-only -s``. Every
benchmark prints its ns/op (median). Targets (2-core machine): a spot fill with its fee in the
quote asset <= 1.0 us; an accepted, canceled or updated event <= 150 ns.

The node is the production wiring (``tests/unit/risk/harness.py``), with the instruments of
the backtest benchmark: Binance spot (tick 0.01, lot 0.00001, notional at 1e-7 USDT) and OKX
spot (tick 0.1, lot 0.00000001, notional at 1e-9 USDT). Each starts long 0.2 BTC with four of
our orders resting around 100,000 USDT. A fill cycle is four fills of one resting order that
add to the position at two prices (the average entry stops being a round number) and then
close part of it at two others (realizing PnL), each paying a fee in USDT; the cycle ends where
it started, so it repeats. The event rows time one event on a resting order holding a
reservation, as the risk benchmarks do. The node is frozen out of the garbage collector
(``gc.freeze``) before timing, as the backtest runner freezes it before a replay.
"""

import gc
from decimal import Decimal

import pytest

from hftcore.model.enums import OrderStatus, Side
from hftcore.model.money import Money
from tests.builders.events import (
    make_order_accepted,
    make_order_canceled,
    make_order_filled,
    make_order_updated,
)
from tests.unit.risk.harness import OKX_SPOT, SPOT, Harness, balances

BATCH = 1_000  # events per timed round
ROUNDS = 50
CYCLES = 250  # fill cycles per timed round (4 fills each)

VENUES = {
    # instrument id -> (ticks of 100,000 USDT, lots of 0.2 BTC, lots of a small fill)
    "binance": (SPOT, 10_000_000, 20_000, 7),
    "okx": (OKX_SPOT, 1_000_000, 20_000_000, 7_003),
}


def report(benchmark, label, batch=1):
    ns_per_op = benchmark.stats.stats.median * 1e9 / batch
    benchmark.extra_info["ns_per_op"] = ns_per_op
    print(f"\n{label}: {ns_per_op:.1f} ns/op (median)")


def trading_node(venue):
    """Return the harness, a resting buy order and the (ticks, lots) scale of ``venue``."""
    instrument_id, p100k_ticks, position_lots, fill_lots = VENUES[venue]
    harness = Harness(
        None,
        balances(
            ("BINANCE", "USDT", "1000000000"),
            ("BINANCE", "BTC", "1000"),
            ("OKX", "USDT", "1000000000"),
            ("OKX", "BTC", "1000"),
        ),
    )
    harness.position(Side.BUY, position_lots, p100k_ticks, instrument_id)
    harness.book(p100k_ticks - 100, p100k_ticks + 100, instrument_id)
    for side, offset_ticks in ((Side.BUY, -500), (Side.BUY, -1_000), (Side.SELL, 500)):
        order = harness.limit(side, position_lots, p100k_ticks + offset_ticks, instrument_id)
        assert order.status == OrderStatus.SUBMITTED
    resting = next(
        o
        for o in harness.node.cache.open_orders(instrument_id)
        if o.price_ticks == p100k_ticks - 500
    )
    gc.collect()
    gc.freeze()  # as backtest.runner does before a replay
    return harness, resting, p100k_ticks, fill_lots


def fill_cycle(order, p100k_ticks, fill_lots):
    """Return four fills of ``order`` that add 2 lots-sizes then close them: net zero."""
    ids = {
        "strategy_id": order.strategy_id,
        "instrument_id": order.instrument_id,
        "client_order_id": order.client_order_id,
        "venue_order_id": f"V-{order.client_order_id.value}",
    }
    legs = (
        (Side.BUY, p100k_ticks - 500, fill_lots, "0.0137"),
        (Side.BUY, p100k_ticks - 497, 2 * fill_lots, "0.0274"),
        (Side.SELL, p100k_ticks - 481, fill_lots + 2, "0.0133"),
        (Side.SELL, p100k_ticks - 510, 2 * fill_lots - 2, "0.0261"),
    )
    return [
        make_order_filled(
            price_ticks, lots, side, fee=Money.from_str(fee, "USDT"), trade_id=f"F-{n}", **ids
        )
        for n, (side, price_ticks, lots, fee) in enumerate(legs)
    ]


@pytest.mark.parametrize("venue", sorted(VENUES))
def test_portfolio_on_spot_fills_with_fees_in_the_quote(benchmark, venue):
    harness, order, p100k_ticks, fill_lots = trading_node(venue)
    fills = fill_cycle(order, p100k_ticks, fill_lots) * CYCLES
    portfolio = harness.portfolio
    on_order_event = portfolio.on_order_event
    lots_before = portfolio.net_position_lots(order.instrument_id)

    def replay():
        for fill in fills:
            on_order_event(fill)

    benchmark.pedantic(replay, rounds=ROUNDS, warmup_rounds=1)
    gc.unfreeze()
    assert portfolio.net_position_lots(order.instrument_id) == lots_before
    assert portfolio.position(order.instrument_id).realized_pnl != Decimal(0)
    report(benchmark, f"portfolio.on_order_event(OrderFilled), {venue}, per fill", len(fills))


@pytest.mark.parametrize("which", ["accepted", "canceled", "updated"])
@pytest.mark.parametrize("venue", sorted(VENUES))
def test_portfolio_on_an_order_event_of_a_resting_order(benchmark, venue, which):
    harness, order, _, _ = trading_node(venue)
    ids = (order.strategy_id, order.instrument_id, order.client_order_id)
    venue_order_id = f"V-{order.client_order_id.value}"
    event = {
        "accepted": make_order_accepted(venue_order_id, *ids),
        "canceled": make_order_canceled(*ids),
        "updated": make_order_updated(order.price_ticks, order.quantity_lots, venue_order_id, *ids),
    }[which]
    portfolio = harness.portfolio
    reserved = portfolio.reserved(order.client_order_id)
    assert reserved is not None
    benchmark.pedantic(
        portfolio.on_order_event, (event,), iterations=BATCH, rounds=ROUNDS, warmup_rounds=1
    )
    gc.unfreeze()
    assert portfolio.reserved(order.client_order_id) == reserved
    report(benchmark, f"portfolio.on_order_event({which}), {venue}")
