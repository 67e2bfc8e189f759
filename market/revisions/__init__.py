"""Delivery of 修改待审核: JSON API and the bureau's review page."""
