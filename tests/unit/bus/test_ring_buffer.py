"""Tests of the bounded cross-thread RingBuffer and its overflow policies."""

import threading
from collections import deque
from queue import Empty

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hftcore.bus import OverflowPolicy, RingBuffer
from hftcore.errors import BusError

WAIT_S = 5.0  # upper bound on any wait for another thread; never reached when things work


def run_thread(target, *args):
    thread = threading.Thread(target=target, args=args, daemon=True)
    thread.start()
    return thread


def finish(thread):
    thread.join(WAIT_S)
    assert not thread.is_alive(), "thread did not finish in time"


# -- SINGLE THREAD -----------------------------------------------------------------------------


def test_get_returns_items_in_put_order():
    buffer = RingBuffer(4)
    for item in ("a", "b", "c"):
        buffer.put(item)
    assert [buffer.get(0), buffer.get(0), buffer.get(0)] == ["a", "b", "c"]


def test_len_counts_held_items():
    buffer = RingBuffer(4)
    buffer.put(1)
    buffer.put(2)
    buffer.get(0)
    assert len(buffer) == 1


def test_items_wrap_around_the_slots_in_order():
    buffer = RingBuffer(3)
    taken = []
    for item in range(10):
        buffer.put(item)
        if item % 2:
            taken.extend(buffer.drain(3, 0))
    taken.extend(buffer.drain(3, 0))
    assert taken == list(range(10))


def test_drop_newest_refuses_item_when_full_and_counts_it():
    buffer = RingBuffer(2, OverflowPolicy.DROP_NEWEST)
    results = [buffer.put(item) for item in (1, 2, 3)]
    assert (results, buffer.drain(10, 0)) == ([True, True, False], [1, 2])
    assert (buffer.overflow_count, buffer.dropped_count) == (1, 1)


def test_drop_oldest_evicts_oldest_item_when_full_and_counts_it():
    buffer = RingBuffer(2, OverflowPolicy.DROP_OLDEST)
    results = [buffer.put(item) for item in (1, 2, 3)]
    assert (results, buffer.drain(10, 0)) == ([True, True, True], [2, 3])
    assert (buffer.overflow_count, buffer.dropped_count) == (1, 1)


def test_block_put_drops_item_after_timeout_and_counts_it():
    buffer = RingBuffer(1, OverflowPolicy.BLOCK, block_timeout_s=0.01)
    buffer.put(1)
    assert buffer.put(2) is False
    assert (buffer.overflow_count, buffer.dropped_count, buffer.drain(10, 0)) == (1, 1, [1])


def test_get_on_empty_buffer_raises_empty_after_timeout():
    buffer = RingBuffer(1)
    with pytest.raises(Empty, match=r"timeout_s=0\.01"):
        buffer.get(0.01)


def test_drain_returns_at_most_max_items_oldest_first():
    buffer = RingBuffer(8)
    for item in range(5):
        buffer.put(item)
    assert (buffer.drain(3, 0), buffer.drain(3, 0)) == ([0, 1, 2], [3, 4])


def test_drain_on_empty_buffer_returns_empty_list_after_timeout():
    buffer = RingBuffer(1)
    assert buffer.drain(10, 0.01) == []


def test_put_after_close_is_dropped_and_counted():
    buffer = RingBuffer(2)
    buffer.close()
    assert buffer.put(1) is False
    assert (buffer.dropped_count, buffer.put_count) == (1, 0)


def test_items_put_before_close_can_still_be_taken():
    buffer = RingBuffer(2)
    buffer.put(1)
    buffer.close()
    assert buffer.get() == 1


def test_get_on_closed_empty_buffer_raises_empty_without_waiting():
    buffer = RingBuffer(2)
    buffer.close()
    with pytest.raises(Empty):
        buffer.get()


