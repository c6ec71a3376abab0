"""Benchmarks of the ready strategies' ``on_book`` and of negative-cycle detection.

Run (a few seconds on the 2-core machine)::

    python -m pytest tests/benchmarks/test_strategies.py --benchmark-only -s

Strategy rows: one timed call is one ``strategy.on_book(book)`` after one book update, so the
median column is ns per book update; the median and p99 over every update are printed and
stored in ``extra_info``. Each round's setup (not timed) applies the next update to the book
itself (not through the data engine, so ``on_book`` runs once, in the timed call), moves the
clock and answers the requests of the previous round (accepts, cancels, amends; ``xex_arb``'s
IOC legs fill), so every call sees a live book and a steady set of open orders. The
node has the backtest's risk engine (``RiskConfig()``: instrument rules, price band, self-trade
check): the calls that requote or trade include every order through risk and the OMS.

- ``as_maker``: the real Binance spot BTCUSDT depth capture of the shared data (3,449 diff
  batches; skipped without it).
- ``xex_arb``: two venues' fresh books (a snapshot per update, stamped 5 ms after the venue) on
  a random walk; without an opportunity (the common case: the touch check rejects); a replay in
  which 3 % of the OKX updates open a 30 bp cross that the strategy trades (the full
  distribution, trading updates included); and separately, every round, a book update that
  opens a crossed, depth-sized arbitrage (the trading update alone).
- ``tri_arb``: a USDT/BTC/ETH triangle whose books walk at random: edge refresh plus the
  incremental search.

Graph rows: ``ArbGraph`` with 50 assets and 300 edges. Without a negative cycle: a full
Bellman-Ford pass (it stops at the first round that changes nothing). With one: a full pass runs
all 50 rounds, then walks back (the worst case). One edge lowered, breaking the potentials of the
last full pass (the untimed setup of each round restores them), then the incremental search. One
edge raised, then the incremental search (nothing to search: the potentials still hold).
"""

import math
import random

import numpy as np
import pytest

from hftcore.model.enums import Environment, LiquiditySide, Side, TimeInForce
from hftcore.model.identifiers import TradeId, Venue, VenueOrderId
from hftcore.model.money import Money
from hftcore.model.order_events import OrderAccepted, OrderCanceled, OrderFilled, OrderUpdated
from hftcore.node.interfaces import ExecutionClient
from hftcore.node.node import TradingNode
from hftcore.quant.graph_arb import ArbGraph
from hftcore.risk.config import RiskConfig
from hftcore.risk.engine import RiskEngine
from strategies.as_maker import AsMaker, AsMakerConfig
from strategies.tri_arb import TriArb
from strategies.xex_arb import XexArb, XexArbConfig
from tests.builders.books import load_binance_depth_replay
from tests.builders.events import make_book_snapshot
from tests.builders.instruments import make_instrument

CAPTURE = "binance/hftbacktest_spot_btcusdt_20240808.jsonl.gz"
UPDATE_ROUNDS = 3_000
GRAPH_ROUNDS = 25
GRAPH_ITERATIONS = 200
T0 = 1_723_075_200_000_000_000
STEP_NS = 100_000_000


class AcknowledgingClient(ExecutionClient):
    """Venue double that queues what it is sent; `settle` accepts, cancels and amends it later.

    With ``fill_ioc``, an IOC order is filled in full at its limit once accepted.
    """

    def __init__(self, venue, node, fill_ioc=False):
        self.venue = Venue(venue)
        self.node = node
        self.fill_ioc = fill_ioc
        self.pending = []
        self.fill_count = 0

    def submit_order(self, order):
        self.pending.append(("accept", order))

    def cancel_order(self, order):
        self.pending.append(("cancel", order))

    def modify_order(self, order, price_ticks, quantity_lots):
        self.pending.append(("modify", order, price_ticks, quantity_lots))

    def settle(self):
        pending, self.pending = self.pending, []
        for action, order, *change in pending:
            ids = (order.strategy_id, order.instrument_id, order.client_order_id)
            if action == "accept" and not order.is_closed:
                self.node.exec_engine.process(OrderAccepted(*ids, VenueOrderId("V")))
                if self.fill_ioc and order.time_in_force == TimeInForce.IOC:
                    self.fill_count += 1
                    self.node.exec_engine.process(
                        OrderFilled(
                            *ids,
                            VenueOrderId("V"),
                            TradeId(f"T-{self.fill_count}"),
                            order.side,
                            order.price_ticks,
                            order.leaves_lots,
                            LiquiditySide.TAKER,
                            Money.from_str("0", "USDT"),
                        )
                    )
            elif action == "cancel" and not order.is_closed:
                self.node.exec_engine.process(OrderCanceled(*ids))
            elif action == "modify" and not order.is_closed:
                self.node.exec_engine.process(OrderUpdated(*ids, VenueOrderId("V"), *change))


