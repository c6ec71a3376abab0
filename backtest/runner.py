"""Assemble and run one backtest: data source, node, simulated venues, strategy, results.

``run_backtest`` is what ``hft backtest`` calls; tests and notebooks call it directly (or build
the pieces with ``build_backtest`` to drive them). The node is the same ``TradingNode`` a live
run uses, with the same ``RiskEngine`` (``[risk]``) and ``Portfolio`` (``[portfolio]``); only
the clock (a ``TestClock``), the data source (the replay) and the execution clients (one
``SimExecutionClient`` per venue found in the data) differ.
"""

from __future__ import annotations

import datetime as dt
import gc
import time
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from adapters.sim.execution import SimExecutionClient
from backtest.account import SimAccount
from backtest.catalog.reader import open_source
from backtest.config import (
    DEFAULT_BASE_BALANCE,
    DEFAULT_QUOTE_BALANCE,
    BacktestConfig,
    load_backtest_config,
    load_backtest_portfolio_config,
    load_backtest_risk_config,
    parse_feed_latency,
    parse_latency,
    parse_queue_model,
)
from backtest.engine import BacktestEngine
from backtest.matching.venue import SimulatedVenue
from backtest.models.fees import FeeSchedule
from backtest.reject_log import RejectLog
from backtest.replay.merge import KWayMerge
from backtest.results import RunRecorder, VenueEquity
from hftcore import __version__
from hftcore.errors import ConfigError, DataUnavailableError
from hftcore.model.enums import Environment
from hftcore.model.identifiers import Venue
from hftcore.model.instrument import Instrument
from hftcore.node.node import TradingNode
from hftcore.portfolio import InitialBalance, Portfolio, PortfolioConfig
from hftcore.risk import RiskEngine
from hftcore.strategy.config import load_strategy_config
from hftcore.strategy.loader import load_strategy_class


class InstrumentsNotInDataError(DataUnavailableError):
    """The catalog lacks instruments the strategy's config lists.

    Parameters
    ----------
    missing : list of str
        The instrument ids not in the catalog, sorted.
    """

    def __init__(self, missing: list[str]) -> None:
        super().__init__(f"strategy instruments {missing} are not in the data")
        self.missing = missing


GC_REPLAY_THRESHOLD = 100_000
"""Allocations between first-generation garbage collections during a replay (Python: 700)."""


@dataclass
class BacktestRun:
    """Everything a backtest is made of, built by ``build_backtest``.

    Attributes
    ----------
    node : TradingNode
        The node (clock, bus, cache, data engine, OMS, risk engine, portfolio, strategy).
    engine : BacktestEngine
        The replay engine.
    venues : list of SimulatedVenue
        The simulated venues, by venue name order.
    recorder : RunRecorder
        Collects fills and equity samples.
    strategy : Strategy
        The strategy instance.
    instruments : list of Instrument
        The instruments replayed.
    config : BacktestConfig
        The ``[backtest]`` settings used.
    run_info : dict
        ``run.json`` content so far.
    reject_log : RejectLog
        Rejection and denial reasons by client order id.
    """

    node: TradingNode
    engine: BacktestEngine
    venues: list
    recorder: RunRecorder
    strategy: object
    instruments: list
    config: BacktestConfig
    run_info: dict
    reject_log: RejectLog
    total_rows: int = 0
    wall_s: float = field(default=0.0)

    def run(self) -> int:
        """Replay everything; return the number of rows replayed.

        The objects built so far are moved out of the garbage collector's sight
        (``gc.freeze``) and its first generation is collected less often during the replay:
        orders and reports are acyclic, and scanning a growing order cache over and over cost
        a sixth of a backtest's time. There is no collection before the freeze: building a run
        leaves no cyclic garbage, and a full pass over the ~80k objects the imports and the
        build made cost 2-4% of a benchmark replay; anything frozen is collectable again after.
        """
        thresholds = gc.get_threshold()
        gc.freeze()
        gc.set_threshold(GC_REPLAY_THRESHOLD, thresholds[1], thresholds[2])
        started = time.perf_counter()
        try:
            events = self.engine.run()
        finally:
            self.wall_s = time.perf_counter() - started
            gc.set_threshold(*thresholds)
            gc.unfreeze()
        self.run_info["events"] = events
        self.run_info["wall_s"] = self.wall_s
        self.run_info["events_per_s"] = events / self.wall_s if self.wall_s > 0 else 0.0
        self.run_info["start_ns"] = self.engine.first_ns
        self.run_info["end_ns"] = self.node.clock.timestamp_ns()
        return events

    def write(self, run_dir: Path) -> Path:
        """Write the run folder (orders, fills, equity, run.json) and return it."""
        self.recorder.write(run_dir, self.run_info, self.reject_log.reasons)
        return run_dir


