# cython: boundscheck=False, wraparound=False
"""Negative-cycle detection over a dense weighted graph, for multi-leg arbitrage.

Nodes are assets; an edge ``u -> v`` carries ``-ln(rate)``, the log cost of turning one unit of
``u`` into ``v`` (rate after fees and depth). A cycle whose weights sum below zero turns an
amount of an asset into more of itself: an arbitrage with return ``exp(-sum) - 1``.

`ArbGraph` keeps a dense ``float64`` weight matrix (``INFINITY`` where there is no edge), an edge
list and per-node out-neighbour lists, all C arrays allocated once for ``node_count`` nodes.

- `ArbGraph.find_negative_cycle` runs a full Bellman-Ford pass from a virtual source joined to
  every node by a zero edge: ``n`` rounds over the edge list with an early exit when a round
  changes nothing; a change in round ``n`` proves a negative cycle, found by walking
  predecessors ``n`` steps back (into the cycle) and around it.
- `ArbGraph.find_negative_cycle_incremental` reuses the distances of the last pass that found
  no cycle. They are *potentials*: ``d[v] <= d[u] + w(u, v)`` on every edge. Raising or removing
  an edge keeps that true; lowering one may break it on that edge only, so only the tails of
  broken edges are queued and SPFA (queue-based Bellman-Ford) relaxes outward from them. A
  node whose shortest path grows to ``n`` edges proves a negative cycle. Without valid
  potentials (first call, or after a cycle was found) it runs the full pass.

Distances must improve by more than ``tolerance`` to count, so float rounding on a zero-profit
cycle never reports an arbitrage.
"""

from libc.math cimport INFINITY, exp, isfinite
from libc.stdint cimport int32_t
from libc.stdlib cimport calloc, free, malloc

import numpy as np

cdef Py_ssize_t _MAX_NODES = 4096


