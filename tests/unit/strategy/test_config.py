"""Tests of typed strategy configs loaded from TOML."""

import msgspec
import pytest

from hftcore.errors import ConfigError
from hftcore.strategy.config import StrategyConfig, load_strategy_config


class MakerConfig(StrategyConfig, frozen=True, kw_only=True, forbid_unknown_fields=True):
    spread_bps: float = 5.0
    order_size: str = "0.001"


def write(tmp_path, text):
    path = tmp_path / "maker.toml"
    path.write_text(text)
    return path


def test_strategy_section_is_loaded_into_the_typed_config(tmp_path):
    path = write(
        tmp_path,
        '[strategy]\nstrategy_id = "MM1"\ninstruments = ["BTCUSDT.BINANCE"]\nspread_bps = 7.5\n',
    )
    config = load_strategy_config(path, MakerConfig)
    assert config == MakerConfig(strategy_id="MM1", instruments=["BTCUSDT.BINANCE"], spread_bps=7.5)


def test_a_field_of_the_wrong_type_names_the_field_and_the_file(tmp_path):
    path = write(tmp_path, '[strategy]\nspread_bps = "wide"\n')
    with pytest.raises(ConfigError) as error:
        load_strategy_config(path, MakerConfig)
    assert "maker.toml" in str(error.value)
    assert "spread_bps" in str(error.value)


def test_an_unknown_field_is_refused(tmp_path):
    path = write(tmp_path, "[strategy]\nspred_bps = 3\n")
    with pytest.raises(ConfigError, match="spred_bps"):
        load_strategy_config(path, MakerConfig)


def test_a_strategy_id_that_would_break_client_order_ids_is_refused(tmp_path):
    path = write(tmp_path, '[strategy]\nstrategy_id = "market-maker-1"\n')
    with pytest.raises(ConfigError, match="strategy_id"):
        load_strategy_config(path, MakerConfig)


def test_strategy_id_is_checked_when_built_in_code_too():
    with pytest.raises(msgspec.ValidationError, match="strategy_id"):
        MakerConfig(strategy_id="")
