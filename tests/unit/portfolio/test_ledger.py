"""The shadow ledger against hand-computed sequences of fills, fees, marks and reservations."""

from decimal import Decimal

import pytest

from hftcore.book import L2Book
from hftcore.cache import Cache
from hftcore.errors import DataUnavailableError, UnknownInstrumentError
from hftcore.model.enums import LiquiditySide, Side
from hftcore.model.identifiers import ClientOrderId, InstrumentId, StrategyId, TradeId, VenueOrderId
from hftcore.model.money import Money
from hftcore.model.order_events import OrderFilled
from hftcore.portfolio.config import InitialBalance, PortfolioConfig
from hftcore.portfolio.ledger import Portfolio
from hftcore.strategy.config import StrategyConfig
from hftcore.strategy.strategy import Strategy
from tests.builders.events import make_balance_update, make_book_deltas, make_trade
from tests.builders.instruments import make_instrument, make_perpetual
from tests.unit.risk.harness import SPOT, Harness, balances, only

PERP = InstrumentId.from_str("BTCUSDT-PERP.BINANCE")
ETH = InstrumentId.from_str("ETHUSDT.BINANCE")


def ledger(*entries, **config):
    """Return a portfolio on a fresh cache with BTC spot, ETH spot and the BTC perpetual."""
    cache = Cache()
    for instrument in (make_instrument(), make_instrument("ETHUSDT"), make_perpetual()):
        cache.add_instrument(instrument)
    starting = [
        InitialBalance(venue=venue, asset=asset, amount=Decimal(amount))
        for venue, asset, amount in entries
    ]
    return Portfolio(PortfolioConfig(balances=starting, **config), cache=cache)


class Fills:
    """Feeds fills to a portfolio; sizes and prices as decimal strings of the instrument."""

    def __init__(self, portfolio):
        self.portfolio = portfolio
        self.count = 0

    def __call__(self, instrument_id, side, size, price, fee="0", currency="USDT"):
        instrument = self.portfolio.cache.instrument(instrument_id)
        self.count += 1
        self.portfolio.on_order_event(
            OrderFilled(
                StrategyId("S1"),
                instrument_id,
                ClientOrderId(f"C-{self.count}"),
                VenueOrderId(f"V-{self.count}"),
                TradeId(f"T-{self.count}"),
                side,
                instrument.price_to_ticks(price),
                instrument.size_to_lots(size),
                LiquiditySide.TAKER,
                Money.from_str(fee, currency),
            )
        )


def set_mid(portfolio, instrument_id, bid_ticks, ask_ticks):
    """Give ``instrument_id`` a fresh one-level book in the portfolio's cache."""
    book = L2Book(instrument_id)
    book.apply_deltas(
        make_book_deltas([(Side.BUY, bid_ticks, 1), (Side.SELL, ask_ticks, 1)], instrument_id)
    )
    portfolio.cache.add_book(book)


# -- SPOT --------------------------------------------------------------------------------------


@pytest.fixture
def spot():
    portfolio = ledger(("BINANCE", "USDT", "100000"))
    return portfolio, Fills(portfolio)


def test_spot_buys_average_the_entry_and_move_base_and_quote(spot):
    portfolio, fill = spot
    fill(SPOT, Side.BUY, "0.5", "60000", fee="30")
    fill(SPOT, Side.BUY, "0.5", "62000", fee="0.05", currency="BNB")
    position = portfolio.position(SPOT)
    assert position.quantity_lots == 100_000
    assert position.avg_entry_price == Decimal("61000")
    assert portfolio.balance("BINANCE", "USDT").total == Decimal("38970")
    assert portfolio.balance("BINANCE", "BTC").total == Decimal("1")
    assert portfolio.balance("BINANCE", "BNB").total == Decimal("-0.05")


def test_spot_partial_close_realizes_pnl_and_keeps_the_entry(spot):
    portfolio, fill = spot
    fill(SPOT, Side.BUY, "1", "61000")
    fill(SPOT, Side.SELL, "0.4", "63000", fee="25.2")
    position = portfolio.position(SPOT)
    assert position.realized_pnl == Decimal("800")
    assert position.quantity_lots == 60_000
    assert position.avg_entry_price == Decimal("61000")
    assert portfolio.balance("BINANCE", "USDT").total == Decimal("64174.8")