def _venue_balances(venue_config, instruments: list[Instrument]) -> dict:
    if venue_config is not None and venue_config.balances:
        return dict(venue_config.balances)
    # An asset that is the base of a spot pair gets the base default, even where it is also a
    # quote (BTC of ETH-BTC): what a pair is listed under does not change what it is worth.
    balances: dict[str, str] = {
        instrument.base: DEFAULT_BASE_BALANCE
        for instrument in instruments
        if instrument.kind.name == "SPOT"
    }
    for instrument in instruments:
        balances.setdefault(instrument.quote, DEFAULT_QUOTE_BALANCE)
        balances.setdefault(instrument.settle, DEFAULT_QUOTE_BALANCE)
    return balances


def _portfolio_config(
    base: PortfolioConfig, balances_by_venue: dict[str, dict[str, str]]
) -> PortfolioConfig:
    """Return ``base`` with the simulated venues' starting balances as its balances."""
    import msgspec

    balances = [
        InitialBalance(venue=venue, asset=asset, amount=Decimal(amount))
        for venue, venue_balances in sorted(balances_by_venue.items())
        for asset, amount in sorted(venue_balances.items())
    ]
    return msgspec.structs.replace(base, balances=balances)


def _fee_schedule(instrument: Instrument, venue_config, config: BacktestConfig) -> FeeSchedule:
    maker = instrument.maker_fee
    taker = instrument.taker_fee
    fee_asset = config.fee_asset
    if venue_config is not None:
        maker = venue_config.maker_fee if venue_config.maker_fee is not None else maker
        taker = venue_config.taker_fee if venue_config.taker_fee is not None else taker
        fee_asset = venue_config.fee_asset or fee_asset
    return FeeSchedule(maker, taker, fee_asset)


def _select_instruments(
    source, venues: tuple[str, ...] | None, symbols: tuple[str, ...] | None, wanted: list[str]
) -> list[Instrument]:
    instruments = [Instrument.from_dict(item) for item in source.instruments]
    if venues:
        venue_set = {venue.upper() for venue in venues}
        instruments = [i for i in instruments if i.id.venue.value in venue_set]
    if symbols:
        symbol_set = set(symbols)
        instruments = [i for i in instruments if i.id.symbol.value in symbol_set]
    if not venues and not symbols and wanted:
        wanted_set = set(wanted)
        instruments = [i for i in instruments if i.id.value in wanted_set]
        missing = wanted_set - {i.id.value for i in instruments}
        if missing:
            raise InstrumentsNotInDataError(sorted(missing))
    if not instruments:
        raise DataUnavailableError("no instrument of the data matches --venues/--symbols")
    return sorted(instruments, key=lambda i: (i.id.venue.value, i.id.symbol.value))


