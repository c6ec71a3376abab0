"""Negative-cycle detection over a dense weighted graph, for multi-leg arbitrage."""

cimport cython
from libc.stdint cimport int32_t, int64_t, uint8_t


@cython.final
cdef class ArbGraph:
    cdef readonly Py_ssize_t node_count
    """Nodes (assets) of the graph, indexed 0 .. node_count - 1."""
    cdef readonly Py_ssize_t edge_count
    """Directed edges currently set."""
    cdef readonly double tolerance
    """A relaxation must shorten a distance by more than this (absorbs float rounding)."""
    cdef readonly bint has_potentials
    """True when the distances of the last pass are valid potentials for incremental search."""
    cdef readonly int64_t full_pass_count
    """Full Bellman-Ford passes run."""
    cdef readonly int64_t incremental_pass_count
    """Incremental (SPFA from changed edges) passes run."""
    cdef readonly int64_t relaxation_count
    """Distance improvements made by the last pass."""

    # Dense n x n weights (INFINITY where there is no edge) and each edge's slot in the edge
    # list (-1 where there is none).
    cdef double* _weights
    cdef int32_t* _edge_slots
    cdef int32_t* _edge_tails
    cdef int32_t* _edge_heads
    # Out-neighbours of u at _adjacency[u * n .. u * n + _out_degrees[u]).
    cdef int32_t* _adjacency
    cdef int32_t* _out_degrees
    cdef int32_t* _adjacency_slots
    # Shortest-path state of the last pass.
    cdef double* _distances
    cdef int32_t* _predecessors
    cdef int32_t* _path_lengths
    # SPFA queue (ring of n slots) and membership flags; tails of edges that broke potentials.
    cdef int32_t* _queue
    cdef uint8_t* _in_queue
    cdef int32_t* _dirty_tails
    cdef Py_ssize_t _dirty_count
    cdef uint8_t* _is_dirty
    # The last cycle found, in edge order.
    cdef int32_t* _cycle
    cdef Py_ssize_t _cycle_length

    # -- EDGES ---------------------------------------------------------------------------------
    cdef int _check_node(self, str field, Py_ssize_t node) except -1
    cdef void _set_edge(self, Py_ssize_t tail, Py_ssize_t head, double weight) noexcept nogil
    cdef void _remove_edge(self, Py_ssize_t tail, Py_ssize_t head) noexcept nogil
    cdef void _mark_dirty(self, Py_ssize_t node) noexcept nogil
    cdef void _clear_dirty(self) noexcept nogil

    # -- DETECTION -----------------------------------------------------------------------------
    cdef Py_ssize_t _bellman_ford(self) noexcept nogil
    cdef Py_ssize_t _spfa_from_dirty(self) noexcept nogil
    cdef Py_ssize_t _extract_cycle(self, Py_ssize_t start) noexcept nogil
    cdef double _cycle_weight(self) noexcept nogil
    cdef list _cycle_list(self)
