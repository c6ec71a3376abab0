"""Timer schedules and the event a timer delivers to its callback."""

from libc.stdint cimport int64_t


# -- EVENT -------------------------------------------------------------------------------------

cdef class TimeEvent:
    cdef readonly str name
    """Name of the timer or alert that fired."""
    cdef readonly int64_t ts_event
    """Scheduled fire time, UNIX ns."""
    cdef readonly int64_t ts_init
    """Clock time when the callback was invoked, UNIX ns (equal to ``ts_event`` in backtest)."""


cdef TimeEvent time_event(str name, int64_t ts_event, int64_t ts_init)


# -- TIMER -------------------------------------------------------------------------------------

cdef class Timer:
    cdef readonly str name
    """Name given to ``set_timer`` or ``set_time_alert``, unique among a clock's timers."""
    cdef readonly object callback
    """Called as ``callback(TimeEvent)`` at each fire."""
    cdef readonly int64_t start_ns
    """Anchor of the schedule, UNIX ns: fire k is at ``start_ns + k * interval_ns``."""
    cdef readonly int64_t interval_ns
    """Period between fires, ns; 0 for a one-shot alert."""
    cdef readonly int64_t stop_ns
    """Last allowed fire time, UNIX ns (INT64_MAX when the timer repeats forever)."""
    cdef readonly int64_t next_ns
    """Time of the next fire, UNIX ns."""
    cdef readonly int64_t sequence
    """Order in which the clock's timers were set; breaks ties between equal fire times."""
    cdef int64_t _fire_index
    cdef Py_ssize_t _heap_index
    cdef object _handle

    cdef bint _is_alert(self) noexcept
    cdef bint _schedule_at_or_after(self, int64_t t_ns) noexcept
    cdef bint _schedule_after(self, int64_t t_ns) noexcept
