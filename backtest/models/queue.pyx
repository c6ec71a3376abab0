"""Queue-position models: where a resting order stands in its price level's queue.

The recorded data shows only each level's total size, not the orders in it, so a simulated
resting order keeps an estimate of the quantity ahead of it (``ahead_lots``), starting at the
level's displayed size when the order arrives (it joins the back of the queue). The matching
engine tells the model about:

- a trade at the order's price (``on_trade``): it eats the queue from the front; whatever the
  trade has left once ``ahead_lots`` reaches 0 fills the order;
- a change of the level's displayed size (``on_depth``): how much of a decrease was ahead of
  the order is what the models disagree on.

``RiskAverseQueueModel`` assumes every cancellation was behind us: only trades move the order
forward (the queue ahead is only capped at the level's size, which it can never exceed).

``ProbQueueModel`` splits a decrease (net of the trades already counted) between the front and
the back of the queue: with ``front = ahead_lots`` and ``back = prev - front``, the probability
that the decrease is behind us is ``p = f(back) / (f(back) + f(front))`` and the new estimate is
``front - (1 - p) * change + min(back - p * change, 0)``, capped at the new level size. ``f`` is
``x**n`` (POWER) or ``log(1 + x)`` (LOG), evaluated on quantities in base units. These are the
models of the published queue-position literature as implemented by hftbacktest
(``ProbQueueModel`` with ``PowerProbQueueFunc`` / ``LogProbQueueFunc``); see
``docs/backtesting.md``.
"""

from libc.math cimport isfinite, log, pow
from libc.stdint cimport int64_t

from hftcore.errors import ConfigError


cdef class QueueModel:
    """Base of the queue-position models (see the module docstring)."""

    cdef void on_new(self, QueuePosition* position, int64_t level_lots) noexcept:
        position.ahead_lots = level_lots
        position.traded_lots = 0.0

    cdef int64_t on_trade(self, QueuePosition* position, int64_t trade_lots) noexcept:
        # The trade eats the queue ahead first; what is left (whole lots) reaches the order.
        cdef double left_lots = trade_lots - position.ahead_lots
        position.traded_lots += trade_lots
        if left_lots <= 0.0:
            position.ahead_lots = -left_lots
            return 0
        position.ahead_lots = 0.0
        return <int64_t>left_lots

    cdef void on_depth(
        self, QueuePosition* position, int64_t prev_lots, int64_t new_lots, double lot_size
    ) noexcept:
        if position.ahead_lots > new_lots:
            position.ahead_lots = new_lots

    def new_position(self, int64_t level_lots):
        """Return the position of an order joining a level of ``level_lots`` (for tests).

        Parameters
        ----------
        level_lots : int
            Displayed size of the level when the order arrives.

        Returns
        -------
        QueueTracker
            A tracker driving one position through this model.
        """
        return QueueTracker(self, level_lots)

    def __repr__(self):
        return f"{type(self).__name__}({self.name!r})"


cdef class RiskAverseQueueModel(QueueModel):
    """Only trades at our price move the order forward; cancellations are all behind us."""

    def __init__(self):
        self.name = "risk_averse"


cdef class ProbQueueModel(QueueModel):
    """Cancellations advance the order with a probability set by its place in the queue.

    Parameters
    ----------
    function : str
        ``"power"`` (``f(x) = x**exponent``) or ``"log"`` (``f(x) = log(1 + x)``).
    exponent : float, default 2.0
        ``n`` of the power function, > 0.

    Raises
    ------
    ConfigError
        If the function is unknown or the exponent is not positive.
    """

    def __init__(self, str function, double exponent=2.0):
        if function == "power":
            if not exponent > 0.0:
                raise ConfigError(f"queue model power: exponent must be > 0, got {exponent}")
            self.function = ProbabilityFunction.POWER
            self.name = f"power:{exponent:g}"
        elif function == "log":
            self.function = ProbabilityFunction.LOG
            self.name = "log"
        else:
            raise ConfigError(
                f"queue model function: expected 'power' or 'log', got {function!r}"
            )
        self.exponent = exponent

    cdef double probability_behind(self, double front, double back) noexcept:
        cdef double f_front
        cdef double f_back
        if self.function == ProbabilityFunction.POWER:
            f_front = pow(front, self.exponent)
            f_back = pow(back, self.exponent)
        else:
            f_front = log(1.0 + front)
            f_back = log(1.0 + back)
        cdef double probability = f_back / (f_back + f_front)
        return probability if isfinite(probability) else 1.0

    cdef void on_depth(
        self, QueuePosition* position, int64_t prev_lots, int64_t new_lots, double lot_size
    ) noexcept:
        # The trades already counted in on_trade explain part of the decrease.
        cdef double change_lots = (prev_lots - new_lots) - position.traded_lots
        cdef double front
        cdef double back
        cdef double probability
        cdef double estimate
        position.traded_lots = 0.0
        if change_lots < 0.0:
            if position.ahead_lots > new_lots:
                position.ahead_lots = new_lots
            return
        front = position.ahead_lots
        back = prev_lots - front
        probability = self.probability_behind(front * lot_size, back * lot_size)
        estimate = front - (1.0 - probability) * change_lots
        if back - probability * change_lots < 0.0:
            estimate += back - probability * change_lots
        if estimate < 0.0:
            estimate = 0.0
        position.ahead_lots = estimate if estimate < new_lots else new_lots

    def probability(self, double front, double back):
        """Return the probability that a decrease of the level is behind the order.

        Parameters
        ----------
        front : float
            Quantity ahead of the order (base units).
        back : float
            Quantity behind the order (base units).

        Returns
        -------
        float
            In [0, 1]; 1 when both are 0.
        """
        return self.probability_behind(front, back)


cdef class QueueTracker:
    """One queue position driven through a model from Python (tests and docs examples).

    Parameters
    ----------
    model : QueueModel
        The model.
    level_lots : int
        Displayed size of the level when the order arrives.
    lot_size : float, default 1.0
        Base units per lot (the probability functions work in base units).
    """

    def __init__(self, QueueModel model not None, int64_t level_lots, double lot_size=1.0):
        self._model = model
        self._lot_size = lot_size
        model.on_new(&self._position, level_lots)

    @property
    def ahead_lots(self):
        """float: Estimated quantity ahead of the order, lots."""
        return self._position.ahead_lots

    def trade(self, int64_t trade_lots):
        """Apply a trade of ``trade_lots`` at the order's price; return the lots reaching it."""
        return self._model.on_trade(&self._position, trade_lots)

    def depth(self, int64_t prev_lots, int64_t new_lots):
        """Apply a change of the level's displayed size from ``prev_lots`` to ``new_lots``."""
        self._model.on_depth(&self._position, prev_lots, new_lots, self._lot_size)
