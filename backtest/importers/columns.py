"""Convert Arrow text columns of a venue file into exact integer columns, collecting bad values.

Every function takes one string column of a batch, returns a numpy array of the same length and
appends an ``Issue`` (row, column, reason, text) for each value it cannot convert; the value's
slot then holds 0. With ``first_only`` a function stops at the first bad value (the import is
about to fail on it anyway).
"""

from decimal import Decimal

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from backtest.importers.source import Issue
from backtest.importers.ticks import strings_to_units

NS_PER_US = 1_000
"""Nanoseconds per microsecond."""

NS_PER_MS = 1_000_000
"""Nanoseconds per millisecond."""


def to_units(
    values: pa.Array,
    unit: Decimal,
    column: str,
    issues: list[Issue],
    *,
    first_only: bool,
    empty_is_zero: bool = False,
    allow_negative: bool = False,
) -> np.ndarray:
    """Convert decimal text to exact multiples of ``unit`` (ticks, lots, or plain integers).

    Parameters
    ----------
    values : pyarrow.StringArray
        The column.
    unit : Decimal
        Tick size, lot size, or ``Decimal(1)`` for integers.
    column : str
        Column name, for issues.
    issues : list of Issue
        Receives one issue per bad value.
    first_only : bool
        Stop at the first bad value.
    empty_is_zero : bool
        Read an empty value as 0 instead of reporting it.
    allow_negative : bool
        Accept negative values.

    Returns
    -------
    numpy.ndarray
        int64 values divided by ``unit``.
    """
    out, bad, reason = strings_to_units(
        values, unit, allow_negative=allow_negative, empty_is_zero=empty_is_zero
    )
    start = 0
    while bad >= 0:
        row = start + bad
        issues.append(Issue(row, column, _reason(reason, unit), values[row].as_py() or ""))
        out[row] = 0
        if first_only:
            break
        start = row + 1
        rest, bad, reason = strings_to_units(
            values.slice(start), unit, allow_negative=allow_negative, empty_is_zero=empty_is_zero
        )
        out[start:] = rest
    return out


def _reason(reason: str, unit: Decimal) -> str:
    if reason == "finer than the unit":
        return f"not a multiple of {unit} (pass --tick-size/--lot-size or fix the value)"
    return reason


def to_time_ns(
    values: pa.Array, ns_per_unit: int, column: str, issues: list[Issue], *, first_only: bool
) -> np.ndarray:
    """Convert integer timestamp text (in microseconds or milliseconds) to UNIX nanoseconds.

    Parameters
    ----------
    values : pyarrow.StringArray
        The column, e.g. ``"1585699200245000"`` (µs).
    ns_per_unit : int
        ``NS_PER_US`` or ``NS_PER_MS``.
    column : str
        Column name, for issues.
    issues : list of Issue
        Receives one issue per bad value.
    first_only : bool
        Stop at the first bad value.

    Returns
    -------
    numpy.ndarray
        int64 UNIX nanoseconds.
    """
    try:
        raw = pc.cast(values, pa.int64()).to_numpy(zero_copy_only=False)
        parsed = values.null_count == 0 and (raw.size == 0 or raw.min() >= 0)
    except pa.ArrowInvalid:
        parsed = False
    if not parsed:
        # Slow path only to find and name the bad values.
        raw = to_units(values, Decimal(1), column, issues, first_only=first_only)
    limit = np.iinfo(np.int64).max // ns_per_unit
    too_big = np.flatnonzero(raw > limit)
    for row in too_big[:1] if first_only else too_big:
        issues.append(Issue(int(row), column, "timestamp out of range", values[int(row)].as_py()))
        raw[row] = 0
    return raw * ns_per_unit


def to_codes(
    values: pa.Array,
    codes: dict[str, int],
    column: str,
    issues: list[Issue],
    *,
    first_only: bool,
    dtype: type = np.int8,
) -> np.ndarray:
    """Map text values to integer codes (``"bid"`` -> 1), reporting values not in the table.

    Parameters
    ----------
    values : pyarrow.StringArray
        The column.
    codes : dict of str to int
        Accepted texts and their codes.
    column : str
        Column name, for issues.
    issues : list of Issue
        Receives one issue per unknown value.
    first_only : bool
        Stop at the first unknown value.
    dtype : numpy dtype
        Output type.

    Returns
    -------
    numpy.ndarray
        The codes (0 where the value was unknown).
    """
    keys = list(codes)
    index = pc.index_in(values, value_set=pa.array(keys, type=pa.string()))
    table = np.array([codes[key] for key in keys], dtype=dtype)
    if index.null_count == 0:
        return table[index.to_numpy(zero_copy_only=False)]
    positions = index.fill_null(0).to_numpy(zero_copy_only=False)
    out = table[positions]
    unknown = np.flatnonzero(index.is_null().to_numpy(zero_copy_only=False))
    expected = "/".join(keys)
    for row in unknown[:1] if first_only else unknown:
        text = values[int(row)].as_py() or ""
        issues.append(Issue(int(row), column, f"expected one of {expected}", text))
        out[row] = 0
    return out


def check_equal(
    values: pa.Array, expected: str, column: str, issues: list[Issue], *, first_only: bool
) -> None:
    """Report every value that differs from ``expected`` (e.g. the symbol column).

    Parameters
    ----------
    values : pyarrow.StringArray
        The column.
    expected : str
        The only accepted text.
    column : str
        Column name, for issues.
    issues : list of Issue
        Receives one issue per differing value.
    first_only : bool
        Stop at the first differing value.
    """
    same = pc.equal(values, expected)
    if pc.all(same).as_py():
        return
    differing = np.flatnonzero(~same.to_numpy(zero_copy_only=False))
    for row in differing[:1] if first_only else differing:
        issues.append(Issue(int(row), column, f"expected {expected!r}", values[int(row)].as_py()))


def check_ordered(
    ts_recv_ns: np.ndarray,
    last_ns: int,
    column: str,
    values: pa.Array,
    issues: list[Issue],
    *,
    first_only: bool,
) -> int:
    """Report rows whose receive time goes back before an earlier row's.

    Parameters
    ----------
    ts_recv_ns : numpy.ndarray
        Receive times of the batch, ns (0 in slots already reported bad).
    last_ns : int
        Largest receive time of earlier batches (-1 at the start).
    column : str
        Name of the input column the times come from.
    values : pyarrow.StringArray
        That column's text, for the issue.
    issues : list of Issue
        Receives one issue per out-of-order row.
    first_only : bool
        Stop at the first out-of-order row.

    Returns
    -------
    int
        The largest receive time seen so far, for the next batch.
    """
    if ts_recv_ns.size == 0:
        return last_ns
    running = np.maximum.accumulate(np.maximum(ts_recv_ns, last_ns))
    previous = np.concatenate(([last_ns], running[:-1]))
    backwards = np.flatnonzero(ts_recv_ns < previous)
    for row in backwards[:1] if first_only else backwards:
        issues.append(
            Issue(
                int(row),
                column,
                "goes back in time; rows must be in time order",
                values[int(row)].as_py(),
            )
        )
    return int(running[-1])
