"""Tests of the trading node: strategy -> risk seam -> OMS -> execution client, and back."""

import pytest

from hftcore.errors import ConfigError, HftError
from hftcore.model.enums import Environment, LiquiditySide, OrderStatus, Side, TimeInForce
from hftcore.model.identifiers import InstrumentId, TradeId, Venue, VenueOrderId
from hftcore.model.money import Money
from hftcore.model.order_events import OrderAccepted, OrderCanceled, OrderDenied, OrderFilled
from hftcore.node.interfaces import ExecutionClient
from hftcore.node.node import TradingNode
from hftcore.strategy.config import StrategyConfig
from hftcore.strategy.strategy import Strategy, StrategyNotRunningError
from tests.builders.events import make_book_deltas, make_trade
from tests.builders.instruments import make_instrument

BTC = InstrumentId.from_str("BTCUSDT.BINANCE")


class RecordingClient(ExecutionClient):
    """Venue double: records what the OMS sends it."""

    def __init__(self, venue="BINANCE"):
        self.venue = Venue(venue)
        self.submitted = []
        self.canceled = []
        self.modified = []

    def submit_order(self, order):
        self.submitted.append(order)

    def cancel_order(self, order):
        self.canceled.append(order)

    def modify_order(self, order, price_ticks, quantity_lots):
        self.modified.append((order, price_ticks, quantity_lots))


class DenyAbove:
    """Risk engine double denying orders larger than a size."""

    def __init__(self, max_lots):
        self.max_lots = max_lots

    def check_order(self, order):
        if order.quantity_lots <= self.max_lots:
            return None
        return OrderDenied(
            order.strategy_id,
            order.instrument_id,
            order.client_order_id,
            "MAX_ORDER_QUANTITY",
            f"quantity {order.quantity_lots} > {self.max_lots}",
        )


class Recorder(Strategy):
    def __init__(self, config=None):
        super().__init__(config)
        self.calls = []

    def on_start(self):
        self.calls.append("start")

    def on_stop(self):
        self.calls.append("stop")

    def on_book(self, book):
        self.calls.append(("book", book.best_bid_price_ticks))

    def on_quote(self, quote):
        self.calls.append(("quote", quote.bid_price_ticks, quote.ask_price_ticks))

    def on_trade(self, trade):
        self.calls.append(("trade", trade.price_ticks))

    def on_order_update(self, event):
        self.calls.append(("order", type(event).__name__))

    def on_fill(self, fill):
        self.calls.append(("fill", fill.last_qty_lots))


@pytest.fixture
def node():
    node = TradingNode(Environment.BACKTEST)
    node.add_instrument(make_instrument())
    node.add_execution_client(RecordingClient())
    return node


@pytest.fixture
def strategy(node):
    strategy = Recorder()
    node.add_strategy(strategy)
    return strategy


def test_strategy_actions_before_registration_say_what_to_do():
    with pytest.raises(StrategyNotRunningError, match="add_strategy"):
        Recorder().subscribe_book(BTC)


@pytest.mark.parametrize(
    "action",
    [
        lambda s: s.limit(BTC, Side.BUY, 1, 100),
        lambda s: s.post_only(BTC, Side.BUY, 1, 100),
        lambda s: s.market(BTC, Side.BUY, 1),
        lambda s: s.cancel_all(),
        lambda s: s.book(BTC),
        lambda s: s.instrument(BTC),
    ],
    ids=["limit", "post_only", "market", "cancel_all", "book", "instrument"],
)
def test_order_and_cache_actions_before_registration_say_what_to_do(action):
    with pytest.raises(StrategyNotRunningError, match="add_strategy"):
        action(Recorder())


def test_strategy_orders_accept_an_instrument_id_string(node, strategy):
    order = strategy.limit(BTC.value, Side.BUY, 1, 100)
    market = strategy.market(BTC.value, Side.SELL, 1)

    assert order.instrument_id == BTC
    assert market.instrument_id == BTC
    assert strategy.book(BTC.value) is node.cache.book(BTC)
    assert strategy.instrument(BTC.value) is node.cache.instrument(BTC)


def test_start_and_stop_call_the_hooks(node, strategy):
    node.start()
    node.stop()
    assert strategy.calls == ["start", "stop"]


