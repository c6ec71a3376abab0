"""Why orders were rejected or denied, collected from the order events of a run."""

cimport cython


@cython.final
cdef class RejectLog:
    cdef readonly dict reasons
    """Client order id text -> reason of the rejection or denial."""
