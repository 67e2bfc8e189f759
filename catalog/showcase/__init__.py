"""The product page beyond the description: cases, ratings, 申请对接 and an engagement's messages."""
