"""Generate a synthetic, deterministic market-data catalog (``hft data synth``).

Profiles:

- ``multi_venue`` (default): each pair of ``symbols`` on each of ``venues``, every book around one
  fundamental price per asset with its own basis noise, dislocations, shocks and feed delay, so
  cross-venue spreads open and close as on real venues: small ones all the time, and now and
  then (a shock: a sweep or a lagging feed) a cross of tens of basis points lasting a second.
- ``triangle``: BTC-USDT, ETH-USDT and ETH-BTC on one venue; ETH-BTC's fair price is ETH / BTC
  (triangular consistency) and each book dislocates and is shocked now and then (ETH-BTC more
  often), which opens triangular mispricings, some larger than three taker fees.

Time advances in slices of ``SLICE_NS``; the fundamentals are drawn on a ``GRID_STEP_NS`` grid
(``fundamental.FundamentalPaths``) and every book is simulated through the slice by
``engine.BookSimulator``. Rows are written to the catalog through ``CatalogWriter`` every
``FLUSH_ROWS`` rows per book, so memory stays bounded whatever the length. Every random draw
comes from the model's own generator (``rng``) seeded by ``seed`` (and a per-instrument
stream), so one seed gives byte-identical files.
"""

import datetime as dt
import time
import zlib
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path

import numpy as np
import pyarrow as pa

from backtest.catalog.schema import BOOK_SCHEMA, CATALOG_FILE, QUOTES_SCHEMA, TRADES_SCHEMA
from backtest.catalog.writer import CatalogWriter
from backtest.importers.instruments import resolve_instrument, split_symbol
from backtest.synth.engine import BookSimulator
from backtest.synth.fundamental import FundamentalPaths
from backtest.synth.params import BOOKS, FUNDAMENTALS, BookParams
from hftcore.errors import ConfigError

PROFILES = ("multi_venue", "triangle")
"""Generator profiles."""

TRIANGLE_PAIRS = ("BTC-USDT", "ETH-USDT", "ETH-BTC")
"""Pairs of the ``triangle`` profile."""

DEFAULT_START = "2024-08-08T00:00:00+00:00"
"""Default start of the generated data (UTC)."""

GRID_STEP_NS = 10_000_000
"""Step of the fundamental price grid, ns (10 ms)."""

SLICE_NS = 10_000_000_000
"""Simulated time per slice, ns (10 s); an ``events`` budget stops at a slice end."""

FLUSH_ROWS = 262_144
"""Rows a book buffers before they are written."""


@dataclass(frozen=True)
class SynthConfig:
    """What to generate."""

    out: Path
    """Catalog directory to create (must not hold a catalog yet)."""
    events: int | None = None
    """Stop once this many rows (book + trades + quotes) are written (at a slice end)."""
    minutes: float | None = None
    """Simulated minutes (stop at whichever of ``events`` and ``minutes`` comes first)."""
    seed: int = 1
    """Seed of every random draw."""
    venues: tuple[str, ...] = ("BINANCE", "OKX")
    """Venues (upper case)."""
    pairs: tuple[str, ...] = ("BTC-USDT",)
    """Pairs written ``BASE-QUOTE``."""
    profile: str = "multi_venue"
    """``multi_venue`` or ``triangle``."""
    start_ns: int = int(dt.datetime.fromisoformat(DEFAULT_START).timestamp()) * 1_000_000_000
    """First timestamp, UNIX ns."""
    depth_levels: int | None = None
    """Override of every book's depth (levels per side); None keeps the calibrated depth."""
    publish_interval_ms: int | None = None
    """Override of the book message interval, ms (0: one message per event)."""
    quotes: bool = True
    """Write a quote row at each top-of-book change."""
    overrides: dict = field(default_factory=dict)
    """Extra ``BookParams`` field overrides applied to every book (for tests and studies)."""


