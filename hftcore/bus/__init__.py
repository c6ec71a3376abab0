"""Message bus: topic publish/subscribe, point-to-point endpoints, cross-thread ring buffer."""

from hftcore.bus.message_bus import MessageBus, Subscription, TopicHandle
from hftcore.bus.ring_buffer import OverflowPolicy, RingBuffer
from hftcore.bus.topics import is_pattern, topic_for, topic_matches

__all__ = [
    "MessageBus",
    "OverflowPolicy",
    "RingBuffer",
    "Subscription",
    "TopicHandle",
    "is_pattern",
    "topic_for",
    "topic_matches",
]
