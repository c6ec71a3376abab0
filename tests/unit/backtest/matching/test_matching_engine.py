"""Hand-computed scenarios of the matching engine: every order type, fees, queues, modifies.

The venue book of every test (``tests/builders/backtest.py``, tick 1, lot 1):

    asks 103 x 30, 102 x 20, 101 x 10
    bids 100 x 10,  99 x 20,  98 x 30

Maker fee 1 bp, taker fee 5 bp, in USDT unless a test says otherwise.
"""

from decimal import Decimal

from hftcore.model.enums import AggressorSide, LiquiditySide, OrderType, Side, TimeInForce
from hftcore.model.order_events import (
    OrderAccepted,
    OrderCanceled,
    OrderExpired,
    OrderFilled,
    OrderRejected,
    OrderUpdated,
)
from tests.builders.backtest import (
    make_matching_engine,
    make_order,
    make_simple_instrument,
    reports,
)


def fills(events):
    return [
        (
            e.last_price_ticks,
            e.last_qty_lots,
            LiquiditySide(e.liquidity_side).name,
            str(e.fee.as_decimal()),
        )
        for e in events
        if type(e) is OrderFilled
    ]


def kinds(events):
    return [type(e).__name__ for e in events]


# -- AGGRESSIVE ORDERS -----------------------------------------------------------------------


def test_limit_buy_through_the_ask_walks_levels_with_partial_fills_and_taker_fee():
    engine = make_matching_engine()
    engine.submit_order(make_order(Side.BUY, 25, 102), 1_000)
    events = reports(engine)
    # 10 @ 101 (fee 101 * 10 * 0.0005 = 0.505), 15 @ 102 (0.765); nothing rests.
    assert kinds(events) == ["OrderAccepted", "OrderFilled", "OrderFilled"]
    assert fills(events) == [(101, 10, "TAKER", "0.505"), (102, 15, "TAKER", "0.765")]
    assert engine.resting_count == 0


def test_limit_buy_rests_its_remainder_after_taking_what_crosses():
    engine = make_matching_engine()
    engine.submit_order(make_order(Side.BUY, 15, 101), 1_000)
    events = reports(engine)
    assert fills(events) == [(101, 10, "TAKER", "0.505")]
    (resting,) = engine.resting_orders()
    assert (resting.price_ticks, resting.leaves_lots) == (101, 5)


def test_market_order_never_fills_beyond_displayed_depth_and_expires_the_rest():
    engine = make_matching_engine()
    engine.submit_order(make_order(Side.SELL, 100), 1_000)
    events = reports(engine)
    assert fills(events) == [
        (100, 10, "TAKER", "0.5"),
        (99, 20, "TAKER", "0.99"),
        (98, 30, "TAKER", "1.47"),
    ]
    assert kinds(events)[-1] == "OrderExpired"


def test_ioc_fills_what_crosses_and_expires_the_remainder():
    engine = make_matching_engine()
    engine.submit_order(make_order(Side.BUY, 40, 102, time_in_force=TimeInForce.IOC), 1_000)
    events = reports(engine)
    assert fills(events) == [(101, 10, "TAKER", "0.505"), (102, 20, "TAKER", "1.02")]
    assert type(events[-1]) is OrderExpired
    assert engine.resting_count == 0


def test_fok_that_cannot_fill_completely_expires_without_any_fill():
    engine = make_matching_engine()
    engine.submit_order(make_order(Side.BUY, 31, 102, time_in_force=TimeInForce.FOK), 1_000)
    assert kinds(reports(engine)) == ["OrderAccepted", "OrderExpired"]


def test_fok_that_can_fill_completely_fills_at_every_level_it_needs():
    engine = make_matching_engine()
    engine.submit_order(make_order(Side.BUY, 30, 102, time_in_force=TimeInForce.FOK), 1_000)
    assert fills(reports(engine)) == [(101, 10, "TAKER", "0.505"), (102, 20, "TAKER", "1.02")]


