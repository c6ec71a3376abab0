"""Multi-leg arbitrage: trade a cycle of conversions whose rates multiply to more than one.

Every subscribed spot instrument ``BASE/QUOTE`` gives two edges of a graph of assets:
``QUOTE -> BASE`` (buy at the asks) and ``BASE -> QUOTE`` (sell at the bids), each weighted
``-ln(effective rate)``, where the effective rate uses the VWAP of the trade size (about
``trade_notional`` of ``start_asset``) and the taker fee::

    buy:  rate = (1 - fee) / vwap_ask      (BASE received per QUOTE paid)
    sell: rate = vwap_bid * (1 - fee)      (QUOTE received per BASE sold)

A cycle whose weights sum below zero is an arbitrage: going once around it multiplies the
amount by ``exp(-sum)``. Instruments on several venues join the same asset nodes, the best of
parallel edges standing for the pair.

Only the edges of the book that changed are recomputed; the search is
`ArbGraph.find_negative_cycle_incremental` (SPFA from the lowered edges over the potentials of
the last pass, a full Bellman-Ford pass when there are none). A cycle through ``start_asset``
whose product exceeds ``1 + min_profit_bps / 1e4`` is executed as a sequence of IOC orders:
each leg is sized from what the previous leg actually delivered, rounded down to the lot and
checked against the minimum quantity and notional; a leg that fills nothing, or leaves too
little for the next leg, stops the cycle (the asset reached is kept and logged).

Formulas and every config field: ``docs/strategies/tri_arb.md``. Run it on the bundled triangle
sample: ``hft backtest strategies/tri_arb.py --data data/triangle``.
"""

from __future__ import annotations

import math
from decimal import Decimal, InvalidOperation

import msgspec

from hftcore import (
    InstrumentId,
    InstrumentKind,
    OrderStatus,
    Side,
    Strategy,
    StrategyConfig,
    TimeInForce,
)
from hftcore.quant import ArbGraph

NS_PER_MS = 1_000_000
BPS = 1e4
TIMER = "tri_arb"


def _invalid(field: str, expected: str, value: object) -> msgspec.ValidationError:
    return msgspec.ValidationError(f"expected {expected}, got {value!r} - at `$.{field}`")


def _decimal(field: str, value: str) -> Decimal:
    try:
        number = Decimal(value)
    except InvalidOperation:
        raise _invalid(field, "a decimal string", value) from None
    if not number.is_finite():
        raise _invalid(field, "a finite decimal string", value)
    return number


