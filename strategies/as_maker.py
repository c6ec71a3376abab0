"""Avellaneda-Stoikov market maker: one post-only bid and ask around a reservation price.

Per book update the strategy

1. samples the mid into an online volatility estimator (sigma, price units per sqrt(second));
2. reads the trade-arrival intensity ``lambda(delta) = A * exp(-k * delta)`` fitted online from
   executed trades' distances to the mid (fallbacks until enough trades were seen);
3. asks the quote model for the bid and ask: finite horizon (reservation price
   ``r = s - q * gamma * sigma**2 * (T - t)`` and the Avellaneda-Stoikov spread, T the end of
   the current session) or the stationary Gueant-Lehalle-Fernandez-Tapia closed form;
4. rounds the bid down and the ask up to the tick (away from the touch), keeps them off the
   opposite touch and at least ``min_spread_ticks`` apart, drops the side that would take the
   inventory past ``max_inventory``;
5. moves a resting quote only when its price is ``requote_threshold_ticks`` away from the new
   one or after a fill, amending it in place (one request of the venue's rate limit; it stays
   post-only) while the order can be amended, else canceling it and sending a new one.

Steps 1-4 are one C call per update (`hftcore.quant.MakerQuotes`); the strategy tracks its own
orders per side, so nothing scans the cache on the hot path.

All quotes are post-only; ``on_stop`` cancels everything. See ``docs/strategies/as_maker.md``
for the formulas and every config field.

Run it: ``hft backtest strategies/as_maker.py`` (defaults trade BTCUSDT.BINANCE of the bundled
sample) or ``--config strategies/as_maker.toml``.
"""

from __future__ import annotations

import math
from decimal import Decimal, InvalidOperation
from typing import Literal

import msgspec

from hftcore import (
    InstrumentId,
    OrderDenied,
    OrderRejected,
    OrderStatus,
    Side,
    Strategy,
    StrategyConfig,
)
from hftcore.quant import (
    AvellanedaStoikovQuoter,
    EwmaVolatility,
    HorizonMode,
    MakerQuotes,
    RollingVolatility,
    TradeIntensityEstimator,
)

NS_PER_S = 1_000_000_000
NS_PER_MS = 1_000_000
# Module constants: a global read is cheaper than an enum attribute on every book update.
BUY = Side.BUY
AMENDABLE = (OrderStatus.ACCEPTED, OrderStatus.PARTIALLY_FILLED, OrderStatus.SUBMITTED)
PENDING_UPDATE = OrderStatus.PENDING_UPDATE


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


