"""Delivery of the catalogue search: JSON API, the search page, `market reindex` and `market eval search`."""
