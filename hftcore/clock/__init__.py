"""Clocks: ``TestClock`` driven by replayed data, ``LiveClock`` on the wall clock, and timers."""

from hftcore.clock.clock import Clock, TestClock
from hftcore.clock.live_clock import LiveClock
from hftcore.clock.timer import TimeEvent

__all__ = ["Clock", "LiveClock", "TestClock", "TimeEvent"]
