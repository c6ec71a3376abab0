"""Ledger invariants over random fill sequences (hypothesis)."""

from decimal import Decimal, localcontext

from hypothesis import given
from hypothesis import strategies as st

from hftcore.cache import Cache
from hftcore.model.enums import LiquiditySide, Side
from hftcore.model.identifiers import ClientOrderId, StrategyId, TradeId, VenueOrderId
from hftcore.model.money import Money
from hftcore.model.order_events import OrderFilled
from hftcore.portfolio.ledger import Portfolio
from tests.builders.instruments import make_instrument, make_perpetual

SPOT = make_instrument()
PERP = make_perpetual()

fills = st.lists(
    st.tuples(
        st.sampled_from([Side.BUY, Side.SELL]),
        st.integers(min_value=1, max_value=200_000),  # lots
        st.integers(min_value=1, max_value=20_000_000),  # ticks
        st.integers(min_value=-1_000, max_value=100_000),  # fee in 1e-4 USDT (rebates too)
    ),
    min_size=1,
    max_size=40,
)


def apply(instrument, sequence):
    cache = Cache()
    cache.add_instrument(instrument)
    portfolio = Portfolio(cache=cache)
    for number, (side, lots, ticks, fee) in enumerate(sequence):
        portfolio.on_order_event(
            OrderFilled(
                StrategyId("S1"),
                instrument.id,
                ClientOrderId(f"C-{number}"),
                VenueOrderId(f"V-{number}"),
                TradeId(f"T-{number}"),
                side,
                ticks,
                lots,
                LiquiditySide.MAKER,
                Money(fee, 4, "USDT"),
            )
        )
    return portfolio


def signed(side, value):
    return value if side == Side.BUY else -value


@given(fills)
def test_position_is_the_signed_sum_of_fills(sequence):
    portfolio = apply(SPOT, sequence)
    assert portfolio.net_position_lots(SPOT.id) == sum(
        signed(s, lots) for s, lots, _, _ in sequence
    )


@given(fills)
def test_spot_cash_changes_by_minus_signed_notional_minus_fees(sequence):
    portfolio = apply(SPOT, sequence)
    notional = sum(signed(s, SPOT.notional(ticks, lots)) for s, lots, ticks, _ in sequence)
    fees = sum(Decimal(fee).scaleb(-4) for _, _, _, fee in sequence)
    assert portfolio.balance("BINANCE", "USDT").total == -notional - fees
    base = sum(signed(s, SPOT.lots_to_size(lots)) for s, lots, _, _ in sequence)
    assert portfolio.balance("BINANCE", "BTC").total == base


@given(fills)
def test_perpetual_cash_changes_by_realized_pnl_minus_fees(sequence):
    portfolio = apply(PERP, sequence)
    fees = sum(Decimal(fee).scaleb(-4) for _, _, _, fee in sequence)
    position = portfolio.position(PERP.id)
    # Average entries of uneven fills are rounded in their 40th digit; nothing else is.
    with localcontext(prec=80):
        error = portfolio.balance("BINANCE", "USDT").total - (position.realized_pnl - fees)
    assert abs(error) < Decimal("1e-30")


@given(fills)
def test_closing_everything_at_the_average_price_of_each_leg_adds_up(sequence):
    # Realized plus unrealized (marked at the last fill price) equals the cash flow of the
    # round trip: what was paid and received, valued with the open quantity at the mark.
    portfolio = apply(PERP, sequence)
    position = portfolio.position(PERP.id)
    last_price = PERP.ticks_to_price(sequence[-1][2])
    open_units = position.quantity
    with localcontext(prec=80):
        unrealized = (last_price - position.avg_entry_price) * open_units
    cash_flow = -sum(signed(s, PERP.notional(ticks, lots)) for s, lots, ticks, _ in sequence)
    with localcontext(prec=80):
        total = position.realized_pnl + unrealized
        assert abs(total - (cash_flow + open_units * last_price)) < Decimal("1e-20")
