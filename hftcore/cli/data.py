"""``hft data``: import venue files into a catalog, generate synthetic data, describe a catalog.

Subcommands:

- ``hft data import FILE... --format tardis|binance --kind KIND --out DIR --venue V [...]``
- ``hft data synth --out DIR (--events N | --minutes M) [--seed S] [--venues ...] [...]``
- ``hft data info DIR [--json]``

``docs/data-tools.md`` describes the formats, the generator and the bundled sample in ``data/``.
"""

import argparse
import json
import sys
from pathlib import Path

from hftcore.cli.arguments import comma_separated, utc_time_ns


def register(subparsers: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """Add the ``data`` command and its ``import``, ``synth`` and ``info`` subcommands.

    Parameters
    ----------
    subparsers : argparse._SubParsersAction
        The ``hft`` parser's subcommand registry.
    """
    parser = subparsers.add_parser(
        "data",
        help="import, generate and inspect market data catalogs",
        description="Import venue files into a data catalog, generate synthetic data, or "
        "describe a catalog. See docs/data-tools.md.",
    )
    commands = parser.add_subparsers(dest="data_command", metavar="SUBCOMMAND", required=True)
    _register_import(commands)
    _register_synth(commands)
    _register_info(commands)


# -- IMPORT --


def _register_import(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    parser = commands.add_parser(
        "import",
        help="import tardis.dev or Binance public-data CSV files into a catalog",
        description=(
            "Stream CSV files (plain, gzip or zip) into a catalog, converting prices and sizes "
            "to exact ticks and lots. Kinds: tardis incremental_book_L2, trades, quotes, "
            "book_snapshot_N; binance trades, aggTrades, bookTicker. A malformed row stops the "
            "import with its file, line and column, unless --skip-bad."
        ),
    )
    parser.add_argument("files", metavar="FILE", nargs="+", type=Path, help="files, in order")
    parser.add_argument(
        "--format", dest="format_name", required=True, choices=("tardis", "binance")
    )
    parser.add_argument("--kind", required=True, help="kind of file within the format")
    parser.add_argument("--out", required=True, type=Path, help="catalog directory")
    parser.add_argument("--venue", required=True, help="venue name, e.g. BINANCE")
    parser.add_argument(
        "--symbol", help="venue symbol (default: from the file's symbol column or name)"
    )
    parser.add_argument(
        "--tick-size", help="price tick (default: known instrument, else finest price decimal)"
    )
    parser.add_argument(
        "--lot-size", help="size step (default: known instrument, else finest size decimal)"
    )
    parser.add_argument(
        "--instrument-kind",
        choices=("SPOT", "PERPETUAL", "FUTURE"),
        help="instrument kind written to catalog.json (default SPOT)",
    )
    parser.add_argument(
        "--skip-bad",
        action="store_true",
        help="drop malformed rows and list them in OUT/rejects/<file>.rejects.csv",
    )
    parser.add_argument(
        "--no-progress", action="store_true", help="no progress bar even on a terminal"
    )
    parser.set_defaults(run=run_import)


def run_import(args: argparse.Namespace) -> int:
    """Import each file of ``args.files`` into ``args.out``.

    Parameters
    ----------
    args : argparse.Namespace
        Parsed ``hft data import`` arguments.

    Returns
    -------
    int
        0 (errors raise ``HftError``).
    """
    from backtest.importers import import_file

    for path in args.files:
        result = import_file(
            path,
            args.out,
            format_name=args.format_name,
            kind=args.kind,
            venue=args.venue,
            symbol=args.symbol,
            tick_size=args.tick_size,
            lot_size=args.lot_size,
            instrument_kind=args.instrument_kind,
            skip_bad=args.skip_bad,
            progress=sys.stderr.isatty() and not args.no_progress,
        )
        rate = result.rows_read / result.elapsed_s if result.elapsed_s else 0.0
        print(
            f"{path}: {result.rows_read} rows read, {result.rows_written}"
            f" {result.catalog_kind} rows written for {result.instrument['id']}"
            f" (tick {result.instrument['tick_size']}, lot {result.instrument['lot_size']})"
            f" in {result.elapsed_s:.2f} s ({rate:,.0f} rows/s)"
        )
        if result.rows_rejected:
            print(
                f"{path}: {result.rows_rejected} malformed rows skipped, see {result.rejects_path}"
            )
    return 0


# -- SYNTH --


def _register_synth(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    parser = commands.add_parser(
        "synth",
        help="generate a deterministic synthetic catalog (L2 deltas, trades, quotes)",
        description=(
            "Generate realistic synthetic market data, calibrated to real Binance and OKX "
            "captures: a random-walk fundamental with volatility clusters, self-exciting order "
            "flow, per-venue basis, dislocations and feed delay. The same seed gives the same "
            "files byte for byte. Stops at --minutes or once --events rows are written "
            "(at the next 10 s boundary), whichever comes first."
        ),
    )
    parser.add_argument("--out", required=True, type=Path, help="new catalog directory")
    parser.add_argument("--events", type=int, help="rows to generate (book + trades + quotes)")
    parser.add_argument("--minutes", type=float, help="simulated minutes")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument(
        "--profile",
        default="multi_venue",
        choices=("multi_venue", "triangle"),
        help="multi_venue: each symbol on each venue; triangle: BTC-USDT, ETH-USDT, ETH-BTC"
        " on one venue",
    )
    parser.add_argument(
        "--venues",
        type=comma_separated,
        help="comma-separated venues (default binance,okx; triangle: binance)",
    )
    parser.add_argument(
        "--symbols",
        type=comma_separated,
        default=("BTC-USDT",),
        help="comma-separated pairs BASE-QUOTE (default BTC-USDT; ignored by triangle)",
    )
    parser.add_argument(
        "--start", type=utc_time_ns, help="first timestamp, ISO-8601 UTC (default 2024-08-08)"
    )
    parser.add_argument("--depth", type=int, help="levels per side (default: calibrated depth)")
    parser.add_argument(
        "--publish-interval-ms",
        type=int,
        help="book message interval, ms (default: the venue's, 100; 0: one message per event)",
    )
    parser.add_argument("--no-quotes", action="store_true", help="do not write quotes")
    parser.add_argument(
        "--no-progress", action="store_true", help="no progress bar even on a terminal"
    )
    parser.set_defaults(run=run_synth)


def run_synth(args: argparse.Namespace) -> int:
    """Generate a synthetic catalog as ``args`` says.

    Parameters
    ----------
    args : argparse.Namespace
        Parsed ``hft data synth`` arguments.

    Returns
    -------
    int
        0 (errors raise ``HftError``).
    """
    from backtest.synth import SynthConfig, generate

    default_venues = ("binance",) if args.profile == "triangle" else ("binance", "okx")
    options = {}
    if args.start is not None:
        options["start_ns"] = args.start
    config = SynthConfig(
        out=args.out,
        events=args.events,
        minutes=args.minutes,
        seed=args.seed,
        venues=tuple(v.upper() for v in (args.venues or default_venues)),
        pairs=tuple(args.symbols),
        profile=args.profile,
        depth_levels=args.depth,
        publish_interval_ms=args.publish_interval_ms,
        quotes=not args.no_quotes,
        **options,
    )
    result = generate(config, progress=sys.stderr.isatty() and not args.no_progress)
    rate = result.events / result.elapsed_s if result.elapsed_s else 0.0
    counts = ", ".join(f"{rows} {kind}" for kind, rows in result.rows.items())
    print(
        f"{result.out}: {result.events} events ({counts}) for"
        f" {', '.join(result.instrument_ids)} over {result.simulated_s:.0f} s simulated,"
        f" in {result.elapsed_s:.2f} s ({rate:,.0f} events/s)"
    )
    return 0


# -- INFO --


def _register_info(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    parser = commands.add_parser(
        "info",
        help="describe a catalog: instruments, kinds, time ranges, row counts",
        description="Describe a catalog from its catalog.json and Parquet footers.",
    )
    parser.add_argument("root", metavar="DIR", type=Path, help="catalog directory")
    parser.add_argument("--json", action="store_true", help="print the summary as JSON")
    parser.set_defaults(run=run_info)


def run_info(args: argparse.Namespace) -> int:
    """Print the summary of the catalog ``args.root``.

    Parameters
    ----------
    args : argparse.Namespace
        Parsed ``hft data info`` arguments.

    Returns
    -------
    int
        0 (errors raise ``HftError``).
    """
    from backtest.catalog import format_info, info

    summary = info(args.root)
    if args.json:
        print(json.dumps(summary, indent=2, sort_keys=True, default=str))
    else:
        print(format_info(summary))
    return 0
