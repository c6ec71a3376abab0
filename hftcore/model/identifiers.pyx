"""Identifiers: venues, symbols, interned instrument ids, order and trade ids.

Every identifier is an immutable, hashable wrapper around non-empty text without whitespace.
Identifiers compare equal when they have the same type and the same text.

``InstrumentId`` is interned: each distinct ``SYMBOL.VENUE`` text gets a dense process-wide
``index`` (0, 1, 2...) the first time it is seen, so hot-path code compares two ids by one integer
comparison (``InstrumentId.same_as`` from Cython) and can index arrays by instrument. The registry
is a module dict updated under the GIL without calling back into Python, so interning is atomic
for threads of one process; indexes are never shared between processes (pickling re-interns).
"""

from hftcore.errors import InvalidIdentifierError

# SYMBOL.VENUE text -> the first InstrumentId created for it (the canonical, interned object).
cdef dict _INTERNED = {}


cdef int _check_text(str value, str kind) except -1:
    cdef Py_UCS4 ch
    if not value:
        raise InvalidIdentifierError(f"{kind}: expected non-empty text, got {value!r}")
    for ch in value:
        if ch.isspace():
            raise InvalidIdentifierError(f"{kind}: expected text without whitespace, got {value!r}")
    return 0


# -- BASE --------------------------------------------------------------------------------------

cdef class Identifier:
    """Base of every identifier: non-empty text without whitespace.

    Parameters
    ----------
    value : str
        The identifier's text.

    Raises
    ------
    InvalidIdentifierError
        If ``value`` is empty or contains whitespace.
    """

    def __init__(self, str value not None):
        _check_text(value, type(self).__name__)
        self.value = value
        self._hash = hash(value)

    def __eq__(self, other):
        if type(other) is not type(self):
            return NotImplemented
        return self.value == (<Identifier>other).value

    def __hash__(self):
        return self._hash

    def __str__(self):
        return self.value

    def __repr__(self):
        return f"{type(self).__name__}({self.value!r})"

    def __reduce__(self):
        return type(self), (self.value,)


# -- MARKET ------------------------------------------------------------------------------------

cdef class Venue(Identifier):
    """A trading venue, e.g. ``Venue("BINANCE")``.

    Parameters
    ----------
    value : str
        The venue name; it must not contain ``.``, which separates symbol and venue in an
        instrument id.

    Raises
    ------
    InvalidIdentifierError
        If ``value`` is empty, contains whitespace or contains ``.``.
    """

    def __init__(self, str value not None):
        _check_text(value, "Venue")
        if "." in value:
            raise InvalidIdentifierError(f"Venue: expected text without '.', got {value!r}")
        self.value = value
        self._hash = hash(value)


cdef class Symbol(Identifier):
    """A venue's symbol for an instrument, e.g. ``Symbol("BTC-USDT-SWAP")``.

    Symbols may contain ``-``, ``/``, ``_`` and ``.``.
    """


cdef class InstrumentId(Identifier):
    """An instrument on a venue, written ``SYMBOL.VENUE`` (e.g. ``BTCUSDT.BINANCE``).

    Equal ids share the dense ``index`` assigned when their text was first seen. Prefer
    ``InstrumentId.from_str`` or ``InstrumentId.get``, which return the interned object itself;
    the constructor builds a new object that is equal to it and shares its index.

    Parameters
    ----------
    symbol : Symbol
        The venue's symbol.
    venue : Venue
        The venue.
    """

    def __init__(self, Symbol symbol not None, Venue venue not None):
        cdef str value = symbol.value + "." + venue.value
        cdef InstrumentId canonical = _INTERNED.get(value)
        self.value = value
        self._hash = hash(value)
        self.symbol = symbol
        self.venue = venue
        if canonical is None:
            self.index = len(_INTERNED)
            _INTERNED[value] = self
        else:
            self.index = canonical.index

    @staticmethod
    def from_str(str value not None):
        """Return the interned id for ``SYMBOL.VENUE`` text.

        The venue is the part after the last ``.``; the symbol is everything before it.

        Parameters
        ----------
        value : str
            For example ``"BTCUSDT.BINANCE"`` or ``"BTC-USDT-SWAP.OKX"``.

        Returns
        -------
        InstrumentId
            The same object for the same text, for the life of the process.

        Raises
        ------
        InvalidIdentifierError
            If ``value`` has no ``.``, or its symbol or venue part is empty or has whitespace.
        """
        return InstrumentId.intern(value)

    @staticmethod
    def get(str symbol not None, str venue not None):
        """Return the interned id of ``symbol`` on ``venue``.

        Parameters
        ----------
        symbol : str
            The venue's symbol, e.g. ``"BTCUSDT"``.
        venue : str
            The venue, e.g. ``"BINANCE"``.

        Returns
        -------
        InstrumentId
            The same object as ``InstrumentId.from_str(f"{symbol}.{venue}")``.

        Raises
        ------
        InvalidIdentifierError
            If either part is empty or has whitespace, or ``venue`` contains ``.``.
        """
        if "." in venue:
            raise InvalidIdentifierError(f"Venue: expected text without '.', got {venue!r}")
        return InstrumentId.intern(symbol + "." + venue)

    @staticmethod
    cdef InstrumentId intern(str value):
        cdef InstrumentId canonical = _INTERNED.get(value)
        if canonical is not None:
            return canonical
        symbol, dot, venue = value.rpartition(".")
        if not dot:
            raise InvalidIdentifierError(
                f"InstrumentId: expected 'SYMBOL.VENUE' text, got {value!r} (no venue)"
            )
        try:
            return InstrumentId(Symbol(symbol), Venue(venue))
        except InvalidIdentifierError as exc:
            raise InvalidIdentifierError(f"InstrumentId {value!r}: {exc}") from None

    cdef bint same_as(self, InstrumentId other) noexcept:
        return other is not None and self.index == other.index

    def __eq__(self, other):
        if type(other) is not InstrumentId:
            return NotImplemented
        return self.index == (<InstrumentId>other).index

    def __hash__(self):
        return self._hash

    def __reduce__(self):
        return InstrumentId.from_str, (self.value,)


# -- ORDERS AND TRADES -------------------------------------------------------------------------

cdef class ClientOrderId(Identifier):
    """Our id of an order, chosen by the OMS and sent to the venue."""


cdef class VenueOrderId(Identifier):
    """The venue's id of an order, known once the venue accepts it."""


cdef class TradeId(Identifier):
    """The venue's id of a trade (a public trade or one of our fills)."""


cdef class StrategyId(Identifier):
    """The id of a strategy instance, e.g. ``StrategyId("as_maker-1")``."""
