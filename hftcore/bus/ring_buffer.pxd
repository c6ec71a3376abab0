"""Bounded hand-off of Python objects from one thread to another."""

from libc.stdint cimport uint64_t


cpdef enum OverflowPolicy:
    BLOCK = 1
    DROP_OLDEST = 2
    DROP_NEWEST = 3


cdef class RingBuffer:
    cdef readonly Py_ssize_t capacity
    """Maximum number of items held."""
    cdef readonly object block_timeout_s
    """Longest wait of a BLOCK ``put`` for room, seconds; None waits until room or close."""
    cdef readonly uint64_t put_count
    """Items accepted by ``put``."""
    cdef readonly uint64_t get_count
    """Items handed to the consumer by ``get`` or ``drain``."""
    cdef readonly uint64_t overflow_count
    """Calls of ``put`` that found the buffer full."""
    cdef readonly uint64_t dropped_count
    """Items lost: evicted, refused (DROP_NEWEST, BLOCK timeout) or put after ``close``."""
    cdef readonly bint is_closed
    """True once ``close`` was called."""
    cdef OverflowPolicy _policy
    cdef list _slots
    cdef Py_ssize_t _head
    cdef Py_ssize_t _size
    cdef object _lock
    cdef object _not_empty
    cdef object _not_full

    # -- PRODUCER ------------------------------------------------------------------------------
    cpdef bint put(self, object item) except -1
    cdef int _wait_for_room(self) except -1
    cpdef close(self)

    # -- CONSUMER ------------------------------------------------------------------------------
    cpdef object get(self, object timeout_s=*)
    cpdef list drain(self, Py_ssize_t max_items, object timeout_s=*)
    cdef bint _wait_for_item(self, object timeout_s) except -1
    cdef object _pop(self)
