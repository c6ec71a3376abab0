"""``hft report``: render the report of a finished backtest run and print its summary."""

import argparse
from pathlib import Path

from rich.console import Console


def register(subparsers: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """Add the ``report`` command.

    Parameters
    ----------
    subparsers : argparse._SubParsersAction
        The ``hft`` parser's subcommand registry.
    """
    parser = subparsers.add_parser(
        "report",
        help="show the report of a finished run",
        description=(
            "Recompute the statistics of the run folder RUN_DIR (written by 'hft backtest'), "
            "rewrite its summary.json and self-contained report.html, and print the summary "
            "table. Statistics are defined in docs/reports.md."
        ),
    )
    parser.add_argument(
        "run_dir",
        metavar="RUN_DIR",
        type=Path,
        help="folder a backtest wrote run.json, orders/fills/equity.parquet to",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Write the report of ``args.run_dir`` and print its summary table.

    Parameters
    ----------
    args : argparse.Namespace
        Parsed ``hft report`` arguments.

    Returns
    -------
    int
        0 once ``summary.json`` and ``report.html`` are written and the table printed.

    Raises
    ------
    DataUnavailableError
        If ``RUN_DIR`` is not a run folder; the message names the path and the missing files.
    DecodeError
        If a file of the run folder is malformed; the message names the file and field.
    """
    # Imported here: polars and pyarrow take most of a second to load, which every other
    # ``hft`` command (and ``hft --help``) would otherwise pay.
    from backtest.report import REPORT_FILE, format_summary_table, write_report

    summary = write_report(args.run_dir)
    console = Console()
    console.print(format_summary_table(summary))
    console.print(f"report: {args.run_dir / REPORT_FILE}", highlight=False, soft_wrap=True)
    return 0
