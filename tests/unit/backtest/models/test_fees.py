"""Fee schedules: exact maker/taker fees in the right asset."""

from decimal import Decimal

import pytest

from backtest.models.fees import FeeSchedule
from hftcore.errors import ConfigError
from hftcore.model.enums import Side
from tests.builders.instruments import make_instrument, make_perpetual


def test_taker_fee_is_charged_in_the_quote_asset_by_default():
    fee = FeeSchedule("0.0002", "0.0004").fee(make_instrument(), Side.BUY, 6_173_763, 378, False)
    assert fee.currency == "USDT"


def test_fee_is_exact_to_the_last_digit():
    fee = FeeSchedule("0.0002", "0.0004").fee(make_instrument(), Side.BUY, 6_173_763, 378, False)
    assert fee.as_decimal() == Decimal("61737.63") * Decimal("0.00378") * Decimal("0.0004")


def test_maker_rebate_is_a_negative_fee():
    fee = FeeSchedule("-0.0001", "0.0004").fee(make_instrument(), Side.SELL, 6_173_763, 100, True)
    assert fee.as_decimal() == -Decimal("61737.63") * Decimal("0.001") * Decimal("0.0001")


def test_received_asset_mode_charges_base_on_a_spot_buy():
    fee = FeeSchedule("0.001", "0.001", "received").fee(
        make_instrument(), Side.BUY, 6_173_763, 378, False
    )
    assert (fee.as_decimal(), fee.currency) == (Decimal("0.00000378"), "BTC")


def test_received_asset_mode_charges_quote_on_a_spot_sell():
    fee = FeeSchedule("0.001", "0.001", "received").fee(
        make_instrument(), Side.SELL, 6_173_763, 378, False
    )
    assert fee.currency == "USDT"


def test_derivatives_pay_fees_in_their_settlement_asset():
    perpetual = make_perpetual()
    schedule = FeeSchedule("0.0002", "0.0005", "received")
    assert schedule.fee_currency(perpetual, Side.BUY) == perpetual.settle


def test_fee_agrees_with_the_instrument_fee():
    instrument = make_instrument()
    fee = FeeSchedule.for_instrument(instrument).fee(instrument, Side.BUY, 6_173_763, 378, True)
    assert fee.as_decimal() == instrument.fee(6_173_763, 378, True)


def test_rate_outside_minus_one_to_one_is_a_config_error():
    with pytest.raises(ConfigError, match="taker_fee"):
        FeeSchedule("0.001", "2")
