import pytest
from hypothesis import given
from hypothesis import strategies as st

from hftcore.errors import InvalidOrderError, OverfillError
from hftcore.model.enums import OrderStatus, OrderType, Side, TimeInForce
from hftcore.model.identifiers import ClientOrderId, InstrumentId, StrategyId, VenueOrderId
from hftcore.model.order import Order
from tests.builders.events import TS_RECV, make_order

OPEN = [
    OrderStatus.ACCEPTED,
    OrderStatus.PARTIALLY_FILLED,
    OrderStatus.PENDING_UPDATE,
    OrderStatus.PENDING_CANCEL,
]
CLOSED = [
    OrderStatus.FILLED,
    OrderStatus.CANCELED,
    OrderStatus.REJECTED,
    OrderStatus.EXPIRED,
    OrderStatus.DENIED,
]
IN_FLIGHT = [OrderStatus.INITIALIZED, OrderStatus.SUBMITTED]


# -- CREATION ----------------------------------------------------------------------------------


def test_new_order_keeps_its_fields():
    order = Order(
        ClientOrderId("O-9"),
        StrategyId("maker"),
        InstrumentId.from_str("ETHUSDT.BINANCE"),
        Side.SELL,
        OrderType.LIMIT,
        25,
        price_ticks=3_000,
        time_in_force=TimeInForce.GTX,
        is_post_only=True,
        is_reduce_only=True,
        ts_init=123,
    )
    assert order.client_order_id == ClientOrderId("O-9")
    assert order.strategy_id == StrategyId("maker")
    assert order.instrument_id == InstrumentId.from_str("ETHUSDT.BINANCE")
    assert (order.side, order.order_type, order.time_in_force) == (
        Side.SELL,
        OrderType.LIMIT,
        TimeInForce.GTX,
    )
    assert order.is_post_only and order.is_reduce_only
    assert (order.price_ticks, order.quantity_lots) == (3_000, 25)
    assert order.ts_init == 123


def test_new_order_starts_initialized_unfilled_and_without_a_venue_id():
    order = make_order()
    assert order.status == OrderStatus.INITIALIZED
    assert order.venue_order_id is None
    assert (order.filled_lots, order.avg_fill_price_ticks) == (0, 0.0)
    assert order.leaves_lots == order.quantity_lots
    assert order.ts_last == order.ts_init == TS_RECV


def test_new_order_is_neither_open_nor_closed():
    order = make_order()
    assert not order.is_open
    assert not order.is_closed


def test_market_order_has_no_price():
    assert make_order(order_type=OrderType.MARKET).price_ticks == 0


def test_is_buy_follows_the_side():
    assert make_order(side=Side.BUY).is_buy
    assert not make_order(side=Side.SELL).is_buy


@pytest.mark.parametrize(
    "field",
    ["status", "filled_lots", "venue_order_id", "price_ticks", "quantity_lots", "ts_last"],
)
def test_order_fields_cannot_be_assigned_from_python(field):
    order = make_order()
    with pytest.raises(AttributeError):
        setattr(order, field, getattr(order, field))


def test_order_repr_shows_id_status_and_quantities():
    text = repr(make_order())
    assert text.startswith("Order(client_order_id=O-1, venue_order_id=None, strategy_id=S-1,")
    assert "quantity_lots=10, filled_lots=0, status=INITIALIZED" in text


@pytest.mark.parametrize("quantity_lots", [0, -3])
def test_order_with_a_non_positive_quantity_is_rejected(quantity_lots):
    with pytest.raises(
        InvalidOrderError, match=f"order O-1: quantity_lots: expected > 0, got {quantity_lots}"
    ):
        make_order(quantity_lots=quantity_lots)


def test_limit_order_without_a_price_is_rejected():
    with pytest.raises(
        InvalidOrderError, match="price_ticks: expected > 0 for a LIMIT order, got 0"
    ):
        make_order(price_ticks=0)


def test_market_order_with_a_price_is_rejected():
    with pytest.raises(
        InvalidOrderError, match="price_ticks: expected 0 for a MARKET order, got 5"
    ):
        make_order(order_type=OrderType.MARKET, price_ticks=5)