def test_policy_reads_back_as_the_enum():
    assert RingBuffer(1, OverflowPolicy.DROP_OLDEST).policy is OverflowPolicy.DROP_OLDEST


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"capacity": 0}, "capacity must be >= 1, got 0"),
        ({"capacity": 1, "policy": 2}, "policy must be an OverflowPolicy, got 2"),
        ({"capacity": 1, "block_timeout_s": -1.0}, "block_timeout_s must be >= 0, got -1.0"),
    ],
)
def test_constructor_with_bad_argument_raises_naming_it(kwargs, message):
    with pytest.raises(BusError, match=message):
        RingBuffer(**kwargs)


def test_drain_with_non_positive_max_items_raises():
    with pytest.raises(BusError, match="max_items must be >= 1, got 0"):
        RingBuffer(1).drain(0)


def test_get_with_negative_timeout_raises():
    with pytest.raises(BusError, match="timeout_s must be >= 0"):
        RingBuffer(1).get(-1.0)


@given(
    policy=st.sampled_from([OverflowPolicy.DROP_OLDEST, OverflowPolicy.DROP_NEWEST]),
    capacity=st.integers(1, 5),
    operations=st.lists(st.one_of(st.integers(0, 99), st.none()), max_size=40),
)
def test_dropping_buffer_behaves_like_bounded_deque(policy, capacity, operations):
    buffer = RingBuffer(capacity, policy)
    model = deque()
    dropped = 0
    for operation in operations:
        if operation is None:
            assert buffer.drain(1, 0) == ([model.popleft()] if model else [])
        elif len(model) < capacity:
            model.append(operation)
            buffer.put(operation)
        else:
            dropped += 1
            buffer.put(operation)
            if policy == OverflowPolicy.DROP_OLDEST:
                model.popleft()
                model.append(operation)
    assert (list(model), buffer.dropped_count) == (buffer.drain(capacity, 0), dropped)


# -- TWO THREADS -------------------------------------------------------------------------------


def test_blocked_put_completes_when_consumer_takes_an_item():
    buffer = RingBuffer(1, OverflowPolicy.BLOCK)
    buffer.put("first")
    results = []
    producer = run_thread(lambda: results.append(buffer.put("second")))
    assert buffer.get(WAIT_S) == "first"
    assert buffer.get(WAIT_S) == "second"
    finish(producer)
    assert results == [True]


def test_blocked_get_returns_item_put_by_producer_thread():
    buffer = RingBuffer(1)
    received = []
    consumer = run_thread(lambda: received.append(buffer.get(WAIT_S)))
    buffer.put("item")
    finish(consumer)
    assert received == ["item"]


def test_close_wakes_consumer_blocked_in_get():
    buffer = RingBuffer(1)
    outcomes = []

    def consume():
        try:
            buffer.get()
        except Empty:
            outcomes.append("empty")

    consumer = run_thread(consume)
    buffer.close()
    finish(consumer)
    assert outcomes == ["empty"]


def test_close_wakes_producer_blocked_in_put():
    buffer = RingBuffer(1, OverflowPolicy.BLOCK)
    buffer.put(1)
    results = []
    producer = run_thread(lambda: results.append(buffer.put(2)))
    buffer.close()
    finish(producer)
    assert (results, buffer.dropped_count) == ([False], 1)


def test_block_policy_hands_every_item_across_threads_in_order():
    buffer = RingBuffer(16, OverflowPolicy.BLOCK)
    item_count = 20_000
    received = []

    def consume():
        while len(received) < item_count:
            received.extend(buffer.drain(64, WAIT_S))

    consumer = run_thread(consume)
    for item in range(item_count):
        buffer.put(item)
    finish(consumer)
    assert received == list(range(item_count))
    assert (buffer.put_count, buffer.get_count, buffer.dropped_count) == (item_count, item_count, 0)


def test_drop_oldest_across_threads_loses_only_counted_items_and_keeps_order():
    buffer = RingBuffer(8, OverflowPolicy.DROP_OLDEST)
    item_count = 20_000
    received = []

    def consume():
        while True:
            batch = buffer.drain(64, WAIT_S)
            if not batch:
                return
            received.extend(batch)

    consumer = run_thread(consume)
    for item in range(item_count):
        buffer.put(item)
    buffer.close()
    finish(consumer)
    assert received == sorted(set(received))
    assert len(received) + buffer.dropped_count == item_count
