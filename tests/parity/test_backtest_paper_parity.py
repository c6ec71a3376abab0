"""Parity: one strategy, one data set, the same orders in backtest and in a paper-style loop.

The backtest replays a catalog through ``BacktestEngine`` (Cython rows, books kept in place).
The paper loop is what a live-style node does: each event object goes through
``DataEngine.process`` and the same events reach a ``SimulatedVenue`` (``apply_market_data``)
behind a ``SimExecutionClient``; commands, reports and timers are processed in time order. With
``ts_event == ts_recv`` (the venue and the strategy see the data at the same time, as a paper
venue fed by the live stream does) both must produce the same orders, fills and final states.
"""

import random
from decimal import Decimal

import pytest

from adapters.sim import SimExecutionClient
from backtest.account import SimAccount
from backtest.config import parse_latency, parse_queue_model
from backtest.matching.venue import SimulatedVenue
from backtest.models.fees import FeeSchedule
from backtest.runner import build_backtest
from hftcore.model.data import BookDelta, BookDeltas, Trade
from hftcore.model.enums import AggressorSide, BookAction, Environment, OrderType, Side
from hftcore.model.identifiers import TradeId, Venue
from hftcore.node.node import TradingNode
from hftcore.portfolio import InitialBalance, Portfolio, PortfolioConfig
from hftcore.risk import RiskEngine
from hftcore.strategy.config import StrategyConfig
from hftcore.strategy.strategy import Strategy
from tests.builders.backtest import book_rows, make_simple_instrument, trade_rows, write_catalog

T0 = 1_700_000_000_000_000_000
IID = "BTCUSDT.BINANCE"
LATENCY = "constant:entry=1ms,response=1ms"
BALANCES = {"USDT": "1000000", "BTC": "1000"}


class QuoteChaser(Strategy):
    """Joins one tick behind the best bid and ask on quotes; flattens every 100 ms."""

    def on_start(self) -> None:
        self.subscribe_quotes(IID)
        self.subscribe_trades(IID)
        self.set_timer("flatten", 100_000_000)

    def on_quote(self, quote) -> None:
        if self.open_orders(IID):
            return
        self.limit(IID, Side.BUY, 2, quote.bid_price_ticks)
        self.limit(IID, Side.SELL, 2, quote.ask_price_ticks)

    def on_trade(self, trade) -> None:
        if trade.size_lots > 12:
            self.limit(IID, Side.BUY, 1, trade.price_ticks - 1)

    def on_timer(self, event) -> None:
        self.cancel_all()
        self.market(IID, Side.SELL, 1)


def market_rows(seed: int = 5, count: int = 600):
    """Random-walk book messages and trades at distinct, odd nanosecond times."""
    rng = random.Random(seed)
    book, trades = [], []
    mid = 1_000
    time_ns = T0
    for _ in range(count):
        time_ns += rng.randint(1_000_000, 9_000_000) + rng.randint(1, 999)
        if rng.random() < 0.25:
            side = rng.choice([int(AggressorSide.BUYER), int(AggressorSide.SELLER)])
            price = mid + 1 if side == AggressorSide.BUYER else mid - 1
            trades.append((time_ns, time_ns, price, rng.randint(1, 25), side))
            continue
        mid += rng.choice([-1, 0, 0, 1])
        book.append((time_ns, time_ns, 1, mid - 1, rng.randint(5, 30), 0))
        book.append((time_ns, time_ns, 1, mid - 3, 0, 0))
        book.append((time_ns, time_ns, 2, mid + 3, 0, 0))
        book.append((time_ns, time_ns, 2, mid + 1, rng.randint(5, 30), 1))
    return book, trades


def as_events(instrument, book, trades):
    """The same rows as event objects, in receive order (book before trades at equal time)."""
    events = []
    batch = []
    for ts_recv, ts_event, side, price, size, flags in book:
        batch.append(
            BookDelta(
                instrument.id,
                BookAction.DELETE if size == 0 else BookAction.UPDATE,
                Side.BUY if side == 1 else Side.SELL,
                price,
                size,
                0,
                bool(flags & 1),
                ts_event,
                ts_recv,
            )
        )
        if flags & 1:
            events.append((ts_recv, 0, BookDeltas(instrument.id, batch)))
            batch = []
    for index, (ts_recv, ts_event, price, size, aggressor) in enumerate(trades):
        trade = Trade(
            instrument.id, price, size, AggressorSide(aggressor), TradeId(f"t{index}"),
            ts_event, ts_recv,
        )  # fmt: skip
        events.append((ts_recv, 1, trade))
    return [event for _, _, event in sorted(events, key=lambda item: item[:2])]


