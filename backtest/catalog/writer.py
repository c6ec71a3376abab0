"""Write normalized market data into a Parquet data catalog.

``CatalogWriter`` buffers rows per (kind, instrument), splits them by the UTC date of
``ts_recv`` into ``DIR/<kind>/<VENUE>/<SYMBOL>/<YYYY-MM-DD>.parquet`` and writes row groups of
``ROW_GROUP_ROWS`` rows. Files are written under a temporary name and renamed into place on
``close``, so a failed import never leaves a half-written file that looks complete.
"""

import datetime as dt
import json
import os
from pathlib import Path
from types import TracebackType

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from backtest.catalog.schema import (
    CATALOG_FILE,
    FORMAT_VERSION,
    NS_PER_DAY,
    ROW_GROUP_ROWS,
    SCHEMAS,
    check_kind,
    split_instrument_id,
)
from hftcore.errors import ConfigError, DecodeError, UnknownInstrumentError

_EPOCH = dt.date(1970, 1, 1)

COMPRESSION = "lz4"
"""Parquet compression codec of catalog files (LZ4_RAW: decodes about twice as fast as zstd)."""

COLUMN_ENCODINGS = {
    "book": {
        "ts_recv": "DELTA_BINARY_PACKED",
        "ts_event": "DELTA_BINARY_PACKED",
        "sequence": "DELTA_BINARY_PACKED",
    },
    "trades": {
        "ts_recv": "DELTA_BINARY_PACKED",
        "ts_event": "DELTA_BINARY_PACKED",
        "trade_id": "DELTA_BYTE_ARRAY",
    },
    "quotes": {"ts_recv": "DELTA_BINARY_PACKED", "ts_event": "DELTA_BINARY_PACKED"},
}
"""Non-dictionary encodings per kind: increasing columns are delta-encoded; every other column
is dictionary-encoded (Parquet falls back to plain pages when a dictionary grows too large)."""


def partition_date(day_index: int) -> str:
    """Return the ``YYYY-MM-DD`` file stem of a UTC day.

    Parameters
    ----------
    day_index : int
        Days since 1970-01-01 (``ts_recv // NS_PER_DAY``).

    Returns
    -------
    str
        The ISO date, e.g. ``"2024-03-01"``.
    """
    return (_EPOCH + dt.timedelta(days=day_index)).isoformat()


def partition_path(root: Path, kind: str, venue: str, symbol: str, date: str) -> Path:
    """Return the path of one partition file of a catalog.

    Parameters
    ----------
    root : Path
        Catalog directory.
    kind : str
        ``"book"``, ``"trades"`` or ``"quotes"``.
    venue : str
        Upper-case venue name, e.g. ``"BINANCE"``.
    symbol : str
        Venue symbol, e.g. ``"BTCUSDT"``.
    date : str
        UTC date of ``ts_recv``, ``YYYY-MM-DD``.

    Returns
    -------
    Path
        ``root/kind/VENUE/SYMBOL/date.parquet``.
    """
    return root / kind / venue / symbol / f"{date}.parquet"


