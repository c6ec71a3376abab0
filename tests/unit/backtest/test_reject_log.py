"""Rejection and denial reasons collected from a run's order events."""

from types import SimpleNamespace

from backtest.reject_log import RejectLog
from hftcore.model.identifiers import ClientOrderId
from tests.builders.events import (
    make_order_accepted,
    make_order_denied,
    make_order_filled,
    make_order_rejected,
)


def test_a_rejection_records_the_venue_reason_and_a_denial_its_message():
    log = RejectLog()
    log(make_order_rejected(reason="post-only would cross", client_order_id="R-1"))
    log(make_order_denied(message="notional too large", client_order_id="D-1"))
    assert log.reasons == {"R-1": "post-only would cross", "D-1": "notional too large"}


def test_events_without_a_reason_are_ignored():
    log = RejectLog()
    log(make_order_accepted())
    log(make_order_filled())
    assert log.reasons == {}


def test_another_event_type_with_a_reason_attribute_is_recorded():
    log = RejectLog()
    log(SimpleNamespace(reason="kill switch", client_order_id=ClientOrderId("K-1")))
    assert log.reasons == {"K-1": "kill switch"}
