"""hftcore execution package."""