class AsMakerConfig(StrategyConfig, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Configuration of `AsMaker`; the defaults quote BTCUSDT.BINANCE of the bundled sample.

    Attributes
    ----------
    strategy_id : str
        Instance name (1-8 letters or digits).
    instruments : list[str]
        Exactly one instrument id, the one quoted.
    horizon : {"infinite", "finite"}
        ``infinite``: stationary Gueant-Lehalle-Fernandez-Tapia quotes; ``finite``:
        Avellaneda-Stoikov with the time left to the end of the current session.
    session_length_s : float
        Finite horizon only: length of a session, seconds; sessions follow each other from
        the first book update (T is the end of the current one).
    gamma : float
        Risk aversion, per unit of quote currency (> 0).
    order_size : str
        Size of each quote, base asset units (decimal string, a whole number of lots).
    max_inventory : str
        Largest absolute inventory, base asset units; past it only the reducing side quotes.
    min_spread_ticks : int
        Smallest bid-to-ask distance of our own quotes, ticks (>= 1).
    requote_threshold_ticks : int
        A resting quote is replaced only when the desired price moved this many ticks (or after
        a fill).
    volatility_estimator : {"ewma", "rolling"}
        Exponentially weighted or rolling-window realized volatility of the mid.
    volatility_half_life_s : float
        Half-life of the EWMA estimator, seconds.
    volatility_window : int
        Returns in the rolling window.
    volatility_sample_interval_ms : int
        Minimum time between mid samples, ms.
    volatility_min_samples : int
        Samples before the estimate replaces the fallback (the full window for ``rolling``).
    fallback_sigma_bps : float
        Volatility used until the estimator is ready, bps of the mid per sqrt(second).
    intensity_bin_ticks : int
        Width of a trade-depth bin of the intensity fit, ticks.
    intensity_bin_count : int
        Depth bins of the intensity fit (>= 3).
    intensity_half_life_s : float
        Half-life of the trade counts, seconds.
    intensity_min_bin_count : float
        Decayed trades a depth needs to enter the fit.
    fallback_intensity_a_per_s : float
        A used until the fit succeeds, trades per second reaching the mid.
    fallback_intensity_k_per_bps : float
        k used until the fit succeeds, per bp of depth (converted with the mid).
    reject_backoff_ms : int
        After a denial or rejection, wait this long before quoting that side again, ms.
    """

    strategy_id: str = "ASMAKER"
    instruments: list[str] = msgspec.field(default_factory=lambda: ["BTCUSDT.BINANCE"])
    horizon: Literal["infinite", "finite"] = "infinite"
    session_length_s: float = 300.0
    gamma: float = 0.05
    order_size: str = "0.001"
    max_inventory: str = "0.01"
    min_spread_ticks: int = 2
    requote_threshold_ticks: int = 5
    volatility_estimator: Literal["ewma", "rolling"] = "ewma"
    volatility_half_life_s: float = 30.0
    volatility_window: int = 300
    volatility_sample_interval_ms: int = 100
    volatility_min_samples: int = 20
    fallback_sigma_bps: float = 1.3
    intensity_bin_ticks: int = 5
    intensity_bin_count: int = 40
    intensity_half_life_s: float = 300.0
    intensity_min_bin_count: float = 2.0
    fallback_intensity_a_per_s: float = 1.0
    fallback_intensity_k_per_bps: float = 2.0
    reject_backoff_ms: int = 1000

    def __post_init__(self) -> None:
        super().__post_init__()
        if len(self.instruments) != 1:
            raise _invalid("instruments", "exactly one instrument id", self.instruments)
        for field in (
            "session_length_s",
            "gamma",
            "volatility_half_life_s",
            "fallback_sigma_bps",
            "intensity_half_life_s",
            "intensity_min_bin_count",
            "fallback_intensity_a_per_s",
            "fallback_intensity_k_per_bps",
        ):
            value = getattr(self, field)
            if not (math.isfinite(value) and value > 0):
                raise _invalid(field, "a finite number > 0", value)
        for field, minimum in (
            ("min_spread_ticks", 1),
            ("requote_threshold_ticks", 1),
            ("volatility_window", 2),
            ("volatility_sample_interval_ms", 0),
            ("volatility_min_samples", 1),
            ("intensity_bin_ticks", 1),
            ("intensity_bin_count", 3),
            ("reject_backoff_ms", 0),
        ):
            if getattr(self, field) < minimum:
                raise _invalid(field, f"an integer >= {minimum}", getattr(self, field))
        _positive_decimal("order_size", self.order_size)
        _positive_decimal("max_inventory", self.max_inventory)


class QuoteSide:
    """One side's quoting state: the resting quote, the backoff, every order not yet closed.

    Attributes
    ----------
    side : Side
        BUY (the bid) or SELL (the ask).
    is_buy : bool
        True for the bid.
    order : Order or None
        The quote this side keeps resting.
    blocked_until_ns : int
        No new quote before this clock time (after a denial or rejection), UNIX ns.
    live_orders : list of Order
        Orders sent on this side and not yet seen closed (the quote and those being
        canceled): what would fill on top of the inventory.
    """

    __slots__ = ("blocked_until_ns", "is_buy", "live_orders", "order", "side")

    def __init__(self, side: Side) -> None:
        self.side = side
        self.is_buy = side == BUY
        self.order = None
        self.blocked_until_ns = 0
        self.live_orders = []

    def pending_lots(self) -> int:
        """Return the unfilled lots of the side's open orders, forgetting the closed ones."""
        live_orders = self.live_orders
        pending_lots = 0
        index = 0
        while index < len(live_orders):
            order = live_orders[index]
            if order.is_closed:
                del live_orders[index]
            else:
                pending_lots += order.leaves_lots
                index += 1
        return pending_lots


class AsMaker(Strategy):
    """Avellaneda-Stoikov / Gueant-Lehalle-Fernandez-Tapia market maker on one instrument.

    Parameters
    ----------
    config : AsMakerConfig, optional
        All defaults when omitted.

    Attributes
    ----------
    instrument_id : InstrumentId
        The instrument quoted.
    position_lots : int
        Signed inventory in lots: the portfolio's position at start (when the node has a
        portfolio), then this strategy's fills.
    quote_count : int
        Quotes (post-only orders) sent.
    amend_count : int
        Quotes moved in place (one modify request instead of a cancel and a new order).
    volatility : EwmaVolatility or RollingVolatility
        The online estimator of the mid's volatility.
    intensity : TradeIntensityEstimator
        The online fit of the trade arrival intensity (built in ``on_start``).
    quotes : MakerQuotes
        The bid and ask in ticks the model wants, recomputed per book update (built in
        ``on_start``).
    """

    config_type = AsMakerConfig

    def __init__(self, config: AsMakerConfig | None = None) -> None:
        super().__init__(config)
        cfg = self.config
        self.instrument_id = InstrumentId.from_str(cfg.instruments[0])
        self.position_lots = 0
        self.quote_count = 0
        self.amend_count = 0
        self._quoter = AvellanedaStoikovQuoter(
            HorizonMode.FINITE if cfg.horizon == "finite" else HorizonMode.INFINITE,
            cfg.gamma,
            float(cfg.order_size),
        )
        sample_ns = cfg.volatility_sample_interval_ms * NS_PER_MS
        if cfg.volatility_estimator == "ewma":
            self.volatility = EwmaVolatility(
                cfg.volatility_half_life_s, sample_ns, cfg.volatility_min_samples
            )
        else:
            self.volatility = RollingVolatility(cfg.volatility_window, sample_ns)
        self.intensity = None
        self.quotes = None
        self._book = None
        self._tick = 0.0
        self._size_lots = 0
        self._min_size_lots = 1
        self._max_inventory_lots = 0
        self._min_notional_ok = None
        self._now_ns = None
        self._threshold_ticks = cfg.requote_threshold_ticks
        self._backoff_ns = cfg.reject_backoff_ms * NS_PER_MS
        self._bid = QuoteSide(Side.BUY)
        self._ask = QuoteSide(Side.SELL)
        self._requote = False

    # -- LIFECYCLE ------------------------------------------------------------------------------

    def on_start(self) -> None:
        """Resolve sizes in lots, read the starting inventory, subscribe to book and trades."""
        cfg = self.config
        instrument = self.instrument(self.instrument_id)
        self._tick = instrument.tick_size_f
        self._size_lots = instrument.size_to_lots(cfg.order_size)
        self._min_size_lots = max(instrument.min_quantity_lots, 1)
        self._max_inventory_lots = instrument.size_to_lots(cfg.max_inventory)
        self._min_notional_ok = instrument.min_notional_ok
        self._now_ns = self.clock.timestamp_ns
        self.intensity = TradeIntensityEstimator(
            cfg.intensity_bin_ticks * self._tick,
            cfg.intensity_bin_count,
            cfg.intensity_half_life_s,
            cfg.intensity_min_bin_count,
        )
        self.quotes = MakerQuotes(
            self._quoter,
            self.volatility,
            self.intensity,
            self._tick,
            instrument.lot_size_f * instrument.multiplier_f,
            cfg.min_spread_ticks,
            cfg.fallback_sigma_bps,
            cfg.fallback_intensity_a_per_s,
            cfg.fallback_intensity_k_per_bps,
            int(cfg.session_length_s * NS_PER_S),
        )
        if self.portfolio is not None:
            self.position_lots = self.portfolio.net_position_lots(self.instrument_id)
        for order in self.open_orders(self.instrument_id):
            self._side(order.side).live_orders.append(order)
        self.subscribe_book(self.instrument_id)
        self.subscribe_trades(self.instrument_id)
        self._book = self.book(self.instrument_id)

    def on_stop(self) -> None:
        """Cancel every quote."""
        self.cancel_all()
        self._bid.order = None
        self._ask.order = None

    # -- MARKET DATA ----------------------------------------------------------------------------

    def on_book(self, book) -> None:
        """Sample the mid, recompute the quotes and replace those that moved enough."""
        now_ns = self._now_ns()
        if self.quotes.quote(book, now_ns, self.position_lots):
            self._quote(now_ns)

    def on_trade(self, trade) -> None:
        """Record how far from the mid the trade executed and refit the intensity."""
        book = self._book
        if not (book.has_bid and book.has_ask):
            return
        now_ns = self._now_ns()
        depth_price = abs(trade.price_ticks - book.mid_price_ticks_x2 * 0.5) * self._tick
        self.intensity.add_trade(now_ns, depth_price)
        self.intensity.fit(now_ns)

    # -- ORDERS ---------------------------------------------------------------------------------

    def on_fill(self, fill) -> None:
        """Update the inventory and requote both sides at once."""
        if fill.order_side == BUY:
            self.position_lots += fill.last_qty_lots
        else:
            self.position_lots -= fill.last_qty_lots
        self._requote = True
        now_ns = self._now_ns()
        if self.quotes.quote(self._book, now_ns, self.position_lots, False):
            self._quote(now_ns)

    def on_order_update(self, event) -> None:
        """Back off a side whose quote or amend was denied, or whose quote was rejected (e.g.
        post-only would cross)."""
        event_type = type(event)
        if event_type is OrderDenied or event_type is OrderRejected:
            order = self.cache.order(event.client_order_id)
            self._side(order.side).blocked_until_ns = self._now_ns() + self._backoff_ns

    # -- QUOTING --------------------------------------------------------------------------------

    def desired_quotes(self, book, now_ns: int) -> tuple[int, int]:
        """Return the bid and ask prices, ticks, the model wants for the current state.

        Parameters
        ----------
        book : L2Book
            The instrument's book, with both sides present.
        now_ns : int
            Clock time, UNIX ns.

        Returns
        -------
        tuple of (int, int)
            Bid and ask in ticks: rounded away from the touch, off the opposite touch and at
            least ``min_spread_ticks`` apart.

        Raises
        ------
        ValueError
            If a side of ``book`` is empty.
        """
        quotes = self.quotes
        if not quotes.quote(book, now_ns, self.position_lots, False):
            raise ValueError(f"book: {book.instrument_id.value} has an empty side")
        return quotes.bid_ticks, quotes.ask_ticks

    def _side(self, side: Side) -> QuoteSide:
        return self._bid if side == BUY else self._ask

    def _quote(self, now_ns: int) -> None:
        quotes = self.quotes
        requote = self._requote
        self._requote = False
        self._update_side(self._bid, quotes.bid_ticks, now_ns, requote)
        self._update_side(self._ask, quotes.ask_ticks, now_ns, requote)

    def _update_side(
        self, quote_side: QuoteSide, price_ticks: int, now_ns: int, requote: bool
    ) -> None:
        order = quote_side.order
        if order is not None:
            if not order.is_closed:
                if price_ticks <= 0 or (
                    not requote and abs(order.price_ticks - price_ticks) < self._threshold_ticks
                ):
                    return
                status = order.status
                if status == PENDING_UPDATE:
                    # The amend in flight lands first; the next update compares again.
                    return
                if (
                    status in AMENDABLE
                    and now_ns >= quote_side.blocked_until_ns
                    and self._amend(quote_side, order, price_ticks)
                ):
                    return
                self.cancel(order)
            quote_side.order = None
        if price_ticks <= 0 or now_ns < quote_side.blocked_until_ns:
            return
        size_lots = self._quote_size_lots(quote_side, 0)
        if size_lots < self._min_size_lots or not self._min_notional_ok(price_ticks, size_lots):
            return
        order = self.post_only(self.instrument_id, quote_side.side, size_lots, price_ticks)
        quote_side.order = order
        quote_side.live_orders.append(order)
        self.quote_count += 1

    def _amend(self, quote_side: QuoteSide, order, price_ticks: int) -> bool:
        # One request instead of a cancel and a new order; the venue keeps it post-only. False:
        # the quote would be too small at the new price, so the caller cancels it.
        leaves_lots = self._quote_size_lots(quote_side, order.leaves_lots)
        if leaves_lots < self._min_size_lots or not self._min_notional_ok(price_ticks, leaves_lots):
            return False
        quantity_lots = order.filled_lots + leaves_lots
        if price_ticks != order.price_ticks or quantity_lots != order.quantity_lots:
            self.modify(order, price_ticks, quantity_lots)
            self.amend_count += 1
        return True

    def _quote_size_lots(self, quote_side: QuoteSide, own_leaves_lots: int) -> int:
        # Room left under max_inventory if this quote and every other open order on its side
        # (e.g. one still being canceled) filled; own_leaves_lots: the part of the side's open
        # lots that is the quote being amended.
        pending_lots = quote_side.pending_lots() - own_leaves_lots
        if quote_side.is_buy:
            room_lots = self._max_inventory_lots - self.position_lots - pending_lots
        else:
            room_lots = self._max_inventory_lots + self.position_lots - pending_lots
        return min(self._size_lots, room_lots)
