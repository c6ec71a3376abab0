"""The terminal summary of a run: one rich table printed by ``hft backtest`` and ``hft report``."""

from collections.abc import Mapping
from typing import Any

from rich.table import Table

from backtest.report.summary import METRICS, format_metric


def format_summary_table(summary: Mapping[str, Any]) -> Table:
    """Build the table of every statistic in ``summary``, grouped as in the HTML report.

    Parameters
    ----------
    summary : Mapping
        ``summary.json`` as `backtest.report.write_report` returns it.

    Returns
    -------
    rich.table.Table
        Columns Statistic and Value, a section per group (PnL, Risk, Execution, Replay);
        undefined statistics read ``n/a``.
    """
    table = Table(title=f"Backtest summary: {summary['strategy']}", title_justify="left")
    table.add_column("Group", style="dim")
    table.add_column("Statistic")
    table.add_column("Value", justify="right")
    group = None
    for metric in METRICS:
        if group is not None and metric.group != group:
            table.add_section()
        value = summary[metric.key]
        text = format_metric(metric, value, summary["quote_currency"])
        style = ""
        if metric.key in ("pnl", "return") and value:
            style = "green" if value > 0 else "red"
        table.add_row(
            metric.group if metric.group != group else "", metric.label, text, style=style
        )
        group = metric.group
    return table
