"""Market data events: book deltas, batches and snapshots, quotes (BBO) and trades.

Prices are int64 ticks and sizes int64 lots of the event's instrument. ``ts_event`` is the venue
time and ``ts_recv`` the local receive time, both UNIX nanoseconds.

Events are immutable from Python and compare by value. Python constructors validate every field
and raise ``InvalidEventError`` naming the field and the bad value; Cython callers that already
hold validated values (decoders, the book, the matching simulator) use the trusting
``create`` factories instead. ``to_dict`` / ``from_dict`` convert to and from records made of
ints, strings and bools (enums by member name, instrument ids as ``SYMBOL.VENUE`` text).
"""

cimport cython
from libc.stdint cimport int64_t, uint64_t

from hftcore.model.enums cimport AggressorSide, BookAction, Side
from hftcore.model.identifiers cimport InstrumentId, TradeId

import numpy as np

from hftcore.errors import InvalidEventError
from hftcore.model.enums import AggressorSide as PyAggressorSide
from hftcore.model.enums import BookAction as PyBookAction
from hftcore.model.enums import Side as PySide
from hftcore.model.records import (
    check_record_type,
    read_bool,
    read_enum,
    read_int,
    read_int_list,
    read_list,
    read_str,
)


cdef int _check_timestamps(str owner, int64_t ts_event, int64_t ts_recv) except -1:
    if ts_event < 0:
        raise InvalidEventError(f"{owner}.ts_event: expected UNIX ns >= 0, got {ts_event}")
    if ts_recv < 0:
        raise InvalidEventError(f"{owner}.ts_recv: expected UNIX ns >= 0, got {ts_recv}")
    return 0


cdef int _check_positive(str field, int64_t value) except -1:
    if value <= 0:
        raise InvalidEventError(f"{field}: expected > 0, got {value}")
    return 0


cdef int _check_not_negative(str field, int64_t value) except -1:
    if value < 0:
        raise InvalidEventError(f"{field}: expected >= 0, got {value}")
    return 0


cdef str _enum_name(object member):
    # Members are flexible enums: a value outside the enum converts to a member named None.
    name = member.name
    return name if name is not None else str(int(member))


# -- BOOK --------------------------------------------------------------------------------------

