"""ExecutionEngine.modify_order asks the risk engine: a denied change never reaches the venue."""

from hftcore.execution.engine import RISK_CHECK_FAILED
from hftcore.model.enums import OrderStatus
from hftcore.model.order_events import OrderDenied
from tests.unit.execution.reports import accepted_report, filled_report


def denial(order, reason_code="MAX_ORDER_QUANTITY", message="quantity 20 lots > max 15"):
    return OrderDenied(
        order.strategy_id,
        order.instrument_id,
        order.client_order_id,
        reason_code,
        message,
        order.ts_init,
        order.ts_init,
    )


class ModifyRisk:
    """Approves every order; denies a modify above ``max_lots`` lots; records what it saw."""

    def __init__(self, max_lots=15):
        self.max_lots = max_lots
        self.modifies = []

    def check_order(self, order):
        return None

    def check_modify(self, order, price_ticks, quantity_lots):
        self.modifies.append((order, price_ticks, quantity_lots))
        return denial(order) if quantity_lots > self.max_lots else None


class OrderOnlyRisk:
    """An engine from before check_modify: denies an order above ``max_lots`` lots."""

    def __init__(self, max_lots=15):
        self.max_lots = max_lots
        self.checked = []

    def check_order(self, order):
        self.checked.append(order)
        return denial(order) if order.quantity_lots > self.max_lots else None


class RaisingModifyRisk:
    def check_order(self, order):
        return None

    def check_modify(self, order, price_ticks, quantity_lots):
        raise RuntimeError("bug in a check")


class WrongAnswerRisk:
    def check_order(self, order):
        return None

    def check_modify(self, order, price_ticks, quantity_lots):
        return "no"


def accepted(engine, submit):
    order = submit()
    engine.process(accepted_report(order))
    return order


def test_approved_modify_reaches_the_client_with_the_new_values(engine, client, submit):
    risk = ModifyRisk()
    engine.set_risk_engine(risk)
    order = accepted(engine, submit)

    assert engine.modify_order(order, 101, 15) is True

    assert risk.modifies == [(order, 101, 15)]
    assert client.calls[-1] == ("modify", order.client_order_id, 101, 15)
    assert order.status == OrderStatus.PENDING_UPDATE


def test_denied_modify_is_not_sent_and_leaves_the_order_as_it_was(engine, client, submit):
    engine.set_risk_engine(ModifyRisk())
    order = accepted(engine, submit)
    calls_before = list(client.calls)

    assert engine.modify_order(order, 101, 20) is False

    assert client.calls == calls_before
    assert order.status == OrderStatus.ACCEPTED
    assert (order.price_ticks, order.quantity_lots) == (100, 10)


def test_denied_modify_publishes_the_risk_denial_on_the_strategy_topic(engine, submit, published):
    engine.set_risk_engine(ModifyRisk())
    order = accepted(engine, submit)

    engine.modify_order(order, 100, 20)

    assert type(published[-1]) is OrderDenied
    assert published[-1].client_order_id == order.client_order_id
    assert published[-1].reason_code == "MAX_ORDER_QUANTITY"
    assert engine.denied_count == 1


def test_denied_modify_of_a_partially_filled_order_keeps_it_partially_filled(engine, submit):
    engine.set_risk_engine(ModifyRisk())
    order = accepted(engine, submit)
    engine.process(filled_report(order, "T1", 4))

    engine.modify_order(order, 100, 20)

    assert order.status == OrderStatus.PARTIALLY_FILLED
    assert engine.cache.open_orders() == [order]


def test_order_with_a_denied_modify_can_still_be_canceled(engine, client, submit):
    engine.set_risk_engine(ModifyRisk())
    order = accepted(engine, submit)
    engine.modify_order(order, 100, 20)

    assert engine.cancel_order(order) is True
    assert client.calls[-1] == ("cancel", order.client_order_id)


def test_modify_with_unchanged_values_does_not_ask_the_risk_engine(engine, submit):
    risk = ModifyRisk()
    engine.set_risk_engine(risk)
    order = accepted(engine, submit)

    assert engine.modify_order(order, 100, 10) is False
    assert risk.modifies == []


def test_risk_engine_raising_on_a_modify_denies_it_fail_closed(engine, client, submit, published):
    engine.set_risk_engine(RaisingModifyRisk())
    order = accepted(engine, submit)

    assert engine.modify_order(order, 101, 10) is False

    assert published[-1].reason_code == RISK_CHECK_FAILED
    assert "RuntimeError" in published[-1].message
    assert client.calls[-1] == ("submit", order.client_order_id)
    assert order.status == OrderStatus.ACCEPTED


def test_risk_engine_answering_a_modify_with_a_wrong_type_denies_it(engine, submit, published):
    engine.set_risk_engine(WrongAnswerRisk())
    order = accepted(engine, submit)

    assert engine.modify_order(order, 101, 10) is False
    assert published[-1].reason_code == RISK_CHECK_FAILED
    assert "returned str" in published[-1].message


def test_engine_without_check_modify_checks_a_copy_with_the_new_values(engine, submit):
    risk = OrderOnlyRisk()
    engine.set_risk_engine(risk)
    order = accepted(engine, submit)

    assert engine.modify_order(order, 101, 15) is True

    copy = risk.checked[-1]
    assert copy is not order
    assert copy.client_order_id == order.client_order_id
    assert (copy.price_ticks, copy.quantity_lots, copy.side) == (101, 15, order.side)
    assert copy.status == OrderStatus.INITIALIZED
    assert engine.cache.order(order.client_order_id) is order


def test_engine_without_check_modify_denies_through_check_order(engine, client, submit, published):
    engine.set_risk_engine(OrderOnlyRisk())
    order = accepted(engine, submit)

    assert engine.modify_order(order, 100, 16) is False

    assert published[-1].reason_code == "MAX_ORDER_QUANTITY"
    assert order.status == OrderStatus.ACCEPTED
    assert client.calls[-1] == ("submit", order.client_order_id)
