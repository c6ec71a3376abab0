"""The run folder of a backtest: orders, fills and equity Parquet files and ``run.json``.

``RunRecorder`` collects fills as the OMS receives them and equity samples as data time passes
(the backtest engine calls ``on_fill`` and ``on_sample``); ``write`` produces the files of the
run contract. Equity is computed by an ``EquitySource``: ``VenueEquity`` marks the simulated
venues' accounts to the strategy-side mids; a portfolio can take its place later.

Definitions (quote currency, floats):

- asset prices, in the run's quote currency (``[portfolio] quote_currency``, default USDT):
  the quote currency is 1; then, until nothing changes, an unpriced asset of a spot instrument
  whose other asset is priced gets ``base = mid * price[quote]`` or
  ``quote = price[base] / mid`` (so on BTC-USDT, ETH-USDT, ETH-BTC, BTC is priced through
  BTC-USDT and the ETH-BTC mid is never taken for a USDT price). ``[portfolio] prices`` give
  fallback prices of assets no book reaches. An asset with no price at all is excluded from
  equity and PnL (counted as 0) and reported: a warning when the run is built and
  ``unpriced_assets`` in ``run.json``;
- ``pnl_f64``: the PnL of trading: every venue's balances marked at those prices plus the
  unrealized PnL of derivative positions, minus the value of the starting balances at the same
  marks. A strategy that never trades has zero PnL, whatever the market does to a starting
  inventory;
- ``equity_f64``: the initial equity (the starting balances marked at the first sample where
  every instrument has a mid) plus ``pnl_f64``, so ``pnl = equity - initial equity`` exactly;
  with quote-only starting balances it is simply the balances marked to the mids;
- ``realized_pnl_f64`` / ``unrealized_pnl_f64``: average-cost PnL of the positions built by our
  fills (before fees); ``fees_f64``: fees paid, converted to quote at each fill's price.
"""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

import pyarrow as pa
import pyarrow.parquet as pq

from backtest.fill_log import FillLog
from backtest.our_quotes import best_limit_prices
from hftcore.model.enums import LiquiditySide, OrderStatus, OrderType, Side, TimeInForce

log = logging.getLogger(__name__)

ORDERS_SCHEMA = pa.schema(
    [
        ("client_order_id", pa.string()),
        ("venue_order_id", pa.string()),
        ("strategy_id", pa.string()),
        ("instrument_id", pa.string()),
        ("venue", pa.string()),
        ("side", pa.string()),
        ("order_type", pa.string()),
        ("time_in_force", pa.string()),
        ("post_only", pa.bool_()),
        ("reduce_only", pa.bool_()),
        ("price", pa.string()),
        ("quantity", pa.string()),
        ("filled_quantity", pa.string()),
        ("avg_fill_price", pa.float64()),
        ("status", pa.string()),
        ("reject_reason", pa.string()),
        ("ts_init", pa.int64()),
        ("ts_last", pa.int64()),
    ]
)
"""Columns of ``orders.parquet``."""

FILLS_SCHEMA = pa.schema(
    [
        ("ts_event", pa.int64()),
        ("ts_recv", pa.int64()),
        ("client_order_id", pa.string()),
        ("venue_order_id", pa.string()),
        ("trade_id", pa.string()),
        ("strategy_id", pa.string()),
        ("instrument_id", pa.string()),
        ("venue", pa.string()),
        ("side", pa.string()),
        ("price", pa.string()),
        ("quantity", pa.string()),
        ("price_f64", pa.float64()),
        ("quantity_f64", pa.float64()),
        ("notional_f64", pa.float64()),
        ("liquidity", pa.string()),
        ("fee", pa.string()),
        ("fee_f64", pa.float64()),
        ("fee_asset", pa.string()),
        ("mid_at_fill_f64", pa.float64()),
    ]
)
"""Columns of ``fills.parquet``."""

EQUITY_SCHEMA = pa.schema(
    [
        ("ts", pa.int64()),
        ("instrument_id", pa.string()),
        ("mid_f64", pa.float64()),
        ("position_f64", pa.float64()),
        ("our_bid_f64", pa.float64()),
        ("our_ask_f64", pa.float64()),
        ("equity_f64", pa.float64()),
        ("pnl_f64", pa.float64()),
        ("realized_pnl_f64", pa.float64()),
        ("unrealized_pnl_f64", pa.float64()),
        ("fees_f64", pa.float64()),
    ]
)
"""Columns of ``equity.parquet`` (long format: one row per sample and instrument)."""


class EquitySource(Protocol):
    """What the recorder needs to value the portfolio (the portfolio may implement it later)."""

    def mark(self) -> dict:
        """Return ``{"equity", "baseline", "realized", "unrealized", "fees", "positions"}``.

        ``baseline`` is the value of the starting balances at the current marks and
        ``positions`` maps instrument id text to the signed position in base units.
        """
        ...


