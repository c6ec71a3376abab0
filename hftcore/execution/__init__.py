"""Execution: the OMS (``ExecutionEngine``), order state machine, rate limits, time, routing.

Signing helpers live in :mod:`hftcore.execution.signing` and venue rate-limit tables in
:mod:`hftcore.execution.rate_limits`; import them from there (they load ``cryptography``).
"""

from hftcore.execution.client_order_id import ClientOrderIdGenerator
from hftcore.execution.engine import ExecutionEngine
from hftcore.execution.order_fsm import is_final, is_legal_transition, legal_targets
from hftcore.execution.rate_limiter import RateEndpoint, RateLimiter, RateRule, RateWindow
from hftcore.execution.reconciliation import (
    ReconciliationResult,
    VenueFillReport,
    VenueOrderReport,
)
from hftcore.execution.routing import EndpointRouter, RouteEndpoint
from hftcore.execution.server_time import ServerTimeSync

__all__ = [
    "ClientOrderIdGenerator",
    "EndpointRouter",
    "ExecutionEngine",
    "RateEndpoint",
    "RateLimiter",
    "RateRule",
    "RateWindow",
    "ReconciliationResult",
    "RouteEndpoint",
    "ServerTimeSync",
    "VenueFillReport",
    "VenueOrderReport",
    "is_final",
    "is_legal_transition",
    "legal_targets",
]
