"""Ledger invariants over random fill sequences (hypothesis)."""

from decimal import Decimal, localcontext

from hypothesis import given
from hypothesis import strategies as st

from hftcore.cache import Cache
from hftcore.model.enums import LiquiditySide, RoundingMode, Side
from hftcore.model.identifiers import ClientOrderId, StrategyId, TradeId, VenueOrderId
from hftcore.model.money import Money
from hftcore.model.order_events import OrderFilled
from hftcore.portfolio.config import InitialBalance, PortfolioConfig
from hftcore.portfolio.ledger import Portfolio
from tests.builders.instruments import make_instrument, make_perpetual
from tests.unit.risk.harness import Harness, only

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


reserving_orders = st.lists(
    st.tuples(
        st.sampled_from([SPOT.id, PERP.id]),
        st.sampled_from([Side.BUY, Side.SELL]),
        st.integers(min_value=1, max_value=200_000),  # lots
        st.integers(min_value=1, max_value=20_000_000),  # ticks
    ),
    min_size=1,
    max_size=6,
)


@given(
    st.integers(min_value=0, max_value=10**10),  # at most 1e10: fits int64 at 8 places
    st.integers(min_value=0, max_value=10),
    st.integers(min_value=0, max_value=8),
    st.none() | st.tuples(st.sampled_from([Side.BUY, Side.SELL]), st.integers(1, 99_999)),
    reserving_orders,
)
def test_balances_in_the_cache_are_the_ledgers_rounded_to_the_money_precision(
    mantissa, scale, precision, perp_fill, orders
):
    harness = Harness(
        only(),
        PortfolioConfig(
            money_precision=precision,
            balances=[
                InitialBalance(
                    venue="BINANCE", asset=asset, amount=Decimal(mantissa).scaleb(-scale)
                )
                for asset in ("USDT", "BTC")
            ],
        ),
    )
    if perp_fill is not None:  # a perpetual position: margin held in USDT
        side, lots = perp_fill
        harness.fill(harness.limit(side, lots, 6_000_000, PERP.id), lots, 6_000_001)
    placed = [
        harness.limit(side, lots, ticks, instrument_id)
        for instrument_id, side, lots, ticks in orders
    ]
    for order in placed:  # the venue refuses a modify: the order is reserved and written again
        harness.update(order, order.price_ticks, order.quantity_lots)
    for asset in ("USDT", "BTC"):
        balance = harness.portfolio.balance("BINANCE", asset)
        cached = harness.node.cache.balance("BINANCE", asset)
        if cached is None:  # no order of this asset got through
            continue
        assert cached.locked == Money.from_decimal(
            balance.locked, asset, precision, RoundingMode.HALF_EVEN
        )
        assert cached.free == Money.from_decimal(
            balance.free, asset, precision, RoundingMode.HALF_EVEN
        )


@given(fills)
def test_realized_pnl_in_the_cache_is_the_ledgers_rounded_to_the_money_precision(sequence):
    portfolio = apply(SPOT, sequence)
    assert portfolio.cache.position(SPOT.id).realized_pnl == Money.from_decimal(
        portfolio.realized_pnl(SPOT.id), "USDT", 8, RoundingMode.HALF_EVEN
    )


@given(fills)
def test_float_mirror_of_a_balance_is_its_total_correctly_rounded(sequence):
    portfolio = apply(SPOT, sequence)
    for asset in ("USDT", "BTC"):
        balance = portfolio.balance("BINANCE", asset)
        assert balance.free_f == float(balance.total)
