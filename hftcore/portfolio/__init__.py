"""hftcore portfolio package."""
