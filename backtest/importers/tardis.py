"""Import tardis.dev CSV datasets: ``incremental_book_L2``, ``trades``, ``book_snapshot_N``,
``quotes``.

Format reference: https://docs.tardis.dev/downloadable-csv-files (one CSV per exchange, data
type, symbol and day; gzip). Every file has ``exchange,symbol,timestamp,local_timestamp`` first:
``timestamp`` is the exchange time and ``local_timestamp`` the time tardis received the message,
both in microseconds since the UNIX epoch; they become ``ts_event`` and ``ts_recv`` in ns.
Sample ``incremental_book_L2`` rows (``shared/data/tardis``)::

    exchange,symbol,timestamp,local_timestamp,is_snapshot,side,price,amount
    deribit,BTC-PERPETUAL,1585699200245000,1585699200355684,true,ask,6421.5,18640

Mapping to catalog book rows:

- Rows with the same ``timestamp``, ``local_timestamp`` and ``is_snapshot`` are one venue
  message: the last of them carries the *last* flag.
- A message of ``is_snapshot=true`` rows is a snapshot: a CLEAR row (same times) is emitted
  before its levels, and all its rows carry the *snapshot* flag; levels are ADD rows.
- ``amount`` 0 is a DELETE of the level; any other incremental row is an UPDATE that sets the
  level's size (tardis gives the new size, not a change).

``trades`` ``side`` is the aggressor (``buy``/``sell``/``unknown``); ``quotes`` leave a side
empty when the book side is empty, stored as price 0 and size 0. ``book_snapshot_N`` rows
(``asks[0].price`` ... ``bids[N-1].amount``) become one snapshot each: CLEAR, the bids best
first, then the asks; empty levels are left out.
"""

import re
from decimal import Decimal

import numpy as np
import pyarrow as pa

from backtest.catalog.schema import (
    BOOK_FLAG_LAST,
    BOOK_FLAG_SNAPSHOT,
    BOOK_SCHEMA,
    QUOTES_SCHEMA,
    TRADES_SCHEMA,
)
from backtest.importers.columns import (
    NS_PER_US,
    check_equal,
    check_ordered,
    to_codes,
    to_time_ns,
    to_units,
)
from backtest.importers.kinds import Converter, FileKind
from backtest.importers.source import CsvSource, Issue
from hftcore.errors import DecodeError
from hftcore.model.enums import AggressorSide, BookAction, Side

_COMMON = ("symbol", "timestamp", "local_timestamp")
_SIDES = {"bid": int(Side.BUY), "ask": int(Side.SELL)}
_AGGRESSORS = {
    "buy": int(AggressorSide.BUYER),
    "sell": int(AggressorSide.SELLER),
    "unknown": int(AggressorSide.NO_AGGRESSOR),
}
_BOOLEANS = {"true": 1, "false": 0}
_LEVEL_COLUMN = re.compile(r"^(asks|bids)\[(\d+)\]\.(price|amount)$")


def _times(converter: Converter, batch: pa.RecordBatch, issues: list[Issue], first_only: bool):
    check_equal(batch["symbol"], converter.symbol, "symbol", issues, first_only=first_only)
    ts_event = to_time_ns(batch["timestamp"], NS_PER_US, "timestamp", issues, first_only=first_only)
    local = batch["local_timestamp"]
    ts_recv = to_time_ns(local, NS_PER_US, "local_timestamp", issues, first_only=first_only)
    converter.last_ts_recv_ns = check_ordered(
        ts_recv,
        converter.last_ts_recv_ns,
        "local_timestamp",
        local,
        issues,
        first_only=first_only,
    )
    return ts_recv, ts_event


class _TardisKind(FileKind):
    format_name = "tardis"

    def symbol_in(self, source: CsvSource) -> str | None:
        """Return the ``symbol`` field of the file's first row.

        Parameters
        ----------
        source : CsvSource
            The open file.

        Returns
        -------
        str or None
            The symbol, or None for a file without rows.
        """
        if len(source.head_lines) < 2:
            return None
        position = source.column_names.index("symbol")
        fields = source.head_lines[1].split(",")
        return fields[position] if position < len(fields) else None


# -- INCREMENTAL BOOK L2 --