def build_backtest(
    strategy_file: str | Path,
    config_file: str | Path | None = None,
    data: str | Path = "data",
    source: str = "parquet",
    clickhouse_url: str | None = None,
    venues: tuple[str, ...] | None = None,
    symbols: tuple[str, ...] | None = None,
    start: int | str | None = None,
    end: int | str | None = None,
    queue_model: str | None = None,
    latency: str | None = None,
    seed: int | None = None,
    strategy=None,
    progress=None,
) -> BacktestRun:
    """Build a backtest without running it.

    Parameters
    ----------
    strategy_file : str or Path
        The strategy's Python file (ignored when ``strategy`` is given, except in run.json).
    config_file : str or Path, optional
        TOML with ``[strategy]`` and optionally ``[backtest]``, ``[risk]`` and ``[portfolio]``
        tables (docs/backtesting.md).
    data : str or Path
        The Parquet catalog (also the source of a chDB load for ``source="clickhouse"``).
    source : str
        ``"parquet"`` or ``"clickhouse"``.
    clickhouse_url : str, optional
        ClickHouse server URL for ``source="clickhouse"``.
    venues, symbols : tuple of str, optional
        Restrict the replay; default: the strategy config's instruments, else all.
    start, end : int or str, optional
        Half-open ``ts_recv`` range (UNIX ns or ISO 8601).
    queue_model, latency : str, optional
        Override the config's specs.
    seed : int, optional
        Override the config's seed.
    strategy : Strategy, optional
        A ready strategy instance (tests); loaded from ``strategy_file`` when None.
    progress : callable, optional
        ``progress(ts_ns)`` at each equity sample.

    Returns
    -------
    BacktestRun

    Raises
    ------
    ConfigError
        If a file, spec or option is invalid.
    DataUnavailableError
        If the data has none of the instruments asked for.
    """
    config = load_backtest_config(config_file)
    risk_config = load_backtest_risk_config(config_file)
    portfolio_config = load_backtest_portfolio_config(config_file)
    if strategy is None:
        strategy_class = load_strategy_class(strategy_file)
        strategy_config = (
            load_strategy_config(config_file, strategy_class.config_type)
            if config_file is not None and _has_table(config_file, "strategy")
            else strategy_class.config_type()
        )
        strategy = strategy_class(strategy_config)
    run_seed = config.seed if seed is None else seed
    queue_spec = queue_model or config.queue_model
    latency_spec = latency or config.latency
    queue = parse_queue_model(queue_spec)
    feed = parse_feed_latency(config.feed_latency, run_seed)

    data_source = open_source(source, data, clickhouse_url)
    instruments = _select_instruments(
        data_source, venues, symbols, list(strategy.config.instruments)
    )
    venue_names = sorted({i.id.venue.value for i in instruments})
    symbol_names = sorted({i.id.symbol.value for i in instruments})
    streams = [
        stream
        for stream in data_source.streams(
            venues=venue_names, symbols=symbol_names, start=start, end=end
        )
        if f"{stream.symbol}.{stream.venue}" in {i.id.value for i in instruments}
    ]
    if not streams:
        raise DataUnavailableError(f"{data}: no data in the requested range for {venue_names}")
    with_book = {f"{s.symbol}.{s.venue}" for s in streams if s.kind == "book"}

    # One source of truth: the simulated accounts and the portfolio start from the same numbers.
    balances_by_venue = {
        venue_name: _venue_balances(
            config.venues.get(venue_name),
            [i for i in instruments if i.id.venue.value == venue_name],
        )
        for venue_name in venue_names
    }
    portfolio = Portfolio(_portfolio_config(portfolio_config, balances_by_venue))
    node = TradingNode(
        Environment.BACKTEST, risk_engine=RiskEngine(risk_config), portfolio=portfolio
    )
    for instrument in instruments:
        node.add_instrument(instrument, l1_only=instrument.id.value not in with_book)
    sim_venues = []
    for index, venue_name in enumerate(venue_names):
        venue_config = config.venues.get(venue_name)
        venue_instruments = [i for i in instruments if i.id.venue.value == venue_name]
        account = SimAccount(
            venue_name,
            balances_by_venue[venue_name],
            venue_config.leverage if venue_config is not None else "1",
        )
        spec = venue_config.latency if venue_config and venue_config.latency else latency_spec
        # Each venue draws from its own stream of the run's seed.
        venue_latency = parse_latency(spec, run_seed * 1000 + index, f"latency[{venue_name}]")
        sim_venue = SimulatedVenue(Venue(venue_name), venue_latency, account)
        for instrument in venue_instruments:
            sim_venue.add_instrument(
                instrument,
                _fee_schedule(instrument, venue_config, config),
                queue,
                node.cache.book(instrument.id),
            )
        node.add_execution_client(SimExecutionClient(sim_venue, node.clock))
        sim_venues.append(sim_venue)

    node.add_strategy(strategy)
    reject_log = RejectLog()
    node.bus.subscribe(node.exec_engine.order_topic(strategy.id), reject_log)
    books = {i.id.value: node.cache.book(i.id) for i in instruments}
    recorder = RunRecorder(
        node.cache,
        instruments,
        VenueEquity(
            [v.account for v in sim_venues],
            instruments,
            books,
            portfolio.config.quote_currency,
            {asset: float(price) for asset, price in portfolio.config.prices.items()},
        ),
        progress,
    )
    merge = KWayMerge(streams)
    engine = BacktestEngine(
        node,
        merge,
        sim_venues,
        feed_latency=feed,
        max_feed_lag_ns=config.max_feed_lag_ms * 1_000_000,
        sample_interval_ns=config.sample_interval_ms * 1_000_000,
        on_sample=recorder.on_sample,
        on_fill=recorder.fill_log,
        on_start=node.start,
        on_stop=node.stop,
    )
    run_info = {
        "strategy": type(strategy).__name__,
        "strategy_file": str(strategy_file),
        "config": _config_dict(strategy.config, config, risk_config, portfolio.config),
        "data": str(data),
        "source": source,
        "venues": venue_names,
        "instruments": [i.id.value for i in instruments],
        "start_ns": 0,
        "end_ns": 0,
        "seed": run_seed,
        "queue_model": queue.name,
        "latency_model": ", ".join(f"{v.venue.value}={v.latency.name}" for v in sim_venues)
        + f"; feed={feed.name}",
        "events": 0,
        "wall_s": 0.0,
        "events_per_s": 0.0,
        "initial_equity": 0.0,
        "quote_currency": portfolio.config.quote_currency,
        "unpriced_assets": recorder.equity.unpriced_assets,
        "hftcore_version": __version__,
    }
    total_rows = sum(_stream_rows(stream) for stream in streams)
    return BacktestRun(
        node,
        engine,
        sim_venues,
        recorder,
        strategy,
        instruments,
        config,
        run_info,
        reject_log,
        total_rows,
    )


