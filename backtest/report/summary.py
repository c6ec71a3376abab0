"""The statistics of one run (``summary.json``): what each is, how it is computed and shown.

`METRICS` lists every statistic with its label, display kind and definition, in display order;
`build_summary` computes them from a loaded `RunFolder`; `format_metric` renders one value for
the terminal table and the HTML report. docs/reports.md gives the full definitions.
"""

import json
import math
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from backtest.report import stats
from backtest.report.run_folder import RunFolder


class MetricKind(Enum):
    """How a statistic's value is shown."""

    COUNT = "count"
    MONEY = "money"
    FRACTION = "fraction"
    SIGNED_FRACTION = "signed_fraction"
    RATIO = "ratio"
    BPS = "bps"
    SECONDS = "seconds"
    RATE = "rate"


@dataclass(frozen=True)
class Metric:
    """One statistic of ``summary.json``.

    Attributes
    ----------
    key : str
        Its key in ``summary.json``.
    label : str
        Its name in tables.
    kind : MetricKind
        How its value is shown.
    group : str
        The table section it belongs to.
    description : str
        One-line definition (docs/reports.md has the full one).
    """

    key: str
    label: str
    kind: MetricKind
    group: str
    description: str


METRICS: tuple[Metric, ...] = (
    Metric("pnl", "PnL", MetricKind.MONEY, "PnL", "final equity minus initial equity"),
    Metric("return", "Return", MetricKind.SIGNED_FRACTION, "PnL", "PnL / initial equity"),
    Metric(
        "realized_pnl",
        "Realized PnL",
        MetricKind.MONEY,
        "PnL",
        "PnL of closed positions, before fees",
    ),
    Metric(
        "unrealized_pnl",
        "Unrealized PnL",
        MetricKind.MONEY,
        "PnL",
        "open positions marked to mid at the end",
    ),
    Metric("fees", "Fees", MetricKind.MONEY, "PnL", "fees paid, net of rebates (positive = paid)"),
    Metric("initial_equity", "Initial equity", MetricKind.MONEY, "PnL", "equity at the start"),
    Metric("final_equity", "Final equity", MetricKind.MONEY, "PnL", "equity at the last sample"),
    Metric(
        "sharpe",
        "Sharpe",
        MetricKind.RATIO,
        "Risk",
        "annualized mean / stdev of 1-minute equity returns (24/7 year)",
    ),
    Metric(
        "sortino",
        "Sortino",
        MetricKind.RATIO,
        "Risk",
        "annualized mean / downside deviation of 1-minute equity returns",
    ),
    Metric(
        "max_drawdown",
        "Max drawdown",
        MetricKind.FRACTION,
        "Risk",
        "largest fall of equity below its running peak, fraction of the peak",
    ),
    Metric("orders", "Orders", MetricKind.COUNT, "Execution", "orders created"),
    Metric(
        "orders_filled",
        "Orders with a fill",
        MetricKind.COUNT,
        "Execution",
        "orders with a filled quantity above zero",
    ),
    Metric(
        "fill_ratio",
        "Fill ratio",
        MetricKind.FRACTION,
        "Execution",
        "orders with a fill / orders",
    ),
    Metric("fills", "Fills", MetricKind.COUNT, "Execution", "fills (partial fills count each)"),
    Metric("maker_fills", "Maker fills", MetricKind.COUNT, "Execution", "fills as maker"),
    Metric("taker_fills", "Taker fills", MetricKind.COUNT, "Execution", "fills as taker"),
    Metric("volume", "Volume", MetricKind.MONEY, "Execution", "traded notional"),
    Metric(
        "avg_spread_captured",
        "Avg spread captured",
        MetricKind.BPS,
        "Execution",
        "mean signed distance of maker fills from mid, bps, positive = favourable",
    ),
    Metric("events", "Events", MetricKind.COUNT, "Replay", "market data events replayed"),
    Metric("wall_s", "Wall time", MetricKind.SECONDS, "Replay", "wall-clock replay time"),
    Metric("events_per_s", "Speed", MetricKind.RATE, "Replay", "events / wall time"),
)
"""Every statistic of ``summary.json``, in display order."""

INSTRUMENT_KEYS = (
    "instrument_id",
    "orders",
    "fills",
    "maker_fills",
    "taker_fills",
    "volume",
    "final_position",
    "avg_spread_captured",
)
"""Keys of each entry of ``summary["instruments"]``."""

MAKER = "MAKER"
"""``liquidity`` of a maker fill."""

