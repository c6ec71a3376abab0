"""``hft resume``: clear the kill switch so trading processes may trade again."""

import argparse

from hftcore.cli.kill import add_target_arguments, send_command
from hftcore.risk.kill_switch import RESUME


def register(subparsers: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """Add the ``resume`` command.

    Parameters
    ----------
    subparsers : argparse._SubParsersAction
        The ``hft`` parser's subcommand registry.
    """
    parser = subparsers.add_parser(
        "resume",
        help="clear the kill switch",
        description=(
            "Clear the kill switch set by hft kill; running processes return to their configured "
            "trading state."
        ),
    )
    parser.add_argument(
        "--reason", metavar="TEXT", help="why trading resumes; recorded with the change"
    )
    add_target_arguments(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Clear the kill switch.

    Parameters
    ----------
    args : argparse.Namespace
        Parsed ``hft resume`` arguments.

    Returns
    -------
    int
        Exit status.
    """
    return send_command(RESUME, args, "hft resume")
