"""The shadow ledger: balances per venue and asset, positions, PnL and fees, fed by fills.

The :class:`Portfolio` is what strategies read as ``self.portfolio``. It is fed by

* the order events of the execution engine (it subscribes to every order topic on the bus, ahead
  of the strategies, so ``on_fill`` sees the position after the fill): fills move positions and
  balances, and the open orders' reservations follow every order event;
* venue balance updates, through :meth:`Portfolio.on_balance_update`;
* the risk engine, which reserves an order's funds the moment it approves the order.

Accounting rules:

* **Positions** net per instrument by average cost (:mod:`hftcore.portfolio.position`): a fill
  that reduces a position realizes ``(price - avg_entry) * closed quantity`` (sign of the
  position), a fill that adds to it moves the average entry, a fill that flips it realizes the
  whole old position and opens the rest at the fill price.
* **Spot** fills move the venue's base (``+/- quantity``) and quote (``-/+ notional``) balances;
  the position's realized PnL is informational.
* **Perpetuals and futures** (linear: settled in the quote asset) book realized PnL into the
  settlement balance and hold ``|quantity| * avg_entry / leverage`` of it as margin.
* **Fees** are paid from the fee currency's balance on the venue and summed per asset.
* **Balances** (:mod:`hftcore.portfolio.balance`): ``total`` is exact; ``locked`` is what our
  open orders reserve (:mod:`hftcore.portfolio.reservations`: their leaves at the limit price,
  or at the touch plus a buffer for market orders; margin for derivatives) plus position
  margin; ``free = total - locked``. A venue's balance update replaces ``total`` (``free +
  locked`` as the venue reports them) and keeps our own reservations.

Amounts are exact: int128 mantissas at 10**-18 of their asset on the fill path
(:mod:`hftcore.portfolio.amounts`; a fill is a few integer products), ``Decimal`` values on
read, and ``Decimal`` bookkeeping for what does not fit there. The reservations and the ``*_f``
mirrors the risk engine reads on every order are floats. Positions and balances are written to
the cache as ``PositionUpdate`` / ``BalanceUpdate`` (amounts rounded half-even to
``money_precision`` places, computed from the mantissas) on every fill, venue update and
release; a balance write that would store the figures the cache already holds is skipped. A
reservation made at approval shows in :meth:`balance` at once and in the cache with the
balance's next change.

This module is the write side: state, order events, fills and reservations (the risk engine
calls these per order). The query methods (marks, PnL, equity, prices, fees, exposure)
delegate their maths to :mod:`hftcore.portfolio.valuation`, which only reads.
"""

import logging
from decimal import ROUND_HALF_EVEN, Context, Decimal

cimport cython
from libc.stdint cimport int64_t

from hftcore.bus.message_bus cimport MessageBus
from hftcore.cache.cache cimport Cache
from hftcore.clock.clock cimport Clock
from hftcore.model.account_events cimport BalanceUpdate, PositionUpdate
from hftcore.model.enums cimport InstrumentKind, OrderType, RoundingMode, Side
from hftcore.model.identifiers cimport ClientOrderId, InstrumentId, Venue
from hftcore.model.instrument cimport Instrument
from hftcore.model.money cimport Money
from hftcore.model.order cimport Order
from hftcore.model.order_events cimport (
    OrderAccepted,
    OrderEvent,
    OrderFilled,
    OrderSubmitted,
    OrderUpdated,
)
from hftcore.portfolio cimport reservations, valuation
from hftcore.portfolio.amounts cimport (
    E18_DIGITS,
    e18_to_raw,
    hft_add_e18,
    hft_mul_e18,
    hft_pow10,
    int128_t,
)
from hftcore.portfolio.balance cimport AssetBalance
from hftcore.portfolio.position cimport AssetPosition, Position
from hftcore.portfolio.reservations cimport Reservation

from hftcore.portfolio.config import PortfolioConfig
from hftcore.portfolio.events import rebalance_topic
from hftcore.portfolio.rebalance import RebalanceMonitor

