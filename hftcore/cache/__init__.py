"""hftcore cache package."""
