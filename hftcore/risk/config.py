"""Typed configuration of the risk engine, the ``[risk]`` TOML table.

Every check is one sub-table; a check runs when its table is present and ``enabled`` (true by
default). Without any table only the instrument rules, the price band and self-trade prevention
run (they need no numbers). Quantities are in units of the base asset and notionals in the
instrument's quote asset, as decimal strings; they become lots at the first order of each
instrument. Example::

    [risk]
    initial_state = "ACTIVE"

    [risk.max_position]
    quantity = "1"                                   # every instrument, base units, long or short
    instruments = { "BTCUSDT.BINANCE" = "0.5" }      # per instrument
    assets = { BTC = "2" }                           # summed over every venue

    [risk.max_order]
    notional = "50000"
    instruments = { "BTCUSDT.BINANCE" = { quantity = "0.25" } }

    [risk.max_open_orders]
    per_instrument = 20
    per_strategy = 50

    [risk.price_band]
    bps = "300"                                       # against the mid, else the last trade

    [risk.order_rate]
    per_strategy = { orders_per_s = 20, burst = 40 }
    per_venue = { orders_per_s = 50, burst = 100 }

    [risk.balance]                                   # needs a portfolio

    [risk.self_trade]
    scope = "account"                                # or "strategy"

    [risk.kill_switch]
    file = "/run/hft/kill_switch.json"               # default: see kill_switch.default_path()
    socket = "/run/hft/risk.sock"                    # optional unix datagram socket
    poll_interval_ms = 100
    poll_every_orders = 64

    [risk.triggers]
    quote_currency = "USDT"
    daily_loss_limit = "5000"
    max_drawdown = "8000"
    max_rejects = 10
    reject_window_ms = 60000
    halt_on_disconnect_with_position = true
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Literal

import msgspec

from hftcore.config import load_config


def _invalid(field: str, expected: str, value: object) -> msgspec.ValidationError:
    return msgspec.ValidationError(f"expected {expected}, got {value!r} - at `$.{field}`")


def _positive(field: str, value: Decimal | None) -> None:
    if value is not None and (not value.is_finite() or value <= 0):
        raise _invalid(field, "a decimal > 0", str(value))


def _positive_map(field: str, values: dict[str, Decimal]) -> None:
    for key, value in values.items():
        _positive(f"{field}[{key}]", value)


def _at_least(field: str, value: int | None, minimum: int) -> None:
    if value is not None and value < minimum:
        raise _invalid(field, f"an int >= {minimum}", value)


class _Section(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """A table of ``[risk]``; `RiskConfig` validates it with its full path (``$.a.b``)."""

    def validate(self, path: str) -> None:
        """Raise ``msgspec.ValidationError`` naming ``path.field`` for an invalid value.

        Parameters
        ----------
        path : str
            Dotted path of this table inside ``[risk]``, e.g. ``"max_position"``.
        """


class InstrumentRulesConfig(_Section, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Venue filters: tick, lot, minimum quantity and minimum notional.

    Orders are built in ticks and lots of the instrument, so they are on its grid by
    construction; ``tick_multiple`` / ``lot_multiple`` enforce a coarser venue filter.

    Attributes
    ----------
    enabled : bool
    tick_multiple : dict[str, int]
        Instrument id -> the price must be a multiple of this many ticks (default 1).
    lot_multiple : dict[str, int]
        Instrument id -> the quantity must be a multiple of this many lots (default 1).
    """

    enabled: bool = True
    tick_multiple: dict[str, int] = msgspec.field(default_factory=dict)
    lot_multiple: dict[str, int] = msgspec.field(default_factory=dict)

    def validate(self, path: str) -> None:
        """Raise naming ``path.field`` for an invalid value (see `_Section.validate`)."""
        for field in ("tick_multiple", "lot_multiple"):
            for key, value in getattr(self, field).items():
                _at_least(f"{path}.{field}[{key}]", value, 1)


