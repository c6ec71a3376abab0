"""Client order ids: unique per venue, restart-safe, accepted by every venue we trade."""

cimport cython
from libc.stdint cimport int64_t

from hftcore.model.identifiers cimport ClientOrderId


cdef enum:
    BOOT_DIGITS = 9       # base36 milliseconds since the epoch: enough until the year 5188
    COUNTER_DIGITS = 6    # base36 orders per boot: 2,176,782,335
    MAX_TAG_LENGTH = 16   # 16 + 9 + 6 = 31, under the OKX clOrdId limit of 32


@cython.final
cdef class ClientOrderIdGenerator:
    cdef readonly str tag
    """Letters and digits naming who places the orders (the strategy id)."""
    cdef readonly int64_t boot_time_ms
    """Clock time the generator was created, UNIX milliseconds."""
    cdef readonly str boot_tag
    """``boot_time_ms`` in base36, ``BOOT_DIGITS`` characters."""
    cdef readonly int64_t count
    """Ids generated so far."""
    cdef int64_t _max_count
    cdef bytes _prefix
    cdef char _buffer[40]

    cpdef ClientOrderId generate(self)
    cpdef bint is_own(self, str value)
