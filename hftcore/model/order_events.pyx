"""Order events: what happened to one of our orders, from submission to its final status.

Every event carries the owning ``strategy_id``, the ``instrument_id``, our ``client_order_id``,
``ts_event`` and ``ts_recv``. Events are immutable from Python and compare by value. Python
constructors validate every field and raise ``InvalidEventError`` naming the field and value;
Cython callers (the OMS, the risk engine, the simulated venue) use the trusting ``create``
factories. ``to_dict`` / ``from_dict`` convert to and from records of ints and strings (enums by
member name, ``Money`` as exact decimal text plus its currency); ``repr`` shows the record.
"""

cimport cython
from libc.stdint cimport int64_t

from hftcore.errors import InvalidEventError
from hftcore.model.enums import LiquiditySide as PyLiquiditySide
from hftcore.model.enums import Side as PySide
from hftcore.model.fixed_point import format_fixed
from hftcore.model.records import (
    check_record_type,
    read_enum,
    read_int,
    read_money,
    read_str,
)


cdef int _check_timestamps(str owner, int64_t ts_event, int64_t ts_recv) except -1:
    if ts_event < 0:
        raise InvalidEventError(f"{owner}.ts_event: expected UNIX ns >= 0, got {ts_event}")
    if ts_recv < 0:
        raise InvalidEventError(f"{owner}.ts_recv: expected UNIX ns >= 0, got {ts_recv}")
    return 0


cdef int _check_text(str field, str value) except -1:
    if not value or value.isspace():
        raise InvalidEventError(f"{field}: expected non-empty text, got {value!r}")
    return 0


cdef tuple _base_fields(dict record, str owner):
    return (
        StrategyId(read_str(record, "strategy_id", owner)),
        InstrumentId.from_str(read_str(record, "instrument_id", owner)),
        ClientOrderId(read_str(record, "client_order_id", owner)),
    )


cdef tuple _timestamps(dict record, str owner):
    return read_int(record, "ts_event", owner), read_int(record, "ts_recv", owner)


# -- BASE --------------------------------------------------------------------------------------

# Cython keeps a freelist only on a base type, for objects of its exact size: this one recycles
# the events without fields of their own (OrderSubmitted, OrderCanceled, OrderExpired).
@cython.freelist(64)
cdef class OrderEvent:
    """Base of every order event: which order, whose, and when.

    Not created directly; see the subclasses.

    Raises
    ------
    TypeError
        When called directly.
    """

    def __init__(self, *args, **kwargs):
        raise TypeError("OrderEvent is abstract: create one of its subclasses, e.g. OrderFilled")

    cdef int _set_base(
        self,
        StrategyId strategy_id,
        InstrumentId instrument_id,
        ClientOrderId client_order_id,
        int64_t ts_event,
        int64_t ts_recv,
    ) except -1:
        self.strategy_id = strategy_id
        self.instrument_id = instrument_id
        self.client_order_id = client_order_id
        self.ts_event = ts_event
        self.ts_recv = ts_recv
        return 0

    cdef int _same_base(self, OrderEvent other) except -1:
        return (
            self.strategy_id == other.strategy_id
            and self.instrument_id.same_as(other.instrument_id)
            and self.client_order_id == other.client_order_id
            and self.ts_event == other.ts_event
            and self.ts_recv == other.ts_recv
        )

    cdef dict _base_record(self):
        return {
            "type": type(self).__name__,
            "strategy_id": self.strategy_id.value,
            "instrument_id": self.instrument_id.value,
            "client_order_id": self.client_order_id.value,
            "ts_event": self.ts_event,
            "ts_recv": self.ts_recv,
        }

    def to_dict(self):
        """Return the event as a record of ints and strings.

        Returns
        -------
        dict
            Keys ``type``, ``strategy_id``, ``instrument_id``, ``client_order_id``,
            ``ts_event``, ``ts_recv`` and those of the event's own fields.
        """
        return self._base_record()

    def __eq__(self, other):
        if type(other) is not type(self):
            return NotImplemented
        return self._same_base(<OrderEvent>other) == 1

    def __repr__(self):
        cdef dict record = self.to_dict()
        del record["type"]
        fields = ", ".join([f"{key}={value}" for key, value in record.items()])
        return f"{type(self).__name__}({fields})"


