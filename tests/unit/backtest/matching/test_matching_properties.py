"""Invariants of the matching engine under random books, orders, trades and cancels."""

from collections import defaultdict

from hypothesis import given
from hypothesis import strategies as st

from hftcore.model.enums import AggressorSide, LiquiditySide, OrderType, Side, TimeInForce
from hftcore.model.order_events import OrderFilled, OrderUpdated
from tests.builders.backtest import make_matching_engine, make_order, reports

PRICES = st.integers(min_value=90, max_value=110)
SIZES = st.integers(min_value=0, max_value=40)

book_update = st.tuples(st.just("level"), st.sampled_from([Side.BUY, Side.SELL]), PRICES, SIZES)
trade = st.tuples(
    st.just("trade"),
    st.sampled_from([AggressorSide.BUYER, AggressorSide.SELLER, AggressorSide.NO_AGGRESSOR]),
    PRICES,
    st.integers(min_value=1, max_value=40),
)
submit = st.tuples(
    st.just("submit"),
    st.sampled_from([Side.BUY, Side.SELL]),
    PRICES,
    st.integers(min_value=1, max_value=60),
    st.sampled_from(
        [
            (OrderType.LIMIT, TimeInForce.GTC, False),
            (OrderType.LIMIT, TimeInForce.IOC, False),
            (OrderType.LIMIT, TimeInForce.FOK, False),
            (OrderType.LIMIT, TimeInForce.GTX, True),
            (OrderType.MARKET, TimeInForce.IOC, False),
        ]
    ),
)
cancel = st.tuples(st.just("cancel"), st.integers(min_value=0, max_value=30))
modify = st.tuples(
    st.just("modify"),
    st.integers(min_value=0, max_value=30),
    PRICES,
    st.integers(min_value=1, max_value=60),
)
operations = st.lists(st.one_of(book_update, trade, submit, cancel, modify), max_size=60)
levels = st.dictionaries(PRICES, st.integers(min_value=1, max_value=40), max_size=8)


def displayed(engine, side):
    prices, sizes = engine.book.depth(side, 1000)
    return dict(zip(prices.tolist(), sizes.tolist(), strict=True))


def run(book, ops):
    bids = sorted(((p, s) for p, s in book.items() if p <= 100), reverse=True)
    asks = sorted((p, s) for p, s in book.items() if p > 100)
    engine = make_matching_engine(
        queue_model="power:2",
        balances={"USDT": "100000000", "BTC": "100000"},
        bids=bids,
        asks=asks,
    )
    orders = []
    filled = defaultdict(int)
    quantity = {}
    taker_overfill = []
    time_ns = 0
    for op in ops:
        time_ns += 1
        if op[0] == "level":
            engine.apply_book_level(op[1], op[2], op[3])
            engine.apply_book_consistent(time_ns)
        elif op[0] == "trade":
            engine.apply_trade(op[2], op[3], op[1], time_ns)
        elif op[0] == "submit":
            _, side, price, qty, (order_type, tif, post_only) = op
            order = make_order(
                side,
                qty,
                0 if order_type == OrderType.MARKET else price,
                order_type=order_type,
                time_in_force=tif,
                post_only=post_only,
            )
            before = displayed(engine, Side.SELL if side == Side.BUY else Side.BUY)
            engine.submit_order(order, time_ns)
            taken = defaultdict(int)
            quantity[order.client_order_id] = qty
            for event in reports(engine):
                if type(event) is OrderFilled:
                    filled[event.client_order_id] += event.last_qty_lots
                    if event.liquidity_side == LiquiditySide.TAKER:
                        taken[event.last_price_ticks] += event.last_qty_lots
            taker_overfill += [p for p, lots in taken.items() if lots > before.get(p, 0)]
            orders.append(order)
            continue
        elif orders and op[0] == "cancel":
            engine.cancel_order(orders[op[1] % len(orders)].client_order_id, time_ns)
        elif orders and op[0] == "modify":
            order = orders[op[1] % len(orders)]
            engine.modify_order(order.client_order_id, op[2], op[3], time_ns)
        for event in reports(engine):
            if type(event) is OrderFilled:
                filled[event.client_order_id] += event.last_qty_lots
            elif type(event) is OrderUpdated:
                quantity[event.client_order_id] = event.quantity_lots
    return engine, orders, filled, quantity, taker_overfill


@given(levels, operations)
def test_filled_plus_leaves_equals_the_order_quantity(book, ops):
    engine, orders, filled, quantity, _ = run(book, ops)
    for order in orders:
        cid = order.client_order_id
        venue_order = engine.open_order(cid)
        if venue_order is not None:
            assert venue_order.quantity_lots == quantity[cid]
            assert filled[cid] + venue_order.leaves_lots == quantity[cid]
            assert venue_order.leaves_lots > 0
        else:
            assert filled[cid] <= quantity[cid]


@given(levels, operations)
def test_takers_never_fill_beyond_displayed_depth(book, ops):
    *_, taker_overfill = run(book, ops)
    assert taker_overfill == []


@given(levels, operations)
def test_locked_funds_match_the_resting_orders(book, ops):
    engine, *_ = run(book, ops)
    if engine.resting_count == 0:
        assert engine.account.locked("USDT") == 0
        assert engine.account.locked("BTC") == 0
    assert engine.account.locked("USDT") >= 0
    assert engine.account.locked("BTC") >= 0