def price_assets(
    quote_currency: str,
    spot_mids: list[tuple[str, str, float]],
    fallback_prices: dict[str, float] | None = None,
) -> dict[str, float]:
    """Price assets in ``quote_currency`` through chains of spot mids.

    Starting from ``{quote_currency: 1.0}``, each round prices every unpriced asset of a pair
    whose other asset was priced in an earlier round: ``base = mid * price[quote]`` or
    ``quote = price[base] / mid``; rounds repeat until nothing changes. An asset is thus priced
    through its shortest chain (ETH through ETH-USDT, not ETH-BTC then BTC-USDT); between
    chains of the same length the first pair of ``spot_mids`` wins. Then an asset still
    unpriced takes its ``fallback_prices`` entry and the chains go on from it. Pairs with a NaN
    or non-positive mid are skipped.

    Parameters
    ----------
    quote_currency : str
        The valuation currency, e.g. ``"USDT"``.
    spot_mids : list of (base, quote, mid)
        One entry per spot instrument.
    fallback_prices : dict, optional
        Asset -> price in ``quote_currency`` of assets no mid reaches.

    Returns
    -------
    dict
        Asset -> price; assets that cannot be priced are absent.
    """
    prices = {quote_currency: 1.0}
    fallbacks = dict(fallback_prices or {})
    usable = [(b, q, m) for b, q, m in spot_mids if not math.isnan(m) and m > 0.0]
    while True:
        while True:
            found: dict[str, float] = {}
            for base, quote, mid in usable:
                if base not in prices and quote in prices:
                    found.setdefault(base, mid * prices[quote])
                elif quote not in prices and base in prices:
                    found.setdefault(quote, prices[base] / mid)
            if not found:
                break
            prices.update(found)
        missing = {asset: price for asset, price in fallbacks.items() if asset not in prices}
        if not missing:
            return prices
        prices.update(missing)
        fallbacks.clear()


class VenueEquity:
    """Values the simulated venues' accounts at the strategy-side mid prices.

    Parameters
    ----------
    accounts : list of SimAccount
        One per simulated venue.
    instruments : list of Instrument
        Every instrument replayed.
    books : dict
        Instrument id text -> strategy-side ``OrderBook``.
    quote_currency : str
        Currency of equity and PnL; default ``"USDT"``.
    fallback_prices : dict, optional
        Asset -> price in ``quote_currency`` of assets no spot book reaches
        (``[portfolio] prices``).

    Attributes
    ----------
    unpriced_assets : list of str
        Assets held or traded that no chain of spot instruments (nor a fallback price) can
        price; they count as 0 in equity and PnL. Logged as a warning at construction.
    """

    def __init__(
        self,
        accounts: list,
        instruments: list,
        books: dict,
        quote_currency: str = "USDT",
        fallback_prices: dict[str, float] | None = None,
    ) -> None:
        self.accounts = accounts
        self.instruments = instruments
        self.books = books
        self.quote_currency = quote_currency
        self.fallback_prices = dict(fallback_prices or {})
        # Reachability does not depend on the mids' values: price with mids of 1.
        reachable = price_assets(
            quote_currency,
            [(i.base, i.quote, 1.0) for i in instruments if i.kind.name == "SPOT"],
            self.fallback_prices,
        )
        assets = {asset for account in accounts for asset in account.initial_balances}
        for instrument in instruments:
            assets.update((instrument.quote, instrument.settle))
            if instrument.kind.name == "SPOT":
                assets.add(instrument.base)
        self.unpriced_assets = sorted(assets - set(reachable))
        if self.unpriced_assets:
            log.warning(
                "no price in %s for %s (no chain of spot instruments reaches it and "
                "[portfolio] prices has none): excluded from equity and PnL",
                quote_currency,
                ", ".join(self.unpriced_assets),
            )
        # Looked up once: ``mark`` runs at every sample.
        self._mid_sources = [
            (i.id.value, i.id, books[i.id.value], i.tick_size_f) for i in instruments
        ]
        self._spot_pairs = [
            (i.base, i.quote, i.id.value) for i in instruments if i.kind.name == "SPOT"
        ]
        self._initial_f = [
            (
                account,
                [(asset, float(amount)) for asset, amount in account.initial_balances.items()],
            )
            for account in accounts
        ]

    def mid_prices(self) -> dict[str, float]:
        """Return instrument id text -> mid price (quote units, NaN when a side is empty)."""
        return {iid: book.mid_price_ticks * tick for iid, _, book, tick in self._mid_sources}

    def _asset_prices(self, mids: dict[str, float]) -> dict:
        prices: dict = price_assets(
            self.quote_currency,
            [(base, quote, mids[iid]) for base, quote, iid in self._spot_pairs],
            self.fallback_prices,
        )
        for iid, instrument_id, _, _ in self._mid_sources:
            prices[instrument_id] = mids[iid]
        return prices

    def mark(self) -> dict:
        """Return the current valuation (see ``EquitySource.mark``)."""
        mids = self.mid_prices()
        prices = self._asset_prices(mids)
        equity = baseline = realized = unrealized = fees = 0.0
        positions: dict[str, float] = {}
        for account, initial_f in self._initial_f:
            equity += account.equity(prices)
            for asset, amount_f in initial_f:
                baseline += amount_f * prices.get(asset, 0.0)
            for instrument_id, position in account.positions().items():
                iid = instrument_id.value
                mid = mids.get(iid, math.nan)
                realized += position.realized_pnl_f
                fees += position.fees_f
                quantity_f = position.quantity_f
                if quantity_f != 0.0 and not math.isnan(mid):
                    unrealized += position.unrealized_pnl(mid)
                positions[iid] = quantity_f
        return {
            "equity": equity,
            "baseline": baseline,
            "realized": realized,
            "unrealized": unrealized,
            "fees": fees,
            "positions": positions,
            "mids": mids,
        }


