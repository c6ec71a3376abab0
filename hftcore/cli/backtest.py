"""``hft backtest``: replay recorded market data through a strategy on the simulated venue."""

import argparse
from pathlib import Path

from hftcore.cli.arguments import (
    add_config_argument,
    add_strategy_file_argument,
    comma_separated,
    utc_time_ns,
)
from hftcore.cli.unavailable import report_unavailable

DATA_SOURCES = ("parquet", "clickhouse")
"""Where ``--source`` reads market data from."""


def register(subparsers: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """Add the ``backtest`` command.

    Parameters
    ----------
    subparsers : argparse._SubParsersAction
        The ``hft`` parser's subcommand registry.
    """
    parser = subparsers.add_parser(
        "backtest",
        help="run a strategy over recorded market data",
        description=(
            "Replay recorded book and trade events through STRATEGY_FILE against the simulated "
            "venue (queue position, latency and fees modelled) and write results to --out."
        ),
    )
    add_strategy_file_argument(parser)
    add_config_argument(parser)
    parser.add_argument(
        "--data",
        metavar="DIR",
        type=Path,
        default=Path("data"),
        help="Parquet data catalog directory (default: %(default)s)",
    )
    parser.add_argument(
        "--source",
        choices=DATA_SOURCES,
        default="parquet",
        help="market data source (default: %(default)s)",
    )
    parser.add_argument(
        "--clickhouse-url",
        metavar="URL",
        help="ClickHouse server URL for --source clickhouse, e.g. http://127.0.0.1:8123",
    )
    parser.add_argument(
        "--venues",
        metavar="V[,V...]",
        type=comma_separated,
        help="venues to replay, e.g. binance,okx (default: all in the config)",
    )
    parser.add_argument(
        "--symbols",
        metavar="S[,S...]",
        type=comma_separated,
        help="venue symbols to replay, e.g. BTCUSDT,ETHUSDT (default: all in the config)",
    )
    parser.add_argument(
        "--start",
        metavar="T",
        type=utc_time_ns,
        help="first event time, ISO-8601 UTC (default: start of the data)",
    )
    parser.add_argument(
        "--end",
        metavar="T",
        type=utc_time_ns,
        help="end of replay (exclusive), ISO-8601 UTC (default: end of the data)",
    )
    parser.add_argument(
        "--queue-model",
        metavar="M",
        help="queue position model for resting orders (default: from the config)",
    )
    parser.add_argument(
        "--latency",
        metavar="M",
        help="latency model between strategy and venue (default: from the config)",
    )
    parser.add_argument(
        "--seed",
        metavar="N",
        type=int,
        default=0,
        help="random seed of the fill and latency models (default: %(default)s)",
    )
    parser.add_argument(
        "--out",
        metavar="DIR",
        type=Path,
        default=Path("runs"),
        help="directory the run's results and report are written under (default: %(default)s)",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Run the backtest described by ``args``.

    Parameters
    ----------
    args : argparse.Namespace
        Parsed ``hft backtest`` arguments.

    Returns
    -------
    int
        Exit status.
    """
    return report_unavailable("backtest", "the backtest engine is not built yet")
