"""Builders of backtest run folders, written exactly as the run-folder contract says.

``make_run_dir(tmp_path, fills=[...], equity=[...])`` writes ``orders.parquet``,
``fills.parquet``, ``equity.parquet`` (every contract column, contract types) and ``run.json``
from row dicts made by `make_order`, `make_fill` and `make_equity_row` / `make_equity_curve`;
`make_market_making_run` writes a realistic run of a two-sided quoting strategy on two
instruments (random-walk mids, quotes skewed by inventory, maker fills when the market trades
through a quote, taker fills to shed inventory, pulled quotes in volatile spells) whose
portfolio columns are consistent with its fills.
"""

import json
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from backtest.results import EQUITY_SCHEMA, FILLS_SCHEMA, ORDERS_SCHEMA

START_NS = 1_723_118_400_000_000_000
"""Default first sample time: 2024-08-08 12:00:00 UTC, ns."""

SECOND_NS = 1_000_000_000

INSTRUMENT_ID = "BTCUSDT.BINANCE"
"""Default instrument."""

INITIAL_EQUITY = 10_000.0
"""Default initial equity, USDT."""


def make_run_info(**overrides: Any) -> dict[str, Any]:
    """Return ``run.json`` contents with every contract key.

    Parameters
    ----------
    **overrides
        Keys to replace.

    Returns
    -------
    dict
        Defaults: strategy ``as_maker``, 1,000,000 events in 2.5 s, 10,000 USDT.
    """
    info = {
        "strategy": "as_maker",
        "strategy_file": "strategies/as_maker.py",
        "config": {"half_spread_bps": 1.5, "order_qty": "0.010", "max_position": "0.050"},
        "data": "data",
        "source": "parquet",
        "venues": ["BINANCE"],
        "instruments": [INSTRUMENT_ID],
        "start_ns": START_NS,
        "end_ns": START_NS + 600 * SECOND_NS,
        "seed": 0,
        "queue_model": "prob_queue",
        "latency_model": "constant",
        "events": 1_000_000,
        "wall_s": 2.5,
        "events_per_s": 400_000.0,
        "initial_equity": INITIAL_EQUITY,
        "quote_currency": "USDT",
        "hftcore_version": "0.1.0",
    }
    info.update(overrides)
    return info


def make_order(**overrides: Any) -> dict[str, Any]:
    """Return one ``orders.parquet`` row: a filled post-only limit buy unless overridden.

    Parameters
    ----------
    **overrides
        Columns to replace.

    Returns
    -------
    dict
        Every `ORDERS_SCHEMA` column.
    """
    order = {
        "client_order_id": "O-1",
        "venue_order_id": "V-1",
        "strategy_id": "as_maker-000",
        "instrument_id": INSTRUMENT_ID,
        "venue": "BINANCE",
        "side": "BUY",
        "order_type": "LIMIT",
        "time_in_force": "GTX",
        "post_only": True,
        "reduce_only": False,
        "price": "61737.5",
        "quantity": "0.010",
        "filled_quantity": "0.010",
        "avg_fill_price": 61737.5,
        "status": "FILLED",
        "reject_reason": "",
        "ts_init": START_NS,
        "ts_last": START_NS + SECOND_NS,
    }
    order.update(overrides)
    return order


def make_fill(**overrides: Any) -> dict[str, Any]:
    """Return one ``fills.parquet`` row; the float columns follow the exact strings.

    Parameters
    ----------
    **overrides
        Columns to replace; ``price``, ``quantity`` and ``fee`` (exact strings) set
        ``price_f64``, ``quantity_f64``, ``notional_f64`` and ``fee_f64`` unless those are
        given too.

    Returns
    -------
    dict
        Every `FILLS_SCHEMA` column. Default: a maker buy of 0.010 at 61737.5 with mid 61738.0
        and a fee of 0.0617375 USDT.
    """
    fill = {
        "ts_event": START_NS + SECOND_NS,
        "ts_recv": START_NS + SECOND_NS + 1_000_000,
        "client_order_id": "O-1",
        "venue_order_id": "V-1",
        "trade_id": "T-1",
        "strategy_id": "as_maker-000",
        "instrument_id": INSTRUMENT_ID,
        "venue": "BINANCE",
        "side": "BUY",
        "price": "61737.5",
        "quantity": "0.010",
        "liquidity": "MAKER",
        "fee": "0.0617375",
        "fee_asset": "USDT",
        "mid_at_fill_f64": 61738.0,
    }
    fill.update({key: value for key, value in overrides.items() if not key.endswith("_f64")})
    price, quantity = Decimal(fill["price"]), Decimal(fill["quantity"])
    fill["price_f64"] = float(price)
    fill["quantity_f64"] = float(quantity)
    fill["notional_f64"] = float(price * quantity)
    fill["fee_f64"] = float(Decimal(fill["fee"]))
    fill.update(overrides)
    return {name: fill[name] for name in FILLS_SCHEMA.names}


