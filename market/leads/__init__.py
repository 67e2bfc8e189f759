"""Delivery of leads: a provider's ranked leads and the pages to answer them."""