def test_a_second_taker_does_not_refill_from_liquidity_the_first_one_took():
    engine = make_matching_engine()
    engine.submit_order(make_order(Side.BUY, 10, 101), 1_000)
    engine.submit_order(make_order(Side.BUY, 10, 101, time_in_force=TimeInForce.IOC), 1_001)
    events = reports(engine)
    assert fills(events) == [(101, 10, "TAKER", "0.505")]
    assert type(events[-1]) is OrderExpired


def test_taken_liquidity_is_available_again_once_the_data_updates_the_level():
    engine = make_matching_engine()
    engine.submit_order(make_order(Side.BUY, 10, 101), 1_000)
    engine.apply_book_level(Side.SELL, 101, 7)
    engine.submit_order(make_order(Side.BUY, 10, 101, time_in_force=TimeInForce.IOC), 1_001)
    assert fills(reports(engine))[-1] == (101, 7, "TAKER", "0.3535")


# -- POST-ONLY -------------------------------------------------------------------------------


def test_post_only_order_that_would_cross_is_rejected():
    engine = make_matching_engine()
    engine.submit_order(make_order(Side.BUY, 5, 101, post_only=True), 1_000)
    (event,) = reports(engine)
    assert type(event) is OrderRejected
    assert "post-only" in event.reason


def test_gtx_order_that_would_cross_is_rejected():
    engine = make_matching_engine()
    engine.submit_order(make_order(Side.SELL, 5, 100, time_in_force=TimeInForce.GTX), 1_000)
    assert kinds(reports(engine)) == ["OrderRejected"]


def test_post_only_order_inside_the_spread_rests_at_the_front_of_an_empty_level():
    engine = make_matching_engine(asks=((102, 20),))
    engine.submit_order(make_order(Side.SELL, 5, 101, post_only=True), 1_000)
    assert kinds(reports(engine)) == ["OrderAccepted"]
    assert engine.resting_orders()[0].queue_ahead_lots == 0


# -- RESTING ORDERS AND QUEUES ---------------------------------------------------------------


def test_resting_order_joins_the_back_of_its_level():
    engine = make_matching_engine()
    engine.submit_order(make_order(Side.BUY, 4, 100), 1_000)
    assert engine.resting_orders()[0].queue_ahead_lots == 10


def test_risk_averse_trade_at_our_price_eats_the_queue_before_filling_us_with_maker_fee():
    engine = make_matching_engine()
    engine.submit_order(make_order(Side.BUY, 4, 100), 1_000)
    reports(engine)
    engine.apply_trade(100, 8, AggressorSide.SELLER, 2_000)
    assert reports(engine) == []
    assert engine.resting_orders()[0].queue_ahead_lots == 2
    engine.apply_trade(100, 5, AggressorSide.SELLER, 3_000)
    # 2 lots ahead, 3 left for us: a partial maker fill, fee 100 * 3 * 0.0001 = 0.03.
    assert fills(reports(engine)) == [(100, 3, "MAKER", "0.03")]
    assert engine.resting_orders()[0].leaves_lots == 1


def test_risk_averse_cancellations_do_not_advance_the_queue():
    engine = make_matching_engine()
    engine.submit_order(make_order(Side.BUY, 4, 100), 1_000)
    engine.apply_book_level(Side.BUY, 100, 14)
    engine.apply_book_level(Side.BUY, 100, 12)
    assert engine.resting_orders()[0].queue_ahead_lots == 10


def test_queue_ahead_is_capped_at_the_displayed_level_size():
    engine = make_matching_engine()
    engine.submit_order(make_order(Side.BUY, 4, 100), 1_000)
    engine.apply_book_level(Side.BUY, 100, 6)
    assert engine.resting_orders()[0].queue_ahead_lots == 6