def test_subscribed_book_quote_and_trade_reach_the_strategy(node, strategy):
    strategy.subscribe_book("BTCUSDT.BINANCE")
    strategy.subscribe_quotes(BTC)
    strategy.subscribe_trades(BTC)
    node.data_engine.process(make_book_deltas([(Side.BUY, 100, 1), (Side.SELL, 101, 1)]))
    node.data_engine.process(make_trade(price_ticks=101))
    assert strategy.calls == [("book", 100), ("quote", 100, 101), ("trade", 101)]


def test_subscribing_to_an_instrument_the_node_lacks_is_an_error(strategy):
    with pytest.raises(HftError, match=r"ETHUSDT\.BINANCE"):
        strategy.subscribe_book("ETHUSDT.BINANCE")


def test_limit_order_reaches_the_execution_client_as_submitted(node, strategy):
    order = strategy.limit(BTC, Side.BUY, 3, 100)
    client = node.exec_clients["BINANCE"]
    assert client.submitted == [order]
    assert order.status == OrderStatus.SUBMITTED
    assert order.time_in_force == TimeInForce.GTC
    assert strategy.calls == [("order", "OrderSubmitted")]
    assert strategy.open_orders(BTC) == [order]


def test_risk_denial_never_reaches_the_venue_and_is_reported(node, strategy):
    node.set_risk_engine(DenyAbove(max_lots=5))
    order = strategy.limit(BTC, Side.SELL, 6, 100)
    assert node.exec_clients["BINANCE"].submitted == []
    assert order.status == OrderStatus.DENIED
    assert strategy.calls == [("order", "OrderDenied")]


def test_accept_and_fill_reports_update_the_order_and_call_on_fill(node, strategy):
    order = strategy.post_only(BTC, Side.BUY, 4, 100)
    node.exec_engine.process(
        OrderAccepted(order.strategy_id, BTC, order.client_order_id, VenueOrderId("V1"))
    )
    node.exec_engine.process(
        OrderFilled(
            order.strategy_id,
            BTC,
            order.client_order_id,
            VenueOrderId("V1"),
            TradeId("T1"),
            Side.BUY,
            100,
            4,
            LiquiditySide.MAKER,
            Money.from_str("0.01", "USDT"),
        )
    )
    assert order.status == OrderStatus.FILLED
    assert order.filled_lots == 4
    assert strategy.calls[-3:] == [
        ("order", "OrderAccepted"),
        ("order", "OrderFilled"),
        ("fill", 4),
    ]
    assert strategy.open_orders() == []


def _accept_and_fill(node, order):
    node.exec_engine.process(
        OrderAccepted(order.strategy_id, BTC, order.client_order_id, VenueOrderId("V1"))
    )
    node.exec_engine.process(
        OrderFilled(
            order.strategy_id,
            BTC,
            order.client_order_id,
            VenueOrderId("V1"),
            TradeId("T1"),
            Side.BUY,
            100,
            4,
            LiquiditySide.MAKER,
            Money.from_str("0.01", "USDT"),
        )
    )


class UpdateRecorder(Strategy):
    def on_order_update(self, event):
        self.calls.append(type(event).__name__)


class FillRecorder(Strategy):
    def on_fill(self, fill):
        self.calls.append(fill.last_qty_lots)


def test_a_strategy_overriding_only_on_order_update_gets_every_order_event(node):
    strategy = UpdateRecorder(StrategyConfig(strategy_id="U1"))
    strategy.calls = []
    node.add_strategy(strategy)
    _accept_and_fill(node, strategy.post_only(BTC, Side.BUY, 4, 100))
    assert strategy.calls[-2:] == ["OrderAccepted", "OrderFilled"]


def test_a_strategy_overriding_only_on_fill_gets_its_fills(node):
    strategy = FillRecorder(StrategyConfig(strategy_id="F1"))
    strategy.calls = []
    node.add_strategy(strategy)
    _accept_and_fill(node, strategy.post_only(BTC, Side.BUY, 4, 100))
    assert strategy.calls == [4]


def test_a_strategy_without_order_callbacks_leaves_its_order_topic_unsubscribed(node):
    strategy = Strategy(StrategyConfig(strategy_id="N1"))
    node.add_strategy(strategy)
    assert not node.bus.has_subscribers(node.exec_engine.order_topic(strategy.id))


