"""The pre-trade check the execution engine calls as C: the base of ``RiskEngine``.

``ExecutionEngine`` accepts any object with ``check_order`` (and ``check_modify``) as its risk
engine and calls it through Python. A subclass of :class:`PreTradeRisk` is called through its C
method table instead, which saves the Python call on every order. The base lives apart from
``RiskEngine`` so the execution engine depends on these two methods only, not on the checks and
the portfolio behind them.
"""

from libc.stdint cimport int64_t

from hftcore.model.order cimport Order


cdef class PreTradeRisk:
    """A risk engine the execution engine calls as C: approves everything until overridden."""

    # -- CHECKS --------------------------------------------------------------------------------

    cpdef object check_order(self, Order order):
        """Check ``order`` before it is sent.

        Parameters
        ----------
        order : Order
            The order the execution engine is about to send (in the cache, INITIALIZED).

        Returns
        -------
        OrderDenied or None
            None to approve; otherwise the denial.
        """
        return None

    cpdef object check_modify(self, Order order, int64_t price_ticks, int64_t quantity_lots):
        """Check a change of ``order`` to ``price_ticks`` and ``quantity_lots`` before it is sent.

        Parameters
        ----------
        order : Order
            The order to change.
        price_ticks : int
            New limit price in ticks.
        quantity_lots : int
            New order quantity in lots.

        Returns
        -------
        OrderDenied or None
            None to approve; otherwise the denial.
        """
        return None
