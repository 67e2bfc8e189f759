"""Delivery of users: JSON API and the `market users` / `market seed` commands."""
