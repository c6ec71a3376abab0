"""hftcore model package."""