@cython.freelist(256)
cdef class BookDelta:
    """One change to one price level of an L2 book.

    Parameters
    ----------
    instrument_id : InstrumentId
        The instrument the delta applies to.
    action : BookAction
        ADD (size > 0), UPDATE (size >= 0; 0 removes the level), DELETE (size 0) or CLEAR
        (empties the whole book: side NO_SIDE, price 0, size 0).
    side : Side
        BUY for a bid level, SELL for an ask level; NO_SIDE only with CLEAR.
    price_ticks : int
        Level price in ticks, > 0 (0 for CLEAR).
    size_lots : int
        New total size of the level in lots.
    sequence : int
        Venue sequence number of the update, 0 when the venue has none.
    is_last : bool
        True on the last delta of a venue message.
    ts_event : int
        Venue time of the update, UNIX ns.
    ts_recv : int
        Local receive time, UNIX ns.

    Raises
    ------
    InvalidEventError
        If a field is out of range or inconsistent with ``action``.
    """

    def __init__(
        self,
        InstrumentId instrument_id not None,
        BookAction action,
        Side side,
        int64_t price_ticks,
        int64_t size_lots,
        uint64_t sequence=0,
        bint is_last=True,
        int64_t ts_event=0,
        int64_t ts_recv=0,
    ):
        if action == BookAction.CLEAR:
            if side != Side.NO_SIDE:
                raise InvalidEventError(
                    f"BookDelta.side: expected NO_SIDE with CLEAR, got {_enum_name(side)}"
                )
            if price_ticks != 0 or size_lots != 0:
                raise InvalidEventError(
                    f"BookDelta: CLEAR expects price_ticks 0 and size_lots 0, "
                    f"got {price_ticks} and {size_lots}"
                )
        elif (
            action == BookAction.ADD or action == BookAction.UPDATE or action == BookAction.DELETE
        ):
            if side != Side.BUY and side != Side.SELL:
                raise InvalidEventError(
                    f"BookDelta.side: expected BUY or SELL, got {_enum_name(side)}"
                )
            _check_positive("BookDelta.price_ticks", price_ticks)
            _check_not_negative("BookDelta.size_lots", size_lots)
            if action == BookAction.ADD and size_lots == 0:
                raise InvalidEventError("BookDelta.size_lots: expected > 0 with ADD, got 0")
            if action == BookAction.DELETE and size_lots != 0:
                raise InvalidEventError(
                    f"BookDelta.size_lots: expected 0 with DELETE, got {size_lots}"
                )
        else:
            raise InvalidEventError(
                f"BookDelta.action: expected a BookAction, got {_enum_name(action)}"
            )
        _check_timestamps("BookDelta", ts_event, ts_recv)
        self.instrument_id = instrument_id
        self.action = action
        self.side = side
        self.price_ticks = price_ticks
        self.size_lots = size_lots
        self.sequence = sequence
        self.is_last = is_last
        self.ts_event = ts_event
        self.ts_recv = ts_recv

    @staticmethod
    cdef BookDelta create(
        InstrumentId instrument_id,
        BookAction action,
        Side side,
        int64_t price_ticks,
        int64_t size_lots,
        uint64_t sequence,
        bint is_last,
        int64_t ts_event,
        int64_t ts_recv,
    ):
        cdef BookDelta delta = BookDelta.__new__(BookDelta)
        delta.instrument_id = instrument_id
        delta.action = action
        delta.side = side
        delta.price_ticks = price_ticks
        delta.size_lots = size_lots
        delta.sequence = sequence
        delta.is_last = is_last
        delta.ts_event = ts_event
        delta.ts_recv = ts_recv
        return delta

    def __eq__(self, other):
        if type(other) is not BookDelta:
            return NotImplemented
        cdef BookDelta o = <BookDelta>other
        return (
            self.instrument_id.same_as(o.instrument_id)
            and self.action == o.action
            and self.side == o.side
            and self.price_ticks == o.price_ticks
            and self.size_lots == o.size_lots
            and self.sequence == o.sequence
            and self.is_last == o.is_last
            and self.ts_event == o.ts_event
            and self.ts_recv == o.ts_recv
        )

    def __repr__(self):
        return (
            f"BookDelta(instrument_id={self.instrument_id.value}, "
            f"action={_enum_name(self.action)}, side={_enum_name(self.side)}, "
            f"price_ticks={self.price_ticks}, size_lots={self.size_lots}, "
            f"sequence={self.sequence}, is_last={self.is_last}, "
            f"ts_event={self.ts_event}, ts_recv={self.ts_recv})"
        )

    def to_dict(self):
        """Return the delta as a record of ints, strings and bools.

        Returns
        -------
        dict
            Keys ``type``, ``instrument_id``, ``action``, ``side``, ``price_ticks``,
            ``size_lots``, ``sequence``, ``is_last``, ``ts_event``, ``ts_recv``.
        """
        return {
            "type": "BookDelta",
            "instrument_id": self.instrument_id.value,
            "action": _enum_name(self.action),
            "side": _enum_name(self.side),
            "price_ticks": self.price_ticks,
            "size_lots": self.size_lots,
            "sequence": self.sequence,
            "is_last": self.is_last,
            "ts_event": self.ts_event,
            "ts_recv": self.ts_recv,
        }

    @staticmethod
    def from_dict(dict record not None):
        """Build a delta from a record made by ``to_dict``.

        Parameters
        ----------
        record : dict
            The record.

        Returns
        -------
        BookDelta

        Raises
        ------
        DecodeError
            If a key is missing or holds the wrong kind of value.
        EnumParseError
            If ``action`` or ``side`` is not a member name.
        InvalidEventError, InvalidIdentifierError
            If a value is out of range.
        """
        check_record_type(record, "BookDelta")
        return BookDelta(
            InstrumentId.from_str(read_str(record, "instrument_id", "BookDelta")),
            read_enum(record, "action", PyBookAction, "BookDelta"),
            read_enum(record, "side", PySide, "BookDelta"),
            read_int(record, "price_ticks", "BookDelta"),
            read_int(record, "size_lots", "BookDelta"),
            read_int(record, "sequence", "BookDelta"),
            read_bool(record, "is_last", "BookDelta"),
            read_int(record, "ts_event", "BookDelta"),
            read_int(record, "ts_recv", "BookDelta"),
        )


