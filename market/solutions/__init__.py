"""Delivery of 小快轻准产品和解决方案: JSON API."""
