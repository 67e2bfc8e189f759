"""Delivery of imports and exports in the exchange format: API, pages, commands, background import jobs."""
