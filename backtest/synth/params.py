"""Calibrated parameters of the synthetic generator, per venue and instrument.

The BTC/USDT books are calibrated to real captures in ``shared/data`` (``calibration.py``
measures them; ``MEASURED`` below keeps the figures and ``docs/data-tools.md`` compares them with
what the generator produces):

- Binance spot BTCUSDT, ``binance/hftbacktest_spot_btcusdt_20240808.jsonl.gz`` (346 s of
  ``depth@100ms``, trades, bookTicker and a 1000-level REST snapshot).
- OKX spot BTC-USDT, ``okx/cryptofeed_OKX.ws.1.0.part1.txt`` (6 s of the 400-level ``books``
  channel and trades; short, so its rates are rough).

Tick and lot sizes come from the venues' instrument lists (``backtest.importers.instruments``).
ETH books reuse the BTC model with sizes scaled to the same notional; they are not calibrated.
The model knobs that have no direct measurement (event rate, order-type mix, touch sizes) were
tuned so that the generated book-row rate, trade rate, trade size, touch spread and delete share
come close to the measured ones (see ``docs/data-tools.md``).

Venue shocks (``shock_*``) are not in the captures and not calibrated: they are set so that the
bundled 30-minute two-venue sample crosses by more than two retail taker fees (20 bp) a dozen or
so times, each for a few hundred milliseconds, and the 5-minute triangle sample holds a few
cycles worth more than three taker fees (30 bp) and more that fees erase.
"""

from dataclasses import dataclass, field, replace

MEASURED = {
    "BTCUSDT.BINANCE": {
        "source": "binance/hftbacktest_spot_btcusdt_20240808.jsonl.gz",
        "tick_size": "0.01",
        "lot_size": "0.00001",
        "depth_levels": 1000,
        "book_messages_per_s": 10.0,
        "book_rows_per_s": 359.0,
        "delete_share": 0.48,
        "trades_per_s": 28.2,
        "taker_events_per_s": 9.3,
        "trade_size_median": "0.0006",
        "spread_one_tick_share": 0.88,
        "top_size_median": "1.08",
        "level_spacing_ticks": 37,
        "level_size_median": "0.00084",
        "log_return_std_per_sqrt_s": 1.3e-4,
        "feed_delay_jitter_p50_ms": 2.8,
        "feed_delay_jitter_p99_ms": 5.1,
    },
    "BTC-USDT.OKX": {
        "source": "okx/cryptofeed_OKX.ws.1.0.part1.txt",
        "tick_size": "0.1",
        "lot_size": "0.00000001",
        "depth_levels": 400,
        "book_messages_per_s": 9.4,
        "book_rows_per_s": 363.0,
        "delete_share": 0.45,
        "trades_per_s": 6.0,
        "trade_size_median": "0.00042",
        "spread_one_tick_share": 1.0,
        "level_spacing_ticks": 8,
        "level_size_median": "0.00193",
        "feed_delay_min_ms": 111.5,
        "feed_delay_p50_ms": 123.5,
        "feed_delay_p99_ms": 279.2,
    },
}
"""Figures measured on the captures by ``calibration.py`` (decimals as strings)."""


