"""hftcore clock package."""
