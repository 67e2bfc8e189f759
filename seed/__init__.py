"""The demo data the app starts with."""
