"""What a trading-state change does beyond the state: cancels, events, kill-switch sources.

The :class:`~hftcore.risk.engine.RiskEngine` owns its trading state (ACTIVE, REDUCING, HALTED)
and calls these for the side effects: a halt cancels every open order through the execution
engine (:func:`cancel_open_orders`), each change is published as a ``TradingStateChanged`` on
``risk.engine.state`` (:func:`publish_state_change`), :meth:`RiskEngine.start` opens the
configured kill-switch sources (:func:`open_kill_switch_sources`), and the disconnect trigger
lists the positions held on the lost venue (:func:`positions_held_on`).
"""

from libc.stdint cimport int64_t

from hftcore.bus.message_bus cimport MessageBus
from hftcore.cache.cache cimport Cache
from hftcore.model.enums cimport TradingState
from hftcore.model.order cimport Order
from hftcore.portfolio.ledger cimport Portfolio

from hftcore.model.enums import Environment
from hftcore.model.enums import TradingState as PyTradingState
from hftcore.risk.events import TRADING_STATE_TOPIC, TradingStateChanged
from hftcore.risk.kill_switch import (
    FileKillSwitch,
    RedisKillSwitch,
    SocketKillSwitch,
    default_path,
)


# -- TRADING STATE -----------------------------------------------------------------------------

cdef int64_t cancel_open_orders(object exec_engine, Cache cache, Order checking_order) except -1:
    # Cancel every open order; ``checking_order`` (an order under check, denied by it) is left.
    cdef Order order
    cdef int64_t count = 0
    if exec_engine is None:
        return 0
    if checking_order is None:
        return exec_engine.cancel_all_orders()
    for order in cache.open_orders():
        if order is not checking_order:
            exec_engine.cancel_order(order)
            count += 1
    return count


cdef int publish_state_change(
    MessageBus bus,
    TradingState state,
    TradingState previous,
    str reason,
    str source,
    int64_t canceled_count,
    int64_t now_ns,
) except -1:
    bus.publish(
        TRADING_STATE_TOPIC,
        TradingStateChanged(
            state=PyTradingState(state).name,
            previous=PyTradingState(previous).name,
            reason=reason,
            source=source,
            canceled_count=canceled_count,
            ts_event=now_ns,
            ts_recv=now_ns,
        ),
    )
    return 0


# -- KILL SWITCH AND TRIGGERS ------------------------------------------------------------------

cdef list open_kill_switch_sources(
    object kill_switch_config, object environment, object redis_client
):
    # File (the default path in paper and live), socket, Redis: each when configured.
    cdef list sources = []
    file_path = kill_switch_config.file
    if file_path is None and environment in (Environment.PAPER, Environment.LIVE):
        file_path = str(default_path())
    if file_path:
        sources.append(FileKillSwitch(file_path))
    if kill_switch_config.socket:
        sources.append(SocketKillSwitch(kill_switch_config.socket))
    if kill_switch_config.redis_key and redis_client is not None:
        sources.append(RedisKillSwitch(redis_client, kill_switch_config.redis_key))
    return sources


cdef list positions_held_on(object venue_name, Portfolio portfolio, Cache cache):
    # "<instrument>=<lots>" of every non-flat position on the venue: from the portfolio when
    # there is one, else from the cache's position updates.
    cdef list held = []
    if portfolio is not None:
        for position in portfolio.positions():
            if position.instrument_id.venue.value == venue_name and position.quantity_lots != 0:
                held.append(f"{position.instrument_id.value}={position.quantity_lots}")
    elif cache is not None:
        for update in cache.positions():
            if update.instrument_id.venue.value == venue_name and update.quantity_lots != 0:
                held.append(f"{update.instrument_id.value}={update.quantity_lots}")
    return held