# -- LIFECYCLE ---------------------------------------------------------------------------------

cdef class OrderSubmitted(OrderEvent):
    """The OMS sent the order to the venue.

    Parameters
    ----------
    strategy_id : StrategyId
        The owning strategy.
    instrument_id : InstrumentId
        The instrument.
    client_order_id : ClientOrderId
        Our id of the order.
    ts_event : int
        Time the order was sent, UNIX ns.
    ts_recv : int
        Local time the event was created, UNIX ns.

    Raises
    ------
    InvalidEventError
        If a timestamp is negative.
    """

    def __init__(
        self,
        StrategyId strategy_id not None,
        InstrumentId instrument_id not None,
        ClientOrderId client_order_id not None,
        int64_t ts_event=0,
        int64_t ts_recv=0,
    ):
        _check_timestamps("OrderSubmitted", ts_event, ts_recv)
        self._set_base(strategy_id, instrument_id, client_order_id, ts_event, ts_recv)

    @staticmethod
    cdef OrderSubmitted create(
        StrategyId strategy_id,
        InstrumentId instrument_id,
        ClientOrderId client_order_id,
        int64_t ts_event,
        int64_t ts_recv,
    ):
        cdef OrderSubmitted event = OrderSubmitted.__new__(OrderSubmitted)
        event._set_base(strategy_id, instrument_id, client_order_id, ts_event, ts_recv)
        return event

    @staticmethod
    def from_dict(dict record not None):
        """Build the event from a record made by ``to_dict``.

        Parameters
        ----------
        record : dict
            The record.

        Returns
        -------
        OrderSubmitted

        Raises
        ------
        DecodeError
            If a key is missing or holds the wrong kind of value.
        InvalidEventError, InvalidIdentifierError
            If a value is invalid.
        """
        check_record_type(record, "OrderSubmitted")
        return OrderSubmitted(
            *_base_fields(record, "OrderSubmitted"), *_timestamps(record, "OrderSubmitted")
        )


cdef class OrderAccepted(OrderEvent):
    """The venue accepted the order and gave it an id.

    Parameters
    ----------
    strategy_id : StrategyId
        The owning strategy.
    instrument_id : InstrumentId
        The instrument.
    client_order_id : ClientOrderId
        Our id of the order.
    venue_order_id : VenueOrderId
        The venue's id of the order.
    ts_event : int
        Venue time of the acceptance, UNIX ns.
    ts_recv : int
        Local receive time, UNIX ns.

    Raises
    ------
    InvalidEventError
        If a timestamp is negative.
    """

    def __init__(
        self,
        StrategyId strategy_id not None,
        InstrumentId instrument_id not None,
        ClientOrderId client_order_id not None,
        VenueOrderId venue_order_id not None,
        int64_t ts_event=0,
        int64_t ts_recv=0,
    ):
        _check_timestamps("OrderAccepted", ts_event, ts_recv)
        self._set_base(strategy_id, instrument_id, client_order_id, ts_event, ts_recv)
        self.venue_order_id = venue_order_id

    @staticmethod
    cdef OrderAccepted create(
        StrategyId strategy_id,
        InstrumentId instrument_id,
        ClientOrderId client_order_id,
        VenueOrderId venue_order_id,
        int64_t ts_event,
        int64_t ts_recv,
    ):
        cdef OrderAccepted event = OrderAccepted.__new__(OrderAccepted)
        event._set_base(strategy_id, instrument_id, client_order_id, ts_event, ts_recv)
        event.venue_order_id = venue_order_id
        return event

    def __eq__(self, other):
        if type(other) is not OrderAccepted:
            return NotImplemented
        cdef OrderAccepted o = <OrderAccepted>other
        return self._same_base(o) == 1 and self.venue_order_id == o.venue_order_id

    def to_dict(self):
        """Return the event as a record of ints and strings (adds ``venue_order_id``).

        Returns
        -------
        dict
        """
        cdef dict record = self._base_record()
        record["venue_order_id"] = self.venue_order_id.value
        return record

    @staticmethod
    def from_dict(dict record not None):
        """Build the event from a record made by ``to_dict``.

        Parameters
        ----------
        record : dict
            The record.

        Returns
        -------
        OrderAccepted

        Raises
        ------
        DecodeError
            If a key is missing or holds the wrong kind of value.
        InvalidEventError, InvalidIdentifierError
            If a value is invalid.
        """
        check_record_type(record, "OrderAccepted")
        return OrderAccepted(
            *_base_fields(record, "OrderAccepted"),
            VenueOrderId(read_str(record, "venue_order_id", "OrderAccepted")),
            *_timestamps(record, "OrderAccepted"),
        )


