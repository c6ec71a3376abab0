"""Tests of the Cython-only fixed-point and instrument API (checked math, C parsing, cdef methods).

These functions cannot be called from Python, so the ``cdef_api`` fixture compiles a small module
of ``def`` wrappers (`WRAPPERS`) against the working tree's ``.pxd`` files once per module.
"""

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest
from Cython.Build import cythonize
from setuptools import Distribution, Extension

from hftcore.errors import FixedPointOverflowError
from hftcore.model.enums import RoundingMode
from hftcore.model.fixed_point import MAX_RAW
from tests.builders.instruments import make_instrument

REPOSITORY_ROOT = Path(__file__).resolve().parents[3]
MODULE_NAME = "fixed_point_cdef_api"
WRAPPERS = """
from libc.stdint cimport int64_t

from hftcore.model.enums cimport RoundingMode
from hftcore.model.fixed_point cimport (
    PARSE_INEXACT, PARSE_MALFORMED, PARSE_OK, PARSE_OVERFLOW, Price, Quantity, checked_add,
    checked_mul, checked_sub, compare_fixed, parse_decimal_c,
)
from hftcore.model.instrument cimport Instrument
from hftcore.model.money cimport Money

STATUS = {"ok": PARSE_OK, "malformed": PARSE_MALFORMED, "inexact": PARSE_INEXACT,
          "overflow": PARSE_OVERFLOW}

def add(int64_t a, int64_t b):
    return checked_add(a, b)

def sub(int64_t a, int64_t b):
    return checked_sub(a, b)

def mul(int64_t a, int64_t b):
    return checked_mul(a, b)

def compare(int64_t a_raw, int a_precision, int64_t b_raw, int b_precision):
    return compare_fixed(a_raw, a_precision, b_raw, b_precision)

def parse_bytes(bytes data, int precision, int64_t step_raw, RoundingMode rounding):
    cdef int64_t out = 0
    cdef int status = parse_decimal_c(data, len(data), precision, step_raw, rounding, &out)
    return status, out

def price_from_raw(int64_t raw, int precision):
    return Price.from_raw_c(raw, precision)

def quantity_from_raw(int64_t raw, int precision):
    return Quantity.from_raw_c(raw, precision)

def money_from_raw(int64_t raw, int precision, str currency):
    return Money.from_raw_c(raw, precision, currency)

def price_to_ticks(Instrument instrument, str value, RoundingMode rounding):
    return instrument.price_to_ticks_c(value, rounding)

def size_to_lots(Instrument instrument, str value, RoundingMode rounding):
    return instrument.size_to_lots_c(value, rounding)

def notional_f(Instrument instrument, int64_t price_ticks, int64_t size_lots):
    return instrument.notional_f(price_ticks, size_lots)

def min_notional_ok(Instrument instrument, int64_t price_ticks, int64_t size_lots):
    return instrument.min_notional_ok_c(price_ticks, size_lots)
"""


