"""The search client's kept-alive connections: errors the API can map, and recovery once
the server is back (the real server is stopped and restarted)."""

from __future__ import annotations

import meilisearch
import pytest
from meilisearch.errors import MeilisearchApiError, MeilisearchCommunicationError
from search_builders import add_provider, add_solution, sync
from sqlmodel import Session

from search_index.client import index_uid, search
from search_index.server import LocalMeilisearch

pytestmark = pytest.mark.meili


def test_search_survives_a_server_restart_on_the_same_client(
    session: Session, database_url: str, meili_server: LocalMeilisearch, meili: meilisearch.Client, prefix: str
) -> None:
    provider = add_provider(session)
    solution = add_solution(session, provider, name="注塑机联网")
    session.commit()
    sync(database_url, meili, prefix)
    uid = index_uid(prefix, "solutions")
    assert search(meili, uid, {"q": "注塑机"})["hits"]  # the connection is now kept alive

    meili_server.stop()
    try:
        with pytest.raises(MeilisearchCommunicationError):
            search(meili, uid, {"q": "注塑机"})
    finally:
        meili_server.start()
    assert [hit["id"] for hit in search(meili, uid, {"q": "注塑机"})["hits"]] == [solution.id]


def test_an_error_answer_carries_the_server_code(meili: meilisearch.Client, prefix: str) -> None:
    with pytest.raises(MeilisearchApiError) as caught:
        search(meili, index_uid(prefix, "solutions"), {"q": "x", "filter": "no_such_field = 1"})
    assert caught.value.status_code == 400
    assert caught.value.code == "invalid_search_filter"


def test_the_master_key_is_not_on_the_server_command_line(meili_server: LocalMeilisearch,
                                                          meili: meilisearch.Client) -> None:
    assert meili_server.process is not None
    with open(f"/proc/{meili_server.process.pid}/cmdline", "rb") as cmdline:
        assert meili_server.key.encode() not in cmdline.read()
    assert meili.is_healthy() and meili.get_keys().results  # the key still protects the server
