"""hftcore strategy package."""