cdef class OrderRejected(OrderEvent):
    """The venue refused the order.

    Parameters
    ----------
    strategy_id : StrategyId
        The owning strategy.
    instrument_id : InstrumentId
        The instrument.
    client_order_id : ClientOrderId
        Our id of the order.
    reason : str
        The venue's reason (e.g. its error code and message), non-empty.
    ts_event : int
        Venue time of the rejection, UNIX ns.
    ts_recv : int
        Local receive time, UNIX ns.

    Raises
    ------
    InvalidEventError
        If ``reason`` is blank or a timestamp is negative.
    """

    def __init__(
        self,
        StrategyId strategy_id not None,
        InstrumentId instrument_id not None,
        ClientOrderId client_order_id not None,
        str reason not None,
        int64_t ts_event=0,
        int64_t ts_recv=0,
    ):
        _check_text("OrderRejected.reason", reason)
        _check_timestamps("OrderRejected", ts_event, ts_recv)
        self._set_base(strategy_id, instrument_id, client_order_id, ts_event, ts_recv)
        self.reason = reason

    @staticmethod
    cdef OrderRejected create(
        StrategyId strategy_id,
        InstrumentId instrument_id,
        ClientOrderId client_order_id,
        str reason,
        int64_t ts_event,
        int64_t ts_recv,
    ):
        cdef OrderRejected event = OrderRejected.__new__(OrderRejected)
        event._set_base(strategy_id, instrument_id, client_order_id, ts_event, ts_recv)
        event.reason = reason
        return event

    def __eq__(self, other):
        if type(other) is not OrderRejected:
            return NotImplemented
        cdef OrderRejected o = <OrderRejected>other
        return self._same_base(o) == 1 and self.reason == o.reason

    def to_dict(self):
        """Return the event as a record of ints and strings (adds ``reason``).

        Returns
        -------
        dict
        """
        cdef dict record = self._base_record()
        record["reason"] = self.reason
        return record

    @staticmethod
    def from_dict(dict record not None):
        """Build the event from a record made by ``to_dict``.

        Parameters
        ----------
        record : dict
            The record.

        Returns
        -------
        OrderRejected

        Raises
        ------
        DecodeError
            If a key is missing or holds the wrong kind of value.
        InvalidEventError, InvalidIdentifierError
            If a value is invalid.
        """
        check_record_type(record, "OrderRejected")
        return OrderRejected(
            *_base_fields(record, "OrderRejected"),
            read_str(record, "reason", "OrderRejected"),
            *_timestamps(record, "OrderRejected"),
        )