class IncrementalBookConverter(Converter):
    """Convert ``incremental_book_L2`` batches to book rows with CLEAR, last and snapshot flags.

    The last row of a batch is held back until the next batch shows whether the message goes
    on, so the *last* flag is right across batch boundaries.
    """

    include_columns = (*_COMMON, "is_snapshot", "side", "price", "amount")

    def __init__(self, source: CsvSource, tick_size: Decimal, lot_size: Decimal, symbol: str):
        super().__init__(source, tick_size, lot_size, symbol)
        self.pending: dict[str, np.ndarray] | None = None
        self.previous_key: tuple[int, int, bool] | None = None

    def parse(
        self, batch: pa.RecordBatch, issues: list[Issue], first_only: bool
    ) -> dict[str, np.ndarray]:
        """See ``Converter.parse``."""
        ts_recv, ts_event = _times(self, batch, issues, first_only)
        return {
            "ts_recv": ts_recv,
            "ts_event": ts_event,
            "is_snapshot": to_codes(
                batch["is_snapshot"], _BOOLEANS, "is_snapshot", issues, first_only=first_only
            ).astype(bool),
            "side": to_codes(batch["side"], _SIDES, "side", issues, first_only=first_only),
            "price_ticks": to_units(
                batch["price"], self.tick_size, "price", issues, first_only=first_only
            ),
            "size_lots": to_units(
                batch["amount"], self.lot_size, "amount", issues, first_only=first_only
            ),
        }

    def emit(self, rows: dict[str, np.ndarray]) -> pa.RecordBatch | None:
        """See ``Converter.emit``."""
        count = len(rows["ts_recv"])
        if count == 0:
            return None
        ts_recv, ts_event, snap = rows["ts_recv"], rows["ts_event"], rows["is_snapshot"]
        boundary = np.empty(count, dtype=bool)
        boundary[1:] = ts_recv[1:] != ts_recv[:-1]
        boundary[1:] |= ts_event[1:] != ts_event[:-1]
        boundary[1:] |= snap[1:] != snap[:-1]
        first_key = (int(ts_recv[0]), int(ts_event[0]), bool(snap[0]))
        boundary[0] = first_key != self.previous_key
        self.previous_key = (int(ts_recv[-1]), int(ts_event[-1]), bool(snap[-1]))
        ready = self._release(last=bool(boundary[0]))

        last = np.zeros(count, dtype=bool)
        last[:-1] = boundary[1:]
        starts = boundary & snap
        shift = np.cumsum(starts)
        positions = np.arange(count) + shift
        total = count + int(shift[-1])
        size = rows["size_lots"]
        action = np.where(
            size == 0, BookAction.DELETE, np.where(snap, BookAction.ADD, BookAction.UPDATE)
        ).astype(np.uint8)
        flags = (last * BOOK_FLAG_LAST | snap * BOOK_FLAG_SNAPSHOT).astype(np.uint8)
        out = {
            "ts_recv": np.empty(total, dtype=np.int64),
            "ts_event": np.empty(total, dtype=np.int64),
            "sequence": np.zeros(total, dtype=np.uint64),
            "side": np.zeros(total, dtype=np.int8),
            "price_ticks": np.zeros(total, dtype=np.int64),
            "size_lots": np.zeros(total, dtype=np.int64),
            "action": np.full(total, BookAction.CLEAR, dtype=np.uint8),
            "flags": np.full(total, BOOK_FLAG_SNAPSHOT, dtype=np.uint8),
        }
        for name, values in (
            ("ts_recv", ts_recv),
            ("ts_event", ts_event),
            ("side", rows["side"]),
            ("price_ticks", rows["price_ticks"]),
            ("size_lots", size),
            ("action", action),
            ("flags", flags),
        ):
            out[name][positions] = values
        clears = positions[starts] - 1
        out["ts_recv"][clears] = ts_recv[starts]
        out["ts_event"][clears] = ts_event[starts]
        self.pending = out
        return ready

    def _release(self, last: bool) -> pa.RecordBatch | None:
        if self.pending is None:
            return None
        pending, self.pending = self.pending, None
        if last:
            pending["flags"][-1] |= BOOK_FLAG_LAST
        return pa.RecordBatch.from_pydict(pending, schema=BOOK_SCHEMA)

    def finish(self) -> pa.RecordBatch | None:
        """See ``Converter.finish``."""
        return self._release(last=True)


class IncrementalBookL2(_TardisKind):
    """tardis ``incremental_book_L2``: L2 deltas with snapshots (``is_snapshot``)."""

    name = "incremental_book_L2"
    catalog_kind = "book"
    required_columns = (*_COMMON, "is_snapshot", "side", "price", "amount")

    def price_columns(self, source: CsvSource) -> list[str]:
        """See ``FileKind.price_columns``."""
        return ["price"]

    def size_columns(self, source: CsvSource) -> list[str]:
        """See ``FileKind.size_columns``."""
        return ["amount"]

    def converter(self, source, tick_size, lot_size, symbol) -> Converter:
        """See ``FileKind.converter``."""
        return IncrementalBookConverter(source, tick_size, lot_size, symbol)


# -- TRADES --


