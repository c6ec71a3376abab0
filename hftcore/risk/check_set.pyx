"""The enabled check set of a risk engine, built from its config.

:func:`build_checks` turns a ``RiskConfig`` into the tuple of enabled
:class:`~hftcore.risk.checks.RiskCheck` components in the order the engine runs them: instrument
rules, max order, max open orders, price band, self-trade, max position, balance, order rate.
The balance check needs a portfolio: without one it is left out and :func:`needs_portfolio`
says so, and :func:`require_portfolio` raises once the engine must run without it.
"""

from hftcore.portfolio.ledger cimport Portfolio
from hftcore.risk.checks cimport (
    BalanceCheck,
    InstrumentRulesCheck,
    MaxOpenOrdersCheck,
    MaxOrderCheck,
    MaxPositionCheck,
    OrderRateCheck,
    PriceBandCheck,
    SelfTradeCheck,
)

from hftcore.errors import ConfigError


# -- CHECK SET ---------------------------------------------------------------------------------

cdef tuple build_checks(object config, Portfolio portfolio):
    # The enabled checks, in the order they run; the balance check only with a portfolio.
    cdef list checks = []
    if config.instrument_rules is not None and config.instrument_rules.enabled:
        checks.append(InstrumentRulesCheck(config.instrument_rules))
    if config.max_order is not None and config.max_order.enabled:
        checks.append(MaxOrderCheck(config.max_order))
    if config.max_open_orders is not None and config.max_open_orders.enabled:
        checks.append(MaxOpenOrdersCheck(config.max_open_orders))
    if config.price_band is not None and config.price_band.enabled:
        checks.append(PriceBandCheck(config.price_band))
    if config.self_trade is not None and config.self_trade.enabled:
        checks.append(SelfTradeCheck(config.self_trade))
    if config.max_position is not None and config.max_position.enabled:
        checks.append(MaxPositionCheck(config.max_position, portfolio))
    if config.balance is not None and config.balance.enabled and portfolio is not None:
        checks.append(BalanceCheck(portfolio))
    if config.order_rate is not None and config.order_rate.enabled:
        checks.append(OrderRateCheck(config.order_rate))
    return tuple(checks)


cdef bint needs_portfolio(object config, Portfolio portfolio) except -1:
    # True when the balance check is enabled and left out for want of a portfolio.
    return config.balance is not None and config.balance.enabled and portfolio is None


cdef int require_portfolio(
    bint needs_portfolio, object loss_triggers, Portfolio portfolio
) except -1:
    if portfolio is not None:
        return 0
    if needs_portfolio:
        raise ConfigError(
            "risk.balance: the balance check needs a portfolio; give the node one "
            "(TradingNode(portfolio=...)) or set risk.balance.enabled = false"
        )
    if loss_triggers.is_enabled:
        raise ConfigError(
            "risk.triggers: daily_loss_limit and max_drawdown need a portfolio (equity); "
            "give the node one or remove them"
        )
    return 0
