"""Tests of MessageBus publish/subscribe, topic handles and point-to-point endpoints."""

import fnmatch
import logging

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hftcore.bus import MessageBus, TopicHandle, topic_for
from hftcore.clock import TestClock
from hftcore.errors import BusError

BTC_BOOK = topic_for("book", "BINANCE", "BTCUSDT")
ETH_BOOK = topic_for("book", "BINANCE", "ETHUSDT")
OKX_BOOK = topic_for("book", "OKX", "BTC-USDT")


class Recorder:
    """Handler that records (name, msg) into a shared list."""

    def __init__(self, name, calls):
        self.name = name
        self.calls = calls

    def __call__(self, msg):
        self.calls.append((self.name, msg))

    def __repr__(self):
        return f"Recorder({self.name})"


def failing_handler(msg):
    raise RuntimeError("boom")


# -- PUBLISH/SUBSCRIBE -------------------------------------------------------------------------


def test_publish_delivers_message_to_exact_subscriber():
    bus = MessageBus()
    received = []
    bus.subscribe(BTC_BOOK, received.append)
    bus.publish(BTC_BOOK, "delta")
    assert received == ["delta"]


def test_publish_does_not_deliver_to_subscriber_of_another_topic():
    bus = MessageBus()
    received = []
    bus.subscribe(ETH_BOOK, received.append)
    bus.publish(BTC_BOOK, "delta")
    assert received == []


def test_publish_counts_messages_with_and_without_subscribers():
    bus = MessageBus()
    bus.subscribe(BTC_BOOK, lambda msg: None)
    bus.publish(BTC_BOOK, 1)
    bus.publish(ETH_BOOK, 2)
    assert bus.published_count == 2


def test_handlers_run_in_subscription_order():
    bus = MessageBus()
    calls = []
    for name in ("c", "a", "b"):
        bus.subscribe(BTC_BOOK, Recorder(name, calls))
    bus.publish(BTC_BOOK, 1)
    assert [name for name, _ in calls] == ["c", "a", "b"]


def test_higher_priority_runs_first_and_ties_keep_subscription_order():
    bus = MessageBus()
    calls = []
    bus.subscribe(BTC_BOOK, Recorder("low", calls), priority=-1)
    bus.subscribe(BTC_BOOK, Recorder("first_zero", calls))
    bus.subscribe(BTC_BOOK, Recorder("high", calls), priority=5)
    bus.subscribe(BTC_BOOK, Recorder("second_zero", calls))
    bus.publish(BTC_BOOK, 1)
    assert [name for name, _ in calls] == ["high", "first_zero", "second_zero", "low"]


def test_wildcard_subscription_receives_topic_registered_after_it():
    bus = MessageBus()
    received = []
    bus.subscribe("book.binance.*", received.append)
    bus.publish(BTC_BOOK, "btc")
    assert received == ["btc"]


def test_wildcard_subscription_receives_topic_registered_before_it():
    bus = MessageBus()
    bus.topic_handle(BTC_BOOK)
    received = []
    bus.subscribe("book.binance.*", received.append)
    bus.publish(BTC_BOOK, "btc")
    assert received == ["btc"]


def test_wildcard_subscription_skips_topics_it_does_not_match():
    bus = MessageBus()
    received = []
    bus.subscribe("book.binance.*", received.append)
    bus.publish(OKX_BOOK, "okx")
    assert received == []


def test_question_mark_wildcard_matches_exactly_one_character():
    bus = MessageBus()
    received = []
    bus.subscribe("book.binance.???usdt", received.append)
    bus.publish(BTC_BOOK, "btc")
    bus.publish(topic_for("book", "BINANCE", "DOGEUSDT"), "doge")
    assert received == ["btc"]


def test_exact_and_wildcard_subscriptions_interleave_in_subscription_order():
    bus = MessageBus()
    calls = []
    bus.subscribe(BTC_BOOK, Recorder("exact1", calls))
    bus.subscribe("book.*", Recorder("wild", calls))
    bus.subscribe(BTC_BOOK, Recorder("exact2", calls))
    bus.publish(BTC_BOOK, 1)
    assert [name for name, _ in calls] == ["exact1", "wild", "exact2"]


def test_unsubscribe_stops_delivery_of_exact_topic():
    bus = MessageBus()
    received = []
    bus.subscribe(BTC_BOOK, received.append)
    bus.unsubscribe(BTC_BOOK, received.append)
    bus.publish(BTC_BOOK, 1)
    assert received == []


def test_unsubscribe_of_wildcard_stops_delivery_to_every_matched_topic():
    bus = MessageBus()
    received = []
    bus.subscribe("book.*", received.append)
    bus.publish(BTC_BOOK, 1)
    bus.publish(OKX_BOOK, 2)
    bus.unsubscribe("book.*", received.append)
    bus.publish(BTC_BOOK, 3)
    bus.publish(OKX_BOOK, 4)
    assert received == [1, 2]