def _stream_rows(stream) -> int:
    files = getattr(stream, "files", None)
    if files is None:
        return 0
    import pyarrow.parquet as pq

    return sum(pq.ParquetFile(path).metadata.num_rows for path in files)


def _has_table(path: str | Path, table: str) -> bool:
    import tomllib

    try:
        with Path(path).open("rb") as file:
            return table in tomllib.load(file)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from exc


def _config_dict(strategy_config, config: BacktestConfig, risk_config, portfolio_config) -> dict:
    import msgspec

    return {
        "strategy": msgspec.to_builtins(strategy_config),
        "backtest": msgspec.to_builtins(config),
        "risk": msgspec.to_builtins(risk_config),
        "portfolio": msgspec.to_builtins(portfolio_config),
    }


def default_run_dir(root: Path, strategy_name: str) -> Path:
    """Return ``root/<strategy>-<UTC timestamp>`` for a new run.

    Parameters
    ----------
    root : Path
        Where runs are written.
    strategy_name : str
        Name of the strategy (its file stem).
    """
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    return root / f"{strategy_name}-{stamp}"


def run_backtest(strategy_file: str | Path, out_dir: Path, **options) -> tuple[BacktestRun, Path]:
    """Build, run and write a backtest.

    Parameters
    ----------
    strategy_file : str or Path
        The strategy's Python file.
    out_dir : Path
        The run folder to write.
    **options
        Keyword arguments of ``build_backtest``.

    Returns
    -------
    tuple
        The ``BacktestRun`` and the run folder.
    """
    run = build_backtest(strategy_file, **options)
    run.run()
    return run, run.write(out_dir)


__all__ = [
    "BacktestRun",
    "InstrumentsNotInDataError",
    "build_backtest",
    "default_run_dir",
    "run_backtest",
]