def test_probabilistic_queue_advances_on_cancellations():
    engine = make_matching_engine(queue_model="power:2")
    engine.submit_order(make_order(Side.BUY, 4, 100), 1_000)
    engine.apply_book_level(Side.BUY, 100, 15)  # 5 joined behind us: front 10, back 5
    engine.apply_book_level(Side.BUY, 100, 12)  # 3 canceled: p(behind) = 25 / (25 + 100) = 0.2
    # front 10 - (1 - 0.2) * 3 = 7.6
    assert abs(engine.resting_orders()[0].queue_ahead_lots - 7.6) < 1e-12


def test_trade_printing_through_our_price_fills_us_completely():
    engine = make_matching_engine()
    engine.submit_order(make_order(Side.BUY, 4, 100), 1_000)
    reports(engine)
    engine.apply_trade(99, 1, AggressorSide.SELLER, 2_000)
    assert fills(reports(engine)) == [(100, 4, "MAKER", "0.04")]
    assert engine.resting_count == 0


def test_trade_by_a_buyer_does_not_fill_our_resting_bid():
    engine = make_matching_engine()
    engine.submit_order(make_order(Side.BUY, 4, 100), 1_000)
    reports(engine)
    engine.apply_trade(99, 1, AggressorSide.BUYER, 2_000)
    assert reports(engine) == []


def test_book_moving_through_our_price_fills_us_at_our_price():
    engine = make_matching_engine()
    engine.submit_order(make_order(Side.SELL, 4, 102), 1_000)
    reports(engine)
    engine.apply_book_level(Side.BUY, 102, 5)
    engine.apply_book_consistent(2_000)
    assert fills(reports(engine)) == [(102, 4, "MAKER", "0.0408")]


def test_fill_reports_carry_the_venue_time_and_the_response_latency():
    engine = make_matching_engine(response_latency_ns=300)
    engine.submit_order(make_order(Side.BUY, 10, 101), 1_000)
    events = reports(engine)
    assert {(e.ts_event, e.ts_recv) for e in events} == {(1_000, 1_300)}


# -- CANCEL AND MODIFY -----------------------------------------------------------------------


def test_cancel_removes_the_order_and_releases_its_funds():
    engine = make_matching_engine()
    order = make_order(Side.BUY, 4, 100)
    engine.submit_order(order, 1_000)
    assert engine.account.locked("USDT") == Decimal("400.2")  # 400 + taker fee reserve
    engine.cancel_order(order.client_order_id, 2_000)
    assert kinds(reports(engine)) == ["OrderAccepted", "OrderCanceled"]
    assert engine.account.locked("USDT") == 0
    assert engine.resting_count == 0


def test_cancel_arriving_after_the_fill_loses():
    engine = make_matching_engine()
    order = make_order(Side.BUY, 4, 100)
    engine.submit_order(order, 1_000)
    engine.apply_trade(99, 1, AggressorSide.SELLER, 1_500)
    engine.cancel_order(order.client_order_id, 2_000)
    assert kinds(reports(engine)) == ["OrderAccepted", "OrderFilled"]
    assert engine.late_cancel_count == 1


def test_modify_down_in_size_keeps_the_queue_position():
    engine = make_matching_engine()
    order = make_order(Side.BUY, 4, 100)
    engine.submit_order(order, 1_000)
    engine.apply_trade(100, 6, AggressorSide.SELLER, 1_500)
    engine.modify_order(order.client_order_id, 100, 3, 2_000)
    (resting,) = engine.resting_orders()
    assert (resting.quantity_lots, resting.queue_ahead_lots) == (3, 4)
    assert type(reports(engine)[-1]) is OrderUpdated


def test_modify_up_in_size_loses_the_queue_position():
    engine = make_matching_engine()
    order = make_order(Side.BUY, 4, 100)
    engine.submit_order(order, 1_000)
    engine.apply_trade(100, 6, AggressorSide.SELLER, 1_500)
    engine.modify_order(order.client_order_id, 100, 5, 2_000)
    assert engine.resting_orders()[0].queue_ahead_lots == 10