@dataclass(frozen=True)
class SynthResult:
    """What a generation wrote."""

    out: Path
    """The catalog directory."""
    instrument_ids: tuple[str, ...]
    """Instruments generated."""
    rows: dict
    """Rows written per kind (``book``, ``trades``, ``quotes``)."""
    simulated_s: float
    """Simulated time, seconds."""
    elapsed_s: float
    """Wall time, seconds."""

    @property
    def events(self) -> int:
        """Total rows written.

        Returns
        -------
        int
            Book, trade and quote rows together.
        """
        return sum(self.rows.values())


def normalize_pair(text: str) -> str:
    """Write a pair as ``BASE-QUOTE`` (``btcusdt`` -> ``BTC-USDT``).

    Parameters
    ----------
    text : str
        ``BTC-USDT``, ``BTCUSDT``, ``btc/usdt``...

    Returns
    -------
    str
        The pair in upper case with a dash.

    Raises
    ------
    ConfigError
        If the quote asset cannot be told apart.
    """
    base, quote = split_symbol(text.strip().upper())
    if not base or not quote:
        raise ConfigError(f"--symbols: expected a pair like BTC-USDT, got {text!r}")
    return f"{base}-{quote}"


def book_params(config: SynthConfig) -> list[BookParams]:
    """Return the books a configuration generates, in a stable order.

    Parameters
    ----------
    config : SynthConfig
        The configuration.

    Returns
    -------
    list of BookParams
        One per (venue, pair), with the configuration's overrides applied.

    Raises
    ------
    ConfigError
        If the profile is unknown, the triangle profile gets more than one venue, or a
        (venue, pair) has no parameters.
    """

    if config.profile not in PROFILES:
        raise ConfigError(f"--profile: expected one of {PROFILES}, got {config.profile!r}")
    pairs = [normalize_pair(pair) for pair in config.pairs]
    if config.profile == "triangle":
        if len(config.venues) != 1:
            raise ConfigError(
                f"--venues: the triangle profile runs on one venue, got {list(config.venues)}"
            )
        pairs = list(TRIANGLE_PAIRS)
    books = []
    for venue in config.venues:
        for pair in pairs:
            params = BOOKS.get((venue.upper(), pair))
            if params is None:
                raise ConfigError(
                    f"--venues/--symbols: no synthetic model for {pair} on {venue.upper()}"
                    f" (available: {sorted(f'{p}@{v}' for v, p in BOOKS)})"
                )
            changes = dict(config.overrides)
            if config.depth_levels is not None:
                changes["depth_levels"] = config.depth_levels
            if config.publish_interval_ms is not None:
                changes["publish_interval_ns"] = config.publish_interval_ms * 1_000_000
            books.append(replace(params, **changes) if changes else params)
    return books


def _instrument(params: BookParams) -> dict:
    instrument, _ = resolve_instrument(
        params.venue,
        params.symbol,
        tick_size=Decimal(params.tick_size),
        lot_size=Decimal(params.lot_size),
    )
    return instrument


def _stream(instrument_id: str) -> int:
    # Per-instrument random stream: adding a venue does not change the other books.
    return zlib.crc32(instrument_id.encode())


class _Book:
    """A simulator with its instrument and fundamental weights."""

    def __init__(self, params: BookParams, config: SynthConfig, assets: list[str]) -> None:
        self.params = params
        self.instrument_id = params.instrument_id
        self.weights = np.array([params.fundamental.get(asset, 0.0) for asset in assets])
        self.simulator = BookSimulator(
            config.seed,
            _stream(self.instrument_id),
            params.engine_params(emit_quotes=config.quotes),
            config.start_ns,
        )

    @property
    def buffered_rows(self) -> int:
        sim = self.simulator
        return sim.rows.book_rows + sim.rows.trade_rows + sim.rows.quote_rows

    def flush(self, writer: CatalogWriter, rows: dict) -> None:
        book, trades, quotes = self.simulator.drain()
        if len(book["ts_recv"]):
            writer.write("book", self.instrument_id, pa.table(book, schema=BOOK_SCHEMA))
            rows["book"] += len(book["ts_recv"])
        if len(trades["ts_recv"]):
            trades["trade_id"] = pa.array(trades["trade_id"]).cast(pa.string())
            writer.write("trades", self.instrument_id, pa.table(trades, schema=TRADES_SCHEMA))
            rows["trades"] += len(trades["ts_recv"])
        if len(quotes["ts_recv"]):
            writer.write("quotes", self.instrument_id, pa.table(quotes, schema=QUOTES_SCHEMA))
            rows["quotes"] += len(quotes["ts_recv"])


