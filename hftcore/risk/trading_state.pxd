"""What a trading-state change does beyond the state: cancels, events, kill-switch sources."""

from libc.stdint cimport int64_t

from hftcore.bus.message_bus cimport MessageBus
from hftcore.cache.cache cimport Cache
from hftcore.model.enums cimport TradingState
from hftcore.model.order cimport Order
from hftcore.portfolio.ledger cimport Portfolio


# -- TRADING STATE -----------------------------------------------------------------------------
cdef int64_t cancel_open_orders(object exec_engine, Cache cache, Order checking_order) except -1
cdef int publish_state_change(
    MessageBus bus,
    TradingState state,
    TradingState previous,
    str reason,
    str source,
    int64_t canceled_count,
    int64_t now_ns,
) except -1

# -- KILL SWITCH AND TRIGGERS ------------------------------------------------------------------
cdef list open_kill_switch_sources(
    object kill_switch_config, object environment, object redis_client
)
cdef list positions_held_on(object venue_name, Portfolio portfolio, Cache cache)
