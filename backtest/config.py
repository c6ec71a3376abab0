"""Configuration of a backtest: the ``[backtest]`` table of the run TOML file and model specs.

Example (the same file's ``[strategy]`` table configures the strategy)::

    [backtest]
    queue_model = "power:2"            # risk_averse | power[:N] | log
    latency = "constant:entry=2ms,response=2ms"
    feed_latency = "recv"               # recv | event+<duration>[,sigma=S]
    seed = 7
    sample_interval_ms = 1000

    [backtest.venues.BINANCE]
    balances = { USDT = "100000", BTC = "1" }   # also the portfolio's starting balances
    maker_fee = "0.0001"
    taker_fee = "0.0004"
    fee_asset = "received"
    latency = "random:entry=3ms,response=3ms,sigma=0.3"

    [risk]                              # hftcore.risk.RiskConfig, as live; defaults when absent
    [risk.max_position]
    quantity = "0.05"

    [portfolio]                         # hftcore.portfolio.PortfolioConfig, without balances
    quote_currency = "USDT"

Durations are written with a unit: ``ns``, ``us``, ``ms`` or ``s`` (a bare integer is ns).
"""

from __future__ import annotations

import re
from pathlib import Path

import msgspec

from backtest.models.latency import (
    ConstantLatency,
    EventDelayFeed,
    FeedLatency,
    LatencyModel,
    RandomLatency,
    ReceiveTimeFeed,
    RecordedLatency,
)
from backtest.models.queue import ProbQueueModel, QueueModel, RiskAverseQueueModel
from hftcore.config import load_config
from hftcore.errors import ConfigError
from hftcore.portfolio.config import PortfolioConfig, load_portfolio_config
from hftcore.risk.config import RiskConfig, load_risk_config

DEFAULT_QUOTE_BALANCE = "1000000"
"""Starting balance of every quote (and settlement) asset when a venue's balances are not given."""

DEFAULT_BASE_BALANCE = "10"
"""Starting balance of every spot base asset (also where it quotes another pair) by default."""

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ns|us|µs|ms|s)?\s*$")
_UNIT_NS = {None: 1, "ns": 1, "us": 1_000, "µs": 1_000, "ms": 1_000_000, "s": 1_000_000_000}


