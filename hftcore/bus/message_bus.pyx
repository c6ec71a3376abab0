"""Topic publish/subscribe and point-to-point endpoints of one engine.

Handlers are resolved when subscriptions change, never per message: every exact topic owns a
:class:`TopicHandle` holding the tuple of handlers that receive its messages. A wildcard
subscription is matched against each registered topic once when it is added, and each new topic
is matched against the existing wildcard subscriptions once when it is registered (by its first
publish, subscription or :meth:`MessageBus.topic_handle`). Publishing is then one dict lookup
(none through a handle) and a loop over the tuple.

Handlers run in priority order (higher first), ties in subscription order. A handler that
raises is counted and logged, and the message still reaches the remaining handlers. A handler
that subscribes or unsubscribes while a message is being delivered changes delivery from the
next message on.
"""

import logging

cimport cython

from hftcore.bus.topics cimport check_topic, is_pattern, topic_matches

from hftcore.errors import BusError

log = logging.getLogger(__name__)


def _delivery_order(Subscription subscription):
    return (-subscription.priority, subscription.sequence)


# -- SUBSCRIPTION ------------------------------------------------------------------------------

@cython.final
cdef class Subscription:
    """One handler subscribed to an exact topic or a wildcard pattern.

    Created by :meth:`MessageBus.subscribe`; listed by :meth:`MessageBus.subscriptions`.
    """

    def __cinit__(self, str topic, object handler, int priority, int64_t sequence):
        self.topic = topic
        self.handler = handler
        self.priority = priority
        self.sequence = sequence
        self._handles = []

    def __repr__(self):
        return (
            f"Subscription(topic={self.topic!r}, handler={self.handler!r}, "
            f"priority={self.priority}, sequence={self.sequence})"
        )


# -- TOPIC HANDLE ------------------------------------------------------------------------------

@cython.final
cdef class TopicHandle:
    """Pre-resolved delivery list of one exact topic.

    Obtained from :meth:`MessageBus.topic_handle`; Cython publishers pass it to
    ``MessageBus.publish_c`` to skip the topic lookup. The bus keeps ``handlers`` current as
    subscriptions change, so a handle stays valid for the life of the bus.
    """

    def __cinit__(self, str topic):
        self.topic = topic
        self.handlers = ()
        self._subscriptions = []

    def __repr__(self):
        return f"TopicHandle(topic={self.topic!r}, handler_count={len(self.handlers)})"

    cdef int _add(self, Subscription subscription) except -1:
        self._subscriptions.append(subscription)
        subscription._handles.append(self)
        self._rebuild()
        return 0

    cdef int _remove(self, Subscription subscription) except -1:
        self._subscriptions.remove(subscription)
        self._rebuild()
        return 0

    cdef int _rebuild(self) except -1:
        self._subscriptions.sort(key=_delivery_order)
        self.handlers = tuple([(<Subscription>s).handler for s in self._subscriptions])
        return 0


# -- BUS ---------------------------------------------------------------------------------------

