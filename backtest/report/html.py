"""The self-contained ``report.html`` of a run: header, key figures, charts and tables.

Everything the page shows is inside the file: charts are inline SVG (see `backtest.report.svg`),
styles are one ``<style>`` element, and there is no script, external font, image or link, so the
report opens offline from a ``file://`` URL and can be mailed as one attachment.

Charts, each a ``<figure class="chart">`` with a stable id: ``chart-equity``, ``chart-pnl``,
``chart-drawdown`` and, per instrument (``slug`` of ``BTCUSDT.BINANCE`` is ``btcusdt-binance``),
``chart-quotes-<slug>`` (mid, our best bid and ask, fills) and ``chart-inventory-<slug>``
(position). Tables: ``stats-table``, ``instruments-table``, ``run-table``.
"""

import datetime as dt
import html
import json
import re
from collections.abc import Sequence
from typing import Any

import numpy as np
import polars as pl

from backtest.report import stats
from backtest.report.run_folder import RunFolder
from backtest.report.summary import (
    METRICS,
    NOT_AVAILABLE,
    format_amount,
    format_metric,
    instrument_ids,
    portfolio_series,
)
from backtest.report.svg import Chart, Line, Markers, render_chart
from hftcore.monitoring.logging import redact

_NS_PER_S = 1_000_000_000

_KEY_FIGURES = ("pnl", "return", "sharpe", "max_drawdown", "fills", "volume")

_METRICS_BY_KEY = {metric.key: metric for metric in METRICS}

_STYLE = """
:root { --ink: #111827; --muted: #6b7280; --line: #e5e7eb; --panel: #ffffff; --bg: #f3f4f6;
  --up: #15803d; --down: #b91c1c; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--ink);
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
  "Liberation Sans", "DejaVu Sans", sans-serif; }
main { max-width: 1080px; margin: 0 auto; padding: 24px 24px 48px; }
header h1 { margin: 0 0 4px; font-size: 24px; font-weight: 650; }
header .subtitle { color: var(--muted); margin: 0; }
h2 { font-size: 17px; margin: 32px 0 12px; font-weight: 650; }
h3 { font-size: 15px; margin: 20px 0 8px; font-weight: 600; }
.cards { display: grid; grid-template-columns: repeat(6, 1fr); gap: 10px; margin-top: 20px; }
.card { background: var(--panel); border: 1px solid var(--line); border-radius: 8px;
  padding: 10px 12px; }
.card .label { color: var(--muted); font-size: 12px; text-transform: uppercase;
  letter-spacing: .04em; }
.card .value { font-size: 18px; font-weight: 650; font-variant-numeric: tabular-nums;
  white-space: nowrap; }
.positive { color: var(--up); } .negative { color: var(--down); }
figure.chart { background: var(--panel); border: 1px solid var(--line); border-radius: 8px;
  margin: 0 0 14px; padding: 10px 12px 4px; }
figure.chart figcaption { font-weight: 600; margin-bottom: 2px; }
figure.chart .note { color: var(--muted); font-weight: 400; font-size: 12px; }
figure.chart svg { display: block; width: 100%; height: auto; }
.no-data { color: var(--muted); }
svg text { font-size: 11px; fill: #374151; }
svg .axis-label { fill: var(--muted); font-size: 11px; }
svg .legend-label { font-size: 12px; fill: var(--ink); }
svg .grid { stroke: var(--line); stroke-width: 1; }
svg .grid.zero { stroke: #9ca3af; }
svg .axis-line, svg .tick { stroke: #9ca3af; stroke-width: 1; }
svg clipPath rect { fill: none; }
svg .series { fill: none; stroke-width: 1.5; stroke-linejoin: round; stroke-linecap: round; }
svg .swatch { stroke-width: 3; }
svg .area { stroke: none; opacity: .18; }
svg .marker { stroke: #ffffff; stroke-width: .6; }
.s-equity { stroke: #1d4ed8; fill: #1d4ed8; }
.s-pnl { stroke: #111827; fill: #111827; }
.s-realized { stroke: #0891b2; fill: #0891b2; }
.s-unrealized { stroke: #d97706; fill: #d97706; }
.s-drawdown { stroke: #b91c1c; fill: #b91c1c; }
.s-mid { stroke: #6b7280; fill: #6b7280; }
.s-bid { stroke: #15803d; fill: #15803d; }
.s-ask { stroke: #b91c1c; fill: #b91c1c; }
.s-position { stroke: #7c3aed; fill: #7c3aed; }
.m-buy, .m-buy .marker { fill: #15803d; }
.m-sell, .m-sell .marker { fill: #b91c1c; }
table { width: 100%; border-collapse: collapse; background: var(--panel);
  border: 1px solid var(--line); border-radius: 8px; overflow: hidden; }
th, td { text-align: left; padding: 6px 12px; border-bottom: 1px solid var(--line);
  vertical-align: top; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.group th { background: #f9fafb; color: var(--muted); font-size: 12px;
  text-transform: uppercase; letter-spacing: .04em; }
td.definition { color: var(--muted); }
details { margin-top: 12px; }
pre { background: var(--panel); border: 1px solid var(--line); border-radius: 8px;
  padding: 12px; overflow-x: auto; font-size: 12px; }
footer { color: var(--muted); font-size: 12px; margin-top: 32px; }
@media (max-width: 800px) { .cards { grid-template-columns: repeat(3, 1fr); } }
"""


