"""Subsidies: each city's policy as data, and what it pays on a spend at a level."""
