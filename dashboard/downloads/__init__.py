"""Table downloads: pure file builders and the audited buttons."""