class TradesConverter(Converter):
    """Convert tardis ``trades`` batches to trade rows."""

    include_columns = (*_COMMON, "id", "side", "price", "amount")

    def parse(
        self, batch: pa.RecordBatch, issues: list[Issue], first_only: bool
    ) -> dict[str, np.ndarray]:
        """See ``Converter.parse``."""
        ts_recv, ts_event = _times(self, batch, issues, first_only)
        return {
            "ts_recv": ts_recv,
            "ts_event": ts_event,
            "price_ticks": to_units(
                batch["price"], self.tick_size, "price", issues, first_only=first_only
            ),
            "size_lots": to_units(
                batch["amount"], self.lot_size, "amount", issues, first_only=first_only
            ),
            "aggressor": to_codes(
                batch["side"], _AGGRESSORS, "side", issues, first_only=first_only
            ),
            "trade_id": batch["id"],
        }

    def emit(self, rows: dict[str, np.ndarray]) -> pa.RecordBatch | None:
        """See ``Converter.emit``."""
        return pa.RecordBatch.from_pydict(rows, schema=TRADES_SCHEMA)


class Trades(_TardisKind):
    """tardis ``trades``: one row per trade, ``side`` the aggressor."""

    name = "trades"
    catalog_kind = "trades"
    required_columns = (*_COMMON, "id", "side", "price", "amount")

    def price_columns(self, source: CsvSource) -> list[str]:
        """See ``FileKind.price_columns``."""
        return ["price"]

    def size_columns(self, source: CsvSource) -> list[str]:
        """See ``FileKind.size_columns``."""
        return ["amount"]

    def converter(self, source, tick_size, lot_size, symbol) -> Converter:
        """See ``FileKind.converter``."""
        return TradesConverter(source, tick_size, lot_size, symbol)


# -- QUOTES --


class QuotesConverter(Converter):
    """Convert tardis ``quotes`` batches to quote rows (an empty side is price 0, size 0)."""

    include_columns = (*_COMMON, "ask_amount", "ask_price", "bid_price", "bid_amount")

    def parse(
        self, batch: pa.RecordBatch, issues: list[Issue], first_only: bool
    ) -> dict[str, np.ndarray]:
        """See ``Converter.parse``."""
        ts_recv, ts_event = _times(self, batch, issues, first_only)
        rows = {"ts_recv": ts_recv, "ts_event": ts_event}
        for side in ("bid", "ask"):
            rows[f"{side}_price_ticks"] = to_units(
                batch[f"{side}_price"],
                self.tick_size,
                f"{side}_price",
                issues,
                first_only=first_only,
                empty_is_zero=True,
            )
            rows[f"{side}_size_lots"] = to_units(
                batch[f"{side}_amount"],
                self.lot_size,
                f"{side}_amount",
                issues,
                first_only=first_only,
                empty_is_zero=True,
            )
        return rows

    def emit(self, rows: dict[str, np.ndarray]) -> pa.RecordBatch | None:
        """See ``Converter.emit``."""
        return pa.RecordBatch.from_pydict(rows, schema=QUOTES_SCHEMA)


class Quotes(_TardisKind):
    """tardis ``quotes``: best bid and ask after each change."""

    name = "quotes"
    catalog_kind = "quotes"
    required_columns = (*_COMMON, "ask_amount", "ask_price", "bid_price", "bid_amount")

    def price_columns(self, source: CsvSource) -> list[str]:
        """See ``FileKind.price_columns``."""
        return ["ask_price", "bid_price"]

    def size_columns(self, source: CsvSource) -> list[str]:
        """See ``FileKind.size_columns``."""
        return ["ask_amount", "bid_amount"]

    def converter(self, source, tick_size, lot_size, symbol) -> Converter:
        """See ``FileKind.converter``."""
        return QuotesConverter(source, tick_size, lot_size, symbol)


# -- BOOK SNAPSHOTS --


def _level_count(source: CsvSource) -> int:
    levels = {int(m.group(2)) for m in map(_LEVEL_COLUMN.match, source.column_names) if m}
    return max(levels) + 1 if levels else 0


