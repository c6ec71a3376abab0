"""Builders for backtest tests: a matching engine over a hand-made book, orders, catalogs.

Hand-computed scenarios use ``make_simple_instrument``: tick 1, lot 1 (prices and sizes read as
plain integers), no minimum notional, maker fee 1 bp and taker fee 5 bp.
"""

from collections.abc import Iterable
from pathlib import Path

import pyarrow as pa

from backtest.account import SimAccount
from backtest.catalog.writer import CatalogWriter
from backtest.config import parse_queue_model
from backtest.matching.engine import MatchingEngine
from backtest.matching.reports import ReportQueue, VenueIds
from backtest.models.fees import FeeSchedule
from backtest.models.latency import ConstantLatency
from backtest.runner import build_backtest
from hftcore.model.enums import OrderType, Side, TimeInForce
from hftcore.model.identifiers import ClientOrderId, StrategyId
from hftcore.model.instrument import Instrument
from hftcore.model.order import Order
from hftcore.strategy.config import StrategyConfig
from hftcore.strategy.strategy import Strategy

MAKER_FEE = "0.0001"
"""Maker fee rate of ``make_simple_instrument``."""

TAKER_FEE = "0.0005"
"""Taker fee rate of ``make_simple_instrument``."""

SIMPLE_BIDS = ((100, 10), (99, 20), (98, 30))
"""Default venue bids ``(price_ticks, size_lots)``, best first."""

SIMPLE_ASKS = ((101, 10), (102, 20), (103, 30))
"""Default venue asks, best first."""


def make_simple_instrument(
    symbol: str = "BTCUSDT",
    venue: str = "BINANCE",
    kind: str = "SPOT",
    min_quantity: str = "1",
    min_notional: str = "0",
) -> Instrument:
    """Return an instrument with tick 1 and lot 1 (ticks and lots are prices and sizes)."""
    return Instrument.from_dict(
        {
            "id": f"{symbol}.{venue}",
            "kind": kind,
            "base": "BTC",
            "quote": "USDT",
            "settle": "USDT",
            "tick_size": "1",
            "lot_size": "1",
            "min_quantity": min_quantity,
            "min_notional": min_notional,
            "maker_fee": MAKER_FEE,
            "taker_fee": TAKER_FEE,
            "multiplier": "1",
            "expiry_ns": 0,
        }
    )


def make_matching_engine(
    instrument: Instrument | None = None,
    queue_model: str = "risk_averse",
    balances: dict | None = None,
    fee_asset: str = "quote",
    bids: Iterable[tuple[int, int]] = SIMPLE_BIDS,
    asks: Iterable[tuple[int, int]] = SIMPLE_ASKS,
    response_latency_ns: int = 0,
    leverage: str = "1",
) -> MatchingEngine:
    """Return a matching engine whose venue book holds ``bids`` and ``asks``."""
    instrument = instrument or make_simple_instrument()
    account = SimAccount(
        instrument.id.venue.value,
        {"USDT": "1000000", "BTC": "1000"} if balances is None else balances,
        leverage,
    )
    engine = MatchingEngine(
        instrument,
        FeeSchedule(instrument.maker_fee, instrument.taker_fee, fee_asset),
        parse_queue_model(queue_model),
        account,
        ReportQueue(ConstantLatency(0, response_latency_ns)),
        VenueIds(instrument.id.venue.value),
    )
    for price, size in bids:
        engine.apply_book_level(Side.BUY, price, size)
    for price, size in asks:
        engine.apply_book_level(Side.SELL, price, size)
    return engine


_ORDER_COUNT = [0]


def make_order(
    side: Side,
    quantity_lots: int,
    price_ticks: int = 0,
    instrument: Instrument | None = None,
    order_type: OrderType | None = None,
    time_in_force: TimeInForce = TimeInForce.GTC,
    post_only: bool = False,
    reduce_only: bool = False,
    client_order_id: str | None = None,
) -> Order:
    """Return an ``Order`` (LIMIT when a price is given, else MARKET IOC)."""
    instrument = instrument or make_simple_instrument()
    if order_type is None:
        order_type = OrderType.LIMIT if price_ticks else OrderType.MARKET
    if order_type == OrderType.MARKET:
        time_in_force = TimeInForce.IOC
    if client_order_id is None:
        _ORDER_COUNT[0] += 1
        client_order_id = f"T{_ORDER_COUNT[0]}"
    return Order(
        ClientOrderId(client_order_id),
        StrategyId("S1"),
        instrument.id,
        side,
        order_type,
        quantity_lots,
        price_ticks,
        time_in_force,
        post_only,
        reduce_only,
        0,
    )


