"""Bus topic names: the one builder, validation and wildcard matching.

A topic is dotted lowercase text, for example ``book.binance.btcusdt``. Topics are built only by
:func:`topic_for`, never by concatenation at call sites. A subscription may use a wildcard
pattern: ``*`` matches any run of characters (dots included) and ``?`` exactly one character,
so ``book.binance.*`` matches every Binance book topic.
"""

from hftcore.errors import BusError

# (kind, venue, symbol) -> topic; the set of instruments of a process is small and fixed.
cdef dict _TOPIC_CACHE = {}


# -- BUILD -------------------------------------------------------------------------------------

cpdef str topic_for(str kind, str venue, str symbol):
    """Return the bus topic of one kind of data for one instrument.

    The result is cached, so repeated calls with the same parts return the same string object.

    Parameters
    ----------
    kind : str
        Kind of data, e.g. ``"book"``, ``"trade"``, ``"quote"``.
    venue : str
        Venue name, e.g. ``"BINANCE"``; lowercased in the topic.
    symbol : str
        Venue symbol, e.g. ``"BTCUSDT"``; lowercased in the topic.

    Returns
    -------
    str
        ``"<kind>.<venue>.<symbol>"`` in lowercase, e.g. ``"book.binance.btcusdt"``.

    Raises
    ------
    BusError
        If a part is None or empty, or contains a dot, a wildcard (``*``, ``?``) or whitespace.
    """
    cdef tuple key = (kind, venue, symbol)
    cdef object topic = _TOPIC_CACHE.get(key)
    if topic is not None:
        return <str>topic
    _check_part(kind, "kind")
    _check_part(venue, "venue")
    _check_part(symbol, "symbol")
    topic = ".".join((kind.lower(), venue.lower(), symbol.lower()))
    _TOPIC_CACHE[key] = topic
    return <str>topic


cdef int _check_part(str part, str field) except -1:
    if part is None or len(part) == 0:
        raise BusError(f"topic_for: {field}: expected a non-empty string, got {part!r}")
    cdef Py_UCS4 c
    for c in part:
        if c == u"." or c == u"*" or c == u"?" or c.isspace():
            raise BusError(
                f"topic_for: {field}: {part!r} contains {c!r}; "
                "dots, wildcards and whitespace are not allowed in a topic part"
            )
    return 0


# -- VALIDATE ----------------------------------------------------------------------------------

cpdef bint is_pattern(str topic):
    """Return whether ``topic`` is a wildcard pattern (contains ``*`` or ``?``).

    Parameters
    ----------
    topic : str
        A topic or pattern.

    Returns
    -------
    bool
    """
    return u"*" in topic or u"?" in topic


cdef int check_topic(str topic, bint allow_wildcards, str field) except -1:
    # Run once per topic or pattern (at registration or subscription), never per message.
    if topic is None or len(topic) == 0:
        raise BusError(f"{field}: expected a non-empty topic string, got {topic!r}")
    if topic != topic.lower():
        raise BusError(f"{field}: topic {topic!r} must be lowercase; build it with topic_for()")
    if not allow_wildcards and is_pattern(topic):
        raise BusError(f"{field}: {topic!r} is a wildcard pattern; expected an exact topic")
    cdef Py_UCS4 c
    for c in topic:
        if c.isspace():
            raise BusError(f"{field}: topic {topic!r} contains whitespace")
    if topic.startswith(".") or topic.endswith(".") or ".." in topic:
        raise BusError(f"{field}: topic {topic!r} has an empty dotted segment")
    return 0


# -- MATCH -------------------------------------------------------------------------------------

cpdef bint topic_matches(str pattern, str topic):
    """Return whether ``topic`` matches the wildcard ``pattern``.

    ``*`` matches any run of characters, dots included (possibly empty); ``?`` matches exactly
    one character; every other character matches itself. A pattern without wildcards matches
    only the identical topic.

    Parameters
    ----------
    pattern : str
        Wildcard pattern, e.g. ``"book.binance.*"``.
    topic : str
        Exact topic, e.g. ``"book.binance.btcusdt"``.

    Returns
    -------
    bool
    """
    cdef Py_ssize_t pattern_len = len(pattern)
    cdef Py_ssize_t topic_len = len(topic)
    cdef Py_ssize_t p = 0
    cdef Py_ssize_t t = 0
    # Position of the last '*' seen and the topic position it is currently matched up to; on a
    # mismatch the star absorbs one more character (linear backtracking, as in fnmatch).
    cdef Py_ssize_t star_p = -1
    cdef Py_ssize_t star_t = 0
    cdef Py_UCS4 c
    while t < topic_len:
        if p < pattern_len:
            c = pattern[p]
            if c == u"*":
                star_p = p
                star_t = t
                p += 1
                continue
            if c == u"?" or c == topic[t]:
                p += 1
                t += 1
                continue
        if star_p >= 0:
            star_t += 1
            t = star_t
            p = star_p + 1
            continue
        return False
    while p < pattern_len and pattern[p] == u"*":
        p += 1
    return p == pattern_len
