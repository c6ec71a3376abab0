"""Pre-trade risk checks: one component per rule, each enabled and parameterised by config.

The :class:`~hftcore.risk.engine.RiskEngine` fills one :class:`OrderContext` per order (the
order, its instrument's :class:`InstrumentRisk`, position, book and open orders) and runs the
enabled checks in a fixed order; the first that fails names a :class:`DenyReason` and a message
with the values. Per-instrument parameters (limits in lots, bands) are resolved once, when the
instrument is first seen (:meth:`RiskCheck.setup`), from decimal config values.

Quantities and prices are the order's int64 lots and ticks; notionals and balances compare as
floats (``Instrument.notional_f``), which is exact enough for limits and cheap. Instrument
minimum notional is checked exactly at its boundary (``Instrument.min_notional_ok_c``).

A modify of a live order is checked as a new order with the new values
(``OrderContext.quantity_lots``, ``limit_price_ticks``): checks read the values from the context,
never from the order, and skip the order itself in the open orders (``other is not ctx.order``)
and in the balance (``OrderContext.reserved_f``). A modify that only lowers the quantity at the
same price (``OrderContext.is_cut``) cannot add exposure: only the checks with
``RiskCheck.runs_on_cuts`` (instrument rules, order rate) see it.
"""

cimport cython
from libc.math cimport fabs
from libc.stdint cimport int64_t

from hftcore.cache.cache cimport Cache
from hftcore.model.enums cimport OrderType, RoundingMode, Side
from hftcore.model.identifiers cimport InstrumentId
from hftcore.model.instrument cimport Instrument
from hftcore.model.order cimport Order
from hftcore.model.types cimport NO_PRICE_TICKS
from hftcore.portfolio.ledger cimport AssetBalance, AssetPosition, Portfolio, Position

REASON_CODES = (
    "TRADING_HALTED",
    "REDUCE_ONLY_STATE",
    "TICK_SIZE",
    "LOT_SIZE",
    "MIN_QUANTITY",
    "MIN_NOTIONAL",
    "MAX_ORDER_QUANTITY",
    "MAX_ORDER_NOTIONAL",
    "MAX_OPEN_ORDERS",
    "NO_REFERENCE_PRICE",
    "PRICE_BAND",
    "SELF_TRADE",
    "MAX_POSITION",
    "INSUFFICIENT_BALANCE",
    "RATE_LIMIT",
)
"""``OrderDenied.reason_code`` of each :class:`DenyReason`, indexed by its value."""

# Balances compare with this relative slack: float sums of exact decimals are off by ~1e-16.
cdef double _BALANCE_SLACK = 1e-9


cdef str _side_name(Order order):
    return "BUY" if order.side == Side.BUY else "SELL"


cdef int64_t _lots_limit(Instrument instrument, object size) except? -2:
    # A base-unit limit (Decimal) in whole lots, rounded down; -1 for none.
    if size is None:
        return -1
    return instrument.size_to_lots(size, RoundingMode.DOWN)


cdef object _lookup(dict by_instrument, InstrumentId instrument_id, object default):
    cdef object value = by_instrument.get(instrument_id.value)
    return default if value is None else value


# -- STATE -------------------------------------------------------------------------------------

@cython.final
cdef class TokenBucket:
    """A token bucket on the node clock: ``burst`` tokens, refilled at ``orders_per_s``.

    Parameters
    ----------
    orders_per_s : float
        Refill rate, > 0.
    burst : int
        Capacity, >= 1; the bucket starts full.
    now_ns : int
        Clock time the bucket starts at, UNIX ns.
    """

    def __cinit__(self, double orders_per_s, int64_t burst, int64_t now_ns):
        self.capacity = burst
        self.tokens_per_ns = orders_per_s / 1e9
        self.tokens = burst
        self.last_ns = now_ns

    cdef double refill(self, int64_t now_ns) noexcept:
        if now_ns > self.last_ns:
            self.tokens += (now_ns - self.last_ns) * self.tokens_per_ns
            if self.tokens > self.capacity:
                self.tokens = self.capacity
            self.last_ns = now_ns
        return self.tokens

    cdef void take(self) noexcept:
        self.tokens -= 1.0

    def __repr__(self):
        return (
            f"TokenBucket(capacity={self.capacity}, orders_per_s={self.tokens_per_ns * 1e9}, "
            f"tokens={self.tokens})"
        )


