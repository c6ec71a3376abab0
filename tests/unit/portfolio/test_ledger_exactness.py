"""The integer fill path against a reference ledger in plain Decimal arithmetic (hypothesis).

The reference follows the accounting rule of ``hftcore.portfolio.position`` step by step at a
precision far beyond any figure here, so it is exact: average cost with an exact cost basis,
a partial close taking ``cost * closed / open`` of it (rounded half-even to 10**-18 on the
integer path; to 40 significant digits on the Decimal path of instruments whose tick x lot is
finer than 10**-18, where every step rounds there), margin ``cost / leverage``. Instruments
have awkward tick and lot sizes; sequences flip, close partially and pay fees (rebates too)
in the quote asset and in another.
"""

from decimal import ROUND_HALF_EVEN, Context, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hftcore.cache import Cache
from hftcore.model.enums import LiquiditySide, RoundingMode, Side
from hftcore.model.identifiers import ClientOrderId, StrategyId, TradeId, VenueOrderId
from hftcore.model.money import Money
from hftcore.model.order_events import OrderFilled
from hftcore.portfolio.config import InitialBalance, PortfolioConfig
from hftcore.portfolio.ledger import Portfolio
from tests.builders.events import make_balance_update
from tests.builders.instruments import make_instrument, make_perpetual

EXACT = Context(prec=400, rounding=ROUND_HALF_EVEN)  # no figure here comes near 400 digits
FORTY = Context(prec=40, rounding=ROUND_HALF_EVEN)
E18 = Decimal("1e-18")
START_USDT = Decimal("1000000.123456789")
LEVERAGE = Decimal(3)  # margins of uneven costs do not terminate

INSTRUMENTS = {
    "okx": make_instrument(
        "BTC-USDT", "OKX", tick_size="0.1", lot_size="0.00000001", min_quantity="0"
    ),
    "whole-lots": make_instrument(
        "XUSDT", tick_size="0.00001", lot_size="1", min_quantity="1", min_notional="0"
    ),
    "quarter-tick": make_instrument("QUSDT", tick_size="0.25", lot_size="0.001"),
    "tick-5-mult-10": make_instrument(
        "FUSDT", tick_size="5", lot_size="0.01", min_quantity="0.01", multiplier="10"
    ),
    "finer-than-e18": make_instrument(
        "TUSDT", tick_size="0.0000000001", lot_size="0.0000000001", min_quantity="0"
    ),
    "perp-quarter-tick": make_perpetual("QUSDT-PERP", tick_size="0.25", lot_size="0.001"),
    "perp-okx": make_perpetual(
        "BTC-USDT-SWAP", "OKX", tick_size="0.1", lot_size="0.00000001", min_quantity="0"
    ),
}

MAX_LOTS = 3_000_000


def fills(instrument):
    """Fill sequences of at most 1e8 USDT a fill: Money's int64 at 8 places holds the sums."""
    notional_per_tick_lot = instrument.tick_size * instrument.lot_size * instrument.multiplier
    max_ticks = min(50_000_000, max(1, int(Decimal(10**8) / (MAX_LOTS * notional_per_tick_lot))))
    return st.lists(
        st.tuples(
            st.sampled_from([Side.BUY, Side.SELL]),
            st.integers(min_value=1, max_value=MAX_LOTS),  # lots
            st.integers(min_value=1, max_value=max_ticks),  # ticks
            st.integers(min_value=-10_000, max_value=10_000_000),  # fee mantissa (rebates too)
            st.integers(min_value=0, max_value=8),  # fee precision
            st.sampled_from(["USDT", "USDT", "BNB"]),  # fee currency: the quote or another
        ),
        min_size=1,
        max_size=30,
    )