def conform_table(kind: str, data: pa.Table | pa.RecordBatch, where: str) -> pa.Table:
    """Return ``data`` with exactly the columns, order and types of the kind's schema.

    Integer columns of another integer width are cast when every value fits; any other type
    difference, a missing or extra column or a null value is an error.

    Parameters
    ----------
    kind : str
        ``"book"``, ``"trades"`` or ``"quotes"``.
    data : pyarrow.Table or pyarrow.RecordBatch
        Rows to check.
    where : str
        Names the destination in error messages (a file or ``kind instrument``).

    Returns
    -------
    pyarrow.Table
        The rows under ``SCHEMAS[kind]``.

    Raises
    ------
    ConfigError
        If ``kind`` is unknown.
    DecodeError
        If a column is missing, extra, null or of an incompatible type.
    """
    schema = SCHEMAS[check_kind(kind)]
    if isinstance(data, pa.RecordBatch):
        data = pa.Table.from_batches([data])
    if not isinstance(data, pa.Table):
        raise DecodeError(f"{where}: expected a pyarrow Table or RecordBatch, got {type(data)!r}")
    names = data.schema.names
    missing = [name for name in schema.names if name not in names]
    extra = [name for name in names if name not in schema.names]
    if missing or extra:
        raise DecodeError(
            f"{where}: columns {names} do not match the {kind} schema {schema.names}"
            f" (missing {missing}, unexpected {extra})"
        )
    columns = []
    for field in schema:
        column = data.column(field.name)
        if column.null_count:
            raise DecodeError(
                f"{where}: column {field.name}: {column.null_count} null value(s);"
                " catalog columns are non-null"
            )
        if column.type != field.type:
            castable = (pa.types.is_integer(column.type) and pa.types.is_integer(field.type)) or (
                pa.types.is_string(field.type) and pa.types.is_large_string(column.type)
            )
            if not castable:
                raise DecodeError(
                    f"{where}: column {field.name}: expected {field.type}, got {column.type}"
                )
            try:
                column = column.cast(field.type, safe=True)
            except pa.ArrowInvalid as exc:
                raise DecodeError(
                    f"{where}: column {field.name}: value does not fit {field.type}: {exc}"
                ) from exc
        columns.append(column)
    return pa.Table.from_arrays(columns, schema=schema)


def _ts_recv_array(table: pa.Table) -> np.ndarray:
    column = table.column("ts_recv")
    if column.num_chunks == 1:
        return column.chunk(0).to_numpy()
    return column.to_numpy()


class _PartitionStream:
    """Buffered writer of one (kind, venue, symbol) stream, one date file at a time."""

    def __init__(self, root: Path, kind: str, instrument_id: str) -> None:
        self.root = root
        self.kind = kind
        self.instrument_id = instrument_id
        self.venue, self.symbol = split_instrument_id(instrument_id)
        self.day_index = -1
        self.last_ts_recv_ns = -1
        self.path: Path | None = None
        self.tmp_path: Path | None = None
        self.writer: pq.ParquetWriter | None = None
        self.pending: list[pa.Table] = []
        self.pending_rows = 0

    def append(self, table: pa.Table) -> None:
        if table.num_rows == 0:
            return
        ts_recv_ns = _ts_recv_array(table)
        where = f"{self.root}: {self.kind} {self.instrument_id}"
        backwards = np.flatnonzero(np.diff(ts_recv_ns) < 0)
        if backwards.size:
            row = int(backwards[0]) + 1
            raise DecodeError(
                f"{where}: ts_recv goes backwards at row {row} of the written rows"
                f" ({int(ts_recv_ns[row])} < {int(ts_recv_ns[row - 1])}); rows must be sorted"
                " by ts_recv"
            )
        first_ns = int(ts_recv_ns[0])
        if first_ns < 0:
            raise DecodeError(f"{where}: ts_recv {first_ns} is negative; expected UNIX ns")
        if first_ns < self.last_ts_recv_ns:
            raise DecodeError(
                f"{where}: ts_recv {first_ns} precedes the last row already written"
                f" ({self.last_ts_recv_ns}); write rows in ts_recv order"
            )
        days = ts_recv_ns // NS_PER_DAY
        starts = [0, *(np.flatnonzero(np.diff(days)) + 1).tolist()]
        ends = [*starts[1:], table.num_rows]
        for start, end in zip(starts, ends, strict=True):
            day_index = int(days[start])
            if day_index != self.day_index:
                self.finish_file()
                self.open_file(day_index, first_ns=int(ts_recv_ns[start]))
            self.pending.append(table.slice(start, end - start))
            self.pending_rows += end - start
            self.flush(final=False)
        self.last_ts_recv_ns = int(ts_recv_ns[-1])

    def open_file(self, day_index: int, first_ns: int) -> None:
        self.day_index = day_index
        self.path = partition_path(
            self.root, self.kind, self.venue, self.symbol, partition_date(day_index)
        )
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.tmp_path = self.path.with_name(f".{self.path.name}.tmp")
        schema = SCHEMAS[self.kind].with_metadata(
            {
                "hftcore.format_version": str(FORMAT_VERSION),
                "hftcore.kind": self.kind,
                "hftcore.instrument_id": self.instrument_id,
                "hftcore.venue": self.venue,
                "hftcore.symbol": self.symbol,
            }
        )
        encodings = COLUMN_ENCODINGS[self.kind]
        self.writer = pq.ParquetWriter(
            self.tmp_path,
            schema,
            compression=COMPRESSION,
            use_dictionary=[name for name in schema.names if name not in encodings],
            column_encoding=encodings,
            write_statistics=True,
            sorting_columns=[pq.SortingColumn(0)],
        )
        if self.path.exists():
            self.copy_existing(first_ns)

    def copy_existing(self, first_ns: int) -> None:
        # Appending to a file written by an earlier session: its rows go first, unchanged.
        existing = pq.ParquetFile(self.path)
        stored = existing.schema_arrow.remove_metadata()
        if not stored.equals(SCHEMAS[self.kind]):
            raise DecodeError(
                f"{self.path}: stored schema {stored} differs from the {self.kind} schema"
            )
        metadata = existing.metadata
        if metadata.num_rows:
            last_group = metadata.row_group(metadata.num_row_groups - 1)
            last_ns = last_group.column(0).statistics.max
            if first_ns < last_ns:
                raise DecodeError(
                    f"{self.path}: cannot append rows from ts_recv {first_ns}: the file already"
                    f" holds rows up to {last_ns}"
                )
        for batch in existing.iter_batches(batch_size=ROW_GROUP_ROWS):
            self.pending.append(pa.Table.from_batches([batch]).cast(SCHEMAS[self.kind]))
            self.pending_rows += batch.num_rows
            self.flush(final=False)

    def flush(self, final: bool) -> None:
        if self.pending_rows == 0 or (not final and self.pending_rows < ROW_GROUP_ROWS):
            return
        table = pa.concat_tables(self.pending)
        rows = self.pending_rows if final else self.pending_rows // ROW_GROUP_ROWS * ROW_GROUP_ROWS
        self.writer.write_table(table.slice(0, rows), row_group_size=ROW_GROUP_ROWS)
        rest = table.slice(rows)
        self.pending = [rest] if rest.num_rows else []
        self.pending_rows = rest.num_rows

    def finish_file(self) -> None:
        if self.writer is None:
            return
        self.flush(final=True)
        self.writer.close()
        os.replace(self.tmp_path, self.path)
        self.writer = None

    def abort(self) -> None:
        if self.writer is None:
            return
        self.writer.close()
        self.tmp_path.unlink(missing_ok=True)
        self.writer = None
        self.pending = []
        self.pending_rows = 0