@cython.final
cdef class AssetRisk:
    """The per-asset position limit of one base asset and the instruments that count."""

    def __cinit__(self, str asset, double limit_units_f, AssetPosition exposure):
        self.asset = asset
        self.limit_units_f = limit_units_f
        self.instruments = []
        self._exposure = exposure


@cython.final
cdef class InstrumentRisk:
    """What the checks keep per instrument: its limits in lots and its rate bucket.

    Parameters
    ----------
    instrument : Instrument
        The instrument.
    position : Position or None
        The portfolio's position, read on every check; None reads the cache's.
    """

    def __cinit__(self, Instrument instrument, Position position):
        self.instrument = instrument
        self.instrument_id = instrument.id
        self.asset = None
        self.position = position
        self.units_per_lot_f = instrument.lot_size_f * instrument.multiplier_f
        self.tick_multiple = 1
        self.lot_multiple = 1
        self.max_order_lots = -1
        self.max_order_notional_f = -1.0
        self.max_position_lots = -1
        self.band_bps = -1.0
        self.venue_bucket = None

    cdef int64_t position_lots(self, Cache cache) except? -1:
        if self.position is not None:
            return self.position.quantity_lots
        cdef object update = cache.position(self.instrument_id)
        return 0 if update is None else update.quantity_lots

    def __repr__(self):
        return f"InstrumentRisk({self.instrument_id.value})"


@cython.final
cdef class OrderContext:
    """One order under check, with what the checks read about it.

    The risk engine keeps one and refills it for every order and every modify.
    """

    def __cinit__(self):
        self.order = None
        self.state = None
        self.cache = None
        self.open_orders = None
        self.message = None
        self.bid_ticks = NO_PRICE_TICKS
        self.ask_ticks = NO_PRICE_TICKS
        self.last_ticks = NO_PRICE_TICKS

    cdef double reference_ticks(self) noexcept:
        # Mid of a two-sided book, else the last trade; 0.0 when neither.
        if self.bid_ticks != NO_PRICE_TICKS and self.ask_ticks != NO_PRICE_TICKS:
            return (<double>self.bid_ticks + <double>self.ask_ticks) * 0.5
        if self.last_ticks != NO_PRICE_TICKS:
            return <double>self.last_ticks
        return 0.0

    cdef int64_t same_side_open_lots(self) except? -1:
        cdef int64_t lots = 0
        cdef Order other
        for other in self.open_orders.values():
            if other is not self.order and other.side == self.order.side:
                lots += other.quantity_lots - other.filled_lots
        return lots

    cdef int deny(self, DenyReason reason, str message) except -1:
        self.reason = reason
        self.message = message
        return 1


# -- CHECKS ------------------------------------------------------------------------------------

cdef class RiskCheck:
    """Base of every check: ``setup`` per instrument, ``check`` per order, ``approve`` after.

    Subclasses override the three ``cdef`` methods; the base implementations do nothing. A check
    reads the quantity and price from the context (``quantity_lots``, ``leaves_lots``,
    ``limit_price_ticks``), which hold a modify's new values; one that a quantity cut can fail
    sets ``runs_on_cuts``.
    """

    cdef int setup(self, InstrumentRisk state) except -1:
        return 0

    cdef int check(self, OrderContext ctx) except -1:
        return 0

    cdef int approve(self, OrderContext ctx) except -1:
        return 0

    def __repr__(self):
        return f"{type(self).__name__}()"