def test_spot_sequence_with_a_flip_and_a_close_matches_the_hand_computation(spot):
    portfolio, fill = spot
    fill(SPOT, Side.BUY, "0.5", "60000", fee="30")
    fill(SPOT, Side.BUY, "0.5", "62000", fee="0.05", currency="BNB")
    fill(SPOT, Side.SELL, "0.4", "63000", fee="25.2")  # realizes +800
    fill(SPOT, Side.SELL, "1", "59000")  # closes 0.6 (-1200), opens short 0.4 at 59000
    position = portfolio.position(SPOT)
    assert (position.quantity_lots, position.avg_entry_price) == (-40_000, Decimal("59000"))
    assert position.realized_pnl == Decimal("-400")
    fill(SPOT, Side.BUY, "0.4", "58000")  # closes the short: +400
    assert (position.quantity_lots, position.avg_entry_price) == (0, Decimal(0))
    assert position.realized_pnl == Decimal(0)
    assert portfolio.balance("BINANCE", "USDT").total == Decimal("99944.8")
    assert portfolio.balance("BINANCE", "BTC").total == Decimal(0)
    assert portfolio.fees() == {"USDT": Decimal("55.2"), "BNB": Decimal("0.05")}
    assert position.fees == {"USDT": Decimal("55.2"), "BNB": Decimal("0.05")}
    assert position.fill_count == 5


def test_fills_write_positions_and_balances_into_the_cache(spot):
    portfolio, fill = spot
    fill(SPOT, Side.BUY, "1", "61000")
    fill(SPOT, Side.SELL, "0.4", "63000", fee="25.2")
    update = portfolio.cache.position(SPOT)
    assert (update.quantity_lots, update.avg_price) == (60_000, Decimal("61000"))
    assert update.realized_pnl == Money.from_str("800.00000000", "USDT")
    balance = portfolio.cache.balance("BINANCE", "USDT")
    assert balance.free == Money.from_str("64174.8", "USDT")
    assert balance.locked == Money.from_str("0", "USDT")


def test_unrealized_pnl_is_marked_to_the_mid_else_the_last_trade(spot):
    portfolio, fill = spot
    fill(SPOT, Side.BUY, "0.5", "60000")
    assert portfolio.unrealized_pnl(SPOT) is None
    portfolio.cache.set_last_trade(make_trade(SPOT, 6_100_000))
    assert portfolio.unrealized_pnl(SPOT) == Decimal("500")
    set_mid(portfolio, SPOT, 6_199_000, 6_201_000)  # mid 62000
    assert portfolio.mark_price(SPOT) == Decimal("62000")
    assert portfolio.unrealized_pnl(SPOT) == Decimal("1000")
    assert portfolio.unrealized_pnl() == Decimal("1000")


def test_short_unrealized_pnl_gains_when_the_price_falls(spot):
    portfolio, fill = spot
    fill(SPOT, Side.SELL, "0.5", "60000")
    set_mid(portfolio, SPOT, 5_899_000, 5_901_000)  # mid 59000
    assert portfolio.unrealized_pnl(SPOT) == Decimal("500")


# -- PERPETUAL ---------------------------------------------------------------------------------


@pytest.fixture
def perp():
    portfolio = ledger(("BINANCE", "USDT", "50000"), leverage={PERP.value: Decimal(5)})
    return portfolio, Fills(portfolio)


def test_perpetual_fills_book_realized_pnl_and_margin_into_the_settlement_asset(perp):
    portfolio, fill = perp
    usdt = portfolio.balance("BINANCE", "USDT")
    fill(PERP, Side.SELL, "2", "50000", fee="20")
    assert (usdt.total, usdt.margin, usdt.free) == (
        Decimal("49980"),
        Decimal("20000"),
        Decimal("29980"),
    )
    fill(PERP, Side.BUY, "0.5", "48000")  # +1000
    assert (usdt.total, usdt.margin) == (Decimal("50980"), Decimal("15000"))
    fill(PERP, Side.BUY, "3", "49000", fee="4.9")  # closes 1.5 (+1500), long 1.5 at 49000
    position = portfolio.position(PERP)
    assert (position.quantity_lots, position.avg_entry_price) == (1_500, Decimal("49000"))
    assert position.realized_pnl == Decimal("2500")
    assert (usdt.total, usdt.margin) == (Decimal("52475.1"), Decimal("14700"))
    assert portfolio.balance("BINANCE", "BTC") is None  # perpetuals never move the base


