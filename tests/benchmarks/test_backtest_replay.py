"""Backtest replay throughput over a synthetic two-venue catalog.

Inputs are built outside the timed region: the catalog once per session (``hft data synth``,
``HFT_BENCH_REPLAY_EVENTS`` rows, default 5,000,000; or an existing catalog given by
``HFT_BENCH_CATALOG``), the node and engine before each round. A timed call replays the whole
catalog, so the table's times are per replay; events/s, orders and fills are printed and stored
in ``extra_info``.

Run::

    python -m pytest tests/benchmarks/test_backtest_replay.py --benchmark-only -s

Peak RSS of a streaming replay is measured in a child process (``test_replay_peak_rss``); for
the 50M-event figure, point ``HFT_BENCH_CATALOG`` at a catalog made with
``hft data synth --events 50000000 --out DIR``.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from backtest.catalog.reader import ParquetCatalog
from backtest.engine import BacktestEngine
from backtest.replay.merge import KWayMerge
from backtest.runner import build_backtest
from hftcore import Side, Strategy, StrategyConfig
from hftcore.model.enums import Environment
from hftcore.model.instrument import Instrument
from hftcore.node.node import TradingNode

EVENTS = int(os.environ.get("HFT_BENCH_REPLAY_EVENTS", "5000000"))
INSTRUMENTS = ["BTCUSDT.BINANCE", "BTC-USDT.OKX"]
ROUNDS = 3


@pytest.fixture(scope="session")
def catalog(tmp_path_factory) -> Path:
    given = os.environ.get("HFT_BENCH_CATALOG")
    if given:
        return Path(given)
    root = tmp_path_factory.mktemp("replay") / "catalog"
    subprocess.run(
        [sys.executable, "-m", "hftcore.cli", "data", "synth", "--events", str(EVENTS),
         "--out", str(root), "--no-progress"],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return root


class Requoter(Strategy):
    """Cancels and requotes 0.001 BTC at the best bid and ask of each venue every 100 ms."""

    def on_start(self) -> None:
        self.ids = [self.instrument(i).id for i in self.config.instruments]
        self.lots = {iid: self.instrument(iid).size_to_lots("0.001") for iid in self.ids}
        self.set_timer("requote", 100_000_000)

    def on_timer(self, event) -> None:
        self.cancel_all()
        for iid in self.ids:
            book = self.book(iid)
            if book.has_bid and book.has_ask:
                self.limit(iid, Side.BUY, self.lots[iid], book.best_bid_price_ticks)
                self.limit(iid, Side.SELL, self.lots[iid], book.best_ask_price_ticks)


class QuoteCounter(Strategy):
    """Subscribes to both venues' quotes (called on every top-of-book change)."""

    def on_start(self) -> None:
        self.quote_count = 0
        for instrument_id in self.config.instruments:
            self.subscribe_quotes(instrument_id)

    def on_quote(self, quote) -> None:
        self.quote_count += 1


def _replay_only(catalog: Path):
    source = ParquetCatalog(catalog)
    node = TradingNode(Environment.BACKTEST)
    for item in source.instruments:
        node.add_instrument(Instrument.from_dict(item))
    engine = BacktestEngine(node, KWayMerge(source.streams()), [])
    return (engine,), {}


def _report(benchmark, events: int, **counts) -> None:
    median_s = benchmark.stats.stats.median
    benchmark.extra_info.update(events=events, events_per_s=events / median_s, **counts)
    details = ", ".join(f"{key} {value:,}" for key, value in counts.items())
    print(
        f"\n{benchmark.name}: {events:,} events in {median_s:.3f} s (median) = "
        f"{events / median_s / 1e6:.2f} M events/s, {median_s / events * 1e9:.0f} ns/event"
        + (f"; {details}" if details else "")
    )


def test_replay_and_books_without_strategy(benchmark, catalog):
    events = benchmark.pedantic(
        lambda engine: engine.run(), setup=lambda: _replay_only(catalog), rounds=ROUNDS
    )
    _report(benchmark, events)


def _strategy_run(catalog: Path, strategy_type: type[Strategy], runs: list):
    strategy = strategy_type(StrategyConfig(instruments=INSTRUMENTS))
    run = build_backtest("benchmark.py", data=catalog, strategy=strategy)
    runs.append(run)
    return (run,), {}


def test_replay_with_a_python_strategy_requoting_every_100ms(benchmark, catalog):
    runs = []
    events = benchmark.pedantic(
        lambda run: run.run(), setup=lambda: _strategy_run(catalog, Requoter, runs), rounds=ROUNDS
    )
    last = runs[-1]
    _report(
        benchmark,
        events,
        orders=len(last.node.cache.orders()),
        fills=last.recorder.fill_count,
    )


def test_replay_with_a_quote_subscriber(benchmark, catalog):
    runs = []
    events = benchmark.pedantic(
        lambda run: run.run(),
        setup=lambda: _strategy_run(catalog, QuoteCounter, runs),
        rounds=ROUNDS,
    )
    _report(benchmark, events, quotes=runs[-1].strategy.quote_count)


RSS_SCRIPT = """
import resource
import sys
from backtest.catalog.reader import ParquetCatalog
from backtest.engine import BacktestEngine
from backtest.replay.merge import KWayMerge
from hftcore.model.enums import Environment
from hftcore.model.instrument import Instrument
from hftcore.node.node import TradingNode
source = ParquetCatalog(sys.argv[1])
node = TradingNode(Environment.BACKTEST)
for item in source.instruments:
    node.add_instrument(Instrument.from_dict(item))
events = BacktestEngine(node, KWayMerge(source.streams()), []).run()
print(events, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def test_replay_peak_rss(benchmark, catalog):
    def replay_in_child() -> tuple[int, int]:
        done = subprocess.run(
            [sys.executable, "-c", RSS_SCRIPT, str(catalog)],
            check=True,
            capture_output=True,
            text=True,
            cwd=Path(__file__).resolve().parents[2],
        )
        events, peak_kib = done.stdout.split()
        return int(events), int(peak_kib)

    events, peak_kib = benchmark.pedantic(replay_in_child, rounds=1)
    peak_mib = peak_kib / 1024
    benchmark.extra_info.update(events=events, peak_rss_mib=peak_mib)
    print(f"\npeak RSS of a {events:,}-event streaming replay: {peak_mib:.0f} MiB")
