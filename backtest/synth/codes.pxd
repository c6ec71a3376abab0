"""Codes shared by the synthetic book modules: sides, row actions and flags, aggressors."""


cdef enum:
    # Sides of a level or an order (the catalog's ``side``); BID orders buy.
    BID = 1
    ASK = 2
    # Book row actions and flags (the catalog's ``action`` and ``flags``).
    ADD = 1
    UPDATE = 2
    DELETE = 3
    CLEAR = 4
    FLAG_LAST = 1
    FLAG_SNAPSHOT = 2
    # Trade aggressors (the catalog's ``aggressor``).
    BUYER = 1
    SELLER = 2
    # Best or worst price of an empty side.
    NO_LEVEL = -1
