"""Fixtures for the page tests (the app client and the test pilot come from tests/market)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient


@pytest.fixture
def page_client(client: TestClient, world):  # type: ignore[no-untyped-def]
    """The app's client over the test pilot (the world is built before the first request)."""
    return client
