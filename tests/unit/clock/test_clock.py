"""Tests of the common timer API and the data-driven TestClock."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hftcore.clock import Clock, TestClock
from hftcore.errors import ClockError

INT64_MAX = 2**63 - 1


class Recorder:
    """Callback recording (name, ts_event, ts_init, clock time at call)."""

    def __init__(self, clock):
        self.clock = clock
        self.fires = []

    def __call__(self, event):
        self.fires.append((event.name, event.ts_event, event.ts_init, self.clock.timestamp_ns()))

    @property
    def names_and_times(self):
        return [(name, ts_event) for name, ts_event, _, _ in self.fires]


@pytest.fixture
def clock():
    return TestClock(start_ns=1_000)


@pytest.fixture
def recorder(clock):
    return Recorder(clock)


# -- TIME --------------------------------------------------------------------------------------


def test_test_clock_starts_at_start_ns(clock):
    assert clock.timestamp_ns() == 1_000


def test_test_clock_starts_at_zero_by_default():
    assert TestClock().timestamp_ns() == 0


def test_test_clock_with_negative_start_raises():
    with pytest.raises(ClockError, match="start_ns must be >= 0, got -1"):
        TestClock(start_ns=-1)


def test_test_clock_is_a_clock(clock):
    assert isinstance(clock, Clock)


def test_set_time_moves_the_clock(clock):
    clock.set_time(5_000)
    assert clock.timestamp_ns() == 5_000


def test_set_time_backwards_raises_naming_both_times(clock):
    with pytest.raises(ClockError, match="to_ns 999 is before the current time 1000"):
        clock.set_time(999)


def test_set_time_past_a_due_timer_raises_naming_it(clock, recorder):
    clock.set_time_alert("expire", 2_000, recorder)
    with pytest.raises(ClockError, match="would skip 'expire' due at 2000"):
        clock.set_time(2_001)


def test_set_time_onto_a_due_timer_is_allowed(clock, recorder):
    clock.set_time_alert("expire", 2_000, recorder)
    clock.set_time(2_000)
    assert (clock.timestamp_ns(), recorder.fires) == (2_000, [])


def test_advance_time_backwards_raises(clock):
    with pytest.raises(ClockError, match="to_ns 10 is before the current time 1000"):
        clock.advance_time(10)


def test_advance_time_without_timers_moves_the_clock_and_returns_none(clock):
    assert clock.advance_time(3_000) is None
    assert clock.timestamp_ns() == 3_000


# -- TIMERS ------------------------------------------------------------------------------------


def test_timer_fires_at_start_plus_multiples_of_interval(clock, recorder):
    clock.set_timer("refresh", 100, recorder)
    clock.advance_time(1_350)
    assert recorder.names_and_times == [("refresh", 1_100), ("refresh", 1_200), ("refresh", 1_300)]


def test_timer_callback_sees_clock_at_fire_time(clock, recorder):
    clock.set_timer("refresh", 100, recorder)
    clock.advance_time(1_250)
    assert [(ts_init, now) for _, _, ts_init, now in recorder.fires] == [
        (1_100, 1_100),
        (1_200, 1_200),
    ]


def test_clock_ends_at_to_ns_after_firing(clock, recorder):
    clock.set_timer("refresh", 100, recorder)
    clock.advance_time(1_250)
    assert clock.timestamp_ns() == 1_250


def test_timer_anchored_in_the_past_skips_fires_before_now(clock, recorder):
    clock.set_timer("bar", 300, recorder, start_ns=100)
    clock.advance_time(2_000)
    assert recorder.names_and_times == [
        ("bar", 1_000),
        ("bar", 1_300),
        ("bar", 1_600),
        ("bar", 1_900),
    ]


def test_timer_anchored_in_the_future_first_fires_one_interval_after_start(clock, recorder):
    clock.set_timer("bar", 300, recorder, start_ns=5_000)
    assert clock.next_time_ns("bar") == 5_300


def test_timer_fires_last_at_or_before_stop_ns_and_is_then_removed(clock, recorder):
    clock.set_timer("refresh", 100, recorder, stop_ns=1_300)
    clock.advance_time(2_000)
    assert recorder.names_and_times == [("refresh", 1_100), ("refresh", 1_200), ("refresh", 1_300)]
    assert clock.timer_names == []


def test_timer_with_stop_before_first_fire_raises(clock, recorder):
    with pytest.raises(ClockError, match="stop_ns 1050 is before its first fire"):
        clock.set_timer("refresh", 100, recorder, stop_ns=1_050)


@pytest.mark.parametrize("interval_ns", [0, -5])
def test_timer_with_non_positive_interval_raises_naming_it(clock, recorder, interval_ns):
    with pytest.raises(ClockError, match=f"interval_ns must be > 0, got {interval_ns}"):
        clock.set_timer("refresh", interval_ns, recorder)


def test_timer_with_negative_start_raises(clock, recorder):
    with pytest.raises(ClockError, match="start_ns must be >= 0, got -1"):
        clock.set_timer("refresh", 10, recorder, start_ns=-1)


def test_timer_with_duplicate_name_raises_naming_it(clock, recorder):
    clock.set_timer("refresh", 100, recorder)
    with pytest.raises(ClockError, match="named 'refresh' is already set"):
        clock.set_time_alert("refresh", 2_000, recorder)


def test_timer_with_empty_name_raises(clock, recorder):
    with pytest.raises(ClockError, match="name must be a non-empty string"):
        clock.set_timer("", 100, recorder)


def test_timer_with_non_callable_callback_raises(clock):
    with pytest.raises(ClockError, match="callback must be callable, got 3"):
        clock.set_timer("refresh", 100, 3)


def test_failed_set_timer_leaves_no_timer_behind(clock, recorder):
    with pytest.raises(ClockError):
        clock.set_timer("refresh", 100, recorder, stop_ns=1_050)
    assert clock.timer_names == []


# -- ALERTS ------------------------------------------------------------------------------------


def test_alert_fires_once_at_its_time_and_is_removed(clock, recorder):
    clock.set_time_alert("expire", 1_500, recorder)
    clock.advance_time(3_000)
    assert (recorder.names_and_times, clock.timer_names) == ([("expire", 1_500)], [])


def test_alert_at_current_time_fires_on_next_advance(clock, recorder):
    clock.set_time_alert("now", 1_000, recorder)
    clock.advance_time(1_000)
    assert recorder.names_and_times == [("now", 1_000)]


def test_alert_in_the_past_raises_naming_its_time(clock, recorder):
    with pytest.raises(ClockError, match=r"at_ns 999 is in the past \(now 1000\)"):
        clock.set_time_alert("late", 999, recorder)


def test_alert_name_can_be_reused_after_it_fired(clock, recorder):
    clock.set_time_alert("expire", 1_100, recorder)
    clock.advance_time(1_100)
    clock.set_time_alert("expire", 1_200, recorder)
    clock.advance_time(1_200)
    assert recorder.names_and_times == [("expire", 1_100), ("expire", 1_200)]


# -- ORDER -------------------------------------------------------------------------------------


def test_fires_of_several_timers_run_in_timestamp_order(clock, recorder):
    clock.set_timer("slow", 250, recorder)
    clock.set_timer("fast", 100, recorder)
    clock.set_time_alert("once", 1_150, recorder)
    clock.advance_time(1_300)
    assert recorder.names_and_times == [
        ("fast", 1_100),
        ("once", 1_150),
        ("fast", 1_200),
        ("slow", 1_250),
        ("fast", 1_300),
    ]


def test_fires_at_equal_times_run_in_the_order_timers_were_set(clock, recorder):
    clock.set_time_alert("b", 1_200, recorder)
    clock.set_timer("a", 100, recorder)
    clock.set_time_alert("c", 1_200, recorder)
    clock.advance_time(1_200)
    assert recorder.names_and_times == [("a", 1_100), ("b", 1_200), ("a", 1_200), ("c", 1_200)]


def test_timer_set_inside_a_callback_fires_in_the_same_advance(clock, recorder):
    def set_follow_up(event):
        clock.set_time_alert("follow_up", event.ts_event + 50, recorder)

    clock.set_time_alert("first", 1_100, set_follow_up)
    clock.advance_time(2_000)
    assert recorder.names_and_times == [("follow_up", 1_150)]


def test_timer_canceled_inside_its_own_callback_stops(clock, recorder):
    def fire_twice(event):
        recorder(event)
        if len(recorder.fires) == 2:
            clock.cancel_timer("refresh")

    clock.set_timer("refresh", 100, fire_twice)
    clock.advance_time(2_000)
    assert recorder.names_and_times == [("refresh", 1_100), ("refresh", 1_200)]


def test_advance_time_inside_a_callback_raises(clock):
    errors = []

    def advance(event):
        try:
            clock.advance_time(event.ts_event + 1)
        except ClockError as error:
            errors.append(str(error))

    clock.set_time_alert("nested", 1_100, advance)
    clock.advance_time(1_200)
    assert errors == [
        "advance_time: called from inside a timer callback at 1100; "
        "only the replay loop moves a TestClock"
    ]


def test_raising_callback_stops_advance_at_its_fire_time(clock, recorder):
    def fail(event):
        raise RuntimeError("callback failed")

    clock.set_time_alert("bad", 1_100, fail)
    clock.set_time_alert("good", 1_200, recorder)
    with pytest.raises(RuntimeError, match="callback failed"):
        clock.advance_time(1_500)
    assert (clock.timestamp_ns(), clock.timer_names) == (1_100, ["good"])


def test_advance_time_after_a_raising_callback_carries_on(clock, recorder):
    def fail(event):
        raise RuntimeError("callback failed")

    clock.set_time_alert("bad", 1_100, fail)
    clock.set_time_alert("good", 1_200, recorder)
    with pytest.raises(RuntimeError):
        clock.advance_time(1_500)
    clock.advance_time(1_500)
    assert recorder.names_and_times == [("good", 1_200)]


def test_advance_without_firing_skips_due_fires(clock, recorder):
    clock.set_timer("refresh", 100, recorder)
    clock.set_time_alert("expire", 1_150, recorder)
    clock.advance_time(1_450, fire=False)
    assert (recorder.fires, clock.timer_names, clock.next_time_ns("refresh")) == (
        [],
        ["refresh"],
        1_500,
    )


# -- NEXT FIRE ---------------------------------------------------------------------------------


def test_next_timer_ns_is_the_earliest_pending_fire(clock, recorder):
    clock.set_timer("refresh", 300, recorder)
    clock.set_time_alert("expire", 1_200, recorder)
    assert clock.next_timer_ns() == 1_200


def test_next_timer_ns_without_timers_is_int64_max(clock):
    assert clock.next_timer_ns() == INT64_MAX


def test_next_time_ns_of_unknown_timer_raises_listing_pending(clock, recorder):
    clock.set_timer("refresh", 100, recorder)
    with pytest.raises(ClockError, match="named 'nope'; pending: refresh"):
        clock.next_time_ns("nope")


# -- CANCEL ------------------------------------------------------------------------------------


def test_canceled_timer_does_not_fire(clock, recorder):
    clock.set_timer("refresh", 100, recorder)
    clock.set_time_alert("expire", 1_150, recorder)
    clock.cancel_timer("refresh")
    clock.advance_time(2_000)
    assert recorder.names_and_times == [("expire", 1_150)]


def test_cancel_of_unknown_timer_raises(clock):
    with pytest.raises(ClockError, match="cancel_timer: no pending timer or alert named 'nope'"):
        clock.cancel_timer("nope")


def test_cancel_timers_removes_every_timer(clock, recorder):
    clock.set_timer("refresh", 100, recorder)
    clock.set_time_alert("expire", 1_150, recorder)
    clock.cancel_timers()
    clock.advance_time(2_000)
    assert (recorder.fires, clock.timer_names, clock.next_timer_ns()) == ([], [], INT64_MAX)


def test_timer_names_are_in_the_order_set(clock, recorder):
    for name in ("c", "a", "b"):
        clock.set_time_alert(name, 5_000, recorder)
    assert clock.timer_names == ["c", "a", "b"]


# -- INVARIANT ---------------------------------------------------------------------------------

TIMER = st.tuples(
    st.sampled_from(["timer", "alert"]),
    st.integers(1, 50),  # interval or offset of the alert from the start, ns
    st.integers(0, 60),  # start_ns of a timer
)


@given(
    timers=st.lists(TIMER, max_size=6),
    steps=st.lists(st.integers(0, 40), min_size=1, max_size=10),
    cancel=st.sets(st.integers(0, 5)),
)
def test_fires_equal_brute_force_schedule_in_order(timers, steps, cancel):
    clock = TestClock(start_ns=10)
    recorder = Recorder(clock)
    expected = []
    end_ns = 10 + sum(steps)
    for sequence, (kind, value, start_ns) in enumerate(timers):
        name = f"t{sequence}"
        if kind == "alert":
            clock.set_time_alert(name, 10 + value, recorder)
            times = [10 + value]
        else:
            clock.set_timer(name, value, recorder, start_ns=start_ns)
            times = [
                start_ns + k * value
                for k in range(1, end_ns // value + 2)
                if start_ns + k * value >= 10
            ]
        if sequence in cancel:
            clock.cancel_timer(name)
        else:
            expected += [(t, sequence, name) for t in times if t <= end_ns]
    now_ns = 10
    for step in steps:
        now_ns += step
        clock.advance_time(now_ns)
    assert recorder.names_and_times == [(name, t) for t, _, name in sorted(expected)]
    assert all(ts_event == now for _, ts_event, _, now in recorder.fires)
