"""The [portfolio] configuration: defaults, loading, and errors naming the file and field."""

from decimal import Decimal

import pytest

from hftcore.errors import ConfigError
from hftcore.portfolio.config import PortfolioConfig, load_portfolio_config


def write(tmp_path, text):
    path = tmp_path / "paper.toml"
    path.write_text(text)
    return path


def test_defaults_value_in_usdt_at_one_times_leverage():
    config = PortfolioConfig()
    assert (config.quote_currency, config.money_precision) == ("USDT", 8)
    assert config.default_leverage == 1
    assert config.rebalance is None


def test_full_table_loads(tmp_path):
    config = load_portfolio_config(
        write(
            tmp_path,
            """
[portfolio]
quote_currency = "USDC"
leverage = { "BTCUSDT-PERP.BINANCE" = "10" }
prices = { USDT = "1" }
[[portfolio.balances]]
venue = "BINANCE"
asset = "USDT"
amount = "100000"
[portfolio.rebalance]
min_free = { USDT = "5000" }
target_free = { USDT = "20000" }
""",
        )
    )
    assert config.leverage == {"BTCUSDT-PERP.BINANCE": Decimal(10)}
    assert config.balances[0].amount == Decimal(100000)
    assert config.rebalance.target_free == {"USDT": Decimal(20000)}
    assert config.rebalance.execute_transfers is False


@pytest.mark.parametrize(
    ("table", "field"),
    [
        ("[portfolio]\nmoney_precision = 19", "money_precision"),
        ('[portfolio]\nleverage = { X = "0.5" }', "leverage[X]"),
        ('[portfolio]\nprices = { BTC = "0" }', "prices[BTC]"),
        ('[portfolio]\nquote_currency = "US DT"', "quote_currency"),
        (
            '[[portfolio.balances]]\nvenue = "B"\nasset = "USDT"\namount = "NaN"',
            "balances[0].amount",
        ),
        (
            '[portfolio.rebalance]\nmin_free = { USDT = "10" }\ntarget_free = { USDT = "5" }',
            "rebalance.target_free[USDT]",
        ),
        ('[portfolio.rebalance]\ntarget_free = { USDT = "5" }', "rebalance.target_free[USDT]"),
        ('[portfolio.rebalance]\nmin_free = { USDT = "-1" }', "rebalance.min_free[USDT]"),
    ],
)
def test_invalid_value_names_the_file_and_the_field(tmp_path, table, field):
    path = write(tmp_path, table)
    with pytest.raises(ConfigError) as error:
        load_portfolio_config(path)
    assert str(error.value).startswith(f"{path}: [portfolio] ")
    assert f"`$.{field}`" in str(error.value)