@dataclass(frozen=True)
class BookParams:
    """Model parameters of one simulated book (see ``engine.BookSimulator``)."""

    venue: str
    """Venue name, upper case."""
    symbol: str
    """Venue symbol."""
    tick_size: str
    """Tick size, exact decimal text."""
    lot_size: str
    """Lot size, exact decimal text."""
    depth_levels: int
    """Levels kept per side (the venue's published depth)."""
    event_rate_per_s: float
    """Base rate of order-book events (adds, cancels, market orders) per second."""
    market_probability: float
    """Share of events that are market orders."""
    add_probability: float
    """Share of events that are limit orders (the rest are cancels)."""
    market_size_median_lots: float
    """Median market-order size, lots."""
    level_size_median_lots: float
    """Median limit-order size, lots."""
    level_spacing_ticks: float
    """Mean distance between limit orders resting away from the touch, ticks."""
    touch_size_multiplier: float
    """Size multiplier of orders joining or improving the touch (market makers)."""
    marketable_probability: float
    """Chance that a limit order priced through the opposite touch trades instead of pegging."""
    improve_probability: float
    """Share of limit orders that improve the touch when the spread is wider than one tick."""
    touch_add_probability: float
    """Share of limit orders that join the touch."""
    cancel_touch_probability: float
    """Share of cancels that hit the touch (more when the touch is stale)."""
    deep_probability: float
    """Share of limit orders and cancels placed anywhere within the side's depth."""
    cancel_full_probability: float
    """Share of cancels that remove the whole level."""
    pressure_scale_ticks: float
    """Gap between fair price and mid, ticks, at which order flow leans 73/27 toward the fair."""
    publish_interval_ns: int
    """Book messages every this many ns (coalesced, like ``depth@100ms``); 0 publishes each
    event."""
    delay_base_ns: int
    """Fixed part of the feed delay ``ts_recv - ts_event``, ns."""
    delay_jitter_median_ns: float
    """Median of the log-normal part of the feed delay, ns."""
    delay_jitter_sigma: float
    """Log-space standard deviation of that part."""
    fundamental: dict = field(default_factory=lambda: {"BTC": 1.0})
    """Log fair price as a weighted sum of fundamental log prices (ETH-BTC: ETH 1, BTC -1)."""
    min_levels: int = 5
    """Levels a side never goes below (market orders stop short)."""
    hawkes_jump_per_s: float = 5.0
    """Intensity added by each event, per second (self-excitation)."""
    hawkes_decay_per_s: float = 10.0
    """Decay rate of that excitation, per second."""
    market_size_sigma: float = 1.8
    """Log-space standard deviation of market-order sizes."""
    level_size_sigma: float = 2.5
    """Log-space standard deviation of limit-order sizes."""
    maker_pieces_mean: float = 3.0
    """Mean number of trades (resting orders) per level consumed."""
    sweep_ticks: float = 500.0
    """Farthest a market order trades through the touch, ticks."""
    half_spread_ticks: float = 0.5
    """Distance from the fair price at which new limit orders start, ticks."""
    basis_sigma: float = 1e-4
    """Standard deviation of the venue's log basis to the fundamental (1e-4 = 1 bp)."""
    basis_mean_reversion_per_s: float = 0.1
    """Mean reversion rate of that basis, per second."""
    dislocation_rate_per_s: float = 1.0 / 300.0
    """Rate of venue dislocations (sudden basis jumps), per second."""
    dislocation_size: float = 5e-4
    """Typical size of a dislocation, log price (5e-4 = 5 bp; drawn 0.5x-1.5x, either sign)."""
    dislocation_decay_per_s: float = 0.2
    """Decay rate of a dislocation, per second."""
    shock_rate_per_s: float = 1.0 / 60.0
    """Rate of venue shocks, per second: the venue's price jumps away from the fundamental (a
    large aggressive sweep, a lagging feed catching up) and decays back within seconds."""
    shock_size_median: float = 2e-3
    """Median size of a shock, log price (2e-3 = 20 bp; log-normal, either sign)."""
    shock_size_sigma: float = 0.5
    """Log-space standard deviation of shock sizes (0.5: a quarter of them above 28 bp)."""
    shock_decay_per_s: float = 1.0
    """Decay rate of a shock, per second (1.0: 30 bp fall below 10 bp in 1.1 s)."""
    shock_size_max: float = 5e-3
    """Largest total shock, log price (5e-3 = 50 bp; larger draws are clipped); it also sizes
    the simulator's level window."""
    shock_tolerance: float = 1e-4
    """While a shock is above this size (log price), the book is moved to the fair price
    whenever its touch lags the fair by more than this (1e-4 = 1 bp): an aggressive order sweeps
    the stale levels while the shock grows, their makers cancel them while it decays."""

    @property
    def instrument_id(self) -> str:
        """``SYMBOL.VENUE``.

        Returns
        -------
        str
            The catalog id of the book's instrument.
        """
        return f"{self.symbol}.{self.venue}"

    def engine_params(self, *, emit_quotes: bool) -> dict:
        """Return the parameter dict ``engine.BookSimulator`` takes.

        Parameters
        ----------
        emit_quotes : bool
            Whether the simulator writes a quote row at each top-of-book change.

        Returns
        -------
        dict
            Every model parameter, numbers as floats or ints.
        """
        names = [
            "depth_levels",
            "min_levels",
            "event_rate_per_s",
            "hawkes_jump_per_s",
            "hawkes_decay_per_s",
            "market_probability",
            "add_probability",
            "market_size_median_lots",
            "market_size_sigma",
            "maker_pieces_mean",
            "sweep_ticks",
            "level_size_median_lots",
            "level_size_sigma",
            "touch_add_probability",
            "marketable_probability",
            "touch_size_multiplier",
            "deep_probability",
            "improve_probability",
            "level_spacing_ticks",
            "half_spread_ticks",
            "cancel_full_probability",
            "cancel_touch_probability",
            "pressure_scale_ticks",
            "publish_interval_ns",
            "delay_base_ns",
            "delay_jitter_median_ns",
            "delay_jitter_sigma",
            "basis_sigma",
            "basis_mean_reversion_per_s",
            "dislocation_rate_per_s",
            "dislocation_size",
            "dislocation_decay_per_s",
            "shock_rate_per_s",
            "shock_size_median",
            "shock_size_sigma",
            "shock_decay_per_s",
            "shock_size_max",
            "shock_tolerance",
        ]
        params = {name: getattr(self, name) for name in names}
        params["tick_size"] = float(self.tick_size)
        params["emit_quotes"] = emit_quotes
        return params