@cython.final
cdef class InstrumentRulesCheck(RiskCheck):
    """Tick, lot, minimum quantity and minimum notional of the venue.

    Parameters
    ----------
    config : InstrumentRulesConfig
    """

    def __cinit__(self, config):
        self.name = "instrument_rules"
        self.runs_on_cuts = True
        self._config = config

    cdef int setup(self, InstrumentRisk state) except -1:
        state.tick_multiple = _lookup(self._config.tick_multiple, state.instrument_id, 1)
        state.lot_multiple = _lookup(self._config.lot_multiple, state.instrument_id, 1)
        return 0

    cdef int check(self, OrderContext ctx) except -1:
        cdef Order order = ctx.order
        cdef InstrumentRisk state = ctx.state
        cdef Instrument instrument = state.instrument
        if (
            order.order_type == OrderType.LIMIT
            and ctx.limit_price_ticks % state.tick_multiple != 0
        ):
            return ctx.deny(
                TICK_SIZE,
                f"{order.instrument_id.value}: price "
                f"{instrument.ticks_to_price(ctx.limit_price_ticks)} "
                f"({ctx.limit_price_ticks} ticks) is not a multiple of the venue tick "
                f"{instrument.tick_size * state.tick_multiple} ({state.tick_multiple} ticks)",
            )
        if ctx.quantity_lots % state.lot_multiple != 0:
            return ctx.deny(
                LOT_SIZE,
                f"{order.instrument_id.value}: quantity "
                f"{instrument.lots_to_size(ctx.quantity_lots)} ({ctx.quantity_lots} lots) is "
                f"not a multiple of the venue lot {instrument.lot_size * state.lot_multiple} "
                f"({state.lot_multiple} lots)",
            )
        if ctx.quantity_lots < instrument.min_quantity_lots:
            return ctx.deny(
                MIN_QUANTITY,
                f"{order.instrument_id.value}: quantity "
                f"{instrument.lots_to_size(ctx.quantity_lots)} is below the minimum "
                f"{instrument.min_quantity}",
            )
        if ctx.price_ticks > 0.0 and not instrument.min_notional_ok_c(
            <int64_t>(ctx.price_ticks + 0.5), ctx.quantity_lots
        ):
            return ctx.deny(
                MIN_NOTIONAL,
                f"{order.instrument_id.value}: notional "
                f"{instrument.notional_f(1, ctx.quantity_lots) * ctx.price_ticks:.8g} "
                f"{instrument.quote} is below the minimum {instrument.min_notional}",
            )
        return 0


@cython.final
cdef class MaxOrderCheck(RiskCheck):
    """Largest quantity and notional of one order.

    Parameters
    ----------
    config : MaxOrderConfig
    """

    def __cinit__(self, config):
        self.name = "max_order"
        self._config = config

    cdef int setup(self, InstrumentRisk state) except -1:
        cdef object limits = self._config.instruments.get(state.instrument_id.value)
        cdef object quantity = self._config.quantity
        cdef object notional = self._config.notional
        if limits is not None:
            quantity = quantity if limits.quantity is None else limits.quantity
            notional = notional if limits.notional is None else limits.notional
        state.max_order_lots = _lots_limit(state.instrument, quantity)
        state.max_order_notional_f = -1.0 if notional is None else float(notional)
        return 0

    cdef int check(self, OrderContext ctx) except -1:
        cdef Order order = ctx.order
        cdef InstrumentRisk state = ctx.state
        cdef double notional_f
        if state.max_order_lots >= 0 and ctx.quantity_lots > state.max_order_lots:
            return ctx.deny(
                MAX_ORDER_QUANTITY,
                f"{order.instrument_id.value}: quantity "
                f"{state.instrument.lots_to_size(ctx.quantity_lots)} "
                f"({ctx.quantity_lots} lots) > max "
                f"{state.instrument.lots_to_size(state.max_order_lots)} "
                f"({state.max_order_lots} lots)",
            )
        if state.max_order_notional_f < 0.0:
            return 0
        if ctx.price_ticks <= 0.0:
            return ctx.deny(
                NO_REFERENCE_PRICE,
                f"{order.instrument_id.value}: market order notional unknown: no book and no "
                "trade to price it",
            )
        notional_f = state.instrument.notional_f(1, ctx.quantity_lots) * ctx.price_ticks
        if notional_f > state.max_order_notional_f:
            return ctx.deny(
                MAX_ORDER_NOTIONAL,
                f"{order.instrument_id.value}: notional {notional_f:.8g} "
                f"{state.instrument.quote} > max {state.max_order_notional_f:.8g}",
            )
        return 0


