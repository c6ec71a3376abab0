"""``hft report``: render the report of a finished backtest or trading run."""

import argparse
from pathlib import Path

from hftcore.cli.unavailable import report_unavailable


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
        description="Render PnL, fills, fees, risk denials and latency figures of RUN_DIR.",
    )
    parser.add_argument(
        "run_dir",
        metavar="RUN_DIR",
        type=Path,
        help="directory a backtest, paper or live run wrote its results to",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Render the report of ``args.run_dir``.

    Parameters
    ----------
    args : argparse.Namespace
        Parsed ``hft report`` arguments.

    Returns
    -------
    int
        Exit status.
    """
    return report_unavailable("report", "run reports are not built yet")