def reports(engine: MatchingEngine) -> list:
    """Remove and return every report the engine's venue has queued."""
    return engine.reports.pop_until(2**63 - 1)


def book_rows(rows: Iterable[tuple]) -> pa.Table:
    """Return a catalog book table from ``(ts_recv, ts_event, side, price, size, flags)`` rows.

    ``side`` is 1 (bid) or 2 (ask); size 0 deletes; ``flags`` bit 0 marks the last row of a
    message (default action UPDATE, DELETE for size 0).
    """
    rows = list(rows)
    return pa.table(
        {
            "ts_recv": [r[0] for r in rows],
            "ts_event": [r[1] for r in rows],
            "sequence": [0] * len(rows),
            "side": [r[2] for r in rows],
            "price_ticks": [r[3] for r in rows],
            "size_lots": [r[4] for r in rows],
            "action": [3 if r[4] == 0 else 2 for r in rows],
            "flags": [r[5] for r in rows],
        }
    )


def trade_rows(rows: Iterable[tuple]) -> pa.Table:
    """Return a catalog trades table from ``(ts_recv, ts_event, price, size, aggressor)`` rows."""
    rows = list(rows)
    return pa.table(
        {
            "ts_recv": [r[0] for r in rows],
            "ts_event": [r[1] for r in rows],
            "price_ticks": [r[2] for r in rows],
            "size_lots": [r[3] for r in rows],
            "aggressor": [r[4] for r in rows],
            "trade_id": [f"t{i}" for i in range(len(rows))],
        }
    )


def write_catalog(root: Path, instruments: list[Instrument], data: dict) -> Path:
    """Write a catalog: ``data`` maps ``(kind, instrument_id)`` to a table of that kind."""
    with CatalogWriter(root, [instrument.to_dict() for instrument in instruments]) as writer:
        for (kind, instrument_id), table in data.items():
            writer.write(kind, instrument_id, table)
    return root


class ScriptedStrategy(Strategy):
    """A strategy that runs ``script`` steps at given local times and records what it sees.

    Parameters
    ----------
    instruments : list of str
        Instrument ids it trades.
    script : list of tuple
        ``(at_ns, step)`` pairs; ``step(strategy)`` runs when the clock reaches ``at_ns``.
    subscribe_quotes : bool
        Subscribe to every instrument's quotes (recorded in ``quotes``).
    """

    def __init__(self, instruments, script=(), subscribe_quotes=False) -> None:
        super().__init__(StrategyConfig(instruments=list(instruments)))
        self.script = list(script)
        self.wants_quotes = subscribe_quotes
        self.events: list[tuple[int, object]] = []
        self.quotes: list[tuple[int, object]] = []
        self.orders: list = []

    def on_start(self) -> None:
        """Arm one time alert per step."""
        for index, (at_ns, _) in enumerate(self.script):
            self.set_time_alert(f"step{index}", at_ns)
        if self.wants_quotes:
            for instrument_id in self.config.instruments:
                self.subscribe_quotes(instrument_id)

    def on_timer(self, event) -> None:
        """Run the step whose alert fired."""
        self.script[int(event.name[4:])][1](self)

    def on_quote(self, quote) -> None:
        """Record the quote with the local time it was seen."""
        self.quotes.append((self.clock.timestamp_ns(), quote))

    def on_order_update(self, event) -> None:
        """Record the order event with the local time it was seen."""
        self.events.append((self.clock.timestamp_ns(), event))

    def seen(self, kind: str) -> list[tuple[int, object]]:
        """Return the recorded events of type ``kind`` (e.g. ``"OrderFilled"``)."""
        return [(ts, e) for ts, e in self.events if type(e).__name__ == kind]


def run_scenario(
    root: Path,
    strategy: Strategy,
    instruments: list[Instrument],
    data: dict,
    backtest_toml: str = "",
):
    """Write a catalog and a ``[backtest]`` config under ``root``, run, return the run."""
    write_catalog(root / "catalog", instruments, data)
    config = root / "backtest.toml"
    config.write_text("[backtest]\n" + backtest_toml)
    run = build_backtest(
        "scripted.py", config_file=config, data=root / "catalog", strategy=strategy
    )
    run.run()
    return run
