"""修改待审核: a provider's proposed edit of a published profile or listing, and its review."""
