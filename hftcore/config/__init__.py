"""Configuration: typed TOML loading and secrets resolved by reference."""

from hftcore.config.loader import load_config
from hftcore.config.secret import Secret, resolve_secret

__all__ = ["Secret", "load_config", "resolve_secret"]
