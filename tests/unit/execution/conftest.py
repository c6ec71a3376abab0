"""Fixtures of the execution tests: a node's clock, bus and cache around an ExecutionEngine.

``fsm_api`` compiles ``fsm_cython_api.pyx`` (a ``def`` wrapper of the Cython-only
``order_fsm.transition``) once per session against the working tree's ``.pxd`` files.
"""

import importlib.util
from pathlib import Path

import numpy
import pytest
from Cython.Build import cythonize
from setuptools import Distribution, Extension

from hftcore.bus import MessageBus
from hftcore.cache import Cache
from hftcore.clock import TestClock
from hftcore.execution.engine import ExecutionEngine
from hftcore.model.enums import OrderType, Side, TimeInForce
from tests.builders.instruments import make_instrument
from tests.unit.execution.reports import STRATEGY_ID, T0_NS, FakeExecutionClient

HERE = Path(__file__).resolve().parent
REPOSITORY_ROOT = HERE.parents[2]
FSM_API_MODULE = "fsm_cython_api"


@pytest.fixture(scope="session")
def fsm_api(tmp_path_factory):
    """Compile and import ``fsm_cython_api.pyx``."""
    build_dir = tmp_path_factory.mktemp(FSM_API_MODULE)
    extension = Extension(
        FSM_API_MODULE,
        [str(HERE / f"{FSM_API_MODULE}.pyx")],
        include_dirs=[numpy.get_include(), str(REPOSITORY_ROOT)],
        extra_compile_args=["-O0"],
    )
    modules = cythonize(
        [extension],
        build_dir=str(build_dir / "c"),
        include_path=[str(REPOSITORY_ROOT)],
        compiler_directives={"language_level": 3},
        quiet=True,
    )
    command = Distribution({"ext_modules": modules}).get_command_obj("build_ext")
    command.build_lib = str(build_dir / "lib")
    command.build_temp = str(build_dir / "tmp")
    command.ensure_finalized()
    command.run()
    spec = importlib.util.spec_from_file_location(
        FSM_API_MODULE, command.get_ext_fullpath(FSM_API_MODULE)
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def clock():
    """A test clock at ``T0_NS``."""
    return TestClock(T0_NS)


@pytest.fixture
def instrument():
    """Binance spot BTCUSDT."""
    return make_instrument()


@pytest.fixture
def cache(instrument):
    """A cache holding ``instrument``."""
    cache = Cache()
    cache.add_instrument(instrument)
    return cache


@pytest.fixture
def bus(clock):
    """The node's message bus."""
    return MessageBus(clock)


@pytest.fixture
def client():
    """The fake Binance execution client, without a rate limiter."""
    return FakeExecutionClient()


@pytest.fixture
def engine(clock, bus, cache, client):
    """An engine with ``client`` registered and no risk engine."""
    engine = ExecutionEngine(clock, bus, cache)
    engine.register_client(client)
    return engine


@pytest.fixture
def published(engine, bus):
    """Every event published on the order topic of ``STRATEGY_ID``, in order."""
    events = []
    bus.subscribe(engine.order_topic(STRATEGY_ID), events.append)
    return events


@pytest.fixture
def submit(engine, instrument):
    """Return a function submitting a LIMIT GTC order of ``STRATEGY_ID`` (10 lots at 100)."""

    def submit_order(
        quantity_lots=10,
        price_ticks=100,
        side=Side.BUY,
        order_type=OrderType.LIMIT,
        time_in_force=TimeInForce.GTC,
        strategy_id=STRATEGY_ID,
        instrument_id=None,
    ):
        return engine.submit_order(
            strategy_id,
            instrument_id or instrument.id,
            side,
            order_type,
            quantity_lots,
            price_ticks,
            time_in_force,
            False,
            False,
        )

    return submit_order