def test_modify_to_a_new_price_goes_to_the_back_of_the_new_level():
    engine = make_matching_engine()
    order = make_order(Side.BUY, 4, 100)
    engine.submit_order(order, 1_000)
    engine.modify_order(order.client_order_id, 99, 4, 2_000)
    (resting,) = engine.resting_orders()
    assert (resting.price_ticks, resting.queue_ahead_lots) == (99, 20)
    updated = reports(engine)[-1]
    assert (type(updated), updated.price_ticks, updated.quantity_lots) == (OrderUpdated, 99, 4)


def test_modify_across_the_spread_takes_liquidity_as_a_cancel_replace():
    engine = make_matching_engine()
    order = make_order(Side.BUY, 4, 100)
    engine.submit_order(order, 1_000)
    engine.modify_order(order.client_order_id, 101, 4, 2_000)
    events = reports(engine)
    assert kinds(events) == ["OrderAccepted", "OrderUpdated", "OrderFilled"]
    assert fills(events) == [(101, 4, "TAKER", "0.202")]


def test_modify_of_a_post_only_order_across_the_spread_is_refused_and_keeps_the_order():
    engine = make_matching_engine()
    order = make_order(Side.BUY, 4, 100, post_only=True)
    engine.submit_order(order, 1_000)
    engine.modify_order(order.client_order_id, 101, 4, 2_000)
    refused = reports(engine)[-1]
    assert (type(refused), refused.price_ticks) == (OrderUpdated, 100)
    assert engine.resting_orders()[0].price_ticks == 100
    assert engine.modify_rejected_count == 1


def test_modify_below_the_filled_quantity_is_refused():
    engine = make_matching_engine()
    order = make_order(Side.BUY, 4, 100)
    engine.submit_order(order, 1_000)
    engine.apply_trade(100, 13, AggressorSide.SELLER, 1_500)  # 3 of ours filled
    engine.modify_order(order.client_order_id, 100, 3, 2_000)
    refused = reports(engine)[-1]
    assert (type(refused), refused.quantity_lots) == (OrderUpdated, 4)


# -- VALIDATION, BALANCES AND FEES -----------------------------------------------------------


def test_order_without_enough_balance_is_rejected():
    engine = make_matching_engine(balances={"USDT": "1000", "BTC": "0"})
    engine.submit_order(make_order(Side.BUY, 10, 100), 1_000)
    (event,) = reports(engine)
    assert type(event) is OrderRejected
    assert "insufficient balance" in event.reason


def test_sell_without_the_base_asset_is_rejected():
    engine = make_matching_engine(balances={"USDT": "1000000"})
    engine.submit_order(make_order(Side.SELL, 1, 102), 1_000)
    assert kinds(reports(engine)) == ["OrderRejected"]


def test_taker_buy_settles_both_assets_and_the_fee_in_quote():
    engine = make_matching_engine(balances={"USDT": "10000", "BTC": "0"})
    engine.submit_order(make_order(Side.BUY, 15, 102), 1_000)
    # 10 @ 101 + 5 @ 102 = 1520 USDT, fees 0.505 + 0.255.
    assert engine.account.total("USDT") == Decimal("10000") - Decimal("1520") - Decimal("0.76")
    assert engine.account.total("BTC") == 15


def test_fee_in_the_received_asset_charges_base_on_a_buy():
    engine = make_matching_engine(fee_asset="received", balances={"USDT": "10000", "BTC": "0"})
    engine.submit_order(make_order(Side.BUY, 10, 101), 1_000)
    (fill,) = [e for e in reports(engine) if type(e) is OrderFilled]
    assert (str(fill.fee.as_decimal()), fill.fee.currency) == ("0.005", "BTC")
    assert engine.account.total("BTC") == Decimal("9.995")
    assert engine.account.total("USDT") == Decimal("8990")