@cython.final
cdef class MaxOpenOrdersCheck(RiskCheck):
    """Most open orders per instrument and per strategy, the new order counted.

    Parameters
    ----------
    config : MaxOpenOrdersConfig
    """

    def __cinit__(self, config):
        self.name = "max_open_orders"
        self._per_instrument = -1 if config.per_instrument is None else config.per_instrument
        self._per_strategy = -1 if config.per_strategy is None else config.per_strategy

    cdef int check(self, OrderContext ctx) except -1:
        cdef Order order = ctx.order
        cdef dict open_orders = ctx.open_orders
        cdef int64_t count
        if self._per_instrument >= 0:
            # The open orders of the instrument and this one, which the index may hold already.
            count = 1 + len(open_orders)
            if open_orders.get(order.client_order_id) is order:
                count -= 1
            if count > self._per_instrument:
                return ctx.deny(
                    MAX_OPEN_ORDERS,
                    f"{order.instrument_id.value}: {count - 1} open orders + this one > max "
                    f"{self._per_instrument} per instrument",
                )
        if self._per_strategy >= 0:
            count = 1 + ctx.cache.strategy_open_order_count(order.strategy_id, order)
            if count > self._per_strategy:
                return ctx.deny(
                    MAX_OPEN_ORDERS,
                    f"strategy {order.strategy_id.value}: {count - 1} open orders + this one > "
                    f"max {self._per_strategy} per strategy",
                )
        return 0


@cython.final
cdef class PriceBandCheck(RiskCheck):
    """Fat-finger band of a limit price around the mid (else the last trade), in bps.

    Parameters
    ----------
    config : PriceBandConfig
    """

    def __cinit__(self, config):
        self.name = "price_band"
        self._config = config
        self._allow_without_reference = config.allow_without_reference

    cdef int setup(self, InstrumentRisk state) except -1:
        state.band_bps = float(
            _lookup(self._config.instruments, state.instrument_id, self._config.bps)
        )
        return 0

    cdef int check(self, OrderContext ctx) except -1:
        cdef Order order = ctx.order
        cdef double reference_ticks
        cdef double deviation_bps
        if order.order_type != OrderType.LIMIT:
            return 0
        reference_ticks = ctx.reference_ticks()
        if reference_ticks <= 0.0:
            if self._allow_without_reference:
                return 0
            return ctx.deny(
                NO_REFERENCE_PRICE,
                f"{order.instrument_id.value}: no mid and no last trade to check the price "
                f"{ctx.state.instrument.ticks_to_price(ctx.limit_price_ticks)} against",
            )
        deviation_bps = (
            fabs(ctx.limit_price_ticks - reference_ticks) / reference_ticks * 10_000.0
        )
        if deviation_bps > ctx.state.band_bps:
            return ctx.deny(
                PRICE_BAND,
                f"{order.instrument_id.value}: {_side_name(order)} price "
                f"{ctx.state.instrument.ticks_to_price(ctx.limit_price_ticks)} is "
                f"{deviation_bps:.1f} bps from the reference "
                f"{reference_ticks * ctx.state.instrument.tick_size_f:.10g}; band "
                f"{ctx.state.band_bps:g} bps",
            )
        return 0


@cython.final
cdef class SelfTradeCheck(RiskCheck):
    """No order that would cross one of our own resting orders on the instrument.

    Parameters
    ----------
    config : SelfTradeConfig
    """

    def __cinit__(self, config):
        self.name = "self_trade"
        self._same_strategy_only = config.scope == "strategy"

    cdef int check(self, OrderContext ctx) except -1:
        cdef Order order = ctx.order
        cdef Order other
        cdef bint is_market = order.order_type == OrderType.MARKET
        cdef bint is_buy = order.side == Side.BUY
        cdef object price
        for other in ctx.open_orders.values():
            if other is order or other.side == order.side:
                continue
            if (
                self._same_strategy_only
                and other.strategy_id.value != order.strategy_id.value
            ):
                continue
            if (
                is_market
                or other.order_type == OrderType.MARKET
                or (is_buy and ctx.limit_price_ticks >= other.price_ticks)
                or (not is_buy and ctx.limit_price_ticks <= other.price_ticks)
            ):
                price = (
                    "MARKET" if is_market
                    else ctx.state.instrument.ticks_to_price(ctx.limit_price_ticks)
                )
                return ctx.deny(
                    SELF_TRADE,
                    f"{order.instrument_id.value}: {_side_name(order)} {price} "
                    f"would cross our resting {_side_name(other)} "
                    f"{other.client_order_id.value} at "
                    f"{ctx.state.instrument.ticks_to_price(other.price_ticks)} "
                    f"(strategy {other.strategy_id.value})",
                )
        return 0


