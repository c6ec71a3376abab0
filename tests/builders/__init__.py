"""Builders of hftcore objects for tests: sensible defaults, override only what a test needs."""