def test_cancel_all_on_stop_cancels_what_the_strategy_left_open(node, strategy):
    node.start()
    order = strategy.limit(BTC, Side.BUY, 1, 100)
    node.exec_engine.process(
        OrderAccepted(order.strategy_id, BTC, order.client_order_id, VenueOrderId("V9"))
    )
    node.stop()
    assert node.exec_clients["BINANCE"].canceled == [order]


def test_a_strategy_cannot_cancel_another_strategys_order(node, strategy):
    other = Recorder(StrategyConfig(strategy_id="S2"))
    node.add_strategy(other)
    order = strategy.limit(BTC, Side.BUY, 1, 100)
    with pytest.raises(HftError, match="belongs to strategy"):
        other.cancel(order)


def test_a_strategy_cannot_modify_another_strategys_order(node, strategy):
    other = Recorder(StrategyConfig(strategy_id="S2"))
    node.add_strategy(other)
    order = strategy.limit(BTC, Side.BUY, 1, 100)
    with pytest.raises(HftError, match="belongs to strategy"):
        other.modify(order, price_ticks=101)


def test_strategy_cancels_and_modifies_its_open_orders_by_order_or_id(node, strategy):
    client = node.exec_clients["BINANCE"]
    first = strategy.limit(BTC, Side.BUY, 1, 100)
    second = strategy.limit(BTC, Side.BUY, 1, 100)
    for order, venue_order_id in ((first, "V1"), (second, "V2")):
        node.exec_engine.process(
            OrderAccepted(
                order.strategy_id, BTC, order.client_order_id, VenueOrderId(venue_order_id)
            )
        )

    strategy.modify(first, price_ticks=99)
    strategy.modify(second.client_order_id, quantity_lots=2)
    strategy.cancel(first)
    strategy.cancel(second.client_order_id)

    assert client.modified == [(first, 99, 1), (second, 100, 2)]
    assert client.canceled == [first, second]
    assert first.status == second.status == OrderStatus.PENDING_CANCEL


def test_canceling_a_closed_order_is_ignored_with_a_warning(node, strategy, caplog):
    order = strategy.limit(BTC, Side.BUY, 1, 100)
    node.exec_engine.process(OrderCanceled(order.strategy_id, BTC, order.client_order_id))
    strategy.cancel(order)
    strategy.modify(order, price_ticks=99)
    assert node.exec_clients["BINANCE"].canceled == []
    assert "order already closed" in caplog.text


def test_two_strategies_with_one_id_are_refused(node, strategy):
    with pytest.raises(ConfigError, match="S1"):
        node.add_strategy(Recorder())


def test_timer_calls_on_timer_in_data_time(node):
    fired = []

    class Timed(Strategy):
        def on_start(self):
            self.set_timer("requote", 100)

        def on_timer(self, event):
            fired.append((event.name, event.ts_event))

    node.add_strategy(Timed(StrategyConfig(strategy_id="T1")))
    node.start()
    node.clock.advance_time(250)
    assert fired == [("requote", 100), ("requote", 200)]


def test_node_wires_the_real_risk_engine_and_portfolio():
    from decimal import Decimal

    from hftcore.portfolio import InitialBalance, Portfolio, PortfolioConfig
    from hftcore.risk import RiskConfig, RiskEngine
    from hftcore.risk.config import MaxOrderConfig

    portfolio = Portfolio(
        PortfolioConfig(
            balances=[InitialBalance(venue="BINANCE", asset="USDT", amount=Decimal(1000))]
        )
    )
    risk = RiskEngine(RiskConfig(max_order=MaxOrderConfig(quantity=Decimal("0.001"))))
    node = TradingNode(Environment.BACKTEST, risk_engine=risk, portfolio=portfolio)
    node.add_instrument(make_instrument())
    node.add_execution_client(RecordingClient())
    strategy = Recorder()
    node.add_strategy(strategy)
    node.data_engine.process(
        make_book_deltas([(Side.BUY, 6_000_000, 100), (Side.SELL, 6_000_001, 100)])
    )
    node.start()
    assert strategy.portfolio is portfolio
    too_big = strategy.limit(BTC, Side.BUY, 1_000, 6_000_000)  # 0.01 BTC > 0.001
    assert too_big.status == OrderStatus.DENIED
    assert node.exec_clients["BINANCE"].submitted == []
    small = strategy.limit(BTC, Side.BUY, 50, 6_000_000)  # 0.0005 BTC, 30 USDT
    assert node.exec_clients["BINANCE"].submitted == [small]
    node.stop()
