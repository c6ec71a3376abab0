"""hftcore monitoring package."""