def test_order_without_a_side_is_rejected():
    with pytest.raises(InvalidOrderError, match="side: expected BUY or SELL, got 0"):
        make_order(side=Side.NO_SIDE)


def test_order_with_an_unknown_type_is_rejected():
    with pytest.raises(InvalidOrderError, match="order_type: expected LIMIT or MARKET, got 9"):
        make_order(order_type=9, price_ticks=1)


def test_order_with_an_unknown_time_in_force_is_rejected():
    with pytest.raises(
        InvalidOrderError, match="time_in_force: expected GTC, IOC, FOK or GTX, got 0"
    ):
        make_order(time_in_force=0)


@pytest.mark.parametrize("time_in_force", [TimeInForce.IOC, TimeInForce.FOK])
def test_post_only_order_with_an_immediate_time_in_force_is_rejected(time_in_force):
    with pytest.raises(InvalidOrderError, match="is_post_only: expected a LIMIT order with GTC"):
        make_order(is_post_only=True, time_in_force=time_in_force)


def test_post_only_market_order_is_rejected():
    with pytest.raises(InvalidOrderError, match=r"is_post_only: .* got MARKET GTC"):
        make_order(order_type=OrderType.MARKET, is_post_only=True)


def test_gtx_market_order_is_rejected():
    with pytest.raises(InvalidOrderError, match="GTX needs a LIMIT order"):
        make_order(order_type=OrderType.MARKET, time_in_force=TimeInForce.GTX)


def test_order_with_a_negative_creation_time_is_rejected():
    with pytest.raises(InvalidOrderError, match="ts_init: expected UNIX ns >= 0, got -1"):
        make_order(ts_init=-1)


def test_order_without_a_client_order_id_is_rejected():
    with pytest.raises(TypeError):
        Order(
            None,
            StrategyId("S"),
            InstrumentId.from_str("BTCUSDT.BINANCE"),
            Side.BUY,
            OrderType.MARKET,
            1,
        )


# -- STATUS ------------------------------------------------------------------------------------


@pytest.mark.parametrize("status", OPEN)
def test_order_in_a_live_status_is_open_and_not_closed(cython_api, status):
    order = make_order()
    cython_api.order_set_status(order, status)
    assert order.status == status
    assert order.is_open and not order.is_closed


@pytest.mark.parametrize("status", CLOSED)
def test_order_in_a_final_status_is_closed_and_not_open(cython_api, status):
    order = make_order()
    cython_api.order_set_status(order, status)
    assert order.is_closed and not order.is_open


@pytest.mark.parametrize("status", IN_FLIGHT)
def test_order_not_yet_on_the_venue_is_neither_open_nor_closed(cython_api, status):
    order = make_order()
    cython_api.order_set_status(order, status)
    assert not order.is_open and not order.is_closed


@pytest.mark.parametrize("status", [0, 12])
def test_set_status_rejects_an_unknown_status(cython_api, status):
    order = make_order()
    with pytest.raises(InvalidOrderError, match=f"status: expected an OrderStatus, got {status}"):
        cython_api.order_set_status(order, status)
    assert order.status == OrderStatus.INITIALIZED


def test_set_venue_order_id_records_the_venue_id(cython_api):
    order = make_order()
    cython_api.order_set_venue_order_id(order, VenueOrderId("8812"))
    assert order.venue_order_id == VenueOrderId("8812")


def test_set_venue_order_id_rejects_none(cython_api):
    with pytest.raises(
        InvalidOrderError, match="venue_order_id: expected a VenueOrderId, got None"
    ):
        cython_api.order_set_venue_order_id(make_order(), None)


def test_set_ts_last_records_the_time(cython_api):
    order = make_order()
    cython_api.order_set_ts_last(order, TS_RECV + 5)
    assert order.ts_last == TS_RECV + 5


def test_set_ts_last_rejects_a_negative_time(cython_api):
    with pytest.raises(InvalidOrderError, match="ts_last: expected UNIX ns >= 0, got -1"):
        cython_api.order_set_ts_last(make_order(), -1)


# -- AMEND -------------------------------------------------------------------------------------


def test_set_price_and_quantity_amends_the_order(cython_api):
    order = make_order()
    cython_api.order_set_price_and_quantity(order, 99_000, 4)
    assert (order.price_ticks, order.quantity_lots, order.leaves_lots) == (99_000, 4, 4)


