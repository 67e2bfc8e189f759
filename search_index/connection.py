"""Kept-alive HTTP/1.1 connections to the search server, for the POSTs on the search path.

A search costs the app one round trip to Meilisearch. With `http.client` the client side
of that trip cost more CPU than everything else it does for the engine's answer: it parses
each answer's headers with the `email` package, line by line. Here a request goes out in
one write and the answer is parsed by httptools (llhttp, the parser uvicorn itself uses),
which also decodes a chunked body.

`Connections` serves blocking callers, one connection per thread; `LoopConnections` serves
coroutines, a pool of idle connections per event loop, so that the API's search answers
without handing each request to a worker thread and back.
"""

from __future__ import annotations

import asyncio
import socket
import ssl
import threading
import weakref
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


class _AnswerParser:
    """Bytes in, one `Answer` out."""

    def __init__(self) -> None:
        self.reader = _Reader()
        self.parser = self.reader.parser = httptools.HttpResponseParser(self.reader)
        self.received = 0

    def feed(self, data: bytes) -> bool:
        """Take the next bytes read (b"" when the connection ended); True once the answer is whole.

        Raises:
            ServerClosed: the connection ended before the answer did.
            httptools.HttpParserError: the bytes are not HTTP.
        """
        if not data:
            raise ServerClosed(started=self.received > 0)
        self.received += len(data)
        self.parser.feed_data(data)
        return self.reader.complete

    def answer(self) -> Answer:
        return Answer(self.parser.get_status_code(), b"".join(self.reader.parts), self.reader.keep_alive)


def read_answer(sock: socket.socket) -> Answer:
    """Read one HTTP/1.1 answer from `sock`.

    Raises:
        ServerClosed: the connection ended before the answer did.
        httptools.HttpParserError: the bytes are not HTTP.
        TimeoutError / OSError: the socket's.
    """
    parser = _AnswerParser()
    while not parser.feed(sock.recv(READ_SIZE)):
        pass
    return parser.answer()


async def read_answer_async(stream: asyncio.StreamReader) -> Answer:
    """`read_answer` for a coroutine."""
    parser = _AnswerParser()
    while not parser.feed(await stream.read(READ_SIZE)):
        pass
    return parser.answer()


def _worth_retrying(exc: BaseException, *, reused: bool) -> bool:
    """Whether a request that failed with `exc` goes out again on a fresh connection: only
    when a kept-alive connection turned out closed before any of the answer came back (the
    server drops idle connections). A fresh connection's failure is never retried."""
    if isinstance(exc, ServerClosed):
        return reused and not exc.started
    return reused and isinstance(exc, (ConnectionResetError, BrokenPipeError))


@dataclass(frozen=True)
class _Server:
    """Where requests go, and the request head they share."""

    https: bool
    host: str
    port: int
    base: str
    header_block: str

    @classmethod
    def of(cls, url: str, headers: dict[str, str]) -> _Server:
        parts = urlsplit(url)
        https = parts.scheme == "https"
        host = parts.hostname or "127.0.0.1"
        port = parts.port or (443 if https else 80)
        lines = [f"Host: {host if ':' not in host else f'[{host}]'}:{port}", *(f"{k}: {v}" for k, v in headers.items())]
        return cls(https, host, port, parts.path.rstrip("/"), "".join(f"{line}\r\n" for line in lines))

    def request(self, path: str, body: bytes) -> bytes:
        return (f"POST {self.base}/{path} HTTP/1.1\r\n{self.header_block}"
                f"Content-Length: {len(body)}\r\n\r\n").encode() + body


class Connections:
    """Kept-alive connections to one server, one per thread (a socket is not shared)."""

    def __init__(self, url: str, timeout: float, headers: dict[str, str]) -> None:
        self.server = _Server.of(url, headers)
        self.timeout = timeout
        self.local = threading.local()

    def _open(self) -> socket.socket:
        sock = socket.create_connection((self.server.host, self.server.port), timeout=self.timeout)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        if self.server.https:
            sock = ssl.create_default_context().wrap_socket(sock, server_hostname=self.server.host)
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
        request = self.server.request(path, body)
        while True:
            sock = getattr(self.local, "sock", None)
            reused = sock is not None
            try:
                sock = sock or self._open()
                sock.sendall(request)
                answer = read_answer(sock)
            except BaseException as exc:
                self._drop()
                if _worth_retrying(exc, reused=reused):
                    continue
                raise
            if not answer.keep_alive:
                self._drop()
            return answer


_Stream = tuple[asyncio.StreamReader, asyncio.StreamWriter]


class LoopConnections:
    """Kept-alive connections to one server for coroutines: idle ones pooled per event loop
    (a connection belongs to the loop that opened it), at most `keep` idle per loop."""

    def __init__(self, url: str, timeout: float, headers: dict[str, str], *, keep: int = 16) -> None:
        self.server = _Server.of(url, headers)
        self.timeout = timeout
        self.keep = keep
        self._idle: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, list[_Stream]] = weakref.WeakKeyDictionary()

    async def _open(self) -> _Stream:
        context = ssl.create_default_context() if self.server.https else None
        return await asyncio.open_connection(self.server.host, self.server.port, ssl=context,
                                             server_hostname=self.server.host if context else None)

    @staticmethod
    def _pooled(idle: list[_Stream]) -> _Stream | None:
        """An idle connection not known to be closed by the server, or None."""
        while idle:
            stream = idle.pop()
            if not stream[1].is_closing() and not stream[0].at_eof():
                return stream
            stream[1].close()
        return None

    async def post(self, path: str, body: bytes) -> Answer:
        """POST `body` to `path` (below the server's URL) and return the answer, waiting
        without blocking the loop; `timeout` bounds the whole exchange.

        A pooled connection the server turns out to have closed while idle is dropped and
        the request goes out on another; a request on a fresh connection is never sent twice.

        Raises:
            ServerClosed, TimeoutError, OSError, httptools.HttpParserError: as `read_answer`.
        """
        request = self.server.request(path, body)
        idle = self._idle.setdefault(asyncio.get_running_loop(), [])
        async with asyncio.timeout(self.timeout):
            while True:
                stream = self._pooled(idle)
                reused = stream is not None
                try:
                    stream = stream or await self._open()
                    stream[1].write(request)
                    answer = await read_answer_async(stream[0])
                except BaseException as exc:
                    if stream is not None:
                        stream[1].close()
                    if _worth_retrying(exc, reused=reused):
                        continue
                    raise
                if answer.keep_alive and len(idle) < self.keep:
                    idle.append(stream)
                else:
                    stream[1].close()
                return answer
