"""Delivery of 供需对接 events: JSON API, pages, commands, proposals and scheduling glue."""