class CatalogWriter:
    """Write market data into a catalog directory, creating or extending it.

    Parameters
    ----------
    root : str or Path
        Catalog directory; created if missing.
    instruments : list of dict
        ``Instrument.to_dict()`` dictionaries of every instrument that will be written; merged
        into ``catalog.json`` (an instrument already there must be identical).

    Raises
    ------
    ConfigError
        If an instrument dict has no valid ``"id"`` or differs from the catalog's.
    DecodeError
        If an existing ``catalog.json`` is malformed or of another format version.

    Notes
    -----
    Rows of one (kind, instrument) must be written in ``ts_recv`` order across ``write`` calls.
    Files appear under their final names on ``close``; leaving the ``with`` block through an
    exception discards this session's unfinished files. One writer per catalog at a time.

    Examples
    --------
    >>> with CatalogWriter("data/catalog", [btc.to_dict()]) as writer:  # doctest: +SKIP
    ...     writer.write("trades", "BTCUSDT.BINANCE", trades_table)
    """

    def __init__(self, root: str | os.PathLike, instruments: list[dict]) -> None:
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)
        self.instruments = self._merge_instruments(instruments)
        self._streams: dict[tuple[str, str], _PartitionStream] = {}

    def _merge_instruments(self, instruments: list[dict]) -> dict[str, dict]:
        path = self.root / CATALOG_FILE
        known: dict[str, dict] = {}
        if path.exists():
            known = {item["id"]: item for item in read_catalog_json(path)["instruments"]}
        changed = not path.exists()
        for position, instrument in enumerate(instruments):
            instrument_id = instrument.get("id") if isinstance(instrument, dict) else None
            if not isinstance(instrument_id, str):
                raise ConfigError(
                    f"instruments[{position}]: expected a dict with a string 'id', got"
                    f" {instrument!r}"
                )
            split_instrument_id(instrument_id)
            previous = known.get(instrument_id)
            if previous is None:
                known[instrument_id] = dict(instrument)
                changed = True
            elif previous != instrument:
                fields = sorted(
                    key
                    for key in previous.keys() | instrument.keys()
                    if previous.get(key) != instrument.get(key)
                )
                raise ConfigError(
                    f"instruments[{instrument_id}]: differs from {path} in {fields}:"
                    f" {[instrument.get(k) for k in fields]} != {[previous.get(k) for k in fields]}"
                )
        if changed:
            document = {
                "format_version": FORMAT_VERSION,
                "instruments": [known[key] for key in sorted(known)],
            }
            tmp_path = path.with_name(f".{CATALOG_FILE}.tmp")
            tmp_path.write_text(json.dumps(document, indent=2, sort_keys=True) + "\n")
            os.replace(tmp_path, path)
        return known

    def write(self, kind: str, instrument_id: str, data: pa.Table | pa.RecordBatch) -> None:
        """Append rows of one kind for one instrument.

        Parameters
        ----------
        kind : str
            ``"book"``, ``"trades"`` or ``"quotes"``.
        instrument_id : str
            Id of an instrument given to the writer, e.g. ``"BTCUSDT.BINANCE"``.
        data : pyarrow.Table or pyarrow.RecordBatch
            Rows with the kind's columns (``SCHEMAS[kind]``; narrower or wider integer types are
            cast when every value fits), sorted by ``ts_recv`` and not before rows already
            written for this kind and instrument.

        Raises
        ------
        ConfigError
            If ``kind`` is unknown.
        UnknownInstrumentError
            If ``instrument_id`` is not among the writer's instruments.
        DecodeError
            If the rows do not match the schema or are out of ``ts_recv`` order.
        """
        check_kind(kind)
        if instrument_id not in self.instruments:
            raise UnknownInstrumentError(
                f"instrument_id: {instrument_id!r} is not in {self.root / CATALOG_FILE}"
                f" (known: {sorted(self.instruments)})"
            )
        table = conform_table(kind, data, f"{self.root}: {kind} {instrument_id}")
        stream = self._streams.get((kind, instrument_id))
        if stream is None:
            stream = _PartitionStream(self.root, kind, instrument_id)
            self._streams[(kind, instrument_id)] = stream
        stream.append(table)

    def close(self) -> None:
        """Write buffered rows and move every file of this session to its final name."""
        for stream in self._streams.values():
            stream.finish_file()
        self._streams.clear()

    def abort(self) -> None:
        """Discard this session's unfinished files; files from earlier sessions stay intact."""
        for stream in self._streams.values():
            stream.abort()
        self._streams.clear()

    def __enter__(self) -> "CatalogWriter":
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if exc_type is None:
            self.close()
        else:
            self.abort()


def read_catalog_json(path: Path) -> dict:
    """Read and check a ``catalog.json`` file.

    Parameters
    ----------
    path : Path
        The file.

    Returns
    -------
    dict
        ``{"format_version": 1, "instruments": [<instrument dict>, ...]}``.

    Raises
    ------
    DecodeError
        If the file is not JSON, has another format version or malformed instruments.
    """
    try:
        document = json.loads(path.read_text())
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DecodeError(f"{path}: cannot read catalog metadata: {exc}") from exc
    if not isinstance(document, dict):
        raise DecodeError(f"{path}: expected a JSON object, got {type(document).__name__}")
    version = document.get("format_version")
    if version != FORMAT_VERSION:
        raise DecodeError(f"{path}: format_version: expected {FORMAT_VERSION}, got {version!r}")
    instruments = document.get("instruments")
    if not isinstance(instruments, list) or not all(
        isinstance(item, dict) and isinstance(item.get("id"), str) for item in instruments
    ):
        raise DecodeError(f"{path}: instruments: expected a list of dicts with a string 'id'")
    return document
