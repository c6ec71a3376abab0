"""Read the files one backtest run wrote (``run.json``, orders, fills, equity) for reporting.

The folder layout is the run-folder contract between the backtest engine and the report:
``orders.parquet`` (one row per order, final state), ``fills.parquet`` (one row per fill),
``equity.parquet`` (one row per sample and instrument, portfolio totals repeated on every row of
a sample) and ``run.json`` (what was run and how fast). Only the columns the report uses are
read; each is checked for presence and cast to the type the report computes with.
"""

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import msgspec
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

from hftcore.errors import DataUnavailableError, DecodeError

RUN_FILE = "run.json"
"""What was run: strategy, config, data, models, event count and speed."""

ORDERS_FILE = "orders.parquet"
"""One row per order in its final state."""

FILLS_FILE = "fills.parquet"
"""One row per fill."""

EQUITY_FILE = "equity.parquet"
"""One row per (sample, instrument); portfolio totals repeated on every row of a sample."""

SUMMARY_FILE = "summary.json"
"""The statistics `backtest.report.write_report` writes."""

REPORT_FILE = "report.html"
"""The self-contained HTML report `backtest.report.write_report` writes."""

ORDER_COLUMNS: dict[str, pl.DataType] = {
    "client_order_id": pl.String(),
    "instrument_id": pl.String(),
    "side": pl.String(),
    "status": pl.String(),
    "quantity": pl.Float64(),
    "filled_quantity": pl.Float64(),
}
"""Columns of ``orders.parquet`` the report reads, with the type it reads them as (the exact
decimal strings of quantities are read as float64: the report only sums and compares them)."""

FILL_COLUMNS: dict[str, pl.DataType] = {
    "ts_event": pl.Int64(),
    "client_order_id": pl.String(),
    "instrument_id": pl.String(),
    "side": pl.String(),
    "price": pl.String(),
    "quantity": pl.String(),
    "price_f64": pl.Float64(),
    "quantity_f64": pl.Float64(),
    "notional_f64": pl.Float64(),
    "liquidity": pl.String(),
    "fee_f64": pl.Float64(),
    "fee_asset": pl.String(),
    "mid_at_fill_f64": pl.Float64(),
}
"""Columns of ``fills.parquet`` the report reads, with the type it reads them as."""

EQUITY_COLUMNS: dict[str, pl.DataType] = {
    "ts": pl.Int64(),
    "instrument_id": pl.String(),
    "mid_f64": pl.Float64(),
    "position_f64": pl.Float64(),
    "our_bid_f64": pl.Float64(),
    "our_ask_f64": pl.Float64(),
    "equity_f64": pl.Float64(),
    "pnl_f64": pl.Float64(),
    "realized_pnl_f64": pl.Float64(),
    "unrealized_pnl_f64": pl.Float64(),
    "fees_f64": pl.Float64(),
}
"""Columns of ``equity.parquet`` the report reads, with the type it reads them as."""


class RunInfo(msgspec.Struct, frozen=True, kw_only=True):
    """The contents of ``run.json`` the report uses; other keys are ignored."""

    strategy: str
    """Strategy name."""
    events: int
    """Market data events replayed."""
    wall_s: float
    """Wall-clock duration of the replay, s."""
    events_per_s: float
    """``events / wall_s``."""
    initial_equity: float
    """Portfolio equity at the start, quote currency."""
    quote_currency: str
    """Currency of equity, PnL, fees and volume, e.g. ``"USDT"``."""
    strategy_file: str = ""
    """Path of the strategy file that was run."""
    config: dict[str, Any] = {}
    """The strategy configuration as loaded."""
    data: str = ""
    """Data catalog directory or ClickHouse location."""
    source: str = ""
    """``"parquet"`` or ``"clickhouse"``."""
    venues: list[str] = []
    """Venues replayed."""
    instruments: list[str] = []
    """Instrument ids replayed, e.g. ``"BTCUSDT.BINANCE"``."""
    start_ns: int | None = None
    """First replayed event time, UNIX ns."""
    end_ns: int | None = None
    """End of the replay, UNIX ns."""
    seed: int | None = None
    """Random seed of the fill and latency models."""
    queue_model: Any = None
    """Queue position model (name or its configuration)."""
    latency_model: Any = None
    """Latency model (name or its configuration)."""
    hftcore_version: str = ""
    """hftcore version that ran the backtest."""