class Reference:
    """The accounting rule in Decimal arithmetic."""

    def __init__(self, instrument, is_exact):
        self.instrument = instrument
        self.is_exact = is_exact
        self.units_per_lot = instrument.lot_size * instrument.multiplier
        self.lots = 0
        self.cost = Decimal(0)
        self.realized = Decimal(0)
        self.fees = {}
        self.cash = {"USDT": START_USDT, "BNB": Decimal(0), instrument.base: Decimal(0)}

    def share(self, closed, open_lots):
        if closed == open_lots:
            return self.cost
        if self.is_exact:
            return EXACT.divide(EXACT.multiply(self.cost, closed), open_lots).quantize(
                E18, rounding=ROUND_HALF_EVEN, context=EXACT
            )
        return FORTY.divide(FORTY.multiply(self.cost, closed), open_lots)

    def fill(self, side, lots, ticks, fee):
        ctx = EXACT if self.is_exact else FORTY  # the Decimal path rounds every step at 40
        unit = ctx.multiply(ctx.multiply(ticks, self.instrument.tick_size), self.units_per_lot)
        signed = lots if side == Side.BUY else -lots
        old = self.lots
        realized = Decimal(0)
        if old == 0 or (old > 0) == (signed > 0):
            self.cost = ctx.add(self.cost, ctx.multiply(unit, lots))
        else:
            closed = min(lots, abs(old))
            share = self.share(closed, abs(old))
            realized = ctx.subtract(ctx.multiply(unit, closed), share)
            realized = realized if old > 0 else -realized
            self.cost = ctx.subtract(self.cost, share)
            if lots > abs(old):
                self.cost = ctx.multiply(unit, lots - abs(old))
        self.lots = old + signed
        self.realized = ctx.add(self.realized, realized)
        if self.instrument.kind.name == "SPOT":
            base = self.instrument.base
            self.cash[base] = ctx.add(self.cash[base], ctx.multiply(self.units_per_lot, signed))
            self.cash["USDT"] = ctx.subtract(self.cash["USDT"], ctx.multiply(unit, signed))
        else:
            self.cash["USDT"] = ctx.add(self.cash["USDT"], realized)
        amount = fee.as_decimal()
        if amount != 0:
            self.cash[fee.currency] = ctx.subtract(self.cash[fee.currency], amount)
            self.fees[fee.currency] = ctx.add(self.fees.get(fee.currency, 0), amount)

    def avg_entry_price(self):
        if self.lots == 0:
            return Decimal(0)
        return FORTY.divide(self.cost, EXACT.multiply(self.units_per_lot, abs(self.lots)))

    def margin(self):
        if self.instrument.kind.name == "SPOT":
            return Decimal(0)
        if not self.is_exact:
            return FORTY.divide(self.cost, LEVERAGE)
        return EXACT.divide(self.cost, LEVERAGE).quantize(
            E18, rounding=ROUND_HALF_EVEN, context=EXACT
        )


def run(instrument, sequence, is_exact=None):
    cache = Cache()
    cache.add_instrument(instrument)
    portfolio = Portfolio(
        PortfolioConfig(
            default_leverage=LEVERAGE,
            balances=[
                InitialBalance(venue=instrument.id.venue.value, asset="USDT", amount=START_USDT)
            ],
        ),
        cache=cache,
    )
    if is_exact is None:  # tick x lot on the 10**-18 grid
        is_exact = instrument.tick_size * instrument.lot_size >= Decimal("1e-18")
    reference = Reference(instrument, is_exact)
    for number, (side, lots, ticks, fee_raw, fee_precision, currency) in enumerate(sequence):
        fee = Money(fee_raw, fee_precision, currency)
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
                fee,
            )
        )
        reference.fill(side, lots, ticks, fee)
    return portfolio, reference


