"""Benchmark table settings: every benchmark reports ns/op.

Run with ``python -m pytest tests/benchmarks --benchmark-only``. Unless the command line says
otherwise, the table shows the columns min and median in nanoseconds, ops (calls per second) and
rounds: with one operation (one event, one order) per timed call, the median column is ns/op.
"""

import pytest
from pytest_benchmark.utils import operations_unit

BENCHMARK_COLUMNS = ["min", "median", "ops", "rounds"]
"""Columns of the benchmark table."""


def pytest_configure(config: pytest.Config) -> None:
    """Default the table to `BENCHMARK_COLUMNS` unless ``--benchmark-columns`` is given.

    Parameters
    ----------
    config : pytest.Config
        The session's config.
    """
    if not any(str(arg).startswith("--benchmark-columns") for arg in config.invocation_params.args):
        config.option.benchmark_columns = BENCHMARK_COLUMNS


def pytest_benchmark_scale_unit(
    config: pytest.Config, unit: str, benchmarks: list, best: dict, worst: dict, sort: str
) -> tuple[str, float] | None:
    """Show times in ns unless ``--benchmark-time-unit`` is given, ops/s scaled to their size.

    Parameters
    ----------
    config : pytest.Config
        The session's config.
    unit : str
        ``"seconds"`` for time columns, ``"operations"`` for the ops column.
    benchmarks : list of dict
        Statistics of each benchmark.
    best, worst : dict
        Best and worst value of each column.
    sort : str
        Sort column; unused.

    Returns
    -------
    tuple of (str, float) or None
        SI prefix and scale; None lets pytest-benchmark honour ``--benchmark-time-unit``.
    """
    if unit == "operations":
        # pytest-benchmark would scale ops by the time unit too (giving "nops/s").
        return operations_unit(worst.get("ops", benchmarks[0]["ops"]))
    if config.getoption("benchmark_time_unit") in (None, "auto"):
        return "n", 1e9
    return None
