"""Wall clock with timers scheduled on the running asyncio loop.

:class:`LiveClock` tells UNIX time from ``clock_gettime(CLOCK_REALTIME)`` in ns. Each fire is
mapped to the loop's monotonic time (``loop.call_at``) from the wall-clock distance to its
scheduled time, and the next fire is computed from the timer's anchor, so timers do not drift.
A fire missed by more than one interval (the loop was blocked) is skipped, not replayed in a
burst. A callback that raises is counted and logged; the timer keeps firing.

Timers must be set, canceled and fired on the loop's thread (asyncio handles are not
thread-safe).
"""

import asyncio
import logging

cimport cython
from posix.time cimport CLOCK_REALTIME, clock_gettime, timespec

from hftcore.clock.timer cimport time_event

from hftcore.errors import ClockError

log = logging.getLogger(__name__)


cdef int64_t unix_time_ns() noexcept nogil:
    cdef timespec now
    clock_gettime(CLOCK_REALTIME, &now)
    return <int64_t>now.tv_sec * 1_000_000_000 + now.tv_nsec


@cython.final
cdef class LiveClock(Clock):
    """Wall clock (UNIX ns) whose timers run on an asyncio loop.

    Parameters
    ----------
    loop : asyncio.AbstractEventLoop, optional
        Loop that runs the timers; default the loop running when a timer is set.
    """

    def __init__(self, loop=None):
        self._loop = loop
        self.callback_error_count = 0

    cpdef int64_t timestamp_ns(self) except? -1:
        """Return the current UNIX time.

        Returns
        -------
        int
            UNIX time, ns.
        """
        return unix_time_ns()

    cdef object _event_loop(self):
        if self._loop is not None:
            return self._loop
        try:
            return asyncio.get_running_loop()
        except RuntimeError:
            raise ClockError(
                "LiveClock: no running asyncio loop to schedule timers on; set timers from "
                "inside the loop or pass loop= to LiveClock"
            ) from None

    cdef int _add_timer(self, Timer timer) except -1:
        self._schedule(timer)
        return 0

    cdef int _remove_timer(self, Timer timer) except -1:
        if timer._handle is not None:
            timer._handle.cancel()
            timer._handle = None
        return 0

    cdef int _schedule(self, Timer timer) except -1:
        loop = self._event_loop()
        cdef double delay_s = (timer.next_ns - unix_time_ns()) / 1e9
        timer._handle = loop.call_at(loop.time() + delay_s, self._on_timer, timer)
        return 0

    def _on_timer(self, Timer timer):
        self._fire(timer)

    cdef int _fire(self, Timer timer) except -1:
        if self._timers.get(timer.name) is not timer:
            return 0  # canceled while the loop was already running its handle
        cdef int64_t fire_ns = timer.next_ns
        cdef int64_t now_ns = unix_time_ns()
        cdef bint is_pending = False
        if not timer._is_alert():
            is_pending = timer._schedule_after(now_ns if now_ns > fire_ns else fire_ns)
        if is_pending:
            self._schedule(timer)
        else:
            del self._timers[timer.name]
            timer._handle = None
        try:
            timer.callback(time_event(timer.name, fire_ns, now_ns))
        except Exception:
            self.callback_error_count += 1
            log.exception("timer callback raised timer=%s ts_event=%d", timer.name, fire_ns)
        return 0