def make_equity_row(**overrides: Any) -> dict[str, Any]:
    """Return one ``equity.parquet`` row: flat at `INITIAL_EQUITY`, quoting both sides.

    Parameters
    ----------
    **overrides
        Columns to replace.

    Returns
    -------
    dict
        Every `EQUITY_SCHEMA` column.
    """
    row = {
        "ts": START_NS,
        "instrument_id": INSTRUMENT_ID,
        "mid_f64": 61738.0,
        "position_f64": 0.0,
        "our_bid_f64": 61737.5,
        "our_ask_f64": 61738.5,
        "equity_f64": INITIAL_EQUITY,
        "pnl_f64": 0.0,
        "realized_pnl_f64": 0.0,
        "unrealized_pnl_f64": 0.0,
        "fees_f64": 0.0,
    }
    row.update(overrides)
    return row


def make_equity_curve(
    equity: Sequence[float],
    interval_ns: int = SECOND_NS,
    start_ns: int = START_NS,
    initial_equity: float = INITIAL_EQUITY,
    **overrides: Any,
) -> list[dict[str, Any]]:
    """Return one instrument's ``equity.parquet`` rows for a portfolio equity curve.

    Parameters
    ----------
    equity : sequence of float
        Equity at each sample; ``pnl_f64`` is ``equity - initial_equity``, all of it realized.
    interval_ns : int, default 1 s
        Time between samples.
    start_ns : int, default `START_NS`
        Time of the first sample.
    initial_equity : float, default `INITIAL_EQUITY`
        Subtracted from equity to get the PnL.
    **overrides
        Columns to set on every row.

    Returns
    -------
    list of dict
        One row per sample.
    """
    return [
        make_equity_row(
            ts=start_ns + index * interval_ns,
            equity_f64=value,
            pnl_f64=value - initial_equity,
            realized_pnl_f64=value - initial_equity,
            **overrides,
        )
        for index, value in enumerate(equity)
    ]


def make_run_dir(
    tmp_path: Path,
    *,
    orders: Iterable[Mapping[str, Any]] = (),
    fills: Iterable[Mapping[str, Any]] = (),
    equity: Iterable[Mapping[str, Any]] = (),
    run: Mapping[str, Any] | None = None,
    name: str = "as_maker-20240808T120000Z",
) -> Path:
    """Write a run folder under ``tmp_path`` and return its path.

    Parameters
    ----------
    tmp_path : Path
        Parent directory.
    orders, fills, equity : iterable of Mapping
        Rows of each Parquet file (`make_order`, `make_fill`, `make_equity_row`); empty files
        keep the contract schema.
    run : Mapping, optional
        ``run.json`` contents; `make_run_info()` when omitted.
    name : str
        Folder name.

    Returns
    -------
    Path
        The run folder.
    """
    run_dir = tmp_path / name
    run_dir.mkdir(parents=True)
    for file_name, rows, schema in (
        ("orders.parquet", orders, ORDERS_SCHEMA),
        ("fills.parquet", fills, FILLS_SCHEMA),
        ("equity.parquet", equity, EQUITY_SCHEMA),
    ):
        pq.write_table(pa.Table.from_pylist(list(rows), schema=schema), run_dir / file_name)
    info = make_run_info() if run is None else dict(run)
    (run_dir / "run.json").write_text(json.dumps(info, indent=2), encoding="utf-8")
    return run_dir