@pytest.mark.parametrize("name", sorted(INSTRUMENTS))
@given(data=st.data())
def test_fills_match_the_decimal_reference_exactly(name, data):
    instrument = INSTRUMENTS[name]
    sequence = data.draw(fills(instrument))
    portfolio, reference = run(instrument, sequence)
    position = portfolio.position(instrument.id)
    venue = instrument.id.venue.value
    assert position.quantity_lots == reference.lots
    assert position.realized_pnl == reference.realized
    assert position.avg_entry_price == reference.avg_entry_price()
    if reference.is_exact and reference.lots != 0:  # the digits and exponent too
        assert str(position.avg_entry_price) == str(
            FORTY.divide(
                int(reference.cost.scaleb(18)),
                int(reference.units_per_lot.scaleb(18)) * abs(reference.lots),
            )
        )
    assert position.margin == reference.margin()
    assert {c: f for c, f in position.fees.items() if f != 0} == {
        c: f for c, f in reference.fees.items() if f != 0
    }
    assert portfolio.fees() == {c: f for c, f in reference.fees.items() if f != 0}
    for asset, amount in reference.cash.items():
        balance = portfolio.balance(venue, asset)
        assert (Decimal(0) if balance is None else balance.total) == amount, asset
    usdt = portfolio.balance(venue, "USDT")
    assert usdt.margin == reference.margin()
    assert usdt.free_f == float(reference.cash["USDT"]) - float(reference.margin())


@pytest.mark.parametrize("name", sorted(INSTRUMENTS))
@given(data=st.data())
def test_cache_writes_are_the_reference_rounded_half_even(name, data):
    instrument = INSTRUMENTS[name]
    sequence = data.draw(fills(instrument))
    portfolio, reference = run(instrument, sequence)
    venue = instrument.id.venue.value
    cached = portfolio.cache.position(instrument.id)
    assert cached.quantity_lots == reference.lots
    assert cached.avg_price == reference.avg_entry_price()
    assert cached.realized_pnl == Money.from_decimal(
        reference.realized, "USDT", 8, RoundingMode.HALF_EVEN
    )
    balance = portfolio.cache.balance(venue, "USDT")
    free = EXACT.subtract(reference.cash["USDT"], reference.margin())
    assert balance.free == Money.from_decimal(free, "USDT", 8, RoundingMode.HALF_EVEN)
    assert balance.locked == Money.from_decimal(
        reference.margin(), "USDT", 8, RoundingMode.HALF_EVEN
    )


def test_a_cost_share_past_int128_stays_on_the_integer_path():
    # cost 5e25 (1e-18 USDT) x closed 2e14 lots leaves int128: the share is divided first
    instrument = INSTRUMENTS["okx"]
    sequence = [
        (Side.BUY, 5 * 10**14, 100, 0, 0, "USDT"),
        (Side.BUY, 3, 101, 0, 0, "USDT"),
        (Side.SELL, 2 * 10**14 + 1, 99, 0, 0, "USDT"),
    ]
    portfolio, reference = run(instrument, sequence)
    position = portfolio.position(instrument.id)
    assert position.realized_pnl == reference.realized
    assert position.avg_entry_price == reference.avg_entry_price()
    assert portfolio.balance("OKX", "USDT").total == reference.cash["USDT"]


def test_a_balance_finer_than_e18_keeps_decimals_until_a_venue_total_fits():
    cache = Cache()
    instrument = INSTRUMENTS["okx"]
    cache.add_instrument(instrument)
    start = Decimal("5.00000000000000000001")  # 20 places
    portfolio = Portfolio(
        PortfolioConfig(balances=[InitialBalance(venue="OKX", asset="USDT", amount=start)]),
        cache=cache,
    )
    portfolio.on_order_event(
        OrderFilled(
            StrategyId("S1"),
            instrument.id,
            ClientOrderId("C-1"),
            VenueOrderId("V-1"),
            TradeId("T-1"),
            Side.SELL,
            1_000_001,
            3,
            LiquiditySide.MAKER,
            Money(7, 9, "USDT"),
        )
    )
    balance = portfolio.balance("OKX", "USDT")
    assert balance.total == start + instrument.notional(1_000_001, 3) - Decimal("0.000000007")
    assert balance.free_f == float(balance.total)
    portfolio.on_balance_update(make_balance_update("OKX", "USDT", free="12.5", locked="0.25"))
    assert balance.total == Decimal("12.75")
    assert portfolio.cache.balance("OKX", "USDT").free == Money.from_str("12.75", "USDT", 8)