@cython.final
cdef class MaxPositionCheck(RiskCheck):
    """Largest position per instrument and per asset, after the order and same-side orders fill.

    Parameters
    ----------
    config : MaxPositionConfig
    portfolio : Portfolio or None
        Source of per-asset positions; without it they are summed from the cache.
    """

    def __cinit__(self, config, Portfolio portfolio):
        self.name = "max_position"
        self._config = config
        self._portfolio = portfolio
        self._assets = {}

    cdef int setup(self, InstrumentRisk state) except -1:
        state.max_position_lots = _lots_limit(
            state.instrument,
            _lookup(self._config.instruments, state.instrument_id, self._config.quantity),
        )
        state.asset = self._asset(state.instrument.base)
        state.asset.instruments.append(state)
        return 0

    cdef AssetRisk _asset(self, str asset):
        cdef AssetRisk found = self._assets.get(asset)
        cdef object limit
        if found is None:
            limit = self._config.assets.get(asset)
            found = AssetRisk(
                asset,
                -1.0 if limit is None else float(limit),
                None if self._portfolio is None else self._portfolio.asset_position_c(asset),
            )
            self._assets[asset] = found
        return found

    cdef int check(self, OrderContext ctx) except -1:
        cdef Order order = ctx.order
        cdef InstrumentRisk state = ctx.state
        cdef AssetRisk asset = state.asset
        cdef int64_t open_lots
        cdef int64_t projected_lots
        cdef double projected_units_f
        if state.max_position_lots >= 0:
            open_lots = ctx.same_side_open_lots()
            projected_lots = ctx.position_lots + ctx.sign * (open_lots + ctx.leaves_lots)
            if projected_lots * ctx.sign > state.max_position_lots:
                return ctx.deny(
                    MAX_POSITION,
                    f"{order.instrument_id.value}: position {ctx.position_lots} lots "
                    f"{'+' if ctx.sign > 0 else '-'} open {_side_name(order)} orders {open_lots} "
                    f"lots {'+' if ctx.sign > 0 else '-'} this order {ctx.leaves_lots} lots = "
                    f"{projected_lots} lots ({state.instrument.lots_to_size(projected_lots)} "
                    f"{state.instrument.base}) beyond the limit +/-{state.max_position_lots} lots "
                    f"({state.instrument.lots_to_size(state.max_position_lots)})",
                )
        else:
            open_lots = -1
        if asset.limit_units_f < 0.0:
            return 0
        projected_units_f = self._asset_units_f(asset, ctx, open_lots)
        if projected_units_f * ctx.sign > asset.limit_units_f * (1.0 + 1e-12):
            return ctx.deny(
                MAX_POSITION,
                f"asset {asset.asset}: position across venues with open {_side_name(order)} "
                f"orders and this order would be {projected_units_f:.10g} {asset.asset}, beyond "
                f"the limit +/-{asset.limit_units_f:.10g}",
            )
        return 0

    cdef double _asset_units_f(
        self, AssetRisk asset, OrderContext ctx, int64_t own_open_lots
    ) except? -1.0:
        # Position in the asset over every instrument, plus same-side open orders and the order;
        # ``own_open_lots`` is the same-side open lots of the order's instrument when known, -1
        # when not.
        cdef double units_f = 0.0
        cdef InstrumentRisk other
        cdef Order resting
        cdef Order order = ctx.order
        cdef int64_t open_lots
        cdef dict resting_orders
        for other in asset.instruments:
            if asset._exposure is None:
                units_f += other.position_lots(ctx.cache) * other.units_per_lot_f
            if other is ctx.state and own_open_lots >= 0:
                units_f += ctx.sign * own_open_lots * other.units_per_lot_f
                continue
            open_lots = 0
            resting_orders = (
                ctx.open_orders if other is ctx.state
                else ctx.cache.open_order_index(other.instrument_id)
            )
            if resting_orders is None:
                continue
            for resting in resting_orders.values():
                if resting is not order and resting.side == order.side:
                    open_lots += resting.quantity_lots - resting.filled_lots
            units_f += ctx.sign * open_lots * other.units_per_lot_f
        if asset._exposure is not None:
            units_f += asset._exposure.units_f
        return units_f + ctx.sign * ctx.leaves_lots * ctx.state.units_per_lot_f


