"""Delivery of the product page: cases, ratings, 申请对接 and an engagement's messages."""