TAKER = "TAKER"
"""``liquidity`` of a taker fill."""

BUY = "BUY"
"""``side`` of a buy."""

NOT_AVAILABLE = "n/a"
"""How an undefined statistic (None) is shown."""


def build_summary(
    run: RunFolder, returns_interval_ns: int = stats.RETURNS_INTERVAL_NS
) -> dict[str, Any]:
    """Compute every statistic of ``run``.

    Parameters
    ----------
    run : RunFolder
        The loaded run folder.
    returns_interval_ns : int, default `stats.RETURNS_INTERVAL_NS`
        Interval equity is resampled to for the Sharpe and Sortino ratios, ns.

    Returns
    -------
    dict
        One key per `METRICS` entry (None where a statistic is undefined; never NaN), plus
        ``strategy``, ``quote_currency``, ``start_ns``, ``end_ns``, ``returns_interval_s``,
        ``periods_per_year`` and ``instruments`` (one dict of `INSTRUMENT_KEYS` per instrument).
    """
    info = run.info
    portfolio = portfolio_series(run.equity)
    equity = portfolio["equity_f64"].to_numpy()
    returns = stats.simple_returns(
        stats.resample_last(portfolio["ts"].to_numpy(), equity, returns_interval_ns)
    )
    year_periods = stats.periods_per_year(returns_interval_ns)
    last = portfolio.row(-1, named=True) if portfolio.height else None
    pnl = last["pnl_f64"] if last else None
    orders_filled = int((run.orders["filled_quantity"] > 0).sum())
    summary: dict[str, Any] = {
        "strategy": info.strategy,
        "quote_currency": info.quote_currency,
        "start_ns": _first_not_none(info.start_ns, _first_ts(portfolio)),
        "end_ns": _first_not_none(info.end_ns, _last_ts(portfolio)),
        "events": info.events,
        "wall_s": _finite(info.wall_s),
        "events_per_s": _finite(info.events_per_s),
        "orders": run.orders.height,
        "orders_filled": orders_filled,
        "fill_ratio": stats.ratio(orders_filled, run.orders.height),
        **_fill_counts(run.fills),
        "initial_equity": _finite(info.initial_equity),
        "final_equity": _finite(last["equity_f64"]) if last else None,
        "pnl": _finite(pnl) if last else None,
        "realized_pnl": _finite(last["realized_pnl_f64"]) if last else None,
        "unrealized_pnl": _finite(last["unrealized_pnl_f64"]) if last else None,
        "fees": _finite(last["fees_f64"]) if last else None,
        "return": stats.total_return(pnl, info.initial_equity) if last else None,
        "sharpe": stats.sharpe_ratio(returns, year_periods),
        "sortino": stats.sortino_ratio(returns, year_periods),
        "max_drawdown": stats.max_drawdown(equity),
        "returns_interval_s": returns_interval_ns / 1e9,
        "periods_per_year": year_periods,
        "instruments": [
            _instrument_summary(run, instrument_id) for instrument_id in instrument_ids(run)
        ],
    }
    return {key: summary[key] for key in _summary_key_order()}


def portfolio_series(equity: pl.DataFrame) -> pl.DataFrame:
    """Return the portfolio totals of ``equity.parquet``, one row per sample.

    Parameters
    ----------
    equity : polars.DataFrame
        `RunFolder.equity` (long format, sorted by ``ts``).

    Returns
    -------
    polars.DataFrame
        Columns ``ts``, ``equity_f64``, ``pnl_f64``, ``realized_pnl_f64``,
        ``unrealized_pnl_f64``, ``fees_f64``; one row per distinct ``ts``, ascending.
    """
    return equity.unique(subset="ts", keep="first", maintain_order=True).select(
        "ts", "equity_f64", "pnl_f64", "realized_pnl_f64", "unrealized_pnl_f64", "fees_f64"
    )


def instrument_ids(run: RunFolder) -> list[str]:
    """Return every instrument of the run: ``run.json``'s first, then any other seen in the data.

    Parameters
    ----------
    run : RunFolder
        The loaded run folder.

    Returns
    -------
    list of str
        Distinct instrument ids in first-seen order.
    """
    seen = dict.fromkeys(run.info.instruments)
    for frame in (run.equity, run.orders, run.fills):
        seen.update(dict.fromkeys(frame["instrument_id"].unique(maintain_order=True).to_list()))
    return list(seen)


