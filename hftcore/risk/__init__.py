"""hftcore risk package."""