# The balance and position classes stay importable from here, where they used to live.
globals().update(AssetBalance=AssetBalance, AssetPosition=AssetPosition, Position=Position)
__all__ = [  # the balance and position classes are re-exported from here
    "AssetBalance",
    "AssetPosition",
    "ORDER_EVENTS_PATTERN",
    "ORDER_EVENTS_PRIORITY",
    "Portfolio",
    "Position",
]

log = logging.getLogger(__name__)

ORDER_EVENTS_PATTERN = "order.*"
"""Bus pattern of every order topic (``order.strategy.<id>``) the portfolio subscribes to."""
ORDER_EVENTS_PRIORITY = 100
"""Delivery priority of the portfolio's order-event handler: before strategies (priority 0)."""

_CTX = Context(prec=40, rounding=ROUND_HALF_EVEN)
_ZERO = Decimal(0)


# -- PORTFOLIO ---------------------------------------------------------------------------------

@cython.final
cdef class Portfolio:
    """Balances, positions, PnL, fees and exposure of one trading process.

    Parameters
    ----------
    config : PortfolioConfig, optional
        Quote currency, leverage, marks, starting balances and rebalancing levels; defaults
        apply when omitted.
    cache : Cache, optional
        The node cache; :meth:`register` sets it (and the bus and clock) from a node.
    bus : MessageBus, optional
        Where rebalancing signals are published; order events are read from it once the
        portfolio is registered.
    clock : Clock, optional
        The node clock (stamps of cache writes and signals).

    Examples
    --------
    >>> node = TradingNode(Environment.BACKTEST)
    >>> portfolio = Portfolio(PortfolioConfig(quote_currency="USDT"))
    >>> portfolio.register(node)      # subscribes to every order topic
    >>> node.portfolio = portfolio    # before strategies are added
    """

    def __init__(self, config=None, Cache cache=None, MessageBus bus=None, clock=None):
        if config is None:
            config = PortfolioConfig()
        if not isinstance(config, PortfolioConfig):
            raise TypeError(f"config: expected PortfolioConfig, got {type(config).__name__}")
        self.config = config
        self.cache = cache
        self.bus = None
        self.clock = clock
        self._clock = clock if isinstance(clock, Clock) else None
        self.fill_count = 0
        self.balance_update_count = 0
        self.unknown_instrument_fill_count = 0
        self._positions = {}
        self._balances = {}
        self._asset_positions = {}
        self._reservations = {}
        self._precision = config.money_precision
        self._market_buffer = float(config.market_order_buffer_bps) / 10_000.0
        self._rebalancer = None
        if config.rebalance is not None:
            self._rebalancer = RebalanceMonitor(config.rebalance, self._publish_rebalance)
        cdef AssetBalance balance
        for initial in config.balances:
            balance = self.balance_c(Venue(initial.venue), initial.asset)
            balance._set_total(initial.amount, 0)
            balance.is_reported = True
        if bus is not None:
            self._subscribe(bus)

    def register(self, node):
        """Take the node's cache, bus and clock and subscribe to every order topic.

        Call it before strategies are added, and set ``node.portfolio`` to this portfolio so
        strategies read it as ``self.portfolio``.

        Parameters
        ----------
        node : TradingNode
        """
        self.cache = node.cache
        self.clock = node.clock
        self._clock = node.clock if isinstance(node.clock, Clock) else None
        self._subscribe(node.bus)
        cdef AssetBalance balance
        for balance in self._balances.values():
            balance._written_free = None  # a new cache holds none of them yet
            balance._written_locked = None
            self._write_balance(balance, balance.ts_last, -1)

    def _subscribe(self, MessageBus bus):
        if self.bus is bus:
            return
        if self.bus is not None:
            self.bus.unsubscribe(ORDER_EVENTS_PATTERN, self.on_order_event)
        self.bus = bus
        bus.subscribe(ORDER_EVENTS_PATTERN, self.on_order_event, ORDER_EVENTS_PRIORITY)

    def set_transfer_executor(self, executor):
        """Hand rebalancing signals to ``executor`` for live transfers (opt-in).

        Parameters
        ----------
        executor : TransferExecutor or None

        Raises
        ------
        ConfigError
            If ``[portfolio.rebalance]`` is absent or ``execute_transfers`` is false.
        """
        from hftcore.errors import ConfigError

        if self._rebalancer is None:
            raise ConfigError(
                "portfolio.rebalance: not configured; add [portfolio.rebalance] with "
                "execute_transfers = true to allow live transfers"
            )
        self._rebalancer.set_transfer_executor(executor)

    @property
    def rebalance_monitor(self):
        """RebalanceMonitor or None: The rebalancing monitor, when configured."""
        return self._rebalancer

    # -- LOOKUPS (hot path) --------------------------------------------------------------------

    cdef Position position_c(self, InstrumentId instrument_id):
        cdef Position position = self._positions.get(instrument_id)
        if position is not None:
            return position
        cdef Instrument instrument = self.cache.instrument(instrument_id)
        cdef Venue venue = instrument_id.venue
        cdef bint is_spot = instrument.kind == InstrumentKind.SPOT
        position = Position(
            instrument,
            self.balance_c(venue, instrument.base) if is_spot else None,
            self.balance_c(venue, instrument.quote),
            self.balance_c(venue, instrument.settle),
            self.config.leverage.get(instrument_id.value, self.config.default_leverage),
            self.asset_position_c(instrument.base),
        )
        self._positions[instrument_id] = position
        return position

    cdef AssetBalance balance_c(self, Venue venue, str asset):
        cdef tuple key = (venue.value, asset)
        cdef AssetBalance balance = self._balances.get(key)
        if balance is None:
            balance = AssetBalance(venue, asset, self._precision)
            self._balances[key] = balance
        return balance

    cdef AssetPosition asset_position_c(self, str asset):
        cdef AssetPosition exposure = self._asset_positions.get(asset)
        if exposure is None:
            exposure = AssetPosition(asset)
            self._asset_positions[asset] = exposure
        return exposure

    # -- RESERVATIONS (hot path) ---------------------------------------------------------------

    cdef AssetBalance reserve_balance_c(self, Position position, Side side):
        return reservations.reserve_balance(position, side)

    cdef double required_f(
        self,
        Position position,
        Side side,
        int64_t quantity_lots,
        double price_ticks,
        bint is_reduce_only,
    ) noexcept:
        return reservations.required_f(position, side, quantity_lots, price_ticks, is_reduce_only)

    cdef double market_price_ticks_f(self, Instrument instrument, Side side) except? -1.0:
        return reservations.market_price_ticks_f(self.cache, instrument, side, self._market_buffer)

    cdef int reserve_c(self, Order order, double price_ticks) except -1:
        return self._reserve(
            order, price_ticks, self._reservations.get(order.client_order_id)
        )

    cdef int _reserve(
        self, Order order, double price_ticks, Reservation reservation
    ) except -1:
        # reserve_c() with the order's reservation (None: it has none yet) looked up.
        cdef Position position = (
            self.position_c(order.instrument_id) if reservation is None
            else reservation.position
        )
        cdef AssetBalance balance = reservations.reserve_balance(position, order.side)
        cdef int64_t leaves_lots = order.quantity_lots - order.filled_lots
        cdef double per_lot_f
        if price_ticks <= 0.0:
            price_ticks = (
                order.price_ticks if order.order_type == OrderType.LIMIT
                else reservations.market_price_ticks_f(
                    self.cache, position.instrument, order.side, self._market_buffer
                )
            )
        if leaves_lots <= 0:
            return self._release(order.client_order_id)
        per_lot_f = (
            reservations.required_f(
                position, order.side, leaves_lots, price_ticks, order.is_reduce_only
            ) / leaves_lots
        )
        if reservation is None:
            reservation = Reservation(position, balance, per_lot_f, leaves_lots)
            self._reservations[order.client_order_id] = reservation
            reservation.hold_c()
        else:
            reservation.move_c(balance, per_lot_f, leaves_lots)
        return 0

    cdef int _refresh_reservation(self, Order order) except -1:
        if order.is_closed_c():
            return self._release(order.client_order_id)
        cdef Reservation reservation = self._reservations.get(order.client_order_id)
        if reservation is not None:
            reservation.refresh_c(order.quantity_lots - order.filled_lots)
        return 0

    cdef int _release(self, ClientOrderId client_order_id) except -1:
        cdef Reservation reservation = self._reservations.pop(client_order_id, None)
        if reservation is not None:
            reservation.release_c()
        return 0

    def reserved(self, ClientOrderId client_order_id not None):
        """Return what the open order ``client_order_id`` reserves, as (asset, amount).

        Parameters
        ----------
        client_order_id : ClientOrderId

        Returns
        -------
        tuple of (str, float) or None
            The reserved asset and amount (an estimate); None when the order holds nothing.
        """
        cdef Reservation reservation = self._reservations.get(client_order_id)
        if reservation is None:
            return None
        return reservation.balance.asset, reservation.reserved_f

    # -- EVENTS --------------------------------------------------------------------------------

    def on_order_event(self, OrderEvent event not None):
        """Apply one order event: fills move positions and balances; reservations follow.

        Subscribed to every order topic by :meth:`register`; call it directly when the
        portfolio is not on the node's bus.

        Parameters
        ----------
        event : OrderEvent
            Any order event published by the execution engine.
        """
        cdef type kind = type(event)
        cdef Order order
        if kind is OrderFilled:
            self._on_fill(<OrderFilled>event)
            return
        if kind is OrderAccepted:
            return
        if kind is OrderSubmitted:
            if event.client_order_id in self._reservations or self.cache is None:
                return
            order = self.cache.order(event.client_order_id)
            if order is not None and not order.is_closed_c():
                self.reserve_c(order, 0.0)
            return
        cdef Reservation reservation = self._reservations.get(event.client_order_id)
        if reservation is None:
            return
        order = None if self.cache is None else self.cache.order(event.client_order_id)
        if order is None or order.is_closed_c():
            self._release(event.client_order_id)
        elif kind is OrderUpdated:
            self._reserve(order, 0.0, reservation)
        else:
            self._refresh_reservation(order)
        self._write_balance(reservation.balance, event.ts_event, -1)

    def on_balance_update(self, BalanceUpdate update not None):
        """Apply a venue's balance: its ``free + locked`` becomes the total we hold.

        Our own reservations stay as they are (the venue's ``locked`` is its view of the same
        orders). Call it from the venue adapter for every balance report.

        Parameters
        ----------
        update : BalanceUpdate
        """
        cdef AssetBalance balance = self.balance_c(update.venue, update.asset)
        balance._set_total(
            _CTX.add(update.free.as_decimal(), update.locked.as_decimal()), update.ts_event
        )
        balance.is_reported = True
        self.balance_update_count += 1
        self._after_balance_change(balance, update.ts_event, self._now_ns())

    cdef int _on_fill(self, OrderFilled fill) except -1:
        cdef Position position = self._positions.get(fill.instrument_id)
        if position is None:
            if self.cache is None or not self.cache.has_instrument(fill.instrument_id):
                self.unknown_instrument_fill_count += 1
                log.error(
                    "fill of an instrument unknown to the cache; not applied instrument_id=%s "
                    "client_order_id=%s",
                    fill.instrument_id.value,
                    fill.client_order_id.value,
                )
                return 0
            position = self.position_c(fill.instrument_id)
        cdef int64_t ts_event = fill.ts_event
        cdef int64_t now_ns = self._now_ns()
        cdef int64_t signed_lots = (
            fill.last_qty_lots if fill.order_side == Side.BUY else -fill.last_qty_lots
        )
        cdef int128_t realized_e18
        cdef int128_t margin_delta_e18
        cdef int128_t units_e18
        cdef int128_t notional_e18
        cdef int128_t quote_delta_e18
        cdef tuple deltas
        cdef AssetBalance fee_balance = None
        cdef Money fee = fill.fee
        cdef int128_t fee_e18 = 0  # Money: 0..18 places, int64 mantissa: it fits
        cdef bint is_quote_fee = False
        cdef bint is_fee_paid = False
        cdef Order order
        if fee is not None and fee.raw != 0:
            fee_e18 = <int128_t>fee.raw * hft_pow10(E18_DIGITS - fee.precision)
            is_quote_fee = position.quote_balance.asset == fee.currency
        if position._apply_fill_e18(fill, &realized_e18, &margin_delta_e18):
            if position.is_spot:
                if hft_mul_e18(signed_lots, position._units_per_lot_e18, &units_e18):
                    position.base_balance._add_decimal(
                        _CTX.multiply(position._units_per_lot, signed_lots), ts_event
                    )
                else:
                    position.base_balance._add_e18(units_e18, ts_event)
                if hft_mul_e18(  # ticks x lots < 2**126: only the last product can overflow
                    <int128_t>fill.last_price_ticks * signed_lots,
                    position._tick_lot_e18,
                    &notional_e18,
                ):
                    position.quote_balance._add_decimal(
                        -position._notional_decimal(fill.last_price_ticks, signed_lots), ts_event
                    )
                elif is_quote_fee and not hft_add_e18(-notional_e18, -fee_e18, &quote_delta_e18):
                    position.quote_balance._add_e18(quote_delta_e18, ts_event)  # the fee too
                    is_fee_paid = True
                else:
                    position.quote_balance._add_e18(-notional_e18, ts_event)
            else:
                position.settle_balance._add_margin_e18(margin_delta_e18)
                position.settle_balance._add_e18(realized_e18, ts_event)
        else:
            position._to_decimal()
            deltas = position._apply_fill_decimal(fill)
            if position.is_spot:
                position.base_balance._add_decimal(
                    _CTX.multiply(position._units_per_lot, signed_lots), ts_event
                )
                position.quote_balance._add_decimal(
                    -position._notional_decimal(fill.last_price_ticks, signed_lots), ts_event
                )
            else:
                position.settle_balance._add_margin_decimal(deltas[1])
                position.settle_balance._add_decimal(deltas[0], ts_event)
        if fee_e18 != 0:
            fee_balance = (
                position.quote_balance if is_quote_fee
                else self.balance_c(fill.instrument_id.venue, fee.currency)
            )
            if not is_fee_paid:
                fee_balance._add_e18(-fee_e18, ts_event)
            fee_balance._add_fee_e18(fee_e18)
            position._add_fee(fee.currency, fee_e18)
        self.fill_count += 1
        order = self.cache.order(fill.client_order_id)
        if order is not None:
            self._refresh_reservation(order)
        self._write_position(position, ts_event, now_ns)
        if position.is_spot:
            self._after_balance_change(position.base_balance, ts_event, now_ns)
            self._after_balance_change(position.quote_balance, ts_event, now_ns)
        else:
            self._after_balance_change(position.settle_balance, ts_event, now_ns)
        if (
            fee_balance is not None
            and fee_balance is not position.quote_balance
            and fee_balance is not position.settle_balance
            and fee_balance is not position.base_balance
        ):
            self._after_balance_change(fee_balance, ts_event, now_ns)
        return 0

    cdef int _after_balance_change(
        self, AssetBalance balance, int64_t ts_event, int64_t now_ns
    ) except -1:
        self._write_balance(balance, ts_event, now_ns)
        if self._rebalancer is None or not self._rebalancer.watches(balance.asset):
            return 0
        self._rebalancer.on_balance(
            balance.venue.value,
            balance.asset,
            [(b.venue.value, b.free) for b in self._balances.values() if b.asset == balance.asset],
            ts_event,
            now_ns,
        )
        return 0

    def _publish_rebalance(self, signal):
        if self.bus is not None:
            self.bus.publish(rebalance_topic(signal.venue, signal.asset), signal)

    cdef int _write_position(
        self, Position position, int64_t ts_event, int64_t now_ns
    ) except -1:
        if self.cache is None:
            return 0
        cdef AssetBalance settle = position.settle_balance
        cdef int64_t realized_raw
        cdef Money realized = position._written_realized
        if (
            settle._is_asset_code
            and position._is_exact
            and e18_to_raw(position._realized_e18, self._precision, &realized_raw)
        ):
            if realized is None or realized.raw != realized_raw:
                realized = Money.from_raw_c(realized_raw, self._precision, settle.asset)
        else:
            realized = self._money(position._realized(), settle.asset)
        position._written_realized = realized
        self.cache.set_position(
            PositionUpdate.create(
                position.instrument_id,
                position.quantity_lots,
                position._avg_entry_price(),
                realized,
                ts_event,
                now_ns,
            )
        )
        return 0

    cdef int _write_balance(self, AssetBalance balance, int64_t ts_event, int64_t now_ns) except -1:
        # now_ns < 0: read the clock if a write is due. A write from the mantissas that would
        # store the figures already cached is skipped.
        if self.cache is None:
            return 0
        cdef int64_t free_raw
        cdef int64_t locked_raw
        cdef object locked
        cdef Money free = balance._written_free
        cdef Money reserved = balance._written_locked
        if balance._cache_raws(&free_raw, &locked_raw):
            # Money is immutable: an unchanged figure reuses the Money last written
            if free is not None and free.raw == free_raw and reserved.raw == locked_raw:
                return 0
            if free is None or free.raw != free_raw:
                free = Money.from_raw_c(free_raw, self._precision, balance.asset)
            if reserved is None or reserved.raw != locked_raw:
                reserved = Money.from_raw_c(locked_raw, self._precision, balance.asset)
            balance._written_free = free
            balance._written_locked = reserved
            self.cache.set_balance(
                BalanceUpdate.create(
                    balance.venue,
                    balance.asset,
                    free,
                    reserved,
                    ts_event,
                    now_ns if now_ns >= 0 else self._now_ns(),
                )
            )
            return 0
        balance._written_free = None
        balance._written_locked = None
        locked = balance.locked
        self.cache.set_balance(
            BalanceUpdate.create(
                balance.venue,
                balance.asset,
                self._money(_CTX.subtract(balance.total, locked), balance.asset),
                self._money(locked, balance.asset),
                ts_event,
                now_ns if now_ns >= 0 else self._now_ns(),
            )
        )
        return 0

    cdef object _money(self, object amount, str currency):
        return Money.from_decimal(
            amount, currency, self.config.money_precision, RoundingMode.HALF_EVEN
        )

    cdef int64_t _now_ns(self) except? -1:
        if self._clock is not None:
            return self._clock.timestamp_ns()
        return 0 if self.clock is None else self.clock.timestamp_ns()

    # -- QUERIES -------------------------------------------------------------------------------

    def position(self, InstrumentId instrument_id not None):
        """Return the position in ``instrument_id`` (flat before its first fill).

        Parameters
        ----------
        instrument_id : InstrumentId

        Returns
        -------
        Position

        Raises
        ------
        UnknownInstrumentError
            If the cache does not hold the instrument.
        """
        return self.position_c(instrument_id)

    def positions(self):
        """Return every position the portfolio holds an entry for, flat ones included.

        Returns
        -------
        list[Position]
        """
        return list(self._positions.values())

    def net_position_lots(self, InstrumentId instrument_id not None):
        """Return the signed net position in lots (0 when flat or never traded).

        Parameters
        ----------
        instrument_id : InstrumentId

        Returns
        -------
        int
        """
        cdef Position position = self._positions.get(instrument_id)
        return 0 if position is None else position.quantity_lots

    def avg_entry_price(self, InstrumentId instrument_id not None):
        """Return the average entry price of the open position (0 when flat).

        Parameters
        ----------
        instrument_id : InstrumentId

        Returns
        -------
        Decimal
        """
        cdef Position position = self._positions.get(instrument_id)
        return _ZERO if position is None else position.avg_entry_price

    def mark_price(self, InstrumentId instrument_id not None):
        """Return the instrument's mark: the book's mid, else the last trade's price.

        Parameters
        ----------
        instrument_id : InstrumentId

        Returns
        -------
        Decimal or None
            None when the cache has neither a two-sided book nor a trade.
        """
        return valuation.mark_price(self.cache, instrument_id)

    def realized_pnl(self, InstrumentId instrument_id=None, str quote=None):
        """Return realized PnL: of one instrument (its settlement asset), or of all in ``quote``.

        Parameters
        ----------
        instrument_id : InstrumentId, optional
            One instrument; all when omitted.
        quote : str, optional
            Currency of the total over all instruments; ``config.quote_currency`` by default.

        Returns
        -------
        Decimal

        Raises
        ------
        DataUnavailableError
            If a settlement asset cannot be converted to ``quote``.
        """
        cdef Position position
        if instrument_id is not None:
            position = self._positions.get(instrument_id)
            return _ZERO if position is None else position.realized_pnl
        return valuation.realized_pnl_total(self.cache, self.config, self._positions, quote)

    def unrealized_pnl(self, InstrumentId instrument_id=None, str quote=None):
        """Return PnL of open positions marked to mid: of one instrument, or of all in ``quote``.

        Parameters
        ----------
        instrument_id : InstrumentId, optional
            One instrument (result in its settlement asset); all when omitted.
        quote : str, optional
            Currency of the total over all instruments; ``config.quote_currency`` by default.

        Returns
        -------
        Decimal or None
            For one instrument, None when it is open but has no mark; 0 when flat.

        Raises
        ------
        DataUnavailableError
            For the total, if an open position has no mark or its settlement asset no price.
        """
        cdef Position position
        if instrument_id is not None:
            position = self._positions.get(instrument_id)
            return _ZERO if position is None else valuation.unrealized_pnl(self.cache, position)
        return valuation.unrealized_pnl_total(self.cache, self.config, self._positions, quote)

    def balance(self, venue, str asset not None):
        """Return the shadow balance of ``asset`` on ``venue`` (None if never seen).

        Parameters
        ----------
        venue : Venue or str
            E.g. ``"BINANCE"``.
        asset : str
            E.g. ``"USDT"``.

        Returns
        -------
        AssetBalance or None
        """
        return self._balances.get((venue.value if isinstance(venue, Venue) else venue, asset))

    def balances(self, venue=None, str asset=None):
        """Return the balances held, optionally of one venue and/or one asset.

        Parameters
        ----------
        venue : Venue or str, optional
        asset : str, optional

        Returns
        -------
        list[AssetBalance]
        """
        venue_name = venue.value if isinstance(venue, Venue) else venue
        return [
            b for (v, a), b in self._balances.items()
            if (venue_name is None or v == venue_name) and (asset is None or a == asset)
        ]

    def fees(self, str asset=None):
        """Return the fees paid: of one asset, or all by asset.

        Parameters
        ----------
        asset : str, optional

        Returns
        -------
        Decimal or dict[str, Decimal]
        """
        return valuation.fees(self._balances, asset)

    def exposure(self, str asset not None):
        """Return the net exposure to ``asset`` across venues.

        Holdings of the asset on every venue (balance totals) plus the signed perpetual and
        future positions whose base asset it is, in units of the asset.

        Parameters
        ----------
        asset : str

        Returns
        -------
        Decimal
        """
        return valuation.exposure(self._balances, self._positions, asset)

    def asset_position(self, str asset not None):
        """Return the net traded position in ``asset`` summed over instruments (float units).

        This is the figure the risk engine's per-asset limit reads: positions from fills on
        every instrument whose base asset is ``asset``, spot included, holdings apart.

        Parameters
        ----------
        asset : str

        Returns
        -------
        float
        """
        cdef AssetPosition exposure = self._asset_positions.get(asset)
        return 0.0 if exposure is None else exposure.units_f

    def equity(self, str quote=None):
        """Return the value of everything held, in ``quote``.

        Every balance total converted at its mark, plus the unrealized PnL of perpetual and
        future positions. An asset converts at the mid (else last trade) of an instrument
        quoting it in ``quote`` (or the inverse pair), else through ``config.prices`` (in
        ``config.quote_currency``).

        Parameters
        ----------
        quote : str, optional
            ``config.quote_currency`` by default, e.g. ``"USDT"``.

        Returns
        -------
        Decimal

        Raises
        ------
        DataUnavailableError
            If a held asset has no price in ``quote`` or an open derivative position no mark.
        """
        return valuation.equity(self.cache, self.config, self._balances, self._positions, quote)

    def price(self, str asset not None, str quote=None):
        """Return the price of one unit of ``asset`` in ``quote``, or None when unknown.

        Parameters
        ----------
        asset : str
        quote : str, optional
            ``config.quote_currency`` by default.

        Returns
        -------
        Decimal or None
        """
        return valuation.price(self.cache, self.config, asset, quote)

    def __repr__(self):
        return (
            f"Portfolio(positions={len(self._positions)}, balances={len(self._balances)}, "
            f"fills={self.fill_count})"
        )