@cython.freelist(64)
cdef class BookDeltas:
    """The deltas of one venue message for one instrument, applied as a batch.

    Only the last delta has ``is_last`` set: the book is consistent after the whole batch.

    Parameters
    ----------
    instrument_id : InstrumentId
        The instrument of every delta.
    deltas : list of BookDelta
        The deltas in venue order; the list is copied.

    Raises
    ------
    InvalidEventError
        If ``deltas`` is empty, holds something other than a ``BookDelta``, mixes instruments,
        or the ``is_last`` flags are not set on exactly the last delta.
    """

    def __init__(self, InstrumentId instrument_id not None, list deltas not None):
        cdef Py_ssize_t count = len(deltas)
        cdef Py_ssize_t i
        cdef BookDelta delta
        if count == 0:
            raise InvalidEventError("BookDeltas.deltas: expected at least one BookDelta, got []")
        for i in range(count):
            item = deltas[i]
            if type(item) is not BookDelta:
                raise InvalidEventError(
                    f"BookDeltas.deltas[{i}]: expected BookDelta, got {type(item).__name__}"
                )
            delta = <BookDelta>item
            if not instrument_id.same_as(delta.instrument_id):
                raise InvalidEventError(
                    f"BookDeltas.deltas[{i}].instrument_id: expected {instrument_id.value}, "
                    f"got {delta.instrument_id.value}"
                )
            if delta.is_last != (i == count - 1):
                raise InvalidEventError(
                    f"BookDeltas.deltas[{i}].is_last: expected {i == count - 1} "
                    f"(only the last of {count} deltas is last), got {delta.is_last}"
                )
        self._init(instrument_id, list(deltas))

    @staticmethod
    cdef BookDeltas create(InstrumentId instrument_id, list deltas):
        cdef BookDeltas batch = BookDeltas.__new__(BookDeltas)
        batch._init(instrument_id, deltas)
        return batch

    cdef int _init(self, InstrumentId instrument_id, list deltas) except -1:
        cdef BookDelta last = <BookDelta>deltas[len(deltas) - 1]
        self.instrument_id = instrument_id
        self.deltas = deltas
        self.sequence = last.sequence
        self.ts_event = last.ts_event
        self.ts_recv = last.ts_recv
        return 0

    def __eq__(self, other):
        if type(other) is not BookDeltas:
            return NotImplemented
        cdef BookDeltas o = <BookDeltas>other
        return self.instrument_id.same_as(o.instrument_id) and self.deltas == o.deltas

    def __repr__(self):
        return (
            f"BookDeltas(instrument_id={self.instrument_id.value}, count={len(self.deltas)}, "
            f"sequence={self.sequence}, ts_event={self.ts_event}, ts_recv={self.ts_recv})"
        )

    def to_dict(self):
        """Return the batch as a record whose ``deltas`` are ``BookDelta.to_dict`` records.

        Returns
        -------
        dict
            Keys ``type``, ``instrument_id``, ``deltas``.
        """
        return {
            "type": "BookDeltas",
            "instrument_id": self.instrument_id.value,
            "deltas": [(<BookDelta>delta).to_dict() for delta in self.deltas],
        }

    @staticmethod
    def from_dict(dict record not None):
        """Build a batch from a record made by ``to_dict``.

        Parameters
        ----------
        record : dict
            The record.

        Returns
        -------
        BookDeltas

        Raises
        ------
        DecodeError
            If a key is missing or holds the wrong kind of value.
        InvalidEventError
            If the deltas do not form a valid batch.
        """
        check_record_type(record, "BookDeltas")
        return BookDeltas(
            InstrumentId.from_str(read_str(record, "instrument_id", "BookDeltas")),
            [BookDelta.from_dict(item) for item in read_list(record, "deltas", "BookDeltas")],
        )


cdef object _int64_array(object values, str field):
    try:
        array = np.asarray(values)
    except (TypeError, ValueError, OverflowError) as exc:
        raise InvalidEventError(
            f"BookSnapshot.{field}: expected a 1-D sequence of int64, got an invalid input ({exc})"
        ) from None
    if array.ndim != 1:
        raise InvalidEventError(
            f"BookSnapshot.{field}: expected a 1-D sequence of int64, got {array.ndim} dimensions"
        )
    if array.size == 0:
        array = np.empty(0, dtype=np.int64)
    elif array.dtype.kind not in "iu":
        raise InvalidEventError(
            f"BookSnapshot.{field}: expected integers, got dtype {array.dtype} "
            f"(first value {array[0].item()!r})"
        )
    elif array.dtype.kind == "u" and array.max() > np.iinfo(np.int64).max:
        raise InvalidEventError(
            f"BookSnapshot.{field}: expected values that fit int64, got {array.max()}"
        )
    result = np.array(array, dtype=np.int64, order="C")
    result.flags.writeable = False
    return result


