"""hftcore cli package."""
