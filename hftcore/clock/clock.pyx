"""Clocks with named timers: the common base and the data-driven backtest clock.

Every clock offers the same API, so strategies do not know whether they are live: the time
(``timestamp_ns``), repeating timers (``set_timer``), one-shot alerts (``set_time_alert``) and
their cancellation. Callbacks receive a :class:`~hftcore.clock.timer.TimeEvent`.

:class:`TestClock` is moved by the replay engine: its time is the time of the data being
replayed, and ``advance_time`` fires every due timer and alert in timestamp order (ties in the
order the timers were set), with the clock set to each fire time before its callback runs.
"""

cimport cython
from libc.stdint cimport INT64_MAX

from hftcore.clock.timer cimport Timer, time_event

from hftcore.errors import ClockError


cdef inline bint _fires_before(Timer a, Timer b) noexcept:
    return a.next_ns < b.next_ns or (a.next_ns == b.next_ns and a.sequence < b.sequence)


# -- BASE --------------------------------------------------------------------------------------

cdef class Clock:
    """Base of :class:`TestClock` and :class:`~hftcore.clock.live_clock.LiveClock`.

    Holds the named timers and validates the timer API; subclasses tell the time and schedule
    the fires. Not instantiated directly.
    """

    def __cinit__(self, *args, **kwargs):
        self._timers = {}
        self._next_sequence = 0

    cpdef int64_t timestamp_ns(self) except? -1:
        """Return the clock's current time.

        Returns
        -------
        int
            UNIX time, ns.
        """
        raise NotImplementedError(f"{type(self).__name__} does not tell the time")

    def set_timer(self, str name, int64_t interval_ns, callback, start_ns=None, stop_ns=None):
        """Call ``callback`` every ``interval_ns``, at ``start_ns + k * interval_ns``, k >= 1.

        Fire times are computed from ``start_ns``, so they never drift. When ``start_ns`` is in
        the past, fires before the current time are skipped.

        Parameters
        ----------
        name : str
            Name of the timer, unique among this clock's timers and alerts.
        interval_ns : int
            Period, ns; > 0.
        callback : callable
            Called as ``callback(TimeEvent)`` at each fire.
        start_ns : int, optional
            Anchor of the schedule, UNIX ns; default the current time.
        stop_ns : int, optional
            Last allowed fire time, UNIX ns; default none (the timer repeats until canceled).

        Raises
        ------
        ClockError
            If ``name`` is empty or already used, ``interval_ns`` <= 0, ``callback`` is not
            callable, ``start_ns`` is negative, or ``stop_ns`` is before the first fire.
        """
        if interval_ns <= 0:
            raise ClockError(
                f"set_timer: timer {name!r}: interval_ns must be > 0, got {interval_ns}"
            )
        cdef int64_t now_ns = self.timestamp_ns()
        cdef int64_t first_start_ns = now_ns if start_ns is None else start_ns
        cdef int64_t last_ns = INT64_MAX if stop_ns is None else stop_ns
        if first_start_ns < 0:
            raise ClockError(f"set_timer: timer {name!r}: start_ns must be >= 0, got {start_ns}")
        cdef Timer timer = self._new_timer(
            name, callback, first_start_ns, interval_ns, last_ns, "set_timer"
        )
        if not timer._schedule_at_or_after(now_ns):
            raise ClockError(
                f"set_timer: timer {name!r}: stop_ns {stop_ns} is before its first fire "
                f"(start_ns {first_start_ns} + k * interval_ns {interval_ns}, at or after now "
                f"{now_ns})"
            )
        self._add_timer(timer)
        self._timers[name] = timer

    def set_time_alert(self, str name, int64_t at_ns, callback):
        """Call ``callback`` once, at ``at_ns``.

        Parameters
        ----------
        name : str
            Name of the alert, unique among this clock's timers and alerts.
        at_ns : int
            Fire time, UNIX ns; not before the current time.
        callback : callable
            Called as ``callback(TimeEvent)``.

        Raises
        ------
        ClockError
            If ``name`` is empty or already used, ``callback`` is not callable, or ``at_ns`` is
            in the past.
        """
        cdef int64_t now_ns = self.timestamp_ns()
        if at_ns < now_ns:
            raise ClockError(
                f"set_time_alert: alert {name!r}: at_ns {at_ns} is in the past (now {now_ns})"
            )
        cdef Timer timer = self._new_timer(name, callback, at_ns, 0, at_ns, "set_time_alert")
        self._add_timer(timer)
        self._timers[name] = timer

    def cancel_timer(self, str name):
        """Cancel the timer or alert ``name``; it will not fire again.

        Parameters
        ----------
        name : str
            A pending timer or alert (an alert that fired, or a timer past its ``stop_ns``, is
            no longer pending).

        Raises
        ------
        ClockError
            If no pending timer or alert has that name.
        """
        cdef Timer timer = self._timer(name, "cancel_timer")
        del self._timers[name]
        self._remove_timer(timer)

    def cancel_timers(self):
        """Cancel every pending timer and alert."""
        cdef Timer timer
        for timer in list(self._timers.values()):
            del self._timers[timer.name]
            self._remove_timer(timer)

    @property
    def timer_names(self):
        """list of str: names of the pending timers and alerts, in the order they were set."""
        return list(self._timers)

    def next_time_ns(self, str name):
        """Return the next fire time of the timer or alert ``name``.

        Parameters
        ----------
        name : str
            A pending timer or alert.

        Returns
        -------
        int
            UNIX time of the next fire, ns.

        Raises
        ------
        ClockError
            If no pending timer or alert has that name.
        """
        return self._timer(name, "next_time_ns").next_ns

    cdef Timer _new_timer(
        self,
        str name,
        object callback,
        int64_t start_ns,
        int64_t interval_ns,
        int64_t stop_ns,
        str field,
    ):
        if name is None or len(name) == 0:
            raise ClockError(f"{field}: name must be a non-empty string, got {name!r}")
        if name in self._timers:
            raise ClockError(f"{field}: a timer or alert named {name!r} is already set")
        if not callable(callback):
            raise ClockError(
                f"{field}: timer {name!r}: callback must be callable, got {callback!r}"
            )
        cdef Timer timer = Timer(
            name, callback, start_ns, interval_ns, stop_ns, self._next_sequence
        )
        self._next_sequence += 1
        return timer

    cdef Timer _timer(self, str name, str field):
        cdef Timer timer = self._timers.get(name)
        if timer is None:
            pending = ", ".join(self._timers) or "none"
            raise ClockError(
                f"{field}: no pending timer or alert named {name!r}; pending: {pending}"
            )
        return timer

    cdef int _add_timer(self, Timer timer) except -1:
        raise NotImplementedError(f"{type(self).__name__} does not schedule timers")

    cdef int _remove_timer(self, Timer timer) except -1:
        raise NotImplementedError(f"{type(self).__name__} does not schedule timers")