cdef class OrderDenied(OrderEvent):
    """The risk engine (or the OMS) refused the order before it reached the venue.

    Parameters
    ----------
    strategy_id : StrategyId
        The owning strategy.
    instrument_id : InstrumentId
        The instrument.
    client_order_id : ClientOrderId
        Our id of the order.
    reason_code : str
        Machine-readable reason such as ``MAX_ORDER_NOTIONAL``: non-empty, no whitespace.
    message : str
        Human-readable explanation naming the values that caused the denial.
    ts_event : int
        Time of the denial, UNIX ns.
    ts_recv : int
        Local time the event was created, UNIX ns.

    Raises
    ------
    InvalidEventError
        If ``reason_code`` is empty or has whitespace, or a timestamp is negative.
    """

    def __init__(
        self,
        StrategyId strategy_id not None,
        InstrumentId instrument_id not None,
        ClientOrderId client_order_id not None,
        str reason_code not None,
        str message not None,
        int64_t ts_event=0,
        int64_t ts_recv=0,
    ):
        if not reason_code or any([ch.isspace() for ch in reason_code]):
            raise InvalidEventError(
                f"OrderDenied.reason_code: expected a code without whitespace such as "
                f"'MAX_ORDER_NOTIONAL', got {reason_code!r}"
            )
        _check_timestamps("OrderDenied", ts_event, ts_recv)
        self._set_base(strategy_id, instrument_id, client_order_id, ts_event, ts_recv)
        self.reason_code = reason_code
        self.message = message

    @staticmethod
    cdef OrderDenied create(
        StrategyId strategy_id,
        InstrumentId instrument_id,
        ClientOrderId client_order_id,
        str reason_code,
        str message,
        int64_t ts_event,
        int64_t ts_recv,
    ):
        cdef OrderDenied event = OrderDenied.__new__(OrderDenied)
        event._set_base(strategy_id, instrument_id, client_order_id, ts_event, ts_recv)
        event.reason_code = reason_code
        event.message = message
        return event

    def __eq__(self, other):
        if type(other) is not OrderDenied:
            return NotImplemented
        cdef OrderDenied o = <OrderDenied>other
        return (
            self._same_base(o) == 1
            and self.reason_code == o.reason_code
            and self.message == o.message
        )

    def to_dict(self):
        """Return the event as a record of ints and strings (adds ``reason_code``, ``message``).

        Returns
        -------
        dict
        """
        cdef dict record = self._base_record()
        record["reason_code"] = self.reason_code
        record["message"] = self.message
        return record

    @staticmethod
    def from_dict(dict record not None):
        """Build the event from a record made by ``to_dict``.

        Parameters
        ----------
        record : dict
            The record.

        Returns
        -------
        OrderDenied

        Raises
        ------
        DecodeError
            If a key is missing or holds the wrong kind of value.
        InvalidEventError, InvalidIdentifierError
            If a value is invalid.
        """
        check_record_type(record, "OrderDenied")
        return OrderDenied(
            *_base_fields(record, "OrderDenied"),
            read_str(record, "reason_code", "OrderDenied"),
            read_str(record, "message", "OrderDenied"),
            *_timestamps(record, "OrderDenied"),
        )