def run_paper(instrument, events, queue_model: str):
    # The live node's risk engine and portfolio, as the backtest runner builds them.
    portfolio = Portfolio(
        PortfolioConfig(
            balances=[
                InitialBalance(venue="BINANCE", asset=asset, amount=Decimal(amount))
                for asset, amount in BALANCES.items()
            ]
        )
    )
    node = TradingNode(Environment.BACKTEST, risk_engine=RiskEngine(), portfolio=portfolio)
    node.add_instrument(instrument)
    venue = SimulatedVenue(
        Venue("BINANCE"), parse_latency(LATENCY, 0), SimAccount("BINANCE", BALANCES)
    )
    venue.add_instrument(
        instrument,
        FeeSchedule(instrument.maker_fee, instrument.taker_fee),
        parse_queue_model(queue_model),
        node.cache.book(instrument.id),
    )
    client = SimExecutionClient(venue, node.clock)
    node.add_execution_client(client)
    strategy = QuoteChaser(StrategyConfig(instruments=[IID]))
    node.add_strategy(strategy)

    def settle(before_ns: int) -> None:
        # Venue commands, reports and timers due before ``before_ns``, in time order.
        while True:
            next_ns = min(venue.next_command_ns, venue.reports.next_ns, node.clock.next_timer_ns())
            if next_ns >= before_ns:
                return
            if venue.next_command_ns == next_ns:
                venue.process_commands_until(next_ns)
            elif venue.reports.next_ns == next_ns:
                node.clock.set_time(next_ns)
                client.deliver_reports(node.exec_engine, next_ns)
            else:
                node.clock.advance_time(next_ns)

    node.clock.set_time(events[0].ts_recv)
    node.start()
    for event in events:
        settle(event.ts_recv)
        venue.apply_market_data(event)
        node.clock.set_time(event.ts_recv)
        node.data_engine.process(event)
    node.stop()
    while venue.next_command_ns != 2**63 - 1 or len(venue.reports):
        next_ns = min(venue.next_command_ns, venue.reports.next_ns)
        if venue.next_command_ns == next_ns:
            venue.process_commands_until(next_ns)
        else:
            node.clock.advance_time(next_ns)
            client.deliver_reports(node.exec_engine, next_ns)
    return node


def run_backtest(tmp_path, instrument, book, trades, queue_model: str):
    write_catalog(
        tmp_path / "catalog",
        [instrument],
        {("book", IID): book_rows(book), ("trades", IID): trade_rows(trades)},
    )
    config = tmp_path / "parity.toml"
    config.write_text(
        f'[backtest]\nlatency = "{LATENCY}"\nqueue_model = "{queue_model}"\n'
        f'[backtest.venues.BINANCE]\nbalances = {{ USDT = "1000000", BTC = "1000" }}\n'
    )
    strategy = QuoteChaser(StrategyConfig(instruments=[IID]))
    run = build_backtest(
        "parity.py", config_file=config, data=tmp_path / "catalog", strategy=strategy
    )
    run.run()
    return run.node


def order_records(node):
    return [
        (
            o.client_order_id.value,
            Side(o.side).name,
            OrderType(o.order_type).name,
            o.price_ticks,
            o.quantity_lots,
            o.filled_lots,
            o.avg_fill_price_ticks,
            o.status,
            o.ts_init,
            o.ts_last,
        )
        for o in sorted(node.cache.orders(), key=lambda o: o.client_order_id.value)
    ]


@pytest.mark.parametrize("queue_model", ["risk_averse", "power:2"])
def test_backtest_and_paper_loop_produce_the_same_orders(tmp_path, queue_model):
    instrument = make_simple_instrument()
    book, trades = market_rows()
    backtest_orders = order_records(run_backtest(tmp_path, instrument, book, trades, queue_model))
    paper_orders = order_records(
        run_paper(instrument, as_events(instrument, book, trades), queue_model)
    )
    assert len(backtest_orders) > 50
    assert any(record[5] > 0 for record in backtest_orders)  # some orders filled
    assert backtest_orders == paper_orders
