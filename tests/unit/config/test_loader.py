from decimal import Decimal

import msgspec
import pytest

from hftcore.config import load_config
from hftcore.errors import ConfigError


class RiskConfig(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    max_open_orders: int
    max_order_notional: Decimal
    heartbeat_s: float = 10.0


class AppConfig(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    name: str
    risk: RiskConfig


@pytest.fixture
def write_toml(tmp_path):
    def write(text: str | bytes, name: str = "app.toml"):
        path = tmp_path / name
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        return path

    return write


VALID = """
name = "maker"

[risk]
max_open_orders = 20
max_order_notional = "2500.50"
"""


def test_load_config_converts_the_whole_file(write_toml):
    config = load_config(write_toml(VALID), AppConfig)
    assert config == AppConfig(
        name="maker",
        risk=RiskConfig(max_open_orders=20, max_order_notional=Decimal("2500.50")),
    )


def test_load_config_converts_one_section(write_toml):
    config = load_config(write_toml(VALID), RiskConfig, section="risk")
    assert (config.max_open_orders, config.heartbeat_s) == (20, 10.0)


def test_load_config_follows_a_dotted_section(write_toml):
    path = write_toml('[venues.binance.risk]\nmax_open_orders = 3\nmax_order_notional = "1"\n')
    assert load_config(path, RiskConfig, section="venues.binance.risk").max_open_orders == 3


def test_missing_file_names_the_file(tmp_path):
    path = tmp_path / "absent.toml"
    with pytest.raises(ConfigError) as error:
        load_config(path, AppConfig)
    assert str(error.value) == f"{path}: config file not found"


def test_directory_instead_of_file_names_the_path(tmp_path):
    with pytest.raises(ConfigError, match="is a directory, expected a TOML file"):
        load_config(tmp_path, AppConfig)


def test_bad_toml_names_the_file_and_line(write_toml):
    path = write_toml('name = "maker"\n\n[risk]\nmax_open_orders = \n')
    with pytest.raises(ConfigError) as error:
        load_config(path, AppConfig)
    assert str(error.value).startswith(f"{path}: invalid TOML: ")
    assert "line 4" in str(error.value)


def test_non_utf8_file_names_the_file_and_byte(write_toml):
    path = write_toml(b'name = "m\xffaker"\n')
    with pytest.raises(ConfigError) as error:
        load_config(path, AppConfig)
    assert str(error.value) == f"{path}: not valid UTF-8 (byte 9)"


def test_wrong_type_names_the_field_and_the_file(write_toml):
    path = write_toml(VALID.replace("max_open_orders = 20", 'max_open_orders = "many"'))
    with pytest.raises(ConfigError) as error:
        load_config(path, AppConfig)
    assert str(error.value) == f"{path}: Expected `int`, got `str` - at `$.risk.max_open_orders`"


def test_wrong_type_in_a_section_names_the_section(write_toml):
    path = write_toml(VALID.replace("max_open_orders = 20", "max_open_orders = 2.5"))
    with pytest.raises(ConfigError) as error:
        load_config(path, RiskConfig, section="risk")
    assert str(error.value) == (
        f"{path}: [risk] Expected `int`, got `float` - at `$.max_open_orders`"
    )


def test_unknown_field_names_the_field_and_the_file(write_toml):
    path = write_toml(VALID + "max_position = 3\n")
    with pytest.raises(ConfigError) as error:
        load_config(path, AppConfig)
    assert str(error.value) == f"{path}: Object contains unknown field `max_position` - at `$.risk`"


def test_missing_required_field_names_the_field(write_toml):
    path = write_toml(VALID.replace("max_open_orders = 20\n", ""))
    with pytest.raises(ConfigError, match="missing required field `max_open_orders`"):
        load_config(path, AppConfig)


def test_missing_section_names_the_first_missing_table(write_toml):
    path = write_toml(VALID)
    with pytest.raises(ConfigError) as error:
        load_config(path, RiskConfig, section="venues.binance")
    assert str(error.value) == f"{path}: missing table [venues]"


def test_section_that_is_a_value_not_a_table_is_refused(write_toml):
    path = write_toml(VALID)
    with pytest.raises(ConfigError) as error:
        load_config(path, RiskConfig, section="name")
    assert str(error.value) == f"{path}: [name] expected a table, got str"
