"""Wall clock with timers scheduled on the running asyncio loop."""

from libc.stdint cimport int64_t, uint64_t

from hftcore.clock.clock cimport Clock
from hftcore.clock.timer cimport Timer


cdef int64_t unix_time_ns() noexcept nogil


cdef class LiveClock(Clock):
    cdef readonly uint64_t callback_error_count
    """Timer callbacks that raised; each was logged and the timer kept going."""
    cdef object _loop

    cpdef int64_t timestamp_ns(self) except? -1
    cdef object _event_loop(self)
    cdef int _add_timer(self, Timer timer) except -1
    cdef int _remove_timer(self, Timer timer) except -1
    cdef int _schedule(self, Timer timer) except -1
    cdef int _fire(self, Timer timer) except -1
