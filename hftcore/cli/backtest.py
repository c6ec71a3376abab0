"""``hft backtest``: replay recorded market data through a strategy on the simulated venue."""

import argparse
import sys
import time
from pathlib import Path

from rich.console import Console

from hftcore.cli.arguments import (
    add_config_argument,
    add_strategy_file_argument,
    comma_separated,
    utc_time_ns,
)

DATA_SOURCES = ("parquet", "clickhouse")
"""Where ``--source`` reads market data from."""

DEFAULT_DATA = Path("data")
"""``--data`` default: the catalog in the current directory, else the repository's bundled one."""

DEFAULT_OUT = Path("runs")
"""``--out`` default: a new ``runs/<strategy>-<UTC timestamp>`` folder."""

REPOSITORY_DATA = Path(__file__).resolve().parents[2] / "data"
"""The bundled sample catalog of the repository (and, below it, ``triangle/``)."""


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
        default=DEFAULT_DATA,
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
        default=DEFAULT_OUT,
        help="directory the run's results and report are written under (default: %(default)s)",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Run the backtest described by ``args`` and write its run folder.

    The run folder is ``--out``, or ``runs/<strategy>-<UTC timestamp>`` by default. When the
    report module is installed its summary table is printed; a progress bar with events/s is
    shown only when stdout is a terminal.

    Parameters
    ----------
    args : argparse.Namespace
        Parsed ``hft backtest`` arguments.

    Returns
    -------
    int
        Exit status: 0 on success, 1 when the configuration or data is invalid.
    """
    from backtest.runner import default_run_dir
    from hftcore.errors import HftError

    data = args.data
    if data == DEFAULT_DATA and not data.exists():
        data = REPOSITORY_DATA
    console = Console()
    try:
        backtest = _build(args, data)
        if sys.stdout.isatty():
            _run_with_progress(backtest, console)
        else:
            backtest.run()
    except HftError as exc:
        print(f"hft backtest: {exc}", file=sys.stderr)
        return 1
    run_dir = args.out
    if run_dir == DEFAULT_OUT:
        run_dir = default_run_dir(DEFAULT_OUT, Path(args.strategy_file).stem)
    backtest.write(run_dir)
    _print_summary(console, backtest, run_dir)
    return 0


def _build(args: argparse.Namespace, data: Path):
    # Without --data, a strategy whose instruments the default catalog lacks runs on the first
    # bundled catalog below it that holds them all (e.g. data/triangle for tri_arb), named on
    # stderr; with --data, or when none holds them, the original error stands.
    from backtest.runner import InstrumentsNotInDataError, build_backtest

    options = dict(
        config_file=args.config,
        source=args.source,
        clickhouse_url=args.clickhouse_url,
        venues=args.venues,
        symbols=args.symbols,
        start=args.start,
        end=args.end,
        queue_model=args.queue_model,
        latency=args.latency,
        seed=args.seed,
    )
    try:
        return build_backtest(args.strategy_file, data=data, **options)
    except InstrumentsNotInDataError:
        if args.data != DEFAULT_DATA or args.source != "parquet":
            raise
        for candidate in _nested_catalogs(data):
            try:
                backtest = build_backtest(args.strategy_file, data=candidate, **options)
            except InstrumentsNotInDataError:
                continue
            print(
                f"hft backtest: {data} lacks the strategy's instruments; using {candidate}",
                file=sys.stderr,
            )
            return backtest
        raise


def _nested_catalogs(root: Path) -> list[Path]:
    from backtest.catalog.schema import CATALOG_FILE

    if not root.is_dir():
        return []
    return sorted(child for child in root.iterdir() if (child / CATALOG_FILE).is_file())


def _run_with_progress(backtest, console: Console) -> None:
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    engine = backtest.engine
    with Progress(
        TextColumn("[bold]backtest"),
        BarColumn(),
        TextColumn("{task.completed:,.0f}/{task.total:,.0f} events"),
        TextColumn("{task.fields[rate]}"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    ) as progress:
        task = progress.add_task("replay", total=max(backtest.total_rows, 1), rate="")
        started = time.perf_counter()

        def update(_ts_ns: int) -> None:
            elapsed = time.perf_counter() - started
            rate = engine.event_count / elapsed if elapsed > 0 else 0.0
            progress.update(task, completed=engine.event_count, rate=f"{rate:,.0f} events/s")

        backtest.recorder.progress = update
        backtest.run()


def _print_summary(console: Console, backtest, run_dir: Path) -> None:
    from rich.table import Table

    summary = None
    try:
        from backtest.report import write_report
    except ImportError:
        write_report = None
    if write_report is not None:
        summary = write_report(run_dir)
    if summary is None:
        info = backtest.run_info
        equity = backtest.recorder.equity_table()
        pnl = equity.column("pnl_f64")[-1].as_py() if equity.num_rows else 0.0
        summary = {
            "events": info["events"],
            "events_per_s": round(info["events_per_s"]),
            "wall_s": round(info["wall_s"], 3),
            "orders": len(backtest.node.cache.orders()),
            "fills": backtest.recorder.fill_count,
            "pnl": pnl,
        }
    table = Table(title=f"backtest {backtest.run_info['strategy']}", show_header=False)
    for key, value in summary.items():
        if isinstance(value, (dict, list)):
            continue
        table.add_row(str(key), f"{value:,.6g}" if isinstance(value, float) else str(value))
    console.print(table)
    console.print(f"results: {run_dir}")