def write_summary(summary: dict[str, Any], path: Path) -> None:
    """Write ``summary`` as indented JSON; undefined values are ``null``, never ``NaN``.

    Parameters
    ----------
    summary : dict
        `build_summary`'s result.
    path : Path
        Destination, usually ``<run>/summary.json``.

    Raises
    ------
    ValueError
        If a value is NaN or infinite (a bug in `build_summary`: it maps those to None).
    """
    path.write_text(json.dumps(summary, indent=2, allow_nan=False) + "\n", encoding="utf-8")


def format_metric(metric: Metric, value: float | None, quote_currency: str) -> str:
    """Render one statistic for a table.

    Parameters
    ----------
    metric : Metric
        The statistic.
    value : float or None
        Its value; None when undefined.
    quote_currency : str
        Currency of money values, e.g. ``"USDT"``.

    Returns
    -------
    str
        E.g. ``"1,234.50 USDT"``, ``"+1.23 %"``, ``"0.85 bps"``, ``"12,345"``; `NOT_AVAILABLE`
        for None.
    """
    if value is None:
        return NOT_AVAILABLE
    kind = metric.kind
    if kind is MetricKind.COUNT:
        return f"{int(value):,}"
    if kind is MetricKind.MONEY:
        return f"{format_amount(value)} {quote_currency}"
    if kind is MetricKind.FRACTION:
        return f"{value * 100:.2f} %"
    if kind is MetricKind.SIGNED_FRACTION:
        return f"{value * 100:+.3f} %"
    if kind is MetricKind.RATIO:
        return f"{value:,.2f}"
    if kind is MetricKind.BPS:
        return f"{value:+.2f} bps"
    if kind is MetricKind.SECONDS:
        return f"{value:,.2f} s"
    return f"{value:,.0f} /s"


def format_amount(value: float) -> str:
    """Render an amount with thousands separators and enough decimals to show small values.

    Parameters
    ----------
    value : float
        Any finite amount.

    Returns
    -------
    str
        Two decimals from 1 up (``"-1,234.50"``), four below (``"0.0123"``).
    """
    decimals = 2 if abs(value) >= 1 or value == 0 else 4
    return f"{value:,.{decimals}f}"


def _fill_counts(fills: pl.DataFrame) -> dict[str, Any]:
    is_maker = (fills["liquidity"] == MAKER).to_numpy()
    return {
        "fills": fills.height,
        "maker_fills": int(is_maker.sum()),
        "taker_fills": int((fills["liquidity"] == TAKER).sum()),
        "volume": float(fills["notional_f64"].sum()),
        "avg_spread_captured": _avg_spread_captured(fills.filter(is_maker)),
    }


def _avg_spread_captured(maker_fills: pl.DataFrame) -> float | None:
    return stats.finite_mean(
        stats.spread_captured_bps(
            (maker_fills["side"] == BUY).to_numpy(),
            maker_fills["price_f64"].to_numpy(),
            maker_fills["mid_at_fill_f64"].to_numpy(),
        )
    )


def _instrument_summary(run: RunFolder, instrument_id: str) -> dict[str, Any]:
    fills = run.fills.filter(pl.col("instrument_id") == instrument_id)
    counts = _fill_counts(fills)
    positions = run.equity.filter(pl.col("instrument_id") == instrument_id)["position_f64"]
    return {
        "instrument_id": instrument_id,
        "orders": run.orders.filter(pl.col("instrument_id") == instrument_id).height,
        "fills": counts["fills"],
        "maker_fills": counts["maker_fills"],
        "taker_fills": counts["taker_fills"],
        "volume": counts["volume"],
        "final_position": _finite(positions[-1]) if len(positions) else None,
        "avg_spread_captured": counts["avg_spread_captured"],
    }


def _summary_key_order() -> tuple[str, ...]:
    context = ("strategy", "quote_currency", "start_ns", "end_ns")
    trailer = ("returns_interval_s", "periods_per_year", "instruments")
    return context + tuple(metric.key for metric in METRICS) + trailer


def _first_ts(portfolio: pl.DataFrame) -> int | None:
    return int(portfolio["ts"][0]) if portfolio.height else None


def _last_ts(portfolio: pl.DataFrame) -> int | None:
    return int(portfolio["ts"][-1]) if portfolio.height else None


def _first_not_none(*values: int | None) -> int | None:
    return next((value for value in values if value is not None), None)


def _finite(value: float | np.floating | None) -> float | None:
    if value is None:
        return None
    value = float(value)
    return value if math.isfinite(value) else None
