"""``hft live``: trade a strategy on real venues, every order through the risk engine."""

import argparse

from hftcore.cli.arguments import add_trading_arguments
from hftcore.cli.unavailable import report_unavailable


def register(subparsers: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """Add the ``live`` command.

    Parameters
    ----------
    subparsers : argparse._SubParsersAction
        The ``hft`` parser's subcommand registry.
    """
    parser = subparsers.add_parser(
        "live",
        help="trade a strategy on real venues",
        description=(
            "Connect to the venues given by --venue with the API keys named in the config, and "
            "run STRATEGY_FILE with real orders. Every order passes the risk engine; `hft kill` "
            "stops trading."
        ),
    )
    add_trading_arguments(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Run the strategy described by ``args``.

    Parameters
    ----------
    args : argparse.Namespace
        Parsed ``hft live`` arguments.

    Returns
    -------
    int
        Exit status.
    """
    return report_unavailable("live", "live trading and the venue adapters are not built yet")
