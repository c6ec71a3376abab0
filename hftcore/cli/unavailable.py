"""The answer of an ``hft`` command whose feature is not built yet."""

import sys

EXIT_UNAVAILABLE = 2
"""Exit status of a command that is not available yet."""


def report_unavailable(command: str, reason: str) -> int:
    """Print ``hft <command>: not yet available (<reason>)`` on stderr.

    Parameters
    ----------
    command : str
        Subcommand name, e.g. ``"backtest"``.
    reason : str
        What is missing, e.g. ``"the backtest engine is not built yet"``.

    Returns
    -------
    int
        `EXIT_UNAVAILABLE`, to be returned by the command's ``run``.
    """
    print(f"hft {command}: not yet available ({reason})", file=sys.stderr)
    return EXIT_UNAVAILABLE