cdef int _check_side(
    str side, object prices, object sizes, bint descending
) except -1:
    if len(prices) != len(sizes):
        raise InvalidEventError(
            f"BookSnapshot.{side}_sizes_lots: expected {len(prices)} values aligned with "
            f"{side}_prices_ticks, got {len(sizes)}"
        )
    bad = np.flatnonzero(prices <= 0)
    if bad.size:
        raise InvalidEventError(
            f"BookSnapshot.{side}_prices_ticks[{bad[0]}]: expected > 0, got {prices[bad[0]]}"
        )
    bad = np.flatnonzero(sizes <= 0)
    if bad.size:
        raise InvalidEventError(
            f"BookSnapshot.{side}_sizes_lots[{bad[0]}]: expected > 0, got {sizes[bad[0]]}"
        )
    steps = np.diff(prices)
    bad = np.flatnonzero(steps >= 0 if descending else steps <= 0)
    if bad.size:
        raise InvalidEventError(
            f"BookSnapshot.{side}_prices_ticks[{bad[0] + 1}]: expected strictly "
            f"{'descending' if descending else 'ascending'} prices, got {prices[bad[0] + 1]} "
            f"after {prices[bad[0]]}"
        )
    return 0


@cython.freelist(8)
cdef class BookSnapshot:
    """The full state of an L2 book: every bid and ask level.

    Parameters
    ----------
    instrument_id : InstrumentId
        The instrument the snapshot describes.
    bid_prices_ticks, bid_sizes_lots : sequence of int or numpy integer array
        Bid levels, best (highest price) first; prices strictly descending, sizes > 0.
    ask_prices_ticks, ask_sizes_lots : sequence of int or numpy integer array
        Ask levels, best (lowest price) first; prices strictly ascending, sizes > 0.
    sequence : int
        Venue sequence (e.g. Binance ``lastUpdateId``), 0 when none.
    ts_event : int
        Venue time of the snapshot, UNIX ns.
    ts_recv : int
        Local receive time, UNIX ns.

    Notes
    -----
    The arrays are copied into read-only C-contiguous int64 numpy arrays.

    Raises
    ------
    InvalidEventError
        If an array is not 1-D integers, prices and sizes of a side differ in length, a price or
        size is not positive, or a side is not sorted best first.
    """

    def __init__(
        self,
        InstrumentId instrument_id not None,
        bid_prices_ticks,
        bid_sizes_lots,
        ask_prices_ticks,
        ask_sizes_lots,
        uint64_t sequence=0,
        int64_t ts_event=0,
        int64_t ts_recv=0,
    ):
        bid_prices = _int64_array(bid_prices_ticks, "bid_prices_ticks")
        bid_sizes = _int64_array(bid_sizes_lots, "bid_sizes_lots")
        ask_prices = _int64_array(ask_prices_ticks, "ask_prices_ticks")
        ask_sizes = _int64_array(ask_sizes_lots, "ask_sizes_lots")
        _check_side("bid", bid_prices, bid_sizes, True)
        _check_side("ask", ask_prices, ask_sizes, False)
        _check_timestamps("BookSnapshot", ts_event, ts_recv)
        self.instrument_id = instrument_id
        self.bid_prices_ticks = bid_prices
        self.bid_sizes_lots = bid_sizes
        self.ask_prices_ticks = ask_prices
        self.ask_sizes_lots = ask_sizes
        self.sequence = sequence
        self.ts_event = ts_event
        self.ts_recv = ts_recv

    @staticmethod
    cdef BookSnapshot create(
        InstrumentId instrument_id,
        object bid_prices_ticks,
        object bid_sizes_lots,
        object ask_prices_ticks,
        object ask_sizes_lots,
        uint64_t sequence,
        int64_t ts_event,
        int64_t ts_recv,
    ):
        cdef BookSnapshot snapshot = BookSnapshot.__new__(BookSnapshot)
        snapshot.instrument_id = instrument_id
        snapshot.bid_prices_ticks = bid_prices_ticks
        snapshot.bid_sizes_lots = bid_sizes_lots
        snapshot.ask_prices_ticks = ask_prices_ticks
        snapshot.ask_sizes_lots = ask_sizes_lots
        snapshot.sequence = sequence
        snapshot.ts_event = ts_event
        snapshot.ts_recv = ts_recv
        return snapshot

    def __eq__(self, other):
        if type(other) is not BookSnapshot:
            return NotImplemented
        cdef BookSnapshot o = <BookSnapshot>other
        return bool(
            self.instrument_id.same_as(o.instrument_id)
            and self.sequence == o.sequence
            and self.ts_event == o.ts_event
            and self.ts_recv == o.ts_recv
            and np.array_equal(self.bid_prices_ticks, o.bid_prices_ticks)
            and np.array_equal(self.bid_sizes_lots, o.bid_sizes_lots)
            and np.array_equal(self.ask_prices_ticks, o.ask_prices_ticks)
            and np.array_equal(self.ask_sizes_lots, o.ask_sizes_lots)
        )

    def __reduce__(self):
        return BookSnapshot, (
            self.instrument_id,
            self.bid_prices_ticks,
            self.bid_sizes_lots,
            self.ask_prices_ticks,
            self.ask_sizes_lots,
            self.sequence,
            self.ts_event,
            self.ts_recv,
        )

    def __repr__(self):
        return (
            f"BookSnapshot(instrument_id={self.instrument_id.value}, "
            f"bid_levels={len(self.bid_prices_ticks)}, ask_levels={len(self.ask_prices_ticks)}, "
            f"sequence={self.sequence}, ts_event={self.ts_event}, ts_recv={self.ts_recv})"
        )

    def to_dict(self):
        """Return the snapshot as a record with the levels as lists of ints.

        Returns
        -------
        dict
            Keys ``type``, ``instrument_id``, ``bid_prices_ticks``, ``bid_sizes_lots``,
            ``ask_prices_ticks``, ``ask_sizes_lots``, ``sequence``, ``ts_event``, ``ts_recv``.
        """
        return {
            "type": "BookSnapshot",
            "instrument_id": self.instrument_id.value,
            "bid_prices_ticks": self.bid_prices_ticks.tolist(),
            "bid_sizes_lots": self.bid_sizes_lots.tolist(),
            "ask_prices_ticks": self.ask_prices_ticks.tolist(),
            "ask_sizes_lots": self.ask_sizes_lots.tolist(),
            "sequence": self.sequence,
            "ts_event": self.ts_event,
            "ts_recv": self.ts_recv,
        }

    @staticmethod
    def from_dict(dict record not None):
        """Build a snapshot from a record made by ``to_dict``.

        Parameters
        ----------
        record : dict
            The record.

        Returns
        -------
        BookSnapshot

        Raises
        ------
        DecodeError
            If a key is missing or holds the wrong kind of value.
        InvalidEventError
            If the levels are misaligned, not positive or not sorted.
        """
        check_record_type(record, "BookSnapshot")
        return BookSnapshot(
            InstrumentId.from_str(read_str(record, "instrument_id", "BookSnapshot")),
            read_int_list(record, "bid_prices_ticks", "BookSnapshot"),
            read_int_list(record, "bid_sizes_lots", "BookSnapshot"),
            read_int_list(record, "ask_prices_ticks", "BookSnapshot"),
            read_int_list(record, "ask_sizes_lots", "BookSnapshot"),
            read_int(record, "sequence", "BookSnapshot"),
            read_int(record, "ts_event", "BookSnapshot"),
            read_int(record, "ts_recv", "BookSnapshot"),
        )