@cython.final
cdef class MessageBus:
    """Topic publish/subscribe and point-to-point endpoints.

    Parameters
    ----------
    clock : Clock, optional
        Clock of the engine; when given, its time is logged with handler errors.

    Examples
    --------
    >>> from hftcore.bus import MessageBus, topic_for
    >>> bus = MessageBus()
    >>> received = []
    >>> bus.subscribe("book.binance.*", received.append)
    >>> bus.publish(topic_for("book", "BINANCE", "BTCUSDT"), "delta")
    >>> received
    ['delta']
    """

    def __cinit__(self, clock=None):
        self.clock = clock
        self.published_count = 0
        self.handler_error_count = 0
        self._topics = {}
        self._exact_subscriptions = {}
        self._pattern_subscriptions = {}
        self._endpoints = {}
        self._next_sequence = 0

    # -- PUB/SUB -------------------------------------------------------------------------------

    def subscribe(self, str topic, handler, int priority=0):
        """Deliver every message published to ``topic`` (exact or wildcard) to ``handler``.

        Parameters
        ----------
        topic : str
            Exact topic (``"book.binance.btcusdt"``) or wildcard pattern (``"book.*"``,
            ``"trade.binance.btc????"``).
        handler : callable
            Called as ``handler(msg)``; its return value is ignored.
        priority : int, default 0
            Higher priorities run first; equal priorities run in subscription order.

        Raises
        ------
        BusError
            If the topic is malformed, ``handler`` is not callable, or the same handler is
            already subscribed to the same topic or pattern.
        """
        check_topic(topic, True, "subscribe")
        if not callable(handler):
            raise BusError(f"subscribe: handler must be callable, got {handler!r}")
        cdef bint pattern = is_pattern(topic)
        cdef dict by_topic = self._pattern_subscriptions if pattern else self._exact_subscriptions
        cdef list existing = by_topic.setdefault(topic, [])
        cdef Subscription subscription
        for subscription in existing:
            if subscription.handler == handler:
                raise BusError(f"subscribe: {handler!r} is already subscribed to {topic!r}")
        subscription = Subscription(topic, handler, priority, self._next_sequence)
        self._next_sequence += 1
        existing.append(subscription)
        cdef TopicHandle handle
        if pattern:
            for handle in self._topics.values():
                if topic_matches(topic, handle.topic):
                    handle._add(subscription)
        else:
            handle = self._topics.get(topic)
            if handle is None:
                # Registration matches all subscriptions, including the one just added.
                self._handle_for(topic)
            else:
                handle._add(subscription)

    def unsubscribe(self, str topic, handler):
        """Stop delivering messages of ``topic`` (exact or wildcard) to ``handler``.

        Parameters
        ----------
        topic : str
            The topic or pattern exactly as given to :meth:`subscribe`.
        handler : callable
            The handler given to :meth:`subscribe` (compared with ``==``).

        Raises
        ------
        BusError
            If ``handler`` is not subscribed to ``topic``.
        """
        if topic is None:
            raise BusError("unsubscribe: expected a topic string, got None")
        cdef dict by_topic = (
            self._pattern_subscriptions if is_pattern(topic) else self._exact_subscriptions
        )
        cdef list existing = by_topic.get(topic)
        cdef Subscription subscription
        cdef TopicHandle handle
        if existing is not None:
            for subscription in existing:
                if subscription.handler == handler:
                    existing.remove(subscription)
                    if not existing:
                        del by_topic[topic]
                    for handle in subscription._handles:
                        handle._remove(subscription)
                    subscription._handles.clear()
                    return
        raise BusError(f"unsubscribe: {handler!r} is not subscribed to topic {topic!r}")

    def publish(self, str topic, msg):
        """Deliver ``msg`` to every handler of ``topic``, in delivery order.

        Parameters
        ----------
        topic : str
            Exact topic, built by :func:`topic_for`. Publishing to a topic for the first time
            registers it (matching it once against the wildcard subscriptions).
        msg : object
            The message; handed to each handler unchanged.

        Raises
        ------
        BusError
            If ``topic`` is new and malformed or a wildcard pattern.
        """
        cdef object handle = self._topics.get(topic)
        if handle is None:
            handle = self._handle_for(topic)
        self.publish_c(<TopicHandle>handle, msg)

    cdef int publish_c(self, TopicHandle handle, object msg) except -1:
        # The tuple is taken once: (un)subscribing from a handler affects the next message.
        cdef tuple handlers = handle.handlers
        cdef object handler
        self.published_count += 1
        for handler in handlers:
            try:
                handler(msg)
            except Exception:
                self._log_handler_error(handle.topic, handler)
        return 0

    def topic_handle(self, str topic):
        """Return the pre-resolved handle of ``topic``, registering the topic if new.

        Parameters
        ----------
        topic : str
            Exact topic.

        Returns
        -------
        TopicHandle
            The topic's handle; its ``handlers`` follow later (un)subscriptions.

        Raises
        ------
        BusError
            If ``topic`` is malformed or a wildcard pattern.
        """
        return self._handle_for(topic)

    def has_subscribers(self, str topic):
        """Return whether a message published to ``topic`` would reach any handler.

        Parameters
        ----------
        topic : str
            Exact topic; it is not registered by this query.

        Returns
        -------
        bool

        Raises
        ------
        BusError
            If ``topic`` is malformed or a wildcard pattern.
        """
        cdef TopicHandle handle = self._topics.get(topic)
        if handle is not None:
            return len(handle.handlers) > 0
        check_topic(topic, False, "has_subscribers")
        return len(self._matching_subscriptions(topic)) > 0

    def subscriptions(self, str topic):
        """Return the subscriptions of an exact topic (in delivery order) or of a pattern.

        Parameters
        ----------
        topic : str
            An exact topic: every subscription, exact or wildcard, delivering to it, in
            delivery order. A wildcard pattern: the subscriptions made with that very pattern,
            in subscription order. The topic is not registered by this query.

        Returns
        -------
        list of Subscription

        Raises
        ------
        BusError
            If ``topic`` is malformed.
        """
        check_topic(topic, True, "subscriptions")
        if is_pattern(topic):
            return list(self._pattern_subscriptions.get(topic, ()))
        cdef TopicHandle handle = self._topics.get(topic)
        if handle is not None:
            return list(handle._subscriptions)
        return self._matching_subscriptions(topic)

    def topics(self):
        """Return the registered exact topics, sorted.

        Returns
        -------
        list of str
        """
        return sorted(self._topics)

    cdef TopicHandle _handle_for(self, str topic):
        cdef TopicHandle handle = self._topics.get(topic)
        if handle is not None:
            return handle
        check_topic(topic, False, "topic")
        handle = TopicHandle(topic)
        cdef Subscription subscription
        for subscription in self._matching_subscriptions(topic):
            handle._subscriptions.append(subscription)
            subscription._handles.append(handle)
        handle._rebuild()
        self._topics[topic] = handle
        return handle

    cdef list _matching_subscriptions(self, str topic):
        cdef list matching = list(self._exact_subscriptions.get(topic, ()))
        cdef str pattern
        cdef list subscriptions
        for pattern, subscriptions in self._pattern_subscriptions.items():
            if topic_matches(pattern, topic):
                matching.extend(subscriptions)
        matching.sort(key=_delivery_order)
        return matching

    cdef int _log_handler_error(self, str topic, object handler) except -1:
        self.handler_error_count += 1
        if self.clock is None:
            log.exception("bus handler raised topic=%s handler=%r", topic, handler)
        else:
            log.exception(
                "bus handler raised topic=%s handler=%r ts_ns=%d",
                topic,
                handler,
                self.clock.timestamp_ns(),
            )
        return 0

    # -- ENDPOINTS -----------------------------------------------------------------------------

    def register_endpoint(self, str endpoint, handler):
        """Register ``handler`` as the single receiver of messages sent to ``endpoint``.

        Parameters
        ----------
        endpoint : str
            Endpoint name, e.g. ``"risk.execute"``.
        handler : callable
            Called as ``handler(msg)``; its return value is the response of :meth:`request`.

        Raises
        ------
        BusError
            If ``endpoint`` is empty, ``handler`` is not callable or ``endpoint`` is taken.
        """
        if endpoint is None or len(endpoint) == 0:
            raise BusError(f"register_endpoint: expected a non-empty name, got {endpoint!r}")
        if not callable(handler):
            raise BusError(f"register_endpoint: handler must be callable, got {handler!r}")
        if endpoint in self._endpoints:
            raise BusError(f"register_endpoint: endpoint {endpoint!r} is already registered")
        self._endpoints[endpoint] = handler

    def deregister_endpoint(self, str endpoint):
        """Remove ``endpoint`` and its handler.

        Parameters
        ----------
        endpoint : str
            A registered endpoint name.

        Raises
        ------
        BusError
            If ``endpoint`` is not registered.
        """
        self._endpoint(endpoint, "deregister_endpoint")
        del self._endpoints[endpoint]

    def endpoints(self):
        """Return the registered endpoint names, sorted.

        Returns
        -------
        list of str
        """
        return sorted(self._endpoints)

    def send(self, str endpoint, msg):
        """Hand ``msg`` to the handler of ``endpoint``.

        Parameters
        ----------
        endpoint : str
            A registered endpoint name.
        msg : object
            The message.

        Raises
        ------
        BusError
            If ``endpoint`` is not registered.
        Exception
            Whatever the handler raises propagates to the sender.
        """
        self._endpoint(endpoint, "send")(msg)

    def request(self, str endpoint, msg):
        """Hand ``msg`` to the handler of ``endpoint`` and return its response.

        Parameters
        ----------
        endpoint : str
            A registered endpoint name.
        msg : object
            The request.

        Returns
        -------
        object
            The handler's return value.

        Raises
        ------
        BusError
            If ``endpoint`` is not registered.
        Exception
            Whatever the handler raises propagates to the requester.
        """
        return self._endpoint(endpoint, "request")(msg)

    cdef object _endpoint(self, str endpoint, str field):
        cdef object handler = self._endpoints.get(endpoint)
        if handler is None:
            known = ", ".join(sorted(self._endpoints)) or "none"
            raise BusError(f"{field}: unknown endpoint {endpoint!r}; registered: {known}")
        return handler
