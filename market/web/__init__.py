"""Pieces shared by the API and page routers of every feature: paging, list filters, forms, labels, the API docs page."""
