"""The reservation of an approved modify: the portfolio holds funds for the new values."""

from hftcore.portfolio.ledger cimport Portfolio
from hftcore.risk.checks cimport OrderContext


# -- MODIFY ------------------------------------------------------------------------------------
cdef int reserve_modified(Portfolio portfolio, OrderContext ctx) except -1
