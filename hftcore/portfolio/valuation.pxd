"""Valuation of the shadow ledger: marks, prices, PnL, equity, fees and exposure."""

from hftcore.cache.cache cimport Cache
from hftcore.model.identifiers cimport InstrumentId
from hftcore.portfolio.position cimport Position


# -- MARKS -------------------------------------------------------------------------------------

cdef object mark_price(Cache cache, InstrumentId instrument_id)
cdef object unrealized_pnl(Cache cache, Position position)

# -- PRICES ------------------------------------------------------------------------------------

cdef object price(Cache cache, object config, str asset, str quote)
cdef object required_price(Cache cache, object config, str asset, str quote, str what)
cdef object _reference_price(Cache cache, object config, str asset, str reference)
cdef object _marked(Cache cache, str asset, str quote)

# -- TOTALS ------------------------------------------------------------------------------------

cdef object realized_pnl_total(Cache cache, object config, dict positions, str quote)
cdef object unrealized_pnl_total(Cache cache, object config, dict positions, str quote)
cdef object equity(Cache cache, object config, dict balances, dict positions, str quote)
cdef object fees(dict balances, str asset)
cdef object exposure(dict balances, dict positions, str asset)
