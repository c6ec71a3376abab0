"""The order state machine: the table of legal transitions and the error for illegal ones."""

import pytest

from hftcore.errors import InvalidTransition
from hftcore.execution.order_fsm import is_final, is_legal_transition, legal_targets
from hftcore.model.enums import OrderStatus as S
from hftcore.model.enums import OrderType, Side, TimeInForce
from hftcore.model.identifiers import ClientOrderId, InstrumentId, StrategyId
from hftcore.model.order import Order

# Written out by hand from the lifecycle DESIGN.md describes; the module must match it exactly.
EXPECTED = {
    S.INITIALIZED: {S.SUBMITTED, S.DENIED, S.CANCELED},
    S.SUBMITTED: {
        S.ACCEPTED,
        S.REJECTED,
        S.PARTIALLY_FILLED,
        S.FILLED,
        S.CANCELED,
        S.EXPIRED,
        S.PENDING_CANCEL,
        S.PENDING_UPDATE,
    },
    S.ACCEPTED: {
        S.PENDING_UPDATE,
        S.PENDING_CANCEL,
        S.PARTIALLY_FILLED,
        S.FILLED,
        S.CANCELED,
        S.EXPIRED,
    },
    S.PENDING_UPDATE: {
        S.ACCEPTED,
        S.PENDING_CANCEL,
        S.PARTIALLY_FILLED,
        S.FILLED,
        S.CANCELED,
        S.EXPIRED,
    },
    S.PENDING_CANCEL: {S.ACCEPTED, S.PARTIALLY_FILLED, S.FILLED, S.CANCELED, S.EXPIRED},
    S.PARTIALLY_FILLED: {
        S.PARTIALLY_FILLED,
        S.PENDING_UPDATE,
        S.PENDING_CANCEL,
        S.FILLED,
        S.CANCELED,
        S.EXPIRED,
    },
    S.DENIED: set(),
    S.REJECTED: set(),
    S.FILLED: set(),
    S.CANCELED: set(),
    S.EXPIRED: set(),
}


def make_order():
    return Order(
        ClientOrderId("fsm1"),
        StrategyId("s"),
        InstrumentId.from_str("BTCUSDT.BINANCE"),
        Side.BUY,
        OrderType.LIMIT,
        10,
        100,
        TimeInForce.GTC,
    )


@pytest.mark.parametrize("current", list(S), ids=lambda s: s.name)
def test_legal_targets_match_the_lifecycle_table(current):
    assert set(legal_targets(current)) == EXPECTED[current]


@pytest.mark.parametrize(
    ("current", "target"),
    [(c, t) for c in S for t in S],
    ids=lambda s: s.name,
)
def test_is_legal_transition_agrees_with_the_table(current, target):
    assert is_legal_transition(current, target) == (target in EXPECTED[current])


@pytest.mark.parametrize("status", list(S), ids=lambda s: s.name)
def test_final_statuses_are_those_with_no_way_out(status):
    assert is_final(status) == (not EXPECTED[status])


def test_transition_moves_the_order_along_a_legal_path(fsm_api):
    order = make_order()

    for target in (S.SUBMITTED, S.ACCEPTED, S.PARTIALLY_FILLED, S.PENDING_CANCEL, S.CANCELED):
        fsm_api.apply_transition(order, target)

    assert order.status == S.CANCELED


def test_illegal_transition_names_the_order_and_both_statuses(fsm_api):
    order = make_order()
    fsm_api.apply_transition(order, S.SUBMITTED)
    fsm_api.apply_transition(order, S.FILLED)

    with pytest.raises(
        InvalidTransition, match="order fsm1: illegal transition FILLED -> ACCEPTED"
    ):
        fsm_api.apply_transition(order, S.ACCEPTED)
    assert order.status == S.FILLED


def test_initialized_order_cannot_be_accepted(fsm_api):
    order = make_order()

    with pytest.raises(InvalidTransition, match="INITIALIZED -> ACCEPTED"):
        fsm_api.apply_transition(order, S.ACCEPTED)
