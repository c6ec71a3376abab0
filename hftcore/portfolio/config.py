"""Typed configuration of the portfolio (shadow ledger), the ``[portfolio]`` TOML table.

Example::

    [portfolio]
    quote_currency = "USDT"            # currency of equity() and of the PnL totals
    money_precision = 8                # decimal places of amounts written to the cache
    default_leverage = "1"
    leverage = { "BTCUSDT-PERP.BINANCE" = "10" }
    prices = { USDC = "1" }            # fallback marks, in quote_currency, for equity()

    [[portfolio.balances]]             # starting balances (backtest and paper)
    venue = "BINANCE"
    asset = "USDT"
    amount = "100000"

    [portfolio.rebalance]
    min_free = { USDT = "5000" }       # a venue under this free balance needs a top-up
    target_free = { USDT = "20000" }   # the suggested transfer refills it to this level
    execute_transfers = false          # live transfers run only when this is true
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import msgspec

from hftcore.config import load_config

MAX_MONEY_PRECISION = 18
"""Most decimal places a ``Money`` amount can have."""


def _invalid(field: str, expected: str, value: object) -> msgspec.ValidationError:
    return msgspec.ValidationError(f"expected {expected}, got {value!r} - at `$.{field}`")


def _check_amounts(
    field: str, amounts: dict[str, Decimal], *, allow_zero: bool
) -> msgspec.ValidationError | None:
    for key, amount in amounts.items():
        if not amount.is_finite() or amount < 0 or (amount == 0 and not allow_zero):
            expected = "a decimal >= 0" if allow_zero else "a decimal > 0"
            return _invalid(f"{field}[{key}]", expected, str(amount))
    return None


class InitialBalance(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """A starting balance of one asset on one venue (backtest and paper).

    Attributes
    ----------
    venue : str
        Venue name, e.g. ``"BINANCE"``.
    asset : str
        Asset code, e.g. ``"USDT"``.
    amount : Decimal
        Total amount held, a decimal string (may be negative on borrowing accounts).
    """

    venue: str
    asset: str
    amount: Decimal

    def validate(self, path: str) -> None:
        """Raise ``msgspec.ValidationError`` naming ``path.field`` for an invalid value.

        Parameters
        ----------
        path : str
            Path of this entry inside ``[portfolio]``, e.g. ``"balances[0]"``.
        """
        if not self.amount.is_finite():
            raise _invalid(f"{path}.amount", "a finite decimal", str(self.amount))


class RebalanceConfig(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """When a venue runs low on an asset, and what transfer to suggest.

    Attributes
    ----------
    min_free : dict[str, Decimal]
        Asset -> free balance under which a venue needs a top-up (a ``RebalanceNeeded`` is
        emitted once per crossing).
    target_free : dict[str, Decimal]
        Asset -> free balance the suggested transfer refills the venue to; twice ``min_free``
        when absent.
    execute_transfers : bool
        Opt-in for live transfers: only when true does the portfolio hand each signal to the
        transfer executor set with ``Portfolio.set_transfer_executor``. Default false: signals
        are only published.
    """

    min_free: dict[str, Decimal] = msgspec.field(default_factory=dict)
    target_free: dict[str, Decimal] = msgspec.field(default_factory=dict)
    execute_transfers: bool = False

    def validate(self, path: str) -> None:
        """Raise ``msgspec.ValidationError`` naming ``path.field`` for an invalid value.

        Parameters
        ----------
        path : str
            Path of this table inside ``[portfolio]``: ``"rebalance"``.
        """
        error = _check_amounts(
            f"{path}.min_free", self.min_free, allow_zero=True
        ) or _check_amounts(f"{path}.target_free", self.target_free, allow_zero=False)
        if error is not None:
            raise error
        for asset, target in self.target_free.items():
            minimum = self.min_free.get(asset)
            field = f"{path}.target_free[{asset}]"
            if minimum is None:
                raise _invalid(field, f"an asset with a min_free level ({asset})", None)
            if target < minimum:
                raise _invalid(field, f"a level >= min_free {minimum}", str(target))


class PortfolioConfig(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Configuration of the shadow ledger.

    Attributes
    ----------
    quote_currency : str
        Currency of ``equity()`` and of PnL totals across instruments; default ``"USDT"``.
    money_precision : int
        Decimal places (0..18) of the ``Money`` amounts written to the cache and events;
        default 8. The ledger itself keeps exact decimals.
    default_leverage : Decimal
        Leverage of perpetuals and futures without an entry in ``leverage``; default 1.
    leverage : dict[str, Decimal]
        Instrument id (``"BTCUSDT-PERP.BINANCE"``) -> leverage; margin is notional / leverage.
    market_order_buffer_bps : Decimal
        A market order reserves its quantity at the touch moved this many basis points against
        it (buys above the ask, sells below the bid); default 50.
    prices : dict[str, Decimal]
        Asset -> price in ``quote_currency``, used by ``equity()`` when no book marks the asset.
    balances : list[InitialBalance]
        Starting balances (backtest and paper); live balances come from the venues.
    rebalance : RebalanceConfig, optional
        Rebalancing signals; off when absent.
    """

    quote_currency: str = "USDT"
    money_precision: int = 8
    default_leverage: Decimal = Decimal(1)
    leverage: dict[str, Decimal] = msgspec.field(default_factory=dict)
    market_order_buffer_bps: Decimal = Decimal(50)
    prices: dict[str, Decimal] = msgspec.field(default_factory=dict)
    balances: list[InitialBalance] = msgspec.field(default_factory=list)
    rebalance: RebalanceConfig | None = None

    def __post_init__(self) -> None:
        if not self.quote_currency or not self.quote_currency.isalnum():
            raise _invalid("quote_currency", "an asset code such as 'USDT'", self.quote_currency)
        if not 0 <= self.money_precision <= MAX_MONEY_PRECISION:
            raise _invalid("money_precision", "an int in 0..18", self.money_precision)
        if not self.default_leverage.is_finite() or self.default_leverage < 1:
            raise _invalid("default_leverage", "a decimal >= 1", str(self.default_leverage))
        for key, leverage in self.leverage.items():
            if not leverage.is_finite() or leverage < 1:
                raise _invalid(f"leverage[{key}]", "a decimal >= 1", str(leverage))
        if not self.market_order_buffer_bps.is_finite() or self.market_order_buffer_bps < 0:
            raise _invalid(
                "market_order_buffer_bps", "a decimal >= 0", str(self.market_order_buffer_bps)
            )
        error = _check_amounts("prices", self.prices, allow_zero=False)
        if error is not None:
            raise error
        for index, balance in enumerate(self.balances):
            balance.validate(f"balances[{index}]")
        if self.rebalance is not None:
            self.rebalance.validate("rebalance")


def load_portfolio_config(path: str | Path, section: str = "portfolio") -> PortfolioConfig:
    """Load a `PortfolioConfig` from the ``section`` table of a TOML file.

    Parameters
    ----------
    path : str or Path
        The TOML file.
    section : str
        Dotted name of the table; ``"portfolio"`` by default.

    Returns
    -------
    PortfolioConfig

    Raises
    ------
    ConfigError
        If the file or a field is invalid; the message names the file and the field.
    """
    return load_config(path, PortfolioConfig, section=section)
