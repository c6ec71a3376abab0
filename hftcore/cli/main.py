"""The ``hft`` command: parse the command line and run one subcommand.

Each subcommand lives in its own module listed in `COMMAND_MODULES`. A module exposes
``register(subparsers)``, which adds its parser and sets ``run(args) -> int`` as the parser's
``run`` default. `main` sets up logging, runs the command and turns an `HftError` into the
one-line ``hft <command>: error: <message>`` with exit status 1 (a traceback only with
``--debug``).
"""

import argparse
import importlib
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path

from hftcore import __version__
from hftcore.errors import HftError
from hftcore.monitoring.logging import redact, setup_logging, shutdown_logging

COMMAND_MODULES = (
    "hftcore.cli.backtest",
    "hftcore.cli.paper",
    "hftcore.cli.live",
    "hftcore.cli.report",
    "hftcore.cli.kill",
    "hftcore.cli.resume",
    "hftcore.cli.data",
)
"""Modules whose ``register(subparsers)`` adds one ``hft`` subcommand, in ``--help`` order."""

EXIT_ERROR = 1
"""Exit status when a command raised an `HftError`."""

EXIT_INTERRUPTED = 130
"""Exit status after Ctrl-C (128 + SIGINT), as shells report it."""


def build_parser(command_modules: Sequence[str] = COMMAND_MODULES) -> argparse.ArgumentParser:
    """Build the ``hft`` argument parser with one subcommand per module.

    Parameters
    ----------
    command_modules : sequence of str, default `COMMAND_MODULES`
        Importable module names, each exposing ``register(subparsers)``.

    Returns
    -------
    argparse.ArgumentParser
        The parser; a parsed namespace has ``command`` (the subcommand name) and ``run``.
    """
    parser = argparse.ArgumentParser(
        prog="hft",
        description=(
            "hftcore: backtest, paper-trade and live-trade one strategy file with the same code."
        ),
        epilog="Run 'hft COMMAND --help' for the arguments of one command.",
    )
    parser.add_argument("--version", action="version", version=f"hft {__version__}")
    parser.add_argument(
        "--debug",
        action="store_true",
        help="log at DEBUG level and print the traceback of an error",
    )
    parser.add_argument(
        "--log-json",
        action="store_true",
        help="write logs as JSON lines (ts in ns, level, logger, message)",
    )
    parser.add_argument(
        "--log-file",
        metavar="PATH",
        type=Path,
        help="append logs to PATH instead of stderr",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for module_name in command_modules:
        importlib.import_module(module_name).register(subparsers)
    return parser


def main(
    argv: Sequence[str] | None = None, command_modules: Sequence[str] = COMMAND_MODULES
) -> int:
    """Run ``hft`` with ``argv`` and return its exit status.

    Parameters
    ----------
    argv : sequence of str, optional
        Arguments after the program name; ``sys.argv[1:]`` when omitted.
    command_modules : sequence of str, default `COMMAND_MODULES`
        Modules providing the subcommands.

    Returns
    -------
    int
        0 on success, the command's own status, `EXIT_ERROR` after an `HftError`,
        `EXIT_INTERRUPTED` after Ctrl-C; argparse exits with 2 on a usage error.
    """
    args = build_parser(command_modules).parse_args(argv)
    try:
        setup_logging(
            level="DEBUG" if args.debug else "INFO", json_lines=args.log_json, path=args.log_file
        )
        return args.run(args)
    except HftError as exc:
        if args.debug:
            print(redact(traceback.format_exc()), file=sys.stderr, end="")
        print(f"hft {args.command}: error: {redact(str(exc))}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print(f"hft {args.command}: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    finally:
        shutdown_logging()
