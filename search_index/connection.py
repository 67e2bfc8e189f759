"""Kept-alive HTTP/1.1 connections to the search server, for the POSTs on the search path.

A search costs the app one round trip to Meilisearch. With `http.client` the client side
of that trip cost more CPU than everything else it does for the engine's answer: it parses
each answer's headers with the `email` package, line by line. Here a request goes out in
one write and the answer is parsed by httptools (llhttp, the parser uvicorn itself uses),
which also decodes a chunked body. One connection per thread, opened on first use.
"""

from __future__ import annotations

import socket
import ssl
import threading
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import httptools

READ_SIZE = 65_536


class ServerClosed(ConnectionError):
    """The server closed the connection before its answer was complete; `started` tells
    whether any of the answer had arrived (a dropped idle connection sends nothing)."""

    def __init__(self, *, started: bool) -> None:
        super().__init__("the search server closed the connection")
        self.started = started


@dataclass
class Answer:
    """What the server said: status, body, and whether the connection stays open."""

    status: int = 0
    body: bytes = b""
    keep_alive: bool = True


@dataclass
class _Reader:
    """httptools' callbacks for one answer."""

    parts: list[bytes] = field(default_factory=list)
    complete: bool = False
    keep_alive: bool = True
    parser: httptools.HttpResponseParser | None = None

    def on_headers_complete(self) -> None:
        # Asked here: once the message is complete the parser has moved on to the next one.
        assert self.parser is not None
        self.keep_alive = self.parser.should_keep_alive()

    def on_body(self, data: bytes) -> None:
        self.parts.append(data)

    def on_message_complete(self) -> None:
        self.complete = True


def read_answer(sock: socket.socket) -> Answer:
    """Read one HTTP/1.1 answer from `sock`.

    Raises:
        ServerClosed: the connection ended before the answer did.
        httptools.HttpParserError: the bytes are not HTTP.
        TimeoutError / OSError: the socket's.
    """
    reader = _Reader()
    parser = reader.parser = httptools.HttpResponseParser(reader)
    received = 0
    while not reader.complete:
        data = sock.recv(READ_SIZE)
        if not data:
            raise ServerClosed(started=received > 0)
        received += len(data)
        parser.feed_data(data)
    return Answer(parser.get_status_code(), b"".join(reader.parts), reader.keep_alive)


class Connections:
    """Kept-alive connections to one server, one per thread (a socket is not shared)."""

    def __init__(self, url: str, timeout: float, headers: dict[str, str]) -> None:
        parts = urlsplit(url)
        self.https = parts.scheme == "https"
        self.host = parts.hostname or "127.0.0.1"
        self.port = parts.port or (443 if self.https else 80)
        self.base = parts.path.rstrip("/")
        self.timeout = timeout
        host = self.host if ":" not in self.host else f"[{self.host}]"
        lines = [f"Host: {host}:{self.port}", *(f"{k}: {v}" for k, v in headers.items())]
        self.header_block = "".join(f"{line}\r\n" for line in lines)
        self.local = threading.local()

    def _open(self) -> socket.socket:
        sock = socket.create_connection((self.host, self.port), timeout=self.timeout)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        if self.https:
            sock = ssl.create_default_context().wrap_socket(sock, server_hostname=self.host)
        self.local.sock = sock
        return sock

    def _drop(self) -> None:
        sock = getattr(self.local, "sock", None)
        self.local.sock = None
        if sock is not None:
            sock.close()

    def post(self, path: str, body: bytes) -> Answer:
        """POST `body` to `path` (below the server's URL) and return the answer.

        A kept-alive connection the server closed while idle is re-opened once; a request
        on a fresh connection is never sent twice.

        Raises:
            ServerClosed, TimeoutError, OSError, httptools.HttpParserError: as `read_answer`.
        """
        request = (f"POST {self.base}/{path} HTTP/1.1\r\n{self.header_block}"
                   f"Content-Length: {len(body)}\r\n\r\n").encode() + body
        while True:
            sock = getattr(self.local, "sock", None)
            reused = sock is not None
            try:
                sock = sock or self._open()
                sock.sendall(request)
                answer = read_answer(sock)
            except (ServerClosed, ConnectionResetError, BrokenPipeError) as exc:
                self._drop()
                if reused and not (isinstance(exc, ServerClosed) and exc.started):
                    continue  # the idle connection was gone; this one is fresh
                raise
            except BaseException:
                self._drop()
                raise
            if not answer.keep_alive:
                self._drop()
            return answer
