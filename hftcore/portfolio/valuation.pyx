"""Valuation of the shadow ledger: marks, prices, PnL, equity, fees and exposure.

The read side of :class:`hftcore.portfolio.ledger.Portfolio`, whose query methods delegate here.
Nothing in this module runs on the order or fill path and nothing here writes: every function
reads the positions and balances the ledger keeps, the cache's books and last trades, and the
``PortfolioConfig`` (``quote_currency``, ``prices``), and returns ``Decimal`` values.

Marks and prices:

* An instrument's **mark** is the mid of its two-sided book, else its last trade's price.
* The **price** of an asset in a quote is the mark of an instrument quoting it in that currency
  (or the inverse of the inverse pair's), else the ratio of both assets' prices in
  ``config.quote_currency`` found the same way or through ``config.prices``.
* **Unrealized PnL** is ``(mark - avg_entry) * quantity`` in the settlement asset; totals over
  instruments convert each settlement asset at its price in the requested quote.
"""

from decimal import ROUND_HALF_EVEN, Context, Decimal

from hftcore.book.order_book cimport OrderBook
from hftcore.cache.cache cimport Cache
from hftcore.model.identifiers cimport InstrumentId
from hftcore.model.instrument cimport Instrument
from hftcore.model.types cimport NO_PRICE_TICKS
from hftcore.portfolio.balance cimport AssetBalance
from hftcore.portfolio.position cimport Position

from hftcore.errors import DataUnavailableError

_CTX = Context(prec=40, rounding=ROUND_HALF_EVEN)
_ZERO = Decimal(0)
_ONE = Decimal(1)


# -- MARKS -------------------------------------------------------------------------------------

cdef object mark_price(Cache cache, InstrumentId instrument_id):
    # The book's mid, else the last trade's price; None when the cache has neither.
    cdef Instrument instrument = cache.instrument(instrument_id)
    cdef OrderBook book = cache.book(instrument_id)
    cdef object trade
    if (
        book is not None
        and book.best_bid_price_ticks != NO_PRICE_TICKS
        and book.best_ask_price_ticks != NO_PRICE_TICKS
    ):
        return _CTX.multiply(
            _CTX.divide(Decimal(book.best_bid_price_ticks + book.best_ask_price_ticks), 2),
            instrument.tick_size,
        )
    trade = cache.last_trade(instrument_id)
    if trade is None:
        return None
    return _CTX.multiply(Decimal(trade.price_ticks), instrument.tick_size)


cdef object unrealized_pnl(Cache cache, Position position):
    # In the settlement asset: 0 when flat, None when open without a mark.
    if position.quantity_lots == 0:
        return _ZERO
    cdef object mark = mark_price(cache, position.instrument_id)
    if mark is None:
        return None
    return _CTX.multiply(
        _CTX.subtract(mark, position.avg_entry_price),
        _CTX.multiply(position._units_per_lot, position.quantity_lots),
    )


# -- PRICES ------------------------------------------------------------------------------------

cdef object price(Cache cache, object config, str asset, str quote):
    # One unit of asset in quote (config.quote_currency when None), or None when unknown.
    quote = config.quote_currency if quote is None else quote
    if asset == quote:
        return _ONE
    cdef object direct = _marked(cache, asset, quote)
    if direct is not None:
        return direct
    cdef str reference = config.quote_currency
    cdef object asset_price = _reference_price(cache, config, asset, reference)
    cdef object quote_price = _reference_price(cache, config, quote, reference)
    if asset_price is None or quote_price is None:
        return None
    return _CTX.divide(asset_price, quote_price)


cdef object required_price(Cache cache, object config, str asset, str quote, str what):
    cdef object found = price(cache, config, asset, quote)
    if found is None:
        raise DataUnavailableError(
            f"{what}: no price for {asset} in {quote}: no book or trade marks it and "
            f"portfolio.prices has no entry for it"
        )
    return found


cdef object _reference_price(Cache cache, object config, str asset, str reference):
    if asset == reference:
        return _ONE
    cdef object marked = _marked(cache, asset, reference)
    return marked if marked is not None else config.prices.get(asset)


