"""Why orders were rejected or denied, collected from the order events of a run.

``RejectLog`` is a bus handler on the strategy's order topic, so it sees every order event
of the run; the events that carry no reason are recognised by type and skipped in C.
"""

from hftcore.model.order_events cimport (
    OrderAccepted,
    OrderCanceled,
    OrderExpired,
    OrderFilled,
    OrderRejected,
    OrderSubmitted,
    OrderUpdated,
)


cdef class RejectLog:
    """Bus handler remembering why orders were rejected or denied (for ``orders.parquet``)."""

    def __init__(self):
        self.reasons = {}

    def __call__(self, event):
        """Record the reason of an ``OrderRejected`` (``reason``) or ``OrderDenied``
        (``message``); other events are ignored.

        Parameters
        ----------
        event : OrderEvent
            Any event of the order topic.
        """
        cdef type kind = type(event)
        if (
            kind is OrderAccepted or kind is OrderFilled or kind is OrderCanceled
            or kind is OrderSubmitted or kind is OrderUpdated or kind is OrderExpired
        ):
            return
        if kind is OrderRejected and (<OrderRejected>event).reason is not None:
            reason = (<OrderRejected>event).reason
        else:
            reason = getattr(event, "reason", None)
            if reason is None:
                reason = getattr(event, "message", None)
        if reason is not None:
            self.reasons[event.client_order_id.value] = reason