def test_order_below_the_minimum_quantity_is_rejected():
    instrument = make_simple_instrument(min_quantity="2")
    engine = make_matching_engine(instrument)
    engine.submit_order(make_order(Side.BUY, 1, 100, instrument), 1_000)
    (event,) = reports(engine)
    assert "below the minimum" in event.reason


def test_order_below_the_minimum_notional_is_rejected():
    instrument = make_simple_instrument(min_notional="500")
    engine = make_matching_engine(instrument)
    engine.submit_order(make_order(Side.BUY, 4, 100, instrument), 1_000)
    (event,) = reports(engine)
    assert "notional 400 below the minimum 500" in event.reason


def test_market_order_into_an_empty_book_expires():
    engine = make_matching_engine(asks=())
    engine.submit_order(make_order(Side.BUY, 5, order_type=OrderType.MARKET), 1_000)
    assert kinds(reports(engine)) == ["OrderAccepted", "OrderExpired"]


def test_duplicate_client_order_id_is_rejected():
    engine = make_matching_engine()
    engine.submit_order(make_order(Side.BUY, 1, 100, client_order_id="DUP"), 1_000)
    engine.submit_order(make_order(Side.BUY, 1, 100, client_order_id="DUP"), 1_001)
    assert kinds(reports(engine)) == ["OrderAccepted", "OrderRejected"]


def test_accepted_reports_carry_a_venue_order_id():
    engine = make_matching_engine()
    engine.submit_order(make_order(Side.BUY, 1, 100), 1_000)
    (accepted,) = reports(engine)
    assert type(accepted) is OrderAccepted
    assert accepted.venue_order_id.value == "BINANCE-O-1"


def test_cancel_of_an_unknown_order_is_counted_as_late():
    engine = make_matching_engine()
    order = make_order(Side.BUY, 1, 100)
    engine.cancel_order(order.client_order_id, 1_000)
    assert (reports(engine), engine.late_cancel_count) == ([], 1)


def test_canceled_report_closes_the_order_at_the_venue():
    engine = make_matching_engine()
    order = make_order(Side.BUY, 1, 100)
    engine.submit_order(order, 1_000)
    engine.cancel_order(order.client_order_id, 1_500)
    assert type(reports(engine)[-1]) is OrderCanceled
    assert engine.open_order(order.client_order_id) is None


# -- RESTING KEYS (the C array beside the resting list) -----------------------------------------


def test_cancelling_a_middle_resting_order_keeps_the_others_reached_by_their_levels():
    engine = make_matching_engine()
    first, middle, last = (make_order(Side.BUY, 4, price) for price in (100, 99, 98))
    for order in (first, middle, last):
        engine.submit_order(order, 1_000)
    engine.cancel_order(middle.client_order_id, 2_000)
    engine.apply_book_level(Side.BUY, 98, 6)
    engine.apply_book_level(Side.BUY, 100, 3)
    assert [o.queue_ahead_lots for o in engine.resting_orders()] == [3, 6]


def test_a_trade_above_our_bids_leaves_their_queues_alone():
    engine = make_matching_engine()
    engine.submit_order(make_order(Side.BUY, 4, 100), 1_000)
    reports(engine)
    engine.apply_trade(101, 8, AggressorSide.SELLER, 2_000)
    assert reports(engine) == []
    assert engine.resting_orders()[0].queue_ahead_lots == 10


def test_a_book_crossing_one_of_two_resting_orders_fills_only_that_one():
    engine = make_matching_engine()
    bid, ask = make_order(Side.BUY, 4, 100), make_order(Side.SELL, 4, 102)
    engine.submit_order(bid, 1_000)
    engine.submit_order(ask, 1_000)
    reports(engine)
    engine.apply_book_level(Side.SELL, 101, 0)
    engine.apply_book_level(Side.SELL, 100, 5)
    engine.apply_book_consistent(2_000)
    assert fills(reports(engine)) == [(100, 4, "MAKER", "0.04")]
    assert [o.client_order_id for o in engine.resting_orders()] == [ask.client_order_id]