BINANCE_BTCUSDT = BookParams(
    venue="BINANCE",
    symbol="BTCUSDT",
    tick_size="0.01",
    lot_size="0.00001",
    depth_levels=1000,
    event_rate_per_s=1500.0,
    market_probability=0.004,
    add_probability=0.5,
    market_size_median_lots=320.0,
    level_size_median_lots=84.0,
    level_spacing_ticks=20.0,
    touch_size_multiplier=1000.0,
    marketable_probability=0.005,
    improve_probability=0.8,
    touch_add_probability=0.05,
    cancel_touch_probability=0.02,
    deep_probability=0.4,
    cancel_full_probability=0.5,
    pressure_scale_ticks=20.0,
    publish_interval_ns=100_000_000,
    delay_base_ns=5_000_000,
    delay_jitter_median_ns=2_800_000.0,
    delay_jitter_sigma=0.26,
)
"""Binance spot BTCUSDT, calibrated to the 2024-08-08 capture."""

OKX_BTC_USDT = BookParams(
    venue="OKX",
    symbol="BTC-USDT",
    tick_size="0.1",
    lot_size="0.00000001",
    depth_levels=400,
    event_rate_per_s=800.0,
    market_probability=0.0015,
    add_probability=0.5,
    market_size_median_lots=126_000.0,
    level_size_median_lots=193_000.0,
    level_spacing_ticks=8.0,
    touch_size_multiplier=100.0,
    marketable_probability=0.002,
    improve_probability=0.8,
    touch_add_probability=0.05,
    cancel_touch_probability=0.3,
    deep_probability=0.4,
    cancel_full_probability=0.5,
    pressure_scale_ticks=5.0,
    publish_interval_ns=100_000_000,
    delay_base_ns=111_000_000,
    delay_jitter_median_ns=10_000_000.0,
    delay_jitter_sigma=0.9,
)
"""OKX spot BTC-USDT, calibrated to the 2022-05-13 capture."""


def _eth(
    book: BookParams, symbol: str, tick_size: str, lot_size: str, size_scale: float
) -> BookParams:
    # Same model, sizes in lots scaled to the BTC orders' notional (1 BTC ~ 24 ETH).
    return replace(
        book,
        symbol=symbol,
        tick_size=tick_size,
        lot_size=lot_size,
        fundamental={"ETH": 1.0},
        market_size_median_lots=book.market_size_median_lots * size_scale,
        level_size_median_lots=book.level_size_median_lots * size_scale,
    )


def _eth_btc(book: BookParams, symbol: str, tick_size: str, lot_size: str, size_scale: float):
    # A cross pair: ticks are several basis points wide, so levels sit one tick apart; it is
    # quieter than the USDT pairs and dislocates and is shocked more often (triangular
    # mispricings).
    return replace(
        _eth(book, symbol, tick_size, lot_size, size_scale),
        fundamental={"ETH": 1.0, "BTC": -1.0},
        level_spacing_ticks=1.0,
        pressure_scale_ticks=1.0,
        sweep_ticks=20.0,
        event_rate_per_s=book.event_rate_per_s / 4.0,
        dislocation_rate_per_s=1.0 / 120.0,
        shock_rate_per_s=1.0 / 30.0,
    )


BOOKS: dict[tuple[str, str], BookParams] = {
    ("BINANCE", "BTC-USDT"): BINANCE_BTCUSDT,
    ("OKX", "BTC-USDT"): OKX_BTC_USDT,
    ("BINANCE", "ETH-USDT"): _eth(BINANCE_BTCUSDT, "ETHUSDT", "0.01", "0.0001", 24.0 / 10.0),
    ("OKX", "ETH-USDT"): _eth(OKX_BTC_USDT, "ETH-USDT", "0.01", "0.000001", 24.0 / 100.0),
    ("BINANCE", "ETH-BTC"): _eth_btc(BINANCE_BTCUSDT, "ETHBTC", "0.000001", "0.0001", 2.4),
    ("OKX", "ETH-BTC"): _eth_btc(OKX_BTC_USDT, "ETH-BTC", "0.00001", "0.000001", 0.24),
}
"""Book parameters by (venue, pair written ``BASE-QUOTE``)."""

FUNDAMENTALS = {
    "BTC": {"price": 61800.0, "vol_per_sqrt_s": 1.3e-4, "correlation": 1.0},
    "ETH": {"price": 2600.0, "vol_per_sqrt_s": 1.5e-4, "correlation": 0.8},
}
"""Fundamental assets (USDT prices): start price, volatility and correlation with BTC."""
