"""The request methods of ``SimExecutionClient``, in Cython: one C call per request.

The OMS calls an execution client's ``submit_order`` / ``cancel_order`` / ``modify_order`` /
``cancel_all_orders`` for every request. As Python methods each one cost an interpreter frame;
here each is a C method that stamps the request with the node clock's time and hands it to the
simulated venue through its C entry points (``SimulatedVenue._submit`` / ``_cancel`` /
``_modify``).
"""

from libc.stdint cimport int64_t

from hftcore.clock.clock cimport Clock
from hftcore.model.order cimport Order


cdef class SimOrderEntry:
    """Order entry of one simulated venue; the base of ``SimExecutionClient``.

    Parameters
    ----------
    sim_venue : SimulatedVenue
        The simulated venue requests go to.
    clock : Clock
        The node clock: its time is each request's send time.
    """

    def __cinit__(self, SimulatedVenue sim_venue not None, Clock clock not None, *args, **kwargs):
        self._clock = clock
        self._venue = sim_venue

    def submit_order(self, Order order not None):
        """Send ``order`` to the simulated venue.

        Parameters
        ----------
        order : Order
            The OMS's order (SUBMITTED); the venue copies it.
        """
        self._venue._submit(order, self._clock.timestamp_ns())

    def cancel_order(self, Order order not None):
        """Send a cancel request for ``order``.

        Parameters
        ----------
        order : Order
        """
        self._venue._cancel(order, self._clock.timestamp_ns())

    def modify_order(self, Order order not None, int64_t price_ticks, int64_t quantity_lots):
        """Send a cancel-replace request for ``order``.

        Parameters
        ----------
        order : Order
        price_ticks : int
            New limit price, ticks.
        quantity_lots : int
            New total quantity, lots.
        """
        self._venue._modify(order, price_ticks, quantity_lots, self._clock.timestamp_ns())

    def cancel_all_orders(self, list orders not None):
        """Send one cancel request per order, in the given order, all at one send time.

        Parameters
        ----------
        orders : list[Order]
        """
        cdef int64_t now_ns = self._clock.timestamp_ns()
        cdef Order order
        if None in orders:
            raise TypeError("cancel_all_orders: orders holds None; no cancel was sent")
        for order in orders:
            self._venue._cancel(order, now_ns)