cdef object _marked(Cache cache, str asset, str quote):
    # The mark of an instrument quoting asset in quote, else 1 / that of the inverse pair.
    if cache is None:
        return None
    cdef object mark
    for instrument in cache.instruments():
        if instrument.base == asset and instrument.quote == quote:
            mark = mark_price(cache, instrument.id)
            if mark is not None and mark > 0:
                return mark
    for instrument in cache.instruments():
        if instrument.base == quote and instrument.quote == asset:
            mark = mark_price(cache, instrument.id)
            if mark is not None and mark > 0:
                return _CTX.divide(_ONE, mark)
    return None


# -- TOTALS ------------------------------------------------------------------------------------

cdef object realized_pnl_total(Cache cache, object config, dict positions, str quote):
    # Realized PnL of every position, each settlement asset converted to quote.
    quote = config.quote_currency if quote is None else quote
    cdef object total = _ZERO
    cdef Position position
    for position in positions.values():
        if position.realized_pnl != 0:
            total = _CTX.add(
                total,
                _CTX.multiply(
                    position.realized_pnl,
                    required_price(
                        cache, config, position.settle_balance.asset, quote, "realized_pnl"
                    ),
                ),
            )
    return total


cdef object unrealized_pnl_total(Cache cache, object config, dict positions, str quote):
    # Unrealized PnL of every position in quote; an open position without a mark raises.
    quote = config.quote_currency if quote is None else quote
    cdef object total = _ZERO
    cdef object pnl
    cdef Position position
    for position in positions.values():
        pnl = unrealized_pnl(cache, position)
        if pnl is None:
            raise DataUnavailableError(
                f"unrealized_pnl: {position.instrument_id.value} is open "
                f"({position.quantity_lots} lots) and has no mark: no two-sided book and "
                "no trade in the cache"
            )
        if pnl != 0:
            total = _CTX.add(
                total,
                _CTX.multiply(
                    pnl,
                    required_price(
                        cache, config, position.settle_balance.asset, quote, "unrealized_pnl"
                    ),
                ),
            )
    return total


cdef object equity(Cache cache, object config, dict balances, dict positions, str quote):
    # Balance totals at their prices plus the unrealized PnL of open derivatives, in quote.
    quote = config.quote_currency if quote is None else quote
    cdef object total = _ZERO
    cdef object pnl
    cdef AssetBalance balance
    cdef Position position
    for balance in balances.values():
        if balance.total != 0:
            total = _CTX.add(
                total,
                _CTX.multiply(
                    balance.total, required_price(cache, config, balance.asset, quote, "equity")
                ),
            )
    for position in positions.values():
        if position.is_spot or position.quantity_lots == 0:
            continue
        pnl = unrealized_pnl(cache, position)
        if pnl is None:
            raise DataUnavailableError(
                f"equity: {position.instrument_id.value} is open and has no mark: no "
                "two-sided book and no trade in the cache"
            )
        total = _CTX.add(
            total,
            _CTX.multiply(
                pnl,
                required_price(cache, config, position.settle_balance.asset, quote, "equity"),
            ),
        )
    return total


cdef object fees(dict balances, str asset):
    # The fees paid of asset (a Decimal), or of every asset when None (a dict by asset).
    cdef dict by_asset = {}
    cdef AssetBalance balance
    for balance in balances.values():
        if (asset is None or balance.asset == asset) and (
            balance._fees_e18 != 0 or balance._fees_spill != 0
        ):
            by_asset[balance.asset] = _CTX.add(
                by_asset.get(balance.asset, _ZERO), balance._fees()
            )
    if asset is not None:
        return by_asset.get(asset, _ZERO)
    return by_asset


cdef object exposure(dict balances, dict positions, str asset):
    # Holdings of asset on every venue plus the derivative positions whose base it is.
    cdef object total = _ZERO
    cdef AssetBalance balance
    cdef Position position
    for balance in balances.values():
        if balance.asset == asset:
            total = _CTX.add(total, balance.total)
    for position in positions.values():
        if not position.is_spot and position.instrument.base == asset:
            total = _CTX.add(total, position.quantity)
    return total