cdef class OrderUpdated(OrderEvent):
    """The venue changed the order's price or quantity (an amend took effect).

    Parameters
    ----------
    strategy_id : StrategyId
        The owning strategy.
    instrument_id : InstrumentId
        The instrument.
    client_order_id : ClientOrderId
        Our id of the order.
    venue_order_id : VenueOrderId
        The venue's id of the order.
    price_ticks : int
        New limit price in ticks, >= 0 (0 for a market order).
    quantity_lots : int
        New order quantity in lots, > 0.
    ts_event : int
        Venue time of the update, UNIX ns.
    ts_recv : int
        Local receive time, UNIX ns.

    Raises
    ------
    InvalidEventError
        If the price is negative, the quantity is not positive or a timestamp is negative.
    """

    def __init__(
        self,
        StrategyId strategy_id not None,
        InstrumentId instrument_id not None,
        ClientOrderId client_order_id not None,
        VenueOrderId venue_order_id not None,
        int64_t price_ticks,
        int64_t quantity_lots,
        int64_t ts_event=0,
        int64_t ts_recv=0,
    ):
        if price_ticks < 0:
            raise InvalidEventError(f"OrderUpdated.price_ticks: expected >= 0, got {price_ticks}")
        if quantity_lots <= 0:
            raise InvalidEventError(
                f"OrderUpdated.quantity_lots: expected > 0, got {quantity_lots}"
            )
        _check_timestamps("OrderUpdated", ts_event, ts_recv)
        self._set_base(strategy_id, instrument_id, client_order_id, ts_event, ts_recv)
        self.venue_order_id = venue_order_id
        self.price_ticks = price_ticks
        self.quantity_lots = quantity_lots

    @staticmethod
    cdef OrderUpdated create(
        StrategyId strategy_id,
        InstrumentId instrument_id,
        ClientOrderId client_order_id,
        VenueOrderId venue_order_id,
        int64_t price_ticks,
        int64_t quantity_lots,
        int64_t ts_event,
        int64_t ts_recv,
    ):
        cdef OrderUpdated event = OrderUpdated.__new__(OrderUpdated)
        event._set_base(strategy_id, instrument_id, client_order_id, ts_event, ts_recv)
        event.venue_order_id = venue_order_id
        event.price_ticks = price_ticks
        event.quantity_lots = quantity_lots
        return event

    def __eq__(self, other):
        if type(other) is not OrderUpdated:
            return NotImplemented
        cdef OrderUpdated o = <OrderUpdated>other
        return (
            self._same_base(o) == 1
            and self.venue_order_id == o.venue_order_id
            and self.price_ticks == o.price_ticks
            and self.quantity_lots == o.quantity_lots
        )

    def to_dict(self):
        """Return the event as a record of ints and strings.

        Returns
        -------
        dict
            Adds ``venue_order_id``, ``price_ticks``, ``quantity_lots``.
        """
        cdef dict record = self._base_record()
        record["venue_order_id"] = self.venue_order_id.value
        record["price_ticks"] = self.price_ticks
        record["quantity_lots"] = self.quantity_lots
        return record

    @staticmethod
    def from_dict(dict record not None):
        """Build the event from a record made by ``to_dict``.

        Parameters
        ----------
        record : dict
            The record.

        Returns
        -------
        OrderUpdated

        Raises
        ------
        DecodeError
            If a key is missing or holds the wrong kind of value.
        InvalidEventError, InvalidIdentifierError
            If a value is invalid.
        """
        check_record_type(record, "OrderUpdated")
        return OrderUpdated(
            *_base_fields(record, "OrderUpdated"),
            VenueOrderId(read_str(record, "venue_order_id", "OrderUpdated")),
            read_int(record, "price_ticks", "OrderUpdated"),
            read_int(record, "quantity_lots", "OrderUpdated"),
            *_timestamps(record, "OrderUpdated"),
        )


