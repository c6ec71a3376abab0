"""The venue-side account: perpetual positions, margin, realized PnL, reduce-only."""

from decimal import Context, Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hftcore.errors import ConfigError
from hftcore.model.enums import AggressorSide, OrderType, Side
from hftcore.model.order_events import OrderRejected
from tests.builders.backtest import (
    make_matching_engine,
    make_order,
    make_simple_instrument,
    reports,
)


def perpetual_engine(balance="10000", leverage="10"):
    instrument = make_simple_instrument("BTCUSDT-PERP", kind="PERPETUAL")
    return instrument, make_matching_engine(
        instrument, balances={"USDT": balance}, leverage=leverage
    )


def test_perpetual_buy_opens_a_long_at_the_fill_price_and_charges_the_fee_in_settle():
    instrument, engine = perpetual_engine()
    engine.submit_order(make_order(Side.BUY, 10, 101, instrument), 1_000)
    position = engine.account.position(instrument.id)
    assert (position.quantity, position.avg_price) == (10, 101)
    assert engine.account.total("USDT") == Decimal("10000") - Decimal("0.505")


def test_closing_a_perpetual_long_realizes_the_price_difference():
    instrument, engine = perpetual_engine()
    engine.submit_order(make_order(Side.BUY, 10, 101, instrument), 1_000)
    engine.apply_book_level(Side.BUY, 110, 10)
    engine.submit_order(make_order(Side.SELL, 10, 110, instrument), 2_000)
    position = engine.account.position(instrument.id)
    # (110 - 101) * 10 = 90; fees 0.505 + 110 * 10 * 0.0005 = 0.55.
    assert (position.quantity, position.realized_pnl) == (0, 90)
    assert engine.account.total("USDT") == Decimal("10090") - Decimal("0.505") - Decimal("0.55")


def test_partial_close_keeps_the_average_entry_of_the_rest():
    instrument, engine = perpetual_engine()
    engine.submit_order(make_order(Side.BUY, 10, 101, instrument), 1_000)
    engine.submit_order(make_order(Side.SELL, 4, 100, instrument), 2_000)
    position = engine.account.position(instrument.id)
    assert (position.quantity, position.avg_price, position.realized_pnl) == (6, 101, -4)


def test_perpetual_order_needs_initial_margin():
    instrument, engine = perpetual_engine(balance="100", leverage="10")
    # 10 @ 101 = 1010 notional: 101 of margin plus the taker fee reserve > 100.
    engine.submit_order(make_order(Side.BUY, 10, 101, instrument), 1_000)
    assert type(reports(engine)[0]) is OrderRejected


def test_open_position_uses_margin():
    instrument, engine = perpetual_engine(balance="1000", leverage="2")
    engine.submit_order(make_order(Side.BUY, 10, 101, instrument), 1_000)
    assert engine.account.free("USDT") == Decimal("1000") - Decimal("0.505") - Decimal("505")


def test_reduce_only_order_that_would_increase_the_position_is_rejected():
    instrument, engine = perpetual_engine()
    engine.submit_order(make_order(Side.BUY, 1, 100, instrument, reduce_only=True), 1_000)
    (event,) = reports(engine)
    assert "reduce-only" in event.reason


def test_reduce_only_order_that_reduces_the_position_is_accepted():
    instrument, engine = perpetual_engine()
    engine.submit_order(make_order(Side.BUY, 10, 101, instrument), 1_000)
    engine.submit_order(
        make_order(
            Side.SELL, 5, order_type=OrderType.MARKET, instrument=instrument, reduce_only=True
        ),
        2_000,
    )
    assert engine.account.position(instrument.id).quantity == 5


def test_maker_fill_of_a_resting_spot_sell_unlocks_the_base_asset():
    engine = make_matching_engine(balances={"USDT": "0", "BTC": "5"})
    engine.submit_order(make_order(Side.SELL, 5, 102), 1_000)
    assert engine.account.locked("BTC") == 5
    engine.apply_trade(103, 1, AggressorSide.BUYER, 2_000)
    assert (engine.account.locked("BTC"), engine.account.total("BTC")) == (0, 0)
    assert engine.account.total("USDT") == Decimal("510") - Decimal("0.051")


def test_negative_starting_balance_is_a_config_error():
    with pytest.raises(ConfigError, match="BTC"):
        make_matching_engine(balances={"BTC": "-1"})


def _exact_lock(price: int, quantity: int, leverage: int | None) -> Decimal:
    # The requirement in exact Python ints at the account's 10**-24 units, rounded up.
    notional = price * quantity * 10**24
    fee_reserve = -((-notional * 5) // 10_000)  # taker 0.0005
    need = notional + fee_reserve if leverage is None else fee_reserve - ((-notional) // leverage)
    return Decimal(need).scaleb(-24, Context(prec=100))


@settings(max_examples=200)
@given(
    price=st.integers(1, 10**12),
    quantity=st.integers(1, 10**15),
    leverage=st.one_of(st.none(), st.integers(1, 125)),
)
def test_order_lock_is_exact_whether_or_not_it_fits_128_bits(price, quantity, leverage):
    # 10**14 quote units is about where int128 ends at 24 places: above it the account's
    # C arithmetic overflows and the exact Python path must give the same amount.
    kind = "SPOT" if leverage is None else "PERPETUAL"
    instrument = make_simple_instrument(
        "BTCUSDT" if leverage is None else "BTCUSDT-PERP", kind=kind
    )
    engine = make_matching_engine(
        instrument, balances={"USDT": "1E+40"}, bids=(), asks=(), leverage=str(leverage or 1)
    )
    engine.submit_order(make_order(Side.BUY, quantity, price, instrument), 1_000)
    assert engine.account.locked("USDT") == _exact_lock(price, quantity, leverage)