class VenueConfig(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Settings of one simulated venue.

    Attributes
    ----------
    balances : dict[str, str]
        Asset -> starting balance (decimal string). Empty: ``DEFAULT_QUOTE_BALANCE`` of each
        quote/settlement asset and ``DEFAULT_BASE_BALANCE`` of each base asset.
    maker_fee, taker_fee : str, optional
        Fee rates overriding the instruments' own (decimal strings, negative for a rebate).
    fee_asset : str, optional
        ``"quote"`` or ``"received"``; the run's ``fee_asset`` when omitted.
    latency : str, optional
        Order-entry/response latency spec of this venue; the run's ``latency`` when omitted.
    leverage : str
        Leverage of derivative positions (initial margin = notional / leverage).
    """

    balances: dict[str, str] = msgspec.field(default_factory=dict)
    maker_fee: str | None = None
    taker_fee: str | None = None
    fee_asset: str | None = None
    latency: str | None = None
    leverage: str = "1"


class BacktestConfig(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Settings of a backtest run (``[backtest]``).

    Attributes
    ----------
    queue_model : str
        ``risk_averse``, ``power[:N]`` (default exponent 2) or ``log``.
    latency : str
        Order-entry and response latency: ``constant:entry=D,response=D`` (or ``constant:D``),
        ``random:entry=D,response=D[,sigma=S][,min=D][,max=D]`` or ``recorded:PATH`` (Parquet or
        CSV with ``ts_ns``, ``entry_ns``, ``response_ns``); ``zero`` for none.
    feed_latency : str
        ``recv`` (the strategy sees rows at ``ts_recv``) or ``event+D[,sigma=S]``.
    seed : int
        Seed of every random model.
    fee_asset : str
        Default fee asset of spot fills: ``quote`` or ``received``.
    sample_interval_ms : int
        Data time between equity samples, ms.
    max_feed_lag_ms : int
        Longest recorded ``ts_recv - ts_event`` honoured on the venue timeline, ms.
    venues : dict[str, VenueConfig]
        Per-venue settings, keyed by upper-case venue name.
    """

    queue_model: str = "risk_averse"
    latency: str = "constant:entry=1ms,response=1ms"
    feed_latency: str = "recv"
    seed: int = 0
    fee_asset: str = "quote"
    sample_interval_ms: int = 1000
    max_feed_lag_ms: int = 1000
    venues: dict[str, VenueConfig] = msgspec.field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.sample_interval_ms <= 0:
            raise msgspec.ValidationError(
                f"expected > 0, got {self.sample_interval_ms} - at `$.sample_interval_ms`"
            )
        if self.max_feed_lag_ms < 0:
            raise msgspec.ValidationError(
                f"expected >= 0, got {self.max_feed_lag_ms} - at `$.max_feed_lag_ms`"
            )


def _has_table(path: str | Path, table: str) -> bool:
    import tomllib

    try:
        with Path(path).open("rb") as file:
            return table in tomllib.load(file)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from exc


def load_backtest_config(path: str | Path | None) -> BacktestConfig:
    """Load the ``[backtest]`` table of ``path``; defaults when there is no file or no table.

    Parameters
    ----------
    path : str or Path or None
        The run's TOML file.

    Returns
    -------
    BacktestConfig

    Raises
    ------
    ConfigError
        If the file is unreadable or a field is invalid (the message names the field).
    """
    if path is None or not _has_table(path, "backtest"):
        return BacktestConfig()
    return load_config(path, BacktestConfig, section="backtest")


def load_backtest_risk_config(path: str | Path | None) -> RiskConfig:
    """Load the ``[risk]`` table of ``path`` for a backtest; ``RiskConfig()`` when absent.

    The table is the one a live run reads. Unless ``[risk.kill_switch] file`` names a file,
    a backtest polls no kill-switch file (``RiskEngine`` reads the default path only in paper
    and live).

    Parameters
    ----------
    path : str or Path or None
        The run's TOML file.

    Returns
    -------
    RiskConfig

    Raises
    ------
    ConfigError
        If the file is unreadable or a field is invalid (the message names the field).
    """
    if path is None or not _has_table(path, "risk"):
        return RiskConfig()
    return load_risk_config(path)


def load_backtest_portfolio_config(path: str | Path | None) -> PortfolioConfig:
    """Load the ``[portfolio]`` table of ``path`` for a backtest; ``PortfolioConfig()`` if absent.

    Starting balances have one source in a backtest, ``[backtest.venues.<VENUE>] balances``
    (or their defaults): the runner gives the same numbers to the simulated accounts and to
    the portfolio, so ``[portfolio] balances`` is refused.

    Parameters
    ----------
    path : str or Path or None
        The run's TOML file.

    Returns
    -------
    PortfolioConfig
        Without balances.

    Raises
    ------
    ConfigError
        If the file is unreadable, a field is invalid or ``balances`` is set.
    """
    if path is None or not _has_table(path, "portfolio"):
        return PortfolioConfig()
    config = load_portfolio_config(path)
    if config.balances:
        raise ConfigError(
            f"{path}: portfolio.balances: a backtest takes its starting balances from "
            "[backtest.venues.<VENUE>] balances (the simulated accounts and the portfolio "
            "share them); move them there"
        )
    return config


def parse_duration_ns(text: str, field: str) -> int:
    """Parse ``"5ms"``, ``"250us"``, ``"1s"`` or ``"1200"`` (ns) into nanoseconds.

    Parameters
    ----------
    text : str
        The duration.
    field : str
        Where it comes from, for the error message.

    Returns
    -------
    int
        Nanoseconds, >= 0.

    Raises
    ------
    ConfigError
        If ``text`` is not a duration.
    """
    match = _DURATION.match(str(text))
    if match is None:
        raise ConfigError(f"{field}: expected a duration like 5ms, 250us or 1s, got {text!r}")
    return round(float(match.group(1)) * _UNIT_NS[match.group(2)])


def _options(body: str, field: str) -> dict[str, str]:
    options = {}
    for part in filter(None, (p.strip() for p in body.split(","))):
        key, sep, value = part.partition("=")
        if not sep:
            raise ConfigError(f"{field}: expected key=value, got {part!r}")
        options[key.strip()] = value.strip()
    return options


def parse_latency(spec: str, seed: int, field: str = "latency") -> LatencyModel:
    """Build an order-entry/response latency model from its spec (see ``BacktestConfig``).

    Parameters
    ----------
    spec : str
        The spec, e.g. ``"constant:entry=2ms,response=3ms"``.
    seed : int
        Seed of a random model.
    field : str
        Where the spec comes from, for error messages.

    Returns
    -------
    LatencyModel

    Raises
    ------
    ConfigError
        If the spec is malformed.
    """
    kind, _, body = spec.strip().partition(":")
    if kind == "zero" and not body:
        return ConstantLatency(0, 0)
    if kind == "constant":
        if body and "=" not in body:
            delay = parse_duration_ns(body, field)
            return ConstantLatency(delay, delay)
        options = _options(body, field)
        unknown = set(options) - {"entry", "response"}
        if unknown:
            raise ConfigError(f"{field}: unknown option(s) {sorted(unknown)} in {spec!r}")
        return ConstantLatency(
            parse_duration_ns(options.get("entry", "0"), f"{field}.entry"),
            parse_duration_ns(options.get("response", "0"), f"{field}.response"),
        )
    if kind == "random":
        options = _options(body, field)
        unknown = set(options) - {"entry", "response", "sigma", "min", "max"}
        if unknown:
            raise ConfigError(f"{field}: unknown option(s) {sorted(unknown)} in {spec!r}")
        try:
            sigma = float(options.get("sigma", "0.3"))
        except ValueError as exc:
            raise ConfigError(f"{field}.sigma: expected a number in {spec!r}") from exc
        return RandomLatency(
            parse_duration_ns(options.get("entry", "1ms"), f"{field}.entry"),
            parse_duration_ns(options.get("response", "1ms"), f"{field}.response"),
            sigma,
            seed,
            parse_duration_ns(options.get("min", "0"), f"{field}.min"),
            parse_duration_ns(options.get("max", "10s"), f"{field}.max"),
        )
    if kind == "recorded" and body:
        return RecordedLatency.from_file(body)
    raise ConfigError(
        f"{field}: expected zero, constant:..., random:... or recorded:PATH, got {spec!r}"
    )


def parse_feed_latency(spec: str, seed: int) -> FeedLatency:
    """Build the market data feed model from its spec: ``recv`` or ``event+D[,sigma=S]``.

    Parameters
    ----------
    spec : str
        The spec.
    seed : int
        Seed of a random delay.

    Returns
    -------
    FeedLatency

    Raises
    ------
    ConfigError
        If the spec is malformed.
    """
    text = spec.strip()
    if text == "recv":
        return ReceiveTimeFeed()
    if text.startswith("event+"):
        delay, _, rest = text[len("event+") :].partition(",")
        options = _options(rest, "feed_latency")
        unknown = set(options) - {"sigma"}
        if unknown:
            raise ConfigError(f"feed_latency: unknown option(s) {sorted(unknown)} in {spec!r}")
        try:
            sigma = float(options.get("sigma", "0"))
        except ValueError as exc:
            raise ConfigError(f"feed_latency.sigma: expected a number in {spec!r}") from exc
        return EventDelayFeed(parse_duration_ns(delay, "feed_latency"), sigma, seed)
    raise ConfigError(f"feed_latency: expected recv or event+<duration>, got {spec!r}")


def parse_queue_model(spec: str) -> QueueModel:
    """Build a queue-position model from its spec: ``risk_averse``, ``power[:N]`` or ``log``.

    Parameters
    ----------
    spec : str
        The spec.

    Returns
    -------
    QueueModel

    Raises
    ------
    ConfigError
        If the spec is unknown or the exponent is not a positive number.
    """
    kind, _, body = spec.strip().partition(":")
    if kind == "risk_averse" and not body:
        return RiskAverseQueueModel()
    if kind == "log" and not body:
        return ProbQueueModel("log")
    if kind == "power":
        try:
            exponent = float(body) if body else 2.0
        except ValueError as exc:
            raise ConfigError(
                f"queue_model: power exponent must be a number, got {body!r}"
            ) from exc
        return ProbQueueModel("power", exponent)
    raise ConfigError(f"queue_model: expected risk_averse, power[:N] or log, got {spec!r}")