cdef class OrderFilled(OrderEvent):
    """The order traded (fully or in part): one fill.

    Parameters
    ----------
    strategy_id : StrategyId
        The owning strategy.
    instrument_id : InstrumentId
        The instrument.
    client_order_id : ClientOrderId
        Our id of the order.
    venue_order_id : VenueOrderId
        The venue's id of the order.
    trade_id : TradeId
        The venue's id of the fill.
    order_side : Side
        BUY or SELL: the side of the order filled.
    last_price_ticks : int
        Price of this fill in ticks, > 0.
    last_qty_lots : int
        Quantity of this fill in lots, > 0.
    liquidity_side : LiquiditySide
        MAKER or TAKER; NO_LIQUIDITY_SIDE when the venue does not say.
    fee : Money
        Fee charged for this fill; negative for a rebate. Its currency is the fee asset.
    ts_event : int
        Venue time of the fill, UNIX ns.
    ts_recv : int
        Local receive time, UNIX ns.

    Raises
    ------
    InvalidEventError
        If the side or liquidity side is out of range, the price or quantity is not positive, or
        a timestamp is negative.
    """

    def __init__(
        self,
        StrategyId strategy_id not None,
        InstrumentId instrument_id not None,
        ClientOrderId client_order_id not None,
        VenueOrderId venue_order_id not None,
        TradeId trade_id not None,
        Side order_side,
        int64_t last_price_ticks,
        int64_t last_qty_lots,
        LiquiditySide liquidity_side,
        Money fee not None,
        int64_t ts_event=0,
        int64_t ts_recv=0,
    ):
        if order_side != Side.BUY and order_side != Side.SELL:
            raise InvalidEventError(
                f"OrderFilled.order_side: expected BUY or SELL, got {<int>order_side}"
            )
        if last_price_ticks <= 0:
            raise InvalidEventError(
                f"OrderFilled.last_price_ticks: expected > 0, got {last_price_ticks}"
            )
        if last_qty_lots <= 0:
            raise InvalidEventError(
                f"OrderFilled.last_qty_lots: expected > 0, got {last_qty_lots}"
            )
        if not LiquiditySide.NO_LIQUIDITY_SIDE <= liquidity_side <= LiquiditySide.TAKER:
            raise InvalidEventError(
                f"OrderFilled.liquidity_side: expected MAKER, TAKER or NO_LIQUIDITY_SIDE, "
                f"got {<int>liquidity_side}"
            )
        _check_timestamps("OrderFilled", ts_event, ts_recv)
        self._set_base(strategy_id, instrument_id, client_order_id, ts_event, ts_recv)
        self.venue_order_id = venue_order_id
        self.trade_id = trade_id
        self.order_side = order_side
        self.last_price_ticks = last_price_ticks
        self.last_qty_lots = last_qty_lots
        self.liquidity_side = liquidity_side
        self.fee = fee

    @staticmethod
    cdef OrderFilled create(
        StrategyId strategy_id,
        InstrumentId instrument_id,
        ClientOrderId client_order_id,
        VenueOrderId venue_order_id,
        TradeId trade_id,
        Side order_side,
        int64_t last_price_ticks,
        int64_t last_qty_lots,
        LiquiditySide liquidity_side,
        Money fee,
        int64_t ts_event,
        int64_t ts_recv,
    ):
        cdef OrderFilled event = OrderFilled.__new__(OrderFilled)
        event._set_base(strategy_id, instrument_id, client_order_id, ts_event, ts_recv)
        event.venue_order_id = venue_order_id
        event.trade_id = trade_id
        event.order_side = order_side
        event.last_price_ticks = last_price_ticks
        event.last_qty_lots = last_qty_lots
        event.liquidity_side = liquidity_side
        event.fee = fee
        return event

    @property
    def fee_asset(self):
        """str: The asset the fee is charged in (``fee.currency``)."""
        return self.fee.currency

    def __eq__(self, other):
        if type(other) is not OrderFilled:
            return NotImplemented
        cdef OrderFilled o = <OrderFilled>other
        return (
            self._same_base(o) == 1
            and self.venue_order_id == o.venue_order_id
            and self.trade_id == o.trade_id
            and self.order_side == o.order_side
            and self.last_price_ticks == o.last_price_ticks
            and self.last_qty_lots == o.last_qty_lots
            and self.liquidity_side == o.liquidity_side
            and self.fee == o.fee
        )

    def to_dict(self):
        """Return the event as a record of ints and strings.

        Returns
        -------
        dict
            Adds ``venue_order_id``, ``trade_id``, ``order_side``, ``last_price_ticks``,
            ``last_qty_lots``, ``liquidity_side``, ``fee`` (exact decimal text) and
            ``fee_asset``.
        """
        cdef dict record = self._base_record()
        record["venue_order_id"] = self.venue_order_id.value
        record["trade_id"] = self.trade_id.value
        record["order_side"] = PySide(self.order_side).name
        record["last_price_ticks"] = self.last_price_ticks
        record["last_qty_lots"] = self.last_qty_lots
        record["liquidity_side"] = PyLiquiditySide(self.liquidity_side).name
        record["fee"] = format_fixed(self.fee.raw, self.fee.precision)
        record["fee_asset"] = self.fee.currency
        return record

    @staticmethod
    def from_dict(dict record not None):
        """Build the event from a record made by ``to_dict``.

        Parameters
        ----------
        record : dict
            The record.

        Returns
        -------
        OrderFilled

        Raises
        ------
        DecodeError
            If a key is missing or holds the wrong kind of value.
        EnumParseError
            If ``order_side`` or ``liquidity_side`` is not a member name.
        FixedPointError
            If ``fee`` is not an exact decimal string.
        InvalidEventError, InvalidIdentifierError
            If a value is invalid.
        """
        check_record_type(record, "OrderFilled")
        return OrderFilled(
            *_base_fields(record, "OrderFilled"),
            VenueOrderId(read_str(record, "venue_order_id", "OrderFilled")),
            TradeId(read_str(record, "trade_id", "OrderFilled")),
            read_enum(record, "order_side", PySide, "OrderFilled"),
            read_int(record, "last_price_ticks", "OrderFilled"),
            read_int(record, "last_qty_lots", "OrderFilled"),
            read_enum(record, "liquidity_side", PyLiquiditySide, "OrderFilled"),
            read_money(record, "fee", "fee_asset", "OrderFilled"),
            *_timestamps(record, "OrderFilled"),
        )


