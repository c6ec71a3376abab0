"""Account events: balances per venue and asset, positions per instrument.

Events are immutable from Python and compare by value. Python constructors validate every field
and raise ``InvalidEventError`` naming the field and value; Cython callers (the portfolio, the
simulated venue) use the trusting ``create`` factories. ``to_dict`` / ``from_dict`` convert to
and from records of ints and strings (amounts as exact decimal text).
"""

cimport cython
from libc.stdint cimport int64_t

from decimal import Decimal

from hftcore.errors import InvalidEventError
from hftcore.model.fixed_point import format_fixed
from hftcore.model.records import check_record_type, read_int, read_money, read_str


cdef int _check_timestamps(str owner, int64_t ts_event, int64_t ts_recv) except -1:
    if ts_event < 0:
        raise InvalidEventError(f"{owner}.ts_event: expected UNIX ns >= 0, got {ts_event}")
    if ts_recv < 0:
        raise InvalidEventError(f"{owner}.ts_recv: expected UNIX ns >= 0, got {ts_recv}")
    return 0


cdef str _amount_text(Money money):
    return format_fixed(money.raw, money.precision)


# -- BALANCES ----------------------------------------------------------------------------------

@cython.freelist(32)
cdef class BalanceUpdate:
    """The balance of one asset on one venue.

    Parameters
    ----------
    venue : Venue
        The venue holding the balance.
    asset : str
        The asset code, e.g. ``"USDT"``.
    free : Money
        Amount available, in ``asset``. It may be negative on accounts that borrow (unified or
        margin accounts report a debit as a negative free balance).
    locked : Money
        Amount reserved by open orders, in ``asset``; never negative.
    ts_event : int
        Venue time of the balance, UNIX ns.
    ts_recv : int
        Local receive time, UNIX ns.

    Raises
    ------
    InvalidEventError
        If ``asset`` is empty or has whitespace, an amount is in another currency, ``locked`` is
        negative or a timestamp is negative.
    """

    def __init__(
        self,
        Venue venue not None,
        str asset not None,
        Money free not None,
        Money locked not None,
        int64_t ts_event=0,
        int64_t ts_recv=0,
    ):
        if not asset or any([ch.isspace() for ch in asset]):
            raise InvalidEventError(
                f"BalanceUpdate.asset: expected an asset code such as 'USDT', got {asset!r}"
            )
        if free.currency != asset:
            raise InvalidEventError(
                f"BalanceUpdate.free: expected an amount of {asset}, got {free}"
            )
        if locked.currency != asset:
            raise InvalidEventError(
                f"BalanceUpdate.locked: expected an amount of {asset}, got {locked}"
            )
        if locked.raw < 0:
            raise InvalidEventError(f"BalanceUpdate.locked: expected >= 0, got {locked}")
        _check_timestamps("BalanceUpdate", ts_event, ts_recv)
        self.venue = venue
        self.asset = asset
        self.free = free
        self.locked = locked
        self.ts_event = ts_event
        self.ts_recv = ts_recv

    @staticmethod
    cdef BalanceUpdate create(
        Venue venue, str asset, Money free, Money locked, int64_t ts_event, int64_t ts_recv
    ):
        cdef BalanceUpdate balance = BalanceUpdate.__new__(BalanceUpdate)
        balance.venue = venue
        balance.asset = asset
        balance.free = free
        balance.locked = locked
        balance.ts_event = ts_event
        balance.ts_recv = ts_recv
        return balance

    @property
    def total(self):
        """Money: ``free + locked``."""
        return self.free + self.locked

    def __eq__(self, other):
        if type(other) is not BalanceUpdate:
            return NotImplemented
        cdef BalanceUpdate o = <BalanceUpdate>other
        return (
            self.venue == o.venue
            and self.asset == o.asset
            and self.free == o.free
            and self.locked == o.locked
            and self.ts_event == o.ts_event
            and self.ts_recv == o.ts_recv
        )

    def __repr__(self):
        return (
            f"BalanceUpdate(venue={self.venue.value}, asset={self.asset}, "
            f"free={_amount_text(self.free)}, locked={_amount_text(self.locked)}, "
            f"ts_event={self.ts_event}, ts_recv={self.ts_recv})"
        )

    def to_dict(self):
        """Return the balance as a record of ints and strings.

        Returns
        -------
        dict
            Keys ``type``, ``venue``, ``asset``, ``free`` and ``locked`` (exact decimal text),
            ``ts_event``, ``ts_recv``.
        """
        return {
            "type": "BalanceUpdate",
            "venue": self.venue.value,
            "asset": self.asset,
            "free": _amount_text(self.free),
            "locked": _amount_text(self.locked),
            "ts_event": self.ts_event,
            "ts_recv": self.ts_recv,
        }

    @staticmethod
    def from_dict(dict record not None):
        """Build a balance from a record made by ``to_dict``.

        Parameters
        ----------
        record : dict
            The record.

        Returns
        -------
        BalanceUpdate

        Raises
        ------
        DecodeError
            If a key is missing or holds the wrong kind of value.
        FixedPointError
            If an amount is not an exact decimal string.
        InvalidEventError, InvalidIdentifierError
            If a value is invalid.
        """
        check_record_type(record, "BalanceUpdate")
        return BalanceUpdate(
            Venue(read_str(record, "venue", "BalanceUpdate")),
            read_str(record, "asset", "BalanceUpdate"),
            read_money(record, "free", "asset", "BalanceUpdate"),
            read_money(record, "locked", "asset", "BalanceUpdate"),
            read_int(record, "ts_event", "BalanceUpdate"),
            read_int(record, "ts_recv", "BalanceUpdate"),
        )


