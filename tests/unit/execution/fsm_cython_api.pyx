"""Python access to the order state machine's Cython-only ``transition`` (for tests)."""

from hftcore.execution.order_fsm cimport transition
from hftcore.model.enums cimport OrderStatus
from hftcore.model.order cimport Order


def apply_transition(Order order, OrderStatus target):
    """Move ``order`` to ``target`` through ``order_fsm.transition``."""
    transition(order, target)
