"""The Meilisearch client: construction with a timeout, index names, checked tasks."""

from __future__ import annotations

import json
from typing import Any

import meilisearch
import requests
from meilisearch.errors import (
    MeilisearchApiError,
    MeilisearchCommunicationError,
    MeilisearchTimeoutError,
)
from meilisearch.models.task import TaskInfo
from requests.adapters import HTTPAdapter

DEFAULT_TIMEOUT_S = 10
TASK_TIMEOUT_MS = 120_000

INDEX_KINDS = ("solutions", "providers", "needs")


class IndexTaskFailed(RuntimeError):
    """A Meilisearch task ended in `failed` or `canceled`."""


POOL_SIZE = 64  # kept-alive connections: at least the app's threadpool size


class Client(meilisearch.Client):
    """The official client, plus one kept-alive HTTP session for searches.

    The official client opens a new connection for every request (it calls
    `requests.post`, not a session); on the search path that costs more than the
    search itself. `post_json` reuses pooled connections (thread-safe) and asks for
    an uncompressed answer: on loopback, compression only costs time.
    """

    def __init__(self, url: str, key: str | None, *, timeout: int = DEFAULT_TIMEOUT_S) -> None:
        super().__init__(url, key or None, timeout=timeout)
        self.session = requests.Session()
        self.session.trust_env = False  # no proxy or .netrc look-ups in the environment per request
        adapter = HTTPAdapter(pool_connections=4, pool_maxsize=POOL_SIZE)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        self.session.headers.update({"Content-Type": "application/json", "Accept-Encoding": "identity"})
        if key:
            self.session.headers["Authorization"] = f"Bearer {key}"

    def post_json(self, path: str, body: Any) -> Any:
        """POST `body` as JSON to `path` (relative to the server) over the kept-alive session.

        Raises:
            MeilisearchApiError: the server answered with an error.
            MeilisearchCommunicationError / MeilisearchTimeoutError: it could not be reached in time.
        """
        try:
            response = self.session.post(f"{self.config.url}/{path}", data=json.dumps(body),
                                         timeout=self.config.timeout)
        except requests.exceptions.Timeout as exc:
            raise MeilisearchTimeoutError(str(exc)) from exc
        except requests.exceptions.ConnectionError as exc:
            raise MeilisearchCommunicationError(str(exc)) from exc
        if response.status_code >= 400:
            raise MeilisearchApiError(f"HTTP {response.status_code}", response)
        return response.json()


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