def render_report(run: RunFolder, summary: dict[str, Any]) -> str:
    """Render the HTML report of ``run``.

    Parameters
    ----------
    run : RunFolder
        The loaded run folder.
    summary : dict
        ``build_summary(run)``.

    Returns
    -------
    str
        A complete HTML document that loads nothing from outside itself.
    """
    info = run.info
    currency = summary["quote_currency"]
    portfolio = portfolio_series(run.equity)
    x_range = _x_range(portfolio, summary)
    sections = [
        _header(run, summary),
        _key_figures(summary),
        "<h2>Portfolio</h2>",
        *(render_chart(chart) for chart in _portfolio_charts(portfolio, currency, x_range)),
    ]
    for instrument_id in instrument_ids(run):
        sections.append(f"<h2>{html.escape(instrument_id)}</h2>")
        sections.extend(
            render_chart(chart) for chart in _instrument_charts(run, instrument_id, x_range)
        )
    sections += [
        "<h2>Statistics</h2>",
        _stats_table(summary),
        "<h2>Instruments</h2>",
        _instruments_table(summary),
        "<h2>Run</h2>",
        _run_table(run, summary),
        _config_block(info.config),
        "<footer>Statistics are defined in docs/reports.md. Series are downsampled for display "
        "keeping each interval's first, last, minimum and maximum point.</footer>",
    ]
    title = f"Backtest report: {info.strategy}"
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(title)}</title><style>{_STYLE}</style></head>"
        "<body><main>" + "\n".join(sections) + "</main></body></html>\n"
    )


def instrument_slug(instrument_id: str) -> str:
    """Return the lower-case id fragment of an instrument, e.g. ``btcusdt-binance``.

    Parameters
    ----------
    instrument_id : str
        E.g. ``"BTCUSDT.BINANCE"``.

    Returns
    -------
    str
        Lower case, each run of characters other than letters and digits replaced by ``-``.
    """
    return re.sub(r"[^a-z0-9]+", "-", instrument_id.lower()).strip("-")