@dataclass(frozen=True)
class RunFolder:
    """The files of one run folder, loaded.

    Attributes
    ----------
    path : Path
        The run folder.
    info : RunInfo
        ``run.json``.
    orders : polars.DataFrame
        `ORDER_COLUMNS` of ``orders.parquet``.
    fills : polars.DataFrame
        `FILL_COLUMNS` of ``fills.parquet``, sorted by ``ts_event``.
    equity : polars.DataFrame
        `EQUITY_COLUMNS` of ``equity.parquet``, sorted by ``ts`` (stable).
    """

    path: Path
    info: RunInfo
    orders: pl.DataFrame
    fills: pl.DataFrame
    equity: pl.DataFrame


def read_run_folder(run_dir: Path) -> RunFolder:
    """Load the run folder ``run_dir``.

    Parameters
    ----------
    run_dir : Path
        Folder a backtest wrote ``run.json``, ``orders.parquet``, ``fills.parquet`` and
        ``equity.parquet`` to.

    Returns
    -------
    RunFolder
        The loaded files.

    Raises
    ------
    DataUnavailableError
        If ``run_dir`` is not a directory or one of the four files is missing.
    DecodeError
        If ``run.json`` is not valid or lacks a key, or a Parquet file is unreadable, lacks a
        column or holds a column of the wrong type; the message names the file and the column.
    """
    run_dir = Path(run_dir)
    if not run_dir.is_dir():
        raise DataUnavailableError(f"{run_dir}: run folder not found (expected a directory)")
    missing = [
        name
        for name in (RUN_FILE, ORDERS_FILE, FILLS_FILE, EQUITY_FILE)
        if not (run_dir / name).is_file()
    ]
    if missing:
        raise DataUnavailableError(
            f"{run_dir}: not a complete run folder; missing {', '.join(missing)}"
        )
    return RunFolder(
        path=run_dir,
        info=read_run_info(run_dir / RUN_FILE),
        orders=_read_table(run_dir / ORDERS_FILE, ORDER_COLUMNS),
        fills=_read_table(run_dir / FILLS_FILE, FILL_COLUMNS).sort("ts_event", maintain_order=True),
        equity=_read_table(run_dir / EQUITY_FILE, EQUITY_COLUMNS).sort("ts", maintain_order=True),
    )


def read_run_info(path: Path) -> RunInfo:
    """Decode ``run.json``.

    Parameters
    ----------
    path : Path
        The ``run.json`` file.

    Returns
    -------
    RunInfo
        Its contents.

    Raises
    ------
    DecodeError
        If the file is not JSON or a key is missing or of the wrong type (msgspec names the key).
    """
    try:
        return msgspec.json.decode(path.read_bytes(), type=RunInfo)
    except msgspec.DecodeError as exc:
        raise DecodeError(f"{path}: {exc}") from exc


def _read_table(path: Path, columns: dict[str, pl.DataType]) -> pl.DataFrame:
    try:
        schema = pq.read_schema(path)
    except (pa.ArrowInvalid, OSError) as exc:
        raise DecodeError(f"{path}: not a readable Parquet file ({exc})") from exc
    missing = [name for name in columns if name not in schema.names]
    if missing:
        raise DecodeError(f"{path}: missing column(s) {', '.join(missing)}")
    frame = pl.read_parquet(path, columns=list(columns))
    for name, dtype in columns.items():
        try:
            frame = frame.with_columns(pl.col(name).cast(dtype, strict=True))
        except pl.exceptions.PolarsError as exc:
            raise DecodeError(
                f"{path}: column {name}: expected {dtype}, got {frame.schema[name]}"
            ) from exc
    return frame
