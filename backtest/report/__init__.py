"""Statistics and reports of a finished backtest run folder.

`write_report` reads the files the backtest engine wrote (``run.json``, ``orders.parquet``,
``fills.parquet``, ``equity.parquet``), writes ``summary.json`` and the self-contained
``report.html`` beside them and returns the summary; `format_summary_table` turns the summary into
the rich table ``hft backtest`` and ``hft report`` print. docs/reports.md defines every statistic.
"""

from pathlib import Path
from typing import Any

from backtest.report.html import render_report
from backtest.report.run_folder import (
    REPORT_FILE,
    SUMMARY_FILE,
    RunFolder,
    RunInfo,
    read_run_folder,
)
from backtest.report.summary import METRICS, Metric, MetricKind, build_summary, write_summary
from backtest.report.table import format_summary_table

__all__ = [
    "METRICS",
    "REPORT_FILE",
    "SUMMARY_FILE",
    "Metric",
    "MetricKind",
    "RunFolder",
    "RunInfo",
    "build_summary",
    "format_summary_table",
    "read_run_folder",
    "render_report",
    "write_report",
]


def write_report(run_dir: Path) -> dict[str, Any]:
    """Write ``summary.json`` and ``report.html`` into ``run_dir`` and return the summary.

    Parameters
    ----------
    run_dir : Path
        A run folder holding ``run.json``, ``orders.parquet``, ``fills.parquet`` and
        ``equity.parquet``.

    Returns
    -------
    dict
        The summary, as written to ``summary.json`` (see `build_summary`).

    Raises
    ------
    DataUnavailableError
        If ``run_dir`` is not a directory or lacks one of the four files.
    DecodeError
        If one of the files is malformed; the message names the file and the field.
    """
    run_dir = Path(run_dir)
    run = read_run_folder(run_dir)
    summary = build_summary(run)
    write_summary(summary, run_dir / SUMMARY_FILE)
    (run_dir / REPORT_FILE).write_text(render_report(run, summary), encoding="utf-8")
    return summary
