"""The cache of a trading node."""

from hftcore.cache.cache import Cache

__all__ = ["Cache"]
