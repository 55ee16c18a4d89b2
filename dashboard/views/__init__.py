"""Rendering helpers of the analytics pages by subject."""