@pytest.fixture(scope="module")
def cdef_api(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    """Compile and import the `WRAPPERS` module.

    Parameters
    ----------
    tmp_path_factory : pytest.TempPathFactory
        Where the source and the build go.

    Returns
    -------
    types.ModuleType
        The compiled module.
    """
    build_dir = tmp_path_factory.mktemp(MODULE_NAME)
    source = build_dir / f"{MODULE_NAME}.pyx"
    source.write_text(WRAPPERS)
    extension = Extension(
        MODULE_NAME,
        [str(source)],
        include_dirs=[str(REPOSITORY_ROOT)],
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
        MODULE_NAME, command.get_ext_fullpath(MODULE_NAME)
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# -- checked arithmetic ------------------------------------------------------------------------


def test_checked_add_returns_the_sum(cdef_api):
    assert cdef_api.add(MAX_RAW - 1, 1) == MAX_RAW


def test_checked_add_overflow_raises_an_overflow_error_naming_operands(cdef_api):
    with pytest.raises(FixedPointOverflowError, match=rf"{MAX_RAW} \+ 1 overflows") as info:
        cdef_api.add(MAX_RAW, 1)
    assert isinstance(info.value, OverflowError)


def test_checked_add_refuses_a_result_of_int64_min(cdef_api):
    with pytest.raises(FixedPointOverflowError):
        cdef_api.add(-MAX_RAW, -1)


def test_checked_sub_overflow_raises(cdef_api):
    with pytest.raises(FixedPointOverflowError, match=r"- 2 overflows"):
        cdef_api.sub(-MAX_RAW, 2)


def test_checked_mul_returns_the_product(cdef_api):
    assert cdef_api.mul(-3_037_000_499, 3_037_000_499) == -9_223_372_030_926_249_001


def test_checked_mul_overflow_raises(cdef_api):
    with pytest.raises(FixedPointOverflowError, match=r"\* 2 overflows"):
        cdef_api.mul(MAX_RAW // 2 + 1, 2)


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [((MAX_RAW, 0), (1, 18), 1), ((1, 18), (MAX_RAW, 0), -1), ((-MAX_RAW, 0), (-1, 18), -1),
     ((150, 2), (15, 1), 0), ((-1, 0), (1, 18), -1)],
)  # fmt: skip
def test_compare_fixed_orders_values_across_precisions(cdef_api, a, b, expected):
    assert cdef_api.compare(*a, *b) == expected


# -- C parsing of raw bytes --------------------------------------------------------------------


def test_parse_decimal_c_reads_bytes_straight_from_a_venue_payload(cdef_api):
    assert cdef_api.parse_bytes(b"27123.45", 2, 5, RoundingMode.EXACT) == (
        cdef_api.STATUS["ok"],
        542_469,
    )


@pytest.mark.parametrize(
    ("data", "status"),
    [(b"27123.4a", "malformed"), (b"27123.43", "inexact"), (b"1e30", "overflow")],
)
def test_parse_decimal_c_reports_failures_as_a_status(cdef_api, data, status):
    assert cdef_api.parse_bytes(data, 2, 5, RoundingMode.EXACT)[0] == cdef_api.STATUS[status]


# -- trusting factories ------------------------------------------------------------------------


def test_from_raw_c_factories_build_values_without_parsing(cdef_api):
    assert (
        repr(cdef_api.price_from_raw(2_712_340, 2)),
        repr(cdef_api.quantity_from_raw(100, 5)),
        repr(cdef_api.money_from_raw(-125, 6, "BNB")),
    ) == ("Price('27123.40')", "Quantity('0.00100')", "Money('-0.000125', 'BNB')")


# -- instrument cdef methods -------------------------------------------------------------------


def test_price_to_ticks_c_matches_price_to_ticks(cdef_api):
    instrument = make_instrument(tick_size="0.05")
    assert cdef_api.price_to_ticks(instrument, "27123.45", RoundingMode.EXACT) == 542_469


def test_size_to_lots_c_rounds_as_asked(cdef_api):
    instrument = make_instrument(lot_size="0.001")
    assert cdef_api.size_to_lots(instrument, "0.0015", RoundingMode.HALF_EVEN) == 2


def test_notional_f_approximates_the_exact_notional(cdef_api):
    instrument = make_instrument(tick_size="0.1", lot_size="0.001", multiplier="10")
    assert cdef_api.notional_f(instrument, 271_234, 1_500) == pytest.approx(
        float(instrument.notional(271_234, 1_500)), rel=1e-12
    )


@pytest.mark.parametrize(("size_lots", "expected"), [(18, 0), (19, 1)])
def test_min_notional_ok_c_returns_one_when_the_minimum_is_met(cdef_api, size_lots, expected):
    instrument = make_instrument(min_notional="5")
    assert cdef_api.min_notional_ok(instrument, 2_712_340, size_lots) == expected
