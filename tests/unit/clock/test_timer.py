"""Tests of TimeEvent, the event a timer delivers."""

import pytest

from hftcore.clock import TimeEvent


def test_time_event_exposes_its_fields():
    event = TimeEvent("refresh", 1_000, 1_250)
    assert (event.name, event.ts_event, event.ts_init) == ("refresh", 1_000, 1_250)


def test_time_event_fields_are_read_only():
    event = TimeEvent("refresh", 1_000, 1_250)
    with pytest.raises(AttributeError):
        event.ts_event = 5


def test_time_events_with_equal_fields_are_equal_and_hash_alike():
    first, second = TimeEvent("refresh", 1, 2), TimeEvent("refresh", 1, 2)
    assert first == second
    assert hash(first) == hash(second)


def test_time_events_with_different_times_differ():
    assert TimeEvent("refresh", 1, 2) != TimeEvent("refresh", 1, 3)


def test_time_event_repr_names_every_field():
    assert repr(TimeEvent("refresh", 1, 2)) == "TimeEvent(name='refresh', ts_event=1, ts_init=2)"


def test_time_event_without_name_raises():
    with pytest.raises(TypeError):
        TimeEvent(None, 1, 2)
