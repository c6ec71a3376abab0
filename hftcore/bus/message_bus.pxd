"""Topic publish/subscribe and point-to-point endpoints of one engine."""

from libc.stdint cimport int64_t, uint64_t


# -- SUBSCRIPTION ------------------------------------------------------------------------------

cdef class Subscription:
    cdef readonly str topic
    """The exact topic or wildcard pattern subscribed to."""
    cdef readonly object handler
    """The callable receiving each message, ``handler(msg)``."""
    cdef readonly int priority
    """Higher priorities are delivered first; ties go by subscription order."""
    cdef readonly int64_t sequence
    """Bus-wide subscription order (0, 1, 2...), the tie-breaker of ``priority``."""
    cdef list _handles


# -- TOPIC HANDLE ------------------------------------------------------------------------------

cdef class TopicHandle:
    cdef readonly str topic
    """The exact topic this handle publishes to."""
    cdef readonly tuple handlers
    """Handlers in delivery order; replaced on every (un)subscribe that concerns the topic."""
    cdef list _subscriptions

    cdef int _add(self, Subscription subscription) except -1
    cdef int _remove(self, Subscription subscription) except -1
    cdef int _rebuild(self) except -1


# -- BUS ---------------------------------------------------------------------------------------

cdef class MessageBus:
    cdef readonly object clock
    """Clock whose time is logged with handler errors, or None."""
    cdef readonly uint64_t published_count
    """Number of messages published (with or without subscribers)."""
    cdef readonly uint64_t handler_error_count
    """Number of handler calls that raised; each was logged and delivery went on."""
    cdef dict _topics
    cdef dict _exact_subscriptions
    cdef dict _pattern_subscriptions
    cdef dict _endpoints
    cdef int64_t _next_sequence

    cdef int publish_c(self, TopicHandle handle, object msg) except -1
    cdef TopicHandle _handle_for(self, str topic)
    cdef list _matching_subscriptions(self, str topic)
    cdef int _log_handler_error(self, str topic, object handler) except -1
    cdef object _endpoint(self, str endpoint, str field)
