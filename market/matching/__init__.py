"""Delivery of matching: shortlists, bundles and cohorts (API, pages, commands) over the matcher's records."""
