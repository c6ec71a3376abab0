"""adapters sim package."""
