"""Run one import: open the file, settle the instrument, convert batch by batch, write.

``import_file`` streams a venue file into a catalog in bounded memory (one batch of text plus
one batch of output, and the writer's row-group buffer). Malformed rows either stop the import
with a ``DecodeError`` naming the file, line, column and value (the default), or, with
``skip_bad``, are dropped, counted and written to ``OUT/rejects/<file name>.rejects.csv``.
"""

import time
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import numpy as np
import pyarrow as pa

from backtest.catalog.writer import CatalogWriter
from backtest.importers import binance_public, tardis
from backtest.importers.instruments import (
    decimal_arg,
    instrument_id,
    resolve_instrument,
    tick_from_decimals,
    with_sizes,
)
from backtest.importers.kinds import FileKind
from backtest.importers.source import BLOCK_SIZE_BYTES, CsvSource, Issue, write_rejects
from backtest.importers.ticks import max_decimals
from hftcore.errors import ConfigError

FORMATS = {"tardis": tardis.file_kind, "binance": binance_public.file_kind}
"""Importable formats and the function returning a format's file kind by name."""

FORMAT_KINDS = {"tardis": sorted(tardis.KINDS), "binance": sorted(binance_public.KINDS)}
"""Kind names of each format, for help texts."""


@dataclass(frozen=True, slots=True)
class ImportResult:
    """What one import did."""

    path: Path
    """The input file."""
    instrument: dict
    """The instrument written to ``catalog.json`` (sizes as used for the conversion)."""
    catalog_kind: str
    """``"book"``, ``"trades"`` or ``"quotes"``."""
    rows_read: int
    """Data rows in the input (rejected ones included)."""
    rows_written: int
    """Catalog rows written (a snapshot adds a CLEAR row)."""
    rows_rejected: int
    """Malformed rows dropped (``skip_bad`` only)."""
    rejects_path: Path | None
    """File listing the rejected rows, or None when there were none."""
    elapsed_s: float
    """Wall time of the import, seconds."""


def file_kind(format_name: str, kind: str) -> FileKind:
    """Return the file kind of a format.

    Parameters
    ----------
    format_name : str
        ``"tardis"`` or ``"binance"``.
    kind : str
        A kind of that format, e.g. ``"incremental_book_L2"`` or ``"aggTrades"``.

    Returns
    -------
    FileKind
        The kind.

    Raises
    ------
    ConfigError
        If the format or kind is unknown.
    """
    lookup = FORMATS.get(format_name)
    if lookup is None:
        raise ConfigError(f"--format: expected one of {sorted(FORMATS)}, got {format_name!r}")
    found = lookup(kind)
    if found is None:
        raise ConfigError(
            f"--kind: expected one of {FORMAT_KINDS[format_name]} for {format_name}, got {kind!r}"
        )
    return found


def _finest_decimals(source: CsvSource, columns: list[str]) -> tuple[int, int]:
    # Pre-pass: finest decimals of the price columns and of the size columns (bad values are
    # skipped here; the conversion pass reports them).
    price_columns, size_columns = columns
    finest = [0, 0]
    for batch in source.batches(include_columns=[*price_columns, *size_columns]):
        for slot, names in enumerate((price_columns, size_columns)):
            for name in names:
                values = batch[name]
                start = 0
                while start < len(values):
                    decimals, bad, _ = max_decimals(values.slice(start))
                    finest[slot] = max(finest[slot], decimals)
                    if bad < 0:
                        break
                    start += bad + 1
        source.settle(batch.num_rows, [])
    return finest[0], finest[1]


def _progress_bar(path: Path, source: CsvSource):
    # Imported here: rich is only needed when a terminal shows the bar.
    from rich.progress import (
        BarColumn,
        DownloadColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
        TransferSpeedColumn,
    )

    bar = Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        TimeRemainingColumn(),
        transient=True,
    )
    task = bar.add_task(path.name, total=source.total_bytes)
    bar.start()
    return bar, task


def _keep_rows(rows: dict, keep: np.ndarray) -> dict:
    mask = pa.array(keep)
    return {
        name: values[keep] if isinstance(values, np.ndarray) else values.filter(mask)
        for name, values in rows.items()
    }


