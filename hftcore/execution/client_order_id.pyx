"""Client order ids: unique per venue, restart-safe, accepted by every venue we trade.

An id is ``tag + boot + counter``: ``tag`` names who places the orders (the execution engine
uses the strategy id; letters and digits, at most 16), ``boot`` is the clock time the generator
was created in base36 milliseconds (9 characters) and ``counter`` counts the ids of this boot in
base36 (6 characters), for example ``mm01`` + ``0loyw3v5n`` + ``00002a``. Fixed widths make ids
of different tags differ in length or in the tag, and ids of different boots differ in ``boot``
(a process takes far longer than a millisecond to restart), so ids are unique across tags and
restarts. The text is letters and digits only and at most 31 characters, which Binance
``newClientOrderId`` (36, ``[.A-Za-z0-9:/_-]``), OKX ``clOrdId`` (32, alphanumeric), Bybit
``orderLinkId`` (36) and Coinbase ``client_order_id`` all accept.

The boot time comes from the node clock, so a backtest generates the same ids on every run.
"""

cimport cython
from cpython.unicode cimport PyUnicode_DecodeASCII
from libc.stdint cimport int64_t
from libc.string cimport memcpy

from hftcore.model.identifiers cimport ClientOrderId

from hftcore.errors import ConfigError, InvalidOrderError

cdef const char* _DIGITS = b"0123456789abcdefghijklmnopqrstuvwxyz"


@cython.cdivision(True)
cdef inline void _write_base36(char* out, int64_t value, int width) noexcept nogil:
    # value >= 0 and < 36**width: checked by the callers.
    cdef int i
    for i in range(width - 1, -1, -1):
        out[i] = _DIGITS[value % 36]
        value //= 36


cdef inline bint _is_base36_digit(Py_UCS4 ch) noexcept:
    return (u"0" <= ch <= u"9") or (u"a" <= ch <= u"z")


@cython.final
cdef class ClientOrderIdGenerator:
    """Generates the client order ids of one tag (one strategy).

    Parameters
    ----------
    tag : str
        1..16 ASCII letters and digits, e.g. the strategy id; two generators trading one account
        at the same time need different tags.
    boot_time_ns : int
        The node clock's time at start, UNIX ns (``clock.timestamp_ns()``), >= 0.

    Raises
    ------
    ConfigError
        If ``tag`` is empty, too long or not letters and digits, or ``boot_time_ns`` is negative.
    """

    def __init__(self, str tag not None, int64_t boot_time_ns):
        if not 1 <= len(tag) <= MAX_TAG_LENGTH or not (tag.isascii() and tag.isalnum()):
            raise ConfigError(
                f"ClientOrderIdGenerator.tag: expected 1..{MAX_TAG_LENGTH} ASCII letters and "
                f"digits, got {tag!r}"
            )
        if boot_time_ns < 0:
            raise ConfigError(
                f"ClientOrderIdGenerator.boot_time_ns: expected UNIX ns >= 0, got {boot_time_ns}"
            )
        self.tag = tag
        self.boot_time_ms = boot_time_ns // 1_000_000
        self.count = 0
        self._max_count = (<object>36) ** COUNTER_DIGITS - 1
        cdef char boot[BOOT_DIGITS]
        _write_base36(boot, self.boot_time_ms, BOOT_DIGITS)
        self.boot_tag = PyUnicode_DecodeASCII(boot, BOOT_DIGITS, NULL)
        self._prefix = (tag + self.boot_tag).encode("ascii")
        memcpy(self._buffer, <const char*>self._prefix, len(self._prefix))

    def __repr__(self):
        return (
            f"ClientOrderIdGenerator(tag={self.tag!r}, boot_tag={self.boot_tag!r}, "
            f"count={self.count})"
        )

    cpdef ClientOrderId generate(self):
        """Return the next client order id.

        Returns
        -------
        ClientOrderId

        Raises
        ------
        InvalidOrderError
            If this boot has used all 36**6 - 1 counter values (restart for a new boot time).
        """
        if self.count >= self._max_count:
            raise InvalidOrderError(
                f"client order id counter exhausted for tag {self.tag!r} boot {self.boot_tag}: "
                f"{self.count} ids generated"
            )
        self.count += 1
        cdef Py_ssize_t prefix_length = len(self._prefix)
        _write_base36(self._buffer + prefix_length, self.count, COUNTER_DIGITS)
        # Letters and digits only (checked in __init__): a valid id, no identifier check needed.
        cdef str value = PyUnicode_DecodeASCII(self._buffer, prefix_length + COUNTER_DIGITS, NULL)
        cdef ClientOrderId client_order_id = ClientOrderId.__new__(ClientOrderId)
        client_order_id.value = value
        client_order_id._hash = hash(value)
        return client_order_id

    cpdef bint is_own(self, str value):
        """Return whether ``value`` has the form of an id of this tag, from any boot.

        Reconciliation uses it to tell an order of an earlier run of this process from one
        placed by hand or by another process.

        Parameters
        ----------
        value : str
            A client order id as the venue reports it.

        Returns
        -------
        bool
        """
        cdef Py_ssize_t tag_length = len(self.tag)
        cdef Py_UCS4 ch
        if value is None or len(value) != tag_length + BOOT_DIGITS + COUNTER_DIGITS:
            return False
        if not value.startswith(self.tag):
            return False
        for ch in value[tag_length:]:
            if not _is_base36_digit(ch):
                return False
        return True
