"""Two-leg cross-exchange arbitrage: buy where the ask is lowest, sell where the bid is highest.

One asset (e.g. BTC/USDT) listed on several venues. On every book update the strategy

1. measures the venue's feed latency (``ts_recv - ts_event``, EWMA of the mean and of the
   absolute deviation) and turns it into a latency/jitter buffer in basis points;
2. among the venues whose books are fresh (updated within ``max_book_age_ms`` and whose last
   update lagged the venue by at most ``max_feed_lag_ms``), picks the lowest ask after the taker
   fee and the highest bid after the taker fee;
3. rejects at once when even the touch does not pay the required edge: both taker fees +
   ``risk_premium_bps`` + the two venues' latency buffers;
4. otherwise sizes the trade on the depth: the largest quantity (up to ``order_size``, a whole
   number of both venues' lots, within ``max_position`` per venue and the free balances of the
   portfolio when there is one) whose every unit earns the required edge, and checks the edge
   again with each book's VWAP for that quantity;
5. sends both legs as IOC limit orders at the deepest level each VWAP reaches.

When both legs are done, any difference between the bought and the sold quantity (one leg
filled, the other not or partially) is repaired under ``leg_policy``: ``hedge`` completes the
missing leg on the venue that missed it, ``unwind`` reverses the excess on the venue that filled
it, both with IOC orders priced ``repair_slippage_bps`` through the touch, up to
``max_repair_attempts`` times; after that the strategy halts and logs an error.

Formulas and every config field: ``docs/strategies/xex_arb.md``. Run it:
``hft backtest strategies/xex_arb.py`` (BTCUSDT.BINANCE and BTC-USDT.OKX of the bundled sample).
"""

from __future__ import annotations

import math
from decimal import Decimal, InvalidOperation
from typing import Literal

import msgspec

from hftcore import InstrumentId, OrderStatus, Side, Strategy, StrategyConfig, TimeInForce
from hftcore.quant import ArbLeg, TwoLegCross, common_lot_size

NS_PER_MS = 1_000_000
BPS = 1e4
# Module constants: a global read is cheaper than an enum attribute on the trading path.
IOC = TimeInForce.IOC
BUY = Side.BUY
SELL = Side.SELL
DENIED = OrderStatus.DENIED


def _invalid(field: str, expected: str, value: object) -> msgspec.ValidationError:
    return msgspec.ValidationError(f"expected {expected}, got {value!r} - at `$.{field}`")


def _positive_decimal(field: str, value: str) -> Decimal:
    try:
        number = Decimal(value)
    except InvalidOperation:
        raise _invalid(field, "a decimal string", value) from None
    if not (number.is_finite() and number > 0):
        raise _invalid(field, "a positive decimal string", value)
    return number