def import_file(
    path: str | Path,
    out: str | Path,
    *,
    format_name: str,
    kind: str,
    venue: str,
    symbol: str | None = None,
    tick_size: str | Decimal | None = None,
    lot_size: str | Decimal | None = None,
    instrument_kind: str | None = None,
    skip_bad: bool = False,
    progress: bool = False,
    block_size_bytes: int = BLOCK_SIZE_BYTES,
) -> ImportResult:
    """Import one venue file into a catalog.

    Parameters
    ----------
    path : str or Path
        The CSV file (plain, gzip or single-file zip).
    out : str or Path
        Catalog directory (created or extended).
    format_name : str
        ``"tardis"`` or ``"binance"``.
    kind : str
        Kind of file within the format (``FORMAT_KINDS``).
    venue : str
        Venue name, e.g. ``"BINANCE"`` (upper-cased in the catalog).
    symbol : str or None
        Venue symbol; None takes it from the file (tardis ``symbol`` column, Binance file
        name ``BTCUSDT-trades-2024-08-08.csv``).
    tick_size, lot_size : str, Decimal or None
        Units of the instrument; None takes them from the known-instruments table or infers
        them from the finest decimals in the file (an extra reading pass).
    instrument_kind : str or None
        ``"SPOT"``, ``"PERPETUAL"`` or ``"FUTURE"``; None keeps the table's (or SPOT).
    skip_bad : bool
        Drop malformed rows into the rejects file instead of failing.
    progress : bool
        Show a progress bar (rich) on standard error.
    block_size_bytes : int
        Bytes of text parsed per batch.

    Returns
    -------
    ImportResult
        Counts and the instrument.

    Raises
    ------
    ConfigError
        If the format, kind, sizes or symbol are invalid or missing, or the instrument differs
        from the one already in the catalog.
    DecodeError
        On the first malformed row (unless ``skip_bad``), naming file, line and column.
    """
    started = time.perf_counter()
    path = Path(path)
    out = Path(out)
    spec = file_kind(format_name, kind)
    tick = decimal_arg(tick_size, "--tick-size")
    lot = decimal_arg(lot_size, "--lot-size")
    source = spec.open(path, skip_bad=skip_bad, block_size_bytes=block_size_bytes)
    file_symbol = spec.symbol_in(source)
    symbol = symbol or file_symbol
    if not symbol:
        raise ConfigError(f"--symbol: {path} does not name its symbol; pass --symbol")
    if not venue:
        raise ConfigError("--venue: expected a venue name such as BINANCE, got ''")
    instrument, complete = resolve_instrument(
        venue, symbol, tick_size=tick, lot_size=lot, kind=instrument_kind
    )
    if not complete:
        price_decimals, size_decimals = _finest_decimals(
            source, [spec.price_columns(source), spec.size_columns(source)]
        )
        instrument = with_sizes(
            instrument, tick_from_decimals(price_decimals), tick_from_decimals(size_decimals)
        )
        source.rejects.clear()
    converter = spec.converter(
        source, Decimal(instrument["tick_size"]), Decimal(instrument["lot_size"]), symbol
    )
    rows_read = 0
    rows_written = 0
    identifier = instrument_id(venue, symbol)
    bar = _progress_bar(path, source) if progress else None
    try:
        with CatalogWriter(out, [instrument]) as writer:
            for batch in source.batches(include_columns=converter.include_columns):
                issues: list[Issue] = []
                rows = converter.parse(batch, issues, first_only=not skip_bad)
                keep = source.settle(batch.num_rows, issues)
                if keep is not None:
                    rows = _keep_rows(rows, keep)
                rows_read += batch.num_rows
                emitted = converter.emit(rows)
                if emitted is not None and emitted.num_rows:
                    writer.write(spec.catalog_kind, identifier, emitted)
                    rows_written += emitted.num_rows
                if bar is not None:
                    bar[0].update(bar[1], completed=source.bytes_read)
            emitted = converter.finish()
            if emitted is not None and emitted.num_rows:
                writer.write(spec.catalog_kind, identifier, emitted)
                rows_written += emitted.num_rows
    finally:
        if bar is not None:
            bar[0].stop()
    rejects_path = None
    if source.rejects:
        rejects_path = out / "rejects" / f"{path.name}.rejects.csv"
        write_rejects(rejects_path, path, source.rejects)
    return ImportResult(
        path=path,
        instrument=instrument,
        catalog_kind=spec.catalog_kind,
        rows_read=rows_read + source.unsplit_rows,
        rows_written=rows_written,
        rows_rejected=len(source.rejects),
        rejects_path=rejects_path,
        elapsed_s=time.perf_counter() - started,
    )
