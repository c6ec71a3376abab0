"""Benchmarks of MessageBus publish (from Python and from Cython) and RingBuffer hand-off.

Run: ``python -m pytest tests/benchmarks/test_bus.py --benchmark-only -s``. For the
Python-call benchmarks the median column is ns per call; every benchmark prints its ns/op.
Target: publish to one Python handler from Python <= 400 ns (median, 2-core machine).
"""

import importlib.util
import sys
import textwrap
from pathlib import Path

import pytest
from Cython.Build import cythonize
from setuptools import Extension
from setuptools.dist import Distribution

from hftcore.bus import MessageBus, OverflowPolicy, RingBuffer, topic_for

REPOSITORY_ROOT = Path(__file__).resolve().parents[2]
BATCH = 1_000  # messages per timed call of the batched benchmarks
ROUNDS = 200  # rounds of the Python-call benchmarks, each timing BATCH calls

CYTHON_PUBLISHER = textwrap.dedent(
    """
    from hftcore.bus.message_bus cimport MessageBus, TopicHandle


    def publish_batch(MessageBus bus, TopicHandle handle, object msg, Py_ssize_t count):
        cdef Py_ssize_t i
        for i in range(count):
            bus.publish_c(handle, msg)
    """
)


def handler(msg):
    """Do nothing: the cost measured is the bus's."""


@pytest.fixture(scope="module")
def cython_publisher(tmp_path_factory):
    """Compile a Cython module that publishes through a TopicHandle with ``publish_c``."""
    build_dir = tmp_path_factory.mktemp("bus_publisher")
    source = build_dir / "bus_publisher.pyx"
    source.write_text(CYTHON_PUBLISHER)
    extensions = cythonize(
        [Extension("bus_publisher", [str(source)], include_dirs=[str(REPOSITORY_ROOT)])],
        include_path=[str(REPOSITORY_ROOT)],
        compiler_directives={"language_level": 3},
        quiet=True,
    )
    build = Distribution({"ext_modules": extensions}).get_command_obj("build_ext")
    build.build_lib = str(build_dir)
    build.build_temp = str(build_dir / "tmp")
    build.ensure_finalized()
    build.run()
    (module_path,) = build_dir.glob("bus_publisher*.so")
    spec = importlib.util.spec_from_file_location("bus_publisher", module_path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    sys.modules["bus_publisher"] = module
    return module


def time_python_calls(benchmark, function, *args):
    """Time ``function(*args)`` in rounds of BATCH calls, so the timer's own cost is spread out."""
    benchmark.pedantic(function, args, iterations=BATCH, rounds=ROUNDS, warmup_rounds=1)


def report(benchmark, label, batch=1):
    ns_per_op = benchmark.stats.stats.median * 1e9 / batch
    benchmark.extra_info["ns_per_op"] = ns_per_op
    print(f"\n{label}: {ns_per_op:.1f} ns/op (median)")


def test_publish_from_python_to_one_python_handler(benchmark):
    bus = MessageBus()
    topic = topic_for("book", "BINANCE", "BTCUSDT")
    bus.subscribe(topic, handler)
    msg = object()
    time_python_calls(benchmark, bus.publish, topic, msg)
    assert bus.published_count >= BATCH * ROUNDS
    report(benchmark, "publish from Python, 1 Python handler")


def test_publish_from_python_to_four_handlers_via_wildcards(benchmark):
    bus = MessageBus()
    topic = topic_for("book", "BINANCE", "BTCUSDT")
    for pattern in ("book.*", "book.binance.*", "*.btcusdt", topic):
        bus.subscribe(pattern, handler)
    msg = object()
    time_python_calls(benchmark, bus.publish, topic, msg)
    assert len(bus.topic_handle(topic).handlers) == 4
    report(benchmark, "publish from Python, 4 Python handlers")


def test_publish_c_from_cython_through_topic_handle(benchmark, cython_publisher):
    bus = MessageBus()
    topic = topic_for("book", "BINANCE", "BTCUSDT")
    bus.subscribe(topic, handler)
    handle = bus.topic_handle(topic)
    msg = object()
    benchmark(cython_publisher.publish_batch, bus, handle, msg, BATCH)
    assert bus.published_count >= BATCH
    assert bus.published_count % BATCH == 0
    report(benchmark, "publish_c from Cython via TopicHandle, 1 Python handler", BATCH)


def test_publish_c_from_cython_without_subscribers(benchmark, cython_publisher):
    bus = MessageBus()
    handle = bus.topic_handle(topic_for("book", "BINANCE", "BTCUSDT"))
    msg = object()
    benchmark(cython_publisher.publish_batch, bus, handle, msg, BATCH)
    report(benchmark, "publish_c from Cython via TopicHandle, no handler", BATCH)


def test_ring_buffer_put_then_drain(benchmark):
    buffer = RingBuffer(BATCH, OverflowPolicy.DROP_NEWEST)
    items = list(range(BATCH))

    def put_then_drain():
        for item in items:
            buffer.put(item)
        return buffer.drain(BATCH, 0)

    drained = benchmark(put_then_drain)
    assert drained == items
    report(benchmark, "RingBuffer put + drain, same thread", BATCH)
