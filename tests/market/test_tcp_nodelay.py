"""Connections that uvicorn accepts on a listening socket made the way it makes one for
several workers (`proto == 0`) get TCP_NODELAY from our HTTP protocol, so kept-alive
responses do not wait ~40 ms for a delayed ACK; and `market serve` runs uvicorn with it."""

from __future__ import annotations

import asyncio
import json
import socket
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import uvicorn

from market.commands.serve import server_options
from market.settings import Settings
from market.tcp_nodelay import NoDelayHTTPProtocol


def _nodelay_seen_by_uvicorn() -> list[int]:
    """TCP_NODELAY of the connections a uvicorn server (our protocol) holds while it answers a
    request, read back over a kept-alive connection (the second request on it answers)."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)  # proto 0, as uvicorn binds it
    listener.bind(("127.0.0.1", 0))
    server: uvicorn.Server

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        flags = [c.transport.get_extra_info("socket").getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
                 for c in server.server_state.connections]
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"application/json")]})
        await send({"type": "http.response.body", "body": json.dumps(flags).encode()})

    server = uvicorn.Server(uvicorn.Config(app, http=NoDelayHTTPProtocol, log_level="warning", lifespan="off"))

    async def run() -> list[int]:
        serving = asyncio.create_task(server.serve(sockets=[listener]))
        for _ in range(200):
            if server.started:
                break
            await asyncio.sleep(0.05)
        assert server.started
        try:
            async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{listener.getsockname()[1]}") as client:
                await client.get("/")
                flags: list[int] = (await client.get("/")).json()
        finally:
            server.should_exit = True
            await serving
        return flags

    return _run_in_own_thread(run)


def test_kept_alive_connections_have_nagle_off() -> None:
    flags = _nodelay_seen_by_uvicorn()
    assert flags and all(flags)


def test_market_serve_runs_uvicorn_with_the_protocol() -> None:
    assert server_options(Settings(secret_key="k"))["http"] is NoDelayHTTPProtocol


def _run_in_own_thread(make_coroutine) -> Any:  # type: ignore[no-untyped-def]
    """asyncio.run on a fresh thread: a test session's Playwright keeps a loop on this one."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(lambda: asyncio.run(make_coroutine())).result()