def make_long_run(
    tmp_path: Path,
    *,
    samples: int = 200_000,
    fill_count: int = 4_000,
    seed: int = 3,
    name: str = "as_maker-long",
) -> Path:
    """Write a long one-instrument run fast (numpy columns): for size and downsampling tests.

    Parameters
    ----------
    tmp_path : Path
        Parent directory.
    samples : int, default 200,000
        Equity samples at 1 s (about 55 hours).
    fill_count : int, default 4,000
        Maker fills, alternating buy and sell at random samples; orders are those fills.
    seed : int, default 3
        Seed of the random walks.
    name : str
        Folder name.

    Returns
    -------
    Path
        The run folder. Quotes are pulled (NaN) for the middle tenth of the run.
    """
    rng = np.random.default_rng(seed)
    ts_ns = START_NS + np.arange(samples, dtype=np.int64) * SECOND_NS
    mid = 61_738.0 * np.exp(np.cumsum(rng.normal(0.0, 1e-4, samples)))
    equity = INITIAL_EQUITY + np.cumsum(rng.normal(0.002, 0.05, samples))
    bid = np.round(mid * (1 - 2.5e-4), 1)
    ask = np.round(mid * (1 + 2.5e-4), 1)
    bid[samples * 9 // 20 : samples * 11 // 20] = np.nan
    ask[samples * 9 // 20 : samples * 11 // 20] = np.nan
    fill_at = np.sort(rng.choice(samples, size=fill_count, replace=False))
    is_buy = np.arange(fill_count) % 2 == 0
    position = np.zeros(samples)
    np.add.at(position, fill_at, np.where(is_buy, 0.01, -0.01))
    equity_table = pa.table(
        {
            "ts": ts_ns,
            "instrument_id": [INSTRUMENT_ID] * samples,
            "mid_f64": mid,
            "position_f64": np.round(np.cumsum(position), 8),
            "our_bid_f64": bid,
            "our_ask_f64": ask,
            "equity_f64": equity,
            "pnl_f64": equity - INITIAL_EQUITY,
            "realized_pnl_f64": equity - INITIAL_EQUITY,
            "unrealized_pnl_f64": np.zeros(samples),
            "fees_f64": np.linspace(0.0, -5.0, samples),
        },
        schema=EQUITY_SCHEMA,
    )
    fills = [
        make_fill(
            ts_event=int(ts_ns[at]),
            ts_recv=int(ts_ns[at]) + 1_000_000,
            client_order_id=f"O-{number}",
            trade_id=f"T-{number}",
            side="BUY" if buy else "SELL",
            price=f"{(bid if buy else ask)[at] if np.isfinite(bid[at]) else mid[at]:.1f}",
            quantity="0.010",
            fee="-0.03",
            mid_at_fill_f64=float(mid[at]),
        )
        for number, (at, buy) in enumerate(zip(fill_at.tolist(), is_buy.tolist(), strict=True))
    ]
    orders = [
        make_order(client_order_id=fill["client_order_id"], side=fill["side"], price=fill["price"])
        for fill in fills
    ]
    run_dir = make_run_dir(
        tmp_path,
        orders=orders,
        fills=fills,
        run=make_run_info(end_ns=int(ts_ns[-1]), seed=seed),
        name=name,
    )
    pq.write_table(equity_table, run_dir / "equity.parquet")
    return run_dir


# -- A REALISTIC RUN --

MAKER_FEE_RATE = Decimal("-0.00005")
TAKER_FEE_RATE = Decimal("0.0004")

_MARKETS = (
    # instrument id, start mid, tick, order quantity, per-sample volatility, max position
    ("BTCUSDT.BINANCE", 61_738.0, Decimal("0.1"), Decimal("0.010"), 0.00012, Decimal("0.050")),
    ("ETHUSDT.BINANCE", 2_651.2, Decimal("0.01"), Decimal("0.20"), 0.00016, Decimal("1.00")),
)


def make_market_making_run(
    tmp_path: Path,
    *,
    samples: int = 1_800,
    instruments: int = 2,
    seed: int = 7,
    interval_ns: int = SECOND_NS,
    name: str = "as_maker-20240808T120000Z",
) -> Path:
    """Write the run folder of a simulated two-sided market maker.

    Parameters
    ----------
    tmp_path : Path
        Parent directory.
    samples : int, default 1,800
        Equity samples per instrument (30 minutes at 1 s).
    instruments : int, default 2
        1 (BTCUSDT.BINANCE) or 2 (plus ETHUSDT.BINANCE).
    seed : int, default 7
        Seed of the price path and fills.
    interval_ns : int, default 1 s
        Time between samples.
    name : str
        Folder name.

    Returns
    -------
    Path
        The run folder; every file follows the contract and the portfolio columns agree with
        the fills (equity = cash + positions marked to mid).
    """
    rng = np.random.default_rng(seed)
    markets = _MARKETS[:instruments]
    book = _Book(INITIAL_EQUITY)
    rows: list[dict[str, Any]] = []
    mids = [start for _, start, *_ in markets]
    for step in range(samples):
        ts_ns = START_NS + step * interval_ns
        sample_rows = []
        for index, (instrument_id, _, tick, quantity, volatility, max_position) in enumerate(
            markets
        ):
            is_volatile = 600 <= step % 900 < 660
            shock = volatility * (3.0 if is_volatile else 1.0)
            previous_mid = mids[index]
            mid = mids[index] = previous_mid * float(np.exp(rng.normal(0.0, shock)))
            high = max(previous_mid, mid) * (1 + abs(rng.normal(0, shock / 2)))
            low = min(previous_mid, mid) * (1 - abs(rng.normal(0, shock / 2)))
            fill_ts = ts_ns - interval_ns + int(rng.integers(1, interval_ns))
            bid_order = book.open_orders.get((instrument_id, "BUY"))
            if bid_order is not None and low <= float(bid_order["price"]):
                book.fill(bid_order, Decimal(bid_order["price"]), "MAKER", fill_ts, previous_mid)
            ask_order = book.open_orders.get((instrument_id, "SELL"))
            if ask_order is not None and high >= float(ask_order["price"]):
                book.fill(ask_order, Decimal(ask_order["price"]), "MAKER", fill_ts, previous_mid)
            position = book.position(instrument_id)
            if abs(position) >= 3 * quantity and rng.random() < 0.2:
                side = "SELL" if position > 0 else "BUY"
                away = Decimal("0.9999") if side == "SELL" else Decimal("1.0001")
                order = book.new_order(instrument_id, side, "MARKET", "", quantity, ts_ns - 1)
                book.fill(order, _round_to(Decimal(str(mid)) * away, tick), "TAKER", ts_ns - 1, mid)
            quotes = book.quotes(instrument_id, mid, tick, quantity, max_position)
            for side, price in zip(("BUY", "SELL"), quotes, strict=True):
                book.requote(instrument_id, side, None if is_volatile else price, quantity, ts_ns)
            book.marks[instrument_id] = mid
            sample_rows.append(
                {
                    "ts": ts_ns,
                    "instrument_id": instrument_id,
                    "mid_f64": mid,
                    "position_f64": float(book.position(instrument_id)),
                    "our_bid_f64": book.quote_price(instrument_id, "BUY"),
                    "our_ask_f64": book.quote_price(instrument_id, "SELL"),
                }
            )
        totals = book.totals()
        rows.extend({**row, **totals} for row in sample_rows)
    info = make_run_info(
        instruments=[market[0] for market in markets],
        start_ns=START_NS,
        end_ns=START_NS + samples * interval_ns,
        events=samples * 240 * len(markets),
        wall_s=round(samples * 240 * len(markets) / 450_000.0, 3),
        events_per_s=450_000.0,
        seed=seed,
    )
    return make_run_dir(
        tmp_path, orders=book.orders, fills=book.fills, equity=rows, run=info, name=name
    )


def _round_to(value: Decimal, step: Decimal) -> Decimal:
    return (value / step).to_integral_value() * step


class _Book:
    """Cash, positions, average prices, orders and fills of the simulated market maker."""

    def __init__(self, initial_equity: float) -> None:
        self.initial_equity = initial_equity
        self.cash = Decimal(str(initial_equity))
        self.fees = Decimal(0)
        self.positions: dict[str, Decimal] = {}
        self.avg_prices: dict[str, Decimal] = {}
        self.marks: dict[str, float] = {}
        self.orders: list[dict[str, Any]] = []
        self.fills: list[dict[str, Any]] = []
        self.open_orders: dict[tuple[str, str], dict[str, Any]] = {}

    def position(self, instrument_id: str) -> Decimal:
        return self.positions.get(instrument_id, Decimal(0))

    def quotes(
        self,
        instrument_id: str,
        mid: float,
        tick: Decimal,
        quantity: Decimal,
        max_position: Decimal,
    ) -> tuple[Decimal | None, Decimal | None]:
        """Bid and ask 2.5 bps from mid, skewed against inventory; None past the limit."""
        position = self.position(instrument_id)
        skew = float(position / max_position) * 2.5e-4
        mid_decimal = Decimal(str(mid))
        bid = _round_to(mid_decimal * Decimal(str(1 - 2.5e-4 - skew)), tick)
        ask = _round_to(mid_decimal * Decimal(str(1 + 2.5e-4 - skew)), tick)
        return (
            bid if position + quantity <= max_position else None,
            ask if position - quantity >= -max_position else None,
        )

    def quote_price(self, instrument_id: str, side: str) -> float:
        order = self.open_orders.get((instrument_id, side))
        return float("nan") if order is None else float(order["price"])

    def requote(
        self, instrument_id: str, side: str, price: Decimal | None, quantity: Decimal, ts_ns: int
    ) -> None:
        """Keep the open order at ``price``, else cancel it and place one there (if any)."""
        order = self.open_orders.get((instrument_id, side))
        if order is not None and price is not None and Decimal(order["price"]) == price:
            return
        if order is not None:
            order.update(status="CANCELED", ts_last=ts_ns)
            del self.open_orders[(instrument_id, side)]
        if price is not None:
            self.open_orders[(instrument_id, side)] = self.new_order(
                instrument_id, side, "LIMIT", str(price), quantity, ts_ns
            )

    def fill(
        self, order: dict[str, Any], price: Decimal, liquidity: str, ts_ns: int, mid: float
    ) -> None:
        """Fill ``order`` completely at ``price`` and book cash, position and fee."""
        instrument_id, side = order["instrument_id"], order["side"]
        if liquidity == "MAKER":
            del self.open_orders[(instrument_id, side)]
        quantity = Decimal(order["quantity"])
        rate = MAKER_FEE_RATE if liquidity == "MAKER" else TAKER_FEE_RATE
        fee = price * quantity * rate
        order.update(
            filled_quantity=order["quantity"],
            avg_fill_price=float(price),
            status="FILLED",
            ts_last=ts_ns,
        )
        self.fills.append(
            make_fill(
                ts_event=ts_ns,
                ts_recv=ts_ns + 2_000_000,
                client_order_id=order["client_order_id"],
                venue_order_id=order["venue_order_id"],
                trade_id=f"T-{len(self.fills) + 1}",
                instrument_id=instrument_id,
                side=side,
                price=str(price),
                quantity=order["quantity"],
                liquidity=liquidity,
                fee=str(fee),
                mid_at_fill_f64=mid,
            )
        )
        signed = quantity if side == "BUY" else -quantity
        self._apply(instrument_id, signed, price)
        self.cash -= signed * price + fee
        self.fees += fee

    def totals(self) -> dict[str, float]:
        """Portfolio columns of a sample: equity marked to mid, PnL split, fees.

        As the engine's ledger does, realized PnL excludes fees: pnl = realized + unrealized - fees.
        """
        unrealized = sum(
            float(position) * (self.marks[instrument_id] - float(self.avg_prices[instrument_id]))
            for instrument_id, position in self.positions.items()
            if position
        )
        equity = float(self.cash) + sum(
            float(position) * self.marks[instrument_id]
            for instrument_id, position in self.positions.items()
        )
        pnl = equity - self.initial_equity
        return {
            "equity_f64": equity,
            "pnl_f64": pnl,
            "realized_pnl_f64": pnl - unrealized + float(self.fees),
            "unrealized_pnl_f64": unrealized,
            "fees_f64": float(self.fees),
        }

    def new_order(
        self,
        instrument_id: str,
        side: str,
        order_type: str,
        price: str,
        quantity: Decimal,
        ts_ns: int,
    ) -> dict[str, Any]:
        number = len(self.orders) + 1
        order = make_order(
            client_order_id=f"O-{number}",
            venue_order_id=f"V-{number}",
            instrument_id=instrument_id,
            side=side,
            order_type=order_type,
            time_in_force="GTX" if order_type == "LIMIT" else "IOC",
            post_only=order_type == "LIMIT",
            price=price,
            quantity=str(quantity),
            filled_quantity="0",
            avg_fill_price=float("nan"),
            status="ACCEPTED",
            ts_init=ts_ns,
            ts_last=ts_ns,
        )
        self.orders.append(order)
        return order

    def _apply(self, instrument_id: str, signed: Decimal, price: Decimal) -> None:
        position = self.position(instrument_id)
        new_position = position + signed
        if position == 0 or (position > 0) == (signed > 0):
            average = self.avg_prices.get(instrument_id, price)
            self.avg_prices[instrument_id] = (average * position + price * signed) / new_position
        elif new_position == 0 or (new_position > 0) != (position > 0):
            self.avg_prices[instrument_id] = price
        self.positions[instrument_id] = new_position
