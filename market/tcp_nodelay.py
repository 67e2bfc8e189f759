"""Responses leave at once on kept-alive connections: uvicorn's HTTP protocol with Nagle off.

asyncio turns Nagle's algorithm off (TCP_NODELAY) only on sockets that say they are TCP
(`proto == IPPROTO_TCP`). The listening socket uvicorn binds itself for several workers is
made with `proto == 0`, so its connections keep Nagle on: uvicorn writes a response's head
and body separately, the body waits for the client's delayed ACK, and every request after
the first on a connection takes ~40 ms more (measured: 44 ms for a 404 with `--workers 2`,
1.3 ms with one worker).

`NoDelayHTTPProtocol` is uvicorn's own HTTP protocol (httptools) that turns Nagle off on
each connection it is given, through uvicorn's supported `http` option: `market serve`
passes it (market/commands/serve.py, `server_options`); whoever starts uvicorn by hand adds
`--http market.tcp_nodelay:NoDelayHTTPProtocol`.
"""

from __future__ import annotations

import asyncio
import socket

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

_TCP_FAMILIES = frozenset({socket.AF_INET, socket.AF_INET6})


def set_nodelay(transport: asyncio.BaseTransport) -> None:
    """Turn Nagle off on the TCP socket under `transport` (a Unix socket has none to turn off)."""
    sock = transport.get_extra_info("socket")
    if sock is not None and sock.family in _TCP_FAMILIES and sock.type == socket.SOCK_STREAM:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


class NoDelayHTTPProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol, with TCP_NODELAY on every connection it serves."""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        set_nodelay(transport)
        super().connection_made(transport)
