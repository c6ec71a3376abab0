"""Timer schedules and the event a timer delivers to its callback.

A repeating timer anchored at ``start_ns`` fires at ``start_ns + k * interval_ns`` for k = 1, 2,
... up to ``stop_ns``: fire times are computed from the anchor, never by adding intervals to the
time a callback ran, so they do not drift. An alert fires once, at its time.
"""

cimport cython
from libc.stdint cimport INT64_MAX


# -- EVENT -------------------------------------------------------------------------------------

@cython.final
@cython.freelist(64)
cdef class TimeEvent:
    """The fact that a timer or alert fired.

    Parameters
    ----------
    name : str
        Name of the timer or alert.
    ts_event : int
        Scheduled fire time, UNIX ns.
    ts_init : int
        Clock time when the callback was invoked, UNIX ns.
    """

    def __init__(self, str name not None, int64_t ts_event, int64_t ts_init):
        self.name = name
        self.ts_event = ts_event
        self.ts_init = ts_init

    def __repr__(self):
        return f"TimeEvent(name={self.name!r}, ts_event={self.ts_event}, ts_init={self.ts_init})"

    def __eq__(self, other):
        if not isinstance(other, TimeEvent):
            return NotImplemented
        cdef TimeEvent that = <TimeEvent>other
        return (
            self.name == that.name
            and self.ts_event == that.ts_event
            and self.ts_init == that.ts_init
        )

    def __hash__(self):
        return hash((self.name, self.ts_event, self.ts_init))


cdef TimeEvent time_event(str name, int64_t ts_event, int64_t ts_init):
    cdef TimeEvent event = TimeEvent.__new__(TimeEvent)
    event.name = name
    event.ts_event = ts_event
    event.ts_init = ts_init
    return event


# -- TIMER -------------------------------------------------------------------------------------

@cython.final
cdef class Timer:
    """Schedule of one named timer or alert, owned by a clock.

    Clocks create timers in ``set_timer`` / ``set_time_alert``; user code reads them only
    through the clock (``timer_names``, ``next_time_ns``).

    Parameters
    ----------
    name : str
        Unique name among the clock's timers.
    callback : callable
        Called as ``callback(TimeEvent)``.
    start_ns : int
        Anchor of the schedule (the alert time for an alert), UNIX ns.
    interval_ns : int
        Period, ns; 0 makes a one-shot alert at ``start_ns``.
    stop_ns : int
        Last allowed fire time, UNIX ns.
    sequence : int
        Order of creation among the clock's timers.
    """

    def __cinit__(
        self,
        str name,
        callback,
        int64_t start_ns,
        int64_t interval_ns,
        int64_t stop_ns,
        int64_t sequence,
    ):
        self.name = name
        self.callback = callback
        self.start_ns = start_ns
        self.interval_ns = interval_ns
        self.stop_ns = stop_ns
        self.sequence = sequence
        self.next_ns = start_ns
        self._fire_index = 0
        self._heap_index = -1
        self._handle = None

    def __repr__(self):
        return (
            f"Timer(name={self.name!r}, interval_ns={self.interval_ns}, "
            f"next_ns={self.next_ns}, stop_ns={self.stop_ns})"
        )

    cdef bint _is_alert(self) noexcept:
        return self.interval_ns == 0

    @cython.cdivision(True)
    cdef bint _schedule_at_or_after(self, int64_t t_ns) noexcept:
        # Move to the first fire (k >= 1, k past the current one) at or after t_ns; False when
        # that fire would be past stop_ns or beyond int64 (the timer is then exhausted).
        # Clocks validate interval_ns > 0 and start_ns, t_ns >= 0, so the divisions are by a
        # positive number of non-negative values and C division equals Python's.
        cdef int64_t k = self._fire_index + 1
        cdef int64_t needed_k
        if t_ns > self.start_ns:
            needed_k = (t_ns - self.start_ns - 1) // self.interval_ns + 1
            if needed_k > k:
                k = needed_k
        if k > (INT64_MAX - self.start_ns) // self.interval_ns:
            return False
        if self.start_ns + k * self.interval_ns > self.stop_ns:
            return False
        self._fire_index = k
        self.next_ns = self.start_ns + k * self.interval_ns
        return True

    cdef bint _schedule_after(self, int64_t t_ns) noexcept:
        # Move to the first fire past the current one strictly after t_ns.
        if t_ns == INT64_MAX:
            return False
        return self._schedule_at_or_after(t_ns + 1)
