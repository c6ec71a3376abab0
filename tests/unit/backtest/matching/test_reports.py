"""The report queue of a simulated venue: arrival order, arrival times, compaction."""

from hftcore.model.enums import Side
from tests.builders.backtest import make_matching_engine, make_order, reports


def test_reports_pop_in_arrival_order_across_many_partial_drains():
    # More reports than the queue keeps popped before compacting, never fully drained.
    engine = make_matching_engine(balances={"USDT": "100000000", "BTC": "1000"})
    orders = [make_order(Side.BUY, 1, 90) for _ in range(3_000)]
    for index, order in enumerate(orders):
        engine.submit_order(order, 1_000 + index)
    popped = []
    for until_ns in range(1_000, 4_000, 7):
        popped.extend(engine.reports.pop_until(until_ns))
        assert len(engine.reports) == 3_000 - len(popped)
    popped.extend(reports(engine))
    assert [event.client_order_id for event in popped] == [o.client_order_id for o in orders]
    assert [event.ts_recv for event in popped] == list(range(1_000, 4_000))


def test_an_empty_queue_has_no_next_report():
    engine = make_matching_engine()
    engine.submit_order(make_order(Side.BUY, 1, 90), 1_000)
    assert engine.reports.next_ns == 1_000
    assert len(reports(engine)) == 1
    assert engine.reports.next_ns == 2**63 - 1
    assert engine.reports.pop_until(2**63 - 1) == []