def test_unsubscribe_of_unknown_pair_raises_naming_the_topic():
    bus = MessageBus()
    bus.subscribe(BTC_BOOK, print)
    with pytest.raises(BusError, match=r"not subscribed to topic 'book\.binance\.ethusdt'"):
        bus.unsubscribe(ETH_BOOK, print)


def test_subscribing_the_same_handler_twice_to_a_topic_raises():
    bus = MessageBus()
    bus.subscribe(BTC_BOOK, print)
    with pytest.raises(BusError, match="already subscribed"):
        bus.subscribe(BTC_BOOK, print)


def test_subscribe_with_non_callable_handler_raises():
    bus = MessageBus()
    with pytest.raises(BusError, match="callable"):
        bus.subscribe(BTC_BOOK, 42)


@pytest.mark.parametrize("topic", ["Book.binance.btcusdt", "", "book..btcusdt", "book. x"])
def test_subscribe_with_malformed_topic_raises_naming_it(topic):
    bus = MessageBus()
    with pytest.raises(BusError, match="subscribe"):
        bus.subscribe(topic, print)


def test_publish_to_wildcard_pattern_raises():
    bus = MessageBus()
    with pytest.raises(BusError, match="wildcard pattern"):
        bus.publish("book.*", 1)


def test_handler_subscribed_during_delivery_receives_from_next_message():
    bus = MessageBus()
    late = []

    def subscribe_late(msg):
        bus.subscribe(BTC_BOOK, late.append)

    bus.subscribe(BTC_BOOK, subscribe_late)
    bus.publish(BTC_BOOK, 1)
    bus.unsubscribe(BTC_BOOK, subscribe_late)
    bus.publish(BTC_BOOK, 2)
    assert late == [2]


# -- HANDLER ERRORS ----------------------------------------------------------------------------


def test_raising_handler_does_not_stop_delivery_to_later_handlers():
    bus = MessageBus()
    received = []
    bus.subscribe(BTC_BOOK, failing_handler)
    bus.subscribe(BTC_BOOK, received.append)
    bus.publish(BTC_BOOK, 1)
    assert received == [1]


def test_raising_handler_is_counted():
    bus = MessageBus()
    bus.subscribe(BTC_BOOK, failing_handler)
    bus.publish(BTC_BOOK, 1)
    bus.publish(BTC_BOOK, 2)
    assert bus.handler_error_count == 2


def test_raising_handler_is_logged_with_topic_and_exception(caplog):
    bus = MessageBus()
    bus.subscribe(BTC_BOOK, failing_handler)
    with caplog.at_level(logging.ERROR, logger="hftcore.bus.message_bus"):
        bus.publish(BTC_BOOK, 1)
    (record,) = caplog.records
    assert "topic=book.binance.btcusdt" in record.getMessage()
    assert record.exc_info[1].args == ("boom",)


def test_raising_handler_log_carries_bus_clock_time(caplog):
    bus = MessageBus(clock=TestClock(start_ns=1_700_000_000_000_000_000))
    bus.subscribe(BTC_BOOK, failing_handler)
    with caplog.at_level(logging.ERROR, logger="hftcore.bus.message_bus"):
        bus.publish(BTC_BOOK, 1)
    assert "ts_ns=1700000000000000000" in caplog.records[0].getMessage()


# -- QUERIES -----------------------------------------------------------------------------------


def test_has_subscribers_sees_wildcard_subscription():
    bus = MessageBus()
    bus.subscribe("book.*", print)
    assert bus.has_subscribers(BTC_BOOK)


def test_has_subscribers_is_false_without_matching_subscription():
    bus = MessageBus()
    bus.subscribe("trade.*", print)
    assert not bus.has_subscribers(BTC_BOOK)


def test_has_subscribers_does_not_register_the_topic():
    bus = MessageBus()
    bus.has_subscribers(BTC_BOOK)
    assert bus.topics() == []


def test_subscriptions_of_topic_are_listed_in_delivery_order():
    bus = MessageBus()
    bus.subscribe("book.*", print)
    bus.subscribe(BTC_BOOK, repr, priority=1)
    subscriptions = bus.subscriptions(BTC_BOOK)
    assert [(s.topic, s.handler) for s in subscriptions] == [(BTC_BOOK, repr), ("book.*", print)]


def test_subscriptions_of_pattern_are_those_made_with_that_pattern():
    bus = MessageBus()
    bus.subscribe("book.*", print)
    bus.subscribe(BTC_BOOK, repr)
    assert [s.handler for s in bus.subscriptions("book.*")] == [print]


def test_topics_lists_registered_topics_sorted():
    bus = MessageBus()
    bus.publish(OKX_BOOK, 1)
    bus.subscribe(BTC_BOOK, print)
    bus.subscribe("trade.*", print)
    assert bus.topics() == [BTC_BOOK, OKX_BOOK]