def test_perpetual_equity_adds_unrealized_pnl(perp):
    portfolio, fill = perp
    fill(PERP, Side.SELL, "2", "50000", fee="20")
    fill(PERP, Side.BUY, "0.5", "48000")
    fill(PERP, Side.BUY, "3", "49000", fee="4.9")
    set_mid(portfolio, PERP, 494_900, 495_100)  # mid 49500
    assert portfolio.unrealized_pnl(PERP) == Decimal("750")
    assert portfolio.equity() == Decimal("53225.1")
    assert portfolio.realized_pnl() == Decimal("2500")


def test_perpetual_position_without_a_mark_makes_equity_unavailable(perp):
    portfolio, fill = perp
    fill(PERP, Side.BUY, "1", "50000")
    with pytest.raises(DataUnavailableError, match=r"BTCUSDT-PERP\.BINANCE is open"):
        portfolio.equity()


# -- VALUATION AND EXPOSURE --------------------------------------------------------------------


def test_equity_converts_assets_at_marks_then_configured_prices():
    portfolio = ledger(
        ("BINANCE", "USDT", "1000"),
        ("BINANCE", "BTC", "0.5"),
        ("OKX", "ETH", "2"),
        ("OKX", "USDC", "100"),
        prices={"ETH": Decimal("3000"), "USDC": Decimal("1")},
    )
    set_mid(portfolio, SPOT, 5_999_900, 6_000_100)  # BTC 60000
    assert portfolio.equity() == Decimal("1000") + Decimal("30000") + Decimal("6000") + 100
    assert portfolio.price("BTC", "ETH") == Decimal(20)
    assert portfolio.equity("BTC") == pytest.approx(Decimal("37100") / Decimal("60000"))


def test_equity_marks_a_held_asset_through_the_inverse_pair():
    portfolio = ledger(("BINANCE", "USDT", "600"))
    set_mid(portfolio, SPOT, 5_999_900, 6_000_100)
    assert portfolio.equity("BTC") == Decimal("0.01")


def test_equity_without_a_price_names_the_asset():
    portfolio = ledger(("BINANCE", "DOGE", "10"))
    with pytest.raises(DataUnavailableError, match="no price for DOGE in USDT"):
        portfolio.equity()


def test_exposure_sums_holdings_across_venues_and_derivative_positions(perp):
    portfolio, fill = perp
    portfolio.on_balance_update(
        make_balance_update(venue="OKX", asset="BTC", free="0.3", locked="0.2")
    )
    fill(SPOT, Side.BUY, "0.25", "50000")
    fill(PERP, Side.SELL, "1", "50000")
    assert portfolio.exposure("BTC") == Decimal("-0.25")  # 0.5 + 0.25 - 1
    assert portfolio.asset_position("BTC") == pytest.approx(-0.75)  # fills only


def test_queries_of_a_never_traded_instrument_are_flat():
    portfolio = ledger()
    assert portfolio.net_position_lots(ETH) == 0
    assert portfolio.avg_entry_price(ETH) == 0
    assert portfolio.realized_pnl(ETH) == 0
    assert portfolio.position(ETH).is_flat
    with pytest.raises(UnknownInstrumentError):
        portfolio.position(InstrumentId.from_str("XRPUSDT.BINANCE"))


def test_fill_of_an_unknown_instrument_is_counted_and_not_applied():
    orphan = Portfolio(cache=Cache())
    orphan.on_order_event(
        OrderFilled(
            StrategyId("S1"),
            SPOT,
            ClientOrderId("C-1"),
            VenueOrderId("V-1"),
            TradeId("T-1"),
            Side.BUY,
            1,
            1,
            LiquiditySide.TAKER,
            Money.from_str("0", "USDT"),
        )
    )
    assert orphan.unknown_instrument_fill_count == 1
    assert orphan.fill_count == 0


# -- VENUE BALANCES ----------------------------------------------------------------------------


def test_venue_balance_update_sets_the_total(spot):
    portfolio, _ = spot
    portfolio.on_balance_update(
        make_balance_update(venue="BINANCE", asset="USDT", free="900", locked="100")
    )
    balance = portfolio.balance("BINANCE", "USDT")
    assert balance.total == Decimal(1000)
    assert balance.is_reported
    assert portfolio.balance_update_count == 1


# -- RESERVATIONS (through a real node) --------------------------------------------------------