# -- TOP OF BOOK AND TRADES --------------------------------------------------------------------

@cython.freelist(128)
cdef class Quote:
    """The best bid and offer (BBO) of an instrument.

    Parameters
    ----------
    instrument_id : InstrumentId
        The instrument quoted.
    bid_price_ticks, ask_price_ticks : int
        Best bid and ask prices in ticks, > 0.
    bid_size_lots, ask_size_lots : int
        Best bid and ask sizes in lots, >= 0.
    ts_event : int
        Venue time, UNIX ns.
    ts_recv : int
        Local receive time, UNIX ns.

    Raises
    ------
    InvalidEventError
        If a price is not positive or a size is negative.
    """

    def __init__(
        self,
        InstrumentId instrument_id not None,
        int64_t bid_price_ticks,
        int64_t bid_size_lots,
        int64_t ask_price_ticks,
        int64_t ask_size_lots,
        int64_t ts_event=0,
        int64_t ts_recv=0,
    ):
        _check_positive("Quote.bid_price_ticks", bid_price_ticks)
        _check_not_negative("Quote.bid_size_lots", bid_size_lots)
        _check_positive("Quote.ask_price_ticks", ask_price_ticks)
        _check_not_negative("Quote.ask_size_lots", ask_size_lots)
        _check_timestamps("Quote", ts_event, ts_recv)
        self.instrument_id = instrument_id
        self.bid_price_ticks = bid_price_ticks
        self.bid_size_lots = bid_size_lots
        self.ask_price_ticks = ask_price_ticks
        self.ask_size_lots = ask_size_lots
        self.ts_event = ts_event
        self.ts_recv = ts_recv

    @staticmethod
    cdef Quote create(
        InstrumentId instrument_id,
        int64_t bid_price_ticks,
        int64_t bid_size_lots,
        int64_t ask_price_ticks,
        int64_t ask_size_lots,
        int64_t ts_event,
        int64_t ts_recv,
    ):
        cdef Quote quote = Quote.__new__(Quote)
        quote.instrument_id = instrument_id
        quote.bid_price_ticks = bid_price_ticks
        quote.bid_size_lots = bid_size_lots
        quote.ask_price_ticks = ask_price_ticks
        quote.ask_size_lots = ask_size_lots
        quote.ts_event = ts_event
        quote.ts_recv = ts_recv
        return quote

    def __eq__(self, other):
        if type(other) is not Quote:
            return NotImplemented
        cdef Quote o = <Quote>other
        return (
            self.instrument_id.same_as(o.instrument_id)
            and self.bid_price_ticks == o.bid_price_ticks
            and self.bid_size_lots == o.bid_size_lots
            and self.ask_price_ticks == o.ask_price_ticks
            and self.ask_size_lots == o.ask_size_lots
            and self.ts_event == o.ts_event
            and self.ts_recv == o.ts_recv
        )

    def __repr__(self):
        return (
            f"Quote(instrument_id={self.instrument_id.value}, "
            f"bid_price_ticks={self.bid_price_ticks}, bid_size_lots={self.bid_size_lots}, "
            f"ask_price_ticks={self.ask_price_ticks}, ask_size_lots={self.ask_size_lots}, "
            f"ts_event={self.ts_event}, ts_recv={self.ts_recv})"
        )

    def to_dict(self):
        """Return the quote as a record of ints and strings.

        Returns
        -------
        dict
            Keys ``type``, ``instrument_id``, ``bid_price_ticks``, ``bid_size_lots``,
            ``ask_price_ticks``, ``ask_size_lots``, ``ts_event``, ``ts_recv``.
        """
        return {
            "type": "Quote",
            "instrument_id": self.instrument_id.value,
            "bid_price_ticks": self.bid_price_ticks,
            "bid_size_lots": self.bid_size_lots,
            "ask_price_ticks": self.ask_price_ticks,
            "ask_size_lots": self.ask_size_lots,
            "ts_event": self.ts_event,
            "ts_recv": self.ts_recv,
        }

    @staticmethod
    def from_dict(dict record not None):
        """Build a quote from a record made by ``to_dict``.

        Parameters
        ----------
        record : dict
            The record.

        Returns
        -------
        Quote

        Raises
        ------
        DecodeError
            If a key is missing or holds the wrong kind of value.
        InvalidEventError
            If a value is out of range.
        """
        check_record_type(record, "Quote")
        return Quote(
            InstrumentId.from_str(read_str(record, "instrument_id", "Quote")),
            read_int(record, "bid_price_ticks", "Quote"),
            read_int(record, "bid_size_lots", "Quote"),
            read_int(record, "ask_price_ticks", "Quote"),
            read_int(record, "ask_size_lots", "Quote"),
            read_int(record, "ts_event", "Quote"),
            read_int(record, "ts_recv", "Quote"),
        )