# -- TOPIC HANDLES -----------------------------------------------------------------------------


def test_topic_handle_is_the_same_object_for_a_topic():
    bus = MessageBus()
    assert bus.topic_handle(BTC_BOOK) is bus.topic_handle(BTC_BOOK)


def test_topic_handle_handlers_follow_subscribe_and_unsubscribe():
    bus = MessageBus()
    handle = bus.topic_handle(BTC_BOOK)
    bus.subscribe("book.*", print)
    bus.subscribe(BTC_BOOK, repr)
    handlers_after_subscribe = handle.handlers
    bus.unsubscribe("book.*", print)
    assert isinstance(handle, TopicHandle)
    assert (handlers_after_subscribe, handle.handlers) == ((print, repr), (repr,))


# -- ENDPOINTS ---------------------------------------------------------------------------------


def test_send_delivers_message_to_endpoint_handler():
    bus = MessageBus()
    received = []
    bus.register_endpoint("risk.execute", received.append)
    bus.send("risk.execute", "order")
    assert received == ["order"]


def test_request_returns_endpoint_handler_response():
    bus = MessageBus()
    bus.register_endpoint("cache.position", lambda msg: msg * 2)
    assert bus.request("cache.position", 21) == 42


def test_request_to_unknown_endpoint_raises_naming_it():
    bus = MessageBus()
    with pytest.raises(BusError, match=r"unknown endpoint 'nowhere'"):
        bus.request("nowhere", 1)


def test_send_to_unknown_endpoint_raises_naming_it():
    bus = MessageBus()
    with pytest.raises(BusError, match=r"unknown endpoint 'nowhere'"):
        bus.send("nowhere", 1)


def test_registering_an_endpoint_twice_raises():
    bus = MessageBus()
    bus.register_endpoint("risk.execute", print)
    with pytest.raises(BusError, match="already registered"):
        bus.register_endpoint("risk.execute", repr)


def test_deregistered_endpoint_no_longer_receives():
    bus = MessageBus()
    bus.register_endpoint("risk.execute", print)
    bus.deregister_endpoint("risk.execute")
    with pytest.raises(BusError, match="unknown endpoint"):
        bus.send("risk.execute", 1)


def test_deregistering_unknown_endpoint_raises():
    bus = MessageBus()
    with pytest.raises(BusError, match=r"deregister_endpoint: unknown endpoint 'nowhere'"):
        bus.deregister_endpoint("nowhere")


def test_send_propagates_endpoint_handler_exception():
    bus = MessageBus()
    bus.register_endpoint("risk.execute", failing_handler)
    with pytest.raises(RuntimeError, match="boom"):
        bus.send("risk.execute", 1)


def test_endpoints_lists_registered_names_sorted():
    bus = MessageBus()
    bus.register_endpoint("risk.execute", print)
    bus.register_endpoint("cache.position", print)
    assert bus.endpoints() == ["cache.position", "risk.execute"]


# -- INVARIANT ---------------------------------------------------------------------------------

TOPICS = ["book.binance.btcusdt", "book.binance.ethusdt", "book.okx.btcusdt", "trade.okx.btcusdt"]
PATTERNS = [*TOPICS, "book.*", "*.btcusdt", "book.binance.???usdt", "*", "trade.*.eth*"]
HANDLERS = [f"h{i}" for i in range(4)]


@given(
    operations=st.lists(
        st.one_of(
            st.tuples(
                st.just("subscribe"),
                st.sampled_from(PATTERNS),
                st.sampled_from(HANDLERS),
                st.integers(-1, 1),
            ),
            st.tuples(st.just("unsubscribe"), st.sampled_from(PATTERNS), st.sampled_from(HANDLERS)),
            st.tuples(st.just("register"), st.sampled_from(TOPICS)),
        ),
        max_size=25,
    )
)
def test_resolved_delivery_equals_matching_every_subscription_per_message(operations):
    bus = MessageBus()
    calls = []
    handlers = {name: Recorder(name, calls) for name in HANDLERS}
    model = []  # (sequence, pattern, handler name, priority) of live subscriptions
    for sequence, (kind, *args) in enumerate(operations):
        if kind == "register":
            bus.topic_handle(args[0])
            continue
        pattern, name = args[0], args[1]
        live = [entry for entry in model if entry[1:3] == (pattern, name)]
        if kind == "subscribe" and not live:
            bus.subscribe(pattern, handlers[name], priority=args[2])
            model.append((sequence, pattern, name, args[2]))
        elif kind == "unsubscribe" and live:
            bus.unsubscribe(pattern, handlers[name])
            model.remove(live[0])
    for topic in TOPICS:
        calls.clear()
        bus.publish(topic, topic)
        matching = [entry for entry in model if fnmatch.fnmatchcase(topic, entry[1])]
        matching.sort(key=lambda entry: (-entry[3], entry[0]))
        assert [name for name, _ in calls] == [entry[2] for entry in matching]
