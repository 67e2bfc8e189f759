"""Delivery of 服务商入驻: JSON API and pages."""