# -- POSITIONS ---------------------------------------------------------------------------------

cdef object _exact_price(object value):
    if isinstance(value, float) or isinstance(value, bool):
        raise InvalidEventError(
            f"PositionUpdate.avg_price: expected a Decimal, int or decimal string, got {value!r}"
        )
    try:
        price = Decimal(value)
    except (TypeError, ValueError, ArithmeticError):
        raise InvalidEventError(
            f"PositionUpdate.avg_price: expected a Decimal, int or decimal string, got {value!r}"
        ) from None
    if not price.is_finite() or price < 0:
        raise InvalidEventError(
            f"PositionUpdate.avg_price: expected a finite price >= 0, got {value!r}"
        )
    return price


@cython.freelist(32)
cdef class PositionUpdate:
    """The state of our position in one instrument after a change.

    Parameters
    ----------
    instrument_id : InstrumentId
        The instrument.
    quantity_lots : int
        Signed position in lots: > 0 long, < 0 short, 0 flat.
    avg_price : Decimal, int or str
        Exact average entry price (0 when flat); floats are refused as inexact.
    realized_pnl : Money
        Profit and loss realized so far on the position.
    ts_event : int
        Time of the change, UNIX ns.
    ts_recv : int
        Local receive or creation time, UNIX ns.

    Raises
    ------
    InvalidEventError
        If ``avg_price`` is a float, not a decimal number, not finite or negative, or a
        timestamp is negative.
    """

    def __init__(
        self,
        InstrumentId instrument_id not None,
        int64_t quantity_lots,
        avg_price,
        Money realized_pnl not None,
        int64_t ts_event=0,
        int64_t ts_recv=0,
    ):
        price = _exact_price(avg_price)
        _check_timestamps("PositionUpdate", ts_event, ts_recv)
        self.instrument_id = instrument_id
        self.quantity_lots = quantity_lots
        self.avg_price = price
        self.realized_pnl = realized_pnl
        self.ts_event = ts_event
        self.ts_recv = ts_recv

    @staticmethod
    cdef PositionUpdate create(
        InstrumentId instrument_id,
        int64_t quantity_lots,
        object avg_price,
        Money realized_pnl,
        int64_t ts_event,
        int64_t ts_recv,
    ):
        cdef PositionUpdate position = PositionUpdate.__new__(PositionUpdate)
        position.instrument_id = instrument_id
        position.quantity_lots = quantity_lots
        position.avg_price = avg_price
        position.realized_pnl = realized_pnl
        position.ts_event = ts_event
        position.ts_recv = ts_recv
        return position

    def __eq__(self, other):
        if type(other) is not PositionUpdate:
            return NotImplemented
        cdef PositionUpdate o = <PositionUpdate>other
        return (
            self.instrument_id.same_as(o.instrument_id)
            and self.quantity_lots == o.quantity_lots
            and self.avg_price == o.avg_price
            and self.realized_pnl == o.realized_pnl
            and self.ts_event == o.ts_event
            and self.ts_recv == o.ts_recv
        )

    def __repr__(self):
        return (
            f"PositionUpdate(instrument_id={self.instrument_id.value}, "
            f"quantity_lots={self.quantity_lots}, avg_price={self.avg_price:f}, "
            f"realized_pnl={self.realized_pnl}, ts_event={self.ts_event}, "
            f"ts_recv={self.ts_recv})"
        )

    def to_dict(self):
        """Return the position as a record of ints and strings.

        Returns
        -------
        dict
            Keys ``type``, ``instrument_id``, ``quantity_lots``, ``avg_price`` (exact decimal
            text), ``realized_pnl`` (exact decimal text), ``realized_pnl_currency``,
            ``ts_event``, ``ts_recv``.
        """
        return {
            "type": "PositionUpdate",
            "instrument_id": self.instrument_id.value,
            "quantity_lots": self.quantity_lots,
            "avg_price": f"{self.avg_price:f}",
            "realized_pnl": _amount_text(self.realized_pnl),
            "realized_pnl_currency": self.realized_pnl.currency,
            "ts_event": self.ts_event,
            "ts_recv": self.ts_recv,
        }

    @staticmethod
    def from_dict(dict record not None):
        """Build a position from a record made by ``to_dict``.

        Parameters
        ----------
        record : dict
            The record.

        Returns
        -------
        PositionUpdate

        Raises
        ------
        DecodeError
            If a key is missing or holds the wrong kind of value.
        FixedPointError
            If ``realized_pnl`` is not an exact decimal string.
        InvalidEventError, InvalidIdentifierError
            If a value is invalid.
        """
        check_record_type(record, "PositionUpdate")
        return PositionUpdate(
            InstrumentId.from_str(read_str(record, "instrument_id", "PositionUpdate")),
            read_int(record, "quantity_lots", "PositionUpdate"),
            read_str(record, "avg_price", "PositionUpdate"),
            read_money(record, "realized_pnl", "realized_pnl_currency", "PositionUpdate"),
            read_int(record, "ts_event", "PositionUpdate"),
            read_int(record, "ts_recv", "PositionUpdate"),
        )
