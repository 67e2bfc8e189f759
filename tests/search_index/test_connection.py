"""The search path's HTTP connections against a real TCP server that answers as scripted:
chunked bodies, `Connection: close`, idle connections the server drops, answers cut short.
Each test runs for the blocking connections and for the event loop's."""

from __future__ import annotations

import asyncio
import socket
import socketserver
import threading
from collections.abc import Callable, Iterator
from typing import Any, Protocol

import httptools
import pytest
from meilisearch.errors import MeilisearchCommunicationError, MeilisearchTimeoutError

from search_index.client import Client
from search_index.connection import Answer, Connections, LoopConnections, ServerClosed

Script = Callable[[socket.socket, int], None]  # (connection, number of the request on the server)


def _read_request(conn: socket.socket) -> bytes:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(4096)
        if not chunk:
            return b""
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = int(next(line.split(b":")[1] for line in head.split(b"\r\n") if line.lower().startswith(b"content-length")))
    while len(body) < length:
        body += conn.recv(4096)
    return head


class _Server:
    """A loopback server: each connection reads requests and runs `script` for each."""

    def __init__(self, script: Script) -> None:
        self.requests: list[bytes] = []
        self.connections = 0
        self.ended = threading.Semaphore(0)  # released as each connection's reading ends
        outer = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                outer.connections += 1
                try:
                    while head := _read_request(self.request):
                        outer.requests.append(head)
                        script(self.request, len(outer.requests))
                finally:
                    outer.ended.release()

        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/base"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def serve() -> Iterator[Callable[[Script], _Server]]:
    servers: list[_Server] = []

    def start(script: Script) -> _Server:
        servers.append(_Server(script))
        return servers[-1]

    yield start
    for server in servers:
        server.close()


class Poster(Protocol):
    def post(self, path: str, body: bytes) -> Answer: ...


class _OnLoop:
    """`LoopConnections` driven from the test: each post runs on one event loop of its own
    thread (its pool belongs to that loop)."""

    def __init__(self, loop: asyncio.AbstractEventLoop, url: str, timeout: float, headers: dict[str, str]) -> None:
        self.loop = loop
        self.connections = LoopConnections(url, timeout, headers)

    def post(self, path: str, body: bytes) -> Answer:
        return asyncio.run_coroutine_threadsafe(self.connections.post(path, body), self.loop).result(timeout=30)


@pytest.fixture
def loop() -> Iterator[asyncio.AbstractEventLoop]:
    running = asyncio.new_event_loop()
    thread = threading.Thread(target=running.run_forever, daemon=True)
    thread.start()
    yield running
    running.call_soon_threadsafe(running.stop)
    thread.join(timeout=5)
    running.close()


Connect = Callable[..., Poster]


@pytest.fixture(params=["thread", "loop"])
def connect(request: pytest.FixtureRequest) -> Connect:
    """Connections of either kind: connect(url, timeout, headers)."""
    if request.param == "thread":
        return Connections
    running = request.getfixturevalue("loop")
    return lambda url, timeout, headers: _OnLoop(running, url, timeout, headers)


def _json(body: bytes, *, close: bool = False) -> bytes:
    extra = b"Connection: close\r\n" if close else b""
    return (b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n" + extra
            + b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body)


def test_a_request_carries_path_headers_and_length(serve: Callable[[Script], _Server], connect: Connect) -> None:
    server = serve(lambda conn, n: conn.sendall(_json(b'{"ok":true}')))
    connections = connect(server.url, 5, {"Authorization": "Bearer k"})
    answer = connections.post("multi-search", b'{"q":"MES"}')
    assert (answer.status, answer.body, answer.keep_alive) == (200, b'{"ok":true}', True)
    head = server.requests[0].decode()
    assert head.startswith("POST /base/multi-search HTTP/1.1\r\n")
    assert "Authorization: Bearer k" in head and "Content-Length: 11" in head


def test_a_chunked_answer_is_joined(serve: Callable[[Script], _Server], connect: Connect) -> None:
    def chunked(conn: socket.socket, n: int) -> None:
        conn.sendall(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")
        conn.sendall(b"5\r\n{\"a\":\r\n")
        conn.sendall(b"3\r\n\xe4\xb8\xad\r\n0\r\n\r\n")

    answer = connect(serve(chunked).url, 5, {}).post("x", b"{}")
    assert answer.body == b'{"a":\xe4\xb8\xad'


def test_connections_are_kept_alive_and_reopened_after_connection_close(
    serve: Callable[[Script], _Server], connect: Connect,
) -> None:
    server = serve(lambda conn, n: conn.sendall(_json(str(n).encode(), close=n == 2)))
    connections = connect(server.url, 5, {})
    assert [connections.post("x", b"{}").body for _ in range(4)] == [b"1", b"2", b"3", b"4"]
    assert server.connections == 2  # the second answer said close; the third opened anew


def test_an_idle_connection_the_server_dropped_is_reopened_once(serve: Callable[[Script], _Server], connect: Connect) -> None:
    def drop_after_first(conn: socket.socket, n: int) -> None:
        conn.sendall(_json(str(n).encode()))
        if n == 1:
            conn.shutdown(socket.SHUT_RDWR)

    server = serve(drop_after_first)
    connections = connect(server.url, 5, {})
    assert connections.post("x", b"{}").body == b"1"
    assert server.ended.acquire(timeout=5)  # the server has stopped reading that connection
    assert connections.post("x", b"{}").body == b"2"
    assert len(server.requests) == 2  # the retry, not a second copy of the request


def test_an_answer_cut_short_is_an_error_and_not_sent_again(serve: Callable[[Script], _Server], connect: Connect) -> None:
    def cut(conn: socket.socket, n: int) -> None:
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{\"partial")
        conn.shutdown(socket.SHUT_RDWR)

    server = serve(cut)
    with pytest.raises(ServerClosed):
        connect(server.url, 5, {}).post("x", b"{}")
    assert len(server.requests) == 1


def test_bytes_that_are_not_http_reach_the_api_as_a_communication_error(
    serve: Callable[[Script], _Server], connect: Connect,
) -> None:
    server = serve(lambda conn, n: conn.sendall(b"SSH-2.0-OpenSSH_9.2\r\n"))
    with pytest.raises(httptools.HttpParserError):
        connect(server.url, 5, {}).post("x", b"{}")
    client = Client(server.url.removesuffix("/base"), "k")
    with pytest.raises(MeilisearchCommunicationError):
        client.post_json("multi-search", {"queries": []})


def test_the_async_client_maps_errors_as_the_blocking_one(
    serve: Callable[[Script], _Server], loop: asyncio.AbstractEventLoop,
) -> None:
    client = Client(serve(lambda conn, n: None).url.removesuffix("/base"), "k", timeout=1)
    closed = Client(serve(lambda conn, n: conn.shutdown(socket.SHUT_RDWR)).url.removesuffix("/base"), "k")

    def outcome(target: Client) -> Any:
        return asyncio.run_coroutine_threadsafe(target.post_json_async("multi-search", {}), loop).exception(timeout=30)

    assert isinstance(outcome(client), MeilisearchTimeoutError)
    assert isinstance(outcome(closed), MeilisearchCommunicationError)


def test_a_silent_server_times_out(serve: Callable[[Script], _Server], connect: Connect) -> None:
    server = serve(lambda conn, n: None)
    with pytest.raises(TimeoutError):
        connect(server.url, 0.2, {}).post("x", b"{}")
