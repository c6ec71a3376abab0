"""Our best open limit prices per instrument, read from the OMS's open orders."""

cpdef dict best_limit_prices(list orders)
