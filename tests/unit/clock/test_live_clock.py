"""Tests of LiveClock: wall-clock time and timers on the running asyncio loop."""

import asyncio
import logging
import time

import pytest

from hftcore.clock import LiveClock
from hftcore.errors import ClockError

INTERVAL_NS = 5_000_000  # 5 ms
WAIT_S = 5.0  # upper bound on any wait; never reached when timers work


class Collector:
    """Callback collecting events until `count` arrived, then setting `done`."""

    def __init__(self, count):
        self.count = count
        self.events = []
        self.done = asyncio.Event()

    def __call__(self, event):
        self.events.append(event)
        if len(self.events) >= self.count:
            self.done.set()

    async def wait(self):
        await asyncio.wait_for(self.done.wait(), WAIT_S)


def test_timestamp_ns_is_the_unix_time():
    before = time.time_ns()
    now_ns = LiveClock().timestamp_ns()
    after = time.time_ns()
    assert before <= now_ns <= after


def test_set_timer_without_running_loop_raises():
    with pytest.raises(ClockError, match="no running asyncio loop"):
        LiveClock().set_timer("refresh", INTERVAL_NS, print)


async def test_timer_fires_on_its_drift_free_schedule():
    clock = LiveClock()
    collector = Collector(4)
    start_ns = clock.timestamp_ns()
    clock.set_timer("refresh", INTERVAL_NS, collector, start_ns=start_ns)
    await collector.wait()
    clock.cancel_timers()
    offsets = [event.ts_event - start_ns for event in collector.events]
    assert all(offset % INTERVAL_NS == 0 for offset in offsets)
    assert offsets == sorted(set(offsets))
    assert offsets[0] == INTERVAL_NS


async def test_timer_event_is_received_after_its_scheduled_time():
    clock = LiveClock()
    collector = Collector(1)
    clock.set_timer("refresh", INTERVAL_NS, collector)
    await collector.wait()
    clock.cancel_timers()
    (event,) = collector.events
    # The loop's monotonic clock and the wall clock may disagree by microseconds.
    assert event.ts_init >= event.ts_event - 1_000_000


async def test_alert_fires_once_at_its_time_and_is_removed():
    clock = LiveClock()
    collector = Collector(1)
    at_ns = clock.timestamp_ns() + INTERVAL_NS
    clock.set_time_alert("expire", at_ns, collector)
    await collector.wait()
    assert ([(e.name, e.ts_event) for e in collector.events], clock.timer_names) == (
        [("expire", at_ns)],
        [],
    )


async def test_canceled_alert_does_not_fire():
    clock = LiveClock()
    canceled = Collector(1)
    later = Collector(1)
    now_ns = clock.timestamp_ns()
    clock.set_time_alert("canceled", now_ns + INTERVAL_NS, canceled)
    clock.set_time_alert("later", now_ns + 4 * INTERVAL_NS, later)
    clock.cancel_timer("canceled")
    await later.wait()
    assert canceled.events == []


async def test_timer_fires_no_later_than_stop_ns_and_is_then_removed():
    clock = LiveClock()
    events = []
    removed = asyncio.Event()
    start_ns = clock.timestamp_ns()
    stop_ns = start_ns + 2 * INTERVAL_NS

    def collect(event):
        events.append(event)
        if "refresh" not in clock.timer_names:  # removed before its last callback runs
            removed.set()

    clock.set_timer("refresh", INTERVAL_NS, collect, start_ns=start_ns, stop_ns=stop_ns)
    await asyncio.wait_for(removed.wait(), WAIT_S)
    assert events[0].ts_event == start_ns + INTERVAL_NS
    assert all(event.ts_event <= stop_ns for event in events)


async def test_raising_callback_is_logged_counted_and_timer_keeps_firing(caplog):
    clock = LiveClock()
    collector = Collector(2)

    def fail_then_collect(event):
        collector(event)
        raise RuntimeError("callback failed")

    with caplog.at_level(logging.ERROR, logger="hftcore.clock.live_clock"):
        clock.set_timer("refresh", INTERVAL_NS, fail_then_collect)
        await collector.wait()
    clock.cancel_timers()
    assert clock.callback_error_count >= 2
    assert "timer=refresh" in caplog.records[0].getMessage()


async def test_next_time_ns_is_the_next_scheduled_fire():
    clock = LiveClock()
    start_ns = clock.timestamp_ns()
    clock.set_timer("refresh", 10 * INTERVAL_NS, print, start_ns=start_ns)
    next_ns = clock.next_time_ns("refresh")
    clock.cancel_timers()
    assert next_ns == start_ns + 10 * INTERVAL_NS


async def test_clock_given_a_loop_schedules_timers_on_it():
    collector = Collector(1)
    clock = LiveClock(loop=asyncio.get_running_loop())
    clock.set_time_alert("expire", clock.timestamp_ns() + INTERVAL_NS, collector)
    await collector.wait()
    assert len(collector.events) == 1
