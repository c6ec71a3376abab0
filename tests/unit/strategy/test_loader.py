"""Tests of loading a strategy class from a file path."""

import pytest

from hftcore.errors import ConfigError
from hftcore.strategy.loader import load_strategy_class
from hftcore.strategy.strategy import Strategy

ONE_STRATEGY = """
from hftcore.strategy.strategy import Strategy

class Quoter(Strategy):
    pass
"""

TWO_STRATEGIES = """
from hftcore.strategy.strategy import Strategy

class A(Strategy):
    pass

class B(Strategy):
    pass
"""


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text)
    return path


def test_the_single_strategy_class_of_a_file_is_returned(tmp_path):
    cls = load_strategy_class(write(tmp_path, "quoter.py", ONE_STRATEGY))
    assert cls.__name__ == "Quoter"
    assert issubclass(cls, Strategy)


def test_a_file_with_two_strategies_needs_a_strategy_variable(tmp_path):
    with pytest.raises(ConfigError, match="A, B"):
        load_strategy_class(write(tmp_path, "two.py", TWO_STRATEGIES))


def test_the_strategy_variable_chooses_among_several(tmp_path):
    path = write(tmp_path, "two.py", TWO_STRATEGIES + "\nSTRATEGY = B\n")
    assert load_strategy_class(path).__name__ == "B"


def test_a_missing_file_is_named(tmp_path):
    with pytest.raises(ConfigError, match=r"nope\.py"):
        load_strategy_class(tmp_path / "nope.py")


def test_an_import_error_in_the_file_is_reported_with_the_file(tmp_path):
    path = write(tmp_path, "broken.py", "import does_not_exist_anywhere\n")
    with pytest.raises(ConfigError, match=r"broken\.py: import failed"):
        load_strategy_class(path)
