"""The Meilisearch client: construction with a timeout, index names, checked tasks."""

from __future__ import annotations

from typing import Any

import httptools
import meilisearch
import orjson
import requests
from meilisearch.errors import (
    MeilisearchApiError,
    MeilisearchCommunicationError,
    MeilisearchTimeoutError,
)
from meilisearch.models.task import TaskInfo

from search_index.connection import Connections

DEFAULT_TIMEOUT_S = 10
TASK_TIMEOUT_MS = 120_000

INDEX_KINDS = ("solutions", "providers", "needs")


class IndexTaskFailed(RuntimeError):
    """A Meilisearch task ended in `failed` or `canceled`."""


class Client(meilisearch.Client):
    """The official client, plus kept-alive connections for searches.

    The official client opens a new connection for every request (it calls
    `requests.post`, not a session); on the search path that costs more than the
    search itself, and so does `requests`' own machinery. `post_json` sends over a
    kept-alive connection per thread (`search_index.connection`), asks for an
    uncompressed answer (on loopback compression only costs time) and parses it with orjson.
    """

    def __init__(self, url: str, key: str | None, *, timeout: int = DEFAULT_TIMEOUT_S) -> None:
        super().__init__(url, key or None, timeout=timeout)
        headers = {"Content-Type": "application/json", "Accept-Encoding": "identity"}
        if key:
            headers["Authorization"] = f"Bearer {key}"
        self.connections = Connections(url, timeout, headers)

    def post_json(self, path: str, body: Any) -> Any:
        """POST `body` as JSON to `path` (relative to the server) over a kept-alive connection.

        Raises:
            MeilisearchApiError: the server answered with an error.
            MeilisearchCommunicationError / MeilisearchTimeoutError: it could not be reached in time.
        """
        try:
            answer = self.connections.post(path, orjson.dumps(body))
        except TimeoutError as exc:
            raise MeilisearchTimeoutError(str(exc)) from exc
        except (OSError, httptools.HttpParserError) as exc:
            raise MeilisearchCommunicationError(str(exc)) from exc
        if answer.status >= 400:
            raise MeilisearchApiError(f"HTTP {answer.status}", _as_response(answer.status, answer.body))
        return orjson.loads(answer.body)


def _as_response(status: int, content: bytes) -> requests.Response:
    """A `requests.Response` holding an error answer, as `MeilisearchApiError` expects."""
    response = requests.Response()
    response.status_code = status
    response._content = content
    response.encoding = "utf-8"
    return response


def make_client(url: str, key: str | None, *, timeout: int = DEFAULT_TIMEOUT_S) -> Client:
    """Return a Meilisearch client for `url`, with a request timeout (seconds) and a
    kept-alive session for searches (see `Client`)."""
    return Client(url, key or None, timeout=timeout)


def post_json(client: meilisearch.Client, path: str, body: Any) -> Any:
    """POST a search body with `client`: over its kept-alive session when it has one."""
    if isinstance(client, Client):
        return client.post_json(path, body)
    return client.http.post(path, body)


def search(client: meilisearch.Client, uid: str, params: dict[str, Any]) -> dict[str, Any]:
    """One search in index `uid` (Meilisearch's search body as `params`)."""
    return post_json(client, f"indexes/{uid}/search", params)  # type: ignore[no-any-return]


def multi_search(client: meilisearch.Client, queries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Several searches in one round trip; the results in the order of `queries`."""
    return post_json(client, "multi-search", {"queries": queries})["results"]  # type: ignore[no-any-return]


def index_uid(prefix: str, kind: str) -> str:
    """The uid of the live index of a kind: `szt_solutions`."""
    if kind not in INDEX_KINDS:
        raise ValueError(f"unknown index kind {kind!r}")
    return f"{prefix}_{kind}"


def task_uid(task: TaskInfo | dict[str, Any] | int) -> int:
    """The uid of a task, whatever shape the client returned it in."""
    if isinstance(task, int):
        return task
    if isinstance(task, dict):
        return int(task.get("taskUid", task.get("uid")))  # type: ignore[arg-type]
    return int(task.task_uid)


def wait_or_raise(
    client: meilisearch.Client, task: TaskInfo | dict[str, Any] | int, *, timeout_ms: int = TASK_TIMEOUT_MS
) -> None:
    """Wait for a task and raise `IndexTaskFailed` unless it succeeded.

    The client's own `wait_for_task` returns failed tasks silently; this does not.

    Raises:
        IndexTaskFailed: the task failed or was canceled (message carries Meilisearch's error).
        MeilisearchTimeoutError: the task did not finish within `timeout_ms`.
    """
    uid = task_uid(task)
    done = client.wait_for_task(uid, timeout_in_ms=timeout_ms, interval_in_ms=20)
    if done.status != "succeeded":
        raise IndexTaskFailed(f"task {uid} ({done.type}) {done.status}: {done.error}")


def is_available(client: meilisearch.Client) -> bool:
    """True when the server answers /health."""
    try:
        return bool(client.is_healthy())
    except (MeilisearchCommunicationError, MeilisearchApiError, OSError):
        return False