class OrderLimits(_Section, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Per-instrument override of `MaxOrderConfig`.

    Attributes
    ----------
    quantity : Decimal, optional
        Largest order quantity, base units.
    notional : Decimal, optional
        Largest order notional, quote asset.
    """

    quantity: Decimal | None = None
    notional: Decimal | None = None

    def validate(self, path: str) -> None:
        """Raise naming ``path.field`` for an invalid value (see `_Section.validate`)."""
        _positive(f"{path}.quantity", self.quantity)
        _positive(f"{path}.notional", self.notional)


class MaxOrderConfig(_Section, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Largest order quantity and notional (``MAX_ORDER_QUANTITY``, ``MAX_ORDER_NOTIONAL``).

    Attributes
    ----------
    enabled : bool
    quantity : Decimal, optional
        Default largest quantity of one order, base units.
    notional : Decimal, optional
        Default largest notional of one order (market orders at the touch), quote asset.
    instruments : dict[str, OrderLimits]
        Instrument id -> overrides.
    """

    enabled: bool = True
    quantity: Decimal | None = None
    notional: Decimal | None = None
    instruments: dict[str, OrderLimits] = msgspec.field(default_factory=dict)

    def validate(self, path: str) -> None:
        """Raise naming ``path.field`` for an invalid value (see `_Section.validate`)."""
        _positive(f"{path}.quantity", self.quantity)
        _positive(f"{path}.notional", self.notional)
        for key, limits in self.instruments.items():
            limits.validate(f"{path}.instruments[{key}]")


class MaxPositionConfig(_Section, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Largest position, long or short, after the order fills (``MAX_POSITION``).

    The position counted is the current one plus this order plus the open orders on the same
    side, as if all filled.

    Attributes
    ----------
    enabled : bool
    quantity : Decimal, optional
        Default limit per instrument, base units.
    instruments : dict[str, Decimal]
        Instrument id -> limit, base units.
    assets : dict[str, Decimal]
        Base asset -> limit on the position summed over every instrument and venue.
    """

    enabled: bool = True
    quantity: Decimal | None = None
    instruments: dict[str, Decimal] = msgspec.field(default_factory=dict)
    assets: dict[str, Decimal] = msgspec.field(default_factory=dict)

    def validate(self, path: str) -> None:
        """Raise naming ``path.field`` for an invalid value (see `_Section.validate`)."""
        _positive(f"{path}.quantity", self.quantity)
        _positive_map(f"{path}.instruments", self.instruments)
        _positive_map(f"{path}.assets", self.assets)


class MaxOpenOrdersConfig(_Section, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Most open orders at once (``MAX_OPEN_ORDERS``); the new order is counted.

    Attributes
    ----------
    enabled : bool
    per_instrument : int, optional
        On one instrument, every strategy together.
    per_strategy : int, optional
        Of one strategy, every instrument together.
    """

    enabled: bool = True
    per_instrument: int | None = None
    per_strategy: int | None = None

    def validate(self, path: str) -> None:
        """Raise naming ``path.field`` for an invalid value (see `_Section.validate`)."""
        _at_least(f"{path}.per_instrument", self.per_instrument, 1)
        _at_least(f"{path}.per_strategy", self.per_strategy, 1)


class PriceBandConfig(_Section, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Fat-finger band: a limit price at most ``bps`` away from the mid (``PRICE_BAND``).

    The reference is the book's mid, else the last trade. Market orders are not banded.

    Attributes
    ----------
    enabled : bool
    bps : Decimal
        Default band, basis points; 500 (5%).
    instruments : dict[str, Decimal]
        Instrument id -> band, basis points.
    allow_without_reference : bool
        Let orders through when the instrument has no book and no trade yet; default false
        (denied with ``NO_REFERENCE_PRICE``).
    """

    enabled: bool = True
    bps: Decimal = Decimal(500)
    instruments: dict[str, Decimal] = msgspec.field(default_factory=dict)
    allow_without_reference: bool = False

    def validate(self, path: str) -> None:
        """Raise naming ``path.field`` for an invalid value (see `_Section.validate`)."""
        _positive(f"{path}.bps", self.bps)
        _positive_map(f"{path}.instruments", self.instruments)


class RateConfig(_Section, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """A token bucket: ``burst`` orders at once, refilled at ``orders_per_s``.

    Attributes
    ----------
    orders_per_s : float
        Refill rate, orders per second, > 0.
    burst : int
        Bucket size, >= 1.
    """

    orders_per_s: float
    burst: int

    def validate(self, path: str) -> None:
        """Raise naming ``path.field`` for an invalid value (see `_Section.validate`)."""
        if not self.orders_per_s > 0:
            raise _invalid(f"{path}.orders_per_s", "a number > 0", self.orders_per_s)
        _at_least(f"{path}.burst", self.burst, 1)


class OrderRateConfig(_Section, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """New-order rate limits (``RATE_LIMIT``), on the node clock.

    Separate from the execution engine's venue request limiter: this one protects against a
    runaway strategy.

    Attributes
    ----------
    enabled : bool
    per_strategy : RateConfig, optional
        One bucket per strategy.
    per_venue : RateConfig, optional
        One bucket per venue.
    """

    enabled: bool = True
    per_strategy: RateConfig | None = None
    per_venue: RateConfig | None = None

    def validate(self, path: str) -> None:
        """Raise naming ``path.field`` for an invalid value (see `_Section.validate`)."""
        for field in ("per_strategy", "per_venue"):
            rate = getattr(self, field)
            if rate is not None:
                rate.validate(f"{path}.{field}")


class BalanceConfig(_Section, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Shadow-balance sufficiency (``INSUFFICIENT_BALANCE``); needs a portfolio.

    Spot buys need the quote asset, spot sells the base asset, perpetuals and futures margin
    (notional / leverage of the portfolio config) in the settlement asset, each net of what open
    orders already reserve.

    Attributes
    ----------
    enabled : bool
    """

    enabled: bool = True


class SelfTradeConfig(_Section, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """No order that would cross one of our own resting orders (``SELF_TRADE``).

    Attributes
    ----------
    enabled : bool
    scope : str
        ``"account"`` (every strategy of the process, default) or ``"strategy"``.
    """

    enabled: bool = True
    scope: Literal["account", "strategy"] = "account"


class KillSwitchConfig(_Section, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Where the kill switch is flipped from outside the process (``hft kill``/``hft resume``).

    Attributes
    ----------
    file : str, optional
        State file read by mtime; ``hft kill`` writes it. Unset: the default path
        (``hftcore.risk.kill_switch.default_path()``) in paper and live, none in backtests.
        ``""`` turns the file off.
    socket : str
        Unix datagram socket the engine listens on; ``""`` (default) for none.
    redis_key : str
        Redis key holding the same command; used when a Redis client is given to the engine.
    poll_interval_ms : int
        Clock interval of the checks (and of the automatic triggers); default 100.
    poll_every_orders : int
        Also check every this many orders; default 64; 0 turns it off.
    """

    file: str | None = None
    socket: str = ""
    redis_key: str = ""
    poll_interval_ms: int = 100
    poll_every_orders: int = 64

    def validate(self, path: str) -> None:
        """Raise naming ``path.field`` for an invalid value (see `_Section.validate`)."""
        _at_least(f"{path}.poll_interval_ms", self.poll_interval_ms, 1)
        _at_least(f"{path}.poll_every_orders", self.poll_every_orders, 0)


class TriggersConfig(_Section, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Automatic kill-switch triggers; each is off unless set.

    Attributes
    ----------
    quote_currency : str
        Currency of the loss limits (portfolio equity is valued in it); default ``"USDT"``.
    daily_loss_limit : Decimal, optional
        Halt when equity falls this much below its value at the first check of the UTC day.
    max_drawdown : Decimal, optional
        Halt when equity falls this much below its highest value seen.
    max_rejects : int, optional
        Halt after this many venue rejects within ``reject_window_ms``.
    reject_window_ms : int
        Window of ``max_rejects``; default 60000.
    halt_on_disconnect_with_position : bool
        Halt when a venue disconnects while we hold a position on it; default true.
    """

    quote_currency: str = "USDT"
    daily_loss_limit: Decimal | None = None
    max_drawdown: Decimal | None = None
    max_rejects: int | None = None
    reject_window_ms: int = 60_000
    halt_on_disconnect_with_position: bool = True

    def validate(self, path: str) -> None:
        """Raise naming ``path.field`` for an invalid value (see `_Section.validate`)."""
        _positive(f"{path}.daily_loss_limit", self.daily_loss_limit)
        _positive(f"{path}.max_drawdown", self.max_drawdown)
        _at_least(f"{path}.max_rejects", self.max_rejects, 1)
        _at_least(f"{path}.reject_window_ms", self.reject_window_ms, 1)


class RiskConfig(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Configuration of the risk engine; every check is a sub-table.

    Attributes
    ----------
    initial_state : str
        ``"ACTIVE"`` (default) or ``"REDUCING"``; ``hft resume`` returns to it.
    instrument_rules : InstrumentRulesConfig, optional
        On by default.
    max_order : MaxOrderConfig, optional
    max_position : MaxPositionConfig, optional
    max_open_orders : MaxOpenOrdersConfig, optional
    price_band : PriceBandConfig, optional
        On by default (500 bps).
    order_rate : OrderRateConfig, optional
    balance : BalanceConfig, optional
    self_trade : SelfTradeConfig, optional
        On by default.
    kill_switch : KillSwitchConfig
    triggers : TriggersConfig
    """

    initial_state: Literal["ACTIVE", "REDUCING"] = "ACTIVE"
    instrument_rules: InstrumentRulesConfig | None = msgspec.field(
        default_factory=InstrumentRulesConfig
    )
    max_order: MaxOrderConfig | None = None
    max_position: MaxPositionConfig | None = None
    max_open_orders: MaxOpenOrdersConfig | None = None
    price_band: PriceBandConfig | None = msgspec.field(default_factory=PriceBandConfig)
    order_rate: OrderRateConfig | None = None
    balance: BalanceConfig | None = None
    self_trade: SelfTradeConfig | None = msgspec.field(default_factory=SelfTradeConfig)
    kill_switch: KillSwitchConfig = msgspec.field(default_factory=KillSwitchConfig)
    triggers: TriggersConfig = msgspec.field(default_factory=TriggersConfig)

    def __post_init__(self) -> None:
        for field in self.__struct_fields__:
            section = getattr(self, field)
            if isinstance(section, _Section):
                section.validate(field)


def load_risk_config(path: str | Path, section: str = "risk") -> RiskConfig:
    """Load a `RiskConfig` from the ``section`` table of a TOML file.

    Parameters
    ----------
    path : str or Path
        The TOML file.
    section : str
        Dotted name of the table; ``"risk"`` by default.

    Returns
    -------
    RiskConfig

    Raises
    ------
    ConfigError
        If the file or a field is invalid; the message names the file and the field.
    """
    return load_config(path, RiskConfig, section=section)