def started_node(instruments, strategy, fill_ioc=False):
    node = TradingNode(Environment.BACKTEST, risk_engine=RiskEngine(RiskConfig()))
    node.clock.set_time(T0)
    for instrument in instruments:
        node.add_instrument(instrument)
        venue = instrument.id.venue.value
        if venue not in node.exec_clients:
            node.add_execution_client(AcknowledgingClient(venue, node, fill_ioc))
    node.add_strategy(strategy)
    node.start()
    return node


def settle(node):
    for client in node.exec_clients.values():
        client.settle()


def per_update(benchmark, strategy, updates, rounds=UPDATE_ROUNDS):
    """Time ``strategy.on_book(book)`` once per round after ``next(updates)()`` set it up."""
    book_of_round = {}

    def setup():
        book_of_round["book"] = next(updates)()
        return (book_of_round["book"],), {}

    benchmark.pedantic(strategy.on_book, setup=setup, rounds=rounds, warmup_rounds=10)
    times_ns = np.array(benchmark.stats.stats.data) * 1e9
    p99_ns = float(np.percentile(times_ns, 99))
    benchmark.extra_info["median_ns"] = float(np.median(times_ns))
    benchmark.extra_info["p99_ns"] = p99_ns
    print(f"\n{benchmark.name}: median {np.median(times_ns):,.0f} ns, p99 {p99_ns:,.0f} ns")


# -- AS_MAKER ----------------------------------------------------------------------------------


@pytest.mark.shared_data
def test_as_maker_on_book(benchmark, shared_data):
    capture = shared_data / CAPTURE
    if not capture.exists():
        pytest.skip(f"{capture}: capture missing")
    snapshot, batches = load_binance_depth_replay(capture)
    instrument = make_instrument(lot_size="0.00000001", min_quantity="0.00000001")
    strategy = AsMaker(AsMakerConfig(order_size="0.001", max_inventory="0.01"))
    node = started_node([instrument], strategy)
    node.data_engine.process(snapshot)
    book = node.cache.book(instrument.id)

    def updates():
        while True:
            for batch in batches:

                def apply(batch=batch):
                    settle(node)
                    node.clock.advance_time(max(node.clock.timestamp_ns(), batch.ts_recv))
                    book.apply_deltas(batch)
                    return book

                yield apply

    per_update(benchmark, strategy, updates())


# -- XEX_ARB -----------------------------------------------------------------------------------

BINANCE = make_instrument("BTCUSDT", "BINANCE", min_notional="0")
OKX = make_instrument("BTC-USDT", "OKX", tick_size="0.1", lot_size="0.00000001", min_notional="0")


def ladder(top_ticks, step_ticks, size_lots, levels=20):
    return [(top_ticks + i * step_ticks, size_lots) for i in range(levels)]


def xex_node(fill_ioc=False):
    strategy = XexArb(XexArbConfig(cooldown_ms=0.0, max_position="1000"))
    node = started_node([BINANCE, OKX], strategy, fill_ioc)
    return node, strategy


def feed(node, instrument_id, bids, asks, ts_ns):
    node.data_engine.process(
        make_book_snapshot(bids, asks, instrument_id, ts_event=ts_ns - 5_000_000, ts_recv=ts_ns)
    )


CROSS_OKX_TICKS = 1_800
"""An OKX book shifted up this much (30 bp at 60,000) bids over the Binance asks by more than
both taker fees (20 bp), the risk premium and the latency buffers."""