@pytest.fixture
def node():
    harness = Harness(only(), balances(("BINANCE", "USDT", "10000"), ("BINANCE", "BTC", "1")))
    harness.book(9_999_000, 10_001_000)
    return harness


def usdt(harness):
    return harness.portfolio.balance("BINANCE", "USDT")


def test_open_buy_locks_quote_and_partial_fills_release_their_share(node):
    order = node.limit(Side.BUY, 5_000, 10_000_000)  # 0.05 BTC at 100000: 5000 USDT
    assert usdt(node).locked == Decimal("5000")
    assert usdt(node).free == Decimal("5000")
    node.fill(order, 2_000, 10_000_000)
    assert usdt(node).locked == Decimal("3000")
    assert usdt(node).total == Decimal("8000")
    assert usdt(node).free == Decimal("5000")


def test_open_sell_locks_the_base(node):
    node.limit(Side.SELL, 30_000, 10_000_000)
    btc = node.portfolio.balance("BINANCE", "BTC")
    assert (btc.locked, btc.free) == (Decimal("0.3"), Decimal("0.7"))


def test_cancel_and_reject_release_the_reservation(node):
    canceled = node.limit(Side.BUY, 1_000, 10_000_000)
    rejected = node.limit(Side.BUY, 1_000, 10_000_000)
    node.node.exec_engine.cancel_order(canceled)
    assert usdt(node).locked == Decimal("2000")  # pending cancel still holds it
    node.confirm_cancel(canceled)
    node.reject(rejected)
    assert usdt(node).locked == 0
    assert node.portfolio.cache.balance("BINANCE", "USDT").locked.as_decimal() == 0


def test_modified_order_reserves_at_its_new_price_and_quantity(node):
    from tests.builders.events import make_order_updated

    order = node.limit(Side.BUY, 1_000, 10_000_000)
    node.accept(order)
    node.node.exec_engine.process(
        make_order_updated(
            9_000_000,
            2_000,
            f"V-{order.client_order_id.value}",
            order.strategy_id,
            order.instrument_id,
            order.client_order_id,
        )
    )
    assert usdt(node).locked == Decimal("1800")


def test_market_buy_reserves_at_the_ask_plus_the_buffer(node):
    node.market(Side.BUY, 1_000)  # ask 100010 * 1.005 = 100510.05 per BTC
    assert usdt(node).locked == Decimal("1005.10050000")


def test_venue_update_keeps_our_reservations(node):
    node.limit(Side.BUY, 5_000, 10_000_000)
    node.portfolio.on_balance_update(
        make_balance_update(venue="BINANCE", asset="USDT", free="7000", locked="5000")
    )
    assert (usdt(node).total, usdt(node).locked, usdt(node).free) == (
        Decimal("12000"),
        Decimal("5000"),
        Decimal("7000"),
    )


def test_portfolio_sees_the_fill_before_the_strategy(node):
    seen = []

    class Reader(Strategy):
        def on_fill(self, fill):
            seen.append(self.portfolio.net_position_lots(fill.instrument_id))

    reader = Reader(StrategyConfig(strategy_id="R1"))
    node.node.add_strategy(reader)
    order = reader.limit(SPOT, Side.BUY, 100, 10_000_000)
    node.fill(order, 100, 10_000_000)
    assert seen == [100]


def test_an_order_event_that_leaves_the_cached_figures_unchanged_writes_nothing(node):
    order = node.limit(Side.BUY, 1_000, 10_000_000)
    node.accept(order)
    cached = node.portfolio.cache.balance("BINANCE", "USDT")
    node.update(order, order.price_ticks, order.quantity_lots)  # a refused modify
    assert node.portfolio.cache.balance("BINANCE", "USDT") is cached
    node.update(order, 9_000_000, order.quantity_lots)
    assert node.portfolio.cache.balance("BINANCE", "USDT").locked == Money.from_str(
        "900", "USDT", 8
    )


def test_registering_on_another_node_writes_every_balance_into_its_cache(node):
    node.limit(Side.BUY, 1_000, 10_000_000)
    other = Harness(only())
    node.portfolio.register(other.node)
    assert other.node.cache.balance("BINANCE", "USDT").locked == Money.from_str("1000", "USDT", 8)


def test_balance_and_position_classes_still_import_from_the_ledger_module():
    from hftcore.portfolio import balance, ledger, position

    assert ledger.AssetBalance is balance.AssetBalance
    assert (ledger.Position, ledger.AssetPosition) == (position.Position, position.AssetPosition)
