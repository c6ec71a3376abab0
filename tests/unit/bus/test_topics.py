"""Tests of bus topic building, validation and wildcard matching."""

import fnmatch

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hftcore.bus import is_pattern, topic_for, topic_matches
from hftcore.errors import BusError


def test_topic_for_builds_dotted_lowercase_topic():
    assert topic_for("book", "BINANCE", "BTCUSDT") == "book.binance.btcusdt"


def test_topic_for_returns_the_cached_string_on_repeat_calls():
    first = topic_for("trade", "OKX", "BTC-USDT-SWAP")
    assert topic_for("trade", "OKX", "BTC-USDT-SWAP") is first


@pytest.mark.parametrize(
    ("kind", "venue", "symbol", "field"),
    [
        ("", "BINANCE", "BTCUSDT", "kind"),
        ("book", "BIN.ANCE", "BTCUSDT", "venue"),
        ("book", "BINANCE", "BTC*", "symbol"),
        ("book", "BINANCE", "BTC?", "symbol"),
        ("book", "BINANCE", "BTC USDT", "symbol"),
        ("book", None, "BTCUSDT", "venue"),
    ],
)
def test_topic_for_with_bad_part_raises_naming_the_field(kind, venue, symbol, field):
    with pytest.raises(BusError, match=field):
        topic_for(kind, venue, symbol)


@pytest.mark.parametrize(
    ("topic", "expected"),
    [("book.binance.*", True), ("book.binance.btc???", True), ("book.binance.btcusdt", False)],
)
def test_is_pattern_detects_wildcards(topic, expected):
    assert is_pattern(topic) is expected


@pytest.mark.parametrize(
    ("pattern", "topic", "expected"),
    [
        ("book.binance.*", "book.binance.btcusdt", True),
        ("book.binance.*", "book.okx.btcusdt", False),
        ("book.*", "book.binance.btcusdt", True),
        ("*.btcusdt", "trade.binance.btcusdt", True),
        ("book.*.btcusdt", "book.binance.ethusdt", False),
        ("book.binance.btc????", "book.binance.btcusdt", True),
        ("book.binance.btc???", "book.binance.btcusdt", False),
        ("book.binance.btcusdt", "book.binance.btcusdt", True),
        ("book.binance.btcusdt", "book.binance.btcusdc", False),
        ("*", "anything.at.all", True),
        ("book.binance.*", "book.binance.", True),
    ],
)
def test_topic_matches_follows_star_and_question_mark_rules(pattern, topic, expected):
    assert topic_matches(pattern, topic) is expected


@given(
    pattern=st.text(alphabet="ab.*?", max_size=8),
    topic=st.text(alphabet="ab.", max_size=10),
)
def test_topic_matches_agrees_with_fnmatchcase(pattern, topic):
    assert topic_matches(pattern, topic) is fnmatch.fnmatchcase(topic, pattern)