class RunRecorder:
    """Collects what a backtest writes to its run folder.

    Parameters
    ----------
    cache : Cache
        The node cache (orders, open orders).
    instruments : list of Instrument
        The replayed instruments, in report order.
    equity : EquitySource
        Values the portfolio at each sample.
    progress : callable, optional
        ``progress(ts_ns)`` called at each sample (the CLI's progress bar).
    """

    def __init__(
        self,
        cache,
        instruments: list,
        equity: EquitySource,
        progress: Callable[[int], None] | None = None,
    ) -> None:
        self.cache = cache
        self.instruments = instruments
        self.equity = equity
        self.progress = progress
        self._by_id = {instrument.id.value: instrument for instrument in instruments}
        self.fill_log = FillLog()
        self._equity: dict[str, list] = {name: [] for name in EQUITY_SCHEMA.names}
        # Every instrument's row appends to the same lists, in EQUITY_SCHEMA order.
        columns = [self._equity[name] for name in EQUITY_SCHEMA.names]
        self._sample_columns = [(i.id.value, i.tick_size_f, columns) for i in instruments]
        self.initial_equity: float | None = None

    # -- CALLBACKS (from the backtest engine) ---------------------------------------------------

    def on_fill(self, event, mid_ticks: float | None) -> None:
        """Record one ``OrderFilled`` as the OMS received it (formatted at ``write``).

        Parameters
        ----------
        event : OrderFilled
            The fill.
        mid_ticks : float or None
            Strategy-side mid (ticks) when the venue filled the order.
        """
        self.fill_log(event, mid_ticks)

    @property
    def fill_count(self) -> int:
        """int: Fills recorded so far."""
        return self.fill_log.count

    def on_sample(self, ts_ns: int) -> None:
        """Record one equity sample (one row per instrument) at data time ``ts_ns``."""
        mark = self.equity.mark()
        mids = mark["mids"]
        pnl = mark["equity"] - mark["baseline"]
        if self.initial_equity is None and all(not math.isnan(mid) for mid in mids.values()):
            self.initial_equity = mark["baseline"]
        equity = math.nan if self.initial_equity is None else self.initial_equity + pnl
        our_quotes = self._our_best_prices()
        positions = mark["positions"]
        realized = mark["realized"]
        unrealized = mark["unrealized"]
        fees = mark["fees"]
        for iid, tick_size_f, columns in self._sample_columns:
            bid_ticks, ask_ticks = our_quotes.get(iid, (None, None))
            columns[0].append(ts_ns)
            columns[1].append(iid)
            columns[2].append(mids[iid])
            columns[3].append(positions.get(iid, 0.0))
            columns[4].append(math.nan if bid_ticks is None else bid_ticks * tick_size_f)
            columns[5].append(math.nan if ask_ticks is None else ask_ticks * tick_size_f)
            columns[6].append(equity)
            columns[7].append(pnl)
            columns[8].append(realized)
            columns[9].append(unrealized)
            columns[10].append(fees)
        if self.progress is not None:
            self.progress(ts_ns)

    def _our_best_prices(self) -> dict[str, tuple[int | None, int | None]]:
        return best_limit_prices(self.cache.open_orders())

    # -- OUTPUT --------------------------------------------------------------------------------

    def orders_table(self, reject_reasons: dict[str, str]) -> pa.Table:
        """Return ``orders.parquet``'s table: every order of the cache in its final state.

        Parameters
        ----------
        reject_reasons : dict
            Client order id text -> reason of the rejection or denial.
        """
        columns: dict[str, list] = {name: [] for name in ORDERS_SCHEMA.names}
        orders = sorted(self.cache.orders(), key=lambda o: (o.ts_init, o.client_order_id.value))
        for order in orders:
            instrument = self._by_id.get(order.instrument_id.value)
            if instrument is None:
                continue
            cid = order.client_order_id.value
            columns["client_order_id"].append(cid)
            columns["venue_order_id"].append(
                None if order.venue_order_id is None else order.venue_order_id.value
            )
            columns["strategy_id"].append(order.strategy_id.value)
            columns["instrument_id"].append(order.instrument_id.value)
            columns["venue"].append(order.instrument_id.venue.value)
            columns["side"].append(Side(order.side).name)
            columns["order_type"].append(OrderType(order.order_type).name)
            columns["time_in_force"].append(TimeInForce(order.time_in_force).name)
            columns["post_only"].append(bool(order.is_post_only))
            columns["reduce_only"].append(bool(order.is_reduce_only))
            columns["price"].append(
                ""
                if order.order_type == OrderType.MARKET
                else str(instrument.ticks_to_price(order.price_ticks))
            )
            columns["quantity"].append(str(instrument.lots_to_size(order.quantity_lots)))
            columns["filled_quantity"].append(str(instrument.lots_to_size(order.filled_lots)))
            columns["avg_fill_price"].append(
                order.avg_fill_price_ticks * instrument.tick_size_f
                if order.filled_lots
                else math.nan
            )
            columns["status"].append(OrderStatus(order.status).name)
            columns["reject_reason"].append(reject_reasons.get(cid, ""))
            columns["ts_init"].append(order.ts_init)
            columns["ts_last"].append(order.ts_last)
        return pa.table(columns, schema=ORDERS_SCHEMA)

    def fills_table(self) -> pa.Table:
        """Return ``fills.parquet``'s table (fills in the order the OMS received them)."""
        columns: dict[str, list] = {name: [] for name in FILLS_SCHEMA.names}
        log = self.fill_log
        for index in range(log.count):
            (
                ts_event,
                ts_recv,
                client_order_id,
                venue_order_id,
                trade_id,
                strategy_id,
                instrument_id,
                side,
                price_ticks,
                qty_lots,
                liquidity,
                fee,
                mid_ticks,
            ) = log.row(index)
            instrument = self._by_id[instrument_id]
            price = instrument.ticks_to_price(price_ticks)
            quantity = instrument.lots_to_size(qty_lots)
            columns["ts_event"].append(ts_event)
            columns["ts_recv"].append(ts_recv)
            columns["client_order_id"].append(client_order_id)
            columns["venue_order_id"].append(venue_order_id)
            columns["trade_id"].append(trade_id)
            columns["strategy_id"].append(strategy_id)
            columns["instrument_id"].append(instrument_id)
            columns["venue"].append(instrument.id.venue.value)
            columns["side"].append(Side(side).name)
            columns["price"].append(str(price))
            columns["quantity"].append(str(quantity))
            columns["price_f64"].append(float(price))
            columns["quantity_f64"].append(float(quantity))
            columns["notional_f64"].append(float(instrument.notional(price_ticks, qty_lots)))
            columns["liquidity"].append(LiquiditySide(liquidity).name)
            columns["fee"].append(str(fee.as_decimal()))
            columns["fee_f64"].append(fee.as_double())
            columns["fee_asset"].append(fee.currency)
            columns["mid_at_fill_f64"].append(
                math.nan if mid_ticks is None else mid_ticks * instrument.tick_size_f
            )
        return pa.table(columns, schema=FILLS_SCHEMA)

    def equity_table(self) -> pa.Table:
        """Return ``equity.parquet``'s table."""
        return pa.table(self._equity, schema=EQUITY_SCHEMA)

    def write(self, run_dir: Path, run_info: dict, reject_reasons: dict[str, str]) -> None:
        """Write ``orders.parquet``, ``fills.parquet``, ``equity.parquet`` and ``run.json``.

        Parameters
        ----------
        run_dir : Path
            The run folder (created if missing).
        run_info : dict
            The ``run.json`` content; ``initial_equity`` is filled in here.
        reject_reasons : dict
            Client order id text -> rejection or denial reason.
        """
        run_dir.mkdir(parents=True, exist_ok=True)
        # No timestamps or writer metadata that vary between runs: same inputs, same bytes.
        options = {"compression": "zstd", "write_statistics": True, "store_schema": True}
        pq.write_table(self.orders_table(reject_reasons), run_dir / "orders.parquet", **options)
        pq.write_table(self.fills_table(), run_dir / "fills.parquet", **options)
        pq.write_table(self.equity_table(), run_dir / "equity.parquet", **options)
        info = dict(run_info)
        info["initial_equity"] = self.initial_equity if self.initial_equity is not None else 0.0
        (run_dir / "run.json").write_text(json.dumps(info, indent=2, sort_keys=False) + "\n")
