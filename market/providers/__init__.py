"""Delivery of 服务商: JSON API and the provider's own pages."""
