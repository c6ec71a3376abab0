"""Monitoring: structured logging with secret redaction, metrics and latency figures."""

from hftcore.monitoring.logging import (
    register_secret,
    setup_logging,
    shutdown_logging,
)

__all__ = ["register_secret", "setup_logging", "shutdown_logging"]
