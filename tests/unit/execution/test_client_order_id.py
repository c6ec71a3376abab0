"""Client order ids: unique, restart-safe, deterministic from the clock, accepted by venues."""

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hftcore.errors import ConfigError
from hftcore.execution.client_order_id import ClientOrderIdGenerator
from hftcore.model.identifiers import ClientOrderId

T0_NS = 1_700_000_000_123_456_789
OKX_CLORDID = re.compile(r"^[A-Za-z0-9]{1,32}$")
BINANCE_NEW_CLIENT_ORDER_ID = re.compile(r"^[\.A-Z\:/a-z0-9_-]{1,36}$")


def test_id_is_tag_boot_time_and_counter_in_base36():
    generator = ClientOrderIdGenerator("mm01", T0_NS)

    # 1_700_000_000_123 ms in base36 is "loyw3v5n"; the first counter value is 1.
    assert generator.boot_tag == "0loyw3v5n"
    assert generator.generate() == ClientOrderId("mm010loyw3v5n000001")


def test_counter_goes_up_by_one_per_id():
    generator = ClientOrderIdGenerator("mm01", T0_NS)

    ids = [generator.generate().value for _ in range(37)]

    assert ids[34].endswith("00000z")
    assert ids[35].endswith("000010")
    assert generator.count == 37


@pytest.mark.parametrize("pattern", [OKX_CLORDID, BINANCE_NEW_CLIENT_ORDER_ID])
def test_longest_id_fits_every_venue(pattern):
    generator = ClientOrderIdGenerator("A" * 16, T0_NS)

    assert pattern.match(generator.generate().value)


def test_ids_of_two_boots_never_meet():
    before = ClientOrderIdGenerator("mm01", T0_NS)
    after = ClientOrderIdGenerator("mm01", T0_NS + 1_000_000)

    assert {before.generate() for _ in range(100)}.isdisjoint(after.generate() for _ in range(100))


def test_same_boot_time_gives_the_same_ids():
    first = ClientOrderIdGenerator("bt", T0_NS)
    second = ClientOrderIdGenerator("bt", T0_NS)

    assert [first.generate() for _ in range(3)] == [second.generate() for _ in range(3)]


@given(
    tags=st.lists(
        st.text("abcXYZ019", min_size=1, max_size=16), min_size=2, max_size=4, unique=True
    ),
    boot_ms=st.lists(st.integers(0, 2**42), min_size=2, max_size=3, unique=True),
)
def test_ids_are_unique_across_tags_and_boots(tags, boot_ms):
    generators = [
        ClientOrderIdGenerator(tag, ms * 1_000_000 + 999) for tag in tags for ms in boot_ms
    ]

    ids = [generator.generate().value for generator in generators for _ in range(3)]

    assert len(ids) == len(set(ids))


def test_is_own_recognises_ids_of_any_boot_of_the_tag():
    generator = ClientOrderIdGenerator("mm01", T0_NS)
    earlier_run = ClientOrderIdGenerator("mm01", T0_NS - 3_600 * 10**9).generate()

    assert generator.is_own(earlier_run.value)
    assert not generator.is_own("web_8f3kd0")
    assert not generator.is_own("mm020loyw3v5n000001")


@pytest.mark.parametrize("tag", ["", "mm-1", "x" * 17, "maker é"])
def test_tag_that_is_not_short_alphanumeric_is_an_error(tag):
    with pytest.raises(ConfigError, match="tag"):
        ClientOrderIdGenerator(tag, T0_NS)


def test_negative_boot_time_is_an_error():
    with pytest.raises(ConfigError, match="boot_time_ns: expected UNIX ns >= 0, got -1"):
        ClientOrderIdGenerator("mm01", -1)