def test_set_price_and_quantity_refuses_a_quantity_below_the_filled_quantity(cython_api):
    order = make_order(quantity_lots=10)
    cython_api.order_add_fill(order, 6, 100_000, 1)
    with pytest.raises(InvalidOrderError, match="quantity_lots: expected >= filled_lots 6, got 5"):
        cython_api.order_set_price_and_quantity(order, 100_000, 5)
    assert order.quantity_lots == 10


def test_set_price_and_quantity_refuses_a_price_on_a_market_order(cython_api):
    order = make_order(order_type=OrderType.MARKET)
    with pytest.raises(InvalidOrderError, match="expected 0 for a MARKET order"):
        cython_api.order_set_price_and_quantity(order, 10, 5)


# -- FILLS -------------------------------------------------------------------------------------


def test_add_fill_accumulates_quantity_and_time(cython_api):
    order = make_order(quantity_lots=10)
    cython_api.order_add_fill(order, 4, 100_000, TS_RECV + 7)
    assert (order.filled_lots, order.leaves_lots, order.ts_last) == (4, 6, TS_RECV + 7)


def test_add_fill_keeps_the_quantity_weighted_average_price(cython_api):
    order = make_order(quantity_lots=10)
    cython_api.order_add_fill(order, 1, 100, 1)
    cython_api.order_add_fill(order, 3, 104, 2)
    assert order.avg_fill_price_ticks == pytest.approx((100 * 1 + 104 * 3) / 4)


def test_add_fill_does_not_change_the_status(cython_api):
    order = make_order(quantity_lots=2)
    cython_api.order_add_fill(order, 2, 100_000, 1)
    assert order.status == OrderStatus.INITIALIZED


def test_add_fill_refuses_an_overfill_and_leaves_the_order_unchanged(cython_api):
    order = make_order(quantity_lots=10)
    cython_api.order_add_fill(order, 8, 100, 1)
    with pytest.raises(
        OverfillError, match="order O-1: fill of 3 lots would overfill: filled 8 of 10 lots"
    ):
        cython_api.order_add_fill(order, 3, 100, 2)
    assert (order.filled_lots, order.ts_last) == (8, 1)


@pytest.mark.parametrize("qty_lots", [0, -1])
def test_add_fill_refuses_a_non_positive_quantity(cython_api, qty_lots):
    with pytest.raises(InvalidOrderError, match=f"fill qty_lots: expected > 0, got {qty_lots}"):
        cython_api.order_add_fill(make_order(), qty_lots, 100, 1)


def test_add_fill_refuses_a_non_positive_price(cython_api):
    with pytest.raises(InvalidOrderError, match="fill price_ticks: expected > 0, got 0"):
        cython_api.order_add_fill(make_order(), 1, 0, 1)


def test_add_fill_refuses_a_negative_time_and_leaves_the_order_unchanged(cython_api):
    order = make_order()
    with pytest.raises(InvalidOrderError, match="ts_last"):
        cython_api.order_add_fill(order, 1, 100, -1)
    assert order.filled_lots == 0


@given(
    quantity_lots=st.integers(1, 10**9),
    fills=st.lists(st.tuples(st.integers(1, 10**9), st.integers(1, 10**7)), max_size=20),
)
def test_fills_never_exceed_the_quantity_and_average_stays_within_fill_prices(
    cython_api, quantity_lots, fills
):
    order = make_order(quantity_lots=quantity_lots)
    accepted_prices = []
    for qty_lots, price_ticks in fills:
        if qty_lots <= order.leaves_lots:
            cython_api.order_add_fill(order, qty_lots, price_ticks, 1)
            accepted_prices.append(price_ticks)
        else:
            with pytest.raises(OverfillError):
                cython_api.order_add_fill(order, qty_lots, price_ticks, 1)
        assert 0 <= order.filled_lots <= order.quantity_lots
        assert order.leaves_lots == order.quantity_lots - order.filled_lots
    if accepted_prices:
        assert min(accepted_prices) - 1e-6 <= order.avg_fill_price_ticks
        assert order.avg_fill_price_ticks <= max(accepted_prices) + 1e-6
