"""Benchmarks of model event creation (from Python and from Cython) and instrument id interning.

Run: ``python -m pytest tests/benchmarks/test_model_events.py --benchmark-only -s``. Every
benchmark prints its ns/op (median). The Cython benchmarks create BATCH events per timed call
through the trusting ``create`` factories, dropping each one (the freelist case of a handler that
does not keep the event).
"""

import importlib.util
import sys
import textwrap
from pathlib import Path

import pytest
from Cython.Build import cythonize
from setuptools import Extension
from setuptools.dist import Distribution

from hftcore.model import (
    AggressorSide,
    BookAction,
    BookDelta,
    ClientOrderId,
    InstrumentId,
    LiquiditySide,
    Money,
    OrderFilled,
    Side,
    StrategyId,
    Trade,
    TradeId,
    VenueOrderId,
)

REPOSITORY_ROOT = Path(__file__).resolve().parents[2]
BATCH = 1_000  # operations per timed call
ROUNDS = 200  # rounds of the Python-call benchmarks

CYTHON_CREATORS = textwrap.dedent(
    """
    from hftcore.model.data cimport BookDelta, Trade
    from hftcore.model.enums cimport AggressorSide, BookAction, LiquiditySide, Side
    from hftcore.model.identifiers cimport (
        ClientOrderId, InstrumentId, StrategyId, TradeId, VenueOrderId
    )
    from hftcore.model.money cimport Money
    from hftcore.model.order_events cimport OrderAccepted, OrderFilled, OrderSubmitted


    def book_deltas(InstrumentId instrument_id, Py_ssize_t count):
        cdef Py_ssize_t i
        for i in range(count):
            BookDelta.create(instrument_id, BookAction.UPDATE, Side.BUY, 100 + i, 5, i, True, i, i)


    def trades(InstrumentId instrument_id, TradeId trade_id, Py_ssize_t count):
        cdef Py_ssize_t i
        for i in range(count):
            Trade.create(instrument_id, 100 + i, 5, AggressorSide.BUYER, trade_id, i, i)


    def orders_submitted(
        StrategyId strategy_id,
        InstrumentId instrument_id,
        ClientOrderId client_order_id,
        Py_ssize_t count,
    ):
        cdef Py_ssize_t i
        for i in range(count):
            OrderSubmitted.create(strategy_id, instrument_id, client_order_id, i, i)


    def orders_accepted(
        StrategyId strategy_id,
        InstrumentId instrument_id,
        ClientOrderId client_order_id,
        VenueOrderId venue_order_id,
        Py_ssize_t count,
    ):
        cdef Py_ssize_t i
        for i in range(count):
            OrderAccepted.create(strategy_id, instrument_id, client_order_id, venue_order_id, i, i)


    def orders_filled(
        StrategyId strategy_id,
        InstrumentId instrument_id,
        ClientOrderId client_order_id,
        VenueOrderId venue_order_id,
        TradeId trade_id,
        Money fee,
        Py_ssize_t count,
    ):
        cdef Py_ssize_t i
        for i in range(count):
            OrderFilled.create(
                strategy_id, instrument_id, client_order_id, venue_order_id, trade_id,
                Side.BUY, 100, 1, LiquiditySide.MAKER, fee, i, i,
            )


    def same_as(InstrumentId a, InstrumentId b, Py_ssize_t count):
        cdef Py_ssize_t i
        cdef Py_ssize_t equal = 0
        for i in range(count):
            equal += a.same_as(b)
        return equal
    """
)

BTC = InstrumentId.from_str("BTCUSDT.BINANCE")
STRATEGY = StrategyId("S-1")
ORDER = ClientOrderId("O-1")
VENUE_ORDER = VenueOrderId("V-1")
TRADE = TradeId("T-1")
FEE = Money.from_str("0.0012", "USDT")


