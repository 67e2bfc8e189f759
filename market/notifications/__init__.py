"""Delivery of 站内消息: JSON API and the inbox pages."""