class XexArbConfig(StrategyConfig, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Configuration of `XexArb`; the defaults trade the two venues of the bundled sample.

    Attributes
    ----------
    strategy_id : str
        Instance name (1-8 letters or digits).
    instruments : list[str]
        Two or more instrument ids of the same base and quote asset on different venues.
    order_size : str
        Largest quantity of one arbitrage, base asset units (decimal string).
    risk_premium_bps : float
        Edge demanded on top of both taker fees and the latency buffers, bps (>= 0).
    latency_buffer_bps_per_ms : float
        Edge demanded per millisecond of each venue's measured feed latency, bps/ms (>= 0).
    latency_jitter_multiplier : float
        The latency counted is ``mean + multiplier * mean absolute deviation`` (>= 0).
    latency_ewma_alpha : float
        Weight of the newest latency sample in its EWMAs (0 < alpha <= 1).
    max_book_age_ms : float
        A book not updated for longer than this (clock time minus its ``ts_recv``) is stale.
    max_feed_lag_ms : float
        A book whose last update arrived later than this after the venue sent it
        (``ts_recv - ts_event``) is stale.
    depth_levels : int
        Levels of each book walked when sizing (>= 1).
    max_position : str
        Largest absolute position per venue, base asset units.
    leg_policy : {"hedge", "unwind"}
        How a quantity left unmatched by the legs is repaired (see the module docstring).
    repair_slippage_bps : float
        Repair orders are IOC limits this far through the touch, bps (>= 0).
    max_repair_attempts : int
        Repair orders tried before the strategy halts (>= 1).
    cooldown_ms : float
        Pause after an arbitrage completes before the next one, ms (>= 0).
    taker_fees : dict[str, str]
        Taker fee rate per instrument id overriding the instrument's (e.g. a VIP tier); the
        backtest's ``[backtest.venues.V] taker_fee`` should say the same.
    """

    strategy_id: str = "XEXARB"
    instruments: list[str] = msgspec.field(
        default_factory=lambda: ["BTCUSDT.BINANCE", "BTC-USDT.OKX"]
    )
    order_size: str = "0.002"
    risk_premium_bps: float = 1.0
    latency_buffer_bps_per_ms: float = 0.005
    latency_jitter_multiplier: float = 2.0
    latency_ewma_alpha: float = 0.05
    max_book_age_ms: float = 250.0
    max_feed_lag_ms: float = 500.0
    depth_levels: int = 20
    max_position: str = "0.01"
    leg_policy: Literal["hedge", "unwind"] = "hedge"
    repair_slippage_bps: float = 10.0
    max_repair_attempts: int = 3
    cooldown_ms: float = 100.0
    taker_fees: dict[str, str] = msgspec.field(default_factory=dict)

    def __post_init__(self) -> None:
        super().__post_init__()
        if len(self.instruments) < 2 or len(set(self.instruments)) != len(self.instruments):
            raise _invalid("instruments", "two or more distinct instrument ids", self.instruments)
        for field in (
            "risk_premium_bps",
            "latency_buffer_bps_per_ms",
            "latency_jitter_multiplier",
            "max_book_age_ms",
            "max_feed_lag_ms",
            "repair_slippage_bps",
            "cooldown_ms",
        ):
            value = getattr(self, field)
            if not (math.isfinite(value) and value >= 0):
                raise _invalid(field, "a finite number >= 0", value)
        if not 0 < self.latency_ewma_alpha <= 1:
            raise _invalid("latency_ewma_alpha", "a number in (0, 1]", self.latency_ewma_alpha)
        for field in ("depth_levels", "max_repair_attempts"):
            if getattr(self, field) < 1:
                raise _invalid(field, "an integer >= 1", getattr(self, field))
        _positive_decimal("order_size", self.order_size)
        _positive_decimal("max_position", self.max_position)
        for instrument_id, fee in self.taker_fees.items():
            if instrument_id not in self.instruments:
                raise _invalid("taker_fees", "keys among the instruments", instrument_id)
            try:
                rate = Decimal(fee)
            except InvalidOperation:
                raise _invalid(f"taker_fees.{instrument_id}", "a decimal string", fee) from None
            if not (rate.is_finite() and -1 < rate < 1):
                raise _invalid(f"taker_fees.{instrument_id}", "a fee rate in (-1, 1)", fee)


class VenueLeg(ArbLeg):
    """One venue's instrument as the arbitrage sees it: book, fees, lots, latency, position.

    The book, the float constants the scan and the sizing read (``tick_size_f``,
    ``lot_size_f``, ``fee``, ``lots_per_unit``...) and the feed latency EWMAs (``latency_ns``,
    ``jitter_ns``, ``observe_latency``) live in the Cython `ArbLeg`; this class adds what only
    the strategy uses.

    Attributes
    ----------
    instrument_id : InstrumentId
        The instrument.
    instrument : Instrument
        Its definition.
    lot_size : Decimal
        Exact base units of one lot (lot size times multiplier).
    position_lots : int
        Signed position from this strategy's fills, lots.
    max_position_lots : int
        Largest absolute position, lots.
    atoms_per_lot : int
        Lots of this instrument in the legs' common smallest size: the exact integer measure
        the legs' fills are netted in.
    """

    __slots__ = (
        "atoms_per_lot",
        "instrument",
        "instrument_id",
        "lot_size",
        "max_position_lots",
        "position_lots",
    )

    def __init__(
        self,
        instrument,
        book,
        fee: float,
        lots_per_unit: int,
        max_position_lots: int,
        atoms_per_lot: int,
    ) -> None:
        super().__init__(book, instrument, fee, lots_per_unit)
        self.instrument_id = instrument.id
        self.instrument = instrument
        self.lot_size = instrument.lot_size * instrument.multiplier
        self.max_position_lots = max_position_lots
        self.atoms_per_lot = atoms_per_lot
        self.position_lots = 0


class Arbitrage:
    """One arbitrage in flight: its legs' orders, then any repair orders.

    Attributes
    ----------
    buy : VenueLeg
        Venue bought on.
    sell : VenueLeg
        Venue sold on.
    orders : list of (VenueLeg, Order)
        Every order sent for this arbitrage, legs first.
    repair_attempts : int
        Repair orders sent.
    """

    __slots__ = ("buy", "orders", "repair_attempts", "sell")

    def __init__(self, buy: VenueLeg, sell: VenueLeg) -> None:
        self.buy = buy
        self.sell = sell
        self.orders = []
        self.repair_attempts = 0

    def is_done(self) -> bool:
        """Return whether every order sent is closed."""
        # A loop, not all() over a generator: this runs on every order event.
        for _, order in self.orders:  # noqa: SIM110
            if not order.is_closed:
                return False
        return True

    def net_atoms(self) -> int:
        """Return bought minus sold over every order, in the legs' common smallest lot."""
        net = 0
        for leg, order in self.orders:
            filled = order.filled_lots * leg.atoms_per_lot
            net += filled if order.side == BUY else -filled
        return net

    def net_base(self) -> Decimal:
        """Return bought minus sold over every order, exact base asset units."""
        net = Decimal(0)
        for leg, order in self.orders:
            filled = order.filled_lots * leg.lot_size
            net += filled if order.side == Side.BUY else -filled
        return net


class XexArb(Strategy):
    """Cross-exchange two-leg arbitrage with depth-aware sizing and leg-risk repair.

    Parameters
    ----------
    config : XexArbConfig, optional
        All defaults when omitted.

    Attributes
    ----------
    legs : list of VenueLeg
        One per instrument, in config order (filled in ``on_start``).
    active : Arbitrage or None
        The arbitrage in flight.
    arbitrage_count : int
        Arbitrages sent (both legs).
    repair_count : int
        Repair (hedge or unwind) orders sent.
    unmatched_base : Decimal
        Net quantity left unmatched below a lot or after a failed repair, base units.
    is_halted : bool
        True after repairs failed ``max_repair_attempts`` times; no new arbitrage starts.
    """

    config_type = XexArbConfig

    def __init__(self, config: XexArbConfig | None = None) -> None:
        super().__init__(config)
        cfg = self.config
        self.instrument_ids = [InstrumentId.from_str(value) for value in cfg.instruments]
        self.legs: list[VenueLeg] = []
        self.active: Arbitrage | None = None
        self.arbitrage_count = 0
        self.repair_count = 0
        self.unmatched_base = Decimal(0)
        self.is_halted = False
        self._legs_by_id: dict[InstrumentId, VenueLeg] = {}
        self._unit_size = Decimal(0)
        self._unit_size_f = 0.0
        self._max_units = 0
        self._cross = None
        self._atom_size = Decimal(0)
        self._now_ns = None
        self._cooldown_until_ns = 0
        self._is_sending = False
        self._max_age_ns = int(cfg.max_book_age_ms * NS_PER_MS)
        self._max_lag_ns = int(cfg.max_feed_lag_ms * NS_PER_MS)
        self._alpha = cfg.latency_ewma_alpha

    # -- LIFECYCLE ------------------------------------------------------------------------------

    def on_start(self) -> None:
        """Check the instruments trade one asset pair, size the lots and subscribe to books."""
        cfg = self.config
        instruments = [self.instrument(iid) for iid in self.instrument_ids]
        pairs = {(i.base, i.quote) for i in instruments}
        if len(pairs) != 1:
            raise ValueError(
                f"instruments: expected one base/quote pair on every venue, got {sorted(pairs)}"
            )
        lot_sizes = [i.lot_size * i.multiplier for i in instruments]
        self._unit_size = common_lot_size(lot_sizes)
        self._unit_size_f = float(self._unit_size)
        self._max_units = int(Decimal(cfg.order_size) / self._unit_size)
        if self._max_units < 1:
            raise ValueError(
                f"order_size: {cfg.order_size} is below one tradable unit {self._unit_size}"
            )
        self._cross = TwoLegCross(
            self._unit_size_f,
            self._max_units,
            cfg.depth_levels,
            self._max_age_ns,
            self._max_lag_ns,
            cfg.risk_premium_bps,
            cfg.latency_buffer_bps_per_ms,
            cfg.latency_jitter_multiplier,
        )
        places = max(-size.normalize().as_tuple().exponent for size in lot_sizes)
        self._atom_size = Decimal(1).scaleb(-places)
        self._now_ns = self.clock.timestamp_ns
        for instrument, lot_size in zip(instruments, lot_sizes, strict=True):
            self.subscribe_book(instrument.id)
            leg = VenueLeg(
                instrument,
                self.book(instrument.id),
                float(cfg.taker_fees.get(instrument.id.value, instrument.taker_fee)),
                int(self._unit_size / lot_size),
                int(Decimal(cfg.max_position) / lot_size),
                int(lot_size / self._atom_size),
            )
            if self.portfolio is not None:
                leg.position_lots = self.portfolio.net_position_lots(instrument.id)
            self.legs.append(leg)
            self._legs_by_id[instrument.id] = leg

    def on_stop(self) -> None:
        """Cancel anything still open."""
        self.cancel_all()

    # -- MARKET DATA ----------------------------------------------------------------------------

    def on_book(self, book) -> None:
        """Update the venue's latency; look for an arbitrage unless one is in flight."""
        self._legs_by_id[book.instrument_id].observe_latency(self._alpha)
        if self.active is not None or self.is_halted:
            return
        now_ns = self._now_ns()
        if now_ns < self._cooldown_until_ns:
            return
        self.try_arbitrage(now_ns)

    def try_arbitrage(self, now_ns: int) -> bool:
        """Send both legs if the freshest books cross by more than every cost.

        Parameters
        ----------
        now_ns : int
            Clock time, UNIX ns.

        Returns
        -------
        bool
            True when the two legs were sent.
        """
        cross = self._cross
        if not cross.scan(self.legs, now_ns):
            return False
        buy = cross.buy
        sell = cross.sell
        cap_units = min(
            (buy.max_position_lots - buy.position_lots) // buy.lots_per_unit,
            (sell.max_position_lots + sell.position_lots) // sell.lots_per_unit,
        )
        if not cross.size(cap_units):
            return False
        if self.portfolio is not None:
            affordable = self._balance_units(buy, sell, cross.buy_worst_price_ticks)
            if affordable < cross.units and not cross.size(affordable):
                return False
        if cross.net_edge_bps < cross.required_edge_bps:
            return False
        if not (
            buy.instrument.min_notional_ok(cross.buy_worst_price_ticks, cross.buy_lots)
            and sell.instrument.min_notional_ok(cross.sell_worst_price_ticks, cross.sell_lots)
        ):
            return False
        self._send_legs(buy, sell, cross)
        return True

    def required_edge_bps(self, buy: VenueLeg, sell: VenueLeg) -> float:
        """Return the edge after fees an arbitrage from ``buy`` to ``sell`` must earn, bps.

        Parameters
        ----------
        buy, sell : VenueLeg
            The venues bought and sold on.

        Returns
        -------
        float
            ``risk_premium_bps`` plus both venues' latency buffers.
        """
        cfg = self.config
        return (
            cfg.risk_premium_bps
            + buy.latency_buffer_bps(cfg.latency_buffer_bps_per_ms, cfg.latency_jitter_multiplier)
            + sell.latency_buffer_bps(cfg.latency_buffer_bps_per_ms, cfg.latency_jitter_multiplier)
        )

    def _balance_units(self, buy: VenueLeg, sell: VenueLeg, buy_limit_ticks: int) -> int:
        # Spot: the buy venue pays quote (at most the IOC limit plus the fee per unit); the sell
        # venue delivers base.
        quote_balance = self.portfolio.balance(buy.instrument_id.venue, buy.instrument.quote)
        base_balance = self.portfolio.balance(sell.instrument_id.venue, sell.instrument.base)
        quote_free = 0.0 if quote_balance is None else quote_balance.free_f
        base_free = 0.0 if base_balance is None else base_balance.free_f
        unit_f = self._unit_size_f
        unit_cost = buy_limit_ticks * buy.ask_cost_per_tick * unit_f
        return min(int(quote_free / unit_cost), int(base_free / unit_f + 1e-9))

    def _send(self, arbitrage: Arbitrage, leg: VenueLeg, side: Side, lots: int, price_ticks: int):
        # Order events raised while the order is being sent (a risk denial) wait until the
        # order is recorded in the arbitrage.
        self._is_sending = True
        try:
            order = self.limit(leg.instrument_id, side, lots, price_ticks, IOC)
        finally:
            self._is_sending = False
        arbitrage.orders.append((leg, order))
        return order

    def _send_legs(self, buy: VenueLeg, sell: VenueLeg, cross: TwoLegCross) -> None:
        arbitrage = self.active = Arbitrage(buy, sell)
        self.arbitrage_count += 1
        orders = arbitrage.orders
        # As in _send: order events raised while sending wait until both legs are recorded.
        self._is_sending = True
        try:
            buy_order = self.limit(
                buy.instrument_id, BUY, cross.buy_lots, cross.buy_worst_price_ticks, IOC
            )
            orders.append((buy, buy_order))
            if buy_order.status != DENIED:
                sell_order = self.limit(
                    sell.instrument_id,
                    SELL,
                    cross.sell_lots,
                    cross.sell_worst_price_ticks,
                    IOC,
                )
                orders.append((sell, sell_order))
        finally:
            self._is_sending = False
        self._check_active()

    # -- ORDERS ---------------------------------------------------------------------------------

    def on_fill(self, fill) -> None:
        """Move the venue's position."""
        leg = self._legs_by_id.get(fill.instrument_id)
        if leg is not None:
            signed = fill.last_qty_lots if fill.order_side == BUY else -fill.last_qty_lots
            leg.position_lots += signed

    def on_order_update(self, event) -> None:
        """Settle the arbitrage in flight once all its orders are closed."""
        if self.active is not None and not self._is_sending:
            self._check_active()

    def _check_active(self) -> None:
        arbitrage = self.active
        if arbitrage is None or not arbitrage.is_done():
            return
        if arbitrage.net_atoms() == 0:
            self._finish(arbitrage)
            return
        net_base = arbitrage.net_base()
        if arbitrage.repair_attempts >= self.config.max_repair_attempts:
            self.is_halted = True
            self.unmatched_base += net_base
            self.log.error(
                "repair failed strategy=%s unmatched_base=%s attempts=%d; halting",
                self.id.value,
                net_base,
                arbitrage.repair_attempts,
            )
            self._finish(arbitrage)
            return
        self._repair(arbitrage, net_base)

    def _repair(self, arbitrage: Arbitrage, net_base: Decimal) -> None:
        # Long after the legs (net_base > 0) means too little was sold: "hedge" sells the rest on
        # the sell venue, "unwind" sells the excess back on the buy venue. Short is the mirror.
        cfg = self.config
        side = Side.SELL if net_base > 0 else Side.BUY
        if cfg.leg_policy == "hedge":
            leg = arbitrage.sell if side == Side.SELL else arbitrage.buy
        else:
            leg = arbitrage.buy if side == Side.SELL else arbitrage.sell
        quantity_lots = int(abs(net_base) / leg.lot_size)
        price_ticks = self._repair_price_ticks(leg, side)
        if (
            quantity_lots < max(leg.instrument.min_quantity_lots, 1)
            or price_ticks <= 0
            or not leg.instrument.min_notional_ok(price_ticks, quantity_lots)
        ):
            self.unmatched_base += net_base
            self.log.warning(
                "unmatched quantity left strategy=%s instrument=%s base=%s",
                self.id.value,
                leg.instrument_id.value,
                net_base,
            )
            self._finish(arbitrage)
            return
        arbitrage.repair_attempts += 1
        self.repair_count += 1
        self._send(arbitrage, leg, side, quantity_lots, price_ticks)
        self._check_active()

    def _repair_price_ticks(self, leg: VenueLeg, side: Side) -> int:
        # An IOC limit repair_slippage_bps through the touch; 0 when that side of the book is
        # empty.
        book = leg.book
        slippage = self.config.repair_slippage_bps / BPS
        if side == Side.BUY:
            if not book.has_ask:
                return 0
            return math.ceil(book.best_ask_price_ticks * (1.0 + slippage))
        if not book.has_bid:
            return 0
        return math.floor(book.best_bid_price_ticks * (1.0 - slippage))

    def _finish(self, arbitrage: Arbitrage) -> None:
        if self.active is arbitrage:
            self.active = None
        self._cooldown_until_ns = self._now_ns() + int(self.config.cooldown_ms * NS_PER_MS)
