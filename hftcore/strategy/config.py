"""Typed strategy configuration loaded from TOML."""

from __future__ import annotations

from pathlib import Path
from typing import TypeVar

import msgspec

from hftcore.config import load_config


class StrategyConfig(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Fields every strategy accepts; a strategy's own config subclasses this.

    Attributes
    ----------
    strategy_id : str
        Name of the strategy instance, used in client order ids, logs and reports. At most 8
        letters or digits so client order ids stay within every venue's limit.
    instruments : list[str]
        Instrument ids the strategy trades, e.g. ``["BTCUSDT.BINANCE"]``.
    """

    strategy_id: str = "S1"
    instruments: list[str] = msgspec.field(default_factory=list)

    def __post_init__(self) -> None:
        if not (1 <= len(self.strategy_id) <= 8 and self.strategy_id.isalnum()):
            raise msgspec.ValidationError(
                f"expected 1 to 8 letters or digits, got {self.strategy_id!r} - at `$.strategy_id`"
            )


ConfigT = TypeVar("ConfigT", bound=StrategyConfig)


def load_strategy_config(
    path: str | Path, config_type: type[ConfigT], section: str | None = "strategy"
) -> ConfigT:
    """Load a strategy config of ``config_type`` from the ``section`` table of a TOML file.

    Parameters
    ----------
    path : str or Path
        The TOML file.
    config_type : type
        The strategy's ``StrategyConfig`` subclass.
    section : str or None
        The table holding the strategy's fields (``[strategy]`` by default); ``None`` reads the
        top level.

    Returns
    -------
    StrategyConfig

    Raises
    ------
    ConfigError
        If the file is missing or malformed, or a field is invalid; the message names the file
        and the field.
    """
    return load_config(path, config_type, section=section)
