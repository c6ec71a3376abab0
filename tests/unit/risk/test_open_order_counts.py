"""The per-strategy open-order count the max-open-orders check reads is kept by the cache as
orders open and close; it must always equal a count of the cache's open orders."""

from hypothesis import given, settings
from hypothesis import strategies as st

from hftcore.model.enums import OrderStatus, Side
from hftcore.risk.config import MaxOpenOrdersConfig
from tests.unit.risk.harness import OKX_SPOT, PERP, SPOT, Harness, only

LIMIT_PER_STRATEGY = 2
PRICES_TICKS = {SPOT: 10_000_000, PERP: 1_000_000, OKX_SPOT: 1_000_000}

steps = st.lists(
    st.tuples(
        st.sampled_from(["submit", "submit", "submit", "cancel", "reject", "fill"]),
        st.integers(0, 1),
        st.sampled_from(sorted(PRICES_TICKS, key=str)),
    ),
    min_size=4,
    max_size=40,
)


@settings(max_examples=60)
@given(steps)
def test_per_strategy_limit_matches_a_count_of_open_orders(actions):
    harness = Harness(only(max_open_orders=MaxOpenOrdersConfig(per_strategy=LIMIT_PER_STRATEGY)))
    strategies = [harness.strategy, harness.add_strategy("S2")]
    for action, which, instrument_id in actions:
        strategy = strategies[which]
        open_orders = [o for o in harness.node.cache.open_orders() if o.strategy_id == strategy.id]
        if action == "submit":
            order = harness.limit(
                Side.BUY, 1, PRICES_TICKS[instrument_id], instrument_id, strategy=strategy
            )
            expected = (
                OrderStatus.DENIED
                if len(open_orders) >= LIMIT_PER_STRATEGY
                else OrderStatus.SUBMITTED
            )
            assert order.status == expected
        elif open_orders and action == "cancel":
            harness.node.exec_engine.cancel_order(open_orders[0])
            harness.confirm_cancel(open_orders[0])
        elif open_orders and action == "reject":
            harness.reject(open_orders[-1])
        elif open_orders:
            order = open_orders[0]
            harness.fill(order, order.quantity_lots, order.price_ticks)
