"""The request methods of ``SimExecutionClient``, in Cython: one C call per request."""

from hftcore.clock.clock cimport Clock


cdef class SimOrderEntry:
    cdef Clock _clock
    cdef object _submit
    cdef object _cancel
    cdef object _modify
