"""Connections accepted on a listening socket made the way uvicorn makes it for several
workers (`proto == 0`) get TCP_NODELAY, so kept-alive responses do not wait ~40 ms."""

from __future__ import annotations

import asyncio
import socket
from concurrent.futures import ThreadPoolExecutor

from market import tcp_nodelay


async def _accepted_nodelay() -> int:
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)  # proto 0, as uvicorn binds it
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    seen: asyncio.Future[int] = asyncio.get_running_loop().create_future()

    def on_connect(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        sock = writer.get_extra_info("socket")
        seen.set_result(sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
        writer.close()

    server = await asyncio.start_server(on_connect, sock=listener)
    _reader, writer = await asyncio.open_connection(*listener.getsockname())
    try:
        return await asyncio.wait_for(seen, timeout=10)
    finally:
        writer.close()
        server.close()
        await server.wait_closed()


def test_accepted_connections_have_nagle_off() -> None:
    tcp_nodelay.install()
    assert _run_in_own_thread(_accepted_nodelay) != 0


def _run_in_own_thread(make_coroutine) -> int:  # type: ignore[no-untyped-def]
    """asyncio.run on a fresh thread: a test session's Playwright keeps a loop on this one."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(lambda: asyncio.run(make_coroutine())).result()
