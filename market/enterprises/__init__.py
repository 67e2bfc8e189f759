"""Delivery of 试点企业 and their needs: JSON API and pages (the enterprise's own and the bureau's)."""