@cython.final
cdef class BalanceCheck(RiskCheck):
    """Enough free shadow balance for the order, net of what open orders reserve.

    A modify needs the new values' funds less what the order reserves already.

    Parameters
    ----------
    portfolio : Portfolio
        The shadow ledger.
    """

    def __cinit__(self, Portfolio portfolio not None):
        self.name = "balance"
        self._portfolio = portfolio

    cdef int check(self, OrderContext ctx) except -1:
        cdef Order order = ctx.order
        cdef Position position = ctx.state.position
        cdef AssetBalance balance = self._portfolio.reserve_balance_c(position, order.side)
        cdef double price_ticks = ctx.price_ticks
        cdef double required_f
        # A modify may also use what the order reserves already (its old values).
        cdef double free_f = balance.free_f + ctx.reserved_f
        if order.order_type == OrderType.MARKET:
            price_ticks = self._portfolio.market_price_ticks_f(position.instrument, order.side)
        if price_ticks <= 0.0:
            return ctx.deny(
                NO_REFERENCE_PRICE,
                f"{order.instrument_id.value}: cannot tell what the market order needs: no "
                "book and no trade to price it",
            )
        required_f = self._portfolio.required_f(
            position, order.side, ctx.leaves_lots, price_ticks, order.is_reduce_only
        )
        if required_f <= free_f + _BALANCE_SLACK * fabs(free_f) + 1e-12:
            return 0
        held = f", this order holds {ctx.reserved_f:.10g}" if ctx.is_modify else ""
        return ctx.deny(
            INSUFFICIENT_BALANCE,
            f"{order.instrument_id.value}: {_side_name(order)} needs {required_f:.10g} "
            f"{balance.asset} on {balance.venue.value}; free {free_f:.10g} "
            f"(total {balance.total}, reserved by open orders "
            f"{balance.locked_f - ctx.reserved_f:.10g}, margin {balance.margin}{held})",
        )


@cython.final
cdef class OrderRateCheck(RiskCheck):
    """Order token buckets per strategy and per venue; runs last, takes tokens on approval.

    A modify takes a token like a new order (venues count amends as orders).

    Parameters
    ----------
    config : OrderRateConfig
    """

    def __cinit__(self, config):
        self.name = "order_rate"
        self.runs_on_cuts = True
        self._per_strategy = config.per_strategy
        self._per_venue = config.per_venue
        self._strategy_buckets = {}
        self._venue_buckets = {}
        self._strategy_bucket = None
        self._venue_bucket = None

    cdef int setup(self, InstrumentRisk state) except -1:
        if self._per_venue is not None:
            state.venue_bucket = self._bucket_for(
                self._venue_buckets, state.instrument_id.venue.value, self._per_venue
            )
        return 0

    cdef TokenBucket _bucket_for(self, dict buckets, object key, object config):
        cdef TokenBucket bucket = buckets.get(key)
        if bucket is None:
            bucket = TokenBucket(config.orders_per_s, config.burst, 0)
            buckets[key] = bucket
        return bucket

    cdef int check(self, OrderContext ctx) except -1:
        cdef Order order = ctx.order
        self._strategy_bucket = None
        self._venue_bucket = ctx.state.venue_bucket
        if self._per_strategy is not None:
            self._strategy_bucket = self._bucket_for(
                self._strategy_buckets, order.strategy_id.value, self._per_strategy
            )
            if self._strategy_bucket.refill(ctx.now_ns) < 1.0:
                return ctx.deny(
                    RATE_LIMIT,
                    f"strategy {order.strategy_id.value}: more than "
                    f"{self._per_strategy.orders_per_s:g} orders/s (burst "
                    f"{self._per_strategy.burst})",
                )
        if self._venue_bucket is not None and self._venue_bucket.refill(ctx.now_ns) < 1.0:
            return ctx.deny(
                RATE_LIMIT,
                f"venue {order.instrument_id.venue.value}: more than "
                f"{self._per_venue.orders_per_s:g} orders/s (burst {self._per_venue.burst})",
            )
        return 0

    cdef int approve(self, OrderContext ctx) except -1:
        if self._strategy_bucket is not None:
            self._strategy_bucket.take()
        if self._venue_bucket is not None:
            self._venue_bucket.take()
        return 0