cdef class ArbGraph:
    """A directed graph of assets with ``-ln(rate)`` edge weights and negative-cycle search.

    Parameters
    ----------
    node_count : int
        Number of nodes, 2 .. 4096.
    tolerance : float
        Minimum improvement of a distance that counts as a relaxation (>= 0); cycles whose
        log return is within about ``tolerance`` per edge of zero are not reported.

    Raises
    ------
    ValueError
        If ``node_count`` or ``tolerance`` is out of range.
    MemoryError
        If the arrays cannot be allocated.

    Examples
    --------
    >>> graph = ArbGraph(3)
    >>> graph.set_edge(0, 1, -math.log(2.0))
    >>> graph.set_edge(1, 2, -math.log(3.0))
    >>> graph.set_edge(2, 0, -math.log(0.2))
    >>> graph.find_negative_cycle()
    [0, 1, 2]
    """

    def __cinit__(self, Py_ssize_t node_count, double tolerance=1e-12):
        cdef Py_ssize_t n = node_count
        cdef Py_ssize_t cells
        cdef Py_ssize_t i
        if not 2 <= n <= _MAX_NODES:
            raise ValueError(f"node_count: expected 2 .. {_MAX_NODES}, got {node_count}")
        if not (isfinite(tolerance) and tolerance >= 0.0):
            raise ValueError(f"tolerance: expected a finite number >= 0, got {tolerance!r}")
        cells = n * n
        self._weights = <double*>malloc(cells * sizeof(double))
        self._edge_slots = <int32_t*>malloc(cells * sizeof(int32_t))
        self._edge_tails = <int32_t*>malloc(cells * sizeof(int32_t))
        self._edge_heads = <int32_t*>malloc(cells * sizeof(int32_t))
        self._adjacency = <int32_t*>malloc(cells * sizeof(int32_t))
        self._adjacency_slots = <int32_t*>malloc(cells * sizeof(int32_t))
        self._out_degrees = <int32_t*>calloc(n, sizeof(int32_t))
        self._distances = <double*>calloc(n, sizeof(double))
        self._predecessors = <int32_t*>malloc(n * sizeof(int32_t))
        self._path_lengths = <int32_t*>calloc(n, sizeof(int32_t))
        self._queue = <int32_t*>malloc(n * sizeof(int32_t))
        self._in_queue = <uint8_t*>calloc(n, sizeof(uint8_t))
        self._dirty_tails = <int32_t*>malloc(n * sizeof(int32_t))
        self._is_dirty = <uint8_t*>calloc(n, sizeof(uint8_t))
        self._cycle = <int32_t*>malloc((n + 1) * sizeof(int32_t))
        if (
            self._weights == NULL or self._edge_slots == NULL or self._edge_tails == NULL
            or self._edge_heads == NULL or self._adjacency == NULL
            or self._adjacency_slots == NULL or self._out_degrees == NULL
            or self._distances == NULL or self._predecessors == NULL
            or self._path_lengths == NULL or self._queue == NULL or self._in_queue == NULL
            or self._dirty_tails == NULL or self._is_dirty == NULL or self._cycle == NULL
        ):
            raise MemoryError(f"node_count: cannot allocate a graph of {node_count} nodes")
        for i in range(cells):
            self._weights[i] = INFINITY
            self._edge_slots[i] = -1
            self._adjacency_slots[i] = -1
        for i in range(n):
            self._predecessors[i] = -1
        self.node_count = n
        self.tolerance = tolerance

    def __dealloc__(self):
        free(self._weights)
        free(self._edge_slots)
        free(self._edge_tails)
        free(self._edge_heads)
        free(self._adjacency)
        free(self._adjacency_slots)
        free(self._out_degrees)
        free(self._distances)
        free(self._predecessors)
        free(self._path_lengths)
        free(self._queue)
        free(self._in_queue)
        free(self._dirty_tails)
        free(self._is_dirty)
        free(self._cycle)

    # -- EDGES ---------------------------------------------------------------------------------

    cdef int _check_node(self, str field, Py_ssize_t node) except -1:
        if not 0 <= node < self.node_count:
            raise ValueError(f"{field}: expected a node 0 .. {self.node_count - 1}, got {node}")
        return 0

    cdef void _set_edge(self, Py_ssize_t tail, Py_ssize_t head, double weight) noexcept nogil:
        cdef Py_ssize_t n = self.node_count
        cdef Py_ssize_t cell = tail * n + head
        cdef int32_t slot = self._edge_slots[cell]
        if slot < 0:
            slot = <int32_t>self.edge_count
            self._edge_tails[slot] = <int32_t>tail
            self._edge_heads[slot] = <int32_t>head
            self._edge_slots[cell] = slot
            self.edge_count += 1
            self._adjacency[tail * n + self._out_degrees[tail]] = <int32_t>head
            self._adjacency_slots[cell] = self._out_degrees[tail]
            self._out_degrees[tail] += 1
        self._weights[cell] = weight
        if (
            self.has_potentials
            and self._distances[tail] + weight < self._distances[head] - self.tolerance
        ):
            self._mark_dirty(tail)

    cdef void _remove_edge(self, Py_ssize_t tail, Py_ssize_t head) noexcept nogil:
        # Removing an edge only loosens the constraints, so potentials stay valid.
        cdef Py_ssize_t n = self.node_count
        cdef Py_ssize_t cell = tail * n + head
        cdef int32_t slot = self._edge_slots[cell]
        cdef int32_t last = <int32_t>(self.edge_count - 1)
        cdef int32_t last_tail
        cdef int32_t last_head
        cdef int32_t position
        cdef int32_t moved
        if slot < 0:
            return
        last_tail = self._edge_tails[last]
        last_head = self._edge_heads[last]
        self._edge_tails[slot] = last_tail
        self._edge_heads[slot] = last_head
        self._edge_slots[last_tail * n + last_head] = slot
        self._edge_slots[cell] = -1
        self.edge_count -= 1
        position = self._adjacency_slots[cell]
        moved = self._adjacency[tail * n + self._out_degrees[tail] - 1]
        self._adjacency[tail * n + position] = moved
        self._adjacency_slots[tail * n + moved] = position
        self._adjacency_slots[cell] = -1
        self._out_degrees[tail] -= 1
        self._weights[cell] = INFINITY

    cdef void _mark_dirty(self, Py_ssize_t node) noexcept nogil:
        if not self._is_dirty[node]:
            self._is_dirty[node] = 1
            self._dirty_tails[self._dirty_count] = <int32_t>node
            self._dirty_count += 1

    cdef void _clear_dirty(self) noexcept nogil:
        cdef Py_ssize_t i
        for i in range(self._dirty_count):
            self._is_dirty[self._dirty_tails[i]] = 0
        self._dirty_count = 0

    def set_edge(self, Py_ssize_t tail, Py_ssize_t head, double weight):
        """Add the edge ``tail -> head`` or change its weight.

        Parameters
        ----------
        tail, head : int
            Distinct nodes.
        weight : float
            ``-ln(rate)`` of converting ``tail`` into ``head``; finite.

        Raises
        ------
        ValueError
            If a node is out of range, ``tail == head`` or ``weight`` is not finite.
        """
        self._check_node("tail", tail)
        self._check_node("head", head)
        if tail == head:
            raise ValueError(f"head: expected a node other than the tail {tail}, got {head}")
        if not isfinite(weight):
            raise ValueError(f"weight: expected a finite number, got {weight!r}")
        self._set_edge(tail, head, weight)

    def remove_edge(self, Py_ssize_t tail, Py_ssize_t head):
        """Remove the edge ``tail -> head`` (nothing happens when it does not exist).

        Parameters
        ----------
        tail, head : int
            Nodes.

        Raises
        ------
        ValueError
            If a node is out of range.
        """
        self._check_node("tail", tail)
        self._check_node("head", head)
        self._remove_edge(tail, head)

    def has_edge(self, Py_ssize_t tail, Py_ssize_t head):
        """Return whether the edge ``tail -> head`` exists.

        Parameters
        ----------
        tail, head : int
            Nodes.

        Returns
        -------
        bool

        Raises
        ------
        ValueError
            If a node is out of range.
        """
        self._check_node("tail", tail)
        self._check_node("head", head)
        return self._edge_slots[tail * self.node_count + head] >= 0

    def weight(self, Py_ssize_t tail, Py_ssize_t head):
        """Return the weight of ``tail -> head``, ``inf`` when there is no such edge.

        Parameters
        ----------
        tail, head : int
            Nodes.

        Returns
        -------
        float

        Raises
        ------
        ValueError
            If a node is out of range.
        """
        self._check_node("tail", tail)
        self._check_node("head", head)
        return self._weights[tail * self.node_count + head]

    def weights(self):
        """Return a copy of the dense weight matrix (``inf`` where there is no edge).

        Returns
        -------
        numpy.ndarray
            ``float64`` array of shape ``(node_count, node_count)``; row = tail, column = head.
        """
        cdef Py_ssize_t n = self.node_count
        matrix = np.empty((n, n), dtype=np.float64)
        cdef double[:, ::1] view = matrix
        cdef Py_ssize_t i
        cdef Py_ssize_t j
        for i in range(n):
            for j in range(n):
                view[i, j] = self._weights[i * n + j]
        return matrix

    @property
    def last_cycle_weight(self):
        """float: Sum of the weights around the cycle the last pass found; 0.0 when none."""
        return self._cycle_weight()

    @property
    def pending_change_count(self):
        """int: Nodes whose out-edges broke the potentials since the last pass."""
        return self._dirty_count

    # -- DETECTION -----------------------------------------------------------------------------

    cdef Py_ssize_t _bellman_ford(self) noexcept nogil:
        cdef Py_ssize_t n = self.node_count
        cdef double* distances = self._distances
        cdef int32_t* predecessors = self._predecessors
        cdef double tolerance = self.tolerance
        cdef double candidate
        cdef Py_ssize_t last_relaxed = -1
        cdef Py_ssize_t _round
        cdef Py_ssize_t e
        cdef Py_ssize_t i
        cdef int32_t tail
        cdef int32_t head
        self.full_pass_count += 1
        self.relaxation_count = 0
        self._clear_dirty()
        for i in range(n):
            distances[i] = 0.0
            predecessors[i] = -1
        for _round in range(n):
            last_relaxed = -1
            for e in range(self.edge_count):
                tail = self._edge_tails[e]
                head = self._edge_heads[e]
                candidate = distances[tail] + self._weights[tail * n + head]
                if candidate < distances[head] - tolerance:
                    distances[head] = candidate
                    predecessors[head] = tail
                    last_relaxed = head
                    self.relaxation_count += 1
            if last_relaxed < 0:
                self.has_potentials = True
                self._cycle_length = 0
                return 0
        # Still relaxing after n rounds: a negative cycle is reachable from last_relaxed.
        self.has_potentials = False
        return self._extract_cycle(last_relaxed)

    cdef Py_ssize_t _spfa_from_dirty(self) noexcept nogil:
        cdef Py_ssize_t n = self.node_count
        cdef double* distances = self._distances
        cdef double tolerance = self.tolerance
        cdef double candidate
        cdef Py_ssize_t front = 0
        cdef Py_ssize_t queued = 0
        cdef Py_ssize_t i
        cdef Py_ssize_t found
        cdef int32_t tail
        cdef int32_t head
        cdef int32_t* neighbours
        self.incremental_pass_count += 1
        self.relaxation_count = 0
        for i in range(n):
            self._path_lengths[i] = 0
            self._in_queue[i] = 0
        for i in range(self._dirty_count):
            tail = self._dirty_tails[i]
            self._queue[(front + queued) % n] = tail
            self._in_queue[tail] = 1
            queued += 1
        self._clear_dirty()
        while queued > 0:
            tail = self._queue[front]
            front = (front + 1) % n
            queued -= 1
            self._in_queue[tail] = 0
            neighbours = self._adjacency + tail * n
            for i in range(self._out_degrees[tail]):
                head = neighbours[i]
                candidate = distances[tail] + self._weights[tail * n + head]
                if candidate < distances[head] - tolerance:
                    distances[head] = candidate
                    self._predecessors[head] = tail
                    self._path_lengths[head] = self._path_lengths[tail] + 1
                    self.relaxation_count += 1
                    if self._path_lengths[head] >= n:
                        self.has_potentials = False
                        found = self._extract_cycle(head)
                        if found == 0:
                            # The predecessor chain did not close; settle it with a full pass.
                            return self._bellman_ford()
                        return found
                    if not self._in_queue[head]:
                        self._queue[(front + queued) % n] = head
                        self._in_queue[head] = 1
                        queued += 1
        self._cycle_length = 0
        return 0

    cdef Py_ssize_t _extract_cycle(self, Py_ssize_t start) noexcept nogil:
        # Walk n predecessors back (that lands on the cycle), then once around it.
        cdef Py_ssize_t n = self.node_count
        cdef Py_ssize_t node = start
        cdef Py_ssize_t length = 0
        cdef Py_ssize_t i
        cdef Py_ssize_t _step
        cdef int32_t swap
        for _step in range(n):
            node = self._predecessors[node]
            if node < 0:
                self._cycle_length = 0
                return 0
        i = node
        while True:
            self._cycle[length] = <int32_t>i
            length += 1
            i = self._predecessors[i]
            if i == node:
                break
            if i < 0 or length > n:
                self._cycle_length = 0
                return 0
        # Collected against the edges (head before tail): reverse into edge order.
        for i in range(length // 2):
            swap = self._cycle[i]
            self._cycle[i] = self._cycle[length - 1 - i]
            self._cycle[length - 1 - i] = swap
        self._cycle_length = length
        return length

    cdef double _cycle_weight(self) noexcept nogil:
        cdef Py_ssize_t n = self.node_count
        cdef double total = 0.0
        cdef Py_ssize_t i
        for i in range(self._cycle_length):
            total += self._weights[
                self._cycle[i] * n + self._cycle[(i + 1) % self._cycle_length]
            ]
        return total

    cdef list _cycle_list(self):
        if self._cycle_length == 0:
            return None
        return [self._cycle[i] for i in range(self._cycle_length)]

    def find_negative_cycle(self):
        """Run a full Bellman-Ford pass and return a negative cycle, if there is one.

        Returns
        -------
        list of int or None
            Nodes ``[v0, v1, ..., vk]`` of a cycle ``v0 -> v1 -> ... -> vk -> v0`` whose
            weights sum below ``-tolerance``; None when there is none.
        """
        self._bellman_ford()
        return self._cycle_list()

    def find_negative_cycle_incremental(self):
        """Search only from edges lowered since the last pass; full pass without potentials.

        Returns
        -------
        list of int or None
            As `find_negative_cycle`. None also when no edge broke the potentials since the last
            pass that found no cycle (then none can exist).
        """
        if not self.has_potentials:
            self._bellman_ford()
        elif self._dirty_count > 0:
            self._spfa_from_dirty()
        else:
            return None
        return self._cycle_list()

    def cycle_weight(self, cycle):
        """Return the sum of the weights along ``cycle`` (closing edge included).

        Parameters
        ----------
        cycle : sequence of int
            Nodes ``[v0, ..., vk]`` of the cycle ``v0 -> ... -> vk -> v0``.

        Returns
        -------
        float
            ``-ln`` of the product of the rates; below zero for an arbitrage.

        Raises
        ------
        ValueError
            If the cycle has fewer than two nodes or one of its edges does not exist.
        """
        cdef Py_ssize_t n = self.node_count
        cdef Py_ssize_t count = len(cycle)
        cdef Py_ssize_t i
        cdef Py_ssize_t tail
        cdef Py_ssize_t head
        cdef double total = 0.0
        if count < 2:
            raise ValueError(f"cycle: expected at least two nodes, got {list(cycle)!r}")
        for i in range(count):
            tail = cycle[i]
            head = cycle[(i + 1) % count]
            self._check_node("cycle", tail)
            if self._edge_slots[tail * n + head] < 0:
                raise ValueError(f"cycle: no edge {tail} -> {head}")
            total += self._weights[tail * n + head]
        return total

    def cycle_return(self, cycle):
        """Return the product of the rates along ``cycle`` minus one (``exp(-weight) - 1``).

        Parameters
        ----------
        cycle : sequence of int
            Nodes of the cycle, as `cycle_weight`.

        Returns
        -------
        float
            The fractional gain of going once around the cycle.

        Raises
        ------
        ValueError
            As `cycle_weight`.
        """
        return exp(-self.cycle_weight(cycle)) - 1.0

    def __repr__(self):
        return f"ArbGraph(node_count={self.node_count}, edge_count={self.edge_count})"
