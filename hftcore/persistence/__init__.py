"""hftcore persistence package."""
