"""Clocks with named timers: the common base and the data-driven backtest clock."""

from libc.stdint cimport int64_t

from hftcore.clock.timer cimport Timer


# -- BASE --------------------------------------------------------------------------------------

cdef class Clock:
    cdef dict _timers
    cdef int64_t _next_sequence

    cpdef int64_t timestamp_ns(self) except? -1
    cdef Timer _new_timer(
        self,
        str name,
        object callback,
        int64_t start_ns,
        int64_t interval_ns,
        int64_t stop_ns,
        str field,
    )
    cdef Timer _timer(self, str name, str field)
    cdef int _add_timer(self, Timer timer) except -1
    cdef int _remove_timer(self, Timer timer) except -1


# -- BACKTEST ----------------------------------------------------------------------------------

cdef class TestClock(Clock):
    cdef int64_t _time_ns
    cdef list _heap
    cdef bint _is_advancing

    cpdef int64_t timestamp_ns(self) except? -1
    cpdef int64_t next_timer_ns(self) noexcept
    cdef int set_time_c(self, int64_t to_ns) except -1
    cdef int advance_time_c(self, int64_t to_ns, bint fire) except -1
    cdef int _check_not_advancing(self, str field) except -1
    cdef int _add_timer(self, Timer timer) except -1
    cdef int _remove_timer(self, Timer timer) except -1
    cdef int _heap_push(self, Timer timer) except -1
    cdef int _heap_remove(self, Timer timer) except -1
    cdef int _sift_up(self, Py_ssize_t index) except -1
    cdef int _sift_down(self, Py_ssize_t index) except -1
    cdef int _place(self, Timer timer, Py_ssize_t index) except -1