def xex_replay(node, cross_probability, seed):
    """Yield book updates of a random walk on both venues, each a fresh stamped snapshot.

    Each update moves the mid 0 or +-10 Binance ticks and rewrites one venue's 20-level ladders
    (the OKX mid in its 10x coarser ticks); with ``cross_probability`` an OKX update is shifted
    up by `CROSS_OKX_TICKS` (a cross the next OKX update closes again). Orders of the previous
    update are answered first.
    """
    rng = random.Random(seed)
    binance, okx = node.cache.book(BINANCE.id), node.cache.book(OKX.id)
    mid_ticks = 6_000_000
    now_ns = T0
    sequence = 1
    while True:

        def apply():
            nonlocal mid_ticks, now_ns, sequence
            settle(node)
            now_ns += STEP_NS // 2
            sequence += 1
            node.clock.advance_time(now_ns)
            mid_ticks += rng.choice((-10, 0, 10))
            if rng.random() < 0.5:
                book = binance
                bids = ladder(mid_ticks, -10, 2_000)
                asks = ladder(mid_ticks + 1, 10, 2_000)
            else:
                book = okx
                okx_bid = mid_ticks // 10
                if rng.random() < cross_probability:
                    okx_bid += CROSS_OKX_TICKS
                bids = ladder(okx_bid, -1, 200_000)
                asks = ladder(okx_bid + 1, 1, 200_000)
            book.apply_snapshot(
                make_book_snapshot(
                    bids, asks, book.instrument_id, sequence, now_ns - 5_000_000, now_ns
                )
            )
            return book

        yield apply


def test_xex_arb_on_book_without_an_opportunity(benchmark):
    node, strategy = xex_node()
    feed(node, OKX.id, ladder(600_000, -1, 200_000), ladder(600_001, 1, 200_000), T0)
    feed(node, BINANCE.id, ladder(6_000_000, -10, 2_000), ladder(6_000_001, 10, 2_000), T0)
    per_update(benchmark, strategy, xex_replay(node, 0.0, 3))
    assert strategy.arbitrage_count == 0


def test_xex_arb_on_book_replay_with_crosses(benchmark):
    node, strategy = xex_node(fill_ioc=True)
    feed(node, OKX.id, ladder(600_000, -1, 200_000), ladder(600_001, 1, 200_000), T0)
    feed(node, BINANCE.id, ladder(6_000_000, -10, 2_000), ladder(6_000_001, 10, 2_000), T0)
    per_update(benchmark, strategy, xex_replay(node, 0.03, 4), rounds=2 * UPDATE_ROUNDS)
    benchmark.extra_info["arbitrage_count"] = strategy.arbitrage_count
    print(f"arbitrages: {strategy.arbitrage_count} in {2 * UPDATE_ROUNDS + 10} updates")
    # About 1.5 % of the updates trade (3 % of the OKX half), and every arbitrage completed.
    assert strategy.arbitrage_count >= UPDATE_ROUNDS // 100
    assert strategy.repair_count == 0


def test_xex_arb_on_book_sizing_and_sending_an_arbitrage(benchmark):
    # The legs fill at the next round's settle, as IOC orders do: none stays open.
    node, strategy = xex_node(fill_ioc=True)
    okx = node.cache.book(OKX.id)
    # Asks 0.8 % under the OKX bids: every update opens an arbitrage across several levels.
    feed(node, BINANCE.id, ladder(5_950_000, -10, 2_000), ladder(5_950_001, 10, 50), T0)
    feed(node, OKX.id, ladder(600_000, -1, 200_000), ladder(600_001, 1, 200_000), T0)
    strategy.active = None

    def updates():
        while True:

            def apply():
                settle(node)
                strategy.active = None
                for leg in strategy.legs:
                    leg.position_lots = 0
                return okx

            yield apply

    per_update(benchmark, strategy, updates())
    assert strategy.arbitrage_count >= UPDATE_ROUNDS


# -- TRI_ARB -----------------------------------------------------------------------------------


