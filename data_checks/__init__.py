"""data_checks package."""
