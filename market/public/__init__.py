"""The public pages: home, provider and solution browse and detail, and what they may list."""
