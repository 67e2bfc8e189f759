"""Delivery of 对接成果: the JSON API of engagements and their workflow."""
