"""The Meilisearch client: construction with a timeout, index names, checked tasks."""

from __future__ import annotations

import asyncio
from collections.abc import Generator, Iterator
from contextlib import closing, contextmanager
from typing import Any, TypeVar

import httpx
import meilisearch
import orjson
import requests
from meilisearch.errors import (
    MeilisearchApiError,
    MeilisearchCommunicationError,
    MeilisearchTimeoutError,
)
from meilisearch.models.task import TaskInfo

DEFAULT_TIMEOUT_S = 10
TASK_TIMEOUT_MS = 120_000

INDEX_KINDS = ("solutions", "providers", "needs")

T = TypeVar("T")


class IndexTaskFailed(RuntimeError):
    """A Meilisearch task ended in `failed` or `canceled`."""


class Client(meilisearch.Client):
    """The official client, plus one pool of kept-alive connections (httpx) for the
    search's own requests.

    The official client opens a new connection for every request (it calls
    `requests.post`, not a session). `post_json` sends over pooled connections, asks for an
    uncompressed answer (on loopback compression only costs time) and parses it with
    orjson; coroutines call it from a worker thread (`post_json_async`): the search asks
    the engine only for what its learnt snapshot cannot answer, so that hop is rare.
    """

    def __init__(self, url: str, key: str | None, *, timeout: int = DEFAULT_TIMEOUT_S) -> None:
        super().__init__(url, key or None, timeout=timeout)
        headers = {"Content-Type": "application/json", "Accept-Encoding": "identity"}
        if key:
            headers["Authorization"] = f"Bearer {key}"
        self.pool = httpx.Client(base_url=url.rstrip("/") + "/", headers=headers, timeout=timeout)

    def post_json(self, path: str, body: Any) -> Any:
        """POST `body` as JSON to `path` (relative to the server) over a pooled connection.

        Raises:
            MeilisearchApiError: the server answered with an error.
            MeilisearchCommunicationError / MeilisearchTimeoutError: it could not be reached in time.
        """
        with _as_meilisearch_errors():
            answer = self.pool.post(path, content=orjson.dumps(body))
        if answer.status_code >= 400:
            raise MeilisearchApiError(f"HTTP {answer.status_code}", _as_response(answer.status_code, answer.content))
        return orjson.loads(answer.content)

    async def post_json_async(self, path: str, body: Any) -> Any:
        """`post_json` for a coroutine: the event loop goes on while the server answers."""
        return await asyncio.to_thread(self.post_json, path, body)


@contextmanager
def _as_meilisearch_errors() -> Iterator[None]:
    """The transport's errors as the official client's."""
    try:
        yield
    except httpx.TimeoutException as exc:
        raise MeilisearchTimeoutError(str(exc) or "the search server did not answer in time") from exc
    except (httpx.TransportError, OSError) as exc:
        raise MeilisearchCommunicationError(str(exc)) from exc


def _as_response(status: int, content: bytes) -> requests.Response:
    """A `requests.Response` holding an error answer, as `MeilisearchApiError` expects."""
    response = requests.Response()
    response.status_code = status
    response._content = content
    response.encoding = "utf-8"
    return response


def make_client(url: str, key: str | None, *, timeout: int = DEFAULT_TIMEOUT_S) -> Client:
    """Return a Meilisearch client for `url`, with a request timeout (seconds) and pooled
    connections for searches (see `Client`)."""
    return Client(url, key or None, timeout=timeout)


def post_json(client: meilisearch.Client, path: str, body: Any) -> Any:
    """POST a search body with `client`: over its kept-alive session when it has one."""
    if isinstance(client, Client):
        return client.post_json(path, body)
    return client.http.post(path, body)


async def post_json_async(client: meilisearch.Client, path: str, body: Any) -> Any:
    """`post_json` for a coroutine (a client without a kept-alive session posts from a thread)."""
    if isinstance(client, Client):
        return await client.post_json_async(path, body)
    return await asyncio.to_thread(client.http.post, path, body)


# A request to the search server, as (path below its URL, JSON body); its answer is the JSON.
Call = tuple[str, Any]
# Work that talks to the search server written once for blocking and async callers: a
# generator that yields each `Call` it needs, is sent the answer, and returns its result.
Steps = Generator[Call, Any, T]


def run(client: meilisearch.Client, steps: Steps[T]) -> T:
    """Carry out `steps`, posting each call with `post_json`."""
    with closing(steps):
        try:
            call = next(steps)
            while True:
                call = steps.send(post_json(client, *call))
        except StopIteration as done:
            return done.value  # type: ignore[no-any-return]


async def run_async(client: meilisearch.Client, steps: Steps[T]) -> T:
    """Carry out `steps` in a coroutine, posting each call with `post_json_async`."""
    with closing(steps):
        try:
            call = next(steps)
            while True:
                call = steps.send(await post_json_async(client, *call))
        except StopIteration as done:
            return done.value  # type: ignore[no-any-return]


def search(client: meilisearch.Client, uid: str, params: dict[str, Any]) -> dict[str, Any]:
    """One search in index `uid` (Meilisearch's search body as `params`)."""
    return post_json(client, f"indexes/{uid}/search", params)  # type: ignore[no-any-return]


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
