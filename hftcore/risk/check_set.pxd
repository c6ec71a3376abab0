"""The enabled check set of a risk engine, built from its config."""

from hftcore.portfolio.ledger cimport Portfolio


# -- CHECK SET ---------------------------------------------------------------------------------
cdef tuple build_checks(object config, Portfolio portfolio)
cdef bint needs_portfolio(object config, Portfolio portfolio) except -1
cdef int require_portfolio(
    bint needs_portfolio, object loss_triggers, Portfolio portfolio
) except -1
