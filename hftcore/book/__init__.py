"""hftcore book package."""
