"""The [risk] configuration: defaults, loading, and errors naming the file and field."""

from decimal import Decimal

import pytest

from hftcore.errors import ConfigError
from hftcore.risk.config import RiskConfig, load_risk_config


def write(tmp_path, text):
    path = tmp_path / "live.toml"
    path.write_text(text)
    return path


def test_defaults_run_the_checks_that_need_no_numbers():
    config = RiskConfig()
    assert config.instrument_rules is not None
    assert config.price_band.bps == Decimal(500)
    assert config.self_trade.scope == "account"
    assert (config.max_order, config.max_position, config.balance) == (None, None, None)
    assert config.initial_state == "ACTIVE"


def test_full_table_loads_with_decimals(tmp_path):
    path = write(
        tmp_path,
        """
[risk]
initial_state = "REDUCING"
[risk.max_position]
quantity = "1"
instruments = { "BTCUSDT.BINANCE" = "0.5" }
assets = { BTC = "2" }
[risk.max_order]
notional = "50000"
instruments = { "BTCUSDT.BINANCE" = { quantity = "0.25" } }
[risk.order_rate]
per_strategy = { orders_per_s = 20, burst = 40 }
[risk.kill_switch]
socket = "/run/hft/risk.sock"
[risk.triggers]
daily_loss_limit = "5000"
max_rejects = 10
""",
    )
    config = load_risk_config(path)
    assert config.initial_state == "REDUCING"
    assert config.max_position.instruments == {"BTCUSDT.BINANCE": Decimal("0.5")}
    assert config.max_order.instruments["BTCUSDT.BINANCE"].quantity == Decimal("0.25")
    assert config.order_rate.per_strategy.burst == 40
    assert config.kill_switch.socket == "/run/hft/risk.sock"
    assert config.triggers.daily_loss_limit == Decimal(5000)


@pytest.mark.parametrize(
    ("table", "field"),
    [
        ('[risk.max_position]\nquantity = "-1"', "max_position.quantity"),
        ('[risk.max_position]\nassets = { BTC = "0" }', "max_position.assets[BTC]"),
        (
            '[risk.max_order]\ninstruments = { "X.Y" = { notional = "0" } }',
            "max_order.instruments[X.Y].notional",
        ),
        (
            "[risk.order_rate]\nper_venue = { orders_per_s = 0, burst = 1 }",
            "order_rate.per_venue.orders_per_s",
        ),
        ("[risk.max_open_orders]\nper_strategy = 0", "max_open_orders.per_strategy"),
        ("[risk.kill_switch]\npoll_interval_ms = 0", "kill_switch.poll_interval_ms"),
        ("[risk.triggers]\nmax_rejects = 0", "triggers.max_rejects"),
        ('[risk.price_band]\nbps = "abc"', "price_band.bps"),
        ('[risk]\ninitial_state = "HALTED"', "initial_state"),
    ],
)
def test_invalid_value_names_the_file_and_the_field(tmp_path, table, field):
    path = write(tmp_path, table)
    with pytest.raises(ConfigError) as error:
        load_risk_config(path)
    assert str(error.value).startswith(f"{path}: [risk] ")
    assert f"`$.{field}`" in str(error.value)


def test_unknown_field_is_refused(tmp_path):
    with pytest.raises(ConfigError, match="unknown field `max_positions`"):
        load_risk_config(write(tmp_path, "[risk.max_positions]\nquantity = 1"))
