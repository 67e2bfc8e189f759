"""Delivery of 链式转型 and 产业链关系: JSON API, pages and the `market chains` commands."""
