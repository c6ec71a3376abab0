"""hftcore node package."""
