"""``hft kill``: flip the kill switch so every running trading process stops trading.

The command writes a kill-switch command (see :mod:`hftcore.risk.kill_switch`) where running
risk engines look for it: the kill-switch file (the default path, ``--file``, or the
``[risk.kill_switch]`` table of ``--config``) and, when given, an engine's unix socket. Each
engine halts within its poll interval: it cancels every open order and denies every new one.
``hft resume`` (module :mod:`hftcore.cli.resume`) clears it through the same helpers.
"""

import argparse
from pathlib import Path

from hftcore.errors import HftError
from hftcore.risk.config import KillSwitchConfig, load_risk_config
from hftcore.risk.kill_switch import (
    KILL,
    REDUCE,
    FileKillSwitch,
    SocketKillSwitch,
    default_path,
    make_command,
)


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
    parser.add_argument(
        "--reducing",
        action="store_true",
        help="only allow orders that reduce positions instead of halting (open orders stay)",
    )
    add_target_arguments(parser)
    parser.set_defaults(run=run)


def add_target_arguments(parser: argparse.ArgumentParser) -> None:
    """Add ``--file``, ``--socket`` and ``--config``: where the command is written.

    Parameters
    ----------
    parser : argparse.ArgumentParser
        The ``kill`` or ``resume`` parser.
    """
    parser.add_argument(
        "--file",
        metavar="PATH",
        type=Path,
        help=(
            "kill-switch file to write (default: risk.kill_switch.file of --config, else "
            "$HFT_KILL_SWITCH_FILE, else the per-user runtime path)"
        ),
    )
    parser.add_argument(
        "--socket",
        metavar="PATH",
        type=Path,
        help="also send the command to the engine listening on this unix socket",
    )
    parser.add_argument(
        "--config",
        metavar="F",
        type=Path,
        help="TOML config whose [risk.kill_switch] table names the file and socket",
    )


def send_command(action: str, args: argparse.Namespace, source: str) -> int:
    """Write ``action`` to the kill-switch file and send it to the socket, if any.

    Parameters
    ----------
    action : str
        ``"kill"``, ``"reduce"`` or ``"resume"``.
    args : argparse.Namespace
        Parsed arguments with ``reason``, ``file``, ``socket`` and ``config``.
    source : str
        The command name, e.g. ``"hft kill"``.

    Returns
    -------
    int
        Exit status 0.

    Raises
    ------
    ConfigError
        If ``--config`` is invalid.
    HftError
        If the file cannot be written, no engine listens on the socket, or the config turns
        the file off and no socket is given.
    """
    settings = KillSwitchConfig()
    if args.config is not None:
        settings = load_risk_config(args.config).kill_switch
    command = make_command(action, args.reason, source)
    file_path = args.file
    if file_path is None and settings.file != "":
        file_path = Path(settings.file) if settings.file else default_path()
    socket_path = args.socket
    if socket_path is None and settings.socket:
        socket_path = Path(settings.socket)
    if file_path is None and socket_path is None:
        raise HftError(
            f"{source}: nowhere to send the command: risk.kill_switch.file is off in "
            f"{args.config} and no --file or --socket was given"
        )
    if file_path is not None:
        FileKillSwitch(file_path).write(command)
        print(f"{source}: {action} written to {file_path} (reason: {command.reason})")
    if socket_path is not None:
        SocketKillSwitch.send(socket_path, command)
        print(f"{source}: {action} sent to {socket_path} (reason: {command.reason})")
    return 0


def run(args: argparse.Namespace) -> int:
    """Flip the kill switch (or, with ``--reducing``, move to reduce-only).

    Parameters
    ----------
    args : argparse.Namespace
        Parsed ``hft kill`` arguments.

    Returns
    -------
    int
        Exit status.
    """
    return send_command(REDUCE if args.reducing else KILL, args, "hft kill")
