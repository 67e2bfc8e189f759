"""Pages common to providers and solutions: the bureau's review queue and management, the listing forms."""
