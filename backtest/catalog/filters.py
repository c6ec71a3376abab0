"""The filters every source's ``streams`` takes: times, venues, symbols and kinds.

Times given at the API edge (UNIX ns, ISO 8601 text or ``datetime``) become UNIX ns; the range
is half-open, ``start <= ts_recv < end``. A requested venue or symbol a source does not hold is
an error naming what it does hold.
"""

import datetime as dt
import re
from collections.abc import Iterable

import numpy as np

from backtest.catalog.schema import KINDS, check_kind
from hftcore.errors import ConfigError, DataUnavailableError

_EPOCH_UTC = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_FRACTION = re.compile(r":\d{2}\.(\d+)")


def to_ns(value: int | str | dt.datetime | None, field: str) -> int | None:
    """Convert a time given at the API edge to UNIX nanoseconds.

    Parameters
    ----------
    value : int, str, datetime or None
        UNIX ns as an int; an ISO 8601 string (``"2024-03-01"``, ``"2024-03-01T12:00:00Z"``,
        up to nine fractional digits, naive means UTC); a ``datetime`` (naive means UTC); or
        None.
    field : str
        Name of the argument, for the error message.

    Returns
    -------
    int or None
        UNIX ns, or None when ``value`` is None.

    Raises
    ------
    ConfigError
        If ``value`` is of another type or not a valid ISO 8601 time.
    """
    if value is None:
        return None
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        return int(value)
    if isinstance(value, str):
        try:
            parsed = dt.datetime.fromisoformat(value.strip())
        except ValueError as exc:
            raise ConfigError(
                f"{field}: expected UNIX ns or an ISO 8601 time, got {value!r}"
            ) from exc
        fraction = _FRACTION.search(value)
        sub_micro_ns = int(fraction.group(1)[6:9].ljust(3, "0")) if fraction else 0
        return _datetime_ns(parsed) + sub_micro_ns
    if isinstance(value, dt.datetime):
        return _datetime_ns(value)
    raise ConfigError(f"{field}: expected UNIX ns or an ISO 8601 time, got {value!r}")


def _datetime_ns(value: dt.datetime) -> int:
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return (value - _EPOCH_UTC) // dt.timedelta(microseconds=1) * 1000


def time_range_ns(
    start: int | str | dt.datetime | None, end: int | str | dt.datetime | None
) -> tuple[int, int]:
    """Return the half-open range ``[start_ns, end_ns)`` of the time filters.

    Parameters
    ----------
    start : int, str, datetime or None
        First ``ts_recv`` included (see ``to_ns``); None means no lower bound.
    end : int, str, datetime or None
        First ``ts_recv`` excluded; None means no upper bound.

    Returns
    -------
    tuple of int
        ``(start_ns, end_ns)`` with int64 extremes standing for missing bounds.

    Raises
    ------
    ConfigError
        If a bound is invalid or ``start`` is after ``end``.
    """
    start_ns = to_ns(start, "start")
    end_ns = to_ns(end, "end")
    start_ns = -(2**63) if start_ns is None else start_ns
    end_ns = 2**63 - 1 if end_ns is None else end_ns
    if start_ns > end_ns:
        raise ConfigError(f"start: {start!r} is after end {end!r}")
    return start_ns, end_ns


def normalize_filters(
    venues: Iterable[str] | None, symbols: Iterable[str] | None, kinds: Iterable[str] | None
) -> tuple[set[str] | None, set[str] | None, tuple[str, ...]]:
    """Check and normalize the venue, symbol and kind filters of ``streams``.

    Parameters
    ----------
    venues : iterable of str or None
        Venue names, any case; None for all.
    symbols : iterable of str or None
        Venue symbols, exact; None for all.
    kinds : iterable of str or None
        Kinds; None for all.

    Returns
    -------
    tuple
        ``(venues upper case or None, symbols or None, kinds in merge order)``.

    Raises
    ------
    ConfigError
        If a kind is unknown or a filter is a bare string instead of a list.
    """
    for name, value in (("venues", venues), ("symbols", symbols), ("kinds", kinds)):
        if isinstance(value, str):
            raise ConfigError(f"{name}: expected a list of names, got the string {value!r}")
    kind_set = set(KINDS) if kinds is None else {check_kind(kind) for kind in kinds}
    return (
        None if venues is None else {venue.upper() for venue in venues},
        None if symbols is None else set(symbols),
        tuple(kind for kind in KINDS if kind in kind_set),
    )


def check_requested(
    requested: set[str] | None, available: set[str], field: str, where: object
) -> None:
    """Raise when a requested venue or symbol is absent from a source.

    Parameters
    ----------
    requested : set of str or None
        Names asked for; None asks for nothing in particular.
    available : set of str
        Names the source holds.
    field : str
        ``"venues"`` or ``"symbols"``.
    where : object
        The source (a path or URL) for the message.

    Raises
    ------
    DataUnavailableError
        If some requested name is not available.
    """
    missing = sorted((requested or set()) - available)
    if missing:
        raise DataUnavailableError(
            f"{where}: {field}: {missing} not found (available: {sorted(available)})"
        )