class SnapshotConverter(Converter):
    """Convert ``book_snapshot_N`` rows to full snapshots (CLEAR, bids, asks)."""

    def __init__(self, source: CsvSource, tick_size: Decimal, lot_size: Decimal, symbol: str):
        super().__init__(source, tick_size, lot_size, symbol)
        self.levels = _level_count(source)
        self.level_columns = [
            f"{side}[{index}].{field}"
            for side in ("bids", "asks")
            for index in range(self.levels)
            for field in ("price", "amount")
        ]
        self.include_columns = (*_COMMON, *self.level_columns)

    def parse(
        self, batch: pa.RecordBatch, issues: list[Issue], first_only: bool
    ) -> dict[str, np.ndarray]:
        """See ``Converter.parse``."""
        ts_recv, ts_event = _times(self, batch, issues, first_only)
        prices = np.empty((batch.num_rows, 2 * self.levels), dtype=np.int64)
        sizes = np.empty((batch.num_rows, 2 * self.levels), dtype=np.int64)
        for slot in range(2 * self.levels):
            side, index = ("bids", slot) if slot < self.levels else ("asks", slot - self.levels)
            price_column, size_column = f"{side}[{index}].price", f"{side}[{index}].amount"
            prices[:, slot] = to_units(
                batch[price_column],
                self.tick_size,
                price_column,
                issues,
                first_only=first_only,
                empty_is_zero=True,
            )
            sizes[:, slot] = to_units(
                batch[size_column],
                self.lot_size,
                size_column,
                issues,
                first_only=first_only,
                empty_is_zero=True,
            )
        return {"ts_recv": ts_recv, "ts_event": ts_event, "prices": prices, "sizes": sizes}

    def emit(self, rows: dict[str, np.ndarray]) -> pa.RecordBatch | None:
        """See ``Converter.emit``."""
        count = len(rows["ts_recv"])
        width = 1 + 2 * self.levels
        valid = np.ones((count, width), dtype=bool)
        valid[:, 1:] = rows["sizes"] > 0
        side = np.zeros((count, width), dtype=np.int8)
        side[:, 1 : 1 + self.levels] = Side.BUY
        side[:, 1 + self.levels :] = Side.SELL
        prices = np.zeros((count, width), dtype=np.int64)
        prices[:, 1:] = rows["prices"]
        sizes = np.zeros((count, width), dtype=np.int64)
        sizes[:, 1:] = rows["sizes"]
        action = np.full((count, width), BookAction.ADD, dtype=np.uint8)
        action[:, 0] = BookAction.CLEAR
        flags = np.full((count, width), BOOK_FLAG_SNAPSHOT, dtype=np.uint8)
        last_slot = width - 1 - np.argmax(valid[:, ::-1], axis=1)
        flags[np.arange(count), last_slot] |= BOOK_FLAG_LAST
        out = {
            "ts_recv": np.broadcast_to(rows["ts_recv"][:, None], (count, width))[valid],
            "ts_event": np.broadcast_to(rows["ts_event"][:, None], (count, width))[valid],
            "sequence": np.zeros(int(valid.sum()), dtype=np.uint64),
            "side": side[valid],
            "price_ticks": prices[valid],
            "size_lots": sizes[valid],
            "action": action[valid],
            "flags": flags[valid],
        }
        return pa.RecordBatch.from_pydict(out, schema=BOOK_SCHEMA)


class BookSnapshot(_TardisKind):
    """tardis ``book_snapshot_N`` (``book_snapshot_5``, ``book_snapshot_25``...): top-N books."""

    catalog_kind = "book"
    required_columns = _COMMON

    def __init__(self, name: str = "book_snapshot_25") -> None:
        self.name = name

    def check_columns(self, source: CsvSource) -> None:
        """Raise unless the file has the common columns and at least one level."""
        super().check_columns(source)
        if _level_count(source) == 0:
            raise DecodeError(
                f"{source.path}:1: not a tardis {self.name} file: no asks[i]/bids[i] columns"
            )

    def price_columns(self, source: CsvSource) -> list[str]:
        """See ``FileKind.price_columns``."""
        return [name for name in source.column_names if name.endswith("].price")]

    def size_columns(self, source: CsvSource) -> list[str]:
        """See ``FileKind.size_columns``."""
        return [name for name in source.column_names if name.endswith("].amount")]

    def converter(self, source, tick_size, lot_size, symbol) -> Converter:
        """See ``FileKind.converter``."""
        return SnapshotConverter(source, tick_size, lot_size, symbol)


KINDS: dict[str, FileKind] = {
    "incremental_book_L2": IncrementalBookL2(),
    "trades": Trades(),
    "quotes": Quotes(),
    "book_snapshot_25": BookSnapshot("book_snapshot_25"),
    "book_snapshot_5": BookSnapshot("book_snapshot_5"),
}
"""Importable tardis kinds by dataset name; any ``book_snapshot_N`` name also works."""


def file_kind(name: str) -> FileKind | None:
    """Return the tardis file kind of a dataset name.

    Parameters
    ----------
    name : str
        ``incremental_book_L2``, ``trades``, ``quotes`` or ``book_snapshot_N``.

    Returns
    -------
    FileKind or None
        The kind, or None if the name is not a tardis dataset this importer reads.
    """
    if name in KINDS:
        return KINDS[name]
    if re.fullmatch(r"book_snapshot_\d+", name):
        return BookSnapshot(name)
    return None
