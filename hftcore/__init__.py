"""hftcore: a Python + Cython framework for crypto high-frequency trading."""

__version__ = "0.1.0"
