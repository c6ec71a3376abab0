"""Summarize what a catalog holds (``hft data info DIR``) from Parquet footers only."""

import datetime as dt
import io
import os

from rich.console import Console
from rich.table import Table

from backtest.catalog.reader import ParquetCatalog, open_parquet


def format_ns(ts_ns: int | None) -> str:
    """Format UNIX nanoseconds as an ISO 8601 UTC time with nine fractional digits.

    Parameters
    ----------
    ts_ns : int or None
        UNIX time, ns.

    Returns
    -------
    str
        E.g. ``"2024-03-01T12:00:00.000000001Z"``; ``"-"`` for None.
    """
    if ts_ns is None:
        return "-"
    seconds, nanos = divmod(ts_ns, 1_000_000_000)
    moment = dt.datetime(1970, 1, 1) + dt.timedelta(seconds=seconds)
    return f"{moment.isoformat(timespec='seconds')}.{nanos:09d}Z"


def info(root: str | os.PathLike) -> dict:
    """Describe a catalog: instruments, venues, symbols, kinds, time ranges and row counts.

    Only ``catalog.json`` and the Parquet footers (row counts and ``ts_recv`` row-group
    statistics) are read; no row data is scanned.

    Parameters
    ----------
    root : str or Path
        The catalog directory.

    Returns
    -------
    dict
        ``root``, ``instruments`` (ids), ``venues``, ``symbols``, ``kinds``, ``file_count``,
        ``row_count``, ``size_bytes``, ``first_ts_recv_ns``, ``last_ts_recv_ns`` (None when
        empty) and ``streams``: one dict per (kind, venue, symbol) with ``kind``, ``venue``,
        ``symbol``, ``instrument_id``, ``file_count``, ``row_count``, ``size_bytes``,
        ``first_date``, ``last_date``, ``first_ts_recv_ns`` and ``last_ts_recv_ns``.

    Raises
    ------
    DataUnavailableError
        If ``root`` is not a catalog.
    DecodeError
        If ``catalog.json`` or a file footer is malformed or a schema does not match.
    """
    catalog = ParquetCatalog(root)
    streams: dict[tuple[str, str, str], dict] = {}
    for entry in catalog.files:
        metadata = open_parquet(entry.path, entry.kind).metadata
        key = (entry.kind, entry.venue, entry.symbol)
        stream = streams.setdefault(
            key,
            {
                "kind": entry.kind,
                "venue": entry.venue,
                "symbol": entry.symbol,
                "instrument_id": f"{entry.symbol}.{entry.venue}",
                "file_count": 0,
                "row_count": 0,
                "size_bytes": 0,
                "first_date": entry.date,
                "last_date": entry.date,
                "first_ts_recv_ns": None,
                "last_ts_recv_ns": None,
            },
        )
        stream["file_count"] += 1
        stream["row_count"] += metadata.num_rows
        stream["size_bytes"] += entry.path.stat().st_size
        stream["last_date"] = entry.date
        for index in range(metadata.num_row_groups):
            statistics = metadata.row_group(index).column(0).statistics
            if statistics is None or not statistics.has_min_max:
                continue
            stream["first_ts_recv_ns"] = _min(stream["first_ts_recv_ns"], statistics.min)
            stream["last_ts_recv_ns"] = _max(stream["last_ts_recv_ns"], statistics.max)
    rows = list(streams.values())
    firsts = [row["first_ts_recv_ns"] for row in rows if row["first_ts_recv_ns"] is not None]
    lasts = [row["last_ts_recv_ns"] for row in rows if row["last_ts_recv_ns"] is not None]
    return {
        "root": str(catalog.root),
        "instruments": sorted(item["id"] for item in catalog.instruments),
        "venues": sorted({row["venue"] for row in rows}),
        "symbols": sorted({row["symbol"] for row in rows}),
        "kinds": sorted({row["kind"] for row in rows}),
        "file_count": sum(row["file_count"] for row in rows),
        "row_count": sum(row["row_count"] for row in rows),
        "size_bytes": sum(row["size_bytes"] for row in rows),
        "first_ts_recv_ns": min(firsts, default=None),
        "last_ts_recv_ns": max(lasts, default=None),
        "streams": rows,
    }


def _min(current: int | None, value: int) -> int:
    return value if current is None else min(current, value)


def _max(current: int | None, value: int) -> int:
    return value if current is None else max(current, value)


def format_info(summary: dict) -> str:
    """Render an ``info`` dict as a text table, one row per stream.

    Parameters
    ----------
    summary : dict
        The result of ``info``.

    Returns
    -------
    str
        A header with totals and a table (kind, venue, symbol, files, rows, size, first and
        last ``ts_recv`` in UTC).
    """
    table = Table(title=f"catalog {summary['root']}", title_justify="left")
    for name in ("kind", "venue", "symbol", "files", "rows", "MiB", "first ts_recv", "last"):
        justify = "right" if name in ("files", "rows", "MiB") else "left"
        table.add_column(name, justify=justify)
    for stream in summary["streams"]:
        table.add_row(
            stream["kind"],
            stream["venue"],
            stream["symbol"],
            str(stream["file_count"]),
            f"{stream['row_count']:,}",
            f"{stream['size_bytes'] / 2**20:.1f}",
            format_ns(stream["first_ts_recv_ns"]),
            format_ns(stream["last_ts_recv_ns"]),
        )
    buffer = io.StringIO()
    console = Console(file=buffer, width=140, color_system=None, highlight=False)
    console.print(table)
    console.print(
        f"{len(summary['instruments'])} instruments, venues {', '.join(summary['venues'])},"
        f" {summary['file_count']} files, {summary['row_count']:,} rows,"
        f" {summary['size_bytes'] / 2**20:.1f} MiB"
    )
    console.print(
        f"ts_recv {format_ns(summary['first_ts_recv_ns'])}"
        f" .. {format_ns(summary['last_ts_recv_ns'])}"
    )
    return buffer.getvalue()
