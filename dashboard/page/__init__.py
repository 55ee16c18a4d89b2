"""The page frame: registry, set-up, sidebar filters, widgets, formatting, deep-link parameters."""
