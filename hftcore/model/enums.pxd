"""Enumerations shared by every hftcore component."""


cpdef enum Side:
    NO_SIDE = 0
    BUY = 1
    SELL = 2


cpdef enum OrderType:
    LIMIT = 1
    MARKET = 2


cpdef enum TimeInForce:
    GTC = 1
    IOC = 2
    FOK = 3
    GTX = 4


cpdef enum OrderStatus:
    INITIALIZED = 1
    DENIED = 2
    SUBMITTED = 3
    ACCEPTED = 4
    REJECTED = 5
    PENDING_UPDATE = 6
    PENDING_CANCEL = 7
    PARTIALLY_FILLED = 8
    FILLED = 9
    CANCELED = 10
    EXPIRED = 11


cpdef enum BookAction:
    ADD = 1
    UPDATE = 2
    DELETE = 3
    CLEAR = 4


cpdef enum AggressorSide:
    NO_AGGRESSOR = 0
    BUYER = 1
    SELLER = 2


cpdef enum LiquiditySide:
    NO_LIQUIDITY_SIDE = 0
    MAKER = 1
    TAKER = 2


cpdef enum InstrumentKind:
    SPOT = 1
    PERPETUAL = 2
    FUTURE = 3


cpdef enum Environment:
    BACKTEST = 1
    PAPER = 2
    LIVE = 3


cpdef enum TradingState:
    ACTIVE = 1
    REDUCING = 2
    HALTED = 3


cpdef enum BookType:
    L1_MBP = 1
    L2_MBP = 2


# How a decimal finer than the target tick, lot or precision is handled: EXACT raises
# PrecisionError, DOWN rounds toward zero, UP away from zero, HALF_EVEN to nearest (ties to even).
cpdef enum RoundingMode:
    EXACT = 0
    DOWN = 1
    UP = 2
    HALF_EVEN = 3