@pytest.fixture(scope="module")
def creators(tmp_path_factory):
    """Compile a Cython module that creates events through the ``create`` factories."""
    build_dir = tmp_path_factory.mktemp("model_creators")
    source = build_dir / "model_creators.pyx"
    source.write_text(CYTHON_CREATORS)
    extensions = cythonize(
        [Extension("model_creators", [str(source)], include_dirs=[str(REPOSITORY_ROOT)])],
        include_path=[str(REPOSITORY_ROOT)],
        compiler_directives={"language_level": 3},
        quiet=True,
    )
    build = Distribution({"ext_modules": extensions}).get_command_obj("build_ext")
    build.build_lib = str(build_dir)
    build.build_temp = str(build_dir / "tmp")
    build.ensure_finalized()
    build.run()
    (module_path,) = build_dir.glob("model_creators*.so")
    spec = importlib.util.spec_from_file_location("model_creators", module_path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    sys.modules["model_creators"] = module
    return module


def time_python_calls(benchmark, function, *args, **kwargs):
    """Time ``function(*args, **kwargs)`` in rounds of BATCH calls."""
    return benchmark.pedantic(
        function, args, kwargs, iterations=BATCH, rounds=ROUNDS, warmup_rounds=1
    )


def report(benchmark, label, batch=1):
    ns_per_op = benchmark.stats.stats.median * 1e9 / batch
    benchmark.extra_info["ns_per_op"] = ns_per_op
    print(f"\n{label}: {ns_per_op:.1f} ns/op (median)")


# -- FROM PYTHON -------------------------------------------------------------------------------


def test_book_delta_constructor_from_python(benchmark):
    delta = time_python_calls(
        benchmark, BookDelta, BTC, BookAction.UPDATE, Side.BUY, 100, 5, 1, True, 1, 2
    )
    assert delta.size_lots == 5
    report(benchmark, "BookDelta(...) from Python, validated")


def test_trade_constructor_from_python(benchmark):
    trade = time_python_calls(benchmark, Trade, BTC, 100, 5, AggressorSide.BUYER, TRADE, 1, 2)
    assert trade.trade_id is TRADE
    report(benchmark, "Trade(...) from Python, validated")


def test_order_filled_constructor_from_python(benchmark):
    args = (STRATEGY, BTC, ORDER, VENUE_ORDER, TRADE, Side.BUY, 100, 1, LiquiditySide.MAKER, FEE)
    filled = time_python_calls(benchmark, OrderFilled, *args)
    assert filled.fee is FEE
    report(benchmark, "OrderFilled(...) from Python, validated")


def test_instrument_id_from_str_of_an_interned_id(benchmark):
    instrument_id = time_python_calls(benchmark, InstrumentId.from_str, "BTCUSDT.BINANCE")
    assert instrument_id is BTC
    report(benchmark, "InstrumentId.from_str, already interned")


def test_trade_id_constructor_from_python(benchmark):
    trade_id = time_python_calls(benchmark, TradeId, "4207751201")
    assert trade_id.value == "4207751201"
    report(benchmark, "TradeId(str) from Python, validated")


# -- FROM CYTHON -------------------------------------------------------------------------------


def test_book_delta_create_from_cython(benchmark, creators):
    benchmark(creators.book_deltas, BTC, BATCH)
    report(benchmark, "BookDelta.create from Cython (freelist)", BATCH)


def test_trade_create_from_cython(benchmark, creators):
    benchmark(creators.trades, BTC, TRADE, BATCH)
    report(benchmark, "Trade.create from Cython (freelist)", BATCH)


def test_order_submitted_create_from_cython(benchmark, creators):
    benchmark(creators.orders_submitted, STRATEGY, BTC, ORDER, BATCH)
    report(benchmark, "OrderSubmitted.create from Cython (OrderEvent freelist)", BATCH)


def test_order_accepted_create_from_cython(benchmark, creators):
    benchmark(creators.orders_accepted, STRATEGY, BTC, ORDER, VENUE_ORDER, BATCH)
    report(benchmark, "OrderAccepted.create from Cython (no freelist)", BATCH)


def test_order_filled_create_from_cython(benchmark, creators):
    benchmark(creators.orders_filled, STRATEGY, BTC, ORDER, VENUE_ORDER, TRADE, FEE, BATCH)
    report(benchmark, "OrderFilled.create from Cython (no freelist)", BATCH)


def test_instrument_id_same_as_from_cython(benchmark, creators):
    equal = benchmark(creators.same_as, BTC, InstrumentId.from_str("BTCUSDT.BINANCE"), BATCH)
    assert equal == BATCH
    report(benchmark, "InstrumentId.same_as from Cython", BATCH)
