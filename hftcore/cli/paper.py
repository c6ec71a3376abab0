"""``hft paper``: run a strategy on live market data with simulated fills."""

import argparse

from hftcore.cli.arguments import add_trading_arguments
from hftcore.cli.unavailable import report_unavailable


def register(subparsers: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """Add the ``paper`` command.

    Parameters
    ----------
    subparsers : argparse._SubParsersAction
        The ``hft`` parser's subcommand registry.
    """
    parser = subparsers.add_parser(
        "paper",
        help="run a strategy on live market data with simulated fills",
        description=(
            "Stream live market data from the venues given by --venue and run STRATEGY_FILE "
            "against the simulated venue: no order leaves the process."
        ),
    )
    add_trading_arguments(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Run the strategy described by ``args``.

    Parameters
    ----------
    args : argparse.Namespace
        Parsed ``hft paper`` arguments.

    Returns
    -------
    int
        Exit status.
    """
    return report_unavailable("paper", "paper trading and the venue adapters are not built yet")
