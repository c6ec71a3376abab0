"""Monitoring: structured logging with secret redaction, metrics and latency figures."""

from hftcore.monitoring.logging import (
    clear_secrets,
    register_secret,
    setup_logging,
    shutdown_logging,
)

__all__ = ["clear_secrets", "register_secret", "setup_logging", "shutdown_logging"]
