"""Argument types and arguments shared by several ``hft`` commands."""

import argparse
from datetime import UTC, datetime
from pathlib import Path

_UNIX_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def comma_separated(text: str) -> tuple[str, ...]:
    """Split a comma-separated option value into its non-empty, stripped items.

    Parameters
    ----------
    text : str
        The option value, e.g. ``"binance,okx"``.

    Returns
    -------
    tuple of str
        The items in the given order, e.g. ``("binance", "okx")``.

    Raises
    ------
    argparse.ArgumentTypeError
        If the value or one of its items is empty (``"binance,,okx"``).
    """
    items = tuple(item.strip() for item in text.split(","))
    if not all(items):
        raise argparse.ArgumentTypeError(
            f"expected comma-separated names like 'binance,okx', got {text!r}"
        )
    return items


def utc_time_ns(text: str) -> int:
    """Parse an ISO-8601 date or time (UTC unless an offset is given) into UNIX ns.

    Parameters
    ----------
    text : str
        ``2024-08-08``, ``2024-08-08T12:00:00``, ``2024-08-08T12:00:00.5Z`` or with ``+02:00``.

    Returns
    -------
    int
        UNIX time, ns.

    Raises
    ------
    argparse.ArgumentTypeError
        If ``text`` is not an ISO-8601 date or time.
    """
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected an ISO-8601 UTC time like 2024-08-08T12:00:00Z, got {text!r}"
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    since_epoch = moment - _UNIX_EPOCH
    whole_seconds = since_epoch.days * 86_400 + since_epoch.seconds
    return whole_seconds * 1_000_000_000 + since_epoch.microseconds * 1_000


def add_strategy_file_argument(parser: argparse.ArgumentParser) -> None:
    """Add the positional ``STRATEGY_FILE`` argument.

    Parameters
    ----------
    parser : argparse.ArgumentParser
        The command's parser.
    """
    parser.add_argument(
        "strategy_file",
        metavar="STRATEGY_FILE",
        type=Path,
        help="Python file defining one Strategy subclass, e.g. strategies/as_maker.py",
    )


def add_config_argument(parser: argparse.ArgumentParser) -> None:
    """Add the ``--config F`` option.

    Parameters
    ----------
    parser : argparse.ArgumentParser
        The command's parser.
    """
    parser.add_argument(
        "--config",
        metavar="F",
        type=Path,
        help="TOML config file (strategy, risk and venue tables); defaults apply when omitted",
    )


def add_trading_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the arguments of ``hft live`` and ``hft paper``: STRATEGY_FILE, --venue, --config.

    Parameters
    ----------
    parser : argparse.ArgumentParser
        The command's parser.
    """
    add_strategy_file_argument(parser)
    parser.add_argument(
        "--venue",
        metavar="V[,V...]",
        type=comma_separated,
        required=True,
        help="venues to connect to, e.g. binance,okx",
    )
    add_config_argument(parser)
