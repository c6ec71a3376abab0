"""Our best open limit prices per instrument, as the equity samples record them."""

from backtest.our_quotes import best_limit_prices
from hftcore.model.enums import OrderType, Side, TimeInForce
from tests.builders.events import make_order


def test_best_bid_is_the_highest_buy_and_best_ask_the_lowest_sell_per_instrument():
    orders = [
        make_order("B1", side=Side.BUY, price_ticks=99),
        make_order("S1", side=Side.SELL, price_ticks=105),
        make_order("B2", side=Side.BUY, price_ticks=101),
        make_order("S2", side=Side.SELL, price_ticks=103),
        make_order("E1", instrument_id="ETHUSDT.BINANCE", side=Side.SELL, price_ticks=7),
    ]
    assert best_limit_prices(orders) == {
        str(orders[0].instrument_id): (101, 103),
        "ETHUSDT.BINANCE": (None, 7),
    }


def test_market_orders_and_no_orders_give_no_quotes():
    market = make_order(
        "M1", order_type=OrderType.MARKET, price_ticks=0, time_in_force=TimeInForce.IOC
    )
    assert best_limit_prices([market]) == {}
    assert best_limit_prices([]) == {}