def generate(config: SynthConfig, *, progress: bool = False) -> SynthResult:
    """Generate a synthetic catalog.

    Parameters
    ----------
    config : SynthConfig
        What to generate; at least one of ``events`` and ``minutes`` must be set.
    progress : bool
        Show a progress bar (rich) on standard error.

    Returns
    -------
    SynthResult
        Rows written per kind and timings.

    Raises
    ------
    ConfigError
        If the configuration is invalid or ``out`` already holds a catalog.
    """
    started = time.perf_counter()
    if config.events is None and config.minutes is None:
        raise ConfigError("--events/--minutes: give at least one of them")
    if config.events is not None and config.events <= 0:
        raise ConfigError(f"--events: expected a positive count, got {config.events}")
    if config.minutes is not None and config.minutes <= 0:
        raise ConfigError(f"--minutes: expected a positive duration, got {config.minutes}")
    out = Path(config.out)
    if (out / CATALOG_FILE).exists():
        raise ConfigError(f"--out: {out} already holds a catalog; choose a new directory")
    params = book_params(config)
    assets = ["BTC", *sorted({a for p in params for a in p.fundamental} - {"BTC"})]
    paths = FundamentalPaths(
        config.seed,
        [FUNDAMENTALS[a]["price"] for a in assets],
        [FUNDAMENTALS[a]["vol_per_sqrt_s"] for a in assets],
        [FUNDAMENTALS[a]["correlation"] for a in assets],
        GRID_STEP_NS,
    )
    books = [_Book(p, config, assets) for p in params]
    end_ns = (
        config.start_ns + int(config.minutes * 60 * 1_000_000_000)
        if config.minutes is not None
        else None
    )
    steps = SLICE_NS // GRID_STEP_NS
    log_prices = np.empty((steps, len(assets)))
    activity = np.empty(steps)
    rows = {"book": 0, "trades": 0, "quotes": 0}
    slice_start = config.start_ns
    bar = _progress_bar(config) if progress else None
    try:
        with CatalogWriter(out, [_instrument(p) for p in params]) as writer:
            while True:
                slice_end = slice_start + SLICE_NS
                if end_ns is not None:
                    slice_end = min(slice_end, end_ns)
                paths.advance(log_prices, activity)
                for book in books:
                    log_fair = np.ascontiguousarray(log_prices @ book.weights)
                    while book.simulator.run_until(
                        slice_end, log_fair, activity, slice_start, GRID_STEP_NS, FLUSH_ROWS
                    ):
                        book.flush(writer, rows)
                written = sum(rows.values()) + sum(book.buffered_rows for book in books)
                slice_start = slice_end
                if bar is not None:
                    _advance(bar, config, slice_start, written)
                if (end_ns is not None and slice_start >= end_ns) or (
                    config.events is not None and written >= config.events
                ):
                    break
            for book in books:
                book.flush(writer, rows)
    finally:
        if bar is not None:
            bar[0].stop()
    return SynthResult(
        out=out,
        instrument_ids=tuple(book.instrument_id for book in books),
        rows=rows,
        simulated_s=(slice_start - config.start_ns) / 1e9,
        elapsed_s=time.perf_counter() - started,
    )


def _progress_bar(config: SynthConfig):
    # Imported here: rich is only needed when a terminal shows the bar.
    from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

    bar = Progress(
        TextColumn("[bold]synth"),
        BarColumn(),
        TextColumn("{task.fields[events]} events"),
        TimeRemainingColumn(),
        transient=True,
    )
    total = config.events if config.events is not None else config.minutes * 60
    task = bar.add_task("synth", total=total, events=0)
    bar.start()
    return bar, task


def _advance(bar, config: SynthConfig, now_ns: int, written: int) -> None:
    progress, task = bar
    done = written if config.events is not None else (now_ns - config.start_ns) / 1e9
    progress.update(task, completed=done, events=written)