@cython.freelist(128)
cdef class Trade:
    """A public trade on a venue.

    Parameters
    ----------
    instrument_id : InstrumentId
        The instrument traded.
    price_ticks : int
        Trade price in ticks, > 0.
    size_lots : int
        Trade size in lots, > 0.
    aggressor_side : AggressorSide
        BUYER when the taker bought, SELLER when the taker sold, NO_AGGRESSOR when unknown.
    trade_id : TradeId
        The venue's trade id.
    ts_event : int
        Venue time, UNIX ns.
    ts_recv : int
        Local receive time, UNIX ns.

    Raises
    ------
    InvalidEventError
        If the price or size is not positive or ``aggressor_side`` is not an AggressorSide.
    """

    def __init__(
        self,
        InstrumentId instrument_id not None,
        int64_t price_ticks,
        int64_t size_lots,
        AggressorSide aggressor_side,
        TradeId trade_id not None,
        int64_t ts_event=0,
        int64_t ts_recv=0,
    ):
        _check_positive("Trade.price_ticks", price_ticks)
        _check_positive("Trade.size_lots", size_lots)
        if (
            aggressor_side != AggressorSide.NO_AGGRESSOR
            and aggressor_side != AggressorSide.BUYER
            and aggressor_side != AggressorSide.SELLER
        ):
            raise InvalidEventError(
                f"Trade.aggressor_side: expected an AggressorSide, got {_enum_name(aggressor_side)}"
            )
        _check_timestamps("Trade", ts_event, ts_recv)
        self.instrument_id = instrument_id
        self.price_ticks = price_ticks
        self.size_lots = size_lots
        self.aggressor_side = aggressor_side
        self.trade_id = trade_id
        self.ts_event = ts_event
        self.ts_recv = ts_recv

    @staticmethod
    cdef Trade create(
        InstrumentId instrument_id,
        int64_t price_ticks,
        int64_t size_lots,
        AggressorSide aggressor_side,
        TradeId trade_id,
        int64_t ts_event,
        int64_t ts_recv,
    ):
        cdef Trade trade = Trade.__new__(Trade)
        trade.instrument_id = instrument_id
        trade.price_ticks = price_ticks
        trade.size_lots = size_lots
        trade.aggressor_side = aggressor_side
        trade.trade_id = trade_id
        trade.ts_event = ts_event
        trade.ts_recv = ts_recv
        return trade

    def __eq__(self, other):
        if type(other) is not Trade:
            return NotImplemented
        cdef Trade o = <Trade>other
        return (
            self.instrument_id.same_as(o.instrument_id)
            and self.price_ticks == o.price_ticks
            and self.size_lots == o.size_lots
            and self.aggressor_side == o.aggressor_side
            and self.trade_id == o.trade_id
            and self.ts_event == o.ts_event
            and self.ts_recv == o.ts_recv
        )

    def __repr__(self):
        return (
            f"Trade(instrument_id={self.instrument_id.value}, price_ticks={self.price_ticks}, "
            f"size_lots={self.size_lots}, aggressor_side={_enum_name(self.aggressor_side)}, "
            f"trade_id={self.trade_id.value}, ts_event={self.ts_event}, ts_recv={self.ts_recv})"
        )

    def to_dict(self):
        """Return the trade as a record of ints and strings.

        Returns
        -------
        dict
            Keys ``type``, ``instrument_id``, ``price_ticks``, ``size_lots``,
            ``aggressor_side``, ``trade_id``, ``ts_event``, ``ts_recv``.
        """
        return {
            "type": "Trade",
            "instrument_id": self.instrument_id.value,
            "price_ticks": self.price_ticks,
            "size_lots": self.size_lots,
            "aggressor_side": _enum_name(self.aggressor_side),
            "trade_id": self.trade_id.value,
            "ts_event": self.ts_event,
            "ts_recv": self.ts_recv,
        }

    @staticmethod
    def from_dict(dict record not None):
        """Build a trade from a record made by ``to_dict``.

        Parameters
        ----------
        record : dict
            The record.

        Returns
        -------
        Trade

        Raises
        ------
        DecodeError
            If a key is missing or holds the wrong kind of value.
        EnumParseError
            If ``aggressor_side`` is not a member name.
        InvalidEventError, InvalidIdentifierError
            If a value is out of range.
        """
        check_record_type(record, "Trade")
        return Trade(
            InstrumentId.from_str(read_str(record, "instrument_id", "Trade")),
            read_int(record, "price_ticks", "Trade"),
            read_int(record, "size_lots", "Trade"),
            read_enum(record, "aggressor_side", PyAggressorSide, "Trade"),
            TradeId(read_str(record, "trade_id", "Trade")),
            read_int(record, "ts_event", "Trade"),
            read_int(record, "ts_recv", "Trade"),
        )