def format_utc(ts_ns: int | None) -> str:
    """Render UNIX nanoseconds as ``YYYY-MM-DD HH:MM:SS.mmm UTC``.

    Parameters
    ----------
    ts_ns : int or None
        UNIX time, ns.

    Returns
    -------
    str
        The time, or `NOT_AVAILABLE` for None.
    """
    if ts_ns is None:
        return NOT_AVAILABLE
    moment = dt.datetime.fromtimestamp(ts_ns // _NS_PER_S, tz=dt.UTC)
    return f"{moment:%Y-%m-%d %H:%M:%S}.{(ts_ns % _NS_PER_S) // 1_000_000:03d} UTC"


def format_duration(duration_ns: int) -> str:
    """Render a duration as the two largest of days, hours, minutes, seconds.

    Parameters
    ----------
    duration_ns : int
        Duration, ns; not negative.

    Returns
    -------
    str
        E.g. ``"2 h 05 min"``, ``"3 min 20 s"``, ``"1 d 04 h"``, ``"0.250 s"``.
    """
    seconds = duration_ns / _NS_PER_S
    if seconds < 60:
        return f"{seconds:.3f} s" if seconds < 10 else f"{seconds:.0f} s"
    minutes, second = divmod(int(seconds), 60)
    hours, minute = divmod(minutes, 60)
    days, hour = divmod(hours, 24)
    if days:
        return f"{days} d {hour:02d} h"
    if hours:
        return f"{hours} h {minute:02d} min"
    return f"{minutes} min {second:02d} s"


def _x_range(portfolio: pl.DataFrame, summary: dict[str, Any]) -> tuple[int, int] | None:
    if portfolio.height:
        return int(portfolio["ts"][0]), int(portfolio["ts"][-1])
    if summary["start_ns"] is not None and summary["end_ns"] is not None:
        return summary["start_ns"], summary["end_ns"]
    return None


def _header(run: RunFolder, summary: dict[str, Any]) -> str:
    start_ns, end_ns = summary["start_ns"], summary["end_ns"]
    period = f"{format_utc(start_ns)} → {format_utc(end_ns)}"
    if start_ns is not None and end_ns is not None:
        period += f" ({format_duration(max(0, end_ns - start_ns))})"
    instruments = ", ".join(run.info.instruments or instrument_ids(run))
    return (
        f"<header><h1>Backtest report: {html.escape(run.info.strategy)}</h1>"
        f'<p class="subtitle" id="run-period">{html.escape(period)}</p>'
        f'<p class="subtitle">{html.escape(instruments)} · run {html.escape(run.path.name)}</p>'
        "</header>"
    )


def _key_figures(summary: dict[str, Any]) -> str:
    cards = []
    for key in _KEY_FIGURES:
        metric = _METRICS_BY_KEY[key]
        value = summary[key]
        tone = ""
        if key in ("pnl", "return") and value:
            tone = " positive" if value > 0 else " negative"
        cards.append(
            f'<div class="card" id="kpi-{key.replace("_", "-")}"><div class="label">'
            f'{html.escape(metric.label)}</div><div class="value{tone}">'
            f"{html.escape(format_metric(metric, value, summary['quote_currency']))}</div></div>"
        )
    return '<section class="cards">' + "".join(cards) + "</section>"


def _portfolio_charts(
    portfolio: pl.DataFrame, currency: str, x_range: tuple[int, int] | None
) -> list[Chart]:
    ts_ns = portfolio["ts"].to_numpy()
    equity = portfolio["equity_f64"].to_numpy()
    drawdown_pct = -100.0 * stats.drawdown_series(equity)
    return [
        Chart(
            "chart-equity",
            "Equity (marked to mid)",
            f"equity ({currency})",
            [Line("Equity", ts_ns, equity, "s-equity")],
            x_range_ns=x_range,
        ),
        Chart(
            "chart-pnl",
            "PnL",
            f"PnL ({currency})",
            [
                Line("Total", ts_ns, portfolio["pnl_f64"].to_numpy(), "s-pnl"),
                Line("Realized", ts_ns, portfolio["realized_pnl_f64"].to_numpy(), "s-realized"),
                Line(
                    "Unrealized",
                    ts_ns,
                    portfolio["unrealized_pnl_f64"].to_numpy(),
                    "s-unrealized",
                ),
            ],
            x_range_ns=x_range,
        ),
        Chart(
            "chart-drawdown",
            "Drawdown from running peak",
            "drawdown (%)",
            [Line("Drawdown", ts_ns, drawdown_pct, "s-drawdown", is_area=True)],
            x_range_ns=x_range,
        ),
    ]


def _instrument_charts(
    run: RunFolder, instrument_id: str, x_range: tuple[int, int] | None
) -> list[Chart]:
    slug = instrument_slug(instrument_id)
    samples = run.equity.filter(pl.col("instrument_id") == instrument_id)
    fills = run.fills.filter(pl.col("instrument_id") == instrument_id)
    ts_ns = samples["ts"].to_numpy()
    return [
        Chart(
            f"chart-quotes-{slug}",
            f"Quotes vs mid: {instrument_id}",
            "price",
            [
                Line("Mid", ts_ns, samples["mid_f64"].to_numpy(), "s-mid"),
                Line("Our bid", ts_ns, samples["our_bid_f64"].to_numpy(), "s-bid", is_step=True),
                Line("Our ask", ts_ns, samples["our_ask_f64"].to_numpy(), "s-ask", is_step=True),
            ],
            markers=[
                _fill_markers(fills.filter(pl.col("side") == "BUY"), "Buy fills", "m-buy", True),
                _fill_markers(
                    fills.filter(pl.col("side") == "SELL"), "Sell fills", "m-sell", False
                ),
            ],
            x_range_ns=x_range,
        ),
        Chart(
            f"chart-inventory-{slug}",
            f"Inventory: {instrument_id}",
            "position (base units)",
            [
                Line(
                    "Position",
                    ts_ns,
                    samples["position_f64"].to_numpy(),
                    "s-position",
                    is_step=True,
                    is_area=True,
                )
            ],
            x_range_ns=x_range,
        ),
    ]


def _fill_markers(fills: pl.DataFrame, label: str, css_class: str, points_up: bool) -> Markers:
    titles = [
        f"{row['side']} {row['quantity']} @ {row['price']} ({row['liquidity'].lower()}) "
        f"{format_utc(row['ts_event'])}"
        for row in fills.select("side", "quantity", "price", "liquidity", "ts_event").iter_rows(
            named=True
        )
    ]
    return Markers(
        label,
        fills["ts_event"].to_numpy(),
        fills["price_f64"].to_numpy(),
        css_class,
        points_up,
        titles,
    )


def _stats_table(summary: dict[str, Any]) -> str:
    rows = []
    group = None
    for metric in METRICS:
        if metric.group != group:
            group = metric.group
            rows.append(f'<tr class="group"><th colspan="3">{html.escape(group)}</th></tr>')
        value = format_metric(metric, summary[metric.key], summary["quote_currency"])
        rows.append(
            f'<tr id="stat-{metric.key.replace("_", "-")}"><td>{html.escape(metric.label)}</td>'
            f'<td class="num">{html.escape(value)}</td>'
            f'<td class="definition">{html.escape(metric.description)}</td></tr>'
        )
    return (
        '<table id="stats-table"><thead><tr><th>Statistic</th><th class="num">Value</th>'
        "<th>Definition</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table>"
    )


def _instruments_table(summary: dict[str, Any]) -> str:
    currency = summary["quote_currency"]
    headers = ("Instrument", "Orders", "Fills", "Maker", "Taker", "Volume", "Final position")
    headers += ("Spread captured",)
    rows = []
    for entry in summary["instruments"]:
        cells = [
            f"{entry['orders']:,}",
            f"{entry['fills']:,}",
            f"{entry['maker_fills']:,}",
            f"{entry['taker_fills']:,}",
            f"{format_amount(entry['volume'])} {currency}",
            _plain_number(entry["final_position"]),
            format_metric(
                _METRICS_BY_KEY["avg_spread_captured"],
                entry["avg_spread_captured"],
                currency,
            ),
        ]
        rows.append(
            f"<tr><td>{html.escape(entry['instrument_id'])}</td>"
            + "".join(f'<td class="num">{html.escape(cell)}</td>' for cell in cells)
            + "</tr>"
        )
    head = f"<th>{headers[0]}</th>" + "".join(f'<th class="num">{h}</th>' for h in headers[1:])
    return (
        f'<table id="instruments-table"><thead><tr>{head}</tr></thead><tbody>'
        + "".join(rows)
        + "</tbody></table>"
    )


def _run_table(run: RunFolder, summary: dict[str, Any]) -> str:
    info = run.info
    rows: Sequence[tuple[str, str]] = (
        ("Strategy", info.strategy),
        ("Strategy file", info.strategy_file),
        ("Data", f"{info.data} ({info.source})" if info.source else info.data),
        ("Venues", ", ".join(info.venues)),
        ("Instruments", ", ".join(info.instruments)),
        ("Start", format_utc(summary["start_ns"])),
        ("End", format_utc(summary["end_ns"])),
        ("Seed", "" if info.seed is None else str(info.seed)),
        ("Queue model", _model_text(info.queue_model)),
        ("Latency model", _model_text(info.latency_model)),
        ("Initial equity", f"{format_amount(info.initial_equity)} {info.quote_currency}"),
        ("Return interval", f"{summary['returns_interval_s']:g} s (Sharpe, Sortino)"),
        ("hftcore", info.hftcore_version),
        ("Run folder", str(run.path)),
    )
    body = "".join(
        f"<tr><th>{html.escape(name)}</th><td>{html.escape(value or NOT_AVAILABLE)}</td></tr>"
        for name, value in rows
    )
    return f'<table id="run-table"><tbody>{body}</tbody></table>'


def _config_block(config: dict[str, Any]) -> str:
    text = redact(json.dumps(config, indent=2, sort_keys=True, default=str))
    return (
        "<details><summary>Strategy configuration</summary>"
        f"<pre>{html.escape(text)}</pre></details>"
    )


def _model_text(model: Any) -> str:
    if model is None:
        return ""
    if isinstance(model, str):
        return model
    return json.dumps(model, sort_keys=True, default=str)


def _plain_number(value: float | None) -> str:
    if value is None or not np.isfinite(value):
        return NOT_AVAILABLE
    return f"{value:,.8f}".rstrip("0").rstrip(".")
