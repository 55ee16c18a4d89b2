"""regulatory package."""