def test_tri_arb_on_book(benchmark):
    instruments = [
        make_instrument("BTCUSDT", min_notional="0"),
        make_instrument("ETHUSDT", lot_size="0.0001", min_quantity="0.0001", min_notional="0"),
        make_instrument(
            "ETHBTC",
            tick_size="0.000001",
            lot_size="0.0001",
            min_quantity="0.0001",
            min_notional="0",
        ),
    ]
    strategy = TriArb()
    node = started_node(instruments, strategy)
    mids = {"BTCUSDT": 6_000_000, "ETHUSDT": 300_000, "ETHBTC": 50_000}
    steps = {"BTCUSDT": 10, "ETHUSDT": 1, "ETHBTC": 1}
    for instrument in instruments:
        symbol = instrument.id.symbol.value
        mid = mids[symbol]
        feed(
            node,
            instrument.id,
            ladder(mid, -steps[symbol], 10_000_000),
            ladder(mid + steps[symbol], steps[symbol], 10_000_000),
            T0,
        )
    rng = random.Random(5)
    books = [node.cache.book(instrument.id) for instrument in instruments]

    def updates():
        now_ns = T0
        while True:

            def apply():
                nonlocal now_ns
                now_ns += STEP_NS // 3
                node.clock.advance_time(now_ns)
                book = rng.choice(books)
                bid = book.best_bid_price_ticks
                book.update_level(Side.BUY, bid, rng.randint(1_000_000, 10_000_000))
                return book

            yield apply

    per_update(benchmark, strategy, updates())


# -- GRAPH -------------------------------------------------------------------------------------


def arbitrage_free_graph(assets=50, pairs=150, seed=9):
    """``assets`` nodes and ``2 * pairs`` edges from consistent log prices plus a cost > 0."""
    rng = np.random.default_rng(seed)
    log_prices = rng.normal(0.0, 2.0, assets)
    graph = ArbGraph(assets)
    chosen = set()
    # A ring first so every asset is connected, then random pairs.
    for node in range(assets):
        chosen.add((node, (node + 1) % assets))
    while len(chosen) < pairs:
        tail, head = (int(x) for x in rng.choice(assets, 2, replace=False))
        if (head, tail) not in chosen:
            chosen.add((tail, head))
    for tail, head in chosen:
        cost = 5e-4 + 1e-3 * rng.random()
        graph.set_edge(tail, head, log_prices[head] - log_prices[tail] + cost)
        graph.set_edge(head, tail, log_prices[tail] - log_prices[head] + cost)
    return graph, sorted(chosen)


def test_bellman_ford_full_pass_50_assets_300_edges(benchmark):
    graph, _ = arbitrage_free_graph()
    assert graph.edge_count == 300
    benchmark.pedantic(
        graph.find_negative_cycle,
        iterations=GRAPH_ITERATIONS,
        rounds=GRAPH_ROUNDS,
        warmup_rounds=1,
    )
    assert graph.find_negative_cycle() is None


def test_bellman_ford_full_pass_finding_a_cycle_50_assets_300_edges(benchmark):
    # A cycle makes the pass run all n rounds before it walks back: the worst case.
    graph, pairs = arbitrage_free_graph()
    tail, head = pairs[17]
    graph.set_edge(tail, head, graph.weight(tail, head) - 0.1)
    benchmark.pedantic(
        graph.find_negative_cycle,
        iterations=GRAPH_ITERATIONS,
        rounds=GRAPH_ROUNDS,
        warmup_rounds=1,
    )
    assert graph.find_negative_cycle() is not None


def test_incremental_search_after_one_lowered_edge_50_assets_300_edges(benchmark):
    graph, pairs = arbitrage_free_graph()
    tail, head = pairs[17]
    weight = graph.weight(tail, head)
    # Every cycle costs at least 1e-3, so lowering one edge by 9e-4 opens none.
    lowered = weight - 9e-4

    def restore():
        graph.set_edge(tail, head, weight)
        graph.find_negative_cycle()
        return (), {}

    def lower_and_search():
        graph.set_edge(tail, head, lowered)
        return graph.find_negative_cycle_incremental()

    restore()
    graph.set_edge(tail, head, lowered)
    assert graph.pending_change_count == 1
    benchmark.pedantic(lower_and_search, setup=restore, rounds=UPDATE_ROUNDS, warmup_rounds=10)
    assert graph.incremental_pass_count >= UPDATE_ROUNDS
    assert lower_and_search() is None


def test_edge_update_then_incremental_search_with_nothing_lowered(benchmark):
    graph, pairs = arbitrage_free_graph()
    graph.find_negative_cycle()
    tail, head = pairs[17]
    raised = graph.weight(tail, head) + 1e-4

    def raise_and_search():
        graph.set_edge(tail, head, raised)
        return graph.find_negative_cycle_incremental()

    benchmark.pedantic(
        raise_and_search, iterations=GRAPH_ITERATIONS, rounds=GRAPH_ROUNDS, warmup_rounds=1
    )
    assert math.isinf(graph.weight(head, head))
