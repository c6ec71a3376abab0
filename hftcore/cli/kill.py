"""``hft kill``: flip the kill switch so every running trading process stops trading."""

import argparse

from hftcore.cli.unavailable import report_unavailable


def register(subparsers: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """Add the ``kill`` command.

    Parameters
    ----------
    subparsers : argparse._SubParsersAction
        The ``hft`` parser's subcommand registry.
    """
    parser = subparsers.add_parser(
        "kill",
        help="stop all trading now (kill switch)",
        description=(
            "Set the kill switch read by every running live or paper process: each cancels its "
            "open orders and halts within one event."
        ),
    )
    parser.add_argument(
        "--reason", metavar="TEXT", help="why trading is stopped; recorded with the kill switch"
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Flip the kill switch.

    Parameters
    ----------
    args : argparse.Namespace
        Parsed ``hft kill`` arguments.

    Returns
    -------
    int
        Exit status.
    """
    return report_unavailable("kill", "the kill switch is not built yet")
