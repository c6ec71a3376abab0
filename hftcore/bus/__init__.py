"""hftcore bus package."""