class TriArbConfig(StrategyConfig, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Configuration of `TriArb`; the defaults trade the bundled triangle sample.

    Attributes
    ----------
    strategy_id : str
        Instance name (1-8 letters or digits).
    instruments : list[str]
        Spot instrument ids whose assets form the graph (two or more).
    start_asset : str
        Asset every executed cycle starts and ends in; cycles without it are not traded.
    trade_notional : str
        Amount of ``start_asset`` put through a cycle (decimal string); also the size the edge
        VWAPs are computed for.
    min_profit_bps : float
        A cycle is traded when the product of its rates exceeds ``1 + min_profit_bps / 1e4``.
    taker_fees : dict[str, str]
        Taker fee rate per instrument id overriding the instrument's (e.g. a VIP tier).
    max_cycle_legs : int
        Longest cycle traded (>= 2).
    max_book_age_ms : float
        Every book of a cycle must have been updated within this, ms of clock time.
    revalue_interval_ms : int
        How often the value of each asset in ``start_asset`` (for the VWAP sizes) is refreshed
        from the mids, and the watchdog runs, ms.
    leg_timeout_ms : float
        A leg still open after this is canceled (IOC orders normally close at once), ms.
    cooldown_ms : float
        Pause after a cycle ends before the next one, ms.
    """

    strategy_id: str = "TRIARB"
    instruments: list[str] = msgspec.field(
        default_factory=lambda: ["BTCUSDT.BINANCE", "ETHUSDT.BINANCE", "ETHBTC.BINANCE"]
    )
    start_asset: str = "USDT"
    trade_notional: str = "200"
    min_profit_bps: float = 1.0
    taker_fees: dict[str, str] = msgspec.field(default_factory=dict)
    max_cycle_legs: int = 4
    max_book_age_ms: float = 1000.0
    revalue_interval_ms: int = 1000
    leg_timeout_ms: float = 2000.0
    cooldown_ms: float = 500.0

    def __post_init__(self) -> None:
        super().__post_init__()
        if len(self.instruments) < 2 or len(set(self.instruments)) != len(self.instruments):
            raise _invalid("instruments", "two or more distinct instrument ids", self.instruments)
        if not _decimal("trade_notional", self.trade_notional) > 0:
            raise _invalid("trade_notional", "a positive decimal string", self.trade_notional)
        for instrument_id, fee in self.taker_fees.items():
            if instrument_id not in self.instruments:
                raise _invalid("taker_fees", "keys among the instruments", instrument_id)
            if not -1 < _decimal(f"taker_fees.{instrument_id}", fee) < 1:
                raise _invalid(f"taker_fees.{instrument_id}", "a fee rate in (-1, 1)", fee)
        for field in ("min_profit_bps", "max_book_age_ms", "leg_timeout_ms", "cooldown_ms"):
            value = getattr(self, field)
            if not (math.isfinite(value) and value >= 0):
                raise _invalid(field, "a finite number >= 0", value)
        if self.max_cycle_legs < 2:
            raise _invalid("max_cycle_legs", "an integer >= 2", self.max_cycle_legs)
        if self.revalue_interval_ms < 1:
            raise _invalid("revalue_interval_ms", "an integer >= 1", self.revalue_interval_ms)


class Market:
    """One instrument in the graph: its book, fee, lots and the two edges it supplies.

    Attributes
    ----------
    instrument_id : InstrumentId
        The instrument.
    base_node, quote_node : int
        Graph nodes of its base and quote assets.
    buy_weight, sell_weight : float
        ``-ln`` rate of buying (quote -> base) and selling (base -> quote); ``inf`` when the
        book cannot fill the VWAP size.
    vwap_lots : int
        Size the edge VWAPs are computed for, lots.
    """

    __slots__ = (
        "base_node",
        "book",
        "buy_weight",
        "fee",
        "instrument",
        "instrument_id",
        "log_keep",
        "lot",
        "quote_node",
        "sell_weight",
        "tick",
        "vwap_lots",
    )

    def __init__(self, instrument, book, fee: float, base_node: int, quote_node: int) -> None:
        self.instrument_id = instrument.id
        self.instrument = instrument
        self.book = book
        self.fee = fee
        self.log_keep = math.log1p(-fee)
        self.tick = instrument.tick_size_f
        self.lot = instrument.lot_size_f
        self.base_node = base_node
        self.quote_node = quote_node
        self.buy_weight = math.inf
        self.sell_weight = math.inf
        self.vwap_lots = 1

    def refresh_weights(self) -> None:
        """Recompute both edge weights from the book's VWAPs for ``vwap_lots``."""
        book = self.book
        self.buy_weight = self.sell_weight = math.inf
        if book.has_ask:
            vwap_ticks, _, filled_lots = book.vwap_ticks(Side.BUY, self.vwap_lots)
            if filled_lots == self.vwap_lots:
                self.buy_weight = math.log(vwap_ticks * self.tick) - self.log_keep
        if book.has_bid:
            vwap_ticks, _, filled_lots = book.vwap_ticks(Side.SELL, self.vwap_lots)
            if filled_lots == self.vwap_lots:
                self.sell_weight = -math.log(vwap_ticks * self.tick) - self.log_keep

    def leg_order(self, side: Side, amount_in: float) -> tuple[int, int, float] | None:
        """Size an IOC order converting ``amount_in`` of the input asset on this market.

        Parameters
        ----------
        side : Side
            BUY spends ``amount_in`` of the quote asset; SELL sells ``amount_in`` of the base.
        amount_in : float
            Amount of the input asset available.

        Returns
        -------
        tuple of (int, int, float) or None
            ``(quantity_lots, limit_price_ticks, expected_amount_out)``, or None when the book
            cannot take it or it is below the minimum quantity or notional.
        """
        book = self.book
        if side == Side.BUY:
            if not book.has_ask:
                return None
            lots = int(amount_in / (book.best_ask_price_ticks * self.tick * self.lot))
            if lots < 1:
                return None
            _, worst_ticks, filled_lots = book.vwap_ticks(Side.BUY, lots)
            # Affordable even if every lot fills at the limit price.
            lots = min(filled_lots, int(amount_in / (worst_ticks * self.tick * self.lot)))
            amount_out = lots * self.lot * (1.0 - self.fee)
        else:
            if not book.has_bid:
                return None
            lots = int(amount_in / self.lot + 1e-9)
            if lots < 1:
                return None
            vwap_ticks, worst_ticks, filled_lots = book.vwap_ticks(Side.SELL, lots)
            lots = filled_lots
            amount_out = lots * self.lot * vwap_ticks * self.tick * (1.0 - self.fee)
        if lots < max(self.instrument.min_quantity_lots, 1):
            return None
        if not self.instrument.min_notional_ok(worst_ticks, lots):
            return None
        return lots, worst_ticks, amount_out

    def amount_out(self, order) -> float:
        """Return what a filled leg ``order`` delivered of the output asset, after the fee."""
        filled = order.filled_lots * self.lot * (1.0 - self.fee)
        if order.side == Side.BUY:
            return filled
        return filled * order.avg_fill_price_ticks * self.tick

    def amount_spent(self, order) -> float:
        """Return how much of the input asset a leg ``order`` used."""
        filled = order.filled_lots * self.lot
        if order.side == Side.BUY:
            return filled * order.avg_fill_price_ticks * self.tick
        return filled


class CycleExecution:
    """A cycle being traded: its legs, the one in flight and the amount carried forward.

    Attributes
    ----------
    assets : list of str
        Assets of the cycle from ``start_asset`` back to it.
    legs : list of (Market, Side)
        The conversions, in order.
    amount_in : float
        Amount of ``start_asset`` the first leg spent (``trade_notional`` until it fills).
    amount : float
        Amount of the current asset carried into the next leg.
    index : int
        Leg in flight.
    order : Order or None
        The order of the leg in flight.
    expected_return : float
        ``exp(-cycle weight) - 1`` when the cycle was found.
    remainder_value : float
        Value in ``start_asset`` (at the mids) of what the later legs left unconverted: the
        lot-size remainders kept in the intermediate assets.
    started_ns : int
        When the leg in flight was sent, UNIX ns.
    """

    __slots__ = (
        "amount",
        "amount_in",
        "assets",
        "expected_return",
        "index",
        "legs",
        "order",
        "remainder_value",
        "started_ns",
    )

    def __init__(self, assets, legs, amount_in: float, expected_return: float) -> None:
        self.assets = assets
        self.legs = legs
        self.amount_in = amount_in
        self.amount = amount_in
        self.expected_return = expected_return
        self.index = 0
        self.order = None
        self.remainder_value = 0.0
        self.started_ns = 0


class TriArb(Strategy):
    """Negative-cycle (triangular and longer) arbitrage over every subscribed spot market.

    Parameters
    ----------
    config : TriArbConfig, optional
        All defaults when omitted.

    Attributes
    ----------
    assets : list of str
        Graph nodes, sorted.
    graph : ArbGraph
        The asset graph (built in ``on_start``).
    execution : CycleExecution or None
        The cycle being traded.
    cycles_found : int
        Negative cycles the search reported.
    cycles_started : int
        Cycles whose first leg was sent.
    cycles_completed : int
        Cycles whose every leg filled.
    cycles_stopped : int
        Cycles stopped by a leg that failed.
    last_cycle_return : float
        Realized return of the last completed cycle: (``start_asset`` out + remainders at the
        mids) / ``start_asset`` spent - 1.
    asset_values : dict of str to float
        Value of one unit of each asset in ``start_asset``, from the mids at the last revalue.
    """

    config_type = TriArbConfig

    def __init__(self, config: TriArbConfig | None = None) -> None:
        super().__init__(config)
        cfg = self.config
        self.instrument_ids = [InstrumentId.from_str(value) for value in cfg.instruments]
        self.assets: list[str] = []
        self.graph: ArbGraph | None = None
        self.execution: CycleExecution | None = None
        self.cycles_found = 0
        self.cycles_started = 0
        self.cycles_completed = 0
        self.cycles_stopped = 0
        self.last_cycle_return = math.nan
        self.asset_values: dict[str, float] = {}
        self._markets: dict[InstrumentId, Market] = {}
        self._sources: dict[tuple[int, int], list[tuple[Market, Side]]] = {}
        self._chosen: dict[tuple[int, int], tuple[Market, Side]] = {}
        self._start_node = -1
        self._notional = float(cfg.trade_notional)
        self._max_age_ns = int(cfg.max_book_age_ms * NS_PER_MS)
        self._cooldown_until_ns = 0
        self._is_sending = False
        self._is_valued = False

    # -- LIFECYCLE ------------------------------------------------------------------------------

    def on_start(self) -> None:
        """Build the asset graph, subscribe to every book and start the revalue timer."""
        cfg = self.config
        instruments = [self.instrument(iid) for iid in self.instrument_ids]
        for instrument in instruments:
            if instrument.kind != InstrumentKind.SPOT:
                raise ValueError(
                    f"instruments: {instrument.id.value} is not a spot instrument; the graph "
                    "converts assets"
                )
        self.assets = sorted({i.base for i in instruments} | {i.quote for i in instruments})
        if cfg.start_asset not in self.assets:
            raise ValueError(
                f"start_asset: {cfg.start_asset} is not an asset of the instruments {self.assets}"
            )
        node = {asset: index for index, asset in enumerate(self.assets)}
        self._start_node = node[cfg.start_asset]
        self.graph = ArbGraph(len(self.assets))
        for instrument in instruments:
            fee = float(cfg.taker_fees.get(instrument.id.value, instrument.taker_fee))
            market = Market(
                instrument,
                self.book(instrument.id),
                fee,
                node[instrument.base],
                node[instrument.quote],
            )
            self._markets[instrument.id] = market
            self._sources.setdefault((market.quote_node, market.base_node), []).append(
                (market, Side.BUY)
            )
            self._sources.setdefault((market.base_node, market.quote_node), []).append(
                (market, Side.SELL)
            )
            self.subscribe_book(instrument.id)
        self.set_timer(TIMER, cfg.revalue_interval_ms * NS_PER_MS)

    def on_stop(self) -> None:
        """Cancel anything still open."""
        self.cancel_all()

    def on_timer(self, event) -> None:
        """Refresh the VWAP sizes from the mids; cancel a leg that outlived its timeout."""
        self._is_valued = self.revalue()
        execution = self.execution
        if (
            execution is not None
            and execution.order is not None
            and not execution.order.is_closed
            and event.ts_event - execution.started_ns > self.config.leg_timeout_ms * NS_PER_MS
        ):
            self.cancel(execution.order)

    def revalue(self) -> bool:
        """Set each market's VWAP size to about ``trade_notional`` of ``start_asset``.

        Asset values in ``start_asset`` come from the mids, walking the instruments outward
        from ``start_asset``.

        Returns
        -------
        bool
            True when every market could be valued.
        """
        values = {self.config.start_asset: 1.0}
        markets = list(self._markets.values())
        changed = True
        while changed:
            changed = False
            for market in markets:
                book = market.book
                if not (book.has_bid and book.has_ask):
                    continue
                mid = book.mid_price_ticks_x2 * 0.5 * market.tick
                base, quote = market.instrument.base, market.instrument.quote
                if quote in values and base not in values:
                    values[base] = values[quote] * mid
                    changed = True
                elif base in values and quote not in values:
                    values[quote] = values[base] / mid
                    changed = True
        self.asset_values = values
        complete = True
        for market in markets:
            value = values.get(market.instrument.base)
            if value is None:
                complete = False
                continue
            market.vwap_lots = max(1, int(self._notional / value / market.lot))
        return complete

    # -- MARKET DATA ----------------------------------------------------------------------------

    def on_book(self, book) -> None:
        """Update this market's two edges; search for and trade a profitable cycle."""
        market = self._markets[book.instrument_id]
        if not self._is_valued:
            self._is_valued = self.revalue()
        market.refresh_weights()
        self._set_pair(market.quote_node, market.base_node)
        self._set_pair(market.base_node, market.quote_node)
        if self.execution is not None:
            return
        now_ns = self.clock.timestamp_ns()
        if now_ns < self._cooldown_until_ns:
            return
        cycle = self.graph.find_negative_cycle_incremental()
        if cycle is None:
            return
        self.cycles_found += 1
        expected_return = math.expm1(-self.graph.last_cycle_weight)
        if expected_return * BPS > self.config.min_profit_bps:
            self.start_cycle(cycle, expected_return, now_ns)

    def _set_pair(self, tail: int, head: int) -> None:
        # The best of the parallel edges stands for the pair.
        best = None
        best_weight = math.inf
        for source in self._sources[(tail, head)]:
            market, side = source
            weight = market.buy_weight if side == Side.BUY else market.sell_weight
            if weight < best_weight:
                best, best_weight = source, weight
        if best is None:
            self.graph.remove_edge(tail, head)
            self._chosen.pop((tail, head), None)
            return
        self.graph.set_edge(tail, head, best_weight)
        self._chosen[(tail, head)] = best

    # -- EXECUTION ------------------------------------------------------------------------------

    def start_cycle(self, cycle: list[int], expected_return: float, now_ns: int) -> bool:
        """Plan every leg of ``cycle`` on the current books and send the first one.

        Parameters
        ----------
        cycle : list of int
            Graph nodes of the cycle, in trading order.
        expected_return : float
            The cycle's return from the graph.
        now_ns : int
            Clock time, UNIX ns.

        Returns
        -------
        bool
            True when the first leg was sent; False when the cycle skips ``start_asset``, is too
            long, uses a stale book, or a leg would break a lot or notional rule.
        """
        if self._start_node not in cycle or len(cycle) > self.config.max_cycle_legs:
            return False
        start = cycle.index(self._start_node)
        nodes = cycle[start:] + cycle[:start]
        legs = [self._chosen[(nodes[i], nodes[(i + 1) % len(nodes)])] for i in range(len(nodes))]
        amount = self._notional
        for market, side in legs:
            if now_ns - market.book.ts_recv > self._max_age_ns:
                return False
            planned = market.leg_order(side, amount)
            if planned is None:
                return False
            amount = planned[2]
        assets = [self.assets[node] for node in nodes] + [self.config.start_asset]
        self.execution = CycleExecution(assets, legs, self._notional, expected_return)
        self.cycles_started += 1
        self._send_leg(now_ns)
        return True

    def _send_leg(self, now_ns: int) -> None:
        execution = self.execution
        market, side = execution.legs[execution.index]
        planned = market.leg_order(side, execution.amount)
        if planned is None:
            self._stop(f"leg {execution.index} too small or book too thin")
            return
        quantity_lots, price_ticks, _ = planned
        execution.started_ns = now_ns
        self._is_sending = True
        try:
            execution.order = self.limit(
                market.instrument_id, side, quantity_lots, price_ticks, TimeInForce.IOC
            )
        finally:
            self._is_sending = False
        self._check_leg()

    def on_order_update(self, event) -> None:
        """Carry the cycle forward when its leg in flight closes."""
        if self.execution is not None and not self._is_sending:
            self._check_leg()

    def _check_leg(self) -> None:
        execution = self.execution
        if execution is None or execution.order is None or not execution.order.is_closed:
            return
        order = execution.order
        market, _ = execution.legs[execution.index]
        if order.filled_lots == 0:
            reason = "denied" if order.status == OrderStatus.DENIED else "filled nothing"
            self._stop(f"leg {execution.index} {reason}")
            return
        spent = market.amount_spent(order)
        if execution.index == 0:
            execution.amount_in = spent
        else:
            input_asset = execution.assets[execution.index]
            execution.remainder_value += (execution.amount - spent) * self.asset_values.get(
                input_asset, 0.0
            )
        execution.amount = market.amount_out(order)
        execution.index += 1
        execution.order = None
        if execution.index == len(execution.legs):
            self.cycles_completed += 1
            self.last_cycle_return = (
                execution.amount + execution.remainder_value
            ) / execution.amount_in - 1.0
            self._end()
            return
        self._send_leg(self.clock.timestamp_ns())

    def _stop(self, reason: str) -> None:
        execution = self.execution
        self.cycles_stopped += 1
        self.log.warning(
            "cycle stopped strategy=%s reason=%s holding=%s amount=%s cycle=%s",
            self.id.value,
            reason,
            execution.assets[execution.index],
            execution.amount,
            "->".join(execution.assets),
        )
        self._end()

    def _end(self) -> None:
        self.execution = None
        self._cooldown_until_ns = self.clock.timestamp_ns() + int(
            self.config.cooldown_ms * NS_PER_MS
        )
