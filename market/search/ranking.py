"""Providers in the order the search ranks them for a text, for every list of providers that
takes one (the public page and GET /api/providers alike: names first, then these)."""

from __future__ import annotations

from fastapi import Request
from meilisearch.errors import MeilisearchError
from requests.exceptions import RequestException

from market.search.api import SearchUnavailable, get_search_client
from search_index.query import ranked_providers


def provider_ranking(request: Request, q: str) -> list[int] | None:
    """Providers by their best listing for `q` (None with no text, or when the search is
    unavailable: the list then matches names only)."""
    if not q.strip():
        return None
    try:
        client = get_search_client(request)
        return ranked_providers(client=client, prefix=request.app.state.settings.meili_index_prefix, q=q)
    except (SearchUnavailable, MeilisearchError, RequestException, OSError):
        return None