# -- BACKTEST ----------------------------------------------------------------------------------

@cython.final
cdef class TestClock(Clock):
    """Clock whose time is set by the data being replayed.

    Parameters
    ----------
    start_ns : int, default 0
        Initial time, UNIX ns; >= 0.

    Raises
    ------
    ClockError
        If ``start_ns`` is negative.

    Notes
    -----
    A replay loop moves the clock to each data event's time before handling the event, so the
    timers due up to then fire first, in order (Cython callers use ``advance_time_c``)::

        clock.advance_time_c(event.ts_init, True)
        handle(event)

    ``next_timer_ns()`` (INT64_MAX when none) tells such a loop, without a Python call, whether
    any timer is due before its next event. A callback that raises stops ``advance_time`` with
    the clock at that fire's time; the fire is consumed.
    """

    __test__ = False  # keep pytest from collecting the class as a test suite

    def __init__(self, int64_t start_ns=0):
        if start_ns < 0:
            raise ClockError(f"TestClock: start_ns must be >= 0, got {start_ns}")
        self._time_ns = start_ns
        self._heap = []
        self._is_advancing = False

    cpdef int64_t timestamp_ns(self) except? -1:
        """Return the clock's current time.

        Returns
        -------
        int
            UNIX time, ns.
        """
        return self._time_ns

    def set_time(self, int64_t to_ns):
        """Move the clock to ``to_ns`` without firing anything.

        Parameters
        ----------
        to_ns : int
            New time, UNIX ns.

        Raises
        ------
        ClockError
            If ``to_ns`` is before the current time, a timer or alert is due before ``to_ns``
            (use ``advance_time``), or the call comes from inside a timer callback.
        """
        self.set_time_c(to_ns)

    def advance_time(self, int64_t to_ns, bint fire=True):
        """Move the clock to ``to_ns``, firing every timer and alert due up to it.

        Fires run in timestamp order, ties in the order the timers were set; the clock is set
        to each fire's time before its callback runs. Timers and alerts set by a callback are
        honoured if due up to ``to_ns``.

        Parameters
        ----------
        to_ns : int
            New time, UNIX ns.
        fire : bool, default True
            When False, due fires are consumed without calling the callbacks (repeating timers
            move to their first fire after ``to_ns``; due alerts are dropped).

        Raises
        ------
        ClockError
            If ``to_ns`` is before the current time or the call comes from inside a timer
            callback.
        """
        self.advance_time_c(to_ns, fire)

    cpdef int64_t next_timer_ns(self) noexcept:
        """Return the time of the earliest pending fire.

        Returns
        -------
        int
            UNIX time, ns; INT64_MAX (``2**63 - 1``) when no timer or alert is pending.
        """
        if len(self._heap) == 0:
            return INT64_MAX
        return (<Timer>self._heap[0]).next_ns

    cdef int set_time_c(self, int64_t to_ns) except -1:
        self._check_not_advancing("set_time")
        if to_ns < self._time_ns:
            raise ClockError(
                f"set_time: to_ns {to_ns} is before the current time {self._time_ns}; "
                "time cannot go backwards"
            )
        cdef Timer timer
        if len(self._heap) > 0:
            timer = <Timer>self._heap[0]
            if timer.next_ns < to_ns:
                raise ClockError(
                    f"set_time: to_ns {to_ns} would skip {timer.name!r} due at "
                    f"{timer.next_ns}; use advance_time"
                )
        self._time_ns = to_ns
        return 0

    cdef int advance_time_c(self, int64_t to_ns, bint fire) except -1:
        self._check_not_advancing("advance_time")
        if to_ns < self._time_ns:
            raise ClockError(
                f"advance_time: to_ns {to_ns} is before the current time {self._time_ns}; "
                "time cannot go backwards"
            )
        cdef Timer timer
        cdef int64_t fire_ns
        cdef bint is_pending
        self._is_advancing = True
        try:
            while len(self._heap) > 0:
                timer = <Timer>self._heap[0]
                fire_ns = timer.next_ns
                if fire_ns > to_ns:
                    break
                if timer._is_alert():
                    is_pending = False
                elif fire:
                    is_pending = timer._schedule_after(fire_ns)
                else:
                    is_pending = timer._schedule_after(to_ns)
                if is_pending:
                    self._sift_down(0)
                else:
                    del self._timers[timer.name]
                    self._heap_remove(timer)
                if fire:
                    self._time_ns = fire_ns
                    timer.callback(time_event(timer.name, fire_ns, fire_ns))
        finally:
            self._is_advancing = False
        self._time_ns = to_ns
        return 0

    cdef int _check_not_advancing(self, str field) except -1:
        if self._is_advancing:
            raise ClockError(
                f"{field}: called from inside a timer callback at {self._time_ns}; "
                "only the replay loop moves a TestClock"
            )
        return 0

    cdef int _add_timer(self, Timer timer) except -1:
        self._heap_push(timer)
        return 0

    cdef int _remove_timer(self, Timer timer) except -1:
        self._heap_remove(timer)
        return 0

    # -- HEAP (binary min-heap on (next_ns, sequence); each timer knows its index) ----------

    cdef int _heap_push(self, Timer timer) except -1:
        self._heap.append(timer)
        timer._heap_index = len(self._heap) - 1
        self._sift_up(timer._heap_index)
        return 0

    cdef int _heap_remove(self, Timer timer) except -1:
        cdef Py_ssize_t index = timer._heap_index
        cdef Timer last = <Timer>self._heap.pop()
        timer._heap_index = -1
        if last is not timer:
            self._place(last, index)
            self._sift_up(index)
            self._sift_down(last._heap_index)
        return 0

    cdef int _sift_up(self, Py_ssize_t index) except -1:
        cdef Timer timer = <Timer>self._heap[index]
        cdef Timer parent
        while index > 0:
            parent = <Timer>self._heap[(index - 1) >> 1]
            if not _fires_before(timer, parent):
                break
            self._place(parent, index)
            index = (index - 1) >> 1
        self._place(timer, index)
        return 0

    cdef int _sift_down(self, Py_ssize_t index) except -1:
        cdef Py_ssize_t size = len(self._heap)
        cdef Timer timer = <Timer>self._heap[index]
        cdef Py_ssize_t child
        while True:
            child = 2 * index + 1
            if child >= size:
                break
            if child + 1 < size and _fires_before(
                <Timer>self._heap[child + 1], <Timer>self._heap[child]
            ):
                child += 1
            if not _fires_before(<Timer>self._heap[child], timer):
                break
            self._place(<Timer>self._heap[child], index)
            index = child
        self._place(timer, index)
        return 0

    cdef int _place(self, Timer timer, Py_ssize_t index) except -1:
        self._heap[index] = timer
        timer._heap_index = index
        return 0