cdef class OrderCanceled(OrderEvent):
    """The order was canceled (by us or by the venue); it no longer rests on the book.

    Parameters
    ----------
    strategy_id : StrategyId
        The owning strategy.
    instrument_id : InstrumentId
        The instrument.
    client_order_id : ClientOrderId
        Our id of the order.
    ts_event : int
        Venue time of the cancel, UNIX ns.
    ts_recv : int
        Local receive time, UNIX ns.

    Raises
    ------
    InvalidEventError
        If a timestamp is negative.
    """

    def __init__(
        self,
        StrategyId strategy_id not None,
        InstrumentId instrument_id not None,
        ClientOrderId client_order_id not None,
        int64_t ts_event=0,
        int64_t ts_recv=0,
    ):
        _check_timestamps("OrderCanceled", ts_event, ts_recv)
        self._set_base(strategy_id, instrument_id, client_order_id, ts_event, ts_recv)

    @staticmethod
    cdef OrderCanceled create(
        StrategyId strategy_id,
        InstrumentId instrument_id,
        ClientOrderId client_order_id,
        int64_t ts_event,
        int64_t ts_recv,
    ):
        cdef OrderCanceled event = OrderCanceled.__new__(OrderCanceled)
        event._set_base(strategy_id, instrument_id, client_order_id, ts_event, ts_recv)
        return event

    @staticmethod
    def from_dict(dict record not None):
        """Build the event from a record made by ``to_dict``.

        Parameters
        ----------
        record : dict
            The record.

        Returns
        -------
        OrderCanceled

        Raises
        ------
        DecodeError
            If a key is missing or holds the wrong kind of value.
        InvalidEventError, InvalidIdentifierError
            If a value is invalid.
        """
        check_record_type(record, "OrderCanceled")
        return OrderCanceled(
            *_base_fields(record, "OrderCanceled"), *_timestamps(record, "OrderCanceled")
        )


cdef class OrderExpired(OrderEvent):
    """The order's time in force ran out (IOC/FOK remainder, expiry) without a full fill.

    Parameters
    ----------
    strategy_id : StrategyId
        The owning strategy.
    instrument_id : InstrumentId
        The instrument.
    client_order_id : ClientOrderId
        Our id of the order.
    ts_event : int
        Venue time of the expiry, UNIX ns.
    ts_recv : int
        Local receive time, UNIX ns.

    Raises
    ------
    InvalidEventError
        If a timestamp is negative.
    """

    def __init__(
        self,
        StrategyId strategy_id not None,
        InstrumentId instrument_id not None,
        ClientOrderId client_order_id not None,
        int64_t ts_event=0,
        int64_t ts_recv=0,
    ):
        _check_timestamps("OrderExpired", ts_event, ts_recv)
        self._set_base(strategy_id, instrument_id, client_order_id, ts_event, ts_recv)

    @staticmethod
    cdef OrderExpired create(
        StrategyId strategy_id,
        InstrumentId instrument_id,
        ClientOrderId client_order_id,
        int64_t ts_event,
        int64_t ts_recv,
    ):
        cdef OrderExpired event = OrderExpired.__new__(OrderExpired)
        event._set_base(strategy_id, instrument_id, client_order_id, ts_event, ts_recv)
        return event

    @staticmethod
    def from_dict(dict record not None):
        """Build the event from a record made by ``to_dict``.

        Parameters
        ----------
        record : dict
            The record.

        Returns
        -------
        OrderExpired

        Raises
        ------
        DecodeError
            If a key is missing or holds the wrong kind of value.
        InvalidEventError, InvalidIdentifierError
            If a value is invalid.
        """
        check_record_type(record, "OrderExpired")
        return OrderExpired(
            *_base_fields(record, "OrderExpired"), *_timestamps(record, "OrderExpired")
        )
