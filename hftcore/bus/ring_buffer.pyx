"""Bounded hand-off of Python objects from one thread to another.

A :class:`RingBuffer` carries records from the event-loop thread (producer) to a worker thread
(consumer), e.g. to the persistence worker or the log writer. What happens when it is full is an
explicit :class:`OverflowPolicy`, and every item lost is counted in ``dropped_count``.

It is correct for one producer and one consumer thread (one lock and two conditions guard the
slots, so several producers are safe too, with no order promised between them).
"""

import threading
import time
from queue import Empty

cimport cython

from hftcore.errors import BusError


@cython.final
cdef class RingBuffer:
    """Bounded FIFO of Python objects between a producer and a consumer thread.

    Parameters
    ----------
    capacity : int
        Maximum number of items held; at least 1.
    policy : OverflowPolicy, default BLOCK
        When full: ``BLOCK`` waits for room (up to ``block_timeout_s``, then drops the new item),
        ``DROP_OLDEST`` evicts the oldest item, ``DROP_NEWEST`` refuses the new item.
    block_timeout_s : float, optional
        Longest wait of a ``BLOCK`` put, seconds; None waits until there is room or the buffer
        is closed.

    Raises
    ------
    BusError
        If ``capacity`` < 1, ``policy`` is not an :class:`OverflowPolicy` or
        ``block_timeout_s`` is negative.
    """

    def __cinit__(self, Py_ssize_t capacity, policy=OverflowPolicy.BLOCK, block_timeout_s=None):
        if capacity < 1:
            raise BusError(f"RingBuffer: capacity must be >= 1, got {capacity}")
        if not isinstance(policy, OverflowPolicy):
            raise BusError(f"RingBuffer: policy must be an OverflowPolicy, got {policy!r}")
        if block_timeout_s is not None and block_timeout_s < 0:
            raise BusError(f"RingBuffer: block_timeout_s must be >= 0, got {block_timeout_s!r}")
        self.capacity = capacity
        self._policy = policy
        self.block_timeout_s = block_timeout_s
        self.put_count = 0
        self.get_count = 0
        self.overflow_count = 0
        self.dropped_count = 0
        self.is_closed = False
        self._slots = [None] * capacity
        self._head = 0
        self._size = 0
        self._lock = threading.Lock()
        self._not_empty = threading.Condition(self._lock)
        self._not_full = threading.Condition(self._lock)

    @property
    def policy(self):
        """OverflowPolicy: what ``put`` does when the buffer is full."""
        return OverflowPolicy(self._policy)

    def __len__(self):
        return self._size

    def __repr__(self):
        return (
            f"RingBuffer(capacity={self.capacity}, policy={self.policy.name}, size={self._size}, "
            f"dropped_count={self.dropped_count})"
        )

    # -- PRODUCER ------------------------------------------------------------------------------

    cpdef bint put(self, object item) except -1:
        """Append ``item``, applying the overflow policy if the buffer is full.

        Parameters
        ----------
        item : object
            The item to hand over.

        Returns
        -------
        bool
            True if ``item`` was stored; False if it was dropped (``DROP_NEWEST`` when full,
            ``BLOCK`` after ``block_timeout_s`` without room, or the buffer is closed).
        """
        with self._lock:
            if not self.is_closed and self._size == self.capacity:
                self.overflow_count += 1
                if self._policy == OverflowPolicy.DROP_NEWEST:
                    self.dropped_count += 1
                    return False
                if self._policy == OverflowPolicy.DROP_OLDEST:
                    self._slots[self._head] = None
                    self._head = (self._head + 1) % self.capacity
                    self._size -= 1
                    self.dropped_count += 1
                else:
                    self._wait_for_room()
            if self.is_closed or self._size == self.capacity:
                self.dropped_count += 1
                return False
            self._slots[(self._head + self._size) % self.capacity] = item
            self._size += 1
            self.put_count += 1
            self._not_empty.notify()
            return True

    cdef int _wait_for_room(self) except -1:
        # Called with the lock held; returns with it held, full or not.
        if self.block_timeout_s is None:
            while self._size == self.capacity and not self.is_closed:
                self._not_full.wait()
            return 0
        cdef double deadline_s = time.monotonic() + self.block_timeout_s
        cdef double remaining_s
        while self._size == self.capacity and not self.is_closed:
            remaining_s = deadline_s - time.monotonic()
            if remaining_s <= 0.0:
                return 0
            self._not_full.wait(remaining_s)
        return 0

    cpdef close(self):
        """Close the buffer: wake waiting threads; later puts are dropped and counted.

        Items already stored can still be taken with ``get`` or ``drain``.
        """
        with self._lock:
            self.is_closed = True
            self._not_empty.notify_all()
            self._not_full.notify_all()

    # -- CONSUMER ------------------------------------------------------------------------------

    cpdef object get(self, object timeout_s=None):
        """Remove and return the oldest item, waiting for one if the buffer is empty.

        Parameters
        ----------
        timeout_s : float, optional
            Longest wait, seconds; None waits until an item arrives or the buffer is closed,
            0 does not wait.

        Returns
        -------
        object
            The oldest item.

        Raises
        ------
        queue.Empty
            If no item arrived within ``timeout_s``, or the buffer is closed and empty.
        BusError
            If ``timeout_s`` is negative.
        """
        with self._lock:
            if not self._wait_for_item(timeout_s):
                raise Empty(f"RingBuffer.get: no item within timeout_s={timeout_s!r}")
            item = self._pop()
            self._not_full.notify()
            return item

    cpdef list drain(self, Py_ssize_t max_items, object timeout_s=None):
        """Remove and return up to ``max_items`` of the oldest items, waiting for the first one.

        Parameters
        ----------
        max_items : int
            Largest batch returned; at least 1.
        timeout_s : float, optional
            Longest wait for the first item, seconds; None waits until an item arrives or the
            buffer is closed, 0 does not wait.

        Returns
        -------
        list
            The items, oldest first; empty if none arrived in time or the buffer is closed and
            empty.

        Raises
        ------
        BusError
            If ``max_items`` < 1 or ``timeout_s`` is negative.
        """
        if max_items < 1:
            raise BusError(f"RingBuffer.drain: max_items must be >= 1, got {max_items}")
        cdef list items = []
        with self._lock:
            if not self._wait_for_item(timeout_s):
                return items
            while self._size > 0 and len(items) < max_items:
                items.append(self._pop())
            self._not_full.notify()
        return items

    cdef bint _wait_for_item(self, object timeout_s) except -1:
        # Called with the lock held; True when an item is there to take.
        if timeout_s is None:
            while self._size == 0 and not self.is_closed:
                self._not_empty.wait()
            return self._size > 0
        if timeout_s < 0:
            raise BusError(f"RingBuffer: timeout_s must be >= 0, got {timeout_s!r}")
        cdef double deadline_s = time.monotonic() + timeout_s
        cdef double remaining_s
        while self._size == 0 and not self.is_closed:
            remaining_s = deadline_s - time.monotonic()
            if remaining_s <= 0.0:
                return False
            self._not_empty.wait(remaining_s)
        return self._size > 0

    cdef object _pop(self):
        cdef object item = self._slots[self._head]
        self._slots[self._head] = None
        self._head = (self._head + 1) % self.capacity
        self._size -= 1
        self.get_count += 1
        return item
